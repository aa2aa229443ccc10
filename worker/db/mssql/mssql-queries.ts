/**
 * The SQL Server adapter's hot queries, each one round trip (sent with sp_executesql and typed parameters).
 * Every status move is one UPDATE guarded by the expected previous status that bumps Version and UpdatedAt,
 * with its OUTPUT captured in a table variable; moves that the job log records insert their rc.JobEvents row
 * in the same transaction, so a job's status and its events never disagree. Written for Babelfish too (see
 * TSQL-COMPAT.md): OUTPUT columns aliased with brackets, moves counted from OUTPUT rows (never @@ROWCOUNT or
 * the driver's rowsAffected), no CTE as UPDATE target, no OUTPUT INTO a table with constraints.
 * XACT_ABORT ON: any error, and a client timeout (attention), rolls the batch's transaction back, so a pooled
 * connection never carries an open transaction into its next use.
 */

/**
 * @limit, @workerId, @leaseSeconds. Due Pending rows → Queued. READPAST skips rows another dispatcher holds
 * (SQL Server; Babelfish ignores the hint and waits instead — still correct). Uses IX_Jobs_Claim. No event row
 * ('claimed' is not an event type; ClaimedAt/ClaimedBy show the hand-over). OUTPUT order is not guaranteed:
 * the caller sorts by Priority DESC, NotBefore, JobId.
 */
export const CLAIM_DUE_JOBS = `
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @now datetime2(3) = SYSUTCDATETIME();
UPDATE j
SET Status = 'Queued', ClaimedAt = @now, ClaimedBy = @workerId, LeaseUntil = DATEADD(second, @leaseSeconds, @now),
    UpdatedAt = @now, Version = j.Version + 1
OUTPUT inserted.JobId AS [JobId], inserted.Kind AS [Kind], inserted.MailboxId AS [MailboxId],
       inserted.Priority AS [Priority], inserted.NotBefore AS [NotBefore]
FROM rc.Jobs AS j
WHERE j.JobId IN (
    SELECT TOP (@limit) c.JobId
    FROM rc.Jobs AS c WITH (ROWLOCK, READPAST, UPDLOCK)
    WHERE c.Status = 'Pending' AND c.NotBefore <= @now
    ORDER BY c.Priority DESC, c.NotBefore, c.JobId
  )
  AND j.Status = 'Pending';`;

/**
 * @jobId, @workerId, @leaseSeconds. Queued/Retrying (or Running whose lease ran out: its worker died) → Running,
 * Attempts + 1, 'started' event; returns the payload with the mailbox row in the same round trip (no row when
 * the job is not startable).
 */
export const START_JOB = `
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @now datetime2(3) = SYSUTCDATETIME();
DECLARE @started TABLE (JobId bigint NOT NULL, Kind varchar(40) NOT NULL, Payload nvarchar(max) NOT NULL,
  Attempts int NOT NULL, MaxAttempts int NOT NULL, MailboxId int NOT NULL, TargetJobId bigint NULL);
BEGIN TRANSACTION;
UPDATE j
SET Status = 'Running', Attempts = j.Attempts + 1, StartedAt = @now, ClaimedBy = @workerId,
    LeaseUntil = DATEADD(second, @leaseSeconds, @now), UpdatedAt = @now, Version = j.Version + 1
OUTPUT inserted.JobId AS [JobId], inserted.Kind AS [Kind], inserted.Payload AS [Payload],
       inserted.Attempts AS [Attempts], inserted.MaxAttempts AS [MaxAttempts], inserted.MailboxId AS [MailboxId],
       inserted.TargetJobId AS [TargetJobId]
  INTO @started (JobId, Kind, Payload, Attempts, MaxAttempts, MailboxId, TargetJobId)
FROM rc.Jobs AS j
WHERE j.JobId = @jobId
  AND (j.Status IN ('Queued', 'Retrying') OR (j.Status = 'Running' AND j.LeaseUntil < @now));
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, WorkerId)
SELECT s.JobId, 'started', s.Attempts, 'Running', @workerId FROM @started AS s;
COMMIT TRANSACTION;
SELECT s.JobId AS [JobId], s.Kind AS [Kind], s.Payload AS [Payload], s.Attempts AS [Attempts],
       s.MaxAttempts AS [MaxAttempts], s.TargetJobId AS [TargetJobId],
       (SELECT COUNT(*) FROM rc.JobAttachments AS a WHERE a.JobId = s.JobId) AS [AttachmentCount],
       m.MailboxId AS [MailboxId],
       m.ProfileName AS [ProfileName],
       m.SmtpAddress AS [SmtpAddress], m.Transport AS [Transport], m.EwsUrl AS [EwsUrl], m.Enabled AS [Enabled]
FROM @started AS s
JOIN rc.Mailboxes AS m ON m.MailboxId = s.MailboxId;`;

/** Shared tail of the guarded moves: the event row for every moved job, then how many moved. */
function moveWithEvent(update: string, eventInsert: string): string {
  return `
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @now datetime2(3) = SYSUTCDATETIME();
DECLARE @moved TABLE (JobId bigint NOT NULL, Attempts int NOT NULL, ClaimedBy nvarchar(200) NULL);
BEGIN TRANSACTION;
${update.trim()}
${eventInsert.trim()}
COMMIT TRANSACTION;
SELECT m.JobId AS [JobId] FROM @moved AS m;`;
}

const OUTPUT_MOVED = `OUTPUT inserted.JobId AS [JobId], inserted.Attempts AS [Attempts], inserted.ClaimedBy AS [ClaimedBy]
  INTO @moved (JobId, Attempts, ClaimedBy)`;

/**
 * @jobId, @attempt, @itemId, @changeKey, @durationMs, @summary (the event's Message, or NULL). Running → Succeeded
 * + 'succeeded' event.
 */
export const COMPLETE_JOB = moveWithEvent(
  `
UPDATE j
SET Status = 'Succeeded', CompletedAt = @now, LeaseUntil = NULL, ResultItemId = @itemId, ResultChangeKey = @changeKey,
    UpdatedAt = @now, Version = j.Version + 1
${OUTPUT_MOVED}
FROM rc.Jobs AS j
WHERE j.JobId = @jobId AND j.Status = 'Running' AND j.Attempts = @attempt;`,
  `
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, WorkerId, DurationMs, Message)
SELECT m.JobId, 'succeeded', m.Attempts, 'Succeeded', m.ClaimedBy, @durationMs, @summary FROM @moved AS m;`,
);

/** @jobId, @attempt, @code, @message, @durationMs. Running → Failed + 'failed' event. */
export const FAIL_JOB = moveWithEvent(
  `
UPDATE j
SET Status = 'Failed', CompletedAt = @now, LeaseUntil = NULL, LastErrorCode = @code, LastError = @message,
    UpdatedAt = @now, Version = j.Version + 1
${OUTPUT_MOVED}
FROM rc.Jobs AS j
WHERE j.JobId = @jobId AND j.Status = 'Running' AND j.Attempts = @attempt;`,
  `
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Code, Message, WorkerId, DurationMs)
SELECT m.JobId, 'failed', m.Attempts, 'Failed', @code, @message, m.ClaimedBy, @durationMs FROM @moved AS m;`,
);

/**
 * @jobId, @attempt, @code, @message, @retryAt, @durationMs. Running → Retrying + 'retrying' event. NotBefore
 * becomes the retry time; the lease runs until then plus the attempt's lease span, so the reconciler only looks
 * at the row once the retry is overdue (same rule as the PostgreSQL adapter).
 */
export const SCHEDULE_RETRY = moveWithEvent(
  `
UPDATE j
SET Status = 'Retrying', NotBefore = @retryAt,
    LeaseUntil = DATEADD(second, ISNULL(DATEDIFF(second, j.StartedAt, j.LeaseUntil), 0), @retryAt),
    LastErrorCode = @code, LastError = @message, UpdatedAt = @now, Version = j.Version + 1
${OUTPUT_MOVED}
FROM rc.Jobs AS j
WHERE j.JobId = @jobId AND j.Status = 'Running' AND j.Attempts = @attempt;`,
  `
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Code, Message, WorkerId, DurationMs)
SELECT m.JobId, 'retrying', m.Attempts, 'Retrying', @code, @message, m.ClaimedBy, @durationMs FROM @moved AS m;`,
);

/** @jobId, @status, @reason. Orphaned claim (lease ran out) → Pending + 'requeued' event. */
export const REQUEUE_JOB = moveWithEvent(
  `
UPDATE j
SET Status = 'Pending', ClaimedAt = NULL, ClaimedBy = NULL, LeaseUntil = NULL, UpdatedAt = @now,
    Version = j.Version + 1
${OUTPUT_MOVED}
FROM rc.Jobs AS j
WHERE j.JobId = @jobId AND j.Status = @status AND j.LeaseUntil < @now;`,
  `
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message)
SELECT m.JobId, 'requeued', m.Attempts, 'Pending', @reason FROM @moved AS m;`,
);

/** @limit. Claimed rows whose lease ran out, oldest first (IX_Jobs_Lease). */
export const FIND_EXPIRED_LEASES = `
SET NOCOUNT ON;
SELECT TOP (@limit) j.JobId AS [JobId], j.Status AS [Status]
FROM rc.Jobs AS j
WHERE j.Status IN ('Queued', 'Running', 'Retrying') AND j.LeaseUntil < SYSUTCDATETIME()
ORDER BY j.LeaseUntil;`;

/** @jobId, @status, @leaseSeconds. Not a status move: no event. */
export const EXTEND_LEASE = `
SET NOCOUNT ON;
SET XACT_ABORT ON;
DECLARE @now datetime2(3) = SYSUTCDATETIME();
UPDATE j
SET LeaseUntil = DATEADD(second, @leaseSeconds, @now), UpdatedAt = @now, Version = j.Version + 1
OUTPUT inserted.JobId AS [JobId]
FROM rc.Jobs AS j
WHERE j.JobId = @jobId AND j.Status = @status;`;

/** Every mailbox profile for rcx doctor / sync scheduling. */
export const LIST_MAILBOXES = `
SELECT MailboxId AS [MailboxId], ProfileName AS [ProfileName], SmtpAddress AS [SmtpAddress],
       Transport AS [Transport], EwsUrl AS [EwsUrl], Enabled AS [Enabled]
FROM rc.Mailboxes ORDER BY ProfileName;`;

/**
 * @jobId. The job's attachments in the caller's order, without content; SizeBytes of SQL content from
 * DATALENGTH (no read of the bytes), NULL for a file attachment.
 */
export const LIST_ATTACHMENTS = `
SET NOCOUNT ON;
SELECT a.AttachmentId AS [AttachmentId], a.Name AS [Name], a.ContentType AS [ContentType],
       a.ContentId AS [ContentId], a.IsInline AS [IsInline], DATALENGTH(a.Content) AS [SizeBytes],
       a.FilePath AS [FilePath]
FROM rc.JobAttachments AS a
WHERE a.JobId = @jobId
ORDER BY a.Ordinal, a.AttachmentId;`;

/** @attachmentId. One attachment's bytes (NULL for a file attachment). */
export const READ_ATTACHMENT_CONTENT = `
SET NOCOUNT ON;
SELECT a.Content AS [Content], a.FilePath AS [FilePath] FROM rc.JobAttachments AS a WHERE a.AttachmentId = @attachmentId;`;

/**
 * @targetJobId. The job an update/delete addresses, with the ItemId/ChangeKey of the newest succeeded job on
 * its item (the job itself or one with TargetJobId = it) that recorded one, and that job's kind (a Delete* kind
 * means the item is gone). Uses the primary key and IX_Jobs_TargetJobId.
 */
export const FIND_TARGET_ITEM = `
SET NOCOUNT ON;
SELECT t.JobId AS [JobId], t.Kind AS [Kind], t.Status AS [Status], r.ResultItemId AS [ResultItemId],
       r.ResultChangeKey AS [ResultChangeKey], r.Kind AS [ResultKind]
FROM rc.Jobs AS t
OUTER APPLY (
  SELECT TOP (1) j.Kind, j.ResultItemId, j.ResultChangeKey
  FROM rc.Jobs AS j
  WHERE (j.JobId = t.JobId OR j.TargetJobId = t.JobId) AND j.Status = 'Succeeded' AND j.ResultItemId IS NOT NULL
  ORDER BY j.CompletedAt DESC, j.JobId DESC
) AS r
WHERE t.JobId = @targetJobId;`;

/**
 * @jobId, @setKey. The newest not cancelled SyncFolder job of the same mailbox for the same set, newer than
 * @jobId (rc_SyncFolder's setKey; the primary key range keeps the scan to newer jobs).
 */
export const FIND_NEWER_SYNC_JOB = `
SET NOCOUNT ON;
SELECT TOP (1) n.JobId AS [JobId]
FROM rc.Jobs AS j
JOIN rc.Jobs AS n ON n.MailboxId = j.MailboxId AND n.Kind = 'SyncFolder' AND n.JobId > j.JobId
WHERE j.JobId = @jobId AND n.Status <> 'Cancelled' AND JSON_VALUE(n.Payload, '$.setKey') = @setKey
ORDER BY n.JobId DESC;`;
