import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { percentile } from './percentile';

export interface DiskProbe {
  p50: number;
  p99: number;
  max: number;
  /** fdatasync calls that took over 100 ms. */
  stalls: number;
}

/**
 * How long the disk under `directory` takes to make an 8 KB write durable, as PostgreSQL's commit
 * does (its WAL flush), for `seconds`. Every durable emit waits for one such flush, so a disk that
 * now and then takes half a second to answer sets the tail of every latency figure here.
 */
export function probeDisk(directory: string, seconds: number): DiskProbe {
  const file = path.join(directory, `fsync-probe-${process.pid}`);
  const fd = openSync(file, 'w');
  const buffer = Buffer.alloc(8192, 1);
  const durations: number[] = [];
  const end = performance.now() + seconds * 1000;
  try {
    while (performance.now() < end) {
      const started = performance.now();
      writeSync(fd, buffer);
      fdatasyncSync(fd);
      durations.push(performance.now() - started);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  durations.sort((a, b) => a - b);
  return {
    p50: percentile(durations, 0.5),
    p99: percentile(durations, 0.99),
    max: durations.at(-1) ?? Number.NaN,
    stalls: durations.filter((duration) => duration > 100).length,
  };
}

export function describeDisk(probe: DiskProbe, seconds: number): string {
  return (
    `disk (8 KB write + fdatasync, ${seconds} s, idle): p50 ${probe.p50.toFixed(2)} ms, p99 ${probe.p99.toFixed(2)} ms, ` +
    `max ${probe.max.toFixed(0)} ms, ${probe.stalls} stalls over 100 ms`
  );
}
