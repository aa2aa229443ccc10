/**
 * Prometheus metrics of one worker process. The worker service reports into these; /metrics exposes them.
 * Each process has its own registry so tests and the benchmark can run several services side by side.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface WorkerMetrics {
  registry: Registry;
  jobsFinished: Counter<'kind' | 'outcome'>;
  jobDuration: Histogram<'kind'>;
  jobsClaimed: Counter;
  jobsRequeued: Counter;
  jobsInFlight: Gauge;
}

export function createWorkerMetrics(options: { processMetrics?: boolean } = {}): WorkerMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'rc_' });
  return {
    registry,
    jobsFinished: new Counter({
      name: 'rc_jobs_finished_total',
      help: 'Job attempts finished by this worker, by kind and outcome (succeeded, failed, retrying, skipped).',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'rc_job_duration_seconds',
      help: 'Time from start of an attempt to its recorded outcome.',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    jobsClaimed: new Counter({
      name: 'rc_jobs_claimed_total',
      help: 'Rows this dispatcher claimed from SQL and handed to the queue.',
      registers: [registry],
    }),
    jobsRequeued: new Counter({
      name: 'rc_jobs_requeued_total',
      help: 'Orphaned claims the reconciler returned to Pending.',
      registers: [registry],
    }),
    jobsInFlight: new Gauge({
      name: 'rc_jobs_in_flight',
      help: 'Jobs this worker is processing right now.',
      registers: [registry],
    }),
  };
}
