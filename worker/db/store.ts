/**
 * The Store port: everything the job logic (queue/, jobs/, sync/) asks of the SQL database. Adapters live in
 * db/postgres and db/mssql; nothing outside them imports a database driver.
 *
 * Status machine of rc.Jobs (every move is one guarded UPDATE … WHERE Status = <expected>):
 *   Pending → Queued (claimDueJobs) → Running (startJob) → Succeeded | Failed (completeJob / failJob)
 *   Running → Retrying (scheduleRetry) → Running (startJob, next attempt)
 *   Queued | Running | Retrying with an expired lease and no live queue entry → Pending (requeueJob)
 *   Pending | Queued | Retrying → Cancelled (rc_CancelJob; rc_SyncFolder for an older set of the same folder; SQL side)
 *   Failed | Cancelled → Pending (rc_RetryJob, SQL side)
 */
export const JOB_KINDS = [
  'SendMail',
  'CreateAppointment',
  'UpdateAppointment',
  'DeleteAppointment',
  'CreateContact',
  'UpdateContact',
  'DeleteContact',
  'CreateTask',
  'UpdateTask',
  'DeleteTask',
  'SyncFolder',
] as const;
/** rc.Jobs.Kind (CK_Jobs_Kind). */
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = 'Pending' | 'Queued' | 'Running' | 'Retrying' | 'Succeeded' | 'Failed' | 'Cancelled';
export type Transport = 'ews' | 'graph';
export type Dialect = 'postgres' | 'mssql';

/** A job id is a SQL bigint; it travels as a decimal string so no precision is ever lost. */
export type JobId = string;

export interface ClaimedJob {
  jobId: JobId;
  kind: JobKind;
  mailboxId: number;
  priority: number;
}

export interface MailboxInfo {
  mailboxId: number;
  profileName: string;
  smtpAddress: string;
  transport: Transport;
  ewsUrl: string | null;
  enabled: boolean;
}

export interface StartedJob {
  jobId: JobId;
  kind: JobKind;
  /** The job's JSON payload as the stored procedure wrote it (parsed). */
  payload: unknown;
  /** 1 on the first attempt; > 1 means an earlier attempt may already have reached Exchange. */
  attempt: number;
  maxAttempts: number;
  mailbox: MailboxInfo;
  /** rc.Jobs.TargetJobId: for update and delete jobs addressed by the creating job (or its correlation key). */
  targetJobId: JobId | null;
  /** Rows in rc.JobAttachments (read with startJob, so a mail without attachments costs no extra query). */
  attachmentCount: number;
}

export interface ExchangeResult {
  itemId: string | null;
  changeKey: string | null;
  /**
   * What the job did, in a few words a DBA reads in the 'succeeded' event's Message (rc_GetJob ResultMessage),
   * e.g. SyncFolder's 'created 2, updated 1, deleted 0, unchanged 97'. Omitted → no message.
   */
  summary?: string | null;
}

/** One row of rc.JobAttachments, without its content (read it with Store.readAttachmentContent). */
export interface JobAttachment {
  attachmentId: string;
  name: string;
  contentType: string | null;
  contentId: string | null;
  isInline: boolean;
  /** Bytes stored in SQL (Content), or null for a file attachment. */
  sizeBytes: number | null;
  /** rc_SendMail @file_attachments: the path the worker reads from its allowed directory; null for SQL content. */
  filePath: string | null;
}

/**
 * What SQL knows about the Exchange item an update/delete job addresses through TargetJobId: the creating
 * job's status, and the ItemId/ChangeKey recorded by the newest succeeded job on that item (the create job or a
 * later update). `deleted` is true when that newest job was a delete job.
 */
export interface TargetItemRecord {
  targetJobId: JobId;
  targetKind: JobKind;
  targetStatus: JobStatus;
  itemId: string | null;
  changeKey: string | null;
  deleted: boolean;
}

export interface JobFailure {
  /** Short machine code stored in LastErrorCode (Exchange's ResponseCode or an rc ErrorCode). */
  code: string;
  /** Human-readable reason stored in LastError (never contains secrets or message bodies). */
  message: string;
}

export interface ExpiredLease {
  jobId: JobId;
  status: Extract<JobStatus, 'Queued' | 'Running' | 'Retrying'>;
}

export interface Store {
  readonly dialect: Dialect;

  /** Pending rows whose NotBefore has passed → Queued, highest Priority then oldest first, skipping locked rows. */
  claimDueJobs(limit: number, workerId: string, leaseSeconds: number): Promise<ClaimedJob[]>;

  /**
   * Queued/Retrying (or Running with an expired lease) → Running, Attempts + 1, with payload and mailbox.
   * Returns null when the row is no longer startable (cancelled, finished, or another worker holds it).
   */
  startJob(jobId: JobId, workerId: string, leaseSeconds: number): Promise<StartedJob | null>;

  /** Running → Succeeded for the given attempt; false when the row had moved on (nothing is changed then). */
  completeJob(jobId: JobId, attempt: number, result: ExchangeResult, durationMs: number): Promise<boolean>;

  /** Running → Failed for the given attempt. */
  failJob(jobId: JobId, attempt: number, failure: JobFailure, durationMs: number): Promise<boolean>;

  /** Running → Retrying until `retryAt` (the queue holds the job delayed until then). */
  scheduleRetry(
    jobId: JobId,
    attempt: number,
    failure: JobFailure,
    retryAt: Date,
    durationMs: number,
  ): Promise<boolean>;

  /** Queued/Running/Retrying rows whose lease has run out: candidates for the reconciler. */
  findExpiredLeases(limit: number): Promise<ExpiredLease[]>;

  /** The queue still holds the job: push its lease forward (guarded by status). */
  extendLease(jobId: JobId, status: ExpiredLease['status'], leaseSeconds: number): Promise<boolean>;

  /** Orphaned claim → Pending again (guarded by status and an expired lease), with a 'requeued' event. */
  requeueJob(jobId: JobId, status: ExpiredLease['status'], reason: string): Promise<boolean>;

  /**
   * Calls `onJobs` whenever new work may be due (PostgreSQL LISTEN/NOTIFY). Returns a function that stops
   * listening, or null when the dialect has no push channel and the dispatcher must poll.
   */
  listenForNewJobs(onJobs: () => void): Promise<(() => Promise<void>) | null>;

  /** The job's attachments in the order the caller gave them (metadata only). */
  listAttachments(jobId: JobId): Promise<JobAttachment[]>;

  /** One attachment's bytes (rc.JobAttachments.Content); read one at a time so a job holds one in memory. */
  readAttachmentContent(attachmentId: string): Promise<Buffer>;

  /** The item a TargetJobId points at (see TargetItemRecord); null when no such job exists. */
  findTargetItem(targetJobId: JobId): Promise<TargetItemRecord | null>;

  /**
   * The newest SyncFolder job of the same mailbox for the same set (folder) that is newer than `jobId` and not
   * Cancelled, or null. An older set must never be applied after a newer one (a Retrying older job, say).
   */
  findNewerSyncJob(jobId: JobId, setKey: string): Promise<JobId | null>;

  /** Every mailbox profile, ordered by name (rcx doctor, sync scheduling). */
  listMailboxes(): Promise<MailboxInfo[]>;

  /** One trivial round trip: the readiness check. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
