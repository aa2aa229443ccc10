-- rc.rc_CancelJob — cancel a job that has not started yet, so the worker never carries it out. Twin of
-- stored-procedures/mssql/rc_CancelJob.sql (same checks, order, numbers and messages).
--
-- Cancellable: Pending (waiting in SQL), Queued (handed to the queue: the worker's start is guarded by the status,
-- so a Cancelled row is dropped when its queue entry comes up) and Retrying (waiting for its next attempt; an
-- earlier attempt may already have reached Exchange — cancelling stops further attempts, it undoes nothing).
-- A Running job cannot be cancelled (Exchange may be doing the work that moment), nor a finished one.
-- The move is one UPDATE guarded by the status, so a worker starting the job at the same moment either starts it
-- (and the cancel fails with 50603 naming Running) or finds it Cancelled.
-- Writes: rc.Jobs Status 'Cancelled', CompletedAt now, lease cleared; one rc.JobEvents 'cancelled' row (Attempt =
-- attempts so far, Message 'rc_CancelJob by <caller> (was <status>)'). Joins the caller's transaction.
--
-- Parameters:
--   job_id  bigint  NULL  the job (rc.Jobs.JobId, as the enqueuing function returned it)
-- Right: the one the job's kind needs on the job's profile — CanSend for SendMail, CanWrite for every other kind.
-- Result: none (void).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50600 job_id missing                                                  (raised by rc.fn_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.fn_ResolveJob)
--   50602 a right on the profile, but not the one the job's kind needs     (raised by rc.fn_ResolveJob)
--   50603 the job is Running, Succeeded, Failed or Cancelled (the message names the state)
CREATE OR REPLACE FUNCTION rc.rc_canceljob(job_id bigint DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_caller text := session_user;
  v_status text;
  v_attempts int;
BEGIN
  -- Job and permission (50600, 50601, 50602).
  PERFORM rc.fn_resolvejob('rc_CancelJob', rc_canceljob.job_id, 'kind');

  SELECT j.Status INTO v_status FROM rc.Jobs AS j WHERE j.JobId = rc_canceljob.job_id FOR UPDATE;
  UPDATE rc.Jobs AS j
  SET Status = 'Cancelled', CompletedAt = now(), LeaseUntil = NULL, UpdatedAt = now(), Version = j.Version + 1
  WHERE j.JobId = rc_canceljob.job_id AND j.Status IN ('Pending', 'Queued', 'Retrying')
  RETURNING j.Attempts INTO v_attempts;

  IF NOT FOUND THEN
    RAISE EXCEPTION 'rc_CancelJob: job % is %; only a job that has not started yet (Pending, Queued or Retrying) can be cancelled.%', rc_canceljob.job_id, v_status,
      CASE v_status WHEN 'Running' THEN ' It is running now; wait for its outcome.'
        WHEN 'Cancelled' THEN ' It is already cancelled.' ELSE ' It has already finished.' END
      USING ERRCODE = 'R0603';
  END IF;

  INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message)
  VALUES (rc_canceljob.job_id, 'cancelled', v_attempts, 'Cancelled', 'rc_CancelJob by ' || v_caller || ' (was ' || v_status || ')');
END
$$;

-- EXECUTE is granted by the DBA to the applications that may cancel their jobs.
REVOKE ALL ON FUNCTION rc.rc_canceljob(bigint) FROM PUBLIC;
