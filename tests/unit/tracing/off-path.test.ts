import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildHeaders } from '../../../lib/delivery/request-headers';
import { startAttemptTrace, startEmitTrace, startRequestTrace } from '../../../lib/tracing/spans';
import { normalizeTraceparent } from '../../../lib/tracing/trace-parent';
import { tracingRuntime } from '../../../lib/tracing/tracing';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const PRODUCER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('W3C traceparent', () => {
  it('accepts version 00 and reads later versions as 00', () => {
    expect(normalizeTraceparent(PRODUCER)).toBe(PRODUCER);
    expect(normalizeTraceparent([PRODUCER, 'ignored'])).toBe(PRODUCER);
    expect(normalizeTraceparent(`cc${PRODUCER.slice(2)}-what-comes-next`)).toBe(PRODUCER);
  });

  it('refuses what the specification says to ignore', () => {
    expect(normalizeTraceparent(undefined)).toBeNull();
    expect(normalizeTraceparent('garbage')).toBeNull();
    expect(normalizeTraceparent(PRODUCER.toUpperCase())).toBeNull();
    expect(normalizeTraceparent(`ff${PRODUCER.slice(2)}`)).toBeNull();
    expect(normalizeTraceparent(`${PRODUCER}-extra`)).toBeNull();
    expect(normalizeTraceparent(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeNull();
    expect(normalizeTraceparent(`00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`)).toBeNull();
  });
});

describe('tracing off', () => {
  it('records nothing and carries only the producer’s own trace context, checked, on to the deliveries', () => {
    expect(tracingRuntime()).toBeNull();
    const request = startRequestTrace('POST', '/v2/content/hubs/h/events', { traceparent: PRODUCER });
    expect(request.parent).toBe(PRODUCER);
    request.route('/v2/content/hubs/:hubId/events');
    request.end(202);
    expect(startEmitTrace('hub', request.parent).traceparent).toBe(PRODUCER);
    expect(startEmitTrace('hub', 'not a traceparent').traceparent).toBeNull();
    expect(startEmitTrace('hub', undefined).traceparent).toBeNull();
    const attempt = startAttemptTrace({
      id: 'd',
      hubId: 'h',
      webhookId: 'w',
      attemptCount: 1,
      event: { id: 'e', name: 'n', traceParent: PRODUCER },
    });
    expect(attempt.traceparent).toBe(PRODUCER);
  });

  it('does not load the OpenTelemetry SDK when no endpoint is set', () => {
    // A process of its own: this one's module cache is shared with other test files.
    const script = `
      const { parseTracingConfig } = await import('./lib/tracing/config.ts');
      const { startTracing } = await import('./lib/tracing/tracing.ts');
      const spans = await import('./lib/tracing/spans.ts');
      await startTracing(parseTracingConfig({}));
      spans.startEmitTrace('hub', undefined).end([]);
      const { createRequire } = await import('node:module');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((file) => file.includes('@opentelemetry'))));`;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' },
      encoding: 'utf8',
    });
    const loaded = JSON.parse(output.trim().split('\n').at(-1) ?? '[]') as string[];
    expect(loaded.some((file) => file.includes('@opentelemetry/api/'))).toBe(true);
    expect(loaded.filter((file) => /@opentelemetry\/(sdk-|exporter-|resources|core)/.test(file))).toEqual([]);
  });
});

describe('the traceparent header', () => {
  const secrets = { current: 's'.repeat(32), previous: null };

  it('goes on the request and into what the activity log shows, and leaves the signatures alone', () => {
    const plain = buildHeaders('msg_1', '{}', [], secrets, 1_700_000_000);
    const traced = buildHeaders('msg_1', '{}', [], secrets, 1_700_000_000, PRODUCER);
    expect(traced.headers.traceparent).toBe(PRODUCER);
    expect(traced.masked.traceparent).toBe(PRODUCER);
    expect(traced.headers['webhook-signature']).toBe(plain.headers['webhook-signature']);
    expect(traced.headers['X-Amplience-Webhook-Signature']).toBe(plain.headers['X-Amplience-Webhook-Signature']);
    expect(plain.headers).not.toHaveProperty('traceparent');
  });

  it('yields to a custom traceparent header the webhook sets itself', () => {
    const custom = [{ key: 'Traceparent', value: 'mine', secret: false }];
    const { headers } = buildHeaders('msg_1', '{}', custom, secrets, 1_700_000_000, PRODUCER);
    expect(headers.Traceparent).toBe('mine');
    expect(headers).not.toHaveProperty('traceparent');
  });
});
