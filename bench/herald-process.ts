import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { request } from 'undici';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface RunningHerald {
  url: string;
  /** The `npm start` process (scripts/start.ts); the web server and the worker are its children. */
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Herald exited (${child.exitCode}) before it answered`);
    try {
      const response = await request(`${url}/healthz`);
      await response.body.dump();
      if (response.statusCode === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`Herald did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

/**
 * Herald started exactly as `npm start` starts it against an existing database: scripts/start.ts
 * migrates, bootstraps (here with an API client for the benchmark), makes sure the web build is
 * current, then runs the web server (API and admin UI on one port) and a delivery worker.
 */
export async function startHerald(env: Record<string, string>): Promise<RunningHerald> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HERALD_LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  // The first start after a source change builds the web app: allow for it.
  await waitForHealth(url, child, 600_000);
  return {
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A bearer token from a running Herald's own `POST /oauth/token`, for the bench's API client. */
export async function accessToken(url: string, client: { id: string; secret: string }): Promise<string> {
  const response = await request(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: client.secret,
    }).toString(),
  });
  const { access_token: token } = (await response.body.json()) as { access_token: string };
  return token;
}
