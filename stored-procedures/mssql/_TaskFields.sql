-- rc.rc_internal_TaskFields — internal helper: validates one task given as a JSON object and returns the `fields`
-- of a CreateTask / UpdateTask payload (worker/exchange/task-fields.ts). rc_CreateTask and rc_UpdateTask build the
-- object from their parameters (rc.fn_TaskItem); rc_SyncFolder passes each item of a tasks set. Twin of
-- stored-procedures/postgres/_TaskFields.sql (the function rc.fn_TaskFields there; a procedure here because T-SQL
-- functions cannot THROW). Opens no transaction, writes nothing.
--
-- The item: keys are rc_CreateTask's field parameter names without '@' (any case): subject, body, body_format,
-- start_date, due_date, status, percent_complete, importance, reminder_time, categories; with @partial also
-- clear_fields. Every value is a JSON string or null (null = not given); percent_complete may be a JSON number.
-- Enumerations and dates are trimmed of spaces, tabs, CR and LF; subject and body are kept as given.
--
-- Status and percent complete (Exchange couples them: 100 % ⇔ Completed, NotStarted ⇒ 0 %): given together they
-- must agree (Completed with 100, 100 with Completed, NotStarted with 0). Given alone, the other one follows:
-- a new task gets percent 100 for Completed and 0 otherwise, status NotStarted for 0, Completed for 100 and
-- InProgress in between; an update adds percent 100 to Completed, 0 to NotStarted and status Completed to 100
-- (other percentages alone are left to Exchange, which makes a not-started or completed task InProgress).
--
-- Parameters:
--   @proc_name nvarchar(4000)  the message prefix: the calling procedure's name (N'rc_CreateTask'), or a longer
--                              prefix naming the item (N'rc_SyncFolder: item "t-17"')
--   @item      nvarchar(max)   the task (JSON)
--   @partial   bit             0: a new task / a desired state — '' = not given (dates, reminder, categories),
--                              defaults applied, a subject required, every key in the result. 1: an update —
--                              only the given keys come out, '' clears a clearable field, clear_fields names
--                              fields to clear.
--   @fields    nvarchar(max)   OUTPUT: {"subject","body","bodyType","startDate","dueDate","status",
--                              "percentComplete","importance","reminderAt","categories"}: body '' and bodyType
--                              "Text" by default (an update carries bodyType with body), dates 'YYYY-MM-DD' or
--                              null, status "NotStarted"|"InProgress"|"Completed"|"WaitingOnOthers"|"Deferred",
--                              percentComplete 0..100, importance "Low"|"Normal"|"High" ("Normal" by default),
--                              reminderAt 'YYYY-MM-DDThh:mm:ssZ' (UTC, whole seconds) or null = no reminder,
--                              categories a JSON array ([] by default).
-- Result: @fields; return code 0.
-- Clearable on an update ('' or clear_fields): body (→ ''), start_date, due_date, reminder_time, categories.
-- Lengths in UTF-16 code units (DATALENGTH / 2).
-- Errors (THROW <number>, checked in this order, fields in the order above; the PostgreSQL twin raises SQLSTATE
-- 'R0nnn'):
--   50400 the item is not a JSON object
--   50401 the item has a key that is not a task field, or a key twice (keys are case-insensitive)
--   50402 a value is not a JSON string or null (percent_complete: or a number)
--   50412 clear_fields names an unknown or not clearable field, or one that is also given a value
--   50411 partial and nothing to change
--   50403 subject missing or blank (not partial), or cleared (partial)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 partial and body_format without body
--   50404 start_date / due_date is not a date YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time is not an instant with offset between 1601 and 4500
--   50055 categories: an entry longer than 255 characters or more than 50 of them (raised by
--         rc.rc_internal_Categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict each other

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_TaskFields', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_TaskFields AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_TaskFields
  @proc_name nvarchar(4000),
  @item nvarchar(max),
  @partial bit,
  @fields nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @message nvarchar(max);
  DECLARE @ws nvarchar(4) = N' ' + NCHAR(9) + NCHAR(10) + NCHAR(13);
  DECLARE @is_partial bit = ISNULL(@partial, 0);
  DECLARE @bad nvarchar(max);
  DECLARE @bad_type int;
  DECLARE @bad_value nvarchar(max);
  DECLARE @clear nvarchar(max);
  DECLARE @subject nvarchar(max);
  DECLARE @body nvarchar(max);
  DECLARE @format_given nvarchar(max);
  DECLARE @format nvarchar(max);
  DECLARE @start nvarchar(max);
  DECLARE @due nvarchar(max);
  DECLARE @status_given nvarchar(max);
  DECLARE @status nvarchar(20);
  DECLARE @percent_given nvarchar(max);
  DECLARE @percent int;
  DECLARE @importance_given nvarchar(max);
  DECLARE @importance nvarchar(10);
  DECLARE @reminder_given nvarchar(max);
  DECLARE @reminder nvarchar(20);
  DECLARE @categories nvarchar(max);
  DECLARE @keep nvarchar(max);
  DECLARE @full nvarchar(max);
  DECLARE @def TABLE (Ord int NOT NULL PRIMARY KEY, KeyName nvarchar(40) NOT NULL, Clearable bit NOT NULL,
    Value nvarchar(max) NULL);
  DECLARE @kv TABLE (KeyName nvarchar(4000) NOT NULL, Value nvarchar(max) NULL, JsonType int NOT NULL);
  DECLARE @clear_list TABLE (Ordinal bigint NOT NULL, Entry nvarchar(max) NOT NULL, KeyName nvarchar(max) NOT NULL);
  DECLARE @out TABLE (OutName nvarchar(40) NOT NULL);

  SET @fields = NULL;
  INSERT INTO @def (Ord, KeyName, Clearable)
  VALUES (1, N'subject', 0), (2, N'body', 1), (3, N'body_format', 0), (4, N'start_date', 1), (5, N'due_date', 1),
    (6, N'status', 0), (7, N'percent_complete', 0), (8, N'importance', 0), (9, N'reminder_time', 1),
    (10, N'categories', 1);

  -- 50400: a JSON object (ISJSON also accepts an array; the first character tells them apart).
  IF @item IS NULL OR ISJSON(@item) = 0
    OR SUBSTRING(@item, PATINDEX(N'%[^' + @ws + N']%', @item), 1) <> N'{'
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': the item is not a JSON object. Pass an object whose keys are rc_CreateTask''s parameter names without "@", e.g. {"subject": "Call back", "due_date": "2026-05-04"}.');
    THROW 50400, @message, 1;
  END;
  INSERT INTO @kv (KeyName, Value, JsonType)
  SELECT j.[key], CASE WHEN j.[type] = 0 THEN NULL ELSE j.[value] END, j.[type] FROM OPENJSON(@item) AS j;

  SELECT TOP (1) @bad = k.KeyName
  FROM @kv AS k
  WHERE NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.KeyName = LOWER(k.KeyName))
    AND NOT (@is_partial = 1 AND LOWER(k.KeyName) = N'clear_fields')
  ORDER BY LOWER(k.KeyName);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the item has the key "', @bad,
      N'", which is not a task field. Use rc_CreateTask''s field parameter names without "@" in lower case (subject, due_date, status, ...).');
    THROW 50401, @message, 1;
  END;
  SELECT TOP (1) @bad = LOWER(k.KeyName) FROM @kv AS k GROUP BY LOWER(k.KeyName) HAVING COUNT(*) > 1
  ORDER BY LOWER(k.KeyName);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the item has the key "', @bad, N'" twice. Give each field once.');
    THROW 50401, @message, 1;
  END;
  SELECT TOP (1) @bad = LOWER(k.KeyName), @bad_type = k.JsonType
  FROM @kv AS k
  LEFT JOIN @def AS d ON d.KeyName = LOWER(k.KeyName)
  WHERE k.JsonType NOT IN (0, 1) AND NOT (LOWER(k.KeyName) = N'percent_complete' AND k.JsonType = 2)
  ORDER BY ISNULL(d.Ord, 11);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the value of "', @bad, N'" is a JSON ',
      CASE @bad_type WHEN 2 THEN N'number' WHEN 3 THEN N'boolean' WHEN 4 THEN N'array' ELSE N'object' END,
      N', it must be a string or null. Quote it.');
    THROW 50402, @message, 1;
  END;

  UPDATE d
  SET Value = CASE WHEN d.KeyName IN (N'subject', N'body') THEN k.Value ELSE TRIM(@ws FROM k.Value) END
  FROM @def AS d
  JOIN @kv AS k ON LOWER(k.KeyName) = d.KeyName;

  -- clear_fields: each named field counts as given ''.
  IF @is_partial = 1
  BEGIN
    SELECT @clear = k.Value FROM @kv AS k WHERE LOWER(k.KeyName) = N'clear_fields';
    INSERT INTO @clear_list (Ordinal, Entry, KeyName)
    SELECT s.Ordinal, s.Entry, LOWER(CASE WHEN LEFT(s.Entry, 1) = N'@' THEN SUBSTRING(s.Entry, 2, DATALENGTH(s.Entry) / 2) ELSE s.Entry END)
    FROM rc.fn_SplitAddressList(@clear) AS s;

    SET @bad = NULL;
    SELECT TOP (1) @bad = c.Entry
    FROM @clear_list AS c
    WHERE NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.KeyName = c.KeyName AND d.Clearable = 1)
    ORDER BY c.Ordinal;
    IF @bad IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @clear_fields names "', @bad,
        N'", which is not a task field that can be cleared. Name body, start_date, due_date, reminder_time or categories.');
      THROW 50412, @message, 1;
    END;
    SELECT TOP (1) @bad = c.Entry
    FROM @clear_list AS c
    JOIN @def AS d ON d.KeyName = c.KeyName
    WHERE DATALENGTH(d.Value) > 0
    ORDER BY c.Ordinal;
    IF @bad IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @clear_fields names "', @bad,
        N'", which is also given a value. Either set the field or clear it.');
      THROW 50412, @message, 1;
    END;
    UPDATE d SET Value = N'' FROM @def AS d WHERE d.KeyName IN (SELECT c.KeyName FROM @clear_list AS c);

    IF NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.Value IS NOT NULL)
    BEGIN
      SET @message = CONCAT(@proc_name,
        N': nothing to change. Pass at least one field parameter (NULL leaves a field unchanged, an empty string clears it) or name fields in @clear_fields.');
      THROW 50411, @message, 1;
    END;
  END;

  SELECT
    @subject = MAX(CASE WHEN d.Ord = 1 THEN d.Value END),
    @body = MAX(CASE WHEN d.Ord = 2 THEN d.Value END),
    @format_given = MAX(CASE WHEN d.Ord = 3 THEN d.Value END),
    @start = MAX(CASE WHEN d.Ord = 4 THEN d.Value END),
    @due = MAX(CASE WHEN d.Ord = 5 THEN d.Value END),
    @status_given = MAX(CASE WHEN d.Ord = 6 THEN d.Value END),
    @percent_given = MAX(CASE WHEN d.Ord = 7 THEN d.Value END),
    @importance_given = MAX(CASE WHEN d.Ord = 8 THEN d.Value END),
    @reminder_given = MAX(CASE WHEN d.Ord = 9 THEN d.Value END),
    @categories = MAX(CASE WHEN d.Ord = 10 THEN d.Value END)
  FROM @def AS d;
  -- The members an update gives (before '' turns into null); status / percent / bodyType are added below.
  SELECT @keep = STRING_AGG(CASE d.Ord WHEN 1 THEN N'subject' WHEN 2 THEN N'body' WHEN 4 THEN N'startDate'
      WHEN 5 THEN N'dueDate' WHEN 8 THEN N'importance' WHEN 9 THEN N'reminderAt' WHEN 10 THEN N'categories' END, N',')
  FROM @def AS d
  WHERE d.Value IS NOT NULL AND d.Ord IN (1, 2, 4, 5, 8, 9, 10);

  IF (@is_partial = 0 AND DATALENGTH(ISNULL(TRIM(@ws FROM @subject), N'')) = 0)
    OR (@is_partial = 1 AND DATALENGTH(TRIM(@ws FROM @subject)) = 0)
  BEGIN
    SET @message = CONCAT(@proc_name, N': @subject is missing. A task needs a subject: pass a non-blank @subject.');
    THROW 50403, @message, 1;
  END;
  IF DATALENGTH(@subject) / 2 > 255
  BEGIN
    SET @message = CONCAT(@proc_name, N': @subject is ', DATALENGTH(@subject) / 2,
      N' characters long, at most 255 are allowed. Shorten the subject.');
    THROW 50023, @message, 1;
  END;
  IF DATALENGTH(@body) / 2 > 36700160
  BEGIN
    SET @message = CONCAT(@proc_name, N': @body is ', DATALENGTH(@body) / 2,
      N' characters long, at most 35 MB (36700160 characters) are allowed. Shorten the body.');
    THROW 50025, @message, 1;
  END;
  SET @format = UPPER(@format_given);
  IF @format_given IS NOT NULL AND (DATALENGTH(@format) = 0 OR @format NOT IN (N'TEXT', N'HTML'))
  BEGIN
    SET @message = CONCAT(@proc_name, N': @body_format "', LEFT(@format_given, 200), N'" is not valid. Use TEXT or HTML.');
    THROW 50020, @message, 1;
  END;
  IF @is_partial = 1 AND @format IS NOT NULL AND @body IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @body_format without @body. Exchange stores the format with the text: pass @body (the whole new body) together with @body_format.');
    THROW 50410, @message, 1;
  END;
  SET @bad = NULL;
  SELECT TOP (1) @bad = d.KeyName, @bad_value = d.Value
  FROM @def AS d
  CROSS APPLY rc.fn_IsoDate(d.Value) AS dt
  WHERE d.Ord IN (4, 5) AND DATALENGTH(d.Value) > 0 AND dt.Value IS NULL
  ORDER BY d.Ord;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @', @bad, N' "', LEFT(@bad_value, 200),
      N'" is not a date. Pass a date between 1601-01-01 and 4500-12-31 (YYYY-MM-DD).');
    THROW 50404, @message, 1;
  END;
  SET @start = CASE WHEN DATALENGTH(@start) > 0 THEN @start END;
  SET @due = CASE WHEN DATALENGTH(@due) > 0 THEN @due END;
  SET @status = CASE LOWER(@status_given) WHEN N'notstarted' THEN N'NotStarted' WHEN N'inprogress' THEN N'InProgress'
    WHEN N'completed' THEN N'Completed' WHEN N'waitingonothers' THEN N'WaitingOnOthers' WHEN N'deferred' THEN N'Deferred' END;
  IF @status_given IS NOT NULL AND (@status IS NULL OR DATALENGTH(@status_given) = 0)
  BEGIN
    SET @message = CONCAT(@proc_name, N': @status "', LEFT(@status_given, 200),
      N'" is not valid. Use NotStarted, InProgress, Completed, WaitingOnOthers or Deferred.');
    THROW 50406, @message, 1;
  END;
  IF @percent_given IS NOT NULL
  BEGIN
    IF DATALENGTH(@percent_given) / 2 NOT BETWEEN 1 AND 3 OR @percent_given LIKE N'%[^0123456789]%'
      OR TRY_CONVERT(int, @percent_given) > 100
    BEGIN
      SET @message = CONCAT(@proc_name, N': @percent_complete "', LEFT(@percent_given, 200),
        N'" is not valid. Pass a whole number from 0 to 100.');
      THROW 50407, @message, 1;
    END;
    SET @percent = TRY_CONVERT(int, @percent_given);
  END;
  SET @importance = CASE LOWER(@importance_given) WHEN N'low' THEN N'Low' WHEN N'normal' THEN N'Normal'
    WHEN N'high' THEN N'High' END;
  IF @importance_given IS NOT NULL AND (@importance IS NULL OR DATALENGTH(@importance_given) = 0)
  BEGIN
    SET @message = CONCAT(@proc_name, N': @importance "', LEFT(@importance_given, 200),
      N'" is not valid. Use Low, Normal or High.');
    THROW 50021, @message, 1;
  END;
  IF DATALENGTH(@reminder_given) > 0
  BEGIN
    SELECT @reminder = i.Value FROM rc.fn_IsoInstant(@reminder_given) AS i;
    IF @reminder IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @reminder_time "', LEFT(@reminder_given, 200),
        N'" is not a point in time. Pass a datetimeoffset, or in JSON YYYY-MM-DDThh:mm:ss with Z or an offset such as +02:00, between the years 1601 and 4500.');
      THROW 50409, @message, 1;
    END;
  END;
  IF @categories IS NOT NULL
    EXEC rc.rc_internal_Categories @proc_name = @proc_name, @categories = @categories, @json = @categories OUTPUT;
  IF @due < @start
  BEGIN
    SET @message = CONCAT(@proc_name, N': @due_date ', @due, N' is before @start_date ', @start,
      N'. Pass a due date on or after the start date.');
    THROW 50405, @message, 1;
  END;
  IF (@status = N'Completed' AND @percent <> 100) OR (@percent = 100 AND @status <> N'Completed')
    OR (@status = N'NotStarted' AND @percent > 0)
  BEGIN
    SET @message = CONCAT(@proc_name, N': @status "', @status, N'" and @percent_complete ', @percent,
      N' contradict each other: Completed means 100, 100 means Completed, NotStarted means 0. Pass matching values, or only one of them.');
    THROW 50408, @message, 1;
  END;

  IF @is_partial = 1
  BEGIN
    -- Exchange's coupling made explicit where the caller gave one side only.
    IF @status IN (N'Completed', N'NotStarted') AND @percent IS NULL
      SET @percent = CASE @status WHEN N'Completed' THEN 100 ELSE 0 END;
    ELSE IF @percent = 100 AND @status IS NULL
      SET @status = N'Completed';
    INSERT INTO @out (OutName)
    SELECT s.[value] FROM STRING_SPLIT(@keep, N',') AS s;
    IF @status IS NOT NULL INSERT INTO @out (OutName) VALUES (N'status');
    IF @percent IS NOT NULL INSERT INTO @out (OutName) VALUES (N'percentComplete');
    IF @body IS NOT NULL INSERT INTO @out (OutName) VALUES (N'bodyType');
    SELECT @keep = STRING_AGG(o.OutName, N',') FROM @out AS o;
  END
  ELSE
  BEGIN
    SET @body = ISNULL(@body, N'');
    SET @status = ISNULL(@status, CASE WHEN @percent = 100 THEN N'Completed' WHEN @percent > 0 THEN N'InProgress'
      ELSE N'NotStarted' END);
    SET @percent = ISNULL(@percent, CASE WHEN @status = N'Completed' THEN 100 ELSE 0 END);
    SET @importance = ISNULL(@importance, N'Normal');
    SET @categories = ISNULL(@categories, N'[]');
  END;

  SET @full = (
    SELECT
      @subject AS [subject],
      @body AS [body],
      CASE WHEN @format = N'HTML' THEN N'HTML' ELSE N'Text' END AS [bodyType],
      @start AS [startDate],
      @due AS [dueDate],
      @status AS [status],
      @percent AS [percentComplete],
      @importance AS [importance],
      @reminder AS [reminderAt],
      JSON_QUERY(@categories) AS [categories]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
  IF @is_partial = 1
    EXEC rc.rc_internal_JsonPick @json = @full, @keys = @keep, @result = @full OUTPUT;
  SET @fields = @full;
  RETURN 0;
END;
GO
