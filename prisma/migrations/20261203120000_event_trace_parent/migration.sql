-- OpenTelemetry: the W3C traceparent of the emit that recorded the event (its span with tracing on,
-- else the producer's own, when it sent one). Every delivery attempt of the event continues it, so
-- a retry hours later still joins the trace. Nullable and without a default: no partition is
-- rewritten, and an event emitted without a trace stores nothing.
ALTER TABLE "events" ADD COLUMN "trace_parent" VARCHAR(55);
