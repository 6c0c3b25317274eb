import { describe, expect, it } from 'vitest';
import { ConfigError, parseEnv } from '../../lib/config/env';

describe('environment', () => {
  it('has working defaults', () => {
    const config = parseEnv({});
    expect(config.PORT).toBe(3000);
    expect(config.HERALD_RETRY_SCHEDULE).toEqual([
      0, 5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
    ]);
    expect(config.HERALD_DELIVERY_TIMEOUT_MS).toBe(10_000);
    expect(config.HERALD_ALLOW_PRIVATE_DESTINATIONS).toBe('none');
    expect(config.HERALD_SECRET_GRACE_PERIOD).toBe(86_400_000);
  });

  it('reads the documented settings', () => {
    const config = parseEnv({
      HERALD_RETRY_SCHEDULE: '0,30s,2m,10m',
      HERALD_ALLOW_PRIVATE_DESTINATIONS: 'true',
      HERALD_DELIVERY_TIMEOUT_MS: '2500',
      PORT: '8080',
    });
    expect(config.HERALD_RETRY_SCHEDULE).toEqual([0, 30_000, 120_000, 600_000]);
    expect(config.HERALD_ALLOW_PRIVATE_DESTINATIONS).toBe('all');
    expect(config.HERALD_DELIVERY_TIMEOUT_MS).toBe(2500);
    expect(config.PORT).toBe(8080);
  });

  it('names each bad variable and why', () => {
    expect(() => parseEnv({ HERALD_RETRY_SCHEDULE: '0,later', PORT: 'eighty' })).toThrow(ConfigError);
    try {
      parseEnv({ HERALD_RETRY_SCHEDULE: '0,later', PORT: 'eighty' });
    } catch (error) {
      expect((error as Error).message).toContain('HERALD_RETRY_SCHEDULE: "later" is not a duration');
      expect((error as Error).message).toContain('PORT:');
    }
  });
});
