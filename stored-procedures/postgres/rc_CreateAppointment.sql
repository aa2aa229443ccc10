-- rc.rc_CreateAppointment — queue the creation of one calendar item (an appointment, or a meeting when it has
-- attendees) in the profile's calendar, a named sub-calendar (created on first use) or the calendar of another
-- profile the caller may write to. Twin of stored-procedures/mssql/rc_CreateAppointment.sql.
--
-- Joins the caller's transaction (plain function, no COMMIT). Writes one rc.Jobs row (Kind 'CreateAppointment',
-- Status 'Pending') and one rc.JobEvents 'enqueued' row. Validation happens before anything is written; the
-- fields are checked by rc.fn_AppointmentFields (the same rules rc_SyncFolder applies to calendar items).
-- SECURITY DEFINER (callers need EXECUTE only); the caller is session_user.
--
-- Parameters (all optional by name so a missing one is a numbered error):
--   profile_name       text        NULL      rc mailbox profile (needs the write right)
--   subject            text        NULL      at most 255 characters; NULL → ''
--   body               text        NULL      at most 35 MB; NULL → ''
--   body_format        text        'TEXT'    TEXT | HTML (any case; NULL → TEXT)
--   start_time         timestamptz NULL      required: the start instant
--   end_time           timestamptz NULL      required: the end instant, after start_time
--   time_zone          text        NULL      Windows id ('W. Europe Standard Time') or IANA id ('Europe/Berlin'),
--                                            any case; NULL → UTC. Stored as the Windows id. Recurrences and all-day
--                                            events are laid out in this zone.
--   is_all_day         boolean     false     all-day: start_time and end_time are midnights in time_zone
--   location           text        NULL      at most 255 characters
--   required_attendees text        NULL      addresses separated by ';' or ',' (rc_SendMail's rules)
--   optional_attendees text        NULL      same form
--   resources          text        NULL      rooms / equipment mailboxes, same form; at most 500 in all three lists
--   recurrence         text        NULL      JSON {"pattern": {…}, "range": {…}} (see rc.fn_AppointmentRecurrence)
--   send_invitations   text        'all'     all: meeting requests to the attendees | none: save without sending
--   reminder_minutes   int         NULL      0..40320 minutes before the start; NULL or -1 → no reminder
--   categories         text        NULL      ';' or ',' separated (rc.fn_Categories)
--   show_as            text        'Busy'    Free | Tentative | Busy | OOF | WorkingElsewhere (any case)
--   sensitivity        text        'Normal'  Normal | Personal | Private | Confidential (any case)
--   calendar_name      text        NULL      NULL → the default calendar; 'Production plan' → that calendar below
--                                            it (created on first use); 'public:Path' → a public calendar folder
--   target_profile     text        NULL      another profile whose calendar to write to (caller needs write on it)
--   correlation_key    text        NULL      caller's idempotency key, at most 200 characters; '' → NULL; also
--                                            names the appointment for rc_UpdateAppointment / rc_DeleteAppointment
-- Result: bigint — the JobId. With a correlation_key already used for this profile and kind, the existing job's
--   id, and nothing is written.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": AppointmentFields (every key), "meetingNotice":
--   "none"|"all"}.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank                                       (raised by rc.fn_ResolveProfile)
--   50002 no mail profile with that name                                      (raised by rc.fn_ResolveProfile)
--   50003 the profile is disabled                                             (raised by rc.fn_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile  (raised by rc.fn_ResolveProfile)
--   50200 (internal: the fields object is not a JSON object)                  (raised by rc.fn_AppointmentFields)
--   50201 (internal: unknown or repeated field)                               (raised by rc.fn_AppointmentFields)
--   50202 (internal: value of the wrong JSON type)                            (raised by rc.fn_AppointmentFields)
--   50229 (update only: nothing to change)                                    (raised by rc.fn_AppointmentFields)
--   50023 subject longer than 255 characters                                  (raised by rc.fn_AppointmentFields)
--   50025 body longer than 35 MB                                              (raised by rc.fn_AppointmentFields)
--   50020 body_format is not TEXT or HTML                                     (raised by rc.fn_AppointmentFields)
--   50228 (update only: body_format without body)                             (raised by rc.fn_AppointmentFields)
--   50209 (update only: times not given together)                             (raised by rc.fn_AppointmentFields)
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
--   50230 send_invitations is not none or all
--   50050 calendar_name is not a valid folder name (raised by rc.fn_ResolveFolder via rc.fn_createtarget)
--   50054 a public calendar with a target_profile (raised by rc.fn_ResolveFolder via rc.fn_createtarget)
--   50051 target_profile does not exist (raised by rc.fn_ResolveFolder via rc.fn_createtarget)
--   50052 target_profile is disabled (raised by rc.fn_ResolveFolder via rc.fn_createtarget)
--   50053 the caller has no write right on target_profile (raised by rc.fn_ResolveFolder via rc.fn_createtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_createtarget)
CREATE OR REPLACE FUNCTION rc.rc_createappointment(
  profile_name text DEFAULT NULL,
  subject text DEFAULT NULL,
  body text DEFAULT NULL,
  body_format text DEFAULT 'TEXT',
  start_time timestamptz DEFAULT NULL,
  end_time timestamptz DEFAULT NULL,
  time_zone text DEFAULT NULL,
  is_all_day boolean DEFAULT false,
  location text DEFAULT NULL,
  required_attendees text DEFAULT NULL,
  optional_attendees text DEFAULT NULL,
  resources text DEFAULT NULL,
  recurrence text DEFAULT NULL,
  send_invitations text DEFAULT 'all',
  reminder_minutes int DEFAULT NULL,
  categories text DEFAULT NULL,
  show_as text DEFAULT 'Busy',
  sensitivity text DEFAULT 'Normal',
  calendar_name text DEFAULT NULL,
  target_profile text DEFAULT NULL,
  correlation_key text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_fields jsonb;
  v_notice text := lower(btrim(coalesce(rc_createappointment.send_invitations, 'all')));
  v_folder jsonb;
  v_key text;
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  v_mailbox_id := rc.fn_resolveprofile('rc_CreateAppointment', rc_createappointment.profile_name, 'write');

  -- The fields, as one JSON object keyed by parameter name (NULL = not given: the default applies); instants go
  -- in as UTC text (rc.fn_appointmentitem).
  v_fields := rc.fn_appointmentfields('rc_CreateAppointment', rc.fn_appointmentitem(
    rc_createappointment.subject, rc_createappointment.body, rc_createappointment.body_format,
    rc_createappointment.start_time, rc_createappointment.end_time, rc_createappointment.time_zone,
    rc_createappointment.is_all_day, rc_createappointment.location, rc_createappointment.required_attendees,
    rc_createappointment.optional_attendees, rc_createappointment.resources, rc_createappointment.recurrence,
    rc_createappointment.reminder_minutes, rc_createappointment.categories, rc_createappointment.show_as,
    rc_createappointment.sensitivity), false);

  IF v_notice NOT IN ('none', 'all') THEN
    RAISE EXCEPTION 'rc_CreateAppointment: @send_invitations "%" is not valid. Use none or all.', rc_createappointment.send_invitations
      USING ERRCODE = 'R0230';
  END IF;

  -- Target calendar and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  SELECT t.folder, t.job_key INTO v_folder, v_key
  FROM rc.fn_createtarget('rc_CreateAppointment', '@calendar_name', v_mailbox_id,
    rc_createappointment.calendar_name, rc_createappointment.target_profile,
    rc_createappointment.correlation_key) AS t;

  RETURN rc.fn_enqueuejob('CreateAppointment', v_mailbox_id,
    jsonb_build_object('folder', v_folder, 'fields', v_fields, 'meetingNotice', v_notice), v_key, NULL);
END
$$;

-- EXECUTE is granted by the DBA to the applications that write calendars.
REVOKE ALL ON FUNCTION rc.rc_createappointment(text, text, text, text, timestamptz, timestamptz, text, boolean, text, text, text, text, text, text, int, text, text, text, text, text, text) FROM PUBLIC;
