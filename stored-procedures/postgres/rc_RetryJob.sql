-- rc.rc_RetryJob — put a Failed (or Cancelled) job back in the queue: Status 'Pending', due now. Twin of
-- stored-procedures/mssql/rc_RetryJob.sql (same checks, order, numbers and messages).
--
-- What changes on the job (rc.Jobs): Status 'Pending', NotBefore now, MaxAttempts = Attempts + 10 (a fresh
-- budget of 10 attempts, what a new job gets), CompletedAt / ClaimedAt / ClaimedBy / LeaseUntil cleared.
-- Kept: Attempts — the next attempt is numbered Attempts + 1, so the handler treats it as a retry and first
-- looks in Exchange for an item an earlier attempt may have created (exactly-once; resetting the count would
-- skip that look-up and could send a mail twice) — and LastErrorCode / LastError (the last error seen, as after
-- any retry; the 'failed' event keeps it for good). One rc.JobEvents 'requeued' row (Attempt = attempts so far,
-- Message 'rc_RetryJob by <caller> (was <status>)'), and a NOTIFY rc_jobs so a dispatcher claims it at once
-- (delivered on commit). Joins the caller's transaction.
-- Cancelled jobs can be retried too (undoing a cancel). A SyncFolder job cannot be retried when a newer
-- SyncFolder job of the same profile addresses the same folder (same setKey): it would bring an outdated set
-- back (50605); call rc_SyncFolder with the current set instead.
--
-- Parameters:
--   job_id  bigint  NULL  the job (rc.Jobs.JobId, as the enqueuing function returned it)
-- Right: the one the job's kind needs on the job's profile — CanSend for SendMail, CanWrite for every other kind.
-- Result: none (void).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50600 job_id missing                                                  (raised by rc.fn_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.fn_ResolveJob)
--   50602 a right on the profile, but not the one the job's kind needs     (raised by rc.fn_ResolveJob)
--   50604 the job is not Failed or Cancelled (the message names the state)
--   50003 the job's profile is disabled (the worker would fail it again at once)
--   50605 a SyncFolder job superseded by a newer SyncFolder job for the same folder (the message names it)
CREATE OR REPLACE FUNCTION rc.rc_retryjob(job_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_caller text := session_user;
  v_kind text;
  v_profile text;
  v_enabled boolean;
  v_status text;
  v_attempts int;
  v_newer bigint;
BEGIN
  -- Job and permission (50600, 50601, 50602).
  SELECT r.kind, r.profile_name, r.enabled INTO v_kind, v_profile, v_enabled
  FROM rc.fn_resolvejob('rc_RetryJob', rc_retryjob.job_id, 'kind') AS r;

  -- Locked, so the checks below hold until the UPDATE.
  SELECT j.Status INTO v_status FROM rc.Jobs AS j WHERE j.JobId = rc_retryjob.job_id FOR UPDATE;

  IF v_status IN ('Failed', 'Cancelled') THEN
    IF NOT v_enabled THEN
      RAISE EXCEPTION 'rc_RetryJob: job % belongs to mail profile "%", which is disabled. Enable the profile (rc.Mailboxes.Enabled) first; the worker would fail the job again at once.', rc_retryjob.job_id, v_profile
        USING ERRCODE = 'R0003';
    END IF;
    IF v_kind = 'SyncFolder' THEN
      SELECT n.JobId INTO v_newer
      FROM rc.Jobs AS j
      JOIN rc.Jobs AS n ON n.MailboxId = j.MailboxId AND n.Kind = 'SyncFolder' AND n.JobId > j.JobId
      WHERE j.JobId = rc_retryjob.job_id AND n.Payload ->> 'setKey' = j.Payload ->> 'setKey'
      ORDER BY n.JobId DESC
      LIMIT 1;
      IF v_newer IS NOT NULL THEN
        RAISE EXCEPTION 'rc_RetryJob: job % is a SyncFolder job, and the newer SyncFolder job % addresses the same folder; retrying would bring back an outdated set. Call rc_SyncFolder with the current set instead.', rc_retryjob.job_id, v_newer
          USING ERRCODE = 'R0605';
      END IF;
    END IF;

    UPDATE rc.Jobs AS j
    SET Status = 'Pending', NotBefore = now(), MaxAttempts = j.Attempts + 10, CompletedAt = NULL, ClaimedAt = NULL,
        ClaimedBy = NULL, LeaseUntil = NULL, UpdatedAt = now(), Version = j.Version + 1
    WHERE j.JobId = rc_retryjob.job_id AND j.Status = v_status
    RETURNING j.Attempts INTO v_attempts;
  END IF;

  IF v_attempts IS NULL THEN
    RAISE EXCEPTION 'rc_RetryJob: job % is %; only a Failed or Cancelled job can be retried.%', rc_retryjob.job_id, v_status,
      CASE WHEN v_status = 'Running' THEN ' It is running now.'
        WHEN v_status = 'Succeeded' THEN ' It has succeeded; enqueue a new job to do it again.'
        ELSE ' It is still waiting to run.' END
      USING ERRCODE = 'R0604';
  END IF;

  INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message)
  VALUES (rc_retryjob.job_id, 'requeued', v_attempts, 'Pending', 'rc_RetryJob by ' || v_caller || ' (was ' || v_status || ')');
  PERFORM pg_notify('rc_jobs', '');
END
$$;

-- EXECUTE is granted by the DBA to the applications that may retry their jobs.
REVOKE ALL ON FUNCTION rc.rc_retryjob(bigint) FROM PUBLIC;
