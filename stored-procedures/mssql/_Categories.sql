-- rc.rc_internal_Categories — internal helper: parses a @categories parameter (the Exchange categories of an
-- appointment, contact, task or mail) into the JSON array the payloads carry. Twin of
-- stored-procedures/postgres/_Categories.sql (the function rc.fn_Categories there; a procedure here because
-- T-SQL functions cannot THROW). THROWs with the calling procedure's name as prefix. Opens no transaction,
-- writes nothing.
--
-- Call it before the caller writes anything:
--   EXEC rc.rc_internal_Categories @proc_name = N'rc_CreateTask', @categories = @categories,
--     @json = @categories_json OUTPUT;
-- then embed it with JSON_QUERY(@categories_json) AS [categories]. On an update, NULL means "leave unchanged":
-- the caller tests @categories IS NULL itself (this helper turns NULL into '[]', i.e. "no categories").
--
-- Rules: entries separated by ';' or ',' (split by rc.fn_SplitAddressList: in input order, trimmed of spaces,
-- tabs, CR and LF, empty entries dropped); each entry at most 255 characters (UTF-16 code units, DATALENGTH / 2;
-- PostgreSQL counts characters); duplicates dropped case-insensitively (LOWER, compared byte for byte whatever
-- the collation), the first spelling kept; at most 50 entries remain.
--
-- Parameters:
--   @proc_name  nvarchar(4000) the calling procedure's name as users spell it (N'rc_CreateContact'): prefix
--   @categories nvarchar(max)  the caller's @categories, NULL allowed
--   @json       nvarchar(max)  OUTPUT: a JSON array of strings in input order, '[]' for NULL / nothing left
-- Result: @json; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R00nn'):
--   50055 an entry is longer than 255 characters, or more than 50 different entries are left

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_Categories', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_Categories AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_Categories
  @proc_name nvarchar(4000),
  @categories nvarchar(max),
  @json nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @entries TABLE (Ordinal bigint NOT NULL PRIMARY KEY, Entry nvarchar(max) NOT NULL);
  -- Item: the entry as a JSON string literal (quotes and escapes included), cut out of FOR JSON's {"v":"…"}.
  DECLARE @kept TABLE (Ordinal bigint NOT NULL PRIMARY KEY, Item nvarchar(max) NOT NULL);
  DECLARE @bad nvarchar(max);
  DECLARE @count int;
  DECLARE @message nvarchar(2048);

  SET @json = NULL;

  INSERT INTO @entries (Ordinal, Entry)
  SELECT s.Ordinal, s.Entry FROM rc.fn_SplitAddressList(@categories) AS s;

  SELECT TOP (1) @bad = e.Entry FROM @entries AS e WHERE DATALENGTH(e.Entry) / 2 > 255 ORDER BY e.Ordinal;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the category "', @bad, N'" in @categories is ', DATALENGTH(@bad) / 2,
      N' characters long, at most 255 are allowed. Shorten it.');
    THROW 50055, @message, 1;
  END;

  -- Entries are at most 255 UTF-16 code units now, so LOWER(Entry) fits varbinary(510) (a PARTITION BY key).
  INSERT INTO @kept (Ordinal, Item)
  SELECT d.Ordinal, (SELECT d.Entry AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER)
  FROM (
    SELECT e.Ordinal, e.Entry,
      ROW_NUMBER() OVER (PARTITION BY CAST(LOWER(e.Entry) AS varbinary(510)) ORDER BY e.Ordinal) AS Occurrence
    FROM @entries AS e
  ) AS d
  WHERE d.Occurrence = 1;

  SELECT @count = COUNT(*) FROM @kept;
  IF @count > 50
  BEGIN
    SET @message = CONCAT(@proc_name, N': @categories holds ', @count,
      N' different categories, at most 50 are allowed. Pass fewer categories.');
    THROW 50055, @message, 1;
  END;

  SELECT @json = CONCAT(N'[', STRING_AGG(CAST(SUBSTRING(k.Item, 6, DATALENGTH(k.Item) / 2 - 6) AS nvarchar(max)), N',')
    WITHIN GROUP (ORDER BY k.Ordinal), N']')
  FROM @kept AS k;
  RETURN 0;
END;
GO
