import client from 'prom-client';

/**
 * Herald's Prometheus metrics, on prom-client's global registry. Next bundles and the plain Node
 * entry points may load this module more than once in one process, so each metric is looked up
 * before it is created: every copy increments the same counters.
 */
function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): client.Counter<L> {
  return (
    (client.register.getSingleMetric(name) as client.Counter<L> | undefined) ??
    new client.Counter({ name, help, labelNames })
  );
}

function histogram(name: string, help: string, buckets: number[]): client.Histogram {
  return (
    (client.register.getSingleMetric(name) as client.Histogram | undefined) ??
    new client.Histogram({ name, help, buckets })
  );
}

export const eventsIngested = counter('herald_events_ingested_total', 'Events recorded, by hub.', ['hub']);

export const deliveriesTotal = counter(
  'herald_deliveries_total',
  'Delivery attempts by what they led to (delivered, failed, retrying), and deliveries filtered at ingestion.',
  ['status'],
);

export const attemptDuration = histogram(
  'herald_delivery_attempt_duration_seconds',
  'Time from sending a request to its answer (or timeout, or refusal).',
  [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
);

export const metricsRegistry = client.register;
