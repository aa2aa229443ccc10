/**
 * Dispatcher: moves due rows from SQL to BullMQ. Each cycle claims up to `dispatchBatch` Pending rows
 * (Pending → Queued, with a lease) and adds them to the queue.
 *
 * When it runs: immediately again when a claim returned a full batch; woken by the Store's push channel
 * (PostgreSQL LISTEN/NOTIFY) when there is one; otherwise — and always as a safety net, because a row whose
 * NotBefore lies in the future sends no notification when it becomes due — adaptive polling: pollMinMs while
 * rows come back, doubling up to pollMaxMs while idle. DB and Redis errors are logged and retried with backoff;
 * the loop never dies.
 *
 * If adding to Redis fails after a successful claim, those rows stay Queued in SQL. Nothing re-adds them here:
 * when their lease runs out the reconciler finds no BullMQ job for them and puts them back to Pending.
 */
import type { Config } from '../config';
import type { Store } from '../db/store';
import type { Logger } from '../log';
import { enqueueClaimed, type JobQueue } from './job-queue';

export interface DispatcherOptions {
  store: Store;
  queue: JobQueue;
  worker: Config['worker'];
  logger: Logger;
}

export interface DispatcherStats {
  cycles: number;
  dispatched: number;
  errors: number;
  listening: boolean;
}

export class Dispatcher {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeRequested = false;
  private wakeUp: (() => void) | null = null;
  private unlisten: (() => Promise<void>) | null = null;
  private readonly stats_: DispatcherStats = { cycles: 0, dispatched: 0, errors: 0, listening: false };

  constructor(private readonly options: DispatcherOptions) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      this.unlisten = await this.options.store.listenForNewJobs(() => this.wake());
      this.stats_.listening = this.unlisten !== null;
    } catch (err) {
      // Polling still works; the push channel is an optimisation.
      this.options.logger.warn('dispatcher: cannot listen for new jobs, polling only', { error: err });
    }
    this.loop = this.run();
  }

  /** Runs a cycle as soon as possible (new work may be due). */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /** Stops after the current cycle; resolves when it has finished. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    if (this.unlisten) {
      await this.unlisten().catch((err) =>
        this.options.logger.warn('dispatcher: unlisten failed', { error: err }),
      );
      this.unlisten = null;
    }
  }

  stats(): DispatcherStats {
    return { ...this.stats_ };
  }

  /** One claim + add; returns the number of rows claimed. Exposed for tests and the bench. */
  async cycle(): Promise<number> {
    const { store, queue, worker } = this.options;
    const claimed = await store.claimDueJobs(worker.dispatchBatch, worker.id, worker.leaseSeconds);
    this.stats_.cycles++;
    if (claimed.length > 0) {
      await enqueueClaimed(queue, claimed);
      this.stats_.dispatched += claimed.length;
      this.options.logger.debug('dispatcher: enqueued', { count: claimed.length });
    }
    return claimed.length;
  }

  private async run(): Promise<void> {
    const { worker, logger } = this.options;
    let interval = worker.pollMinMs;
    let failures = 0;
    while (this.running) {
      this.wakeRequested = false;
      let claimed = 0;
      try {
        claimed = await this.cycle();
        failures = 0;
      } catch (err) {
        failures++;
        this.stats_.errors++;
        const delay = Math.min(worker.pollMaxMs * 4, worker.pollMinMs * 2 ** Math.min(failures, 10));
        logger.error('dispatcher: cycle failed; retrying', { error: err, failures, retryInMs: delay });
        await this.sleep(delay, false);
        continue;
      }
      if (!this.running) break;
      if (claimed >= worker.dispatchBatch) {
        interval = worker.pollMinMs;
        continue;
      }
      interval = claimed > 0 ? worker.pollMinMs : Math.min(worker.pollMaxMs, interval * 2);
      await this.sleep(interval, true);
    }
  }

  /** Sleeps `ms`; a wake() ends the sleep early when `wakeable` (always ends it when stopping). */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (wakeable && this.wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        if (wakeable || !this.running) done();
      };
    });
  }
}
