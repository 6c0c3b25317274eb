import { randomUUID } from 'node:crypto';
import type { AuditContext } from '../lib/audit/types';
import { type CreateApiClientOptions, createApiClient } from '../lib/auth/api-clients';
import { acceptInvite, createInvite } from '../lib/auth/invites';
import type { Role } from '../lib/auth/roles';
import { createSession } from '../lib/auth/sessions';
import { issueSetupCode } from '../lib/auth/setup-code';
import { createFirstAdmin, hasUsers, SetupDoneError } from '../lib/auth/users';
import { resetEnvCache } from '../lib/config/env';
import { closeDatabase, prisma } from '../lib/db/client';
import { startEmbeddedPostgres } from '../lib/db/embedded';
import { DATA_DIR } from '../playwright.config';
import { ADMIN } from './support';

/**
 * Fixtures reach the database of the Herald under test through lib/, the way its own processes do:
 * a session made there is a login without the form, and the setup form can change without the
 * other specs noticing.
 */

export interface StorageState {
  cookies: {
    name: string;
    value: string;
    domain: string;
    path: string;
    expires: number;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'Lax';
  }[];
  origins: [];
}

/**
 * The embedded PostgreSQL that `npm start` runs in DATA_DIR, shared the way the CLI shares it (left
 * running), or HERALD_E2E_DATABASE_URL for a Herald started elsewhere (HERALD_E2E_BASE_URL). Only
 * ever a database on this machine.
 */
async function heraldDatabaseUrl(): Promise<string> {
  let url = process.env.HERALD_E2E_DATABASE_URL;
  if (!url) {
    const embedded = await startEmbeddedPostgres({ dataDir: DATA_DIR, shareRunning: true });
    if (!embedded.shared) {
      await embedded.stop();
      throw new Error(`no Herald is running on ${DATA_DIR}: the fixtures need the one Playwright started`);
    }
    url = embedded.url;
  }
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) {
    throw new Error(`e2e fixtures write to the database: refusing ${host}, which is not this machine`);
  }
  return url;
}

let connected = false;

async function useHeraldDatabase(): Promise<void> {
  if (connected) return;
  process.env.DATABASE_URL = await heraldDatabaseUrl();
  resetEnvCache();
  connected = true;
}

/**
 * A signed-in browser state for the admin. Creates the first admin when the setup spec has not
 * (a spec run on its own); otherwise signs in whoever set Herald up, whatever their password.
 */
export async function adminStorageState(baseURL: string): Promise<StorageState> {
  await useHeraldDatabase();
  if (!(await hasUsers())) {
    // The code Herald printed is not at hand here: a fresh one replaces it.
    const setupCode = await issueSetupCode();
    if (setupCode) {
      await createFirstAdmin({ ...ADMIN, setupCode }).catch((error: unknown) => {
        if (!(error instanceof SetupDoneError)) throw error;
      });
    }
  }
  const admin = await prisma().user.findFirstOrThrow({ orderBy: { createdDate: 'asc' }, select: { id: true } });
  const { token, expiresAt } = await createSession(admin.id);
  return {
    cookies: [
      {
        name: 'herald_session',
        value: token,
        domain: new URL(baseURL).hostname,
        path: '/',
        expires: Math.floor(expiresAt.getTime() / 1000),
        httpOnly: true,
        secure: false,
        sameSite: 'Lax',
      },
    ],
    origins: [],
  };
}

/** Credentials for the management API: its secret exists only here, its hash in the database. */
export async function createE2eApiClient(
  name: string,
  options: Pick<CreateApiClientOptions, 'scopes' | 'hubIds'> = {},
): Promise<{ id: string; secret: string }> {
  await useHeraldDatabase();
  const client = await createApiClient(name, options);
  return { id: client.id, secret: client.secret };
}

const FIXTURES: AuditContext = { actor: { type: 'system', id: null, label: 'e2e fixtures' }, sourceIp: null };

/**
 * An invitation made through lib/ (as the Users page makes one): its email and one-time token. Made
 * again for the same email, it replaces the pending one, whose link then stops working.
 */
export async function createE2eInvite(
  role: Role,
  email = `${role.toLowerCase()}-${randomUUID()}@example.com`,
): Promise<{ email: string; token: string }> {
  await useHeraldDatabase();
  const { token } = await createInvite({ email, role }, FIXTURES);
  return { email, token };
}

/** A user with this role who joined through an invitation, and the password they chose. */
export async function createE2eUser(role: Role, password: string): Promise<{ id: string; email: string }> {
  const { email, token } = await createE2eInvite(role);
  const user = await acceptInvite(token, { name: `E2E ${role}`, password }, null);
  return { id: user.id, email };
}

/**
 * Failed attempts counted for a webhook `daysAgo` days back, as the outcome writes count them
 * (delivery_stats): the charts' ranges can then be told apart without waiting days.
 */
export async function recordPastFailures(webhookId: string, hubId: string, daysAgo: number, failed: number) {
  await useHeraldDatabase();
  const minute = new Date(Date.now() - daysAgo * 86_400_000);
  minute.setUTCSeconds(0, 0);
  await prisma().$executeRaw`
    INSERT INTO delivery_stats (webhook_id, hub_id, minute, delivered, failed, retrying, filtered)
    VALUES (${webhookId}, ${hubId}, ${minute}, 0, ${failed}, 0, 0)
    ON CONFLICT (webhook_id, minute) DO UPDATE SET failed = delivery_stats.failed + excluded.failed`;
}

export async function disconnectHeraldDatabase(): Promise<void> {
  if (!connected) return;
  connected = false;
  await closeDatabase();
}

/** A filter's path stored as it is, bypassing the checks on save: a row written before they existed. */
export async function storeFilterPathAsIs(webhookId: string, position: number, jsonPath: string): Promise<void> {
  await useHeraldDatabase();
  await prisma().$executeRaw`
    UPDATE webhook_filters SET json_path = ${jsonPath} WHERE webhook_id = ${webhookId} AND position = ${position}`;
}
