/**
 * Reconciler: SQL is the source of truth, Redis only a delivery layer. Every reconcileIntervalMs it looks at
 * claimed rows (Queued/Running/Retrying) whose lease has run out and asks BullMQ about `rc-<JobId>`:
 * - still live there (waiting, delayed, active, prioritized) → the queue will get to it: extend the lease;
 * - missing, completed or failed → nobody will: back to Pending, so the dispatcher enqueues it again.
 * This is what makes a Redis flush, a lost addBulk, or a killed worker lose nothing.
 */
import type { Config } from '../config';
import type { Store } from '../db/store';
import type { Logger } from '../log';
import { bullJobId, type JobQueue } from './job-queue';

const LIVE_STATES = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

export interface ReconcilerOptions {
  store: Store;
  queue: JobQueue;
  worker: Config['worker'];
  logger: Logger;
  /** Rows looked at per pass. */
  batch?: number;
  /** Called after a pass that requeued rows (the dispatcher is woken so they go out at once). */
  onRequeued?: () => void;
}

export interface ReconcilerStats {
  passes: number;
  extended: number;
  requeued: number;
  errors: number;
}

export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private running = false;
  private readonly stats_: ReconcilerStats = { passes: 0, extended: 0, requeued: 0, errors: 0 };

  constructor(private readonly options: ReconcilerOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }

  stats(): ReconcilerStats {
    return { ...this.stats_ };
  }

  /** One pass; returns what it did. */
  async runOnce(): Promise<{ extended: number; requeued: number }> {
    const { store, queue, worker, logger } = this.options;
    const expired = await store.findExpiredLeases(this.options.batch ?? 500);
    let extended = 0;
    let requeued = 0;
    for (const lease of expired) {
      const job = await queue.getJob(bullJobId(lease.jobId));
      const state = job ? await job.getState() : 'missing';
      if (LIVE_STATES.has(state)) {
        if (await store.extendLease(lease.jobId, lease.status, worker.leaseSeconds)) extended++;
      } else {
        const reason = `lease expired while ${lease.status}; queue entry ${state}`;
        if (await store.requeueJob(lease.jobId, lease.status, reason)) {
          requeued++;
          logger.info('reconciler: job requeued', {
            jobId: lease.jobId,
            status: lease.status,
            queueState: state,
          });
        }
      }
    }
    this.stats_.passes++;
    this.stats_.extended += extended;
    this.stats_.requeued += requeued;
    if (requeued > 0) this.options.onRequeued?.();
    return { extended, requeued };
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.current = this.runOnce()
        .then(() => undefined)
        .catch((err) => {
          this.stats_.errors++;
          this.options.logger.error('reconciler: pass failed; will try again', { error: err });
        })
        .finally(() => {
          this.current = null;
          this.schedule();
        });
    }, this.options.worker.reconcileIntervalMs);
  }
}
