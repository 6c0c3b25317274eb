import type { z } from 'zod';
import { listAuditEntries, ZAuditQuery } from '../audit/read-audit';
import type { AuditContext } from '../audit/types';
import { clientAddressFrom } from '../auth/client-address';
import { prisma } from '../db/client';
import { getHub } from '../hubs/hubs';
import { headerOf } from './api-request';
import { hal } from './http';
import type { Links } from './links';
import { WIRE } from './route-helpers';
import { type RequestContext, route } from './route-types';
import type { ZAuditLogList } from './wire-resources';

/**
 * Who makes a change through the API: the client behind the token (its name copied into the
 * log, so the entry outlives the client) and the address the request came from.
 */
export async function apiAuditContext({ request, clientId }: Pick<RequestContext, 'request' | 'clientId'>) {
  const headers = { get: (name: string) => headerOf(request, name) ?? null };
  const client = await prisma().apiClient.findUnique({ where: { id: clientId }, select: { name: true } });
  return {
    actor: { type: 'api-client', id: clientId, label: client?.name ?? clientId },
    sourceIp: clientAddressFrom(headers),
  } satisfies AuditContext;
}

const auditLogHref = (links: Links, hubId: string) => `${links.hub(hubId)}/audit-log`;

/**
 * `GET /v2/content/hubs/{hubId}/audit-log[?actor=&webhook=&action=&limit=&cursor=]`: the hub's
 * configuration changes, newest first, cursor-paged like the requests list. Changes that belong
 * to no hub (users, sign-ins, API clients) are only in the admin UI's Audit log.
 */
export const auditLogRoute = route(
  'GET',
  '/v2/content/hubs/:hubId/audit-log',
  {
    scope: 'webhooks:read',
    doc: {
      operationId: 'listAuditLog',
      tag: 'Audit log',
      summary: "List a hub's configuration changes",
      description:
        'Newest first, cursor-paged like the requests list. Changes that belong to no hub (users, sign-ins, ' +
        'API clients) are only in the admin’s Audit log.',
      query: ZAuditQuery,
      success: { status: 200, description: 'A page of audit entries', body: WIRE.auditLog },
    },
  },
  async ({ params: { hubId }, url, links }) => {
    await getHub(hubId);
    const page = await listAuditEntries({ hubId, includeGlobal: false }, Object.fromEntries(url.searchParams));
    const base = auditLogHref(links, hubId);
    const next = new URLSearchParams();
    for (const name of ['actor', 'webhook', 'action', 'limit']) {
      const value = url.searchParams.get(name);
      if (value) next.set(name, value);
    }
    if (page.nextCursor) next.set('cursor', page.nextCursor);
    const body: z.output<typeof ZAuditLogList> = {
      _embedded: {
        'audit-log': page.items.map((entry) => ({
          id: entry.id,
          createdDate: entry.createdDate.toISOString(),
          actor: entry.actor,
          action: entry.action,
          target: entry.target,
          changes: entry.changes,
          sourceIp: entry.sourceIp,
          ...(entry.target?.type === 'webhook'
            ? { _links: { webhook: { href: links.webhook(hubId, entry.target.id) } } }
            : {}),
        })),
      },
      _links: {
        self: { href: `${base}${url.search}` },
        ...(page.nextCursor ? { next: { href: `${base}?${next}` } } : {}),
      },
      cursor: { next: page.nextCursor },
    };
    return hal(body);
  },
);
