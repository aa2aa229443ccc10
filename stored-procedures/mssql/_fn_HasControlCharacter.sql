-- rc.fn_HasControlCharacter — internal helper: does a text hold a control character? Twin of
-- stored-procedures/postgres/_fn_HasControlCharacter.sql (a SQL function returning boolean there).
--
-- Control characters are U+0000–U+001F and U+007F–U+009F (C0, DEL and C1), the set the folder-name rules use
-- too. Each character is compared by its code (UNICODE), not with a LIKE range, because character ranges in a
-- LIKE pattern follow the collation. A tally (row numbers over cross-joined VALUES, cut off with TOP) walks the
-- characters; TOP gives the optimizer a row goal, so only as many numbers as characters are made.
--
-- Parameters: @text nvarchar(max) — NULL allowed. Only the first 10,000 characters are looked at: callers check
--             the length first (every text checked with it is limited to at most 4,000 characters).
-- Result:     a table with one row (HasControl bit): 1 when a control character occurs, else 0 (also for NULL
--             and '').
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_HasControlCharacter') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_HasControlCharacter (@text nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(0 AS bit) AS HasControl;');
GO

ALTER FUNCTION rc.fn_HasControlCharacter (@text nvarchar(max))
RETURNS TABLE
AS
RETURN
SELECT CAST(CASE WHEN EXISTS (
    SELECT 1
    FROM (
      SELECT TOP (ISNULL(DATALENGTH(@text) / 2, 0)) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n
      FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d1 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d2 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d3 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d4 (d)
    ) AS t
    WHERE UNICODE(SUBSTRING(@text, t.n, 1)) < 32 OR UNICODE(SUBSTRING(@text, t.n, 1)) BETWEEN 127 AND 159
  ) THEN 1 ELSE 0 END AS bit) AS [HasControl];
GO
