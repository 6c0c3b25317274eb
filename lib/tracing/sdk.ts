import { type DiagLogger, DiagLogLevel, diag, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { logger } from '../logger';
import { HERALD_VERSION } from '../version';
import type { TracingConfig } from './config';

/**
 * The OpenTelemetry SDK, loaded (by a dynamic import in tracing.ts) only when tracing is on, so a
 * Herald without an OTLP endpoint never loads it. Nothing here is registered globally: Herald
 * passes each span's parent explicitly (lib/tracing/spans.ts), so it needs no context manager and
 * no auto-instrumentation, and leaves the global tracer to whatever else shares the process.
 */
export interface TracingRuntime {
  tracer: Tracer;
  propagator: W3CTraceContextPropagator;
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

function samplerOf(config: TracingConfig): Sampler {
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(config.ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.ratio) });
  }
}

async function exporterOf(config: TracingConfig): Promise<SpanExporter> {
  // Headers, timeout, compression and TLS files come from OTEL_EXPORTER_OTLP_* as the exporter reads them.
  if (config.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter({ url: config.url });
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter({ url: config.url });
}

/** The SDK's own complaints (a collector that cannot be reached, spans dropped) in Herald's log. */
function diagLogger(): DiagLogger {
  const log = logger('tracing');
  const say = (message: string, ...args: unknown[]) =>
    log.warn([message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' '));
  const quiet = () => undefined;
  return { error: say, warn: say, info: quiet, debug: quiet, verbose: quiet };
}

export async function createTracingRuntime(config: TracingConfig): Promise<TracingRuntime> {
  diag.setLogger(diagLogger(), { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: HERALD_VERSION,
    }),
    sampler: samplerOf(config),
    // Batches of up to 512 spans, sent every 5 s or as soon as a batch is full (OTEL_BSP_* change it).
    spanProcessors: [new BatchSpanProcessor(await exporterOf(config))],
  });
  return {
    tracer: provider.getTracer('herald', HERALD_VERSION),
    propagator: new W3CTraceContextPropagator(),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
