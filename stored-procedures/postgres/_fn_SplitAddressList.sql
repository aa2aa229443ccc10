-- rc.fn_SplitAddressList — internal helper: split a recipient list the way rc_SendMail accepts it.
-- Twin of stored-procedures/mssql/_fn_SplitAddressList.sql (an inline table-valued function there).
--
-- Parameters: list text — addresses separated by ';' or ',' (mixing both is fine); NULL allowed.
-- Result:     text[] — the entries in input order, each trimmed of spaces, tabs, CR and LF; empty entries
--             (';;', a trailing ';', a blank list) dropped; NULL or nothing left → an empty array.
--             Entries are NOT validated here: rc_SendMail checks each with rc.fn_IsValidAddress.
-- Errors:     none.
CREATE OR REPLACE FUNCTION rc.fn_splitaddresslist(list text)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(array_agg(t.entry ORDER BY t.ord), '{}'::text[])
  FROM (
    SELECT btrim(part, E' \t\r\n') AS entry, ord
    FROM unnest(regexp_split_to_array(list, '[;,]')) WITH ORDINALITY AS p(part, ord)
  ) AS t
  WHERE t.entry <> ''
$$;

REVOKE ALL ON FUNCTION rc.fn_splitaddresslist(text) FROM PUBLIC;
