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
