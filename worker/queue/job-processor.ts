/**
 * What a BullMQ worker does with one `rc-<JobId>` job:
 *   1. take a per-mailbox slot (mailbox-limiter); none free → back to the queue delayed, not an attempt;
 *   2. store.startJob (→ Running, Attempts + 1); null → the row was cancelled/finished/taken: drop it;
 *   3. run the handler for the job's kind;
 *   4. record: completeJob | failJob (permanent, or attempts exhausted) | scheduleRetry + moveToDelayed
 *      (transient; delay from backoff.ts, never shorter than Exchange's BackOffMilliseconds/Retry-After).
 * The slot is taken before startJob on purpose: a job that has to wait for a slot must not spend one of its
 * MaxAttempts in SQL. If recording in SQL fails, the error propagates, BullMQ drops its copy, and the
 * reconciler re-enqueues the row when its lease runs out (a retry then finds an already-sent mail by its
 * job property, see jobs/send-mail.ts).
 */
import { DelayedError, type Job } from 'bullmq';
import type { Config } from '../config';
import type { Store } from '../db/store';
import { RcError, toRcError } from '../errors';
import type { ExchangeGateway } from '../exchange/gateway';
import type { HandlerRegistry, JobSettings } from '../jobs/job-handler';
import type { Logger } from '../log';
import { computeBackoffMs } from './backoff';
import type { QueueJobData } from './job-queue';
import type { MailboxLimiter } from './mailbox-limiter';

export interface JobProcessorDeps {
  store: Store;
  gateway: ExchangeGateway;
  handlers: HandlerRegistry;
  limiter: MailboxLimiter;
  worker: Config['worker'];
  settings: JobSettings;
  logger: Logger;
  random?: () => number;
}

export interface ProcessorStats {
  started: number;
  succeeded: number;
  failed: number;
  retried: number;
  dropped: number;
  deferred: number;
  inFlight: number;
}

export type JobProcessor = ((job: Job<QueueJobData>, token?: string) => Promise<void>) & {
  stats(): ProcessorStats;
};

export function createJobProcessor(deps: JobProcessorDeps): JobProcessor {
  const { store, gateway, handlers, limiter, worker } = deps;
  const random = deps.random ?? Math.random;
  const stats: ProcessorStats = {
    started: 0,
    succeeded: 0,
    failed: 0,
    retried: 0,
    dropped: 0,
    deferred: 0,
    inFlight: 0,
  };

  const processor = async (job: Job<QueueJobData>, token?: string): Promise<void> => {
    const { jobId, kind, mailboxId } = job.data;
    let logger = deps.logger.child({ jobId, kind, mailbox: mailboxId });

    const slot = await limiter.acquire(
      mailboxId,
      `${worker.id}|${job.id}|${token ?? ''}`,
      kind === 'SendMail',
    );
    if (!slot.ok) {
      // Concurrency: a slot usually frees within a request's time; poll again soon (jittered) rather than
      // waiting for the holder's crash expiry. Rate: wait until the window has room.
      const waitMs =
        slot.reason === 'rate'
          ? slot.waitMs + Math.floor(random() * 100)
          : Math.min(slot.waitMs, 100 + Math.floor(random() * 400));
      stats.deferred++;
      logger.debug('mailbox limit reached; job deferred', { reason: slot.reason, waitMs });
      await job.moveToDelayed(Date.now() + waitMs, token);
      throw new DelayedError();
    }

    stats.inFlight++;
    try {
      const started = await store.startJob(jobId, worker.id, worker.leaseSeconds);
      if (!started) {
        stats.dropped++;
        logger.debug('job no longer startable (cancelled, finished or taken); dropped');
        return;
      }
      stats.started++;
      logger = logger.child({ mailbox: started.mailbox.smtpAddress, attempt: started.attempt });
      const t0 = Date.now();
      const handler = handlers.get(started.kind);
      let result;
      try {
        if (!handler) throw new RcError('internal', `no handler for job kind ${started.kind}`);
        if (!started.mailbox.enabled) {
          throw new RcError(
            'mailbox_disabled',
            `mailbox profile ${started.mailbox.profileName} is disabled; enable it and retry the job`,
          );
        }
        result = await handler({
          job: started,
          gateway,
          store,
          logger,
          settings: deps.settings,
        });
      } catch (err) {
        const error = toRcError(err);
        const failure = { code: error.statusCode, message: error.message.slice(0, 2000) };
        const durationMs = Date.now() - t0;
        if (!error.retryable || started.attempt >= started.maxAttempts) {
          await store.failJob(jobId, started.attempt, failure, durationMs);
          stats.failed++;
          logger.warn('job failed', {
            code: failure.code,
            reason: error.message,
            retryable: error.retryable,
          });
          return;
        }
        const delayMs = computeBackoffMs(
          started.attempt,
          { baseMs: worker.retryBaseMs, maxMs: worker.retryMaxMs },
          error.retryAfterMs,
          random,
        );
        const retryAt = new Date(Date.now() + delayMs);
        await store.scheduleRetry(jobId, started.attempt, failure, retryAt, durationMs);
        stats.retried++;
        logger.info('job will be retried', { code: failure.code, reason: error.message, delayMs });
        await job.moveToDelayed(retryAt.getTime(), token);
        throw new DelayedError();
      }
      // Outside the catch on purpose: the work is done in Exchange, so failing to record it is not a job
      // failure. The error propagates, the row stays Running, and after its lease the reconciler requeues it;
      // the next attempt finds the item by its job property instead of doing the work again.
      await store.completeJob(jobId, started.attempt, result, Date.now() - t0);
      stats.succeeded++;
      logger.info('job succeeded', { durationMs: Date.now() - t0 });
    } finally {
      stats.inFlight--;
      await slot.release().catch((err) => logger.warn('could not release mailbox slot', { error: err }));
    }
  };
  return Object.assign(processor, { stats: () => ({ ...stats }) });
}
