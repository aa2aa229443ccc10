-- rc.fn_IsoInstant — internal helper: an instant written 'YYYY-MM-DDThh:mm:ss[.fraction]' with 'Z' or an offset
-- '+hh:mm' / '-hh:mm' (required: a time without one names no instant), as the canonical UTC text
-- 'YYYY-MM-DDThh:mm:ssZ' — whole seconds (the fraction is dropped, not rounded), between 1601-01-01T00:00:00Z and
-- 4500-12-31T23:59:59Z. Used for a task's reminder, from a timestamptz parameter or a JSON item. Twin of
-- stored-procedures/mssql/_fn_IsoInstant.sql (an inline table-valued function rc.fn_IsoInstant there).
--
-- Parameters:
--   value text  the text to read (not trimmed); 'T' and 'Z' in either case; fraction 1 to 7 digits; offsets up to
--               ±14:00 (SQL Server's datetimeoffset range)
-- Result: text — the canonical UTC form, or NULL when value is NULL or not such an instant.
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_isoinstant(value text)
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  m text[] := regexp_match(value,
    '^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,7})?([Zz]|([+-])([0-9]{2}):([0-9]{2}))$');
  v_utc timestamp;
BEGIN
  IF m IS NULL OR m[2]::int > 23 OR m[3]::int > 59 OR m[4]::int > 59 THEN
    RETURN NULL;
  END IF;
  IF m[7] IS NOT NULL AND (m[8]::int * 60 + m[9]::int > 840 OR m[9]::int > 59) THEN
    RETURN NULL;
  END IF;
  BEGIN
    v_utc := (m[1] || ' ' || m[2] || ':' || m[3] || ':' || m[4]
      || CASE WHEN m[7] IS NULL THEN '+00:00' ELSE m[7] || m[8] || ':' || m[9] END)::timestamptz AT TIME ZONE 'UTC';
  EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
    RETURN NULL;
  END;
  IF v_utc NOT BETWEEN TIMESTAMP '1601-01-01 00:00:00' AND TIMESTAMP '4500-12-31 23:59:59' THEN
    RETURN NULL;
  END IF;
  RETURN to_char(v_utc, 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z';
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_isoinstant(text) FROM PUBLIC;
