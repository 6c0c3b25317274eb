/** What one measured run of `npm run bench` found. */
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

export const fmt = (value: number) => Math.round(value).toLocaleString('en-US');

const mean = (runs: RunFigures[]) => runs.reduce((sum, run) => sum + run.deliveriesPerSecond, 0) / runs.length;
const range = (runs: RunFigures[]) =>
  `${fmt(Math.min(...runs.map((run) => run.deliveriesPerSecond)))}–${fmt(Math.max(...runs.map((run) => run.deliveriesPerSecond)))}`;

export interface BenchFigures {
  ceiling: number;
  single: RunFigures[];
  latest: RunFigures[];
  keyed: RunFigures[];
  batch: RunFigures[];
  inProcess: RunFigures[];
  custom: RunFigures[];
  latency: RunFigures[];
  batchSize: number;
}

/** The summary at the end of a run; runs a BENCH_ONLY run skipped print nothing. */
export function printSummary(figures: BenchFigures): void {
  const { ceiling, single, latest, keyed, batch, inProcess, custom, latency } = figures;
  console.log('\nsummary (deliveries/s end to end, emit → 2xx at the receiver):');
  console.log(`  ceiling (bare undici loop)        ${fmt(ceiling)} POSTs/s`);
  console.log(
    `  HTTP, one event per request       ${fmt(mean(single))} (${range(single)}) = ${((mean(single) / ceiling) * 100).toFixed(0)} % of the ceiling`,
  );
  console.log(
    `  the same, webhooks in latest mode ${fmt(mean(latest))} (${range(latest)}) = ${((mean(latest) / mean(single)) * 100).toFixed(0)} % of every mode (${latest.map((run, index) => `round ${index + 1}: ${fmt(single[index]?.deliveriesPerSecond ?? Number.NaN)} every vs ${fmt(run.deliveriesPerSecond)} latest`).join('; ')})`,
  );
  if (keyed.length > 0) {
    console.log(
      `  HTTP, one event with Idempotency-Key ${fmt(mean(keyed))} (${range(keyed)}) = ${((mean(keyed) / mean(single)) * 100).toFixed(0)} % of one event without`,
    );
  }
  if (batch.length > 0)
    console.log(`  HTTP, events:batch of ${figures.batchSize}         ${fmt(mean(batch))} (${range(batch)})`);
  if (inProcess.length > 0)
    console.log(`  in process (emitEvent)            ${fmt(mean(inProcess))} (${range(inProcess)})`);
  for (const run of custom) console.log(`  HTTP, custom payload (1 KB template) ${fmt(run.deliveriesPerSecond)}`);
  for (const run of latency) {
    console.log(
      `  ${run.label}: p50 ${run.latency.p50} ms, p90 ${run.latency.p90} ms, p99 ${run.latency.p99} ms ` +
        `(emit → 202 p50 ${run.accepted.p50} ms, p99 ${run.accepted.p99} ms)`,
    );
  }
}
