// Prometheus metrics served at /metrics.
import client from 'prom-client';

export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpDurationSeconds = new client.Histogram({
  name: 'shelfwise_http_request_duration_seconds',
  help: 'HTTP request latency by route and status',
  labelNames: ['route', 'method', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const graphqlDurationSeconds = new client.Histogram({
  name: 'shelfwise_graphql_operation_duration_seconds',
  help: 'GraphQL operation latency by operation type and outcome',
  labelNames: ['operation', 'outcome'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const jobDurationSeconds = new client.Histogram({
  name: 'shelfwise_job_duration_seconds',
  help: 'Job run time by kind and outcome',
  labelNames: ['kind', 'outcome'],
  buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  registers: [registry],
});

/** Wires the queue-depth gauge to a source read at scrape time. */
export function collectQueueDepths(read: () => Promise<Record<string, Record<string, number>>>) {
  registry.removeSingleMetric('shelfwise_queue_jobs');
  return new client.Gauge({
    name: 'shelfwise_queue_jobs', help: 'Jobs in each queue by state', labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const depths = await read().catch(() => ({} as Record<string, Record<string, number>>));
      this.reset();
      for (const [queue, states] of Object.entries(depths)) {
        for (const [state, n] of Object.entries(states)) this.set({ queue, state }, n);
      }
    },
  });
}
