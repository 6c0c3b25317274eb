import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedPostgresError } from './embedded-error';
import { canTraverse, isRootOwnedDirectory, type PostgresUser } from './postgres-user';

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the cluster
 * directory. A checkout under a private home (e.g. /root, mode 700) cannot be reached, so the
 * cluster then lives under a stable directory derived from the data directory's path, in a
 * folder named by an id kept in the data directory (`cluster-id`). The path alone does not say
 * whose cluster it is: a checkout deleted and cloned again at the same path has a new data
 * directory, which must get a new cluster, not the old one (made with another password).
 */
export async function chooseClusterDir(
  dataDir: string,
  user: PostgresUser | undefined,
  notify: (message: string) => void,
): Promise<string> {
  const preferred = path.join(dataDir, 'pg');
  if (!user || canTraverse(user, dataDir)) return preferred;

  const fallbackRoot = fallbackRootFor(dataDir);
  await mkdir(fallbackRoot, { recursive: true, mode: 0o755 });
  if (!(await isRootOwnedDirectory(fallbackRoot))) {
    throw new EmbeddedPostgresError(
      `${fallbackRoot} (where the cluster goes when the postgres user cannot reach ${dataDir}) is not root's alone: remove it, or set HERALD_DATA_DIR to a directory every user can traverse.`,
    );
  }
  await chmod(fallbackRoot, 0o755);
  if (!canTraverse(user, fallbackRoot)) {
    throw new EmbeddedPostgresError(
      `The postgres user cannot reach ${dataDir} (a parent directory is private) nor ${fallbackRoot}. ` +
        'Set HERALD_DATA_DIR to a directory every user can traverse, or set DATABASE_URL.',
    );
  }
  const clusterId = await readOrCreateClusterId(dataDir, fallbackRoot);
  const clusterDir = path.join(fallbackRoot, clusterId);
  for (const other of await otherClusters(fallbackRoot, clusterId)) {
    notify(
      `found ${other}, the embedded PostgreSQL of an earlier data folder at ${dataDir} (this one's cluster id is ${clusterId}); ` +
        `it is not used. If its data is no longer needed, remove it: rm -rf ${other}`,
    );
  }
  await writeFile(
    path.join(dataDir, 'CLUSTER_LOCATION.txt'),
    "The postgres user cannot traverse this directory's parents, so the embedded cluster is kept in\n" +
      `${clusterDir}\n(named by the id in ./cluster-id). To remove Herald's data, remove both this directory and that one.\n`,
  );
  return clusterDir;
}

/** Where the clusters of a data directory the postgres user cannot reach are kept. */
export function fallbackRootFor(dataDir: string): string {
  const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  return path.join('/var/tmp', `herald-pg-${digest}`);
}

const CLUSTER_ID_FILE = 'cluster-id';
const ZClusterId = /^[a-z0-9-]{2,64}$/;
/** Before cluster ids, the one cluster of a path was `<fallbackRoot>/pg`. */
const LEGACY_CLUSTER_ID = 'pg';

async function readOrCreateClusterId(dataDir: string, fallbackRoot: string): Promise<string> {
  const file = path.join(dataDir, CLUSTER_ID_FILE);
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw new EmbeddedPostgresError(
        `Cannot read ${file} (${error.message}): run Herald as the user that created it.`,
      );
    },
  );
  if (stored !== null) {
    if (!ZClusterId.test(stored)) {
      throw new EmbeddedPostgresError(
        `${file} holds "${stored.slice(0, 80)}", not a cluster id (2 to 64 of a-z, 0-9, -): restore it, or remove it to start a new, empty cluster.`,
      );
    }
    return stored;
  }
  // A data directory from before cluster ids, whose password made the legacy cluster: keep it.
  const upgrading =
    existsSync(path.join(dataDir, 'pg-password')) &&
    existsSync(path.join(fallbackRoot, LEGACY_CLUSTER_ID, 'PG_VERSION'));
  const id = upgrading ? LEGACY_CLUSTER_ID : `cluster-${randomBytes(8).toString('hex')}`;
  await writeFile(file, `${id}\n`, { mode: 0o644 });
  return id;
}

async function otherClusters(fallbackRoot: string, clusterId: string): Promise<string[]> {
  const entries = await readdir(fallbackRoot, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && entry.name !== clusterId)
    .map((entry) => path.join(fallbackRoot, entry.name))
    .filter((dir) => existsSync(path.join(dir, 'PG_VERSION')));
}
