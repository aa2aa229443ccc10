/**
 * Store on SQL Server / Azure SQL / Babelfish (mssql over tedious). Every call is one round trip from the pool
 * (queries in mssql-queries.ts) with typed parameters. SQL Server has no push channel, so listenForNewJobs
 * returns null and the dispatcher polls with its adaptive interval. Driver errors become RcErrors through
 * transient-errors.ts (deadlocks, failovers, dropped connections → retryable 'db_transient').
 */
import sql from 'mssql';
import { RcError } from '../../errors';
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
import { openMssqlPool, type MssqlPoolOptions } from './mssql-connection';
import {
  CLAIM_DUE_JOBS,
  COMPLETE_JOB,
  EXTEND_LEASE,
  FAIL_JOB,
  FIND_EXPIRED_LEASES,
  FIND_NEWER_SYNC_JOB,
  FIND_TARGET_ITEM,
  LIST_ATTACHMENTS,
  LIST_MAILBOXES,
  READ_ATTACHMENT_CONTENT,
  REQUEUE_JOB,
  SCHEDULE_RETRY,
  START_JOB,
} from './mssql-queries';
import { toMssqlRcError } from './transient-errors';
import { fitColumn, JOB_COLUMN_LIMITS as LIMITS } from '../column-limits';
import { attachmentContent, targetItemRecord } from '../store-rows';

/** Claimed rows in dispatch order (OUTPUT returns them in no promised order). */
export function sortClaimed<T extends { Priority: number; NotBefore: Date; JobId: string }>(rows: T[]): T[] {
  return [...rows].sort((a, b) => {
    if (a.Priority !== b.Priority) return b.Priority - a.Priority;
    const time = a.NotBefore.getTime() - b.NotBefore.getTime();
    if (time !== 0) return time;
    const idA = BigInt(a.JobId);
    const idB = BigInt(b.JobId);
    return idA < idB ? -1 : idA > idB ? 1 : 0;
  });
}

interface ClaimRow {
  JobId: string;
  Kind: JobKind;
  MailboxId: number;
  Priority: number;
  NotBefore: Date;
}

interface StartRow {
  JobId: string;
  Kind: JobKind;
  Payload: string;
  Attempts: number;
  MaxAttempts: number;
  TargetJobId: string | null;
  AttachmentCount: number;
  MailboxId: number;
  ProfileName: string;
  SmtpAddress: string;
  Transport: Transport;
  EwsUrl: string | null;
  Enabled: boolean;
}

type MailboxRow = Pick<
  StartRow,
  'MailboxId' | 'ProfileName' | 'SmtpAddress' | 'Transport' | 'EwsUrl' | 'Enabled'
>;

function toMailboxInfo(row: MailboxRow): MailboxInfo {
  return {
    mailboxId: row.MailboxId,
    profileName: row.ProfileName,
    smtpAddress: row.SmtpAddress,
    transport: row.Transport,
    ewsUrl: row.EwsUrl,
    enabled: row.Enabled,
  };
}

type Inputs = (request: sql.Request) => sql.Request;

export class MssqlStore implements Store {
  readonly dialect = 'mssql' as const;
  private pool: Promise<sql.ConnectionPool> | null = null;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly options: MssqlPoolOptions = {},
  ) {}

  private connect(): Promise<sql.ConnectionPool> {
    if (!this.pool) {
      const opening = openMssqlPool(this.url, { appName: 'rc-exchange', ...this.options }).then((pool) => {
        pool.on('error', (err: Error) =>
          this.logger.warn('idle SQL Server connection failed', { error: err.message }),
        );
        return pool;
      });
      // A failed connect is not cached: the next call tries again (the server may be starting up).
      opening.catch(() => {
        if (this.pool === opening) this.pool = null;
      });
      this.pool = opening;
    }
    return this.pool;
  }

  private async run<R>(text: string, inputs: Inputs, what: string): Promise<R[]> {
    try {
      const pool = await this.connect();
      const result = await inputs(pool.request()).query<R>(text);
      return result.recordset ?? [];
    } catch (err) {
      throw toMssqlRcError(err, what);
    }
  }

  async claimDueJobs(limit: number, workerId: string, leaseSeconds: number): Promise<ClaimedJob[]> {
    const rows = await this.run<ClaimRow>(
      CLAIM_DUE_JOBS,
      (r) =>
        r
          .input('limit', sql.Int, limit)
          .input('workerId', sql.NVarChar(LIMITS.workerId), fitColumn(workerId, LIMITS.workerId))
          .input('leaseSeconds', sql.Int, leaseSeconds),
      'claiming due jobs',
    );
    return sortClaimed(rows).map((r) => ({
      jobId: String(r.JobId),
      kind: r.Kind,
      mailboxId: r.MailboxId,
      priority: r.Priority,
    }));
  }

  async startJob(jobId: JobId, workerId: string, leaseSeconds: number): Promise<StartedJob | null> {
    const rows = await this.run<StartRow>(
      START_JOB,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('workerId', sql.NVarChar(LIMITS.workerId), fitColumn(workerId, LIMITS.workerId))
          .input('leaseSeconds', sql.Int, leaseSeconds),
      `starting job ${jobId}`,
    );
    const row = rows[0];
    if (!row) return null;
    let payload: unknown;
    try {
      payload = JSON.parse(row.Payload);
    } catch (err) {
      throw new RcError('payload_invalid', `Job ${jobId}: rc.Jobs.Payload is not valid JSON.`, {
        cause: err,
      });
    }
    return {
      jobId: String(row.JobId),
      kind: row.Kind,
      payload,
      attempt: row.Attempts,
      maxAttempts: row.MaxAttempts,
      mailbox: toMailboxInfo(row),
      targetJobId: row.TargetJobId === null ? null : String(row.TargetJobId),
      attachmentCount: row.AttachmentCount,
    };
  }

  async completeJob(
    jobId: JobId,
    attempt: number,
    result: ExchangeResult,
    durationMs: number,
  ): Promise<boolean> {
    const moved = await this.run(
      COMPLETE_JOB,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('attempt', sql.Int, attempt)
          .input('itemId', sql.NVarChar(LIMITS.itemId), fitColumn(result.itemId, LIMITS.itemId))
          .input('changeKey', sql.NVarChar(LIMITS.changeKey), fitColumn(result.changeKey, LIMITS.changeKey))
          .input('durationMs', sql.Int, clampInt(durationMs))
          .input('summary', sql.NVarChar(LIMITS.message), fitColumn(result.summary ?? null, LIMITS.message)),
      `completing job ${jobId}`,
    );
    return moved.length > 0;
  }

  async failJob(jobId: JobId, attempt: number, failure: JobFailure, durationMs: number): Promise<boolean> {
    const moved = await this.run(
      FAIL_JOB,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('attempt', sql.Int, attempt)
          .input('code', sql.VarChar(LIMITS.code), fitColumn(failure.code, LIMITS.code))
          .input('message', sql.NVarChar(LIMITS.message), fitColumn(failure.message, LIMITS.message))
          .input('durationMs', sql.Int, clampInt(durationMs)),
      `failing job ${jobId}`,
    );
    return moved.length > 0;
  }

  async scheduleRetry(
    jobId: JobId,
    attempt: number,
    failure: JobFailure,
    retryAt: Date,
    durationMs: number,
  ): Promise<boolean> {
    const moved = await this.run(
      SCHEDULE_RETRY,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('attempt', sql.Int, attempt)
          .input('code', sql.VarChar(LIMITS.code), fitColumn(failure.code, LIMITS.code))
          .input('message', sql.NVarChar(LIMITS.message), fitColumn(failure.message, LIMITS.message))
          .input('retryAt', sql.DateTime2(3), retryAt)
          .input('durationMs', sql.Int, clampInt(durationMs)),
      `scheduling a retry of job ${jobId}`,
    );
    return moved.length > 0;
  }

  async findExpiredLeases(limit: number): Promise<ExpiredLease[]> {
    const rows = await this.run<{ JobId: string; Status: JobStatus }>(
      FIND_EXPIRED_LEASES,
      (r) => r.input('limit', sql.Int, limit),
      'finding expired leases',
    );
    return rows.map((row) => ({ jobId: String(row.JobId), status: row.Status as ExpiredLease['status'] }));
  }

  async extendLease(jobId: JobId, status: ExpiredLease['status'], leaseSeconds: number): Promise<boolean> {
    const moved = await this.run(
      EXTEND_LEASE,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('status', sql.VarChar(16), status)
          .input('leaseSeconds', sql.Int, leaseSeconds),
      `extending the lease of job ${jobId}`,
    );
    return moved.length > 0;
  }

  async requeueJob(jobId: JobId, status: ExpiredLease['status'], reason: string): Promise<boolean> {
    const moved = await this.run(
      REQUEUE_JOB,
      (r) =>
        r
          .input('jobId', sql.BigInt, jobId)
          .input('status', sql.VarChar(16), status)
          .input('reason', sql.NVarChar(LIMITS.message), fitColumn(reason, LIMITS.message)),
      `requeueing job ${jobId}`,
    );
    return moved.length > 0;
  }

  async listAttachments(jobId: JobId): Promise<JobAttachment[]> {
    const rows = await this.run<{
      AttachmentId: string;
      Name: string;
      ContentType: string | null;
      ContentId: string | null;
      IsInline: boolean;
      SizeBytes: string | number | null;
      FilePath: string | null;
    }>(
      LIST_ATTACHMENTS,
      (r) => r.input('jobId', sql.BigInt, jobId),
      `listing the attachments of job ${jobId}`,
    );
    return rows.map((row) => ({
      attachmentId: String(row.AttachmentId),
      name: row.Name,
      contentType: row.ContentType,
      contentId: row.ContentId,
      isInline: row.IsInline,
      sizeBytes: row.SizeBytes === null ? null : Number(row.SizeBytes),
      filePath: row.FilePath,
    }));
  }

  async readAttachmentContent(attachmentId: string): Promise<Buffer> {
    const rows = await this.run<{ Content: Buffer | null; FilePath: string | null }>(
      READ_ATTACHMENT_CONTENT,
      (r) => r.input('attachmentId', sql.BigInt, attachmentId),
      `reading attachment ${attachmentId}`,
    );
    const row = rows[0];
    return attachmentContent(attachmentId, row && { content: row.Content, filePath: row.FilePath });
  }

  async findTargetItem(targetJobId: JobId): Promise<TargetItemRecord | null> {
    const rows = await this.run<{
      JobId: string;
      Kind: JobKind;
      Status: JobStatus;
      ResultItemId: string | null;
      ResultChangeKey: string | null;
      ResultKind: JobKind | null;
    }>(
      FIND_TARGET_ITEM,
      (r) => r.input('targetJobId', sql.BigInt, targetJobId),
      `finding the item of job ${targetJobId}`,
    );
    const row = rows[0];
    if (!row) return null;
    return targetItemRecord({
      jobId: String(row.JobId),
      kind: row.Kind,
      status: row.Status,
      itemId: row.ResultItemId,
      changeKey: row.ResultChangeKey,
      resultKind: row.ResultKind,
    });
  }

  async findNewerSyncJob(jobId: JobId, setKey: string): Promise<JobId | null> {
    const rows = await this.run<{ JobId: string }>(
      FIND_NEWER_SYNC_JOB,
      (r) => r.input('jobId', sql.BigInt, jobId).input('setKey', sql.NVarChar(sql.MAX), setKey),
      `looking for a newer set than job ${jobId}`,
    );
    return rows[0] ? String(rows[0].JobId) : null;
  }

  async listMailboxes(): Promise<MailboxInfo[]> {
    const rows = await this.run<MailboxRow>(LIST_MAILBOXES, (r) => r, 'listing mailbox profiles');
    return rows.map(toMailboxInfo);
  }

  /** Readiness check: one trivial round trip (connects first if needed). */
  async ping(): Promise<void> {
    await this.run('SELECT 1 AS [Ok];', (r) => r, 'checking the connection');
  }

  /** SQL Server has no LISTEN/NOTIFY: the dispatcher polls (fast while there is work). */
  async listenForNewJobs(_onJobs: () => void): Promise<null> {
    return null;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await (await pool.catch(() => null))?.close();
  }
}

/** Durations go into an int column: whole milliseconds, never negative, never past int's range. */
function clampInt(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(Math.round(value), 2147483647);
}
