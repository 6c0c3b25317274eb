import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, parseDatabaseUrl } from '../../../lib/config/database-url';
import { ConfigError, parseEnv } from '../../../lib/config/env';
import { DatabaseUnavailableError, isDatabaseUnavailable } from '../../../lib/db/unavailable';

describe('parseDatabaseUrl', () => {
  it('splits a multi-host URL into one single-host URL per host, other parameters kept', () => {
    const target = parseDatabaseUrl(
      'postgresql://herald:s3cret@h1:5432,h2:5433/herald?target_session_attrs=read-write&sslmode=require&application_name=web',
    );
    expect(target.targetSessionAttrs).toBe('read-write');
    expect(target.hosts.map(({ host, port, label }) => ({ host, port, label }))).toEqual([
      { host: 'h1', port: 5432, label: 'h1:5432' },
      { host: 'h2', port: 5433, label: 'h2:5433' },
    ]);
    expect(target.hosts[1]?.url).toBe('postgresql://herald:s3cret@h2:5433/herald?sslmode=require&application_name=web');
    expect(target.redacted).toBe(
      'postgresql://herald:***@h1:5432,h2:5433/herald?target_session_attrs=read-write&sslmode=require&application_name=web',
    );
  });

  it('takes a single host as before, with libpq defaults: port 5432, target_session_attrs=any', () => {
    const target = parseDatabaseUrl('postgres://postgres@127.0.0.1/postgres');
    expect(target.targetSessionAttrs).toBe('any');
    expect(target.hosts).toEqual([
      { host: '127.0.0.1', port: 5432, label: '127.0.0.1:5432', url: 'postgres://postgres@127.0.0.1:5432/postgres' },
    ]);
    expect(target.connectTimeoutMs).toBeNull();
  });

  it('reads bracketed IPv6 hosts and connect_timeout', () => {
    const target = parseDatabaseUrl(
      'postgresql://u@[::1]:5433,[fe80::1]/db?target_session_attrs=primary&connect_timeout=3',
    );
    expect(target.hosts.map((host) => [host.host, host.port, host.label])).toEqual([
      ['::1', 5433, '[::1]:5433'],
      ['fe80::1', 5432, '[fe80::1]:5432'],
    ]);
    expect(target.targetSessionAttrs).toBe('primary');
    expect(target.connectTimeoutMs).toBe(3000);
  });

  it.each([
    ['mysql://h1/db', /must be postgresql:\/\//],
    ['postgresql://u@h1:5432,,h2/db', /empty host/],
    ['postgresql://u@h1:99999,h2/db', /host 1 \(h1:99999\): the port must be a number from 1 to 65535/],
    ['postgresql://u@h1,h2:abc/db', /host 2 \(h2:abc\): the port/],
    ['postgresql://u@::1:5432/db', /IPv6 address in brackets/],
    ['postgresql://u@h1,h2/db?target_session_attrs=read-only', /cannot serve Herald, which writes/],
    [
      'postgresql://u@h1,h2/db?target_session_attrs=writable',
      /must be one of any, read-write, primary \(got "writable"\)/,
    ],
    ['postgresql://u@h1/db?host=a,b', /not in \?host= or \?port=/],
    ['postgresql://u@h1/db?connect_timeout=soon', /connect_timeout must be whole seconds/],
  ])('refuses %s with the reason', (url, reason) => {
    expect(() => parseDatabaseUrl(url)).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl(url)).toThrow(reason);
  });

  it('is what the env schema checks DATABASE_URL with', () => {
    const url = 'postgresql://postgres@h1:5432,h2:5432/herald?target_session_attrs=read-write';
    expect(parseEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://u@h1:0,h2/db' })).toThrow(ConfigError);
    expect(() => parseEnv({ DATABASE_URL: 'postgresql://u@h1:0,h2/db' })).toThrow(/DATABASE_URL: host 1 \(h1:0\)/);
  });
});

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'boom') => Object.assign(new Error(message), { code });

  it('recognises failover errors from pg, sockets and the Prisma adapter', () => {
    for (const code of ['57P01', '57P02', '57P03', '25006', '08006', '08001', '53300', 'ECONNREFUSED', 'ECONNRESET']) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(new DatabaseUnavailableError('no host'))).toBe(true);
    // Prisma wraps the adapter's error: the SQLSTATE sits a few levels down.
    const wrapped = Object.assign(new Error('Invalid invocation'), {
      code: 'P2010',
      meta: { driverAdapterError: Object.assign(new Error('x'), { cause: { kind: 'postgres', code: '25006' } }) },
    });
    expect(isDatabaseUnavailable(wrapped)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { cause: { kind: 'ConnectionClosed' } }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
  });

  it('leaves errors of the query itself alone', () => {
    expect(isDatabaseUnavailable(withCode('23505', 'duplicate key'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('22P02'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('webhook not found'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
