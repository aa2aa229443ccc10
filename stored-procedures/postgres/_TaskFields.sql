-- rc.fn_TaskFields — internal helper: validates one task given as a JSON object and returns the `fields` of a
-- CreateTask / UpdateTask payload (worker/exchange/task-fields.ts). rc_createtask and rc_updatetask build the
-- object from their parameters (rc.fn_taskitem); rc_syncfolder passes each item of a tasks set. Twin of
-- stored-procedures/mssql/_TaskFields.sql (the procedure rc.rc_internal_TaskFields there). Writes nothing.
-- SECURITY INVOKER (the default): only the rc_* functions call it. Contract for other callers:
-- README, section rc.rc_SyncFolder (Items), and the header below.
--
-- The item: keys are rc_CreateTask's field parameter names without '@' (any case): subject, body, body_format,
-- start_date, due_date, status, percent_complete, importance, reminder_time, categories; with partial also
-- clear_fields. Every value is a JSON string or null (null = not given); percent_complete may be a JSON number.
-- Enumerations and dates are trimmed of spaces, tabs, CR and LF; subject and body are kept as given.
--
-- Status and percent complete (Exchange couples them: 100 % ⇔ Completed, NotStarted ⇒ 0 %): given together they
-- must agree (Completed with 100, 100 with Completed, NotStarted with 0). Given alone, the other one follows:
-- a new task gets percent 100 for Completed and 0 otherwise, status NotStarted for 0, Completed for 100 and
-- InProgress in between; an update adds percent 100 to Completed, 0 to NotStarted and status Completed to 100
-- (other percentages alone are left to Exchange, which makes a not-started or completed task InProgress).
--
-- Parameters:
--   proc_name text     the message prefix: the calling procedure's name ('rc_CreateTask'), or a longer prefix
--                      naming the item ('rc_SyncFolder: item "t-17"')
--   item      jsonb    the task
--   partial   boolean  false: a new task / a desired state — '' = not given (dates, reminder, categories),
--                      defaults applied, a subject required, every key in the result. true: an update — only the
--                      given keys come out, '' clears a clearable field, clear_fields names fields to clear.
-- Result: jsonb — {"subject","body","bodyType","startDate","dueDate","status","percentComplete","importance",
--   "reminderAt","categories"}: body '' and bodyType "Text" by default (an update carries bodyType with body),
--   dates 'YYYY-MM-DD' or null, status "NotStarted"|"InProgress"|"Completed"|"WaitingOnOthers"|"Deferred",
--   percentComplete 0..100, importance "Low"|"Normal"|"High" ("Normal" by default), reminderAt
--   'YYYY-MM-DDThh:mm:ssZ' (UTC, whole seconds) or null = no reminder, categories a JSON array ('[]' by default).
-- Clearable on an update ('' or clear_fields): body (→ ''), start_date, due_date, reminder_time, categories.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order; fields in the order above):
--   50400 the item is not a JSON object
--   50401 the item has a key that is not a task field, or a key twice (keys are case-insensitive)
--   50402 a value is not a JSON string or null (percent_complete: or a number)
--   50412 clear_fields names an unknown or not clearable field, or one that is also given a value
--   50411 partial and nothing to change
--   50403 subject missing or blank (not partial), or cleared (partial)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 partial and body_format without body
--   50404 start_date / due_date is not a date YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time is not an instant with offset between 1601 and 4500
--   50055 categories: an entry longer than 255 characters or more than 50 of them (raised by rc.fn_categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict each other
CREATE OR REPLACE FUNCTION rc.fn_taskfields(proc_name text, item jsonb, partial boolean)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  c_keys constant text[] := ARRAY['subject', 'body', 'body_format', 'start_date', 'due_date', 'status',
    'percent_complete', 'importance', 'reminder_time', 'categories'];
  c_clearable constant text[] := ARRAY['body', 'start_date', 'due_date', 'reminder_time', 'categories'];
  c_statuses constant text[] := ARRAY['NotStarted', 'InProgress', 'Completed', 'WaitingOnOthers', 'Deferred'];
  c_ws constant text := E' \t\r\n';
  v_partial boolean := coalesce(fn_taskfields.partial, false);
  v_item jsonb;
  v_key text;
  v_type text;
  v_values text[] := array_fill(NULL::text, ARRAY[10]);
  v_clear text[];
  v_entries text[];
  v_subject text;
  v_body text;
  v_format text;
  v_start text;
  v_due text;
  v_status text;
  v_percent int;
  v_importance text;
  v_reminder text;
  v_categories jsonb;
  v_fields jsonb;
  v_given text[] := ARRAY[]::text[];
BEGIN
  IF item IS NULL OR jsonb_typeof(item) <> 'object' THEN
    RAISE EXCEPTION '%: the item is not a JSON object. Pass an object whose keys are rc_CreateTask''s parameter names without "@", e.g. {"subject": "Call back", "due_date": "2026-05-04"}.', proc_name
      USING ERRCODE = 'R0400';
  END IF;
  SELECT m.key INTO v_key FROM jsonb_object_keys(item) AS m(key)
  WHERE NOT (lower(m.key) = ANY (c_keys)) AND NOT (v_partial AND lower(m.key) = 'clear_fields')
  ORDER BY lower(m.key) LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: the item has the key "%", which is not a task field. Use rc_CreateTask''s field parameter names without "@" in lower case (subject, due_date, status, ...).', proc_name, v_key
      USING ERRCODE = 'R0401';
  END IF;
  SELECT lower(m.key) INTO v_key FROM jsonb_object_keys(item) AS m(key)
  GROUP BY lower(m.key) HAVING count(*) > 1 ORDER BY lower(m.key) LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: the item has the key "%" twice. Give each field once.', proc_name, v_key
      USING ERRCODE = 'R0401';
  END IF;
  -- Keys are case-insensitive: from here on the item has them in lower case.
  v_item := (SELECT jsonb_object_agg(lower(m.key), m.value) FROM jsonb_each(item) AS m);
  FOR i IN 1..11 LOOP
    v_key := CASE WHEN i = 11 THEN 'clear_fields' ELSE c_keys[i] END;
    v_type := jsonb_typeof(v_item -> v_key);
    IF v_type NOT IN ('string', 'null') AND NOT (v_key = 'percent_complete' AND v_type = 'number') THEN
      RAISE EXCEPTION '%: the value of "%" is a JSON %, it must be a string or null. Quote it.', proc_name, v_key, v_type
        USING ERRCODE = 'R0402';
    END IF;
    CONTINUE WHEN i = 11;
    v_values[i] := CASE WHEN c_keys[i] IN ('subject', 'body') THEN v_item ->> v_key
      ELSE btrim(v_item ->> v_key, c_ws) END;
  END LOOP;

  -- clear_fields: each named field counts as given ''.
  IF v_partial THEN
    v_entries := rc.fn_splitaddresslist(v_item ->> 'clear_fields');
    v_clear := ARRAY(SELECT lower(CASE WHEN left(e, 1) = '@' THEN substr(e, 2) ELSE e END)
      FROM unnest(v_entries) WITH ORDINALITY AS c(e, ord) ORDER BY ord);
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      IF NOT (v_clear[i] = ANY (c_clearable)) THEN
        RAISE EXCEPTION '%: @clear_fields names "%", which is not a task field that can be cleared. Name body, start_date, due_date, reminder_time or categories.', proc_name, v_entries[i]
          USING ERRCODE = 'R0412';
      END IF;
    END LOOP;
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      IF v_values[array_position(c_keys, v_clear[i])] <> '' THEN
        RAISE EXCEPTION '%: @clear_fields names "%", which is also given a value. Either set the field or clear it.', proc_name, v_entries[i]
          USING ERRCODE = 'R0412';
      END IF;
    END LOOP;
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      v_values[array_position(c_keys, v_clear[i])] := '';
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM unnest(v_values) AS v WHERE v IS NOT NULL) THEN
      RAISE EXCEPTION '%: nothing to change. Pass at least one field parameter (NULL leaves a field unchanged, an empty string clears it) or name fields in @clear_fields.', proc_name
        USING ERRCODE = 'R0411';
    END IF;
  END IF;

  v_subject := v_values[1];
  IF (NOT v_partial AND coalesce(btrim(v_subject, c_ws), '') = '') OR (v_partial AND btrim(v_subject, c_ws) = '') THEN
    RAISE EXCEPTION '%: @subject is missing. A task needs a subject: pass a non-blank @subject.', proc_name
      USING ERRCODE = 'R0403';
  END IF;
  IF length(v_subject) > 255 THEN
    RAISE EXCEPTION '%: @subject is % characters long, at most 255 are allowed. Shorten the subject.', proc_name, length(v_subject)
      USING ERRCODE = 'R0023';
  END IF;
  v_body := v_values[2];
  IF length(v_body) > 36700160 THEN
    RAISE EXCEPTION '%: @body is % characters long, at most 35 MB (36700160 characters) are allowed. Shorten the body.', proc_name, length(v_body)
      USING ERRCODE = 'R0025';
  END IF;
  v_format := upper(v_values[3]);
  IF v_format NOT IN ('TEXT', 'HTML') THEN
    RAISE EXCEPTION '%: @body_format "%" is not valid. Use TEXT or HTML.', proc_name, v_values[3]
      USING ERRCODE = 'R0020';
  END IF;
  IF v_partial AND v_format IS NOT NULL AND v_body IS NULL THEN
    RAISE EXCEPTION '%: @body_format without @body. Exchange stores the format with the text: pass @body (the whole new body) together with @body_format.', proc_name
      USING ERRCODE = 'R0410';
  END IF;
  FOR i IN 4..5 LOOP
    IF v_values[i] <> '' AND rc.fn_isodate(v_values[i]) IS NULL THEN
      RAISE EXCEPTION '%: @% "%" is not a date. Pass a date between 1601-01-01 and 4500-12-31 (YYYY-MM-DD).', proc_name, c_keys[i], left(v_values[i], 200)
        USING ERRCODE = 'R0404';
    END IF;
  END LOOP;
  v_start := nullif(v_values[4], '');
  v_due := nullif(v_values[5], '');
  v_status := (SELECT s FROM unnest(c_statuses) AS s WHERE lower(s) = lower(v_values[6]));
  IF v_values[6] IS NOT NULL AND v_status IS NULL THEN
    RAISE EXCEPTION '%: @status "%" is not valid. Use NotStarted, InProgress, Completed, WaitingOnOthers or Deferred.', proc_name, left(v_values[6], 200)
      USING ERRCODE = 'R0406';
  END IF;
  IF v_values[7] IS NOT NULL THEN
    IF v_values[7] !~ '^[0-9]{1,3}$' OR v_values[7]::int > 100 THEN
      RAISE EXCEPTION '%: @percent_complete "%" is not valid. Pass a whole number from 0 to 100.', proc_name, left(v_values[7], 200)
        USING ERRCODE = 'R0407';
    END IF;
    v_percent := v_values[7]::int;
  END IF;
  v_importance := CASE lower(v_values[8]) WHEN 'low' THEN 'Low' WHEN 'normal' THEN 'Normal' WHEN 'high' THEN 'High' END;
  IF v_values[8] IS NOT NULL AND v_importance IS NULL THEN
    RAISE EXCEPTION '%: @importance "%" is not valid. Use Low, Normal or High.', proc_name, left(v_values[8], 200)
      USING ERRCODE = 'R0021';
  END IF;
  IF v_values[9] <> '' THEN
    v_reminder := rc.fn_isoinstant(v_values[9]);
    IF v_reminder IS NULL THEN
      RAISE EXCEPTION '%: @reminder_time "%" is not a point in time. Pass a datetimeoffset, or in JSON YYYY-MM-DDThh:mm:ss with Z or an offset such as +02:00, between the years 1601 and 4500.', proc_name, left(v_values[9], 200)
        USING ERRCODE = 'R0409';
    END IF;
  END IF;
  IF v_values[10] IS NOT NULL THEN
    v_categories := rc.fn_categories(proc_name, v_values[10]);
  END IF;
  IF v_due < v_start THEN
    RAISE EXCEPTION '%: @due_date % is before @start_date %. Pass a due date on or after the start date.', proc_name, v_due, v_start
      USING ERRCODE = 'R0405';
  END IF;
  IF (v_status = 'Completed' AND v_percent <> 100) OR (v_percent = 100 AND v_status <> 'Completed')
    OR (v_status = 'NotStarted' AND v_percent > 0) THEN
    RAISE EXCEPTION '%: @status "%" and @percent_complete % contradict each other: Completed means 100, 100 means Completed, NotStarted means 0. Pass matching values, or only one of them.', proc_name, v_status, v_percent
      USING ERRCODE = 'R0408';
  END IF;

  IF v_partial THEN
    -- Exchange's coupling made explicit where the caller gave one side only.
    IF v_status IS NOT NULL AND v_percent IS NULL AND v_status IN ('Completed', 'NotStarted') THEN
      v_percent := CASE v_status WHEN 'Completed' THEN 100 ELSE 0 END;
    ELSIF v_percent = 100 AND v_status IS NULL THEN
      v_status := 'Completed';
    END IF;
    v_given := ARRAY(SELECT o FROM unnest(ARRAY['subject', 'body', 'startDate', 'dueDate', 'status', 'percentComplete',
      'importance', 'reminderAt', 'categories'], ARRAY[v_values[1], v_values[2], v_values[4], v_values[5],
      v_status, v_percent::text, v_values[8], v_values[9], v_values[10]]) AS g(o, v) WHERE g.v IS NOT NULL);
    IF v_body IS NOT NULL THEN
      v_given := v_given || 'bodyType'::text;
    END IF;
  ELSE
    v_body := coalesce(v_body, '');
    v_status := coalesce(v_status, CASE WHEN v_percent = 100 THEN 'Completed' WHEN v_percent > 0 THEN 'InProgress'
      ELSE 'NotStarted' END);
    v_percent := coalesce(v_percent, CASE WHEN v_status = 'Completed' THEN 100 ELSE 0 END);
    v_importance := coalesce(v_importance, 'Normal');
    v_categories := coalesce(v_categories, '[]'::jsonb);
  END IF;

  v_fields := jsonb_build_object('subject', v_subject, 'body', v_body,
    'bodyType', CASE WHEN v_format = 'HTML' THEN 'HTML' ELSE 'Text' END, 'startDate', v_start, 'dueDate', v_due,
    'status', v_status, 'percentComplete', v_percent, 'importance', v_importance, 'reminderAt', v_reminder,
    'categories', v_categories);
  RETURN CASE WHEN v_partial THEN rc.fn_jsonpick(v_fields, v_given) ELSE v_fields END;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_taskfields(text, jsonb, boolean) FROM PUBLIC;
