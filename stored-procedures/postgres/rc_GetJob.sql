-- rc.rc_GetJob — one job's state as a one-row result: status, attempts, times, last error, what Exchange
-- returned. Twin of stored-procedures/mssql/rc_GetJob.sql (a procedure with a result set there; same columns).
-- Reads only; any right on the job's profile (CanSend, CanWrite or CanRead) suffices.
-- Call: SELECT * FROM rc.rc_getjob(job_id => 42);
--
-- Parameters:
--   job_id           bigint   NULL   the job (rc.Jobs.JobId, as the enqueuing function returned it)
--   include_payload  boolean  false  true: also return the job's Payload (JSON text; a mail's body or a sync set
--                                    can be megabytes, so it is left out by default); NULL → false
-- Result: one row (RETURNS TABLE), times as timestamptz:
--   jobid bigint, kind text, profilename text, status text, priority int, attempts int, maxattempts int,
--   correlationkey text, targetjobid bigint, createdat, createdby text, notbefore, startedat (latest attempt),
--   completedat, updatedat, lasterrorcode text, lasterror text, resultitemid text, resultchangekey text,
--   resultmessage text (the Message of the job's latest 'succeeded' event: rc_SyncFolder's counts),
--   payload text (NULL unless include_payload).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50600 job_id missing                                                  (raised by rc.fn_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.fn_ResolveJob)
CREATE OR REPLACE FUNCTION rc.rc_getjob(job_id bigint DEFAULT NULL, include_payload boolean DEFAULT false)
RETURNS TABLE (
  JobId bigint,
  Kind text,
  ProfileName text,
  Status text,
  Priority int,
  Attempts int,
  MaxAttempts int,
  CorrelationKey text,
  TargetJobId bigint,
  CreatedAt timestamptz,
  CreatedBy text,
  NotBefore timestamptz,
  StartedAt timestamptz,
  CompletedAt timestamptz,
  UpdatedAt timestamptz,
  LastErrorCode text,
  LastError text,
  ResultItemId text,
  ResultChangeKey text,
  ResultMessage text,
  Payload text
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  -- Job and permission (50600, 50601): any right on the job's profile.
  PERFORM rc.fn_resolvejob('rc_GetJob', rc_getjob.job_id, NULL);

  RETURN QUERY
  SELECT
    j.JobId,
    j.Kind::text,
    m.ProfileName::text,
    j.Status::text,
    j.Priority,
    j.Attempts,
    j.MaxAttempts,
    j.CorrelationKey::text,
    j.TargetJobId,
    j.CreatedAt,
    j.CreatedBy::text,
    j.NotBefore,
    j.StartedAt,
    j.CompletedAt,
    j.UpdatedAt,
    j.LastErrorCode::text,
    j.LastError::text,
    j.ResultItemId::text,
    j.ResultChangeKey::text,
    (SELECT e.Message::text FROM rc.JobEvents AS e
     WHERE e.JobId = j.JobId AND e.EventType = 'succeeded' ORDER BY e.EventId DESC LIMIT 1),
    CASE WHEN coalesce(rc_getjob.include_payload, false) THEN j.Payload::text END
  FROM rc.Jobs AS j
  JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
  WHERE j.JobId = rc_getjob.job_id;
END
$$;

-- EXECUTE is granted by the DBA to the applications that read their jobs' state.
REVOKE ALL ON FUNCTION rc.rc_getjob(bigint, boolean) FROM PUBLIC;
