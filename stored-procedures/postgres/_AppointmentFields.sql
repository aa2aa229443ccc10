-- rc.fn_AppointmentFields — internal helper: validates one appointment given as a JSON object (keys = the
-- parameter names of rc_CreateAppointment without '@') and returns the payload's "fields" object (the TS type
-- worker/exchange/appointment-fields.ts). rc_CreateAppointment and rc_UpdateAppointment build that object from
-- their parameters and call it; rc_SyncFolder calls it for every item. Twin of
-- stored-procedures/mssql/_AppointmentFields.sql (rc.rc_internal_AppointmentFields there). Raises with
-- proc_name as prefix; writes nothing. Contract for other callers: /work/notes/appointments-fields.md.
--
-- Parameters:
--   proc_name text     message prefix: the calling procedure's name (or e.g. 'rc_SyncFolder: item "k"')
--   item      jsonb    the appointment: subject, body, body_format, start_time, end_time, time_zone, is_all_day,
--                      location, required_attendees, optional_attendees, resources, recurrence, reminder_minutes,
--                      categories, show_as, sensitivity (keys case-insensitive). JSON strings or null, except
--                      is_all_day (true/false/0/1), reminder_minutes (integer) and recurrence (object or a
--                      string holding one). start_time / end_time: ISO 8601 'YYYY-MM-DD[Thh:mm[:ss[.f]]]'; with
--                      'Z' or '±hh:mm' an instant, without an offset a wall-clock time in time_zone.
--   partial   boolean  false (default): a whole appointment (create, desired state): defaults applied, start and
--                      end required, every key in the result. true (update): only the given keys come out; ''
--                      clears subject, body, location, an attendee list, categories, recurrence; reminder -1
--                      removes the reminder; start_time and end_time come together (with time_zone, is_all_day).
-- Result: jsonb — {"subject","body","bodyType","start","end","timeZone","isAllDay","location","showAs",
--   "sensitivity","reminderMinutes","categories","requiredAttendees","optionalAttendees","resources",
--   "recurrence"} (partial: only those given). start/end as UTC 'YYYY-MM-DDThh:mm:ss[.fff]Z' (cut to the
--   millisecond), timeZone the Windows id (NULL time_zone → 'UTC'), lists as JSON arrays.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50200 item is not a JSON object
--   50201 a key that is not a field of an appointment, or a field given twice
--   50202 a value of the wrong JSON type
--   50229 partial: no field given (nothing to change)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50228 partial: body_format without body
--   50209 partial: start_time, end_time, time_zone, is_all_day given without both start_time and end_time
--   50203 start_time missing
--   50204 end_time missing
--   50206 time_zone is neither a Windows nor an IANA id rc.TimeZones / rc.TimeZoneAliases know
--   50205 start_time / end_time is not an ISO 8601 date-time (years 1601 to 4500)
--   50207 end_time is not after start_time
--   50208 an all-day appointment does not start and end at midnight in its time zone
--   50210 location longer than 255 characters
--   50211 an entry of required_attendees / optional_attendees / resources is not a plain valid address
--   50212 more than 500 attendees and resources in total
--   50213 reminder_minutes is not a whole number from -1 to 40320
--   50055 categories: an entry longer than 255 characters or more than 50 (raised by rc.fn_Categories)
--   50214 show_as is not Free, Tentative, Busy, OOF or WorkingElsewhere
--   50022 sensitivity is not Normal, Personal, Private or Confidential
--   50215 recurrence is not a JSON object with a pattern and a range (raised by rc.fn_AppointmentRecurrence)
--   50216 recurrence: an unknown, unused or repeated key                 (raised by rc.fn_AppointmentRecurrence)
--   50217 recurrence: pattern type                                         (raised by rc.fn_AppointmentRecurrence)
--   50218 recurrence: interval                                             (raised by rc.fn_AppointmentRecurrence)
--   50219 recurrence: daysOfWeek                                           (raised by rc.fn_AppointmentRecurrence)
--   50222 recurrence: month                                                (raised by rc.fn_AppointmentRecurrence)
--   50220 recurrence: dayOfMonth                                           (raised by rc.fn_AppointmentRecurrence)
--   50221 recurrence: index                                                (raised by rc.fn_AppointmentRecurrence)
--   50223 recurrence: firstDayOfWeek                                       (raised by rc.fn_AppointmentRecurrence)
--   50224 recurrence: range type                                           (raised by rc.fn_AppointmentRecurrence)
--   50225 recurrence: startDate / endDate                                  (raised by rc.fn_AppointmentRecurrence)
--   50226 recurrence: numberOfOccurrences                                  (raised by rc.fn_AppointmentRecurrence)
--   50227 recurrence: startDate not the start's date, or missing without start_time (rc.fn_AppointmentRecurrence)
CREATE OR REPLACE FUNCTION rc.fn_appointmentfields(proc_name text, item jsonb, partial boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  c_fields text[] := ARRAY['subject', 'body', 'body_format', 'start_time', 'end_time', 'time_zone', 'is_all_day',
    'location', 'required_attendees', 'optional_attendees', 'resources', 'recurrence', 'reminder_minutes',
    'categories', 'show_as', 'sensitivity'];
  c_lists text[] := ARRAY['required_attendees', 'optional_attendees', 'resources'];
  c_list_keys text[] := ARRAY['requiredAttendees', 'optionalAttendees', 'resources'];
  c_time_names text[] := ARRAY['@start_time', '@end_time'];
  v_partial boolean := coalesce(fn_appointmentfields.partial, false);
  v_given jsonb := '{}';  -- lower-case field name → value, JSON nulls left out (null = not given)
  v_seen text[] := '{}';
  v_key text;
  v_value jsonb;
  v_type text;
  v_out jsonb := '{}';
  v_subject text;
  v_body text;
  v_format text;
  v_start_text text;
  v_end_text text;
  v_zone_text text;
  v_all_day boolean;
  v_windows text := 'UTC';
  v_iana text;
  v_text text;
  v_local timestamp;
  v_instant timestamptz;
  v_shift interval;
  v_times timestamptz[] := ARRAY[NULL, NULL]::timestamptz[];
  v_start_date date;
  v_location text;
  v_entries text[];
  v_entry text;
  v_total int := 0;
  v_reminder text;
  v_show_as text;
  v_sensitivity text;
  v_recurrence text;
BEGIN
  IF item IS NULL OR jsonb_typeof(item) <> 'object' THEN
    RAISE EXCEPTION '%: the appointment is not a JSON object. Pass an object whose keys are rc_CreateAppointment''s parameter names without ''@'', e.g. {"subject": "Review", "start_time": "2026-05-04T09:00:00+02:00", "end_time": "2026-05-04T10:00:00+02:00"}.', proc_name
      USING ERRCODE = 'R0200';
  END IF;

  -- Keys: known fields only, each once (case-insensitively), values of the right JSON type.
  FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(item) AS e ORDER BY e.key COLLATE "C" LOOP
    IF lower(v_key) <> ALL (c_fields) THEN
      RAISE EXCEPTION '%: "%" is not a field of an appointment. Use subject, body, body_format, start_time, end_time, time_zone, is_all_day, location, required_attendees, optional_attendees, resources, recurrence, reminder_minutes, categories, show_as or sensitivity.', proc_name, v_key
        USING ERRCODE = 'R0201';
    END IF;
    IF lower(v_key) = ANY (v_seen) THEN
      RAISE EXCEPTION '%: the field "%" is given twice (field names are case-insensitive). Give each field once.', proc_name, v_key
        USING ERRCODE = 'R0201';
    END IF;
    v_seen := v_seen || lower(v_key);
    v_type := jsonb_typeof(v_value);
    IF v_type <> 'null' AND NOT (CASE lower(v_key)
        WHEN 'is_all_day' THEN v_type = 'boolean' OR (v_type = 'number' AND v_value::text IN ('0', '1'))
        WHEN 'reminder_minutes' THEN v_type = 'number'
        WHEN 'recurrence' THEN v_type IN ('object', 'string')
        ELSE v_type = 'string' END) THEN
      RAISE EXCEPTION '%: @% must be %, not a JSON %.', proc_name, lower(v_key),
        CASE lower(v_key) WHEN 'is_all_day' THEN 'true or false (or 1 or 0)' WHEN 'reminder_minutes' THEN 'a JSON number'
          WHEN 'recurrence' THEN 'a JSON object (or a string holding one)' ELSE 'a JSON string' END, v_type
        USING ERRCODE = 'R0202';
    END IF;
    IF v_type <> 'null' THEN
      v_given := v_given || jsonb_build_object(lower(v_key), v_value);
    END IF;
  END LOOP;
  IF v_partial AND v_given = '{}'::jsonb THEN
    RAISE EXCEPTION '%: nothing to change. Pass at least one field to change (NULL leaves a field as it is).', proc_name
      USING ERRCODE = 'R0229';
  END IF;

  -- Subject and body.
  v_subject := v_given ->> 'subject';
  IF length(v_subject) > 255 THEN
    RAISE EXCEPTION '%: @subject is % characters long, at most 255 are allowed. Shorten the subject.', proc_name, length(v_subject)
      USING ERRCODE = 'R0023';
  END IF;
  v_body := v_given ->> 'body';
  IF length(v_body) > 36700160 THEN
    RAISE EXCEPTION '%: @body is % characters long, at most 35 MB (36700160 characters) are allowed. Send the content as an attachment or shorten it.', proc_name, length(v_body)
      USING ERRCODE = 'R0025';
  END IF;
  v_format := upper(btrim(v_given ->> 'body_format'));
  IF v_format NOT IN ('TEXT', 'HTML') THEN
    RAISE EXCEPTION '%: @body_format "%" is not valid. Use TEXT or HTML.', proc_name, v_given ->> 'body_format'
      USING ERRCODE = 'R0020';
  END IF;
  IF v_partial AND v_format IS NOT NULL AND v_body IS NULL THEN
    RAISE EXCEPTION '%: @body_format is given without @body. Pass the body together with its format (an update replaces the body as a whole).', proc_name
      USING ERRCODE = 'R0228';
  END IF;

  -- Times: start, end, zone and all-day go together.
  v_start_text := v_given ->> 'start_time';
  v_end_text := v_given ->> 'end_time';
  v_zone_text := v_given ->> 'time_zone';
  v_all_day := CASE WHEN v_given ? 'is_all_day' THEN v_given ->> 'is_all_day' IN ('true', '1') END;
  IF v_partial AND (v_start_text IS NULL OR v_end_text IS NULL)
     AND (v_start_text IS NOT NULL OR v_end_text IS NOT NULL OR v_zone_text IS NOT NULL OR v_all_day IS NOT NULL) THEN
    RAISE EXCEPTION '%: @start_time, @end_time, @time_zone and @is_all_day change together. Pass @start_time and @end_time (and @time_zone and @is_all_day unless they are UTC and 0) to move the appointment.', proc_name
      USING ERRCODE = 'R0209';
  END IF;
  IF NOT v_partial OR v_start_text IS NOT NULL THEN
    IF v_start_text IS NULL THEN
      RAISE EXCEPTION '%: @start_time is missing. Pass the start as a datetimeoffset (or ISO 8601 text).', proc_name
        USING ERRCODE = 'R0203';
    END IF;
    IF v_end_text IS NULL THEN
      RAISE EXCEPTION '%: @end_time is missing. Pass the end as a datetimeoffset (or ISO 8601 text).', proc_name
        USING ERRCODE = 'R0204';
    END IF;
    IF v_zone_text IS NOT NULL THEN
      SELECT z.WindowsId INTO v_windows FROM rc.TimeZones AS z WHERE lower(z.WindowsId) = lower(btrim(v_zone_text));
      IF NOT FOUND THEN
        SELECT a.WindowsId INTO v_windows FROM rc.TimeZoneAliases AS a WHERE lower(a.IanaId) = lower(btrim(v_zone_text));
      END IF;
      IF v_windows IS NULL THEN
        RAISE EXCEPTION '%: @time_zone "%" is not a known time zone. Use a Windows id such as W. Europe Standard Time or an IANA id such as Europe/Berlin (listed in rc.TimeZones and rc.TimeZoneAliases).', proc_name, v_zone_text
          USING ERRCODE = 'R0206';
      END IF;
    END IF;
    SELECT z.IanaId INTO v_iana FROM rc.TimeZones AS z WHERE z.WindowsId = v_windows;

    FOR i IN 1..2 LOOP
      v_text := CASE i WHEN 1 THEN v_start_text ELSE v_end_text END;
      v_instant := NULL;
      -- Hours 00-23, minutes and seconds 00-59, offsets up to ±14:00: what SQL Server's types accept (PostgreSQL
      -- would also take 24:00, a leap second and ±15:59).
      IF (CASE WHEN v_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,7})?)?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)?)?$'
         THEN left(v_text, 4)::int BETWEEN 1601 AND 4500 ELSE false END) THEN
        BEGIN
          IF v_text ~ '(Z|[+-][0-9]{2}:[0-9]{2})$' THEN
            v_instant := v_text::timestamptz;
          ELSE
            -- Wall-clock time in the zone. A time skipped by a DST change moves forward by the gap; a time that
            -- occurs twice is the first (daylight) one — as SQL Server's AT TIME ZONE and Exchange do.
            v_local := v_text::timestamp;
            v_instant := v_local AT TIME ZONE v_iana;
            v_shift := ((v_instant - interval '1 day') AT TIME ZONE v_iana - (v_instant - interval '1 day') AT TIME ZONE 'UTC')
              - ((v_instant + interval '1 day') AT TIME ZONE v_iana - (v_instant + interval '1 day') AT TIME ZONE 'UTC');
            IF v_shift > interval '0' AND (v_instant - v_shift) AT TIME ZONE v_iana = v_local THEN
              v_instant := v_instant - v_shift;
            END IF;
          END IF;
        EXCEPTION WHEN others THEN
          v_instant := NULL;
        END;
      END IF;
      IF v_instant IS NULL THEN
        RAISE EXCEPTION '%: % "%" is not a date-time. Pass a datetimeoffset, or ISO 8601 text YYYY-MM-DDThh:mm:ss with Z or +hh:mm for an instant, without an offset for a wall-clock time in @time_zone (years 1601 to 4500).', proc_name, c_time_names[i], v_text
          USING ERRCODE = 'R0205';
      END IF;
      v_times[i] := date_trunc('milliseconds', v_instant);
    END LOOP;
    IF v_times[2] <= v_times[1] THEN
      RAISE EXCEPTION '%: @end_time % is not after @start_time %. Pass an end later than the start.', proc_name,
        to_char(v_times[2] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(v_times[1] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        USING ERRCODE = 'R0207';
    END IF;
    IF coalesce(v_all_day, false)
       AND ((v_times[1] AT TIME ZONE v_iana)::time <> '00:00' OR (v_times[2] AT TIME ZONE v_iana)::time <> '00:00') THEN
      RAISE EXCEPTION '%: an all-day appointment starts and ends at midnight in its time zone %, but @start_time is % and @end_time is % there. Pass whole days, e.g. 2026-05-01T00:00 to 2026-05-02T00:00 in that zone.', proc_name, v_windows,
        to_char(v_times[1] AT TIME ZONE v_iana, 'YYYY-MM-DD"T"HH24:MI:SS'), to_char(v_times[2] AT TIME ZONE v_iana, 'YYYY-MM-DD"T"HH24:MI:SS')
        USING ERRCODE = 'R0208';
    END IF;
    v_start_date := (v_times[1] AT TIME ZONE v_iana)::date;
    v_out := v_out || jsonb_build_object(
      'start', to_char(v_times[1] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN date_trunc('second', v_times[1]) <> v_times[1] THEN to_char(v_times[1] AT TIME ZONE 'UTC', '.MS') ELSE '' END || 'Z',
      'end', to_char(v_times[2] AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
        || CASE WHEN date_trunc('second', v_times[2]) <> v_times[2] THEN to_char(v_times[2] AT TIME ZONE 'UTC', '.MS') ELSE '' END || 'Z',
      'timeZone', v_windows,
      'isAllDay', coalesce(v_all_day, false));
  END IF;

  v_location := v_given ->> 'location';
  IF length(v_location) > 255 THEN
    RAISE EXCEPTION '%: @location is % characters long, at most 255 are allowed. Shorten it.', proc_name, length(v_location)
      USING ERRCODE = 'R0210';
  END IF;

  -- Attendees and resources: rc_SendMail's address lists.
  FOR i IN 1..3 LOOP
    v_entries := rc.fn_splitaddresslist(v_given ->> c_lists[i]);
    FOREACH v_entry IN ARRAY v_entries LOOP
      IF NOT rc.fn_isvalidaddress(v_entry) THEN
        RAISE EXCEPTION '%: "%" in @% is not a valid e-mail address. Use plain addresses (user@example.com, no display names) separated by '';'' or '',''.', proc_name, v_entry, c_lists[i]
          USING ERRCODE = 'R0211';
      END IF;
    END LOOP;
    v_total := v_total + cardinality(v_entries);
    IF NOT v_partial OR v_given ? c_lists[i] THEN
      v_out := v_out || jsonb_build_object(c_list_keys[i], to_jsonb(v_entries));
    END IF;
  END LOOP;
  IF v_total > 500 THEN
    RAISE EXCEPTION '%: % attendees and resources in total, Exchange accepts at most 500 per meeting. Invite a distribution list instead of its members.', proc_name, v_total
      USING ERRCODE = 'R0212';
  END IF;

  v_reminder := v_given ->> 'reminder_minutes';
  IF (CASE WHEN v_reminder ~ '^-?[0-9]{1,5}$' THEN v_reminder::int NOT BETWEEN -1 AND 40320 ELSE v_reminder IS NOT NULL END) THEN
    RAISE EXCEPTION '%: @reminder_minutes % is not valid. Use 0 to 40320 minutes (4 weeks) before the start, or -1 for no reminder.', proc_name, v_reminder
      USING ERRCODE = 'R0213';
  END IF;

  IF NOT v_partial OR v_given ? 'categories' THEN
    v_out := v_out || jsonb_build_object('categories', rc.fn_categories(proc_name, v_given ->> 'categories'));
  END IF;

  v_show_as := CASE lower(btrim(v_given ->> 'show_as'))
    WHEN 'free' THEN 'Free' WHEN 'tentative' THEN 'Tentative' WHEN 'busy' THEN 'Busy' WHEN 'oof' THEN 'OOF'
    WHEN 'workingelsewhere' THEN 'WorkingElsewhere' END;
  IF v_given ? 'show_as' AND v_show_as IS NULL THEN
    RAISE EXCEPTION '%: @show_as "%" is not valid. Use Free, Tentative, Busy, OOF or WorkingElsewhere.', proc_name, v_given ->> 'show_as'
      USING ERRCODE = 'R0214';
  END IF;
  v_sensitivity := CASE lower(btrim(v_given ->> 'sensitivity'))
    WHEN 'normal' THEN 'Normal' WHEN 'personal' THEN 'Personal' WHEN 'private' THEN 'Private'
    WHEN 'confidential' THEN 'Confidential' END;
  IF v_given ? 'sensitivity' AND v_sensitivity IS NULL THEN
    RAISE EXCEPTION '%: @sensitivity "%" is not valid. Use Normal, Personal, Private or Confidential.', proc_name, v_given ->> 'sensitivity'
      USING ERRCODE = 'R0022';
  END IF;

  -- Recurrence: '' (or blank) = none; otherwise the document, checked against the start's date in its zone.
  v_recurrence := CASE jsonb_typeof(v_given -> 'recurrence') WHEN 'string' THEN v_given ->> 'recurrence'
    ELSE (v_given -> 'recurrence')::text END;
  IF NOT v_partial OR v_given ? 'recurrence' THEN
    v_out := v_out || jsonb_build_object('recurrence', CASE WHEN btrim(coalesce(v_recurrence, ''), E' \t\r\n') <> ''
      THEN rc.fn_appointmentrecurrence(proc_name, v_recurrence, v_start_date) END);
  END IF;

  IF NOT v_partial OR v_given ? 'subject' THEN
    v_out := v_out || jsonb_build_object('subject', coalesce(v_subject, ''));
  END IF;
  IF NOT v_partial OR v_given ? 'body' THEN
    v_out := v_out || jsonb_build_object('body', coalesce(v_body, ''),
      'bodyType', CASE v_format WHEN 'HTML' THEN 'HTML' ELSE 'Text' END);
  END IF;
  IF NOT v_partial OR v_given ? 'location' THEN
    v_out := v_out || jsonb_build_object('location', nullif(v_location, ''));
  END IF;
  IF NOT v_partial OR v_given ? 'reminder_minutes' THEN
    v_out := v_out || jsonb_build_object('reminderMinutes', nullif(v_reminder::int, -1));
  END IF;
  IF NOT v_partial OR v_given ? 'show_as' THEN
    v_out := v_out || jsonb_build_object('showAs', coalesce(v_show_as, 'Busy'));
  END IF;
  IF NOT v_partial OR v_given ? 'sensitivity' THEN
    v_out := v_out || jsonb_build_object('sensitivity', coalesce(v_sensitivity, 'Normal'));
  END IF;
  RETURN v_out;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_appointmentfields(text, jsonb, boolean) FROM PUBLIC;
