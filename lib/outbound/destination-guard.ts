import dns from 'node:dns';
import net from 'node:net';
import type { PrivateDestinationPolicy } from '../config/env';

/**
 * Refuses connections to addresses inside the operator's network (SSRF). It runs when the socket
 * is about to connect, on the address DNS actually returned, so DNS rebinding cannot slip past a
 * check made earlier on the name.
 */

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

const privateRanges = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 can reach private IPv4
] as const) {
  privateRanges.addSubnet(network, prefix, 'ipv6');
}

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
  readonly code = 'HERALD_DESTINATION_REFUSED';
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it maps. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  return { address, family: net.isIPv6(address) ? 'ipv6' : 'ipv4' };
}

export function isLoopback(address: string): boolean {
  const { address: a, family } = normalise(address);
  return loopback.check(a, family);
}

export function isPrivate(address: string): boolean {
  const { address: a, family } = normalise(address);
  return loopback.check(a, family) || privateRanges.check(a, family);
}

export function refusalReason(address: string, policy: PrivateDestinationPolicy): string | null {
  if (policy === 'all') return null;
  if (policy === 'loopback' && isLoopback(address)) return null;
  if (!isPrivate(address)) return null;
  return `refused to connect to ${address}: private, loopback and link-local destinations are blocked (HERALD_ALLOW_PRIVATE_DESTINATIONS)`;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | dns.LookupAddress[],
  family?: number,
) => void;

/** A `dns.lookup` replacement for net.connect that drops refused addresses. */
export function guardedLookup(policy: PrivateDestinationPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as dns.LookupAddress[];
      const reasons = list.map((entry) => refusalReason(entry.address, policy));
      const allowed = list.filter((_, index) => reasons[index] === null);
      if (allowed.length === 0) {
        return callback(new DestinationRefusedError(reasons[0] ?? `no address for ${hostname}`), []);
      }
      if (options.all) return callback(null, allowed);
      const first = allowed[0] as dns.LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}
