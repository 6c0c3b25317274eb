import dns from 'node:dns';
import net from 'node:net';
import type { PrivateDestinationPolicy } from '../config/env';

/**
 * Refuses connections to addresses inside the operator's network (SSRF). It runs when the socket
 * is about to connect, on the address DNS actually returned, so DNS rebinding cannot slip past a
 * check made earlier on the name.
 */

const privateIPv4 = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  privateIPv4.addSubnet(network, prefix, 'ipv4');
}

/**
 * IPv6 is judged by what is allowed, not by a list of what is not: only global unicast
 * (2000::/3) is public, minus the ranges inside it that tunnel to IPv4 or are not routed. That
 * refuses every other spelling of private space (::/96, ::ffff:0:0/96 in hex, 64:ff9b::/96,
 * 64:ff9b:1::/48, fc00::/7, fec0::/10, fe80::/10, ff00::/8, 100::/64 …) without naming each.
 */
const nonPublicGlobalIPv6 = new net.BlockList();
for (const [network, prefix] of [
  ['2001::', 32], // Teredo: reaches IPv4 hosts
  ['2001:2::', 48], // benchmarking
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: reaches IPv4 hosts
  ['3fff::', 20], // documentation
] as const) {
  nonPublicGlobalIPv6.addSubnet(network, prefix, 'ipv6');
}
const globalUnicastIPv6 = new net.BlockList();
globalUnicastIPv6.addSubnet('2000::', 3, 'ipv6');

/** The 16 bytes of an IPv6 address in any textual form (`::`, embedded dotted quad), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const parts = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((parts[0] ?? 0) * 256 + (parts[1] ?? 0)).toString(16)}:${((parts[2] ?? 0) * 256 + (parts[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return null;
  const hextets = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return hextets.flatMap((hextet) => {
    const value = Number.parseInt(hextet, 16);
    return [value >> 8, value & 0xff];
  });
}

type Judged = { kind: 'loopback' | 'private' | 'public'; address: string };

function judge(address: string): Judged {
  if (net.isIPv4(address)) {
    if (address.startsWith('127.')) return { kind: 'loopback', address };
    return { kind: privateIPv4.check(address, 'ipv4') ? 'private' : 'public', address };
  }
  const bytes = ipv6Bytes(address);
  if (!net.isIPv6(address) || !bytes) return { kind: 'private', address };
  // IPv4-mapped (::ffff:a.b.c.d, also written ::ffff:7f00:1) is the IPv4 address it maps.
  if (bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return judge(bytes.slice(12).join('.'));
  }
  if (bytes.slice(0, 15).every((byte) => byte === 0) && bytes[15] === 1) return { kind: 'loopback', address };
  const isPublic = globalUnicastIPv6.check(address, 'ipv6') && !nonPublicGlobalIPv6.check(address, 'ipv6');
  return { kind: isPublic ? 'public' : 'private', address };
}

export class DestinationRefusedError extends Error {
  override name = 'DestinationRefusedError';
  readonly code = 'HERALD_DESTINATION_REFUSED';
}

export function isLoopback(address: string): boolean {
  return judge(address).kind === 'loopback';
}

export function isPrivate(address: string): boolean {
  return judge(address).kind !== 'public';
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
