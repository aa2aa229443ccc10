-- rc.fn_AppointmentRecurrence — internal helper: validates an appointment's recurrence document (the
-- @recurrence parameter, Microsoft Graph's patternedRecurrence shape) and returns it in the payload's canonical
-- form. Twin of stored-procedures/mssql/_AppointmentRecurrence.sql (rc.rc_internal_AppointmentRecurrence there).
-- Called by rc.fn_appointmentfields only. Raises with the calling procedure's name as prefix; writes nothing.
--
-- Document: {"pattern": {...}, "range": {...}}; keys and enum values case-insensitive, nothing else allowed.
--   pattern.type daily            keys: interval
--                weekly           keys: interval, daysOfWeek (1..7 different days), firstDayOfWeek (default sunday)
--                absoluteMonthly  keys: interval, dayOfMonth (1..31)
--                relativeMonthly  keys: interval, daysOfWeek (exactly one day), index (first..fourth, last)
--                absoluteYearly   keys: interval (only 1), month (1..12), dayOfMonth (1..31, a day of that month)
--                relativeYearly   keys: interval (only 1), month, daysOfWeek (exactly one day), index
--   interval: JSON integer 1..999, default 1.
--   range.type   endDate          keys: startDate, endDate ('YYYY-MM-DD', not before startDate)
--                numbered         keys: startDate, numberOfOccurrences (JSON integer 1..999)
--                noEnd            keys: startDate
--   startDate: 'YYYY-MM-DD'; left out → the appointment's start date in its time zone (start_date). When given
--   and the start is known it must be that date.
--
-- Parameters:
--   proc_name  text  the message prefix (the calling procedure's name, or e.g. 'rc_SyncFolder: item "k"')
--   recurrence text  the document's JSON text (an object, or a string that held one); NULL is a bug of the caller
--   start_date date  the appointment's start date in its zone; NULL when unknown (update without @start_time)
-- Result: jsonb — {"pattern": {"type", …}, "range": {"type", "startDate", …}} with canonical casing
--   (types as above, days 'Monday', index 'First', firstDayOfWeek on weekly patterns only, no interval on yearly).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50215 not a JSON object, or pattern / range missing or not objects
--   50216 a key that is not part of the document, not used by that pattern/range type, or given twice
--   50217 pattern.type missing or unknown
--   50218 interval not an integer 1..999 (yearly: not 1)
--   50219 daysOfWeek missing, empty, not day names, a day twice, or more than one day for a relative pattern
--   50222 month missing or not 1..12 (yearly patterns)
--   50220 dayOfMonth missing or not 1..31 (yearly: not a day of that month)
--   50221 index missing or not first, second, third, fourth or last
--   50223 firstDayOfWeek not a day name
--   50224 range.type missing or unknown
--   50225 startDate / endDate not a date 'YYYY-MM-DD', endDate missing, or endDate before startDate
--   50226 numberOfOccurrences missing or not an integer 1..999
--   50227 startDate differs from the start's date in the time zone, or is missing while the start is unknown
CREATE OR REPLACE FUNCTION rc.fn_appointmentrecurrence(proc_name text, recurrence text, start_date date)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  c_days text[] := ARRAY['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  c_indexes text[] := ARRAY['First', 'Second', 'Third', 'Fourth', 'Last'];
  c_patterns text[] := ARRAY['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly'];
  c_ranges text[] := ARRAY['endDate', 'numbered', 'noEnd'];
  v_doc jsonb;
  v_parts jsonb := '{}';    -- lower-case key → value, for each level in turn
  v_pattern jsonb := '{}';
  v_range jsonb := '{}';
  v_key text;
  v_value jsonb;
  v_allowed text[];
  v_type text;
  v_range_type text;
  v_text text;
  v_interval int := 1;
  v_days jsonb := '[]';
  v_day text;
  v_first_day text := 'Sunday';
  v_day_of_month int;
  v_index text;
  v_month int;
  v_start date;
  v_end date;
  v_count int;
  v_out_pattern jsonb;
  v_out_range jsonb;
BEGIN
  BEGIN
    v_doc := fn_appointmentrecurrence.recurrence::jsonb;
  EXCEPTION WHEN others THEN
    v_doc := NULL;
  END;
  IF v_doc IS NULL OR jsonb_typeof(v_doc) <> 'object' THEN
    RAISE EXCEPTION '%: @recurrence is not a JSON object. Pass {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]}, "range": {"type": "noEnd"}} or NULL for a single appointment.', proc_name
      USING ERRCODE = 'R0215';
  END IF;

  -- Top level: exactly pattern and range.
  FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(v_doc) AS e ORDER BY e.key COLLATE "C" LOOP
    IF lower(v_key) NOT IN ('pattern', 'range') THEN
      RAISE EXCEPTION '%: @recurrence has the key "%", which is not part of a recurrence. Use "pattern" and "range" only.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    IF v_parts ? lower(v_key) THEN
      RAISE EXCEPTION '%: @recurrence has the key "%" twice. Give each key once.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    v_parts := v_parts || jsonb_build_object(lower(v_key), v_value);
  END LOOP;
  IF jsonb_typeof(v_parts -> 'pattern') IS DISTINCT FROM 'object' OR jsonb_typeof(v_parts -> 'range') IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION '%: @recurrence needs a "pattern" object and a "range" object, e.g. {"pattern": {"type": "daily"}, "range": {"type": "numbered", "numberOfOccurrences": 10}}.', proc_name
      USING ERRCODE = 'R0215';
  END IF;

  -- Pattern keys (lower case → value), then its type.
  FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(v_parts -> 'pattern') AS e ORDER BY e.key COLLATE "C" LOOP
    IF lower(v_key) NOT IN ('type', 'interval', 'daysofweek', 'dayofmonth', 'index', 'month', 'firstdayofweek') THEN
      RAISE EXCEPTION '%: @recurrence pattern has the key "%", which is not part of a pattern. Use type, interval, daysOfWeek, dayOfMonth, index, month and firstDayOfWeek.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    IF v_pattern ? lower(v_key) THEN
      RAISE EXCEPTION '%: @recurrence pattern has the key "%" twice. Give each key once.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    v_pattern := v_pattern || jsonb_build_object(lower(v_key), v_value);
  END LOOP;
  v_text := CASE WHEN jsonb_typeof(v_pattern -> 'type') = 'string' THEN v_pattern ->> 'type' END;
  SELECT p INTO v_type FROM unnest(c_patterns) AS p WHERE lower(p) = lower(btrim(v_text));
  IF v_type IS NULL THEN
    RAISE EXCEPTION '%: @recurrence pattern type "%" is not valid. Use daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly.', proc_name, coalesce(v_pattern ->> 'type', '')
      USING ERRCODE = 'R0217';
  END IF;
  v_allowed := CASE v_type
    WHEN 'daily' THEN ARRAY['type', 'interval']
    WHEN 'weekly' THEN ARRAY['type', 'interval', 'daysofweek', 'firstdayofweek']
    WHEN 'absoluteMonthly' THEN ARRAY['type', 'interval', 'dayofmonth']
    WHEN 'relativeMonthly' THEN ARRAY['type', 'interval', 'daysofweek', 'index']
    WHEN 'absoluteYearly' THEN ARRAY['type', 'interval', 'month', 'dayofmonth']
    ELSE ARRAY['type', 'interval', 'month', 'daysofweek', 'index'] END;
  SELECT k INTO v_key FROM jsonb_object_keys(v_pattern) AS k WHERE k <> ALL (v_allowed) ORDER BY k COLLATE "C" LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: @recurrence pattern key "%" is not used by a % pattern. Leave it out.', proc_name, v_key, v_type
      USING ERRCODE = 'R0216';
  END IF;

  -- interval
  IF v_pattern ? 'interval' THEN
    v_text := CASE WHEN jsonb_typeof(v_pattern -> 'interval') = 'number' THEN v_pattern ->> 'interval' END;
    IF (CASE WHEN v_text ~ '^[0-9]{1,3}$' THEN v_text::int < 1 ELSE true END) THEN
      RAISE EXCEPTION '%: @recurrence pattern interval % is not valid. Use a whole number from 1 to 999 (every n days, weeks or months).', proc_name, v_pattern -> 'interval'
        USING ERRCODE = 'R0218';
    END IF;
    v_interval := v_text::int;
    IF v_type IN ('absoluteYearly', 'relativeYearly') AND v_interval <> 1 THEN
      RAISE EXCEPTION '%: @recurrence pattern interval % is not valid for a % pattern: it repeats every year. Use 1 or leave interval out.', proc_name, v_interval, v_type
        USING ERRCODE = 'R0218';
    END IF;
  END IF;

  -- daysOfWeek
  IF v_type IN ('weekly', 'relativeMonthly', 'relativeYearly') THEN
    IF jsonb_typeof(v_pattern -> 'daysofweek') IS DISTINCT FROM 'array' OR jsonb_array_length(v_pattern -> 'daysofweek') = 0 THEN
      RAISE EXCEPTION '%: a % pattern needs daysOfWeek, a JSON array of day names such as ["monday", "thursday"].', proc_name, v_type
        USING ERRCODE = 'R0219';
    END IF;
    FOR v_value IN SELECT d.value FROM jsonb_array_elements(v_pattern -> 'daysofweek') WITH ORDINALITY AS d(value, ord) ORDER BY d.ord LOOP
      v_day := NULL;
      IF jsonb_typeof(v_value) = 'string' THEN
        SELECT d INTO v_day FROM unnest(c_days) AS d WHERE lower(d) = lower(btrim(v_value #>> '{}'));
      END IF;
      IF v_day IS NULL THEN
        RAISE EXCEPTION '%: @recurrence daysOfWeek holds %, which is not a day name. Use sunday, monday, tuesday, wednesday, thursday, friday or saturday.', proc_name, v_value
          USING ERRCODE = 'R0219';
      END IF;
      IF v_days ? v_day THEN
        RAISE EXCEPTION '%: @recurrence daysOfWeek names % twice. Name each day once.', proc_name, v_day
          USING ERRCODE = 'R0219';
      END IF;
      v_days := v_days || to_jsonb(v_day);
    END LOOP;
    IF v_type <> 'weekly' AND jsonb_array_length(v_days) > 1 THEN
      RAISE EXCEPTION '%: a % pattern takes exactly one day in daysOfWeek (e.g. ["friday"] with index "last"), not %.', proc_name, v_type, jsonb_array_length(v_days)
        USING ERRCODE = 'R0219';
    END IF;
  END IF;

  -- dayOfMonth (after month for yearly patterns, which need the month to check the day)
  IF v_type IN ('absoluteYearly', 'relativeYearly') THEN
    v_text := CASE WHEN jsonb_typeof(v_pattern -> 'month') = 'number' THEN v_pattern ->> 'month' END;
    IF (CASE WHEN v_text ~ '^[0-9]{1,2}$' THEN v_text::int NOT BETWEEN 1 AND 12 ELSE true END) THEN
      RAISE EXCEPTION '%: a % pattern needs month, a whole number from 1 (January) to 12 (December), not %.', proc_name, v_type, coalesce((v_pattern -> 'month')::text, 'nothing')
        USING ERRCODE = 'R0222';
    END IF;
    v_month := v_text::int;
  END IF;
  IF v_type IN ('absoluteMonthly', 'absoluteYearly') THEN
    v_text := CASE WHEN jsonb_typeof(v_pattern -> 'dayofmonth') = 'number' THEN v_pattern ->> 'dayofmonth' END;
    IF (CASE WHEN v_text ~ '^[0-9]{1,2}$' THEN v_text::int NOT BETWEEN 1 AND 31 ELSE true END) THEN
      RAISE EXCEPTION '%: a % pattern needs dayOfMonth, a whole number from 1 to 31, not %.', proc_name, v_type, coalesce((v_pattern -> 'dayofmonth')::text, 'nothing')
        USING ERRCODE = 'R0220';
    END IF;
    v_day_of_month := v_text::int;
    -- Yearly: the day must exist in that month (29 February counts: it exists in leap years).
    IF v_month IS NOT NULL AND v_day_of_month > extract(day FROM (make_date(2024, v_month, 1) + interval '1 month' - interval '1 day'))::int THEN
      RAISE EXCEPTION '%: @recurrence dayOfMonth % does not exist in month %. Use a day of that month.', proc_name, v_day_of_month, v_month
        USING ERRCODE = 'R0220';
    END IF;
  END IF;

  -- index
  IF v_type IN ('relativeMonthly', 'relativeYearly') THEN
    v_text := CASE WHEN jsonb_typeof(v_pattern -> 'index') = 'string' THEN v_pattern ->> 'index' END;
    SELECT i INTO v_index FROM unnest(c_indexes) AS i WHERE lower(i) = lower(btrim(v_text));
    IF v_index IS NULL THEN
      RAISE EXCEPTION '%: a % pattern needs index first, second, third, fourth or last, not %.', proc_name, v_type, coalesce((v_pattern -> 'index')::text, 'nothing')
        USING ERRCODE = 'R0221';
    END IF;
  END IF;

  -- firstDayOfWeek
  IF v_pattern ? 'firstdayofweek' THEN
    v_text := CASE WHEN jsonb_typeof(v_pattern -> 'firstdayofweek') = 'string' THEN v_pattern ->> 'firstdayofweek' END;
    SELECT d INTO v_first_day FROM unnest(c_days) AS d WHERE lower(d) = lower(btrim(v_text));
    IF v_first_day IS NULL THEN
      RAISE EXCEPTION '%: @recurrence firstDayOfWeek % is not a day name. Use sunday, monday, tuesday, wednesday, thursday, friday or saturday.', proc_name, v_pattern -> 'firstdayofweek'
        USING ERRCODE = 'R0223';
    END IF;
  END IF;

  -- Range keys, then its type.
  FOR v_key, v_value IN SELECT e.key, e.value FROM jsonb_each(v_parts -> 'range') AS e ORDER BY e.key COLLATE "C" LOOP
    IF lower(v_key) NOT IN ('type', 'startdate', 'enddate', 'numberofoccurrences') THEN
      RAISE EXCEPTION '%: @recurrence range has the key "%", which is not part of a range. Use type, startDate, endDate and numberOfOccurrences.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    IF v_range ? lower(v_key) THEN
      RAISE EXCEPTION '%: @recurrence range has the key "%" twice. Give each key once.', proc_name, v_key
        USING ERRCODE = 'R0216';
    END IF;
    v_range := v_range || jsonb_build_object(lower(v_key), v_value);
  END LOOP;
  v_text := CASE WHEN jsonb_typeof(v_range -> 'type') = 'string' THEN v_range ->> 'type' END;
  SELECT r INTO v_range_type FROM unnest(c_ranges) AS r WHERE lower(r) = lower(btrim(v_text));
  IF v_range_type IS NULL THEN
    RAISE EXCEPTION '%: @recurrence range type "%" is not valid. Use endDate, numbered or noEnd.', proc_name, coalesce(v_range ->> 'type', '')
      USING ERRCODE = 'R0224';
  END IF;
  v_allowed := CASE v_range_type
    WHEN 'endDate' THEN ARRAY['type', 'startdate', 'enddate']
    WHEN 'numbered' THEN ARRAY['type', 'startdate', 'numberofoccurrences']
    ELSE ARRAY['type', 'startdate'] END;
  SELECT k INTO v_key FROM jsonb_object_keys(v_range) AS k WHERE k <> ALL (v_allowed) ORDER BY k COLLATE "C" LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: @recurrence range key "%" is not used by a % range. Leave it out.', proc_name, v_key, v_range_type
      USING ERRCODE = 'R0216';
  END IF;

  -- startDate / endDate
  IF v_range ? 'startdate' THEN
    v_text := CASE WHEN jsonb_typeof(v_range -> 'startdate') = 'string' THEN v_range ->> 'startdate' END;
    IF (CASE WHEN v_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN left(v_text, 4)::int BETWEEN 1601 AND 4500 ELSE false END) THEN
      BEGIN
        v_start := v_text::date;
      EXCEPTION WHEN others THEN
        v_start := NULL;
      END;
    END IF;
    IF v_start IS NULL THEN
      RAISE EXCEPTION '%: @recurrence range startDate % is not a date. Write it as "YYYY-MM-DD" (years 1601 to 4500).', proc_name, v_range -> 'startdate'
        USING ERRCODE = 'R0225';
    END IF;
  END IF;
  IF v_range_type = 'endDate' THEN
    v_text := CASE WHEN jsonb_typeof(v_range -> 'enddate') = 'string' THEN v_range ->> 'enddate' END;
    IF (CASE WHEN v_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN left(v_text, 4)::int BETWEEN 1601 AND 4500 ELSE false END) THEN
      BEGIN
        v_end := v_text::date;
      EXCEPTION WHEN others THEN
        v_end := NULL;
      END;
    END IF;
    IF v_end IS NULL THEN
      RAISE EXCEPTION '%: an endDate range needs endDate, a date written as "YYYY-MM-DD" (years 1601 to 4500), not %.', proc_name, coalesce((v_range -> 'enddate')::text, 'nothing')
        USING ERRCODE = 'R0225';
    END IF;
    IF v_end < coalesce(v_start, start_date) THEN
      RAISE EXCEPTION '%: @recurrence range endDate % is before the start date %. Pass an endDate on or after it.', proc_name, to_char(v_end, 'YYYY-MM-DD'), to_char(coalesce(v_start, start_date), 'YYYY-MM-DD')
        USING ERRCODE = 'R0225';
    END IF;
  END IF;

  -- numberOfOccurrences
  IF v_range_type = 'numbered' THEN
    v_text := CASE WHEN jsonb_typeof(v_range -> 'numberofoccurrences') = 'number' THEN v_range ->> 'numberofoccurrences' END;
    IF (CASE WHEN v_text ~ '^[0-9]{1,3}$' THEN v_text::int < 1 ELSE true END) THEN
      RAISE EXCEPTION '%: a numbered range needs numberOfOccurrences, a whole number from 1 to 999, not %.', proc_name, coalesce((v_range -> 'numberofoccurrences')::text, 'nothing')
        USING ERRCODE = 'R0226';
    END IF;
    v_count := v_text::int;
  END IF;

  -- The series starts on the appointment's own date.
  IF v_start IS NULL AND start_date IS NULL THEN
    RAISE EXCEPTION '%: @recurrence range needs startDate when @start_time is not given. Pass range.startDate ("YYYY-MM-DD") or @start_time and @end_time as well.', proc_name
      USING ERRCODE = 'R0227';
  END IF;
  IF v_start IS NOT NULL AND start_date IS NOT NULL AND v_start <> start_date THEN
    RAISE EXCEPTION '%: @recurrence range startDate % is not the date of @start_time in the time zone (%). Leave startDate out or make it that date.', proc_name, to_char(v_start, 'YYYY-MM-DD'), to_char(start_date, 'YYYY-MM-DD')
      USING ERRCODE = 'R0227';
  END IF;
  v_start := coalesce(v_start, start_date);

  v_out_pattern := CASE v_type
    WHEN 'daily' THEN jsonb_build_object('type', v_type, 'interval', v_interval)
    WHEN 'weekly' THEN jsonb_build_object('type', v_type, 'interval', v_interval, 'daysOfWeek', v_days, 'firstDayOfWeek', v_first_day)
    WHEN 'absoluteMonthly' THEN jsonb_build_object('type', v_type, 'interval', v_interval, 'dayOfMonth', v_day_of_month)
    WHEN 'relativeMonthly' THEN jsonb_build_object('type', v_type, 'interval', v_interval, 'daysOfWeek', v_days, 'index', v_index)
    WHEN 'absoluteYearly' THEN jsonb_build_object('type', v_type, 'month', v_month, 'dayOfMonth', v_day_of_month)
    ELSE jsonb_build_object('type', v_type, 'month', v_month, 'daysOfWeek', v_days, 'index', v_index) END;
  v_out_range := CASE v_range_type
    WHEN 'endDate' THEN jsonb_build_object('type', v_range_type, 'startDate', to_char(v_start, 'YYYY-MM-DD'), 'endDate', to_char(v_end, 'YYYY-MM-DD'))
    WHEN 'numbered' THEN jsonb_build_object('type', v_range_type, 'startDate', to_char(v_start, 'YYYY-MM-DD'), 'numberOfOccurrences', v_count)
    ELSE jsonb_build_object('type', v_range_type, 'startDate', to_char(v_start, 'YYYY-MM-DD')) END;
  RETURN jsonb_build_object('pattern', v_out_pattern, 'range', v_out_range);
END
$$;

-- Internal: only rc.fn_appointmentfields (same owner) calls it.
REVOKE ALL ON FUNCTION rc.fn_appointmentrecurrence(text, text, date) FROM PUBLIC;
