-- rc.rc_UpdateAppointment — queue a change of some fields of a calendar item rc_CreateAppointment created (or
-- any calendar item, by its Exchange ItemId). Twin of stored-procedures/mssql/rc_UpdateAppointment.sql.
--
-- Joins the caller's transaction. Writes one rc.Jobs row (Kind 'UpdateAppointment', TargetJobId = the create job
-- when the item is named by target_job_id, correlation_key or the ItemId that job recorded) and one rc.JobEvents
-- 'enqueued' row. Validation happens before anything is written. SECURITY DEFINER; the caller is session_user.
--
-- Only the given fields change: NULL leaves a field as it is; '' clears subject, body, location, an attendee
-- list, categories or the recurrence (the appointment becomes a single one); reminder_minutes -1 removes the
-- reminder. start_time and end_time are given together (time_zone NULL → UTC, is_all_day NULL → false then);
-- body_format only with body. The worker applies the change with the ChangeKey it last saw: when someone changed
-- the item in Exchange meanwhile the job fails with code 'conflict', unless force = true.
--
-- Parameters (all optional by name):
--   profile_name       text        NULL   rc mailbox profile (needs the write right)
--   target_job_id      bigint      NULL   the JobId rc_CreateAppointment returned …
--   item_id            text        NULL   … or the Exchange ItemId (rc.Jobs.ResultItemId) …
--   correlation_key    text        NULL   … or the correlation_key given to rc_CreateAppointment: exactly one
--   subject, body, body_format, start_time, end_time, time_zone, is_all_day, location, required_attendees,
--   optional_attendees, resources, recurrence, reminder_minutes, categories, show_as, sensitivity
--                                  NULL   as rc_CreateAppointment; NULL = unchanged
--   send_invitations   text        'all'  all: updates to every attendee | changed: only to added or removed
--                                         attendees | none: no meeting updates
--   force              boolean     false  true: overwrite changes made in Exchange meanwhile
-- Result: bigint — the JobId of the update job.
-- Payload: {"itemId": text|null, "fields": {only the given keys}, "onConflict": "fail"|"overwrite",
--   "meetingNotice": "none"|"all"|"changed"}.
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
--   50065 the appointment is deleted or being deleted (raised by rc.fn_ResolveItemRef via rc.fn_itemtarget)
--   50200 (internal: the fields are not a JSON object)                        (raised by rc.fn_AppointmentFields)
--   50201 (internal: unknown or repeated field)                               (raised by rc.fn_AppointmentFields)
--   50202 (internal: value of the wrong JSON type)                            (raised by rc.fn_AppointmentFields)
--   50229 no field given: nothing to change                                   (raised by rc.fn_AppointmentFields)
--   50023 subject longer than 255 characters                                  (raised by rc.fn_AppointmentFields)
--   50025 body longer than 35 MB                                              (raised by rc.fn_AppointmentFields)
--   50020 body_format is not TEXT or HTML                                     (raised by rc.fn_AppointmentFields)
--   50228 body_format given without body                                      (raised by rc.fn_AppointmentFields)
--   50209 start_time / end_time / time_zone / is_all_day not together         (raised by rc.fn_AppointmentFields)
--   50203 start_time missing                                                  (raised by rc.fn_AppointmentFields)
--   50204 end_time missing                                                    (raised by rc.fn_AppointmentFields)
--   50206 time_zone unknown                                                   (raised by rc.fn_AppointmentFields)
--   50205 start_time / end_time outside the years 1601 to 4500                (raised by rc.fn_AppointmentFields)
--   50207 end_time not after start_time                                       (raised by rc.fn_AppointmentFields)
--   50208 all-day but not midnights in the zone                               (raised by rc.fn_AppointmentFields)
--   50210 location longer than 255 characters                                 (raised by rc.fn_AppointmentFields)
--   50211 an attendee or resource address is invalid                          (raised by rc.fn_AppointmentFields)
--   50212 more than 500 attendees and resources                               (raised by rc.fn_AppointmentFields)
--   50213 reminder_minutes not -1..40320                                      (raised by rc.fn_AppointmentFields)
--   50055 categories: an entry > 255 characters or more than 50               (raised by rc.fn_Categories)
--   50214 show_as invalid                                                     (raised by rc.fn_AppointmentFields)
--   50022 sensitivity invalid                                                 (raised by rc.fn_AppointmentFields)
--   50215 recurrence not a JSON object with pattern and range                 (raised by rc.fn_AppointmentRecurrence)
--   50216 recurrence: unknown, unused or repeated key                         (raised by rc.fn_AppointmentRecurrence)
--   50217 recurrence: pattern type                                            (raised by rc.fn_AppointmentRecurrence)
--   50218 recurrence: interval                                                (raised by rc.fn_AppointmentRecurrence)
--   50219 recurrence: daysOfWeek                                              (raised by rc.fn_AppointmentRecurrence)
--   50222 recurrence: month                                                   (raised by rc.fn_AppointmentRecurrence)
--   50220 recurrence: dayOfMonth                                              (raised by rc.fn_AppointmentRecurrence)
--   50221 recurrence: index                                                   (raised by rc.fn_AppointmentRecurrence)
--   50223 recurrence: firstDayOfWeek                                          (raised by rc.fn_AppointmentRecurrence)
--   50224 recurrence: range type                                              (raised by rc.fn_AppointmentRecurrence)
--   50225 recurrence: startDate / endDate                                     (raised by rc.fn_AppointmentRecurrence)
--   50226 recurrence: numberOfOccurrences                                     (raised by rc.fn_AppointmentRecurrence)
--   50227 recurrence: startDate is not the start's date                       (raised by rc.fn_AppointmentRecurrence)
--   50230 send_invitations is not none, all or changed
CREATE OR REPLACE FUNCTION rc.rc_updateappointment(
  profile_name text DEFAULT NULL,
  target_job_id bigint DEFAULT NULL,
  item_id text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  subject text DEFAULT NULL,
  body text DEFAULT NULL,
  body_format text DEFAULT NULL,
  start_time timestamptz DEFAULT NULL,
  end_time timestamptz DEFAULT NULL,
  time_zone text DEFAULT NULL,
  is_all_day boolean DEFAULT NULL,
  location text DEFAULT NULL,
  required_attendees text DEFAULT NULL,
  optional_attendees text DEFAULT NULL,
  resources text DEFAULT NULL,
  recurrence text DEFAULT NULL,
  send_invitations text DEFAULT 'all',
  reminder_minutes int DEFAULT NULL,
  categories text DEFAULT NULL,
  show_as text DEFAULT NULL,
  sensitivity text DEFAULT NULL,
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
  v_notice text := lower(btrim(coalesce(rc_updateappointment.send_invitations, 'all')));
BEGIN
  -- Profile, permission and the appointment (50001 … 50004, 50060 … 50065).
  SELECT t.mailbox_id, t.resolved_job_id, t.resolved_item_id INTO v_mailbox_id, v_target_job_id, v_item_id
  FROM rc.fn_itemtarget('rc_UpdateAppointment', rc_updateappointment.profile_name, 'CreateAppointment',
    rc_updateappointment.target_job_id, rc_updateappointment.item_id, rc_updateappointment.correlation_key) AS t;

  -- The changed fields only (NULL = unchanged). Built by rc.fn_appointmentitem, as in rc_CreateAppointment.
  v_fields := rc.fn_appointmentfields('rc_UpdateAppointment', rc.fn_appointmentitem(
    rc_updateappointment.subject, rc_updateappointment.body, rc_updateappointment.body_format,
    rc_updateappointment.start_time, rc_updateappointment.end_time, rc_updateappointment.time_zone,
    rc_updateappointment.is_all_day, rc_updateappointment.location, rc_updateappointment.required_attendees,
    rc_updateappointment.optional_attendees, rc_updateappointment.resources, rc_updateappointment.recurrence,
    rc_updateappointment.reminder_minutes, rc_updateappointment.categories, rc_updateappointment.show_as,
    rc_updateappointment.sensitivity), true);

  IF v_notice NOT IN ('none', 'all', 'changed') THEN
    RAISE EXCEPTION 'rc_UpdateAppointment: @send_invitations "%" is not valid. Use none, all or changed.', rc_updateappointment.send_invitations
      USING ERRCODE = 'R0230';
  END IF;

  RETURN rc.fn_enqueueitemjob('UpdateAppointment', v_mailbox_id, v_target_job_id, v_item_id, v_fields,
    rc_updateappointment.force, v_notice);
END
$$;

REVOKE ALL ON FUNCTION rc.rc_updateappointment(text, bigint, text, text, text, text, text, timestamptz, timestamptz, text, boolean, text, text, text, text, text, text, int, text, text, text, boolean) FROM PUBLIC;
