-- rc.rc_DeleteTask — queue the deletion of a task rc_createtask created (or any task by its Exchange
-- ItemId); Exchange moves it to Deleted Items. Twin of stored-procedures/mssql/rc_DeleteTask.sql.
--
-- Joins the caller's transaction; writes one rc.Jobs row (Kind 'DeleteTask', TargetJobId = the create job when
-- addressed by job, key or the ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation
-- happens before anything is written. The worker waits for a create job still pending; a task already gone counts
-- as deleted. Unless force is true, a task someone changed in Exchange since rc last wrote it is not deleted: the
-- job fails with code 'conflict'. SECURITY DEFINER; the caller is session_user.
--
-- Parameters (all optional by name):
--   profile_name    text     NULL  the profile that created the task (needs the write right)
--   target_job_id   bigint   NULL  the JobId rc_createtask returned           } exactly one of the three
--   item_id         text     NULL  the Exchange ItemId (rc.Jobs.ResultItemId)     } names the task
--   correlation_key text     NULL  the correlation_key given to rc_createtask }
--   force           boolean  false true: delete even when the task was changed in Exchange since
-- Result: bigint — the JobId of the delete job.
-- Payload: {"itemId": text|null, "onConflict": "fail"|"overwrite", "meetingNotice": "none"}
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
CREATE OR REPLACE FUNCTION rc.rc_deletetask(
  profile_name text DEFAULT NULL,
  target_job_id bigint DEFAULT NULL,
  item_id text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
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
BEGIN
  -- Profile, permission and the task (50001 … 50004, 50060 … 50065).
  SELECT t.mailbox_id, t.resolved_job_id, t.resolved_item_id INTO v_mailbox_id, v_target_job_id, v_item_id
  FROM rc.fn_itemtarget('rc_DeleteTask', rc_deletetask.profile_name, 'CreateTask',
    rc_deletetask.target_job_id, rc_deletetask.item_id, rc_deletetask.correlation_key) AS t;

  RETURN rc.fn_enqueueitemjob('DeleteTask', v_mailbox_id, v_target_job_id, v_item_id, NULL,
    rc_deletetask.force, 'none');
END
$$;

-- EXECUTE is granted by the DBA to the applications that write tasks.
REVOKE ALL ON FUNCTION rc.rc_deletetask(text, bigint, text, text, boolean) FROM PUBLIC;
