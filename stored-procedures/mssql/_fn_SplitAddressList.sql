-- rc.fn_SplitAddressList — internal helper: split a recipient list the way rc_SendMail accepts it.
-- Twin of stored-procedures/postgres/_fn_SplitAddressList.sql (a SQL function returning text[] there).
--
-- Parameters: @list nvarchar(max) — addresses separated by ';' or ',' (mixing both is fine); NULL allowed.
-- Result:     a table (Ordinal bigint, Entry nvarchar(max)) — the entries in input order (Ordinal 1, 2, …), each
--             trimmed of spaces, tabs, CR and LF at both ends; empty entries (';;', a trailing ';', a blank list)
--             dropped; NULL or nothing left → no rows. Entries are NOT validated here: rc_SendMail checks each
--             with rc.fn_IsValidAddress.
-- Why not STRING_SPLIT: it does not promise input order before SQL Server 2022 (enable_ordinal), and the
-- normalised list must keep the caller's order. A tally (row numbers over cross-joined VALUES, cut off with
-- TOP) finds each entry's start instead; TOP gives the optimizer a row goal, so only len+1 numbers are made.
-- Callers aggregate the result from a table variable (STRING_AGG straight over a split fails on Babelfish).
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_SplitAddressList') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_SplitAddressList (@list nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(1 AS bigint) AS Ordinal, CAST(NULL AS nvarchar(max)) AS Entry WHERE 1 = 0;');
GO

ALTER FUNCTION rc.fn_SplitAddressList (@list nvarchar(max))
RETURNS TABLE
AS
RETURN
SELECT
  ROW_NUMBER() OVER (ORDER BY i.Position) AS [Ordinal],
  SUBSTRING(i.Item, i.FirstKept, DATALENGTH(i.Item) / 2 - i.LastKeptFromEnd - i.FirstKept + 2) AS [Entry]
FROM (
  SELECT
    s.Position,
    s.Item,
    -- first / last character that is not a space, tab, LF or CR (0 when there is none)
    PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', s.Item) AS FirstKept,
    PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', REVERSE(s.Item)) AS LastKeptFromEnd
  FROM (
    SELECT t.n AS Position, SUBSTRING(l.List, t.n, CHARINDEX(N';', l.List + N';', t.n) - t.n) AS Item
    FROM (SELECT REPLACE(@list, N',', N';') AS List) AS l
    CROSS JOIN (
      SELECT TOP (ISNULL(DATALENGTH(@list) / 2, 0) + 1) ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS n
      FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d1 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d2 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d3 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d4 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d5 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d6 (d)
      CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS d7 (d)
    ) AS t
    WHERE t.n = 1 OR SUBSTRING(l.List, t.n - 1, 1) = N';'
  ) AS s
) AS i
WHERE i.FirstKept > 0;
GO
