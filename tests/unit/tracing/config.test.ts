import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/env';
import { parseResourceAttributes, parseTracingConfig } from '../../../lib/tracing/config';

describe('tracing configuration (OTEL_*)', () => {
  it('is off without an OTLP endpoint, and with empty variables', () => {
    expect(parseTracingConfig({})).toBeNull();
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'x' })).toBeNull();
  });

  it('is off when the SDK is disabled or the traces exporter is none, whatever the endpoint', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(parseTracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBeNull();
    expect(parseTracingConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBeNull();
    expect(parseTracingConfig({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).not.toBeNull();
  });

  it('appends v1/traces to the generic endpoint, and takes the traces endpoint as it is', () => {
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })?.url).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example/base/' })?.url).toBe(
      'https://otel.example/base/v1/traces',
    );
    expect(
      parseTracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/custom/path',
      })?.url,
    ).toBe('http://tempo:4318/custom/path');
  });

  it('defaults to http/protobuf, parent-based always-on sampling and the service name herald', () => {
    expect(parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toEqual({
      url: 'http://127.0.0.1:4318/v1/traces',
      protocol: 'http/protobuf',
      serviceName: 'herald',
      sampler: 'parentbased_always_on',
      ratio: 1,
      resourceAttributes: {},
    });
  });

  it('reads the protocol, the per-signal one first', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(parseTracingConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol).toBe('http/json');
    expect(
      parseTracingConfig({
        ...endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
      })?.protocol,
    ).toBe('http/protobuf');
  });

  it('refuses grpc, naming the variable and what to use instead', () => {
    expect(() =>
      parseTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
    ).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL: grpc is not supported; use http\/protobuf or http\/json/);
  });

  it('reads every standard sampler and its ratio', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    for (const sampler of [
      'always_on',
      'always_off',
      'traceidratio',
      'parentbased_always_on',
      'parentbased_always_off',
      'parentbased_traceidratio',
    ]) {
      expect(parseTracingConfig({ ...endpoint, OTEL_TRACES_SAMPLER: sampler })?.sampler).toBe(sampler);
    }
    const ratio = parseTracingConfig({
      ...endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(ratio?.ratio).toBe(0.25);
  });

  it('names each bad variable and why, where the SDK would fall back silently', () => {
    let error: unknown;
    try {
      parseTracingConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http:// or https:// URL');
    expect(message).toContain('OTEL_TRACES_SAMPLER: must be one of always_on, always_off, traceidratio');
    expect(message).toContain('OTEL_TRACES_SAMPLER_ARG: must be between 0 and 1');
    expect(message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL: must be http/protobuf or http/json');
  });

  it('takes the service name from OTEL_SERVICE_NAME before OTEL_RESOURCE_ATTRIBUTES', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    const fromAttributes = parseTracingConfig({
      ...endpoint,
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=herald-eu,deployment.environment=prod',
    });
    expect(fromAttributes?.serviceName).toBe('herald-eu');
    expect(fromAttributes?.resourceAttributes['deployment.environment']).toBe('prod');
    expect(
      parseTracingConfig({ ...endpoint, OTEL_RESOURCE_ATTRIBUTES: 'service.name=a', OTEL_SERVICE_NAME: 'herald-web' })
        ?.serviceName,
    ).toBe('herald-web');
  });

  it('decodes percent-encoded resource attribute values and skips pairs without a key', () => {
    expect(parseResourceAttributes('team=web%20platform,=x,novalue,region = eu-west-1 ')).toEqual({
      team: 'web platform',
      region: 'eu-west-1',
    });
  });
});
