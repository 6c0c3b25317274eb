import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { TracingRuntime } from './sdk';
import { normalizeTraceparent } from './trace-parent';
import { tracingRuntime } from './tracing';

/**
 * Herald's spans, made explicitly where the work happens (no auto-instrumentation): the API
 * request (server), the emit (producer) and each delivery attempt (client). A span's parent is
 * handed over as a W3C `traceparent` string, the same string stored with the event, so an attempt
 * hours later is a child of its emit wherever it runs. With tracing off each helper returns at
 * its first line, and only the producer's own traceparent travels on, checked, to the deliveries.
 */

const noop = () => undefined;

/** The context a W3C traceparent (and tracestate) names, or the root when there is none. */
function contextOf(tracing: TracingRuntime, traceparent: string | undefined | null, tracestate?: string): Context {
  if (!traceparent) return ROOT_CONTEXT;
  return tracing.propagator.extract(ROOT_CONTEXT, { traceparent, tracestate }, defaultTextMapGetter);
}

/** The traceparent a child of `span` continues from. */
function traceparentOf(tracing: TracingRuntime, span: Span): string | null {
  const carrier: Record<string, string> = {};
  tracing.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, defaultTextMapSetter);
  return carrier.traceparent ?? null;
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

export interface RequestTrace {
  /**
   * What the work this request causes continues: its server span with tracing on; with it off, the
   * producer's traceparent as sent (checked where it is stored).
   */
  readonly parent: string | undefined;
  /** Names the server span after the route that matched, e.g. `POST /v2/content/hubs/:hubId/events`. */
  route(pattern: string): void;
  end(status: number): void;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

const firstOf = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** A server span for one API request, continuing the caller's `traceparent`/`tracestate`. */
export function startRequestTrace(method: string, target: string, headers: Headers): RequestTrace {
  const tracing = tracingRuntime();
  if (!tracing) return { parent: firstOf(headers.traceparent), route: noop, end: noop };
  const end = target.indexOf('?');
  const span = tracing.tracer.startSpan(
    method,
    {
      kind: SpanKind.SERVER,
      attributes: { [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: end === -1 ? target : target.slice(0, end) },
    },
    contextOf(tracing, firstOf(headers.traceparent), firstOf(headers.tracestate)),
  );
  return {
    parent: traceparentOf(tracing, span) ?? undefined,
    route(pattern) {
      span.updateName(`${method} ${pattern}`);
      span.setAttribute(ATTR_HTTP_ROUTE, pattern);
    },
    end(status) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // A server span is in error for 5xx only: a 4xx is the client's mistake, answered correctly.
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** What the emit span says of the events it recorded (lib/events' EmittedEvent fits). */
export interface EmittedForTrace {
  id: string;
  sequenceId: number;
  envelope: { name: string };
  deliveries: readonly { status: string }[];
}

export interface EmitTrace {
  /** Stored with each event of the emit: the parent of every delivery attempt of those events. */
  readonly traceparent: string | null;
  end(events: readonly EmittedForTrace[]): void;
  fail(error: unknown): void;
}

/** A producer span for one emit (one event, or one `events:batch`), child of `parent`. */
export function startEmitTrace(hubId: string, parent: string | undefined): EmitTrace {
  const tracing = tracingRuntime();
  if (!tracing) return { traceparent: normalizeTraceparent(parent), end: noop, fail: noop };
  const span = tracing.tracer.startSpan(
    'herald.emit',
    { kind: SpanKind.PRODUCER, attributes: { 'herald.hub.id': hubId } },
    contextOf(tracing, parent),
  );
  return {
    traceparent: traceparentOf(tracing, span),
    end(events) {
      const attributes: Attributes = {
        'herald.event.count': events.length,
        'herald.delivery.queued': events.reduce(
          (sum, event) => sum + event.deliveries.filter((delivery) => delivery.status === 'QUEUED').length,
          0,
        ),
      };
      const [first] = events;
      if (events.length === 1 && first) {
        attributes['herald.event.id'] = first.id;
        attributes['herald.event.name'] = first.envelope.name;
        attributes['herald.event.sequence_id'] = first.sequenceId;
      } else {
        attributes['herald.event.ids'] = events.map((event) => event.id);
      }
      span.setAttributes(attributes);
      span.end();
    },
    fail: (error) => fail(span, error),
  };
}

/** The delivery an attempt is for (lib/outbox's ClaimedDelivery fits). */
export interface AttemptSubject {
  id: string;
  hubId: string;
  webhookId: string;
  attemptCount: number;
  event: { id: string; name: string; traceParent: string | null };
}

/** How an attempt ended: what was sent (nothing when it could not be), and what came back. */
export interface AttemptEnd {
  request: { method: string; url: string } | null;
  responseStatus: number | null;
  outcome: string;
  error: string | null;
}

export interface AttemptTrace {
  /** The `traceparent` header the request carries, or null for none. */
  readonly traceparent: string | null;
  end(attempt: AttemptEnd): void;
  fail(error: unknown): void;
}

/**
 * A client span for one delivery attempt, child of the emit that stored the event's trace context.
 * With tracing off the request carries that stored context as it is: the producer's own.
 */
export function startAttemptTrace(delivery: AttemptSubject): AttemptTrace {
  const tracing = tracingRuntime();
  if (!tracing) return { traceparent: delivery.event.traceParent, end: noop, fail: noop };
  const span = tracing.tracer.startSpan(
    'herald.deliver',
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'herald.webhook.id': delivery.webhookId,
        'herald.hub.id': delivery.hubId,
        'herald.event.id': delivery.event.id,
        'herald.event.name': delivery.event.name,
        'herald.delivery.id': delivery.id,
        'herald.attempt': delivery.attemptCount,
      },
    },
    contextOf(tracing, delivery.event.traceParent),
  );
  return {
    traceparent: traceparentOf(tracing, span),
    end(attempt) {
      if (attempt.request) span.setAttributes(requestAttributes(attempt.request.method, attempt.request.url));
      if (attempt.responseStatus !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, attempt.responseStatus);
      span.setAttribute('herald.delivery.outcome', attempt.outcome);
      if (attempt.outcome !== 'DELIVERED') {
        span.setAttribute(
          ATTR_ERROR_TYPE,
          attempt.responseStatus !== null ? String(attempt.responseStatus) : attempt.request ? '_OTHER' : 'not_sent',
        );
        span.setStatus({ code: SpanStatusCode.ERROR, message: attempt.error ?? undefined });
      }
      span.end();
    },
    fail: (error) => fail(span, error),
  };
}

/** url.full without credentials (a URL may carry user:password), server.address and server.port. */
function requestAttributes(method: string, url: string): Attributes {
  const attributes: Attributes = { [ATTR_HTTP_REQUEST_METHOD]: method };
  if (!URL.canParse(url)) return attributes;
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    parsed.username = 'REDACTED';
    parsed.password = parsed.password ? 'REDACTED' : '';
  }
  attributes[ATTR_URL_FULL] = parsed.toString();
  attributes[ATTR_SERVER_ADDRESS] = parsed.hostname;
  attributes[ATTR_SERVER_PORT] = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  return attributes;
}
