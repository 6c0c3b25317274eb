import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The real worker entry point (`npm run worker`) in a process of its own (tsx as a loader: one pid to kill). */
export async function spawnWorkerProcess(): Promise<{ child: ChildProcess; owner: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, HERALD_LEASE_MS: '1500', HERALD_POLL_INTERVAL_MS: '100', HERALD_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const owner = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { owner: string }) => resolve(message.owner));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return { child, owner };
}
