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

  it('bounds the web server’s timeouts and connections, headers within the request', () => {
    expect(parseEnv({})).toMatchObject({
      HERALD_HTTP_HEADERS_TIMEOUT: 20_000,
      HERALD_HTTP_REQUEST_TIMEOUT: 25_000,
      HERALD_HTTP_KEEP_ALIVE_TIMEOUT: 5000,
      HERALD_MAX_CONNECTIONS: 1000,
    });
    expect(parseEnv({ HERALD_HTTP_REQUEST_TIMEOUT: '2s', HERALD_HTTP_HEADERS_TIMEOUT: '1s' })).toMatchObject({
      HERALD_HTTP_REQUEST_TIMEOUT: 2000,
      HERALD_HTTP_HEADERS_TIMEOUT: 1000,
    });
    expect(() => parseEnv({ HERALD_HTTP_HEADERS_TIMEOUT: '40s' })).toThrow(
      'HERALD_HTTP_HEADERS_TIMEOUT: must not be longer than HERALD_HTTP_REQUEST_TIMEOUT (25000 ms)',
    );
    expect(() => parseEnv({ HERALD_HTTP_REQUEST_TIMEOUT: '1h' })).toThrow(
      'HERALD_HTTP_REQUEST_TIMEOUT: must be at most 10m',
    );
    expect(() => parseEnv({ HERALD_MAX_CONNECTIONS: '0' })).toThrow('HERALD_MAX_CONNECTIONS');
  });
});
