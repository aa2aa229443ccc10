/**
 * The worker process's job machinery in one call: dispatcher (SQL → BullMQ) + reconciler (lost jobs back to
 * Pending) + BullMQ worker pool (handlers → Exchange → SQL), sharing one Redis connection and the per-mailbox
 * limiter. The CLI calls startWorkerService and maps SIGTERM/SIGINT to stop() (first signal) and
 * stop({ force: true }) (second signal).
 */
import { Redis } from 'ioredis';
import type { Config } from '../config';
import type { Store } from '../db/store';
import type { ExchangeGateway } from '../exchange/gateway';
import { defaultHandlers, type HandlerRegistry } from '../jobs/job-handler';
import type { Logger } from '../log';
import { Dispatcher, type DispatcherStats } from './dispatcher';
import { createJobProcessor, type ProcessorStats } from './job-processor';
import { createJobQueue } from './job-queue';
import { MailboxLimiter } from './mailbox-limiter';
import { Reconciler, type ReconcilerStats } from './reconciler';
import { WorkerPool } from './worker-pool';

export interface WorkerServiceOptions {
  config: Readonly<Config>;
  store: Store;
  gateway: ExchangeGateway;
  logger: Logger;
  /**
   * Redis connection to use (must be created with `maxRetriesPerRequest: null`, as BullMQ workers need).
   * When omitted one is opened from config.redis.url and closed by stop().
   */
  redis?: Redis;
  /** Job handlers by kind; defaults to every kind rc-exchange knows. */
  handlers?: HandlerRegistry;
}

export interface WorkerServiceStats {
  dispatcher: DispatcherStats;
  reconciler: ReconcilerStats;
  jobs: ProcessorStats;
}

export interface WorkerService {
  /** Graceful: stop claiming, let in-flight jobs finish (up to shutdownTimeoutMs). `force`: do not wait. */
  stop(options?: { force?: boolean }): Promise<void>;
  stats(): WorkerServiceStats;
}

export async function startWorkerService(options: WorkerServiceOptions): Promise<WorkerService> {
  const { config, store, gateway, logger } = options;
  const prefix = config.redis.queuePrefix;
  const ownsRedis = options.redis === undefined;
  const redis =
    options.redis ?? new Redis(config.redis.url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', (err) => logger.warn('redis connection error', { error: err }));

  const queue = createJobQueue(redis, prefix);
  const limiter = new MailboxLimiter(redis, {
    prefix,
    concurrency: config.worker.mailboxConcurrency,
    sendsPerMinute: config.worker.mailboxSendsPerMinute,
  });
  const processor = createJobProcessor({
    store,
    gateway,
    handlers: options.handlers ?? defaultHandlers(),
    limiter,
    worker: config.worker,
    settings: { saveSentCopy: config.ews.saveSentCopy, fileAttachmentDir: config.attachments.fileDir },
    logger,
  });
  const pool = new WorkerPool({
    connection: redis,
    prefix,
    concurrency: config.worker.concurrency,
    shutdownTimeoutMs: config.worker.shutdownTimeoutMs,
    processor,
    logger,
  });
  const dispatcher = new Dispatcher({ store, queue, worker: config.worker, logger });
  const reconciler = new Reconciler({
    store,
    queue,
    worker: config.worker,
    logger,
    onRequeued: () => dispatcher.wake(),
  });

  pool.start();
  await pool.waitUntilReady();
  await dispatcher.start();
  reconciler.start();
  logger.info('worker service started', {
    workerId: config.worker.id,
    concurrency: config.worker.concurrency,
    queuePrefix: prefix,
    push: dispatcher.stats().listening,
  });

  let stopping: Promise<void> | null = null;
  const shutdown = async (force: boolean) => {
    logger.info(
      force
        ? 'worker service stopping now (forced)'
        : 'worker service stopping: no new claims; waiting for in-flight jobs',
    );
    await Promise.all([dispatcher.stop(), reconciler.stop()]);
    await pool.stop(force);
    await queue.close();
    if (ownsRedis) await redis.quit().catch(() => undefined);
    logger.info('worker service stopped', { ...processor.stats() });
  };
  return {
    async stop({ force = false } = {}) {
      // A forced stop during a graceful one cuts the wait for in-flight jobs short.
      if (force && stopping) await pool.stop(true);
      if (!stopping) stopping = shutdown(force);
      await stopping;
    },
    stats: () => ({
      dispatcher: dispatcher.stats(),
      reconciler: reconciler.stats(),
      jobs: processor.stats(),
    }),
  };
}
