import { describe, expect, it } from 'vitest';
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressFrom,
  resolveClientAddress,
  stampClientAddress,
} from '../../../lib/auth/client-address';

const asHeaders = (record: Record<string, string | string[] | undefined>) => ({
  get: (name: string) => {
    const value = record[name];
    return typeof value === 'string' ? value : null;
  },
});

describe('client address', () => {
  it('trusts nothing a client sends before Herald’s web server has stamped the request', () => {
    expect(clientAddressFrom(asHeaders({ [CLIENT_ADDRESS_HEADER]: '1.2.3.4' }))).toBe('unknown');
  });

  it('ignores X-Forwarded-For unless a proxy is trusted', () => {
    expect(resolveClientAddress('203.0.113.5', '1.2.3.4', false)).toBe('203.0.113.5');
    expect(resolveClientAddress('::ffff:203.0.113.5', undefined, false)).toBe('203.0.113.5');
    expect(resolveClientAddress(undefined, '1.2.3.4', false)).toBe('unknown');
  });

  it('with a trusted proxy, takes the entry the proxy added (the last), not what the client claimed', () => {
    expect(resolveClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.4', true)).toBe('198.51.100.4');
    expect(resolveClientAddress('10.0.0.2', ['6.6.6.6', '198.51.100.4'], true)).toBe('198.51.100.4');
    expect(resolveClientAddress('10.0.0.2', '[2001:db8::1]', true)).toBe('2001:db8::1');
    expect(resolveClientAddress('10.0.0.2', 'not an address', true)).toBe('10.0.0.2');
  });

  it('replaces whatever address headers the client sent', () => {
    const request = {
      headers: {
        'x-forwarded-for': '1.2.3.4',
        'x-real-ip': '1.2.3.4',
        forwarded: 'for=1.2.3.4',
        // Next.js builds server-action origin checks and redirects from these: the client's to forge.
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-port': '443',
        [CLIENT_ADDRESS_HEADER]: '1.2.3.4',
      } as Record<string, string | string[] | undefined>,
      socket: { remoteAddress: '::ffff:127.0.0.1' },
    };
    stampClientAddress(request, false);
    expect(request.headers).toEqual({ [CLIENT_ADDRESS_HEADER]: '127.0.0.1' });
    expect(clientAddressFrom(asHeaders(request.headers))).toBe('127.0.0.1');

    const proxied = {
      headers: { 'x-forwarded-for': '1.2.3.4, 198.51.100.4' } as Record<string, string | string[] | undefined>,
      socket: { remoteAddress: '10.0.0.2' },
    };
    stampClientAddress(proxied, true);
    expect(clientAddressFrom(asHeaders(proxied.headers))).toBe('198.51.100.4');
  });
});
