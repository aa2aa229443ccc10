-- rc.rc_internal_JsonPick — internal helper: the members of a JSON object whose names are in a list, nulls
-- kept. The field helpers build a complete `fields` object and pick the keys an update gave. Twin of
-- stored-procedures/postgres/_JsonPick.sql (the function rc.fn_JsonPick there). A procedure because dropping a
-- member takes a table variable here: JSON_MODIFY is not on the list of what Babelfish runs (TSQL-COMPAT.md).
-- Opens no transaction, writes nothing.
--
-- Each kept member is written back as JSON: strings re-escaped through FOR JSON (which also writes '/' as '\/',
-- valid JSON), numbers, booleans, objects and arrays as OPENJSON returns them (their JSON text).
--
-- Parameters:
--   @json   nvarchar(max)  a JSON object
--   @keys   nvarchar(max)  the member names to keep, separated by ','; names the object lacks are ignored
--   @result nvarchar(max)  OUTPUT: the object with only those members ('{}' when none is left; NULL for NULL)
-- Result: @result; return code 0.
-- Errors: none

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_JsonPick', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_JsonPick AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_JsonPick
  @json nvarchar(max),
  @keys nvarchar(max),
  @result nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;
  -- OPENJSON's key column has a binary collation and STRING_SPLIT's value the database's: compared directly they
  -- raise a collation conflict, so both go through table variables (the database's collation) first.
  DECLARE @wanted TABLE (Name nvarchar(4000) NOT NULL);
  DECLARE @members TABLE (Name nvarchar(4000) NOT NULL, Member nvarchar(max) NOT NULL);

  SET @result = NULL;
  IF @json IS NULL RETURN 0;

  INSERT INTO @wanted (Name) SELECT s.[value] FROM STRING_SPLIT(@keys, N',') AS s;
  -- (SELECT x AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) is {"v":<x as JSON>}: characters 6 .. length - 1.
  INSERT INTO @members (Name, Member)
  SELECT j.[key], CONCAT(
    SUBSTRING(n.Quoted, 6, DATALENGTH(n.Quoted) / 2 - 6), N':',
    CASE j.[type] WHEN 0 THEN N'null' WHEN 1 THEN SUBSTRING(v.Quoted, 6, DATALENGTH(v.Quoted) / 2 - 6)
      ELSE j.[value] END)
  FROM OPENJSON(@json) AS j
  CROSS APPLY (SELECT (SELECT j.[key] AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) AS Quoted) AS n
  CROSS APPLY (SELECT (SELECT j.[value] AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) AS Quoted) AS v;
  DELETE m FROM @members AS m WHERE NOT EXISTS (SELECT 1 FROM @wanted AS w WHERE w.Name = m.Name);

  SET @result = CONCAT(N'{', (SELECT STRING_AGG(m.Member, N',') FROM @members AS m), N'}');
  RETURN 0;
END;
GO
