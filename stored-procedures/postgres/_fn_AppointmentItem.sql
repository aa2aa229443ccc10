-- rc.fn_AppointmentItem — internal helper: the JSON item rc.fn_appointmentfields reads, built from the appointment
-- parameters of rc_createappointment / rc_updateappointment (one place for the names, so the two functions cannot
-- drift). Twin of stored-procedures/mssql/_fn_AppointmentItem.sql (an inline table-valued function there).
--
-- Parameters: the appointment field parameters in rc_createappointment's order, with its types (start_time,
--   end_time timestamptz; is_all_day boolean; reminder_minutes int; the others text).
-- Result: jsonb — {"subject": …, …} keyed by parameter name, every key present (NULL = not given); instants as UTC
--   text 'YYYY-MM-DDThh:mm:ss.ffffffZ' (to_jsonb would write them in the session's time zone, with seconds in
--   historical offsets).
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_appointmentitem(
  subject text,
  body text,
  body_format text,
  start_time timestamptz,
  end_time timestamptz,
  time_zone text,
  is_all_day boolean,
  location text,
  required_attendees text,
  optional_attendees text,
  resources text,
  recurrence text,
  reminder_minutes int,
  categories text,
  show_as text,
  sensitivity text
)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_build_object(
    'subject', subject,
    'body', body,
    'body_format', body_format,
    'start_time', to_char(start_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'end_time', to_char(end_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'time_zone', time_zone,
    'is_all_day', is_all_day,
    'location', location,
    'required_attendees', required_attendees,
    'optional_attendees', optional_attendees,
    'resources', resources,
    'recurrence', recurrence,
    'reminder_minutes', reminder_minutes,
    'categories', categories,
    'show_as', show_as,
    'sensitivity', sensitivity
  )
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_appointmentitem(text, text, text, timestamptz, timestamptz, text, boolean, text, text,
  text, text, text, int, text, text, text) FROM PUBLIC;
