-- rc.rc_internal_AppointmentFields — internal helper: validates one appointment given as a JSON object (keys = the
-- parameter names of rc_CreateAppointment without '@') and returns the payload's "fields" object (the TS type
-- worker/exchange/appointment-fields.ts). rc_CreateAppointment and rc_UpdateAppointment build that object from
-- their parameters and call it; rc_SyncFolder calls it for every item. Twin of
-- stored-procedures/postgres/_AppointmentFields.sql (the function rc.fn_AppointmentFields there: T-SQL functions
-- cannot THROW). THROWs with @proc_name as prefix; opens no transaction, writes nothing.
--
-- Keys are matched byte for byte after LOWER (CAST … AS varbinary), time zones likewise, so the database collation
-- does not matter. Validating the zone runs AT TIME ZONE once inside TRY … CATCH with XACT_ABORT OFF for that
-- statement, so an id this server lacks is error 50206 and never dooms the caller's transaction.
--
-- Parameters:
--   @proc_name nvarchar(4000)  message prefix: the calling procedure's name (or e.g. N'rc_SyncFolder: item "k"')
--   @item      nvarchar(max)   the appointment: subject, body, body_format, start_time, end_time, time_zone,
--                              is_all_day, location, required_attendees, optional_attendees, resources, recurrence,
--                              reminder_minutes, categories, show_as, sensitivity (keys case-insensitive). JSON
--                              strings or null, except is_all_day (true/false/0/1), reminder_minutes (integer) and
--                              recurrence (object or a string holding one). start_time / end_time: ISO 8601
--                              'YYYY-MM-DD[Thh:mm[:ss[.f]]]'; with 'Z' or '±hh:mm' an instant, without an offset a
--                              wall-clock time in time_zone.
--   @partial   bit             0 (default): a whole appointment (create, desired state): defaults applied, start
--                              and end required, every key in the result. 1 (update): only the given keys come
--                              out; '' clears subject, body, location, an attendee list, categories, recurrence;
--                              reminder -1 removes the reminder; start_time and end_time come together.
--   @fields    nvarchar(max)   OUTPUT: {"subject","body","bodyType","start","end","timeZone","isAllDay","location",
--                              "showAs","sensitivity","reminderMinutes","categories","requiredAttendees",
--                              "optionalAttendees","resources","recurrence"} (partial: only those given); start/end
--                              as UTC 'YYYY-MM-DDThh:mm:ss[.fff]Z' (cut to the millisecond), timeZone the Windows id
--                              (NULL time_zone → 'UTC'), lists as JSON arrays.
-- Result: @fields; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50200 item is not a JSON object
--   50201 a key that is not a field of an appointment, or a field given twice
--   50202 a value of the wrong JSON type
--   50229 partial: no field given (nothing to change)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50228 partial: body_format without body
--   50209 partial: start_time, end_time, time_zone, is_all_day given without both start_time and end_time
--   50203 start_time missing
--   50204 end_time missing
--   50206 time_zone is neither a Windows nor an IANA id rc.TimeZones / rc.TimeZoneAliases know, or this server's
--         AT TIME ZONE does not know it
--   50205 start_time / end_time is not an ISO 8601 date-time (years 1601 to 4500)
--   50207 end_time is not after start_time
--   50208 an all-day appointment does not start and end at midnight in its time zone
--   50210 location longer than 255 characters
--   50211 an entry of required_attendees / optional_attendees / resources is not a plain valid address
--   50212 more than 500 attendees and resources in total
--   50213 reminder_minutes is not a whole number from -1 to 40320
--   50055 categories: an entry longer than 255 characters or more than 50 (raised by rc.rc_internal_Categories)
--   50214 show_as is not Free, Tentative, Busy, OOF or WorkingElsewhere
--   50022 sensitivity is not Normal, Personal, Private or Confidential
--   50215 recurrence is not a JSON object with a pattern and a range (raised by rc_internal_AppointmentRecurrence)
--   50216 recurrence: an unknown, unused or repeated key                 (raised by rc_internal_AppointmentRecurrence)
--   50217 recurrence: pattern type                                         (raised by rc_internal_AppointmentRecurrence)
--   50218 recurrence: interval                                             (raised by rc_internal_AppointmentRecurrence)
--   50219 recurrence: daysOfWeek                                           (raised by rc_internal_AppointmentRecurrence)
--   50222 recurrence: month                                                (raised by rc_internal_AppointmentRecurrence)
--   50220 recurrence: dayOfMonth                                           (raised by rc_internal_AppointmentRecurrence)
--   50221 recurrence: index                                                (raised by rc_internal_AppointmentRecurrence)
--   50223 recurrence: firstDayOfWeek                                       (raised by rc_internal_AppointmentRecurrence)
--   50224 recurrence: range type                                           (raised by rc_internal_AppointmentRecurrence)
--   50225 recurrence: startDate / endDate                                  (raised by rc_internal_AppointmentRecurrence)
--   50226 recurrence: numberOfOccurrences                                  (raised by rc_internal_AppointmentRecurrence)
--   50227 recurrence: startDate not the start's date, or missing without start_time (rc_internal_AppointmentRecurrence)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_AppointmentFields', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_AppointmentFields AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_AppointmentFields
  @proc_name nvarchar(4000),
  @item nvarchar(max),
  @partial bit = 0,
  @fields nvarchar(max) = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @message nvarchar(2048);
  DECLARE @is_partial bit = ISNULL(@partial, 0);
  -- The item's keys: Name is the field (NULL = unknown key); JSON nulls stay in (they count as "not given").
  DECLARE @raw TABLE (KeyName nvarchar(4000) NOT NULL, Name nvarchar(40) NULL, [Value] nvarchar(max) NULL,
    [Type] tinyint NOT NULL);
  DECLARE @bad nvarchar(max);
  DECLARE @bad_name nvarchar(40);
  DECLARE @bad_type tinyint;
  DECLARE @bad_list tinyint;
  DECLARE @subject nvarchar(max);
  DECLARE @body nvarchar(max);
  DECLARE @body_format nvarchar(max);
  DECLARE @format nvarchar(max);
  DECLARE @start_text nvarchar(max);
  DECLARE @end_text nvarchar(max);
  DECLARE @zone_text nvarchar(max);
  DECLARE @all_day_text nvarchar(max);
  DECLARE @all_day bit;
  DECLARE @windows nvarchar(64) = N'UTC';
  DECLARE @zone_ok bit = 1;
  DECLARE @times bit = 0;
  DECLARE @i int;
  DECLARE @text nvarchar(max);
  DECLARE @len int;
  DECLARE @core nvarchar(max);
  DECLARE @core_len int;
  DECLARE @offset nvarchar(6);
  DECLARE @normal nvarchar(max);
  DECLARE @instant datetimeoffset(7);
  DECLARE @utc datetime2(7);
  DECLARE @start_utc datetime2(7);
  DECLARE @end_utc datetime2(7);
  DECLARE @start_local datetimeoffset(7);
  DECLARE @end_local datetimeoffset(7);
  DECLARE @start_date date;
  DECLARE @start_out nvarchar(30);
  DECLARE @end_out nvarchar(30);
  DECLARE @location nvarchar(max);
  DECLARE @required nvarchar(max);
  DECLARE @optional nvarchar(max);
  DECLARE @resources nvarchar(max);
  -- ListNo: 1 = required_attendees, 2 = optional_attendees, 3 = resources. Item: the entry as a JSON string
  -- (FOR JSON's {"v":"…"}, cut out below).
  DECLARE @entries TABLE (ListNo tinyint NOT NULL, Ordinal bigint NOT NULL, Entry nvarchar(max) NOT NULL,
    IsValid bit NOT NULL, Item nvarchar(max) NOT NULL, PRIMARY KEY (ListNo, Ordinal));
  DECLARE @total int;
  DECLARE @required_json nvarchar(max);
  DECLARE @optional_json nvarchar(max);
  DECLARE @resources_json nvarchar(max);
  DECLARE @reminder_text nvarchar(max);
  DECLARE @digits nvarchar(max);
  DECLARE @reminder int;
  DECLARE @categories nvarchar(max);
  DECLARE @categories_json nvarchar(max);
  DECLARE @show_as_text nvarchar(max);
  DECLARE @show_as nvarchar(20);
  DECLARE @sensitivity_text nvarchar(max);
  DECLARE @sensitivity nvarchar(20);
  DECLARE @recurrence nvarchar(max);
  DECLARE @recurrence_json nvarchar(max);
  DECLARE @full nvarchar(max);
  DECLARE @wanted TABLE (KeyName nvarchar(40) NOT NULL PRIMARY KEY);
  DECLARE @pieces TABLE (KeyName nvarchar(40) NOT NULL PRIMARY KEY, Piece nvarchar(max) NOT NULL);

  SET @fields = NULL;

  IF @item IS NULL OR ISJSON(@item) = 0
     OR NOT EXISTS (SELECT 1 FROM OPENJSON(CONCAT(N'[', @item, N']')) AS j WHERE j.[type] = 5)
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': the appointment is not a JSON object. Pass an object whose keys are rc_CreateAppointment''s parameter names without ''@'', e.g. {"subject": "Review", "start_time": "2026-05-04T09:00:00+02:00", "end_time": "2026-05-04T10:00:00+02:00"}.');
    THROW 50200, @message, 1;
  END;

  -- Keys: known fields only, each once (case-insensitively), values of the right JSON type.
  INSERT INTO @raw (KeyName, Name, [Value], [Type])
  SELECT j.[key], n.Name, j.[value], j.[type]
  FROM OPENJSON(@item) AS j
  LEFT JOIN (VALUES (N'subject'), (N'body'), (N'body_format'), (N'start_time'), (N'end_time'), (N'time_zone'),
    (N'is_all_day'), (N'location'), (N'required_attendees'), (N'optional_attendees'), (N'resources'),
    (N'recurrence'), (N'reminder_minutes'), (N'categories'), (N'show_as'), (N'sensitivity')) AS n (Name)
    ON CAST(LOWER(j.[key]) AS varbinary(max)) = CAST(n.Name AS varbinary(max));
  SELECT TOP (1) @bad = r.KeyName FROM @raw AS r WHERE r.Name IS NULL ORDER BY CAST(r.KeyName AS varbinary(max));
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': "', @bad,
      N'" is not a field of an appointment. Use subject, body, body_format, start_time, end_time, time_zone, is_all_day, location, required_attendees, optional_attendees, resources, recurrence, reminder_minutes, categories, show_as or sensitivity.');
    THROW 50201, @message, 1;
  END;
  SELECT TOP (1) @bad = r.KeyName FROM @raw AS r
  WHERE (SELECT COUNT(*) FROM @raw AS q WHERE q.Name = r.Name) > 1
  ORDER BY CAST(r.KeyName AS varbinary(max)) DESC;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the field "', @bad,
      N'" is given twice (field names are case-insensitive). Give each field once.');
    THROW 50201, @message, 1;
  END;
  SELECT TOP (1) @bad_name = r.Name, @bad_type = r.[Type]
  FROM @raw AS r
  WHERE r.[Type] <> 0 AND NOT (
       (r.Name = N'is_all_day' AND (r.[Type] = 3 OR (r.[Type] = 2 AND r.[Value] IN (N'0', N'1'))))
    OR (r.Name = N'reminder_minutes' AND r.[Type] = 2)
    OR (r.Name = N'recurrence' AND r.[Type] IN (1, 5))
    OR (r.Name NOT IN (N'is_all_day', N'reminder_minutes', N'recurrence') AND r.[Type] = 1))
  ORDER BY CAST(r.KeyName AS varbinary(max));
  IF @bad_name IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @', @bad_name, N' must be ',
      CASE @bad_name WHEN N'is_all_day' THEN N'true or false (or 1 or 0)' WHEN N'reminder_minutes' THEN N'a JSON number'
        WHEN N'recurrence' THEN N'a JSON object (or a string holding one)' ELSE N'a JSON string' END,
      N', not a JSON ',
      CASE @bad_type WHEN 1 THEN N'string' WHEN 2 THEN N'number' WHEN 3 THEN N'boolean' WHEN 4 THEN N'array'
        ELSE N'object' END, N'.');
    THROW 50202, @message, 1;
  END;
  IF @is_partial = 1 AND NOT EXISTS (SELECT 1 FROM @raw AS r WHERE r.[Type] <> 0)
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': nothing to change. Pass at least one field to change (NULL leaves a field as it is).');
    THROW 50229, @message, 1;
  END;

  -- The given values (a JSON null counts as not given).
  SELECT
    @subject = MAX(CASE WHEN r.Name = N'subject' THEN r.[Value] END),
    @body = MAX(CASE WHEN r.Name = N'body' THEN r.[Value] END),
    @body_format = MAX(CASE WHEN r.Name = N'body_format' THEN r.[Value] END),
    @start_text = MAX(CASE WHEN r.Name = N'start_time' THEN r.[Value] END),
    @end_text = MAX(CASE WHEN r.Name = N'end_time' THEN r.[Value] END),
    @zone_text = MAX(CASE WHEN r.Name = N'time_zone' THEN r.[Value] END),
    @all_day_text = MAX(CASE WHEN r.Name = N'is_all_day' THEN r.[Value] END),
    @location = MAX(CASE WHEN r.Name = N'location' THEN r.[Value] END),
    @required = MAX(CASE WHEN r.Name = N'required_attendees' THEN r.[Value] END),
    @optional = MAX(CASE WHEN r.Name = N'optional_attendees' THEN r.[Value] END),
    @resources = MAX(CASE WHEN r.Name = N'resources' THEN r.[Value] END),
    @recurrence = MAX(CASE WHEN r.Name = N'recurrence' THEN r.[Value] END),
    @reminder_text = MAX(CASE WHEN r.Name = N'reminder_minutes' THEN r.[Value] END),
    @categories = MAX(CASE WHEN r.Name = N'categories' THEN r.[Value] END),
    @show_as_text = MAX(CASE WHEN r.Name = N'show_as' THEN r.[Value] END),
    @sensitivity_text = MAX(CASE WHEN r.Name = N'sensitivity' THEN r.[Value] END)
  FROM @raw AS r
  WHERE r.[Type] <> 0;

  -- Subject and body.
  IF DATALENGTH(@subject) / 2 > 255
  BEGIN
    SET @message = CONCAT(@proc_name, N': @subject is ', DATALENGTH(@subject) / 2,
      N' characters long, at most 255 are allowed. Shorten the subject.');
    THROW 50023, @message, 1;
  END;
  IF DATALENGTH(@body) / 2 > 36700160
  BEGIN
    SET @message = CONCAT(@proc_name, N': @body is ', DATALENGTH(@body) / 2,
      N' characters long, at most 35 MB (36700160 characters) are allowed. Send the content as an attachment or shorten it.');
    THROW 50025, @message, 1;
  END;
  SET @format = UPPER(LTRIM(RTRIM(@body_format)));
  IF @format NOT IN (N'TEXT', N'HTML')
  BEGIN
    SET @message = CONCAT(@proc_name, N': @body_format "', @body_format, N'" is not valid. Use TEXT or HTML.');
    THROW 50020, @message, 1;
  END;
  IF @is_partial = 1 AND @format IS NOT NULL AND @body IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @body_format is given without @body. Pass the body together with its format (an update replaces the body as a whole).');
    THROW 50228, @message, 1;
  END;

  -- Times: start, end, zone and all-day go together.
  SET @all_day = CASE WHEN @all_day_text IS NULL THEN NULL WHEN @all_day_text IN (N'true', N'1') THEN 1 ELSE 0 END;
  IF @is_partial = 1 AND (@start_text IS NULL OR @end_text IS NULL)
     AND (@start_text IS NOT NULL OR @end_text IS NOT NULL OR @zone_text IS NOT NULL OR @all_day IS NOT NULL)
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @start_time, @end_time, @time_zone and @is_all_day change together. Pass @start_time and @end_time (and @time_zone and @is_all_day unless they are UTC and 0) to move the appointment.');
    THROW 50209, @message, 1;
  END;
  IF @is_partial = 0 OR @start_text IS NOT NULL
  BEGIN
    SET @times = 1;
    IF @start_text IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @start_time is missing. Pass the start as a datetimeoffset (or ISO 8601 text).');
      THROW 50203, @message, 1;
    END;
    IF @end_text IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @end_time is missing. Pass the end as a datetimeoffset (or ISO 8601 text).');
      THROW 50204, @message, 1;
    END;
    IF @zone_text IS NOT NULL
    BEGIN
      SET @windows = NULL;
      SELECT @windows = z.WindowsId FROM rc.TimeZones AS z
      WHERE CAST(LOWER(z.WindowsId) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@zone_text))) AS varbinary(max));
      IF @windows IS NULL
        SELECT @windows = a.WindowsId FROM rc.TimeZoneAliases AS a
        WHERE CAST(LOWER(a.IanaId) AS varbinary(max)) = CAST(LOWER(LTRIM(RTRIM(@zone_text))) AS varbinary(max));
      IF @windows IS NULL
      BEGIN
        SET @message = CONCAT(@proc_name, N': @time_zone "', @zone_text,
          N'" is not a known time zone. Use a Windows id such as W. Europe Standard Time or an IANA id such as Europe/Berlin (listed in rc.TimeZones and rc.TimeZoneAliases).');
        THROW 50206, @message, 1;
      END;
    END;
    -- SQL Server on Linux and Babelfish carry their own zone lists: make sure this server can convert in it.
    SET XACT_ABORT OFF;
    BEGIN TRY
      SET @start_local = SYSDATETIMEOFFSET() AT TIME ZONE @windows;
    END TRY
    BEGIN CATCH
      SET @zone_ok = 0;
    END CATCH;
    SET XACT_ABORT ON;
    IF @zone_ok = 0
    BEGIN
      SET @message = CONCAT(@proc_name, N': @time_zone "', ISNULL(@zone_text, @windows), N'" (Windows id ', @windows,
        N') is not known to this server''s AT TIME ZONE. Use a zone with the same rules, or update the server''s time zone data.');
      THROW 50206, @message, 1;
    END;

    SET @i = 1;
    WHILE @i <= 2
    BEGIN
      SET @text = CASE @i WHEN 1 THEN @start_text ELSE @end_text END;
      SET @len = DATALENGTH(@text) / 2;
      SET @instant = NULL;
      -- Split off 'Z' or '±hh:mm' (only after a time), then check YYYY-MM-DD[Thh:mm[:ss[.f{1,7}]]] character by
      -- character ('T' and 'Z' by code point: LIKE would take 't' and 'z' under a case-insensitive collation).
      SET @offset = CASE
        WHEN @len >= 17 AND UNICODE(RIGHT(@text, 1)) = 90 THEN N'+00:00'
        WHEN @len >= 22 AND RIGHT(@text, 6) LIKE N'[+-][0-9][0-9]:[0-9][0-9]' THEN RIGHT(@text, 6) END;
      SET @core = CASE WHEN @offset IS NULL THEN @text
        WHEN UNICODE(RIGHT(@text, 1)) = 90 THEN LEFT(@text, @len - 1) ELSE LEFT(@text, @len - 6) END;
      SET @core_len = DATALENGTH(@core) / 2;
      IF LEFT(@core, 10) LIKE N'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
         AND LEFT(@core, 4) BETWEEN N'1601' AND N'4500'
         AND ((@core_len = 10 AND @offset IS NULL)
           OR (@core_len >= 16 AND UNICODE(SUBSTRING(@core, 11, 1)) = 84
             AND SUBSTRING(@core, 12, 5) LIKE N'[0-9][0-9]:[0-9][0-9]'
             AND (@core_len = 16
               OR (@core_len >= 19 AND SUBSTRING(@core, 17, 3) LIKE N':[0-9][0-9]'
                 AND (@core_len = 19
                   OR (@core_len BETWEEN 21 AND 27 AND SUBSTRING(@core, 20, 1) = N'.'
                     AND SUBSTRING(@core, 21, 7) NOT LIKE N'%[^0-9]%'))))))
      BEGIN
        SET @normal = CASE @core_len WHEN 10 THEN CONCAT(@core, N'T00:00:00') WHEN 16 THEN CONCAT(@core, N':00')
          ELSE @core END;
        -- Without an offset: wall-clock time in the zone (a time in a DST gap moves forward by the gap; a time
        -- that occurs twice is the first, daylight one — AT TIME ZONE's rules).
        SET @instant = CASE WHEN @offset IS NOT NULL THEN TRY_CONVERT(datetimeoffset(7), CONCAT(@normal, @offset))
          ELSE TRY_CONVERT(datetime2(7), @normal) AT TIME ZONE @windows END;
      END;
      IF @instant IS NULL
      BEGIN
        SET @message = CONCAT(@proc_name, N': ', CASE @i WHEN 1 THEN N'@start_time' ELSE N'@end_time' END, N' "', @text,
          N'" is not a date-time. Pass a datetimeoffset, or ISO 8601 text YYYY-MM-DDThh:mm:ss with Z or +hh:mm for an instant, without an offset for a wall-clock time in @time_zone (years 1601 to 4500).');
        THROW 50205, @message, 1;
      END;
      -- UTC, cut to the millisecond (PostgreSQL keeps microseconds; both payloads carry milliseconds).
      SET @utc = CONVERT(datetime2(7), SWITCHOFFSET(@instant, N'+00:00'));
      SET @utc = DATEADD(nanosecond, -(DATEPART(nanosecond, @utc) % 1000000), @utc);
      IF @i = 1 SET @start_utc = @utc ELSE SET @end_utc = @utc;
      SET @i = @i + 1;
    END;
    SET @start_out = CONCAT(CONVERT(nchar(19), @start_utc, 126), CASE WHEN DATEPART(millisecond, @start_utc) <> 0
      THEN CONCAT(N'.', RIGHT(CONCAT(N'00', DATEPART(millisecond, @start_utc)), 3)) ELSE N'' END, N'Z');
    SET @end_out = CONCAT(CONVERT(nchar(19), @end_utc, 126), CASE WHEN DATEPART(millisecond, @end_utc) <> 0
      THEN CONCAT(N'.', RIGHT(CONCAT(N'00', DATEPART(millisecond, @end_utc)), 3)) ELSE N'' END, N'Z');
    IF @end_utc <= @start_utc
    BEGIN
      SET @message = CONCAT(@proc_name, N': @end_time ',
        CONCAT(CONVERT(nchar(19), @end_utc, 126), N'.', RIGHT(CONCAT(N'00', DATEPART(millisecond, @end_utc)), 3), N'Z'),
        N' is not after @start_time ',
        CONCAT(CONVERT(nchar(19), @start_utc, 126), N'.', RIGHT(CONCAT(N'00', DATEPART(millisecond, @start_utc)), 3), N'Z'),
        N'. Pass an end later than the start.');
      THROW 50207, @message, 1;
    END;
    SET @start_local = TODATETIMEOFFSET(@start_utc, 0) AT TIME ZONE @windows;
    SET @end_local = TODATETIMEOFFSET(@end_utc, 0) AT TIME ZONE @windows;
    IF @all_day = 1 AND (CAST(@start_local AS time) <> '00:00' OR CAST(@end_local AS time) <> '00:00')
    BEGIN
      SET @message = CONCAT(@proc_name, N': an all-day appointment starts and ends at midnight in its time zone ',
        @windows, N', but @start_time is ', CONVERT(nchar(19), CAST(@start_local AS datetime2(7)), 126),
        N' and @end_time is ', CONVERT(nchar(19), CAST(@end_local AS datetime2(7)), 126),
        N' there. Pass whole days, e.g. 2026-05-01T00:00 to 2026-05-02T00:00 in that zone.');
      THROW 50208, @message, 1;
    END;
    SET @start_date = CAST(@start_local AS date);
  END;

  IF DATALENGTH(@location) / 2 > 255
  BEGIN
    SET @message = CONCAT(@proc_name, N': @location is ', DATALENGTH(@location) / 2,
      N' characters long, at most 255 are allowed. Shorten it.');
    THROW 50210, @message, 1;
  END;

  -- Attendees and resources: rc_SendMail's address lists.
  INSERT INTO @entries (ListNo, Ordinal, Entry, IsValid, Item)
  SELECT x.ListNo, s.Ordinal, s.Entry, v.IsValid, (SELECT s.Entry AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER)
  FROM (VALUES (CAST(1 AS tinyint), @required), (CAST(2 AS tinyint), @optional), (CAST(3 AS tinyint), @resources))
    AS x (ListNo, List)
  CROSS APPLY rc.fn_SplitAddressList(x.List) AS s
  CROSS APPLY rc.fn_IsValidAddress(s.Entry) AS v;
  SET @bad = NULL;
  SELECT TOP (1) @bad = e.Entry, @bad_list = e.ListNo FROM @entries AS e WHERE e.IsValid = 0 ORDER BY e.ListNo, e.Ordinal;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': "', @bad, N'" in @',
      CASE @bad_list WHEN 1 THEN N'required_attendees' WHEN 2 THEN N'optional_attendees' ELSE N'resources' END,
      N' is not a valid e-mail address. Use plain addresses (user@example.com, no display names) separated by '';'' or '',''.');
    THROW 50211, @message, 1;
  END;
  SELECT @total = COUNT(*) FROM @entries;
  IF @total > 500
  BEGIN
    SET @message = CONCAT(@proc_name, N': ', @total,
      N' attendees and resources in total, Exchange accepts at most 500 per meeting. Invite a distribution list instead of its members.');
    THROW 50212, @message, 1;
  END;
  SELECT
    @required_json = CONCAT(N'[', STRING_AGG(CASE WHEN e.ListNo = 1 THEN CAST(SUBSTRING(e.Item, 6, DATALENGTH(e.Item) / 2 - 6) AS nvarchar(max)) END, N',')
      WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal), N']'),
    @optional_json = CONCAT(N'[', STRING_AGG(CASE WHEN e.ListNo = 2 THEN CAST(SUBSTRING(e.Item, 6, DATALENGTH(e.Item) / 2 - 6) AS nvarchar(max)) END, N',')
      WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal), N']'),
    @resources_json = CONCAT(N'[', STRING_AGG(CASE WHEN e.ListNo = 3 THEN CAST(SUBSTRING(e.Item, 6, DATALENGTH(e.Item) / 2 - 6) AS nvarchar(max)) END, N',')
      WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal), N']')
  FROM @entries AS e;

  -- reminder_minutes: a JSON integer -1..40320 (-1 = no reminder).
  SET @digits = CASE WHEN LEFT(@reminder_text, 1) = N'-' THEN SUBSTRING(@reminder_text, 2, 4000) ELSE @reminder_text END;
  SET @reminder = CASE WHEN DATALENGTH(@digits) / 2 BETWEEN 1 AND 5 AND @digits NOT LIKE N'%[^0-9]%'
    THEN TRY_CONVERT(int, @reminder_text) END;
  IF @reminder_text IS NOT NULL AND (@reminder IS NULL OR @reminder NOT BETWEEN -1 AND 40320)
  BEGIN
    SET @message = CONCAT(@proc_name, N': @reminder_minutes ', @reminder_text,
      N' is not valid. Use 0 to 40320 minutes (4 weeks) before the start, or -1 for no reminder.');
    THROW 50213, @message, 1;
  END;

  IF @is_partial = 0 OR @categories IS NOT NULL
    EXEC rc.rc_internal_Categories @proc_name = @proc_name, @categories = @categories, @json = @categories_json OUTPUT;

  SET @show_as = CASE LOWER(LTRIM(RTRIM(@show_as_text)))
    WHEN N'free' THEN N'Free' WHEN N'tentative' THEN N'Tentative' WHEN N'busy' THEN N'Busy' WHEN N'oof' THEN N'OOF'
    WHEN N'workingelsewhere' THEN N'WorkingElsewhere' END;
  IF @show_as_text IS NOT NULL AND @show_as IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @show_as "', @show_as_text,
      N'" is not valid. Use Free, Tentative, Busy, OOF or WorkingElsewhere.');
    THROW 50214, @message, 1;
  END;
  SET @sensitivity = CASE LOWER(LTRIM(RTRIM(@sensitivity_text)))
    WHEN N'normal' THEN N'Normal' WHEN N'personal' THEN N'Personal' WHEN N'private' THEN N'Private'
    WHEN N'confidential' THEN N'Confidential' END;
  IF @sensitivity_text IS NOT NULL AND @sensitivity IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': @sensitivity "', @sensitivity_text,
      N'" is not valid. Use Normal, Personal, Private or Confidential.');
    THROW 50022, @message, 1;
  END;

  -- Recurrence: '' (or blank) = none; otherwise the document, checked against the start's date in its zone.
  IF DATALENGTH(LTRIM(RTRIM(REPLACE(REPLACE(REPLACE(@recurrence, NCHAR(9), N''), NCHAR(13), N''), NCHAR(10), N'')))) > 0
    EXEC rc.rc_internal_AppointmentRecurrence @proc_name = @proc_name, @recurrence = @recurrence,
      @start_date = @start_date, @json = @recurrence_json OUTPUT;

  SET @full = (
    SELECT
      ISNULL(@subject, N'') AS [subject],
      ISNULL(@body, N'') AS [body],
      CASE WHEN @format = N'HTML' THEN N'HTML' ELSE N'Text' END AS [bodyType],
      @start_out AS [start],
      @end_out AS [end],
      CASE WHEN @times = 1 THEN @windows END AS [timeZone],
      CASE WHEN @times = 1 THEN CAST(ISNULL(@all_day, 0) AS bit) END AS [isAllDay],
      CASE WHEN DATALENGTH(@location) > 0 THEN @location END AS [location],
      ISNULL(@show_as, N'Busy') AS [showAs],
      ISNULL(@sensitivity, N'Normal') AS [sensitivity],
      NULLIF(@reminder, -1) AS [reminderMinutes],
      JSON_QUERY(@categories_json) AS [categories],
      JSON_QUERY(@required_json) AS [requiredAttendees],
      JSON_QUERY(@optional_json) AS [optionalAttendees],
      JSON_QUERY(@resources_json) AS [resources],
      JSON_QUERY(@recurrence_json) AS [recurrence]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );
  IF @is_partial = 0
  BEGIN
    SET @fields = @full;
    RETURN 0;
  END;

  -- Update: only the keys of the given fields (the time block and body/bodyType as units).
  INSERT INTO @wanted (KeyName)
  SELECT w.KeyName
  FROM (VALUES
    (N'subject', CASE WHEN @subject IS NOT NULL THEN 1 END),
    (N'body', CASE WHEN @body IS NOT NULL THEN 1 END),
    (N'bodyType', CASE WHEN @body IS NOT NULL THEN 1 END),
    (N'start', CASE WHEN @times = 1 THEN 1 END),
    (N'end', CASE WHEN @times = 1 THEN 1 END),
    (N'timeZone', CASE WHEN @times = 1 THEN 1 END),
    (N'isAllDay', CASE WHEN @times = 1 THEN 1 END),
    (N'location', CASE WHEN @location IS NOT NULL THEN 1 END),
    (N'showAs', CASE WHEN @show_as_text IS NOT NULL THEN 1 END),
    (N'sensitivity', CASE WHEN @sensitivity_text IS NOT NULL THEN 1 END),
    (N'reminderMinutes', CASE WHEN @reminder_text IS NOT NULL THEN 1 END),
    (N'categories', CASE WHEN @categories IS NOT NULL THEN 1 END),
    (N'requiredAttendees', CASE WHEN @required IS NOT NULL THEN 1 END),
    (N'optionalAttendees', CASE WHEN @optional IS NOT NULL THEN 1 END),
    (N'resources', CASE WHEN @resources IS NOT NULL THEN 1 END),
    (N'recurrence', CASE WHEN @recurrence IS NOT NULL THEN 1 END)) AS w (KeyName, Wanted)
  WHERE w.Wanted = 1;
  -- Strings are re-encoded through FOR JSON ({"v":"…"} cut down to "…"); other values are JSON text already.
  INSERT INTO @pieces (KeyName, Piece)
  SELECT j.[key], CONCAT(N'"', j.[key], N'":', CASE
    WHEN j.[type] = 1 THEN (SELECT SUBSTRING(q.Wrapped, 6, DATALENGTH(q.Wrapped) / 2 - 6)
      FROM (SELECT (SELECT j.[value] AS [v] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) AS Wrapped) AS q)
    ELSE ISNULL(j.[value], N'null') END)
  FROM OPENJSON(@full) AS j
  WHERE EXISTS (SELECT 1 FROM @wanted AS w WHERE CAST(w.KeyName AS varbinary(max)) = CAST(j.[key] AS varbinary(max)));
  SELECT @fields = CONCAT(N'{', STRING_AGG(p.Piece, N','), N'}') FROM @pieces AS p;
  RETURN 0;
END;
GO
