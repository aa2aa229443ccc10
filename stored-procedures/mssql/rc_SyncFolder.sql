-- rc.rc_SyncFolder — desired state: queue a job that makes one folder (contacts, calendar or tasks) hold exactly
-- the given items. Twin of stored-procedures/postgres/rc_SyncFolder.sql (same checks, order, numbers, messages
-- and payload).
--
-- The worker (worker/jobs/sync-folder.ts) lists the folder's items that carry this set's marker (extended
-- properties rcSyncSet / rcSyncKey / rcSyncFields), creates the items that are missing, updates only the fields
-- that changed since rc-exchange last applied them, deletes the marked items whose external key is no longer in
-- the set, and never touches items it did not create. Repeating the same set writes nothing to Exchange. A job
-- that finds a newer SyncFolder job of its profile for the same folder changes nothing ('skipped: …').
-- The counts land in the 'succeeded' event's Message ('created 2, updated 1, deleted 0, unchanged 97';
-- rc_GetJob's ResultMessage).
--
-- Writes one rc.Jobs row (Kind 'SyncFolder', Status 'Pending') and one rc.JobEvents 'enqueued' row, and cancels
-- the same profile's older SyncFolder jobs for the same folder that have not started yet (Pending, Queued,
-- Retrying: the new set supersedes theirs) with a 'cancelled' event each ('superseded by rc_SyncFolder job <id>
-- (was <status>)'). Validation happens before anything is written. Transactions as in rc_SendMail: its own when
-- @@TRANCOUNT = 0, else it joins the caller's. The caller is ORIGINAL_LOGIN().
--
-- Parameters (declared wider than stored so over-long input is reported, never truncated):
--   @profile_name   nvarchar(4000)   NULL  rc mailbox profile that does the work (needs the write right)
--   @folder_name    nvarchar(max)    NULL  the folder: NULL → the kind's default folder (Contacts / Calendar /
--                                          Tasks); 'Name' or 'A/B' → a folder of that kind below it (created on
--                                          first use); 'public:Path/To' → an EWS public folder
--   @kind           nvarchar(4000)   NULL  contacts | calendar | tasks (any case; required)
--   @items          rc.SyncItemList  READONLY  the desired items: external_key (1 to 200 characters, unique,
--                                          compared exactly: case and spaces count) and item (JSON object whose
--                                          keys are the kind's create-procedure field parameters without '@':
--                                          rc_CreateContact / rc_CreateAppointment / rc_CreateTask; validated by
--                                          rc_internal_ContactFields / _AppointmentFields / _TaskFields); at most
--                                          5000 rows
--   @target_profile nvarchar(max)    NULL  another profile whose mailbox holds the folder (caller needs CanWrite)
--   @correlation_key nvarchar(max)   NULL  caller's idempotency key, at most 200 characters; '' → NULL
--   @allow_empty    bit              0     an empty @items deletes every item this set put into the folder; it
--                                          is refused unless @allow_empty = 1 (NULL → 0)
--   @folder         nvarchar(max)    NULL  the same as @folder_name (the name the issue used); pass one of them
--   @job_id         bigint           OUTPUT the JobId
-- Result: @job_id. With a @correlation_key already used for this profile and kind SyncFolder, the existing
--   job's id, and nothing is written (rc.rc_internal_EnqueueJob: the key is looked up WITH (UPDLOCK, HOLDLOCK);
--   a race is caught by the unique index, as in rc_SendMail). Return code 0.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "kind": "contacts"|"calendar"|"tasks", "setKey": text,
--   "items": [{"externalKey": text, "fields": <Kind>Fields (every key present)}]}, items ordered by external key
--   (binary). setKey names the folder: lower-case '<kind>:<owner mailbox>:default', '<kind>:<owner>:named:<name>'
--   or '<kind>:public:<path>' (owner = the target profile's address, else the profile's own).
-- Errors (THROW <number>, checked in this order: parameters, then the items one after the other in external key
-- order — an item's message starts 'rc_SyncFolder: item "<external key>": …'; the PostgreSQL twin raises SQLSTATE
-- 'R0nnn'):
--   50001 @profile_name missing or blank                                    (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                                    (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled                                           (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.rc_internal_ResolveProfile)
--   50500 @kind missing or not contacts, calendar or tasks
--   50501 both @folder and @folder_name given
--   50050 the folder name is not valid (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50054 a public folder together with a @target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50051 @target_profile names no rc mail profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50052 the @target_profile is disabled (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50053 the caller has no CanWrite grant on the @target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50024 @correlation_key longer than 200 characters (raised by rc.rc_internal_CreateTarget)
--   50506 more than 5000 items
--   50507 no items and @allow_empty is not 1
--   50502 an item without external_key (NULL or blank)
--   50503 an external_key longer than 200 characters
--   50504 an external_key given more than once
--   an item's fields (raised by the kind's field helper: contacts rc.rc_internal_ContactFields, tasks rc.rc_internal_TaskFields, calendar rc.rc_internal_AppointmentFields;
--   their files give each number's reason; "update only" numbers cannot occur, a desired item is never partial):
--   50300 contacts: the item is not a JSON object
--   50301 contacts: a key that is not a contact field, or a key twice
--   50302 contacts: a value that is not a JSON string or null
--   50310 contacts: clear_fields (update only)
--   50309 contacts: nothing to change (update only)
--   50304 contacts: a text field longer than 255 characters
--   50305 contacts: an e-mail address that is not a plain valid address
--   50306 contacts: web_page not an http(s) URL of at most 2048 characters
--   50307 contacts: birthday not a date between 1601-01-01 and 4500-12-31
--   50025 notes / body longer than 35 MB
--   50055 categories: an entry longer than 255 characters, or more than 50
--   50308 contacts: display_name cleared (update only)
--   50303 contacts: no name at all (given_name, surname, display_name, company_name, email_address1..3)
--   50400 tasks: the item is not a JSON object
--   50401 tasks: a key that is not a task field, or a key twice
--   50402 tasks: a value of the wrong JSON type
--   50403 tasks: subject missing or blank
--   50023 tasks, calendar: subject longer than 255 characters
--   50020 tasks, calendar: body_format not TEXT or HTML
--   50021 tasks: importance not Low, Normal or High
--   50404 tasks: start_date / due_date not a valid date
--   50405 tasks: due_date before start_date
--   50406 tasks: status not valid
--   50407 tasks: percent_complete not an integer 0..100
--   50408 tasks: status and percent_complete contradict
--   50409 tasks: reminder_time not valid
--   50410 tasks: body_format without body (update only)
--   50411 tasks: nothing to change (update only)
--   50412 tasks: clear_fields (update only)
--   50200 calendar: the item is not a JSON object
--   50201 calendar: a key that is not an appointment field, or a key twice
--   50202 calendar: a value of the wrong JSON type
--   50203 calendar: start_time missing
--   50204 calendar: end_time missing
--   50205 calendar: start_time / end_time not a date-time
--   50206 calendar: time_zone unknown
--   50207 calendar: end not after start
--   50208 calendar: all-day times not midnights in the zone
--   50209 calendar: times not given together (update only)
--   50210 calendar: location longer than 255 characters
--   50211 calendar: an attendee address that is not valid
--   50212 calendar: more than 500 attendees
--   50213 calendar: reminder_minutes not -1..40320
--   50214 calendar: show_as not valid
--   50215 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50216 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50217 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50218 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50219 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50220 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50221 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50222 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50223 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50224 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50225 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50226 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50227 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50228 calendar: body_format without body (update only)
--   50229 calendar: nothing to change (update only)
--   50022 calendar: sensitivity not valid
-- Lengths count UTF-16 code units (DATALENGTH / 2); PostgreSQL counts characters (they differ only outside the
-- Basic Multilingual Plane). "First" among items means the lowest external key in binary order.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_SyncFolder', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_SyncFolder AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_SyncFolder
  @profile_name nvarchar(4000) = NULL,
  @folder_name nvarchar(max) = NULL,
  @kind nvarchar(4000) = NULL,
  @items rc.SyncItemList READONLY,
  @target_profile nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @allow_empty bit = 0,
  @folder nvarchar(max) = NULL,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @message nvarchar(max);
  DECLARE @kind_value nvarchar(4000) = LOWER(LTRIM(RTRIM(@kind)));
  DECLARE @folder_json nvarchar(max);
  DECLARE @own_address nvarchar(320);
  DECLARE @set_key nvarchar(max);
  DECLARE @key nvarchar(max);
  -- The folder parameter given (50501 allows one at most) and its name for messages.
  DECLARE @folder_param sysname = CASE WHEN @folder IS NOT NULL THEN N'@folder' ELSE N'@folder_name' END;
  DECLARE @folder_value nvarchar(max) = CASE WHEN @folder IS NOT NULL THEN @folder ELSE @folder_name END;
  DECLARE @count int;
  DECLARE @bad nvarchar(4000);
  DECLARE @bad_count int;
  DECLARE @ordinal int;
  DECLARE @item nvarchar(max);
  DECLARE @prefix nvarchar(4000);
  DECLARE @fields nvarchar(max);
  DECLARE @items_json nvarchar(max);
  DECLARE @payload nvarchar(max);
  DECLARE @new_job_id bigint;
  DECLARE @now datetime2(3) = SYSUTCDATETIME();
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  -- The items in external key order (binary: exact, case-sensitive), validated fields filled in one by one.
  DECLARE @rows TABLE (Ordinal int IDENTITY(1, 1) PRIMARY KEY, ExternalKey nvarchar(4000) NULL,
    Item nvarchar(max) NULL, Fields nvarchar(max) NULL);
  DECLARE @superseded TABLE (JobId bigint NOT NULL, Status varchar(16) NOT NULL, Attempts int NOT NULL);

  SET @job_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004); before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_SyncFolder', @profile_name = @profile_name,
    @required_right = 'write', @mailbox_id = @mailbox_id OUTPUT;

  IF @kind_value IS NULL OR @kind_value = N''
    THROW 50500, N'rc_SyncFolder: @kind is missing. Pass contacts, calendar or tasks.', 1;
  IF @kind_value NOT IN (N'contacts', N'calendar', N'tasks')
  BEGIN
    SET @message = CONCAT(N'rc_SyncFolder: @kind "', @kind, N'" is not valid. Use contacts, calendar or tasks.');
    THROW 50500, @message, 1;
  END;
  IF @folder IS NOT NULL AND @folder_name IS NOT NULL
    THROW 50501, N'rc_SyncFolder: @folder and @folder_name are both given. Pass the folder in one of them (@folder_name, as the other procedures name it).', 1;

  -- Folder target and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  EXEC rc.rc_internal_CreateTarget @proc_name = N'rc_SyncFolder', @param_name = @folder_param,
    @mailbox_id = @mailbox_id, @folder_name = @folder_value, @target_profile = @target_profile,
    @correlation_key = @correlation_key, @folder = @folder_json OUTPUT, @key = @key OUTPUT;

  -- The set as a whole: size, keys present, short enough, unique.
  INSERT INTO @rows (ExternalKey, Item)
  SELECT i.external_key, i.item FROM @items AS i ORDER BY CAST(i.external_key AS varbinary(8000));
  SELECT @count = COUNT(*) FROM @rows;
  IF @count > 5000
  BEGIN
    SET @message = CONCAT(N'rc_SyncFolder: @items holds ', @count,
      N' items, at most 5000 are allowed. Split the data over several folders (e.g. one per region).');
    THROW 50506, @message, 1;
  END;
  IF @count = 0 AND ISNULL(@allow_empty, 0) = 0
    THROW 50507, N'rc_SyncFolder: @items is empty, which would delete every item rc_SyncFolder put into the folder. Pass @allow_empty = 1 to really empty it, or check the query that fills @items.', 1;
  IF EXISTS (SELECT 1 FROM @rows AS r WHERE r.ExternalKey IS NULL OR LTRIM(RTRIM(r.ExternalKey)) = N'')
    THROW 50502, N'rc_SyncFolder: an @items row has no external_key (NULL or blank). Give every item its own key of 1 to 200 characters (e.g. the customer number).', 1;
  SELECT TOP (1) @bad = r.ExternalKey FROM @rows AS r WHERE DATALENGTH(r.ExternalKey) / 2 > 200 ORDER BY r.Ordinal;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SyncFolder: the external_key "', LEFT(@bad, 40), N'…" is ', DATALENGTH(@bad) / 2,
      N' characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).');
    THROW 50503, @message, 1;
  END;
  SELECT TOP (1) @bad = MIN(r.ExternalKey), @bad_count = COUNT(*)
  FROM @rows AS r
  GROUP BY CAST(r.ExternalKey AS varbinary(8000))
  HAVING COUNT(*) > 1
  ORDER BY CAST(r.ExternalKey AS varbinary(8000));
  IF @bad_count IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SyncFolder: the external_key "', @bad, N'" occurs ', @bad_count,
      N' times in @items. External keys are compared exactly (case and spaces count) and must be unique; merge those items into one.');
    THROW 50504, @message, 1;
  END;

  -- Each item's fields, validated by the kind's helper with a prefix naming the item.
  SET @ordinal = 1;
  WHILE @ordinal <= @count
  BEGIN
    SELECT @bad = r.ExternalKey, @item = r.Item FROM @rows AS r WHERE r.Ordinal = @ordinal;
    SET @prefix = CONCAT(N'rc_SyncFolder: item "', @bad, N'"');
    SET @fields = NULL;
    IF @kind_value = N'contacts'
      EXEC rc.rc_internal_ContactFields @proc_name = @prefix, @item = @item, @partial = 0, @fields = @fields OUTPUT;
    ELSE IF @kind_value = N'tasks'
      EXEC rc.rc_internal_TaskFields @proc_name = @prefix, @item = @item, @partial = 0, @fields = @fields OUTPUT;
    ELSE
      EXEC rc.rc_internal_AppointmentFields @proc_name = @prefix, @item = @item, @partial = 0,
        @fields = @fields OUTPUT;
    UPDATE r SET Fields = @fields FROM @rows AS r WHERE r.Ordinal = @ordinal;
    SET @ordinal = @ordinal + 1;
  END;

  -- setKey: the folder, as one lower-case text (Exchange matches folder names case-insensitively).
  SELECT @own_address = m.SmtpAddress FROM rc.Mailboxes AS m WHERE m.MailboxId = @mailbox_id;
  SET @set_key = LOWER(CONCAT(@kind_value, N':',
    CASE JSON_VALUE(@folder_json, '$.location.kind')
      WHEN 'public' THEN CONCAT(N'public:', JSON_VALUE(@folder_json, '$.location.path'))
      WHEN 'named' THEN CONCAT(ISNULL(JSON_VALUE(@folder_json, '$.owner'), @own_address), N':named:',
        JSON_VALUE(@folder_json, '$.location.name'))
      ELSE CONCAT(ISNULL(JSON_VALUE(@folder_json, '$.owner'), @own_address), N':default') END));

  SET @items_json = (
    SELECT r.ExternalKey AS [externalKey], JSON_QUERY(r.Fields) AS [fields]
    FROM @rows AS r
    ORDER BY r.Ordinal
    FOR JSON PATH, INCLUDE_NULL_VALUES
  );
  SET @payload = (
    SELECT
      JSON_QUERY(@folder_json) AS [folder],
      @kind_value AS [kind],
      @set_key AS [setKey],
      JSON_QUERY(ISNULL(@items_json, N'[]')) AS [items]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    -- The job (or, for a correlation key already used, the existing job's id and nothing written).
    EXEC rc.rc_internal_EnqueueJob @kind = 'SyncFolder', @mailbox_id = @mailbox_id, @payload = @payload,
      @correlation_key = @key, @target_job_id = NULL, @job_id = @new_job_id OUTPUT;

    -- Older sets for this folder that have not started yet are superseded. (For a reused correlation key there
    -- are none: they were superseded when that job was created, and rc_RetryJob refuses to bring them back.)
    UPDATE j
    SET Status = 'Cancelled', CompletedAt = @now, LeaseUntil = NULL, UpdatedAt = @now, Version = j.Version + 1
    OUTPUT inserted.JobId AS [JobId], deleted.Status AS [Status], inserted.Attempts AS [Attempts]
      INTO @superseded (JobId, Status, Attempts)
    FROM rc.Jobs AS j
    WHERE j.MailboxId = @mailbox_id AND j.Kind = 'SyncFolder' AND j.JobId < @new_job_id
      AND j.Status IN ('Pending', 'Queued', 'Retrying') AND JSON_VALUE(j.Payload, '$.setKey') = @set_key;
    INSERT INTO rc.JobEvents (JobId, At, EventType, Attempt, Status, Message)
    SELECT s.JobId, @now, 'cancelled', s.Attempts, 'Cancelled',
      CONCAT(N'superseded by rc_SyncFolder job ', @new_job_id, N' (was ', s.Status, N')')
    FROM @superseded AS s;

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
