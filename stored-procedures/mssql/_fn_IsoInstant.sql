-- rc.fn_IsoInstant — internal helper: an instant written 'YYYY-MM-DDThh:mm:ss[.fraction]' with 'Z' or an offset
-- '+hh:mm' / '-hh:mm' (required: a time without one names no instant), as the canonical UTC text
-- 'YYYY-MM-DDThh:mm:ssZ' — whole seconds (the fraction is dropped, not rounded), between 1601-01-01T00:00:00Z and
-- 4500-12-31T23:59:59Z. Used for a task's reminder, from a datetimeoffset parameter or a JSON item. Twin of
-- stored-procedures/postgres/_fn_IsoInstant.sql (a scalar function there; an inline table-valued function here:
-- CROSS APPLY rc.fn_IsoInstant(x) AS i … i.Value).
--
-- Parameters: @value nvarchar(max) — the text to read (not trimmed); 'T' and 'Z' in either case; fraction 1 to 7
--             digits; offsets up to ±14:00 (datetimeoffset's range).
-- Result:     one row (Value nvarchar(20)) — the canonical UTC form, or NULL when @value is NULL or not such an
--             instant. Every step is guarded by CASE (no SUBSTRING with a negative length, no CONVERT of text
--             that was not checked first).
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_IsoInstant') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_IsoInstant (@value nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(NULL AS nvarchar(20)) AS Value;');
GO

ALTER FUNCTION rc.fn_IsoInstant (@value nvarchar(max))
RETURNS TABLE
AS
RETURN
SELECT CASE WHEN u.Utc BETWEEN CONVERT(datetime2(0), '1601-01-01T00:00:00')
    AND CONVERT(datetime2(0), '4500-12-31T23:59:59')
  THEN CONVERT(nvarchar(20), CONCAT(CONVERT(nvarchar(19), u.Utc, 126), N'Z')) END AS [Value]
FROM (
  -- The offset ('Z' → '+00:00') and the length of the suffix it was written with.
  SELECT
    CASE WHEN RIGHT(@value, 1) IN (N'Z', N'z') THEN N'+00:00'
      WHEN RIGHT(@value, 6) LIKE N'[+-][0123456789][0123456789]:[0123456789][0123456789]' THEN RIGHT(@value, 6)
    END AS Offset,
    CASE WHEN RIGHT(@value, 1) IN (N'Z', N'z') THEN 1 ELSE 6 END AS SuffixLength
) AS s
CROSS APPLY (
  -- The fraction between the seconds and the suffix ('' or '.' and 1 to 7 digits); NULL when there is no room.
  SELECT CASE WHEN DATALENGTH(@value) / 2 >= 19 + s.SuffixLength
    THEN SUBSTRING(@value, 20, DATALENGTH(@value) / 2 - 19 - s.SuffixLength) END AS Fraction
) AS f
CROSS APPLY (
  SELECT CASE
    WHEN s.Offset IS NULL OR f.Fraction IS NULL THEN NULL
    WHEN LEFT(@value, 19) NOT LIKE
      N'[0123456789][0123456789][0123456789][0123456789]-[0123456789][0123456789]-[0123456789][0123456789][Tt][0123456789][0123456789]:[0123456789][0123456789]:[0123456789][0123456789]'
      THEN NULL
    WHEN DATALENGTH(f.Fraction) > 0 AND (LEFT(f.Fraction, 1) <> N'.' OR DATALENGTH(f.Fraction) / 2 NOT BETWEEN 2 AND 8
      OR SUBSTRING(f.Fraction, 2, 7) LIKE N'%[^0123456789]%') THEN NULL
    WHEN TRY_CONVERT(int, SUBSTRING(s.Offset, 2, 2)) * 60 + TRY_CONVERT(int, SUBSTRING(s.Offset, 5, 2)) > 840
      OR TRY_CONVERT(int, SUBSTRING(s.Offset, 5, 2)) > 59 THEN NULL
    ELSE TRY_CONVERT(datetimeoffset(0), CONCAT(LEFT(@value, 10), N'T', SUBSTRING(@value, 12, 8), s.Offset))
  END AS Dto
) AS p
CROSS APPLY (SELECT CONVERT(datetime2(0), SWITCHOFFSET(p.Dto, '+00:00')) AS Utc) AS u;
GO
