import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '../../lib/db/embedded';

/**
 * One PostgreSQL for the integration run: the one DATABASE_URL names (its database is used only
 * to create and drop per-file databases), or a throwaway embedded cluster.
 */
let embedded: EmbeddedPostgresHandle | undefined;
let clusterRoot: string | undefined;

export default async function setup(project: TestProject) {
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl) {
    const host = new URL(adminUrl).hostname;
    if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host)) {
      throw new Error(`Refusing to run tests against a non-local database (${host})`);
    }
  } else {
    clusterRoot = path.join(os.tmpdir(), `herald-test-${process.pid}-${project.name}`);
    embedded = await startEmbeddedPostgres({ dataDir: clusterRoot, durable: false });
    adminUrl = embedded.adminUrl;
  }
  project.provide('adminDatabaseUrl', adminUrl);
  return async () => {
    await embedded?.stop();
    if (clusterRoot) await rm(clusterRoot, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}
