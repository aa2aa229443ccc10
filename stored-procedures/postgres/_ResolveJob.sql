-- rc.fn_ResolveJob — internal helper: the checks rc_GetJob, rc_CancelJob and rc_RetryJob start with.
-- Twin of stored-procedures/mssql/_ResolveJob.sql (rc.rc_internal_ResolveJob there: T-SQL functions cannot
-- THROW). Validates job_id, finds the job and its profile, and checks the caller's grant on that profile. Raises
-- with the calling procedure's name as prefix.
--
-- A job of a profile the caller holds no right at all on is reported exactly like a job that does not exist
-- (50601), so job ids of other profiles reveal nothing. A caller with some right on the profile but not the one
-- the action needs gets 50602 (the job's existence is no secret to someone who may read that profile's jobs).
-- The profile's Enabled flag is not checked here: a disabled profile's jobs can still be read and cancelled.
--
-- SECURITY INVOKER (the default) on purpose: only the SECURITY DEFINER rc_* functions call it, so it reads the
-- tables with their owner's rights; a role given EXECUTE on it directly gets "permission denied" on the tables.
-- The caller is session_user.
--
-- Parameters:
--   proc_name      text    the calling procedure's name as users spell it ('rc_CancelJob'): the message prefix
--   job_id         bigint  as the caller received it
--   required_right text    NULL: any right (CanSend, CanWrite or CanRead) suffices — reading a job;
--                          'kind': the right the job's kind needs — CanSend for a SendMail job, CanWrite for
--                          every other kind (changing a job). Any other value is a bug in the caller and always
--                          fails with 50602.
-- Result: one record (OUT parameters) — mailbox_id int, kind text, status text (as read; the caller's UPDATE is
--   still guarded by it), profile_name text, enabled boolean.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order; 50602 only with a required_right):
--   50600 job_id missing (NULL)
--   50601 no job with that id, or the caller (or 'public') holds no right at all on the job's profile
--   50602 the caller holds a right on the job's profile, but not the one the job's kind needs
CREATE OR REPLACE FUNCTION rc.fn_resolvejob(proc_name text, job_id bigint, required_right text,
  OUT mailbox_id int, OUT kind text, OUT status text, OUT profile_name text, OUT enabled boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_caller text := session_user;
  v_can_send boolean;
  v_can_write boolean;
  v_can_read boolean;
  v_needed text;
BEGIN
  IF fn_resolvejob.job_id IS NULL THEN
    RAISE EXCEPTION '%: @job_id is missing. Pass the id the enqueuing procedure returned (@job_id / @mailitem_id OUTPUT).', proc_name
      USING ERRCODE = 'R0600';
  END IF;

  SELECT j.MailboxId, j.Kind, j.Status, m.ProfileName, m.Enabled
  INTO fn_resolvejob.mailbox_id, fn_resolvejob.kind, fn_resolvejob.status, fn_resolvejob.profile_name,
    fn_resolvejob.enabled
  FROM rc.Jobs AS j
  JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
  WHERE j.JobId = fn_resolvejob.job_id;

  SELECT coalesce(bool_or(g.CanSend), false), coalesce(bool_or(g.CanWrite), false), coalesce(bool_or(g.CanRead), false)
  INTO v_can_send, v_can_write, v_can_read
  FROM rc.MailboxGrants AS g
  WHERE g.MailboxId = fn_resolvejob.mailbox_id AND lower(g.Principal) IN (lower(v_caller), 'public');

  IF fn_resolvejob.mailbox_id IS NULL OR NOT (v_can_send OR v_can_write OR v_can_read) THEN
    RAISE EXCEPTION '%: job % does not exist, or it belongs to a mail profile you hold no right on. Check the id; a grant comes from the database owner (rc_GrantMailbox).', proc_name, fn_resolvejob.job_id
      USING ERRCODE = 'R0601';
  END IF;

  -- Reading stops here; changing a job goes on with the right its kind needs.
  IF fn_resolvejob.required_right IS NULL THEN
    RETURN;
  END IF;
  v_needed := CASE WHEN fn_resolvejob.required_right = 'kind'
    THEN CASE WHEN fn_resolvejob.kind = 'SendMail' THEN 'send' ELSE 'write' END END;
  IF v_needed IS NULL OR (v_needed = 'send' AND NOT v_can_send) OR (v_needed = 'write' AND NOT v_can_write) THEN
    RAISE EXCEPTION '%: principal "%" has no % right (can_%) on mail profile "%", which job % (%) needs. Ask the database owner to grant it with rc_GrantMailbox.', proc_name, v_caller, coalesce(v_needed, 'such'), coalesce(v_needed, '?'), fn_resolvejob.profile_name, fn_resolvejob.job_id, fn_resolvejob.kind
      USING ERRCODE = 'R0602';
  END IF;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_resolvejob(text, bigint, text) FROM PUBLIC;
