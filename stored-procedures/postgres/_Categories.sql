-- rc.fn_Categories — internal helper: parses a categories parameter (the Exchange categories of an appointment,
-- contact, task or mail) into the JSON array the payloads carry. Twin of stored-procedures/mssql/_Categories.sql
-- (the procedure rc.rc_internal_Categories there). Raises with the calling procedure's name as prefix. Writes
-- nothing. SECURITY INVOKER (the default), like rc.fn_resolveprofile: only the rc_* functions call it.
--
-- Call it before the caller writes anything:
--   v_categories := rc.fn_categories('rc_CreateTask', rc_createtask.categories);
-- On an update, NULL means "leave unchanged": the caller tests categories IS NULL itself (this helper turns NULL
-- into '[]', i.e. "no categories").
--
-- Rules: entries separated by ';' or ',' (split by rc.fn_splitaddresslist: in input order, trimmed of spaces,
-- tabs, CR and LF, empty entries dropped); each entry at most 255 characters; duplicates dropped
-- case-insensitively (lower()), the first spelling kept; at most 50 entries remain.
--
-- Parameters:
--   proc_name  text  the calling procedure's name as users spell it ('rc_CreateContact'): the message prefix
--   categories text  the caller's categories, NULL allowed
-- Result: jsonb — an array of strings in input order, '[]' for NULL / nothing left.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50055 an entry is longer than 255 characters, or more than 50 different entries are left
CREATE OR REPLACE FUNCTION rc.fn_categories(proc_name text, categories text)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_entries text[] := rc.fn_splitaddresslist(fn_categories.categories);
  v_bad text;
  v_count int;
  v_json jsonb;
BEGIN
  SELECT e.entry INTO v_bad
  FROM unnest(v_entries) WITH ORDINALITY AS e(entry, ord)
  WHERE length(e.entry) > 255
  ORDER BY e.ord
  LIMIT 1;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION '%: the category "%" in @categories is % characters long, at most 255 are allowed. Shorten it.', proc_name, v_bad, length(v_bad)
      USING ERRCODE = 'R0055';
  END IF;

  SELECT coalesce(jsonb_agg(d.entry ORDER BY d.ord), '[]'::jsonb), count(*) INTO v_json, v_count
  FROM (
    SELECT DISTINCT ON (lower(e.entry)) e.entry, e.ord
    FROM unnest(v_entries) WITH ORDINALITY AS e(entry, ord)
    ORDER BY lower(e.entry), e.ord
  ) AS d;
  IF v_count > 50 THEN
    RAISE EXCEPTION '%: @categories holds % different categories, at most 50 are allowed. Pass fewer categories.', proc_name, v_count
      USING ERRCODE = 'R0055';
  END IF;
  RETURN v_json;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_categories(text, text) FROM PUBLIC;
