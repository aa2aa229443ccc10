-- rc.fn_TaskItem — internal helper: the JSON item rc.fn_taskfields reads, built from the task parameters of
-- rc_createtask / rc_updatetask (one place for the names, so the two procedures cannot drift). Twin of
-- stored-procedures/mssql/_fn_TaskItem.sql (an inline table-valued function there).
--
-- Parameters: the task field parameters in rc_createtask's order (start_date, due_date date; percent_complete
--   int; reminder_time timestamptz; the others text), then clear_fields text (rc_updatetask's; NULL for a create).
-- Result: jsonb — {"subject": …, …} with the NULL parameters left out ('' kept: on an update it clears); dates as
--   'YYYY-MM-DD', percent_complete as a number, reminder_time as UTC 'YYYY-MM-DDThh:mm:ssZ' (whole seconds).
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_taskitem(
  subject text,
  body text,
  body_format text,
  start_date date,
  due_date date,
  status text,
  percent_complete int,
  importance text,
  reminder_time timestamptz,
  categories text,
  clear_fields text
)
RETURNS jsonb
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'subject', subject,
    'body', body,
    'body_format', body_format,
    'start_date', to_char(start_date, 'YYYY-MM-DD'),
    'due_date', to_char(due_date, 'YYYY-MM-DD'),
    'status', status,
    'percent_complete', percent_complete,
    'importance', importance,
    'reminder_time', to_char(reminder_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z',
    'categories', categories,
    'clear_fields', clear_fields
  ))
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_taskitem(text, text, text, date, date, text, int, text, timestamptz, text, text) FROM PUBLIC;
