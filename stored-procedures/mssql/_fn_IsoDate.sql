-- rc.fn_IsoDate — internal helper: a calendar date written 'YYYY-MM-DD' between 1601-01-01 and 4500-12-31 (the
-- dates Exchange can store: FILETIME starts in 1601, Outlook reads 4501-01-01 as "none"), or NULL. Used for a
-- contact's birthday and a task's start and due dates, whether they come from a date parameter or a JSON item.
-- Twin of stored-procedures/postgres/_fn_IsoDate.sql (a scalar function there; an inline table-valued function here
-- so it inlines into the caller's query: CROSS APPLY rc.fn_IsoDate(x) AS d … d.Value).
--
-- Parameters: @value nvarchar(max) — the text to read (not trimmed).
-- Result:     one row (Value date) — the date, or NULL when @value is NULL, not exactly YYYY-MM-DD (ASCII
--             digits), not a real date (2026-02-30) or outside the range.
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_IsoDate') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_IsoDate (@value nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(NULL AS date) AS Value;');
GO

ALTER FUNCTION rc.fn_IsoDate (@value nvarchar(max))
RETURNS TABLE
AS
RETURN
SELECT CASE WHEN d.Value BETWEEN CONVERT(date, '16010101', 112) AND CONVERT(date, '45001231', 112)
  THEN d.Value END AS [Value]
FROM (
  -- Explicit digit sets: a [0-9] range can match other digits (superscripts) in some collations.
  SELECT CASE WHEN DATALENGTH(@value) = 20
      AND @value LIKE N'[0123456789][0123456789][0123456789][0123456789]-[0123456789][0123456789]-[0123456789][0123456789]'
    THEN TRY_CONVERT(date, @value, 23) END AS Value
) AS d;
GO
