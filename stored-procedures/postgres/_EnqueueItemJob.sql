-- rc.fn_EnqueueItemJob — internal helper: the end every rc_update* / rc_delete* function shares — the payload of a
-- job that changes or deletes an item, enqueued by rc.fn_enqueuejob (never deduplicated: each call is a job of its
-- own). Twin of stored-procedures/mssql/_EnqueueItemJob.sql (the procedure rc.rc_internal_EnqueueItemJob there).
-- Joins the caller's transaction; call it after all validation. SECURITY INVOKER (the default): only the SECURITY
-- DEFINER rc_* functions call it; the caller is session_user.
--
-- Parameters:
--   kind           text     rc.Jobs.Kind ('UpdateContact', 'DeleteAppointment', …)
--   mailbox_id     int      the calling profile's rc.Mailboxes.MailboxId
--   target_job_id  bigint   rc.Jobs.TargetJobId (rc.fn_itemtarget's resolved_job_id)
--   item_id        text     the payload's "itemId" (rc.fn_itemtarget's resolved_item_id)
--   fields         jsonb    the payload's "fields" for an update; NULL for a delete: no key
--   force          boolean  true: "onConflict": "overwrite", else "fail"
--   meeting_notice text     the payload's "meetingNotice"; NULL: no key (contact and task updates)
-- Result: bigint — the new job's JobId.
-- Payload: {"itemId": string|null, "fields": {…} (updates), "onConflict": "fail"|"overwrite", "meetingNotice":
--   "none"|"all"|"changed" (when given)}.
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_enqueueitemjob(kind text, mailbox_id int, target_job_id bigint, item_id text,
  fields jsonb, force boolean, meeting_notice text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN rc.fn_enqueuejob(fn_enqueueitemjob.kind, fn_enqueueitemjob.mailbox_id,
    jsonb_build_object('itemId', fn_enqueueitemjob.item_id,
      'onConflict', CASE WHEN coalesce(fn_enqueueitemjob.force, false) THEN 'overwrite' ELSE 'fail' END)
    || CASE WHEN fn_enqueueitemjob.fields IS NULL THEN '{}'::jsonb
      ELSE jsonb_build_object('fields', fn_enqueueitemjob.fields) END
    || CASE WHEN fn_enqueueitemjob.meeting_notice IS NULL THEN '{}'::jsonb
      ELSE jsonb_build_object('meetingNotice', fn_enqueueitemjob.meeting_notice) END,
    NULL, fn_enqueueitemjob.target_job_id);
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_enqueueitemjob(text, int, bigint, text, jsonb, boolean, text) FROM PUBLIC;
