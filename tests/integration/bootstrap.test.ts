import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { authenticateClient, revokeApiClient } from '../../lib/auth/api-clients';
import { bootstrap } from '../../lib/bootstrap';
import { resetEnvCache } from '../../lib/config/env';
import { prisma } from '../../lib/db/client';

afterAll(() => {
  delete process.env.HERALD_BOOTSTRAP_CLIENT_ID;
  delete process.env.HERALD_BOOTSTRAP_CLIENT_SECRET;
  resetEnvCache();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function configure(id: string, secret: string): void {
  process.env.HERALD_BOOTSTRAP_CLIENT_ID = id;
  process.env.HERALD_BOOTSTRAP_CLIENT_SECRET = secret;
  resetEnvCache();
}

describe('bootstrap', () => {
  it('creates the default hub and the bootstrap client once, however often it runs', async () => {
    configure('ci-client', 'a-long-enough-bootstrap-secret');

    const [first, second] = await Promise.all([bootstrap(), bootstrap()]);
    const third = await bootstrap();
    expect(first.hub.id).toMatch(/^[0-9a-f]{24}$/);
    expect(first.hub.name).toBe('default');
    expect(second.hub.id).toBe(first.hub.id);
    expect(third.hub.id).toBe(first.hub.id);
    expect(await prisma().hub.count({ where: { name: 'default' } })).toBe(1);
    expect(await prisma().apiClient.count({ where: { id: 'ci-client' } })).toBe(1);
    expect(await authenticateClient('ci-client', 'a-long-enough-bootstrap-secret')).not.toBeNull();
    expect(await authenticateClient('ci-client', 'wrong')).toBeNull();
    // Created once, and recorded once.
    expect(await prisma().auditEntry.count({ where: { action: 'api-client.created', targetId: 'ci-client' } })).toBe(1);
  });

  it('takes a changed secret for an active bootstrap client', async () => {
    configure('rotated-client', 'the-first-bootstrap-secret');
    await bootstrap();
    configure('rotated-client', 'the-second-bootstrap-secret');
    await bootstrap();
    expect(await authenticateClient('rotated-client', 'the-first-bootstrap-secret')).toBeNull();
    expect(await authenticateClient('rotated-client', 'the-second-bootstrap-secret')).not.toBeNull();
  });

  it('keeps a revoked bootstrap client revoked across restarts, and warns at each start', async () => {
    configure('leaked-client', 'a-bootstrap-secret-that-leaked');
    await bootstrap();
    await revokeApiClient('leaked-client');
    const revoked = await prisma().apiClient.findUniqueOrThrow({
      where: { id: 'leaked-client' },
      omit: { secretHash: false },
    });
    expect(revoked.revokedAt).not.toBeNull();

    const warnings: string[] = [];
    const log = { warn: (line: string) => void warnings.push(line) };
    // A restart with the same variables, and one with a new secret for the same id.
    await bootstrap(log);
    configure('leaked-client', 'a-fresh-secret-for-the-same-id');
    await bootstrap(log);

    const after = await prisma().apiClient.findUniqueOrThrow({
      where: { id: 'leaked-client' },
      omit: { secretHash: false },
    });
    expect(after.revokedAt).toEqual(revoked.revokedAt);
    expect(after.secretHash).toBe(revoked.secretHash);
    expect(await authenticateClient('leaked-client', 'a-bootstrap-secret-that-leaked')).toBeNull();
    expect(await authenticateClient('leaked-client', 'a-fresh-secret-for-the-same-id')).toBeNull();

    const lines = warnings.filter((line) => line.includes('leaked-client'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/bootstrap API client "leaked-client" \(HERALD_BOOTSTRAP_CLIENT_ID\) was revoked/);
    expect(lines[0]).toContain('stays revoked');
    expect(lines[0]).toContain('set HERALD_BOOTSTRAP_CLIENT_ID to an id not used before');

    // Another id bootstraps a working client.
    configure('replacement-client', 'a-secret-for-the-replacement');
    await bootstrap();
    expect(await authenticateClient('replacement-client', 'a-secret-for-the-replacement')).not.toBeNull();
  });
});
