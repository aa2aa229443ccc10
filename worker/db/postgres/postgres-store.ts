/**
 * Store on PostgreSQL (pg). One pooled connection per call, every call one statement (see postgres-queries.ts),
 * prepared once per connection. New work is pushed with LISTEN rc_jobs on a dedicated connection that
 * reconnects by itself.
 */
import { Client, Pool, type QueryResultRow } from 'pg';
import type { Logger } from '../../log';
import type {
  MailboxInfo,
  ClaimedJob,
  ExchangeResult,
  ExpiredLease,
  JobAttachment,
  JobFailure,
  JobId,
  JobKind,
  JobStatus,
  StartedJob,
  Store,
  TargetItemRecord,
  Transport,
} from '../store';
import { toPgRcError } from './pg-errors';
import {
  CLAIM_DUE_JOBS,
  LIST_MAILBOXES,
  COMPLETE_JOB,
  EXTEND_LEASE,
  FAIL_JOB,
  FIND_EXPIRED_LEASES,
  FIND_NEWER_SYNC_JOB,
  FIND_TARGET_ITEM,
  LIST_ATTACHMENTS,
  READ_ATTACHMENT_CONTENT,
  REQUEUE_JOB,
  SCHEDULE_RETRY,
  START_JOB,
} from './postgres-queries';
import { fitColumn, JOB_COLUMN_LIMITS as LIMITS } from '../column-limits';
import { attachmentContent, targetItemRecord } from '../store-rows';

export interface PostgresStoreOptions {
  /** Pooled connections (default 10). The listener uses one more. */
  poolSize?: number;
}

interface StartRow {
  jobid: string;
  kind: JobKind;
  payload: unknown;
  attempts: number;
  maxattempts: number;
  targetjobid: string | null;
  attachmentcount: number;
  mailboxid: number;
  profilename: string;
  smtpaddress: string;
  transport: Transport;
  ewsurl: string | null;
  enabled: boolean;
}

function toMailboxInfo(
  row: Pick<StartRow, 'mailboxid' | 'profilename' | 'smtpaddress' | 'transport' | 'ewsurl' | 'enabled'>,
): MailboxInfo {
  return {
    mailboxId: row.mailboxid,
    profileName: row.profilename,
    smtpAddress: row.smtpaddress,
    transport: row.transport,
    ewsUrl: row.ewsurl,
    enabled: row.enabled,
  };
}

const LISTEN_RETRY_MIN_MS = 100;
const LISTEN_RETRY_MAX_MS = 5000;

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private readonly listeners = new Set<() => Promise<void>>();

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    options: PostgresStoreOptions = {},
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      application_name: 'rc-exchange',
      // The worker's status moves commit asynchronously (~1.5x throughput measured): a move lost when the
      // PostgreSQL server itself crashes within its WAL flush delay only makes a job run again, and a retry first
      // looks for the item carrying its job id (exactly-once effect; needs RC_EWS_SAVE_SENT_COPY=true for mail).
      // Enqueueing happens on the application's own connections and stays synchronous.
      options: '-c synchronous_commit=off',
    });
    this.pool.on('error', (err) =>
      this.logger.warn('idle PostgreSQL connection failed', { error: err.message }),
    );
  }

  async listMailboxes(): Promise<MailboxInfo[]> {
    const result = await this.run<
      Omit<
        StartRow,
        'jobid' | 'kind' | 'payload' | 'attempts' | 'maxattempts' | 'targetjobid' | 'attachmentcount'
      >
    >('rc_list_mailboxes', LIST_MAILBOXES, [], 'Listing mailbox profiles');
    return result.rows.map(toMailboxInfo);
  }

  private async run<R extends QueryResultRow>(name: string, text: string, values: unknown[], what: string) {
    try {
      return await this.pool.query<R>({ name, text, values });
    } catch (err) {
      throw toPgRcError(err, what);
    }
  }

  async claimDueJobs(limit: number, workerId: string, leaseSeconds: number): Promise<ClaimedJob[]> {
    const result = await this.run<{ jobid: string; kind: JobKind; mailboxid: number; priority: number }>(
      'rc_claim_due_jobs',
      CLAIM_DUE_JOBS,
      [limit, fitColumn(workerId, LIMITS.workerId), leaseSeconds],
      'Claiming due jobs',
    );
    return result.rows.map((r) => ({
      jobId: r.jobid,
      kind: r.kind,
      mailboxId: r.mailboxid,
      priority: r.priority,
    }));
  }

  async startJob(jobId: JobId, workerId: string, leaseSeconds: number): Promise<StartedJob | null> {
    const result = await this.run<StartRow>(
      'rc_start_job',
      START_JOB,
      [jobId, fitColumn(workerId, LIMITS.workerId), leaseSeconds],
      `Starting job ${jobId}`,
    );
    const row = result.rows[0];
    if (!row) return null;
    return {
      jobId: row.jobid,
      kind: row.kind,
      payload: row.payload,
      attempt: row.attempts,
      maxAttempts: row.maxattempts,
      mailbox: toMailboxInfo(row),
      targetJobId: row.targetjobid,
      attachmentCount: row.attachmentcount,
    };
  }

  async completeJob(
    jobId: JobId,
    attempt: number,
    result: ExchangeResult,
    durationMs: number,
  ): Promise<boolean> {
    const r = await this.run(
      'rc_complete_job',
      COMPLETE_JOB,
      [
        jobId,
        attempt,
        fitColumn(result.itemId, LIMITS.itemId),
        fitColumn(result.changeKey, LIMITS.changeKey),
        Math.round(durationMs),
        fitColumn(result.summary ?? null, LIMITS.message),
      ],
      `Completing job ${jobId}`,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async failJob(jobId: JobId, attempt: number, failure: JobFailure, durationMs: number): Promise<boolean> {
    const r = await this.run(
      'rc_fail_job',
      FAIL_JOB,
      [
        jobId,
        attempt,
        fitColumn(failure.code, LIMITS.code),
        fitColumn(failure.message, LIMITS.message),
        Math.round(durationMs),
      ],
      `Failing job ${jobId}`,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async scheduleRetry(
    jobId: JobId,
    attempt: number,
    failure: JobFailure,
    retryAt: Date,
    durationMs: number,
  ): Promise<boolean> {
    const r = await this.run(
      'rc_schedule_retry',
      SCHEDULE_RETRY,
      [
        jobId,
        attempt,
        fitColumn(failure.code, LIMITS.code),
        fitColumn(failure.message, LIMITS.message),
        retryAt,
        Math.round(durationMs),
      ],
      `Scheduling a retry of job ${jobId}`,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async findExpiredLeases(limit: number): Promise<ExpiredLease[]> {
    const r = await this.run<{ jobid: string; status: JobStatus }>(
      'rc_find_expired_leases',
      FIND_EXPIRED_LEASES,
      [limit],
      'Finding expired leases',
    );
    return r.rows.map((row) => ({ jobId: row.jobid, status: row.status as ExpiredLease['status'] }));
  }

  async extendLease(jobId: JobId, status: ExpiredLease['status'], leaseSeconds: number): Promise<boolean> {
    const r = await this.run(
      'rc_extend_lease',
      EXTEND_LEASE,
      [jobId, status, leaseSeconds],
      `Extending the lease of job ${jobId}`,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async requeueJob(jobId: JobId, status: ExpiredLease['status'], reason: string): Promise<boolean> {
    const r = await this.run(
      'rc_requeue_job',
      REQUEUE_JOB,
      [jobId, status, fitColumn(reason, LIMITS.message)],
      `Requeueing job ${jobId}`,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async listAttachments(jobId: JobId): Promise<JobAttachment[]> {
    const r = await this.run<{
      attachmentid: string;
      name: string;
      contenttype: string | null;
      contentid: string | null;
      isinline: boolean;
      sizebytes: number | null;
      filepath: string | null;
    }>('rc_list_attachments', LIST_ATTACHMENTS, [jobId], `Listing the attachments of job ${jobId}`);
    return r.rows.map((row) => ({
      attachmentId: row.attachmentid,
      name: row.name,
      contentType: row.contenttype,
      contentId: row.contentid,
      isInline: row.isinline,
      sizeBytes: row.sizebytes,
      filePath: row.filepath,
    }));
  }

  async readAttachmentContent(attachmentId: string): Promise<Buffer> {
    const r = await this.run<{ content: Buffer | null; filepath: string | null }>(
      'rc_read_attachment_content',
      READ_ATTACHMENT_CONTENT,
      [attachmentId],
      `Reading attachment ${attachmentId}`,
    );
    return attachmentContent(
      attachmentId,
      r.rows[0] && { content: r.rows[0].content, filePath: r.rows[0].filepath },
    );
  }

  async findTargetItem(targetJobId: JobId): Promise<TargetItemRecord | null> {
    const r = await this.run<{
      jobid: string;
      kind: JobKind;
      status: JobStatus;
      resultitemid: string | null;
      resultchangekey: string | null;
      resultkind: JobKind | null;
    }>('rc_find_target_item', FIND_TARGET_ITEM, [targetJobId], `Finding the item of job ${targetJobId}`);
    const row = r.rows[0];
    if (!row) return null;
    return targetItemRecord({
      jobId: row.jobid,
      kind: row.kind,
      status: row.status,
      itemId: row.resultitemid,
      changeKey: row.resultchangekey,
      resultKind: row.resultkind,
    });
  }

  async findNewerSyncJob(jobId: JobId, setKey: string): Promise<JobId | null> {
    const r = await this.run<{ jobid: string }>(
      'rc_find_newer_sync_job',
      FIND_NEWER_SYNC_JOB,
      [jobId, setKey],
      `Looking for a newer set than job ${jobId}`,
    );
    return r.rows[0] ? String(r.rows[0].jobid) : null;
  }

  /** Readiness check: one trivial round trip (connects first if needed). */
  async ping(): Promise<void> {
    await this.run('rc_ping', 'SELECT 1', [], 'Checking the PostgreSQL connection');
  }

  /**
   * LISTEN rc_jobs on a dedicated connection. When it drops, it reconnects with backoff and calls `onJobs` once
   * connected again (notifications sent meanwhile are lost, so the dispatcher must look).
   */
  async listenForNewJobs(onJobs: () => void): Promise<() => Promise<void>> {
    let stopped = false;
    let client: Client | null = null;
    let retryTimer: NodeJS.Timeout | null = null;
    let delay = LISTEN_RETRY_MIN_MS;

    const connect = async (): Promise<void> => {
      const c = new Client({ connectionString: this.url, application_name: 'rc-exchange listener' });
      let lost = false;
      const onLost = (err?: Error) => {
        if (lost) return;
        lost = true;
        if (client === c) client = null;
        c.end().catch(() => undefined);
        if (stopped) return;
        this.logger.warn('PostgreSQL LISTEN connection lost; reconnecting', {
          error: err?.message,
          retryInMs: delay,
        });
        scheduleReconnect();
      };
      c.on('notification', () => onJobs());
      c.on('error', onLost);
      c.on('end', () => onLost());
      try {
        await c.connect();
        await c.query('LISTEN rc_jobs');
      } catch (err) {
        lost = true;
        c.end().catch(() => undefined);
        throw toPgRcError(err, 'Listening for new jobs (LISTEN rc_jobs)');
      }
      if (stopped) {
        await c.end().catch(() => undefined);
        return;
      }
      client = c;
      delay = LISTEN_RETRY_MIN_MS;
    };

    const scheduleReconnect = () => {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        connect().then(
          () => {
            if (!stopped) onJobs();
          },
          (err: unknown) => {
            if (stopped) return;
            delay = Math.min(delay * 2, LISTEN_RETRY_MAX_MS);
            this.logger.warn('PostgreSQL LISTEN reconnect failed', {
              error: err instanceof Error ? err.message : String(err),
              retryInMs: delay,
            });
            scheduleReconnect();
          },
        );
      }, delay);
    };

    await connect();
    const stop = async () => {
      stopped = true;
      this.listeners.delete(stop);
      if (retryTimer) clearTimeout(retryTimer);
      const c = client;
      client = null;
      if (c) await c.end().catch(() => undefined);
    };
    this.listeners.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((stop) => stop()));
    await this.pool.end();
  }
}
