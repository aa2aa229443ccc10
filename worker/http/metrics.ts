/**
 * Prometheus metrics of one worker process, read from the worker service's own counters at scrape time (so the
 * job machinery does not depend on a metrics library). Each process gets its own registry, so tests and the
 * benchmark can run several services side by side.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { DispatcherStats } from '../queue/dispatcher';
import type { ProcessorStats } from '../queue/job-processor';
import type { ReconcilerStats } from '../queue/reconciler';

/** The totals the metrics expose; WorkerService.stats() provides them. */
export interface MetricsSource {
  jobs: ProcessorStats;
  dispatcher: Pick<DispatcherStats, 'dispatched' | 'errors'>;
  reconciler: Pick<ReconcilerStats, 'requeued' | 'extended' | 'errors'>;
}

/** A counter whose value is copied from a running total at every scrape. */
function totalCounter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
  read: (set: (labels: Record<L, string>, value: number) => void) => void,
): void {
  new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      read((labels, value) => this.inc(labels as never, value));
    },
  });
}

export function createWorkerMetrics(
  source: () => MetricsSource,
  options: { processMetrics?: boolean } = {},
): Registry {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'rc_' });
  totalCounter(
    registry,
    'rc_job_attempts_total',
    'Job attempts by outcome since this worker started.',
    ['outcome'],
    (set) => {
      const j = source().jobs;
      set({ outcome: 'succeeded' }, j.succeeded);
      set({ outcome: 'failed' }, j.failed);
      set({ outcome: 'retrying' }, j.retried);
      set({ outcome: 'dropped' }, j.dropped);
      set({ outcome: 'deferred' }, j.deferred);
    },
  );
  totalCounter(
    registry,
    'rc_jobs_dispatched_total',
    'Rows claimed from SQL and handed to the queue.',
    [],
    (set) => set({}, source().dispatcher.dispatched),
  );
  totalCounter(
    registry,
    'rc_jobs_requeued_total',
    'Orphaned claims the reconciler returned to Pending.',
    [],
    (set) => set({}, source().reconciler.requeued),
  );
  totalCounter(
    registry,
    'rc_loop_errors_total',
    'Failed dispatcher or reconciler cycles.',
    ['loop'],
    (set) => {
      const s = source();
      set({ loop: 'dispatcher' }, s.dispatcher.errors);
      set({ loop: 'reconciler' }, s.reconciler.errors);
    },
  );
  new Gauge({
    name: 'rc_jobs_in_flight',
    help: 'Jobs this worker is processing right now.',
    registers: [registry],
    collect() {
      this.set(source().jobs.inFlight);
    },
  });
  return registry;
}
