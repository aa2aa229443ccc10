/**
 * The PostgreSQL adapter's hot queries, each one statement (one round trip) and a named prepared statement.
 * Every status move is one UPDATE guarded by the expected previous status that bumps Version and UpdatedAt;
 * moves that the job log records write their rc.JobEvents row in the same statement (data-modifying CTE), so
 * a job's status and its events never disagree.
 */

/**
 * $1 limit, $2 worker id, $3 lease seconds. Due Pending rows → Queued; SKIP LOCKED lets concurrent dispatchers
 * take disjoint rows. Uses IX_Jobs_Claim. The due rows are picked in a MATERIALIZED CTE, not `IN (subquery)`:
 * the planner may rescan an IN subquery per outer row, and with SKIP LOCKED each rescan returns further rows,
 * so the LIMIT would not hold. No event row: 'claimed' is not an event type (the queue hand-over is
 * visible in ClaimedAt/ClaimedBy).
 */
export const CLAIM_DUE_JOBS = `
WITH due AS MATERIALIZED (
  SELECT c.JobId FROM rc.Jobs AS c
  WHERE c.Status = 'Pending' AND c.NotBefore <= now()
  ORDER BY c.Priority DESC, c.NotBefore, c.JobId
  LIMIT $1
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Queued', ClaimedAt = now(), ClaimedBy = $2, LeaseUntil = now() + $3 * interval '1 second',
      UpdatedAt = now(), Version = j.Version + 1
  FROM due
  WHERE j.JobId = due.JobId AND j.Status = 'Pending'
  RETURNING j.JobId, j.Kind, j.MailboxId, j.Priority, j.NotBefore
)
SELECT JobId, Kind, MailboxId, Priority FROM claimed ORDER BY Priority DESC, NotBefore, JobId`;

/**
 * $1 job id, $2 worker id, $3 lease seconds. Queued/Retrying (or Running whose lease ran out: its worker died)
 * → Running, Attempts + 1, 'started' event, and the payload with the mailbox row in the same round trip.
 */
export const START_JOB = `
WITH started AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Running', Attempts = j.Attempts + 1, StartedAt = now(), ClaimedBy = $2,
      LeaseUntil = now() + $3 * interval '1 second', UpdatedAt = now(), Version = j.Version + 1
  WHERE j.JobId = $1
    AND (j.Status IN ('Queued', 'Retrying') OR (j.Status = 'Running' AND j.LeaseUntil < now()))
  RETURNING j.JobId, j.Kind, j.Payload, j.Attempts, j.MaxAttempts, j.MailboxId, j.TargetJobId
), event AS (
  INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, WorkerId)
  SELECT s.JobId, 'started', s.Attempts, 'Running', $2 FROM started AS s
)
SELECT s.JobId, s.Kind, s.Payload, s.Attempts, s.MaxAttempts, s.TargetJobId,
       (SELECT count(*)::int FROM rc.JobAttachments AS a WHERE a.JobId = s.JobId) AS AttachmentCount,
       m.MailboxId, m.ProfileName, m.SmtpAddress, m.Transport, m.EwsUrl, m.Enabled
FROM started AS s JOIN rc.Mailboxes AS m ON m.MailboxId = s.MailboxId`;

/**
 * $1 job id, $2 attempt, $3 item id, $4 change key, $5 duration ms, $6 summary (the event's Message, or null).
 * Running → Succeeded + 'succeeded' event.
 */
export const COMPLETE_JOB = `
WITH done AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Succeeded', CompletedAt = now(), LeaseUntil = NULL, ResultItemId = $3, ResultChangeKey = $4,
      UpdatedAt = now(), Version = j.Version + 1
  WHERE j.JobId = $1 AND j.Status = 'Running' AND j.Attempts = $2
  RETURNING j.JobId, j.Attempts, j.ClaimedBy
)
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, WorkerId, DurationMs, Message)
SELECT d.JobId, 'succeeded', d.Attempts, 'Succeeded', d.ClaimedBy, $5, $6::text FROM done AS d`;

/** $1 job id, $2 attempt, $3 code, $4 message, $5 duration ms. Running → Failed + 'failed' event. */
export const FAIL_JOB = `
WITH done AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Failed', CompletedAt = now(), LeaseUntil = NULL, LastErrorCode = $3, LastError = $4,
      UpdatedAt = now(), Version = j.Version + 1
  WHERE j.JobId = $1 AND j.Status = 'Running' AND j.Attempts = $2
  RETURNING j.JobId, j.Attempts, j.ClaimedBy
)
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Code, Message, WorkerId, DurationMs)
SELECT d.JobId, 'failed', d.Attempts, 'Failed', $3, $4, d.ClaimedBy, $5 FROM done AS d`;

/**
 * $1 job id, $2 attempt, $3 code, $4 message, $5 retry at, $6 duration ms. Running → Retrying + 'retrying'
 * event. NotBefore becomes the retry time; the lease runs until then plus the attempt's lease span, so the
 * reconciler only looks at the row once the retry is overdue.
 */
export const SCHEDULE_RETRY = `
WITH done AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Retrying', NotBefore = $5, LeaseUntil = $5::timestamptz + coalesce(j.LeaseUntil - j.StartedAt, interval '0'),
      LastErrorCode = $3, LastError = $4, UpdatedAt = now(), Version = j.Version + 1
  WHERE j.JobId = $1 AND j.Status = 'Running' AND j.Attempts = $2
  RETURNING j.JobId, j.Attempts, j.ClaimedBy
)
INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Code, Message, WorkerId, DurationMs)
SELECT d.JobId, 'retrying', d.Attempts, 'Retrying', $3, $4, d.ClaimedBy, $6 FROM done AS d`;

/** $1 limit. Claimed rows whose lease ran out, oldest first (IX_Jobs_Lease). */
export const FIND_EXPIRED_LEASES = `
SELECT JobId, Status FROM rc.Jobs
WHERE Status IN ('Queued', 'Running', 'Retrying') AND LeaseUntil < now()
ORDER BY LeaseUntil
LIMIT $1`;

/** $1 job id, $2 expected status, $3 lease seconds. Not a status move: no event. */
export const EXTEND_LEASE = `
UPDATE rc.Jobs AS j
SET LeaseUntil = now() + $3 * interval '1 second', UpdatedAt = now(), Version = j.Version + 1
WHERE j.JobId = $1 AND j.Status = $2`;

/**
 * $1 job id, $2 expected status, $3 reason. Orphaned claim → Pending + 'requeued' event, and a NOTIFY so a
 * dispatcher picks it up again at once (delivered on commit, like the insert trigger's).
 */
export const REQUEUE_JOB = `
WITH requeued AS (
  UPDATE rc.Jobs AS j
  SET Status = 'Pending', ClaimedAt = NULL, ClaimedBy = NULL, LeaseUntil = NULL, UpdatedAt = now(),
      Version = j.Version + 1
  WHERE j.JobId = $1 AND j.Status = $2 AND j.LeaseUntil < now()
  RETURNING j.JobId, j.Attempts
), event AS (
  INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message)
  SELECT r.JobId, 'requeued', r.Attempts, 'Pending', $3 FROM requeued AS r
)
SELECT pg_notify('rc_jobs', '') FROM requeued`;

/**
 * $1 job id, $2 set key. The newest not cancelled SyncFolder job of the same mailbox for the same set, newer than
 * $1 (rc_SyncFolder's setKey; the primary key range keeps the scan to newer jobs).
 */
export const FIND_NEWER_SYNC_JOB = `
SELECT n.JobId FROM rc.Jobs AS j
JOIN rc.Jobs AS n ON n.MailboxId = j.MailboxId AND n.Kind = 'SyncFolder' AND n.JobId > j.JobId
WHERE j.JobId = $1 AND n.Status <> 'Cancelled' AND n.Payload ->> 'setKey' = $2
ORDER BY n.JobId DESC
LIMIT 1`;

/** Every mailbox profile for rcx doctor / sync scheduling. */
export const LIST_MAILBOXES = `
SELECT MailboxId, ProfileName, SmtpAddress, Transport, EwsUrl, Enabled
FROM rc.Mailboxes ORDER BY ProfileName`;

/**
 * $1 job id. The job's attachments in the caller's order, without content; SizeBytes of SQL content from the
 * stored value's length (octet_length reads the TOAST header, not the bytes), NULL for a file attachment.
 */
export const LIST_ATTACHMENTS = `
SELECT a.AttachmentId, a.Name, a.ContentType, a.ContentId, a.IsInline, octet_length(a.Content) AS SizeBytes,
       a.FilePath
FROM rc.JobAttachments AS a
WHERE a.JobId = $1
ORDER BY a.Ordinal, a.AttachmentId`;

/** $1 attachment id. One attachment's bytes (NULL for a file attachment). */
export const READ_ATTACHMENT_CONTENT = `
SELECT a.Content, a.FilePath FROM rc.JobAttachments AS a WHERE a.AttachmentId = $1`;

/**
 * $1 target job id. The job an update/delete addresses, with the ItemId/ChangeKey of the newest succeeded job
 * on its item (the job itself or one with TargetJobId = it) that recorded one, and that job's kind (a Delete*
 * kind means the item is gone). Uses the primary key and IX_Jobs_TargetJobId.
 */
export const FIND_TARGET_ITEM = `
SELECT t.JobId, t.Kind, t.Status, r.ResultItemId, r.ResultChangeKey, r.Kind AS ResultKind
FROM rc.Jobs AS t
LEFT JOIN LATERAL (
  SELECT j.Kind, j.ResultItemId, j.ResultChangeKey
  FROM rc.Jobs AS j
  WHERE (j.JobId = t.JobId OR j.TargetJobId = t.JobId) AND j.Status = 'Succeeded' AND j.ResultItemId IS NOT NULL
  ORDER BY j.CompletedAt DESC, j.JobId DESC
  LIMIT 1
) AS r ON true
WHERE t.JobId = $1`;
