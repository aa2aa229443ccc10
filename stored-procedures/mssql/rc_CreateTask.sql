-- rc.rc_CreateTask — queue the creation of one task in an rc mailbox profile's tasks: its default Tasks folder, a
-- named tasks folder (created on first use), another profile's mailbox, or an EWS public tasks folder. Twin of
-- stored-procedures/postgres/rc_CreateTask.sql (same checks, order, numbers, messages and payload).
--
-- Writes one rc.Jobs row (Kind 'CreateTask', Status 'Pending') and one rc.JobEvents 'enqueued' row.
-- Validation happens before anything is written. The caller is ORIGINAL_LOGIN(); callers need EXECUTE only.
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). Everything before it only reads.
--
-- Parameters (declared wider than stored so over-long input is reported; enumerations case-insensitive, trimmed):
--   @profile_name     nvarchar(4000)  NULL      rc mailbox profile that does the work (needs the write right)
--   @subject          nvarchar(max)   NULL      required, at most 255 characters (kept as given)
--   @body             nvarchar(max)   NULL      at most 35 MB; NULL → ''
--   @body_format      nvarchar(max)   'TEXT'    TEXT | HTML (NULL → TEXT)
--   @start_date       date            NULL      1601-01-01 … 4500-12-31
--   @due_date         date            NULL      same range, not before @start_date
--   @status           nvarchar(max)   NULL      NotStarted | InProgress | Completed | WaitingOnOthers | Deferred
--   @percent_complete int             NULL      0 … 100; with @status see "Status and percent complete" below
--   @importance       nvarchar(max)   'Normal'  Low | Normal | High (NULL → Normal)
--   @reminder_time    datetimeoffset  NULL      when Outlook reminds (kept to the second); NULL → no reminder
--   @categories       nvarchar(max)   NULL      ';' or ',' separated (rc.rc_internal_Categories)
--   @folder_name      nvarchar(max)   NULL      NULL → default Tasks; 'Name' or 'A/B' → a tasks folder below it
--                                               (created on first use); 'public:Path/To' → an EWS public folder
--   @target_profile   nvarchar(max)   NULL      another profile whose mailbox holds the task (needs CanWrite)
--   @correlation_key  nvarchar(max)   NULL      caller's idempotency key, at most 200 characters; '' → NULL
--   @job_id           bigint          OUTPUT    the JobId
-- Status and percent complete: given together they must agree (Completed ⇔ 100, NotStarted ⇒ 0); given alone
--   the other follows (Completed → 100, other statuses → 0; 0 → NotStarted, 100 → Completed, else InProgress);
--   neither → NotStarted, 0.
-- Result: @job_id. With a @correlation_key already used for this profile and kind, the existing job's id, and
--   nothing is written (rc.rc_internal_EnqueueJob: rc_SendMail's UPDLOCK/HOLDLOCK + unique-index handling).
--   Return code 0.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": TaskFields} (rc.rc_internal_TaskFields with
--   @partial = 0: every key present).
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 profile_name missing or blank                                     (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                                    (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled                                           (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.rc_internal_ResolveProfile)
--   50400 the fields as JSON are not an object      (not reachable here: rc.rc_internal_TaskFields serves rc_SyncFolder too)
--   50401 unknown or repeated key                   (not reachable here)
--   50402 a value of the wrong JSON type            (not reachable here)
--   50412 clear_fields invalid                      (not reachable here: updates only)
--   50411 nothing to change                         (not reachable here: updates only)
--   50403 subject missing or blank
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 body_format without body                  (not reachable here: updates only)
--   50404 start_date / due_date outside 1601-01-01 … 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time outside the years 1601 … 4500
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.rc_internal_Categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict (Completed ⇔ 100, NotStarted ⇒ 0)
--   50050 folder_name is not a valid folder name (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50054 a public folder together with a target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50051 target_profile names no rc mail profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50052 the target_profile is disabled (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50053 the caller has no CanWrite grant on the target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50024 correlation_key longer than 200 characters (raised by rc.rc_internal_CreateTarget)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_CreateTask', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_CreateTask AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_CreateTask
  @profile_name nvarchar(4000) = NULL,
  @subject nvarchar(max) = NULL,
  @body nvarchar(max) = NULL,
  @body_format nvarchar(max) = NULL,
  @start_date date = NULL,
  @due_date date = NULL,
  @status nvarchar(max) = NULL,
  @percent_complete int = NULL,
  @importance nvarchar(max) = NULL,
  @reminder_time datetimeoffset = NULL,
  @categories nvarchar(max) = NULL,
  @folder_name nvarchar(max) = NULL,
  @target_profile nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @item nvarchar(max);
  DECLARE @fields nvarchar(max);
  DECLARE @folder nvarchar(max);
  DECLARE @key nvarchar(max);
  DECLARE @payload nvarchar(max);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004); before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_CreateTask', @profile_name = @profile_name,
    @required_right = 'write', @mailbox_id = @mailbox_id OUTPUT;

  SELECT @item = i.Item
  FROM rc.fn_TaskItem(
    @subject, @body, @body_format, @start_date, @due_date, @status, @percent_complete, @importance,
    @reminder_time, @categories, NULL) AS i;
  EXEC rc.rc_internal_TaskFields @proc_name = N'rc_CreateTask', @item = @item, @partial = 0,
    @fields = @fields OUTPUT;
  -- Target folder and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  EXEC rc.rc_internal_CreateTarget @proc_name = N'rc_CreateTask', @param_name = N'@folder_name',
    @mailbox_id = @mailbox_id, @folder_name = @folder_name, @target_profile = @target_profile,
    @correlation_key = @correlation_key, @folder = @folder OUTPUT, @key = @key OUTPUT;

  SET @payload = (
    SELECT JSON_QUERY(@folder) AS [folder], JSON_QUERY(@fields) AS [fields]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );

  EXEC rc.rc_internal_EnqueueJob @kind = 'CreateTask', @mailbox_id = @mailbox_id, @payload = @payload,
    @correlation_key = @key, @target_job_id = NULL, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
