-- rc.fn_CreateTarget — internal helper: where a create call's job goes and under which idempotency key — the
-- folder target (rc.fn_resolvefolder) and the correlation key ('' = none, at most 200 characters).
-- rc_CreateAppointment, rc_CreateContact, rc_CreateTask and rc_SyncFolder call it after their own checks of the
-- fields and before rc.fn_enqueuejob. Twin of stored-procedures/mssql/_CreateTarget.sql (the procedure
-- rc.rc_internal_CreateTarget there). Writes nothing. SECURITY INVOKER (the default): only the SECURITY DEFINER
-- rc_* functions call it.
--
-- Parameters:
--   proc_name       text  the calling procedure's name ('rc_CreateTask'): the message prefix
--   param_name      text  the caller's folder parameter as messages name it ('@folder_name', '@calendar_name',
--                         '@folder')
--   mailbox_id      int   the calling profile's rc.Mailboxes.MailboxId
--   folder_name     text  the caller's folder parameter (NULL/'' = the kind's default folder)
--   target_profile  text  the caller's target_profile (NULL = own mailbox)
--   correlation_key text  the caller's correlation_key
-- Result: one row (OUT parameters) — folder jsonb: the FolderTarget (see rc.fn_resolvefolder); job_key text: the
--   correlation key for rc.fn_enqueuejob, NULL for NULL or ''.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50050 the folder name is not valid                                      (raised by rc.fn_resolvefolder)
--   50054 a public folder together with a target profile                    (raised by rc.fn_resolvefolder)
--   50051 the target profile names no rc mail profile                       (raised by rc.fn_resolvefolder)
--   50052 the target profile is disabled                                    (raised by rc.fn_resolvefolder)
--   50053 the caller has no CanWrite grant on the target profile            (raised by rc.fn_resolvefolder)
--   50024 correlation_key longer than 200 characters
CREATE OR REPLACE FUNCTION rc.fn_createtarget(
  proc_name text,
  param_name text,
  mailbox_id int,
  folder_name text,
  target_profile text,
  correlation_key text,
  OUT folder jsonb,
  OUT job_key text
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_key text := nullif(fn_createtarget.correlation_key, '');
BEGIN
  -- Folder target (50050, 50054, 50051, 50052, 50053).
  folder := rc.fn_resolvefolder(fn_createtarget.proc_name, fn_createtarget.param_name, fn_createtarget.mailbox_id,
    fn_createtarget.folder_name, fn_createtarget.target_profile);
  IF length(v_key) > 200 THEN
    RAISE EXCEPTION '%: @correlation_key is % characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).', fn_createtarget.proc_name, length(v_key)
      USING ERRCODE = 'R0024';
  END IF;
  job_key := v_key;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_createtarget(text, text, int, text, text, text) FROM PUBLIC;
