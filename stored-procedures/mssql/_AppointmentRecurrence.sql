-- rc.rc_internal_AppointmentRecurrence — internal helper: validates an appointment's recurrence document (the
-- @recurrence parameter, Microsoft Graph's patternedRecurrence shape) and returns it in the payload's canonical
-- form. Twin of stored-procedures/postgres/_AppointmentRecurrence.sql (the function rc.fn_AppointmentRecurrence
-- there). Called by rc.rc_internal_AppointmentFields only. THROWs with @proc_name as prefix; opens no
-- transaction, writes nothing.
--
-- Document: {"pattern": {...}, "range": {...}}; keys and enum values case-insensitive, nothing else allowed.
--   pattern.type daily            keys: interval
--                weekly           keys: interval, daysOfWeek (1..7 different days), firstDayOfWeek (default sunday)
--                absoluteMonthly  keys: interval, dayOfMonth (1..31)
--                relativeMonthly  keys: interval, daysOfWeek (exactly one day), index (first..fourth, last)
--                absoluteYearly   keys: interval (only 1), month (1..12), dayOfMonth (1..31, a day of that month)
--                relativeYearly   keys: interval (only 1), month, daysOfWeek (exactly one day), index
--   interval: JSON integer 1..999, default 1.
--   range.type   endDate          keys: startDate, endDate ('YYYY-MM-DD', not before startDate)
--                numbered         keys: startDate, numberOfOccurrences (JSON integer 1..999)
--                noEnd            keys: startDate
--   startDate: 'YYYY-MM-DD'; left out → the appointment's start date in its time zone (@start_date). When given
--   and the start is known it must be that date.
-- Keys are matched byte for byte after LOWER (CAST … AS varbinary), so the database collation does not matter.
--
-- Parameters:
--   @proc_name  nvarchar(4000)  message prefix (the calling procedure's name, or e.g. N'rc_SyncFolder: item "k"')
--   @recurrence nvarchar(max)   the document's JSON text; NULL is a bug of the caller
--   @start_date date            the appointment's start date in its zone; NULL when unknown (update without
--                               @start_time)
--   @json       nvarchar(max)   OUTPUT: {"pattern": {"type", …}, "range": {"type", "startDate", …}} with canonical
--                               casing (types as above, days 'Monday', index 'First', firstDayOfWeek on weekly
--                               patterns only, no interval on yearly ones)
-- Result: @json; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50215 not a JSON object, or pattern / range missing or not objects
--   50216 a key that is not part of the document, not used by that pattern/range type, or given twice
--   50217 pattern.type missing or unknown
--   50218 interval not an integer 1..999 (yearly: not 1)
--   50219 daysOfWeek missing, empty, not day names, a day twice, or more than one day for a relative pattern
--   50222 month missing or not 1..12 (yearly patterns)
--   50220 dayOfMonth missing or not 1..31 (yearly: not a day of that month)
--   50221 index missing or not first, second, third, fourth or last
--   50223 firstDayOfWeek not a day name
--   50224 range.type missing or unknown
--   50225 startDate / endDate not a date 'YYYY-MM-DD', endDate missing, or endDate before startDate
--   50226 numberOfOccurrences missing or not an integer 1..999
--   50227 startDate differs from the start's date in the time zone, or is missing while the start is unknown

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_AppointmentRecurrence', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_AppointmentRecurrence AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_AppointmentRecurrence
  @proc_name nvarchar(4000),
  @recurrence nvarchar(max),
  @start_date date,
  @json nvarchar(max) = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @message nvarchar(2048);
  -- Level 0 = the document, 1 = pattern, 2 = range. Name: the canonical key (NULL = unknown key). Shown: the value
  -- as the messages print it (strings in quotes, like PostgreSQL's jsonb text).
  DECLARE @parts TABLE (Level tinyint NOT NULL, KeyName nvarchar(4000) NOT NULL, Name nvarchar(40) NULL,
    [Value] nvarchar(max) NULL, [Type] tinyint NOT NULL, Shown nvarchar(max) NULL);
  DECLARE @days TABLE (Ordinal int NOT NULL PRIMARY KEY, Day nvarchar(10) NULL, Shown nvarchar(max) NULL);
  DECLARE @bad nvarchar(4000);
  DECLARE @bad_shown nvarchar(max);
  DECLARE @pattern nvarchar(max);
  DECLARE @range nvarchar(max);
  DECLARE @text nvarchar(max);
  DECLARE @shown nvarchar(max);
  DECLARE @type nvarchar(20);
  DECLARE @range_type nvarchar(20);
  DECLARE @interval int = 1;
  DECLARE @days_json nvarchar(max);
  DECLARE @day_count int;
  DECLARE @first_day nvarchar(10) = N'Sunday';
  DECLARE @day_of_month int;
  DECLARE @index nvarchar(10);
  DECLARE @month int;
  DECLARE @start date;
  DECLARE @end date;
  DECLARE @count int;

  SET @json = NULL;

  IF @recurrence IS NULL OR ISJSON(@recurrence) = 0
     OR NOT EXISTS (SELECT 1 FROM OPENJSON(CONCAT(N'[', @recurrence, N']')) AS j WHERE j.[type] = 5)
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @recurrence is not a JSON object. Pass {"pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]}, "range": {"type": "noEnd"}} or NULL for a single appointment.');
    THROW 50215, @message, 1;
  END;

  -- Top level: exactly pattern and range.
  INSERT INTO @parts (Level, KeyName, Name, [Value], [Type])
  SELECT 0, j.[key], n.Name, j.[value], j.[type]
  FROM OPENJSON(@recurrence) AS j
  LEFT JOIN (VALUES (N'pattern'), (N'range')) AS n (Name)
    ON CAST(LOWER(j.[key]) AS varbinary(max)) = CAST(n.Name AS varbinary(max));
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p WHERE p.Level = 0 AND p.Name IS NULL
  ORDER BY CAST(p.KeyName AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence has the key "', @bad,
      N'", which is not part of a recurrence. Use "pattern" and "range" only.');
    THROW 50216, @message, 1;
  END;
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p
  WHERE p.Level = 0 AND (SELECT COUNT(*) FROM @parts AS q WHERE q.Level = 0 AND q.Name = p.Name) > 1
  ORDER BY CAST(p.KeyName AS varbinary(max)) DESC;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence has the key "', @bad, N'" twice. Give each key once.');
    THROW 50216, @message, 1;
  END;
  SELECT @pattern = p.[Value] FROM @parts AS p WHERE p.Level = 0 AND p.Name = N'pattern' AND p.[Type] = 5;
  SELECT @range = p.[Value] FROM @parts AS p WHERE p.Level = 0 AND p.Name = N'range' AND p.[Type] = 5;
  IF @pattern IS NULL OR @range IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @recurrence needs a "pattern" object and a "range" object, e.g. {"pattern": {"type": "daily"}, "range": {"type": "numbered", "numberOfOccurrences": 10}}.');
    THROW 50215, @message, 1;
  END;

  -- Pattern keys, then its type.
  INSERT INTO @parts (Level, KeyName, Name, [Value], [Type])
  SELECT 1, j.[key], n.Name, j.[value], j.[type]
  FROM OPENJSON(@pattern) AS j
  LEFT JOIN (VALUES (N'type'), (N'interval'), (N'daysOfWeek'), (N'dayOfMonth'), (N'index'), (N'month'),
    (N'firstDayOfWeek')) AS n (Name)
    ON CAST(LOWER(j.[key]) AS varbinary(max)) = CAST(LOWER(n.Name) AS varbinary(max));
  INSERT INTO @parts (Level, KeyName, Name, [Value], [Type])
  SELECT 2, j.[key], n.Name, j.[value], j.[type]
  FROM OPENJSON(@range) AS j
  LEFT JOIN (VALUES (N'type'), (N'startDate'), (N'endDate'), (N'numberOfOccurrences')) AS n (Name)
    ON CAST(LOWER(j.[key]) AS varbinary(max)) = CAST(LOWER(n.Name) AS varbinary(max));
  UPDATE @parts SET Shown = CASE [Type] WHEN 1 THEN CONCAT(N'"', [Value], N'"') WHEN 0 THEN N'null' ELSE [Value] END;

  SET @bad = NULL;
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p WHERE p.Level = 1 AND p.Name IS NULL
  ORDER BY CAST(p.KeyName AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence pattern has the key "', @bad,
      N'", which is not part of a pattern. Use type, interval, daysOfWeek, dayOfMonth, index, month and firstDayOfWeek.');
    THROW 50216, @message, 1;
  END;
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p
  WHERE p.Level = 1 AND (SELECT COUNT(*) FROM @parts AS q WHERE q.Level = 1 AND q.Name = p.Name) > 1
  ORDER BY CAST(p.KeyName AS varbinary(max)) DESC;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence pattern has the key "', @bad, N'" twice. Give each key once.');
    THROW 50216, @message, 1;
  END;
  SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.[Value]
  FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'type';
  SELECT @type = t.Name
  FROM (VALUES (N'daily'), (N'weekly'), (N'absoluteMonthly'), (N'relativeMonthly'), (N'absoluteYearly'),
    (N'relativeYearly')) AS t (Name)
  WHERE CAST(LOWER(t.Name) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@text))) AS varbinary(max));
  IF @type IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence pattern type "', ISNULL(@shown, N''),
      N'" is not valid. Use daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or relativeYearly.');
    THROW 50217, @message, 1;
  END;
  SET @bad = NULL;
  SELECT TOP (1) @bad = LOWER(p.KeyName) FROM @parts AS p
  WHERE p.Level = 1 AND NOT EXISTS (
    SELECT 1 FROM (VALUES
      (N'daily', N'type'), (N'daily', N'interval'),
      (N'weekly', N'type'), (N'weekly', N'interval'), (N'weekly', N'daysOfWeek'), (N'weekly', N'firstDayOfWeek'),
      (N'absoluteMonthly', N'type'), (N'absoluteMonthly', N'interval'), (N'absoluteMonthly', N'dayOfMonth'),
      (N'relativeMonthly', N'type'), (N'relativeMonthly', N'interval'), (N'relativeMonthly', N'daysOfWeek'),
      (N'relativeMonthly', N'index'),
      (N'absoluteYearly', N'type'), (N'absoluteYearly', N'interval'), (N'absoluteYearly', N'month'),
      (N'absoluteYearly', N'dayOfMonth'),
      (N'relativeYearly', N'type'), (N'relativeYearly', N'interval'), (N'relativeYearly', N'month'),
      (N'relativeYearly', N'daysOfWeek'), (N'relativeYearly', N'index')) AS a (PatternType, Name)
    WHERE CAST(a.PatternType AS varbinary(max)) = CAST(@type AS varbinary(max))
      AND CAST(a.Name AS varbinary(max)) = CAST(p.Name AS varbinary(max)))
  ORDER BY CAST(LOWER(p.KeyName) AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence pattern key "', @bad, N'" is not used by a ', @type,
      N' pattern. Leave it out.');
    THROW 50216, @message, 1;
  END;

  -- interval
  IF EXISTS (SELECT 1 FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'interval')
  BEGIN
    SELECT @text = CASE WHEN p.[Type] = 2 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'interval';
    SET @interval = CASE WHEN DATALENGTH(@text) / 2 BETWEEN 1 AND 3 AND @text NOT LIKE N'%[^0-9]%'
      THEN TRY_CONVERT(int, @text) END;
    IF @interval IS NULL OR @interval < 1
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence pattern interval ', @shown,
        N' is not valid. Use a whole number from 1 to 999 (every n days, weeks or months).');
      THROW 50218, @message, 1;
    END;
    IF @type IN (N'absoluteYearly', N'relativeYearly') AND @interval <> 1
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence pattern interval ', @interval, N' is not valid for a ', @type,
        N' pattern: it repeats every year. Use 1 or leave interval out.');
      THROW 50218, @message, 1;
    END;
  END;

  -- daysOfWeek
  IF @type IN (N'weekly', N'relativeMonthly', N'relativeYearly')
  BEGIN
    SET @text = NULL;
    SELECT @text = p.[Value] FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'daysOfWeek' AND p.[Type] = 4;
    IF @text IS NOT NULL
      INSERT INTO @days (Ordinal, Day, Shown)
      SELECT CONVERT(int, j.[key]), d.Name,
        CASE j.[type] WHEN 1 THEN CONCAT(N'"', j.[value], N'"') WHEN 0 THEN N'null' ELSE j.[value] END
      FROM OPENJSON(@text) AS j
      LEFT JOIN (VALUES (N'Sunday'), (N'Monday'), (N'Tuesday'), (N'Wednesday'), (N'Thursday'), (N'Friday'),
        (N'Saturday')) AS d (Name)
        ON j.[type] = 1 AND CAST(LOWER(d.Name) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(j.[value]))) AS varbinary(max));
    SELECT @day_count = COUNT(*) FROM @days;
    IF @day_count = 0
    BEGIN
      SET @message = CONCAT(@proc_name, N': a ', @type,
        N' pattern needs daysOfWeek, a JSON array of day names such as ["monday", "thursday"].');
      THROW 50219, @message, 1;
    END;
    SET @bad_shown = NULL;
    SELECT TOP (1) @bad_shown = d.Shown FROM @days AS d WHERE d.Day IS NULL ORDER BY d.Ordinal;
    IF @bad_shown IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence daysOfWeek holds ', @bad_shown,
        N', which is not a day name. Use sunday, monday, tuesday, wednesday, thursday, friday or saturday.');
      THROW 50219, @message, 1;
    END;
    SET @bad = NULL;
    SELECT TOP (1) @bad = d.Day FROM @days AS d
    WHERE EXISTS (SELECT 1 FROM @days AS e WHERE e.Day = d.Day AND e.Ordinal < d.Ordinal)
    ORDER BY d.Ordinal;
    IF @bad IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence daysOfWeek names ', @bad, N' twice. Name each day once.');
      THROW 50219, @message, 1;
    END;
    IF @type <> N'weekly' AND @day_count > 1
    BEGIN
      SET @message = CONCAT(@proc_name, N': a ', @type,
        N' pattern takes exactly one day in daysOfWeek (e.g. ["friday"] with index "last"), not ', @day_count, N'.');
      THROW 50219, @message, 1;
    END;
    SELECT @days_json = CONCAT(N'[', STRING_AGG(CAST(CONCAT(N'"', d.Day, N'"') AS nvarchar(max)), N',')
      WITHIN GROUP (ORDER BY d.Ordinal), N']')
    FROM @days AS d;
  END;

  -- month (before dayOfMonth: a yearly day must exist in its month)
  IF @type IN (N'absoluteYearly', N'relativeYearly')
  BEGIN
    SET @text = NULL;
    SET @shown = N'nothing';
    SELECT @text = CASE WHEN p.[Type] = 2 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'month';
    SET @month = CASE WHEN DATALENGTH(@text) / 2 BETWEEN 1 AND 2 AND @text NOT LIKE N'%[^0-9]%'
      THEN TRY_CONVERT(int, @text) END;
    IF @month IS NULL OR @month NOT BETWEEN 1 AND 12
    BEGIN
      SET @message = CONCAT(@proc_name, N': a ', @type,
        N' pattern needs month, a whole number from 1 (January) to 12 (December), not ', @shown, N'.');
      THROW 50222, @message, 1;
    END;
  END;

  -- dayOfMonth
  IF @type IN (N'absoluteMonthly', N'absoluteYearly')
  BEGIN
    SET @text = NULL;
    SET @shown = N'nothing';
    SELECT @text = CASE WHEN p.[Type] = 2 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'dayOfMonth';
    SET @day_of_month = CASE WHEN DATALENGTH(@text) / 2 BETWEEN 1 AND 2 AND @text NOT LIKE N'%[^0-9]%'
      THEN TRY_CONVERT(int, @text) END;
    IF @day_of_month IS NULL OR @day_of_month NOT BETWEEN 1 AND 31
    BEGIN
      SET @message = CONCAT(@proc_name, N': a ', @type, N' pattern needs dayOfMonth, a whole number from 1 to 31, not ',
        @shown, N'.');
      THROW 50220, @message, 1;
    END;
    -- Yearly: the day must exist in that month (29 February counts: it exists in leap years).
    IF @month IS NOT NULL
       AND @day_of_month > DAY(DATEADD(day, -1, DATEADD(month, 1, DATEFROMPARTS(2024, @month, 1))))
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence dayOfMonth ', @day_of_month, N' does not exist in month ',
        @month, N'. Use a day of that month.');
      THROW 50220, @message, 1;
    END;
  END;

  -- index
  IF @type IN (N'relativeMonthly', N'relativeYearly')
  BEGIN
    SET @text = NULL;
    SET @shown = N'nothing';
    SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'index';
    SELECT @index = i.Name
    FROM (VALUES (N'First'), (N'Second'), (N'Third'), (N'Fourth'), (N'Last')) AS i (Name)
    WHERE CAST(LOWER(i.Name) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@text))) AS varbinary(max));
    IF @index IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': a ', @type,
        N' pattern needs index first, second, third, fourth or last, not ', @shown, N'.');
      THROW 50221, @message, 1;
    END;
  END;

  -- firstDayOfWeek
  IF EXISTS (SELECT 1 FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'firstDayOfWeek')
  BEGIN
    SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 1 AND p.Name = N'firstDayOfWeek';
    SET @first_day = NULL;
    SELECT @first_day = d.Name
    FROM (VALUES (N'Sunday'), (N'Monday'), (N'Tuesday'), (N'Wednesday'), (N'Thursday'), (N'Friday'),
      (N'Saturday')) AS d (Name)
    WHERE CAST(LOWER(d.Name) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@text))) AS varbinary(max));
    IF @first_day IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence firstDayOfWeek ', @shown,
        N' is not a day name. Use sunday, monday, tuesday, wednesday, thursday, friday or saturday.');
      THROW 50223, @message, 1;
    END;
  END;

  -- Range keys, then its type.
  SET @bad = NULL;
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p WHERE p.Level = 2 AND p.Name IS NULL
  ORDER BY CAST(p.KeyName AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence range has the key "', @bad,
      N'", which is not part of a range. Use type, startDate, endDate and numberOfOccurrences.');
    THROW 50216, @message, 1;
  END;
  SELECT TOP (1) @bad = p.KeyName FROM @parts AS p
  WHERE p.Level = 2 AND (SELECT COUNT(*) FROM @parts AS q WHERE q.Level = 2 AND q.Name = p.Name) > 1
  ORDER BY CAST(p.KeyName AS varbinary(max)) DESC;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence range has the key "', @bad, N'" twice. Give each key once.');
    THROW 50216, @message, 1;
  END;
  SET @text = NULL;
  SET @shown = NULL;
  SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.[Value]
  FROM @parts AS p WHERE p.Level = 2 AND p.Name = N'type';
  SELECT @range_type = t.Name FROM (VALUES (N'endDate'), (N'numbered'), (N'noEnd')) AS t (Name)
  WHERE CAST(LOWER(t.Name) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@text))) AS varbinary(max));
  IF @range_type IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence range type "', ISNULL(@shown, N''),
      N'" is not valid. Use endDate, numbered or noEnd.');
    THROW 50224, @message, 1;
  END;
  SET @bad = NULL;
  SELECT TOP (1) @bad = LOWER(p.KeyName) FROM @parts AS p
  WHERE p.Level = 2 AND NOT EXISTS (
    SELECT 1 FROM (VALUES
      (N'endDate', N'type'), (N'endDate', N'startDate'), (N'endDate', N'endDate'),
      (N'numbered', N'type'), (N'numbered', N'startDate'), (N'numbered', N'numberOfOccurrences'),
      (N'noEnd', N'type'), (N'noEnd', N'startDate')) AS a (RangeType, Name)
    WHERE CAST(a.RangeType AS varbinary(max)) = CAST(@range_type AS varbinary(max))
      AND CAST(a.Name AS varbinary(max)) = CAST(p.Name AS varbinary(max)))
  ORDER BY CAST(LOWER(p.KeyName) AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence range key "', @bad, N'" is not used by a ', @range_type,
      N' range. Leave it out.');
    THROW 50216, @message, 1;
  END;

  -- startDate / endDate: 'YYYY-MM-DD', years 1601 to 4500.
  IF EXISTS (SELECT 1 FROM @parts AS p WHERE p.Level = 2 AND p.Name = N'startDate')
  BEGIN
    SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 2 AND p.Name = N'startDate';
    SET @start = CASE WHEN DATALENGTH(@text) = 20 AND @text LIKE N'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND LEFT(@text, 4) BETWEEN N'1601' AND N'4500' THEN TRY_CONVERT(date, @text, 23) END;
    IF @start IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence range startDate ', @shown,
        N' is not a date. Write it as "YYYY-MM-DD" (years 1601 to 4500).');
      THROW 50225, @message, 1;
    END;
  END;
  IF @range_type = N'endDate'
  BEGIN
    SET @text = NULL;
    SET @shown = N'nothing';
    SELECT @text = CASE WHEN p.[Type] = 1 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 2 AND p.Name = N'endDate';
    SET @end = CASE WHEN DATALENGTH(@text) = 20 AND @text LIKE N'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND LEFT(@text, 4) BETWEEN N'1601' AND N'4500' THEN TRY_CONVERT(date, @text, 23) END;
    IF @end IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name,
        N': an endDate range needs endDate, a date written as "YYYY-MM-DD" (years 1601 to 4500), not ', @shown, N'.');
      THROW 50225, @message, 1;
    END;
    IF @end < ISNULL(@start, @start_date)
    BEGIN
      SET @message = CONCAT(@proc_name, N': @recurrence range endDate ', CONVERT(nchar(10), @end, 23),
        N' is before the start date ', CONVERT(nchar(10), ISNULL(@start, @start_date), 23),
        N'. Pass an endDate on or after it.');
      THROW 50225, @message, 1;
    END;
  END;

  -- numberOfOccurrences
  IF @range_type = N'numbered'
  BEGIN
    SET @text = NULL;
    SET @shown = N'nothing';
    SELECT @text = CASE WHEN p.[Type] = 2 THEN p.[Value] END, @shown = p.Shown
    FROM @parts AS p WHERE p.Level = 2 AND p.Name = N'numberOfOccurrences';
    SET @count = CASE WHEN DATALENGTH(@text) / 2 BETWEEN 1 AND 3 AND @text NOT LIKE N'%[^0-9]%'
      THEN TRY_CONVERT(int, @text) END;
    IF @count IS NULL OR @count < 1
    BEGIN
      SET @message = CONCAT(@proc_name,
        N': a numbered range needs numberOfOccurrences, a whole number from 1 to 999, not ', @shown, N'.');
      THROW 50226, @message, 1;
    END;
  END;

  -- The series starts on the appointment's own date.
  IF @start IS NULL AND @start_date IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @recurrence range needs startDate when @start_time is not given. Pass range.startDate ("YYYY-MM-DD") or @start_time and @end_time as well.');
    THROW 50227, @message, 1;
  END;
  IF @start IS NOT NULL AND @start_date IS NOT NULL AND @start <> @start_date
  BEGIN
    SET @message = CONCAT(@proc_name, N': @recurrence range startDate ', CONVERT(nchar(10), @start, 23),
      N' is not the date of @start_time in the time zone (', CONVERT(nchar(10), @start_date, 23),
      N'). Leave startDate out or make it that date.');
    THROW 50227, @message, 1;
  END;
  SET @start = ISNULL(@start, @start_date);

  -- FOR JSON PATH leaves NULL columns out: each type gets exactly its keys.
  SET @json = (
    SELECT
      @type AS [pattern.type],
      CASE WHEN @type NOT IN (N'absoluteYearly', N'relativeYearly') THEN @interval END AS [pattern.interval],
      @month AS [pattern.month],
      JSON_QUERY(@days_json) AS [pattern.daysOfWeek],
      @day_of_month AS [pattern.dayOfMonth],
      @index AS [pattern.index],
      CASE WHEN @type = N'weekly' THEN @first_day END AS [pattern.firstDayOfWeek],
      @range_type AS [range.type],
      CONVERT(nchar(10), @start, 23) AS [range.startDate],
      CONVERT(nchar(10), @end, 23) AS [range.endDate],
      @count AS [range.numberOfOccurrences]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
  );
  RETURN 0;
END;
GO
