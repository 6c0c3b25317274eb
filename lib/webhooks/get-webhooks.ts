import { prisma } from '../db/client';
import { NotFoundError } from '../errors';
import { confirmedAddresses } from '../notifications/addresses';
import { namedAddresses, toWebhook, WEBHOOK_INCLUDE, WEBHOOK_OMIT } from './mapping';
import type { Webhook } from './types';

export async function getWebhook(hubId: string, id: string): Promise<Webhook> {
  const row = await prisma().webhook.findFirst({
    where: { id, hubId },
    include: WEBHOOK_INCLUDE,
    omit: WEBHOOK_OMIT,
  });
  if (!row) throw new NotFoundError('Webhook', id);
  return toWebhook(row, await confirmedAddresses(namedAddresses(row)));
}

export const WEBHOOK_SORT_FIELDS = ['createdDate', 'lastModifiedDate', 'label'] as const;
export type WebhookSortField = (typeof WEBHOOK_SORT_FIELDS)[number];

export interface PageRequest<F extends string> {
  page: number;
  size: number;
  sort: { field: F; direction: 'asc' | 'desc' };
}

export interface Page<T> {
  items: T[];
  page: { size: number; totalElements: number; totalPages: number; number: number };
}

export async function listWebhooks(hubId: string, request: PageRequest<WebhookSortField>): Promise<Page<Webhook>> {
  const where = { hubId };
  const [rows, total] = await Promise.all([
    prisma().webhook.findMany({
      where,
      include: WEBHOOK_INCLUDE,
      omit: WEBHOOK_OMIT,
      orderBy: [{ [request.sort.field]: request.sort.direction }, { id: 'asc' }],
      skip: request.page * request.size,
      take: request.size,
    }),
    prisma().webhook.count({ where }),
  ]);
  const confirmed = await confirmedAddresses(rows.flatMap(namedAddresses));
  return {
    items: rows.map((row) => toWebhook(row, confirmed)),
    page: {
      size: request.size,
      totalElements: total,
      totalPages: Math.ceil(total / request.size),
      number: request.page,
    },
  };
}
