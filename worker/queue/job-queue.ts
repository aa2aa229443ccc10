/**
 * The BullMQ side of the outbox: one queue named 'jobs' under the configured prefix. A BullMQ job is only a
 * pointer to an rc.Jobs row (id, kind, mailbox); the payload stays in SQL. BullMQ job ids are `rc-<JobId>`, so
 * adding a row that is already queued is a no-op; completed and failed BullMQ jobs are removed at once, so a
 * later re-add (after a reconciler requeue or rc_RetryJob) really enqueues again.
 */
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ClaimedJob, JobId, JobKind } from '../db/store';

export const JOBS_QUEUE_NAME = 'jobs';

export interface QueueJobData {
  jobId: JobId;
  kind: JobKind;
  mailboxId: number;
}

export type JobQueue = Queue<QueueJobData, void, JobKind>;

export function bullJobId(jobId: JobId): string {
  return `rc-${jobId}`;
}

export const QUEUE_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 };

export function createJobQueue(connection: Redis, prefix: string): JobQueue {
  return new Queue<QueueJobData, void, JobKind>(JOBS_QUEUE_NAME, { connection, prefix });
}

/** Adds claimed rows in claim order (highest priority, oldest first): the queue is FIFO within a batch. */
export async function enqueueClaimed(queue: JobQueue, jobs: readonly ClaimedJob[]): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk(
    jobs.map((job) => ({
      name: job.kind,
      data: { jobId: job.jobId, kind: job.kind, mailboxId: job.mailboxId },
      opts: { ...QUEUE_JOB_OPTIONS, jobId: bullJobId(job.jobId) },
    })),
  );
}
