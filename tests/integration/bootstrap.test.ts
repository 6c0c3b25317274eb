import { afterAll, describe, expect, it } from 'vitest';
import { authenticateClient } from '../../lib/auth/api-clients';
import { bootstrap } from '../../lib/bootstrap';
import { resetEnvCache } from '../../lib/config/env';
import { prisma } from '../../lib/db/client';

afterAll(() => {
  delete process.env.HERALD_BOOTSTRAP_CLIENT_ID;
  delete process.env.HERALD_BOOTSTRAP_CLIENT_SECRET;
  resetEnvCache();
});

describe('bootstrap', () => {
  it('creates the default hub and the bootstrap client once, however often it runs', async () => {
    process.env.HERALD_BOOTSTRAP_CLIENT_ID = 'ci-client';
    process.env.HERALD_BOOTSTRAP_CLIENT_SECRET = 'a-long-enough-bootstrap-secret';
    resetEnvCache();

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
  });
});
