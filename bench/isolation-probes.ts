import { Agent, request } from 'undici';
import { percentile } from './percentile';
import { rssMb, workerPid, workerRss } from './process-rss';

/**
 * What runs beside a scenario: `/healthz` asked every 100 ms (each probe on its own schedule, so
 * one that hangs does not delay the next), and the worker's resident memory sampled.
 */

export interface HealthFigures {
  probes: number;
  failed: number;
  p99: number;
  max: number;
}

export function probeHealth(url: string, everyMs = 100): { stop(): Promise<HealthFigures> } {
  // A connection pool of its own, apart from the producers' and the API calls'.
  const agent = new Agent({ connections: 16, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const times: number[] = [];
  const inflight = new Set<Promise<void>>();
  let failed = 0;
  const probe = () => {
    const sentAt = performance.now();
    const done = request(`${url}/healthz`, { dispatcher: agent })
      .then(async (response) => {
        await response.body.dump();
        if (response.statusCode !== 200) failed++;
      })
      .catch(() => {
        failed++;
      })
      .finally(() => {
        times.push(performance.now() - sentAt);
        inflight.delete(done);
      });
    inflight.add(done);
  };
  const timer = setInterval(probe, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inflight);
      await agent.close();
      const sorted = times.sort((a, b) => a - b);
      return { probes: sorted.length, failed, p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN };
    },
  };
}

export interface RssFigures {
  beforeMb: number;
  maxMb: number;
  of: 'worker' | 'process tree';
}

export function sampleWorkerRss(heraldPid: number, everyMs = 200): { stop(): RssFigures } {
  const first = workerRss(heraldPid);
  const figures: RssFigures = { beforeMb: first?.mb ?? Number.NaN, maxMb: first?.mb ?? 0, of: first?.of ?? 'worker' };
  // The worker found once; looked for again only if it went away (start.ts restarts a dead worker).
  let worker = workerPid(heraldPid);
  const timer = setInterval(() => {
    let mb = worker === undefined ? undefined : rssMb(worker);
    if (mb === undefined) {
      worker = workerPid(heraldPid);
      mb = workerRss(heraldPid)?.mb;
    }
    if (mb !== undefined) figures.maxMb = Math.max(figures.maxMb, mb);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return figures;
    },
  };
}
