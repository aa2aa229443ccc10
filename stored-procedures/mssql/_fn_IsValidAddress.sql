-- rc.fn_IsValidAddress — internal helper: is this one plain SMTP address acceptable to rc-exchange?
-- Twin of stored-procedures/postgres/_fn_IsValidAddress.sql; both dialects must accept exactly the same strings.
-- An inline table-valued function (one row, one column) so the optimizer inlines it into the caller's query:
--   SELECT … FROM @entries AS e CROSS APPLY rc.fn_IsValidAddress(e.Entry) AS v WHERE v.IsValid = 0
--
-- Parameters: @address nvarchar(max) — already trimmed by the caller; NULL is not valid.
-- Result:     one row (IsValid bit) — 1 when every rule holds:
--   - no display form ("Name <a@x.com>"): plain addresses only; at most 320 characters in total;
--   - exactly one '@';
--   - local part 1..64 characters of A-Z a-z 0-9 ! # $ % & ' * + / = ? ^ _ ` { | } ~ . -
--     with no leading, trailing or doubled dot;
--   - domain 1..255 characters, dot-separated labels of A-Z a-z 0-9 -, no label empty or starting/ending
--     with '-', at least one dot.
--   Characters are checked by code point (UNICODE()), never with LIKE ranges, so the answer does not depend on
--   the database collation ('é' is outside [a-z] everywhere, as in PostgreSQL's regex).
-- Errors:     none (callers raise their own numbered error naming the parameter).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_IsValidAddress') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_IsValidAddress (@address nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(0 AS bit) AS IsValid;');
GO

ALTER FUNCTION rc.fn_IsValidAddress (@address nvarchar(max))
RETURNS TABLE
AS
RETURN
SELECT CAST(CASE
    WHEN p.Len IS NULL OR p.Len < 3 OR p.Len > 320 THEN 0
    -- exactly one '@', with a local part of 1..64 and a domain of 1..255 characters
    WHEN p.At < 2 OR p.At > 65 THEN 0
    WHEN CHARINDEX(N'@', @address, p.At + 1) > 0 THEN 0
    WHEN p.Len - p.At < 1 OR p.Len - p.At > 255 THEN 0
    -- dots: none leading, none before '@', none doubled (anywhere: an empty domain label is a '..' too)
    WHEN LEFT(@address, 1) = N'.' OR SUBSTRING(@address, p.At - 1, 1) = N'.' OR CHARINDEX(N'..', @address) > 0 THEN 0
    -- domain: at least one dot, no label starting or ending with '-' or empty at either end
    WHEN CHARINDEX(N'.', @address, p.At + 1) = 0 THEN 0
    WHEN SUBSTRING(@address, p.At + 1, 1) IN (N'.', N'-') OR RIGHT(@address, 1) IN (N'.', N'-') THEN 0
    WHEN CHARINDEX(N'.-', @address, p.At + 1) > 0 OR CHARINDEX(N'-.', @address, p.At + 1) > 0 THEN 0
    -- every character from the allowed set of its part
    WHEN EXISTS (
      SELECT 1
      FROM (
        SELECT d1.d + d2.d * 10 + d3.d * 100 + 1 AS n
        FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d1 (d)
        CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d2 (d)
        CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d3 (d)
      ) AS t
      WHERE t.n <= p.Len
        AND t.n <> p.At
        AND NOT (
          UNICODE(SUBSTRING(@address, t.n, 1)) BETWEEN 48 AND 57 -- 0-9
          OR UNICODE(SUBSTRING(@address, t.n, 1)) BETWEEN 65 AND 90 -- A-Z
          OR UNICODE(SUBSTRING(@address, t.n, 1)) BETWEEN 97 AND 122 -- a-z
          OR UNICODE(SUBSTRING(@address, t.n, 1)) IN (45, 46) -- - .
          OR (t.n < p.At -- local part only: ! # $ % & ' * + / = ? ^ _ ` { | } ~
              AND UNICODE(SUBSTRING(@address, t.n, 1)) IN (33, 35, 36, 37, 38, 39, 42, 43, 47, 61, 63, 94, 95, 96, 123, 124, 125, 126))
        )
    ) THEN 0
    ELSE 1
  END AS bit) AS [IsValid]
FROM (SELECT DATALENGTH(@address) / 2 AS Len, CHARINDEX(N'@', @address) AS At) AS p;
GO
