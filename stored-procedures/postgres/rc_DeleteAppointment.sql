-- rc.rc_DeleteAppointment — queue the deletion of a calendar item rc_CreateAppointment created (or any calendar
-- item, by its Exchange ItemId), sending cancellations to its attendees unless told not to. Twin of
-- stored-procedures/mssql/rc_DeleteAppointment.sql.
--
-- Joins the caller's transaction. Writes one rc.Jobs row (Kind 'DeleteAppointment', TargetJobId = the create job
-- when the item is named by target_job_id, correlation_key or the ItemId that job recorded) and one rc.JobEvents
-- 'enqueued' row. The item goes to Deleted Items. A second delete of the same item is refused (50065); an item
-- already gone in Exchange counts as deleted. SECURITY DEFINER; the caller is session_user.
--
-- Parameters (all optional by name):
--   profile_name       text     NULL   rc mailbox profile (needs the write right)
--   target_job_id      bigint   NULL   the JobId rc_CreateAppointment returned …
--   item_id            text     NULL   … or the Exchange ItemId (rc.Jobs.ResultItemId) …
--   correlation_key    text     NULL   … or the correlation_key given to rc_CreateAppointment: exactly one
--   send_cancellations text     'all'  all: meeting cancellations to every attendee | none: delete silently
--   force              boolean  false  true: delete even when someone changed the item in Exchange meanwhile
-- Result: bigint — the JobId of the delete job.
-- Payload: {"itemId": text|null, "onConflict": "fail"|"overwrite", "meetingNotice": "none"|"all"}.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank (raised by rc.fn_ResolveProfile via rc.fn_itemtarget)
--   50002 no mail profile with that name (raised by rc.fn_ResolveProfile via rc.fn_itemtarget)
--   50003 the profile is disabled (raised by rc.fn_ResolveProfile via rc.fn_itemtarget)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_ResolveProfile via rc.fn_itemtarget)
--   50060 none, or more than one, of target_job_id, item_id, correlation_key (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50061 target_job_id is not a CreateAppointment job of this profile (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50062 no CreateAppointment job of this profile has that correlation_key (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50063 item_id blank or longer than 512 characters (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50064 the create job failed or was cancelled (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50065 the appointment is already deleted or being deleted (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50230 send_cancellations is not none or all
CREATE OR REPLACE FUNCTION rc.rc_deleteappointment(
  profile_name text DEFAULT NULL,
  target_job_id bigint DEFAULT NULL,
  item_id text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  send_cancellations text DEFAULT 'all',
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
  v_notice text := lower(btrim(coalesce(rc_deleteappointment.send_cancellations, 'all')));
BEGIN
  -- Profile, permission and the appointment (50001 … 50004, 50060 … 50065).
  SELECT t.mailbox_id, t.resolved_job_id, t.resolved_item_id INTO v_mailbox_id, v_target_job_id, v_item_id
  FROM rc.fn_itemtarget('rc_DeleteAppointment', rc_deleteappointment.profile_name, 'CreateAppointment',
    rc_deleteappointment.target_job_id, rc_deleteappointment.item_id, rc_deleteappointment.correlation_key) AS t;

  IF v_notice NOT IN ('none', 'all') THEN
    RAISE EXCEPTION 'rc_DeleteAppointment: @send_cancellations "%" is not valid. Use none or all.', rc_deleteappointment.send_cancellations
      USING ERRCODE = 'R0230';
  END IF;

  RETURN rc.fn_enqueueitemjob('DeleteAppointment', v_mailbox_id, v_target_job_id, v_item_id, NULL,
    rc_deleteappointment.force, v_notice);
END
$$;

REVOKE ALL ON FUNCTION rc.rc_deleteappointment(text, bigint, text, text, text, boolean) FROM PUBLIC;
