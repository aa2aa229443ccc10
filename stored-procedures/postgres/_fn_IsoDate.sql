-- rc.fn_IsoDate — internal helper: a calendar date written 'YYYY-MM-DD' between 1601-01-01 and 4500-12-31 (the
-- dates Exchange can store: FILETIME starts in 1601, Outlook reads 4501-01-01 as "none"), or NULL. Used for a
-- contact's birthday and a task's start and due dates, whether they come from a date parameter or a JSON item.
-- Twin of stored-procedures/mssql/_fn_IsoDate.sql (an inline table-valued function rc.fn_IsoDate there).
--
-- Parameters:
--   value text  the text to read (not trimmed)
-- Result: date — the date, or NULL when value is NULL, not exactly YYYY-MM-DD (ASCII digits), not a real date
--   (2026-02-30) or outside the range.
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_isodate(value text)
RETURNS date
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_date date;
BEGIN
  IF value IS NULL OR value !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
    RETURN NULL;
  END IF;
  BEGIN
    v_date := make_date(substr(value, 1, 4)::int, substr(value, 6, 2)::int, substr(value, 9, 2)::int);
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
  END;
  RETURN CASE WHEN v_date BETWEEN DATE '1601-01-01' AND DATE '4500-12-31' THEN v_date END;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_isodate(text) FROM PUBLIC;
