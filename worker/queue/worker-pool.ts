/**
 * The BullMQ Worker running job-processor.ts with `config.worker.concurrency` jobs at once. Graceful stop
 * lets in-flight jobs finish (worker.close()); after shutdownTimeoutMs, or on a second (forceful) stop, it
 * closes without waiting — those jobs' rows stay Running and the reconciler picks them up after their lease.
 */
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log';
import { JOBS_QUEUE_NAME, type QueueJobData } from './job-queue';
import type { JobProcessor } from './job-processor';

export interface WorkerPoolOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  shutdownTimeoutMs: number;
  processor: JobProcessor;
  logger: Logger;
}

export class WorkerPool {
  private readonly worker: Worker<QueueJobData>;
  private closing: Promise<void> | null = null;

  constructor(private readonly options: WorkerPoolOptions) {
    this.worker = new Worker<QueueJobData>(JOBS_QUEUE_NAME, options.processor, {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: false,
    });
    // Errors outside a job (lost Redis connection, a lock lost after FLUSHALL): log and keep running.
    this.worker.on('error', (err) => options.logger.warn('queue worker error', { error: err }));
  }

  start(): void {
    void this.worker.run().catch((err) => this.options.logger.error('queue worker stopped', { error: err }));
  }

  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Graceful unless `force`: waits for in-flight jobs up to shutdownTimeoutMs, then forces. */
  async stop(force = false): Promise<void> {
    if (force) {
      await this.worker.close(true);
      return;
    }
    if (!this.closing) {
      const graceful = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.options.shutdownTimeoutMs);
      });
      this.closing = Promise.race([graceful.then(() => 'done' as const), timeout]).then(async (outcome) => {
        clearTimeout(timer);
        if (outcome === 'timeout') {
          this.options.logger.warn(
            'in-flight jobs did not finish in time; closing the queue worker forcefully',
            {
              shutdownTimeoutMs: this.options.shutdownTimeoutMs,
            },
          );
          await this.worker.close(true);
        }
      });
    }
    await this.closing;
  }
}
