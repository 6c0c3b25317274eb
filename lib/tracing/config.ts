import { z } from 'zod';
import { ConfigError } from '../config/env';

/**
 * OpenTelemetry tracing, configured by the standard OTEL_* variables and nothing else, so a
 * collector, Jaeger or Tempo set up for other services is set up for Herald the same way. Parsed
 * here rather than left to the SDK, which falls back silently on a value it does not know (a
 * misspelt sampler would trace everything): a bad value stops start-up with its name and why.
 */

/** The OTLP transports Herald speaks; gRPC is left out (one more native-ish dependency for no gain over HTTP). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

/** OTEL_TRACES_SAMPLER's values the specification defines, less the Jaeger-remote and X-Ray ones. */
export const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
export type SamplerName = (typeof SAMPLERS)[number];

export interface TracingConfig {
  /** Where spans are POSTed: the full OTLP/HTTP traces URL (…/v1/traces). */
  url: string;
  protocol: OtlpProtocol;
  serviceName: string;
  sampler: SamplerName;
  /** The ratio of the *traceidratio samplers, in [0, 1]. */
  ratio: number;
  /** OTEL_RESOURCE_ATTRIBUTES, decoded; service.name here yields to OTEL_SERVICE_NAME. */
  resourceAttributes: Record<string, string>;
}

const ZHttpUrl = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    message: 'must be an http:// or https:// URL (the collector’s OTLP/HTTP port, usually 4318)',
  });

const ZProtocol = z.enum([...OTLP_PROTOCOLS, 'grpc'], {
  error: `must be ${OTLP_PROTOCOLS.join(' or ')}`,
});

const ZTracingEnv = z.object({
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none'], { error: 'must be otlp or none' }).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: ZHttpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: ZHttpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: ZProtocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: ZProtocol.optional(),
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(256).optional(),
  OTEL_TRACES_SAMPLER: z.enum(SAMPLERS, { error: `must be one of ${SAMPLERS.join(', ')}` }).optional(),
  OTEL_TRACES_SAMPLER_ARG: z.coerce
    .number({ error: 'must be a number between 0 and 1' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .optional(),
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
});

/**
 * The per-signal variable wins; the generic endpoint is a base to which `v1/traces` is appended,
 * as the OTLP exporter specification says (a per-signal endpoint is used exactly as given).
 */
function tracesUrl(base: string | undefined, perSignal: string | undefined): string | undefined {
  if (perSignal) return perSignal;
  if (!base) return undefined;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}

/** `key1=value1,key2=value2`, percent-encoded values; pairs without a key or `=` are skipped. */
export function parseResourceAttributes(text: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const key = pair.slice(0, at).trim();
    const raw = pair.slice(at + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // Not valid percent-encoding: kept as written.
    }
    if (key) attributes[key] = value;
  }
  return attributes;
}

/**
 * The tracing configuration, or null when tracing is off: no OTLP endpoint set, the SDK disabled
 * (OTEL_SDK_DISABLED=true) or the traces exporter set to none. Empty variables count as unset.
 */
export function parseTracingConfig(source: Record<string, string | undefined> = process.env): TracingConfig | null {
  const defined = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key.startsWith('OTEL_') && value !== undefined && value !== ''),
  );
  const result = ZTracingEnv.safeParse(defined);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid tracing environment:\n${lines.join('\n')}`);
  }
  const vars = result.data;
  if (vars.OTEL_SDK_DISABLED === 'true' || vars.OTEL_TRACES_EXPORTER === 'none') return null;
  const url = tracesUrl(vars.OTEL_EXPORTER_OTLP_ENDPOINT, vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (!url) return null;
  const protocol = vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? vars.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  if (protocol === 'grpc') {
    const name = vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
      ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
      : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    throw new ConfigError(
      `Invalid tracing environment:\n  ${name}: grpc is not supported; use http/protobuf or http/json (the collector’s port 4318)`,
    );
  }
  const resourceAttributes = parseResourceAttributes(vars.OTEL_RESOURCE_ATTRIBUTES);
  return {
    url,
    protocol,
    serviceName: vars.OTEL_SERVICE_NAME ?? resourceAttributes['service.name'] ?? 'herald',
    sampler: vars.OTEL_TRACES_SAMPLER ?? 'parentbased_always_on',
    ratio: vars.OTEL_TRACES_SAMPLER_ARG ?? 1,
    resourceAttributes,
  };
}
