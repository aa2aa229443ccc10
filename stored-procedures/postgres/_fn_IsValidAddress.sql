-- rc.fn_IsValidAddress — internal helper: is this one plain SMTP address acceptable to rc-exchange?
-- Twin of stored-procedures/mssql/_fn_IsValidAddress.sql; both dialects must accept exactly the same strings.
--
-- Parameters: address text — already trimmed by the caller; NULL is not valid.
-- Result:     boolean — true when every rule holds:
--   - no display form ("Name <a@x.com>"): plain addresses only; at most 320 characters in total;
--   - exactly one '@';
--   - local part 1..64 characters of A-Z a-z 0-9 ! # $ % & ' * + / = ? ^ _ ` { | } ~ . -
--     with no leading, trailing or doubled dot;
--   - domain 1..255 characters, dot-separated labels of A-Z a-z 0-9 -, no label empty or starting/ending
--     with '-', at least one dot.
-- Errors:     none (callers raise their own numbered error naming the parameter).
CREATE OR REPLACE FUNCTION rc.fn_isvalidaddress(address text)
RETURNS boolean
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(
    length(address) <= 320
    AND address ~ '^[A-Za-z0-9!#$%&''*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$'
    AND length(split_part(address, '@', 2)) <= 255
    AND address !~ '^\.|\.@|\.\.'
    AND split_part(address, '@', 2) !~ '(^|\.)-|-(\.|$)',
    false)
$$;

REVOKE ALL ON FUNCTION rc.fn_isvalidaddress(text) FROM PUBLIC;
