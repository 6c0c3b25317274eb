import { describe, expect, it } from 'vitest';
import { isPrivate, refusalReason } from '../../lib/outbound/destination-guard';

describe('destination guard', () => {
  it('classifies loopback, private, link-local and metadata addresses', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
    ]) {
      expect(isPrivate(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '172.32.0.1']) {
      expect(isPrivate(address), address).toBe(false);
    }
  });

  it('applies the policy', () => {
    expect(refusalReason('127.0.0.1', 'none')).toMatch(/^refused to connect to 127.0.0.1/);
    expect(refusalReason('127.0.0.1', 'loopback')).toBeNull();
    expect(refusalReason('10.0.0.1', 'loopback')).not.toBeNull();
    expect(refusalReason('10.0.0.1', 'all')).toBeNull();
    expect(refusalReason('93.184.216.34', 'none')).toBeNull();
  });
});

describe('every IPv6 spelling of private space', () => {
  it('is refused: IPv4-compatible, NAT64, 6to4, Teredo, site-local, mapped in hex, unspecified', () => {
    for (const address of [
      '::',
      '::127.0.0.1',
      '::7f00:1',
      '::ffff:7f00:1',
      '::ffff:a00:1',
      '0:0:0:0:0:ffff:169.254.169.254',
      '64:ff9b::a00:1',
      '64:ff9b::127.0.0.1',
      '64:ff9b:1::1',
      '2002:7f00:1::1',
      '2002:a00:1::',
      '2001:0:4136:e378::1',
      '2001:db8::1',
      'fec0::1',
      'fc00::1',
      'fe80::1%eth0',
      'ff02::1',
      '100::1',
      '::2',
    ]) {
      expect(isPrivate(address), address).toBe(true);
    }
    for (const address of ['2a00:1450:4001:80b::200e', '2606:4700::6810:85e5']) {
      expect(isPrivate(address), address).toBe(false);
    }
  });

  it('lets the loopback policy through only loopback, however it is written', () => {
    for (const address of ['::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '127.8.9.10']) {
      expect(refusalReason(address, 'loopback'), address).toBeNull();
    }
    for (const address of ['::ffff:a00:1', '::7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::1']) {
      expect(refusalReason(address, 'loopback'), address).not.toBeNull();
    }
  });
});
