import { createHash, randomBytes } from 'node:crypto';

let lastMs = 0;
let sequence = 0;

/**
 * UUID version 7 (RFC 9562): a millisecond timestamp, then a 12-bit counter, then random bits.
 * Ids created later sort later (within a process, even in the same millisecond), which gives the
 * activity log a stable newest-first order and keeps index inserts local.
 */
export function uuid7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = randomBytes(2).readUInt16BE() & 0x1ff;
  } else {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  }
  const bytes = randomBytes(16);
  bytes[6] = (sequence >>> 8) & 0x0f;
  bytes[7] = sequence & 0xff;
  return formatUuid7(bytes, lastMs);
}

/** Writes the timestamp, version and variant over 16 bytes and spells them as a UUID. */
function formatUuid7(bytes: Buffer, ms: number): string {
  bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
  bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
  bytes[2] = (ms >>> 24) & 0xff;
  bytes[3] = (ms >>> 16) & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((bytes[6] as number) & 0x0f);
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID version 7 that is the same for the same time and name: the timestamp of `ms`, the rest
 * from a hash of `name`. For a row that many writers must find without asking one another (an
 * audit summary that several concurrent requests count into); it sorts among uuid7() ids by `ms`.
 */
export function uuid7For(ms: number, name: string): string {
  return formatUuid7(createHash('sha256').update(name, 'utf8').digest().subarray(0, 16), ms);
}
