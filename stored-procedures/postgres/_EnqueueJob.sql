-- rc.fn_EnqueueJob — internal helper: the write every job procedure ends with — one rc.Jobs row (Status
-- 'Pending', NotBefore now) and one rc.JobEvents 'enqueued' row, or, for a correlation key this profile already
-- used for this kind, the existing job's id and nothing written. Twin of stored-procedures/mssql/_EnqueueJob.sql
-- (the procedure rc.rc_internal_EnqueueJob there). Joins the caller's transaction. SECURITY INVOKER (the
-- default): only the SECURITY DEFINER rc_* functions call it, after their validation; the caller is session_user.
--
-- Parameters:
--   kind            text    rc.Jobs.Kind ('CreateContact', 'UpdateTask', …)
--   mailbox_id      int     the calling profile's rc.Mailboxes.MailboxId
--   payload         jsonb   rc.Jobs.Payload
--   correlation_key text    the create call's idempotency key (already checked: at most 200 characters), or NULL
--                           (updates and deletes: every call is a job of its own)
--   target_job_id   bigint  rc.Jobs.TargetJobId (the create job an update/delete addresses), or NULL
-- Result: bigint — the new job's JobId, or the existing one's for a used correlation key (the unique index
--   UX_Jobs_CorrelationKey decides, so two concurrent callers with one key get one job).
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_enqueuejob(kind text, mailbox_id int, payload jsonb, correlation_key text,
  target_job_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_job_id bigint;
BEGIN
  INSERT INTO rc.Jobs (Kind, MailboxId, Payload, NotBefore, CorrelationKey, CreatedBy, TargetJobId)
  VALUES (fn_enqueuejob.kind, fn_enqueuejob.mailbox_id, fn_enqueuejob.payload, now(), fn_enqueuejob.correlation_key,
    session_user, fn_enqueuejob.target_job_id)
  ON CONFLICT (MailboxId, Kind, CorrelationKey) WHERE CorrelationKey IS NOT NULL DO NOTHING
  RETURNING JobId INTO v_job_id;

  IF v_job_id IS NULL THEN
    -- Same correlation key for this profile and kind: the earlier call's job stands, nothing is written.
    SELECT j.JobId INTO v_job_id FROM rc.Jobs AS j
    WHERE j.MailboxId = fn_enqueuejob.mailbox_id AND j.Kind = fn_enqueuejob.kind
      AND j.CorrelationKey = fn_enqueuejob.correlation_key;
    RETURN v_job_id;
  END IF;

  INSERT INTO rc.JobEvents (JobId, EventType, Status) VALUES (v_job_id, 'enqueued', 'Pending');
  RETURN v_job_id;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_enqueuejob(text, int, jsonb, text, bigint) FROM PUBLIC;
