import { describeTracing, type TracingComparison } from './tracing-cost';

/** One measured run of `npm run bench` (bench/run.ts): end to end, counted at the receiver. */
export interface RunFigures {
  label: string;
  deliveriesPerSecond: number;
  eventsPerSecond: number;
  missing: number;
  duplicates: number;
  refused: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  /** Emit → 202: the producer's wait, a durable commit included. */
  accepted: { p50: number; p99: number };
}

export interface BenchRuns {
  ceiling: number;
  single: RunFigures[];
  /** The same load as `single`, its webhooks in latest mode, round by round beside it. */
  latest: RunFigures[];
  keyed: RunFigures[];
  batch: RunFigures[];
  batchSize: number;
  inProcess: RunFigures[];
  custom: RunFigures;
  latency: RunFigures[];
}

export const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

const mean = (runs: RunFigures[]) => runs.reduce((sum, run) => sum + run.deliveriesPerSecond, 0) / runs.length;
const range = (runs: RunFigures[]) =>
  `${fmt(Math.min(...runs.map((run) => run.deliveriesPerSecond)))}–${fmt(Math.max(...runs.map((run) => run.deliveriesPerSecond)))}`;

/** The summary's lines for the runs made (BENCH_TRACING=only makes none but the tracing comparison). */
export function summaryLines(runs: BenchRuns | null, tracing: TracingComparison | null, webhooks: number): string[] {
  const lines = ['\nsummary (deliveries/s end to end, emit → 2xx at the receiver):'];
  if (runs) {
    const { ceiling, single, latest, keyed, batch, inProcess, custom } = runs;
    lines.push(
      `  ceiling (bare undici loop)        ${fmt(ceiling)} POSTs/s`,
      `  HTTP, one event per request       ${fmt(mean(single))} (${range(single)}) = ${((mean(single) / ceiling) * 100).toFixed(0)} % of the ceiling`,
      `  the same, webhooks in latest mode ${fmt(mean(latest))} (${range(latest)}) = ${((mean(latest) / mean(single)) * 100).toFixed(0)} % of every mode (${latest.map((run, index) => `round ${index + 1}: ${fmt(single[index]?.deliveriesPerSecond ?? Number.NaN)} every vs ${fmt(run.deliveriesPerSecond)} latest`).join('; ')})`,
      `  HTTP, one event with Idempotency-Key ${fmt(mean(keyed))} (${range(keyed)}) = ${((mean(keyed) / mean(single)) * 100).toFixed(0)} % of one event without`,
      `  HTTP, events:batch of ${runs.batchSize}         ${fmt(mean(batch))} (${range(batch)})`,
      `  in process (emitEvent)            ${fmt(mean(inProcess))} (${range(inProcess)})`,
      `  HTTP, custom payload (1 KB template) ${fmt(custom.deliveriesPerSecond)}`,
    );
    for (const run of runs.latency) {
      lines.push(
        `  ${run.label}: p50 ${run.latency.p50} ms, p90 ${run.latency.p90} ms, p99 ${run.latency.p99} ms ` +
          `(emit → 202 p50 ${run.accepted.p50} ms, p99 ${run.accepted.p99} ms)`,
      );
    }
  }
  if (tracing) lines.push(...describeTracing(tracing, webhooks));
  return lines;
}
