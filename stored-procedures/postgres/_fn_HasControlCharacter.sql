-- rc.fn_HasControlCharacter — internal helper: does a text hold a control character? Twin of
-- stored-procedures/mssql/_fn_HasControlCharacter.sql (an inline table-valued function there).
--
-- Control characters are U+0001–U+001F and U+007F–U+009F (C0, DEL and C1; PostgreSQL text cannot hold U+0000),
-- the set the folder-name rules use too.
--
-- Parameters: value text — NULL allowed.
-- Result:     boolean — true when a control character occurs, else false (also for NULL and '').
-- Errors:     none.
CREATE OR REPLACE FUNCTION rc.fn_hascontrolcharacter(value text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(value ~ '[\x01-\x1f\x7f-\x9f]', false)
$$;

REVOKE ALL ON FUNCTION rc.fn_hascontrolcharacter(text) FROM PUBLIC;
