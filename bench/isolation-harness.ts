import { type ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { ensureDatabase } from '../lib/db/embedded';
import { accessToken, startHerald } from './herald-process';
import { EVENT_NAME } from './load';

/** The isolation benchmark's processes: receivers, one Herald per scenario, and their clean-up. */
const ROOT = path.resolve(import.meta.dirname, '..');

const execFileAsync = promisify(execFile);
export const children: ChildProcess[] = [];
export const cleanups: (() => Promise<unknown>)[] = [];

export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const child of children) child.kill();
}

export interface ReceiverStats {
  received: number;
  distinct: number;
  lastAt: number;
  latencies: number[];
}

/** A bench/receiver.ts process (answers 204 at once, measures emit → receipt from `emittedAt`). */
export async function forkReceiver() {
  const child = fork(path.join(ROOT, 'bench/receiver.ts'), { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  children.push(child);
  const port = await new Promise<number>((resolve) =>
    child.once('message', (message) => resolve((message as { port: number }).port)),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => (await (await request(`${url}/stats`)).body.json()) as ReceiverStats,
    count: async () => (await (await request(`${url}/count`)).body.json()) as Omit<ReceiverStats, 'latencies'>,
    reset: async () => void (await (await request(`${url}/reset`, { method: 'POST' })).body.dump()),
  };
}
export type ForkedReceiver = Awaited<ReturnType<typeof forkReceiver>>;

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One scenario's Herald, on a database of its own, with the benchmark's API client signed in. */
export async function heraldFor(embeddedAdminUrl: string, label: string) {
  const dbName = `herald_isolation_${label}_${randomBytes(3).toString('hex')}`;
  await ensureDatabase(embeddedAdminUrl, dbName);
  const databaseUrl = new URL(embeddedAdminUrl);
  databaseUrl.pathname = `/${dbName}`;
  const client = { id: 'herald-isolation-bench', secret: randomBytes(24).toString('hex') };
  const env = {
    DATABASE_URL: databaseUrl.toString(),
    HERALD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    HERALD_ALLOW_PRIVATE_DESTINATIONS: 'loopback',
  };
  const herald = await startHerald({
    ...env,
    HERALD_BOOTSTRAP_CLIENT_ID: client.id,
    HERALD_BOOTSTRAP_CLIENT_SECRET: client.secret,
    HERALD_WORKER_METRICS_PORT: '0',
  });
  const token = await accessToken(herald.url, client);
  const api = async (method: 'GET' | 'POST', apiPath: string, body?: unknown) => {
    const response = await request(`${herald.url}/v2/content${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.body.json()) as Record<string, unknown>;
    if (response.statusCode >= 300)
      throw new Error(`${method} ${apiPath}: ${response.statusCode} ${JSON.stringify(answer)}`);
    return answer;
  };
  /** A hub made the way an operator makes one: `npm run herald -- hub create`. */
  const createHub = async (name: string): Promise<string> => {
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'scripts/cli.ts', 'hub', 'create', '--name', name],
      { cwd: ROOT, env: { ...process.env, ...env } },
    );
    return stdout.trim();
  };
  const createWebhook = async (hubId: string, label: string, handler: string): Promise<string> =>
    String((await api('POST', `/hubs/${hubId}/webhooks`, { label, events: [EVENT_NAME], handlers: [handler] })).id);
  return { herald, token, databaseUrl: databaseUrl.toString(), api, createHub, createWebhook };
}
export type ScenarioHerald = Awaited<ReturnType<typeof heraldFor>>;
