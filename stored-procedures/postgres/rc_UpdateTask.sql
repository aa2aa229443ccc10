-- rc.rc_UpdateTask — queue a change of some fields of a task rc_createtask created (or any task by its Exchange
-- ItemId). Only the fields given change: NULL leaves a field as it is, '' clears a clearable field, clear_fields
-- names fields to clear that cannot take '' (start_date, due_date, reminder_time). Twin of
-- stored-procedures/mssql/rc_UpdateTask.sql.
--
-- Joins the caller's transaction; writes one rc.Jobs row (Kind 'UpdateTask', TargetJobId = the create job when
-- addressed by job, key or the ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation
-- happens before anything is written. The worker waits for a create job still pending, applies the change with
-- the ChangeKey it knows and fails with code 'conflict' when someone else changed the task since — unless force
-- is true (last writer wins). SECURITY DEFINER; the caller is session_user.
--
-- Parameters (all optional by name):
--   profile_name    text     NULL  the profile that created the task (needs the write right)
--   target_job_id   bigint   NULL  the JobId rc_createtask returned           } exactly one of the three
--   item_id         text     NULL  the Exchange ItemId (rc.Jobs.ResultItemId)  } names the task
--   correlation_key text     NULL  the correlation_key given to rc_createtask }
--   subject … categories           the fields of rc_createtask (same types, rules and limits); NULL =
--                                  unchanged, '' = clear (body, categories); subject, body_format, status,
--                                  percent_complete and importance cannot be cleared; body_format only with body
--   clear_fields    text     NULL  field names to clear, ';' or ',' separated: body, start_date, due_date,
--                                  reminder_time, categories ('@' optional)
--   force           boolean  false true: overwrite changes made in Exchange since (no ChangeKey conflict check)
-- Status and percent complete: given together they must agree (Completed ⇔ 100, NotStarted ⇒ 0); Completed alone
--   also sets 100, NotStarted alone 0, 100 alone Completed; another percentage alone is left to Exchange (it makes
--   a not-started or completed task InProgress).
-- Result: bigint — the JobId of the update job (never deduplicated: each call is a change).
-- Payload: {"itemId": text|null, "fields": {only the changed keys of TaskFields}, "onConflict": "fail"|"overwrite"}
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50002 no mail profile with that name (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50003 the profile is disabled (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50060 none, or more than one, of target_job_id, item_id and correlation_key (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50061 target_job_id is not a CreateTask job of this profile (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50062 no CreateTask job of this profile has that correlation_key (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50063 item_id blank or longer than 512 characters (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50064 the create job is Failed or Cancelled: no task to change (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50065 the task is deleted or being deleted (an earlier DeleteTask) (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50400 the fields as JSON are not an object      (not reachable here: rc.fn_taskfields serves rc_syncfolder too)
--   50401 unknown or repeated key                   (not reachable here)
--   50402 a value of the wrong JSON type            (not reachable here)
--   50412 clear_fields names an unknown or not clearable field, or one also given a value
--   50411 nothing to change: no field given and clear_fields empty
--   50403 subject '' or blank (a task keeps its subject)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 body_format without body
--   50404 start_date / due_date outside 1601-01-01 … 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time outside the years 1601 … 4500
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.fn_categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict (Completed ⇔ 100, NotStarted ⇒ 0)
CREATE OR REPLACE FUNCTION rc.rc_updatetask(
  profile_name text DEFAULT NULL,
  target_job_id bigint DEFAULT NULL,
  item_id text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  subject text DEFAULT NULL,
  body text DEFAULT NULL,
  body_format text DEFAULT NULL,
  start_date date DEFAULT NULL,
  due_date date DEFAULT NULL,
  status text DEFAULT NULL,
  percent_complete int DEFAULT NULL,
  importance text DEFAULT NULL,
  reminder_time timestamptz DEFAULT NULL,
  categories text DEFAULT NULL,
  clear_fields text DEFAULT NULL,
  force boolean DEFAULT false
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_target_job_id bigint;
  v_item_id text;
  v_fields jsonb;
BEGIN
  -- Profile, permission and the task (50001 … 50004, 50060 … 50065).
  SELECT t.mailbox_id, t.resolved_job_id, t.resolved_item_id INTO v_mailbox_id, v_target_job_id, v_item_id
  FROM rc.fn_itemtarget('rc_UpdateTask', rc_updatetask.profile_name, 'CreateTask',
    rc_updatetask.target_job_id, rc_updatetask.item_id, rc_updatetask.correlation_key) AS t;
  -- The change (504nn).
  v_fields := rc.fn_taskfields('rc_UpdateTask', rc.fn_taskitem(
    rc_updatetask.subject, rc_updatetask.body, rc_updatetask.body_format, rc_updatetask.start_date,
    rc_updatetask.due_date, rc_updatetask.status, rc_updatetask.percent_complete,
    rc_updatetask.importance, rc_updatetask.reminder_time, rc_updatetask.categories,
    rc_updatetask.clear_fields), true);

  RETURN rc.fn_enqueueitemjob('UpdateTask', v_mailbox_id, v_target_job_id, v_item_id, v_fields,
    rc_updatetask.force, NULL);
END
$$;

-- EXECUTE is granted by the DBA to the applications that write tasks.
REVOKE ALL ON FUNCTION rc.rc_updatetask(text, bigint, text, text, text, text, text, date, date, text, int, text, timestamptz, text, text, boolean) FROM PUBLIC;
