import { type OtlpSink, startOtlpSink } from './otlp-sink';
import { cpuSeconds, processTree } from './process-rss';

/**
 * What OpenTelemetry tracing costs Herald: the same closed loop of single events, every request
 * with a producer's sampled traceparent, on Herald restarted without tracing and with it (OTLP
 * http/protobuf to a sink on 127.0.0.1 that counts and discards), alternately, round after round,
 * so the machine's drift over the run falls on both sides. With the default sampler
 * (parentbased_always_on) every one of them is a recorded trace: the server span, the emit, and
 * one client span per delivery. Beside throughput it reads the CPU time Herald's processes (the
 * start process, the web server, the worker; not PostgreSQL) spent per delivery, which a machine
 * shared with other work disturbs far less than deliveries per second.
 */
export interface TracedFigures {
  deliveriesPerSecond: number;
  latency: { p50: number; p99: number };
}

interface Measured extends TracedFigures {
  /** Herald's CPU (user + system) per delivery, in ms. */
  cpuMsPerDelivery: number;
}

export interface TracingBench {
  rounds: number;
  /** Stops the running Herald and starts it again (as npm start does) with these variables on top. */
  restart(env: Record<string, string>): Promise<void>;
  /** A short closed loop, not counted: the first requests of a fresh process are slow. */
  warmUp(): Promise<unknown>;
  /** The measured closed loop of single events, each sent with a traceparent. */
  run(label: string): Promise<TracedFigures>;
  /** How many deliveries one run makes. */
  deliveriesPerRun: number;
  /** The running Herald's start process. */
  pid(): number;
}

export interface TracingComparison {
  off: Measured[];
  on: Measured[];
  exported: ReturnType<OtlpSink['counts']>;
}

/** No endpoint: tracing off, whatever the shell running the bench has set. */
export const TRACING_OFF: Record<string, string> = {
  OTEL_EXPORTER_OTLP_ENDPOINT: '',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
};

export async function compareTracing(bench: TracingBench): Promise<TracingComparison> {
  const sink = await startOtlpSink();
  const tracingOn = {
    ...TRACING_OFF,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  };
  const off: Measured[] = [];
  const on: Measured[] = [];
  try {
    for (let round = 1; round <= bench.rounds; round++) {
      for (const traced of [false, true]) {
        await bench.restart(traced ? tracingOn : TRACING_OFF);
        await bench.warmUp();
        const label = `round ${round}, HTTP single with traceparent, tracing ${traced ? 'on' : 'off'}`;
        const pids = processTree(bench.pid());
        const cpuBefore = cpuSeconds(pids);
        const figures = await bench.run(label);
        const cpuMsPerDelivery = ((cpuSeconds(pids) - cpuBefore) * 1000) / bench.deliveriesPerRun;
        console.log(`  Herald's CPU: ${cpuMsPerDelivery.toFixed(3)} ms per delivery`);
        (traced ? on : off).push({ ...figures, cpuMsPerDelivery });
      }
    }
    // Back to how the bench started: the restart flushes the traced process's last spans.
    await bench.restart(TRACING_OFF);
    return { off, on, exported: sink.counts() };
  } finally {
    await sink.close();
  }
}

const fmt = (value: number) => Math.round(value).toLocaleString('en-US');
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The summary's lines: deliveries/s off and on side by side, the cost, and what was exported. */
export function describeTracing({ off, on, exported }: TracingComparison, webhooks: number): string[] {
  const offMean = mean(off.map((run) => run.deliveriesPerSecond));
  const onMean = mean(on.map((run) => run.deliveriesPerSecond));
  const each = (runs: Measured[]) => runs.map((run) => fmt(run.deliveriesPerSecond)).join(', ');
  const p = (runs: Measured[], key: 'p50' | 'p99') => fmt(mean(runs.map((run) => run.latency[key])));
  const cpu = (runs: Measured[]) => mean(runs.map((run) => run.cpuMsPerDelivery));
  const line = (runs: Measured[]) =>
    `deliveries/s (${each(runs)}), emit → receipt p50 ${p(runs, 'p50')} ms, p99 ${p(runs, 'p99')} ms, ` +
    `Herald CPU ${cpu(runs).toFixed(3)} ms per delivery`;
  return [
    `  tracing off vs on (HTTP single, traceparent on every request; ${off.length} rounds each, alternating):`,
    `    off ${fmt(offMean)} ${line(off)}`,
    `    on  ${fmt(onMean)} ${line(on)}`,
    `    cost of tracing: ${(((offMean - onMean) / offMean) * 100).toFixed(1)} % of deliveries/s, ` +
      `${(((cpu(on) - cpu(off)) / cpu(off)) * 100).toFixed(1)} % more CPU per delivery; ` +
      `${fmt(exported.spans)} spans in ${fmt(exported.exports)} OTLP exports (${fmt(exported.bytes / 1024)} KB), ` +
      `${2 + webhooks} expected per event`,
  ];
}
