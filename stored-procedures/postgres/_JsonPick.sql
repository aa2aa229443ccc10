-- rc.fn_JsonPick — internal helper: the members of a JSON object whose names are in a list, in the object's
-- order (jsonb: sorted), nulls kept. The field helpers build a complete `fields` object and pick the keys an
-- update gave. Twin of stored-procedures/mssql/_JsonPick.sql (the procedure rc.rc_internal_JsonPick there, which
-- T-SQL needs because it cannot drop a member of an object without JSON_MODIFY). Writes nothing.
--
-- Parameters:
--   json  jsonb   an object
--   keys  text[]  the member names to keep (case-sensitive); names the object lacks are ignored
-- Result: jsonb — the object with only those members ('{}' when none is left; NULL for a NULL json).
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_jsonpick(json jsonb, keys text[])
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN json IS NULL THEN NULL ELSE coalesce(
    (SELECT jsonb_object_agg(m.key, m.value) FROM jsonb_each(json) AS m WHERE m.key = ANY (keys)),
    '{}'::jsonb) END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_jsonpick(jsonb, text[]) FROM PUBLIC;
