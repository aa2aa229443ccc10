-- rc.rc_CreateAppointment — queue the creation of one calendar item (an appointment, or a meeting when it has
-- attendees) in the profile's calendar, a named sub-calendar (created on first use) or the calendar of another
-- profile the caller may write to. Twin of stored-procedures/postgres/rc_CreateAppointment.sql.
--
-- Writes one rc.Jobs row (Kind 'CreateAppointment', Status 'Pending') and one rc.JobEvents 'enqueued' row.
-- Validation happens before anything is written; the fields are checked by rc.rc_internal_AppointmentFields (the
-- same rules rc_SyncFolder applies to calendar items). Transactions as in rc_SendMail.sql: its own only when
-- @@TRANCOUNT = 0, else it joins the caller's. The caller is ORIGINAL_LOGIN(); callers need EXECUTE only.
--
-- Parameters (declared wider than stored so over-long input is reported, never silently truncated):
--   @profile_name       nvarchar(4000)  NULL      rc mailbox profile (needs the write right)
--   @subject            nvarchar(max)   NULL      at most 255 characters; NULL → ''
--   @body               nvarchar(max)   NULL      at most 35 MB; NULL → ''
--   @body_format        nvarchar(4000)  'TEXT'    TEXT | HTML (any case; NULL → TEXT)
--   @start_time         datetimeoffset  NULL      required: the start instant
--   @end_time           datetimeoffset  NULL      required: the end instant, after @start_time
--   @time_zone          nvarchar(4000)  NULL      Windows id ('W. Europe Standard Time') or IANA id ('Europe/Berlin'),
--                                                 any case; NULL → UTC. Stored as the Windows id. Recurrences and
--                                                 all-day events are laid out in this zone.
--   @is_all_day         bit             0         all-day: @start_time and @end_time are midnights in @time_zone
--   @location           nvarchar(max)   NULL      at most 255 characters
--   @required_attendees nvarchar(max)   NULL      addresses separated by ';' or ',' (rc_SendMail's rules)
--   @optional_attendees nvarchar(max)   NULL      same form
--   @resources          nvarchar(max)   NULL      rooms / equipment mailboxes, same form; at most 500 in all three
--   @recurrence         nvarchar(max)   NULL      JSON {"pattern": {…}, "range": {…}} (rc_internal_AppointmentRecurrence)
--   @send_invitations   nvarchar(4000)  'all'     all: meeting requests to the attendees | none: save without sending
--   @reminder_minutes   int             NULL      0..40320 minutes before the start; NULL or -1 → no reminder
--   @categories         nvarchar(max)   NULL      ';' or ',' separated (rc_internal_Categories)
--   @show_as            nvarchar(4000)  'Busy'    Free | Tentative | Busy | OOF | WorkingElsewhere (any case)
--   @sensitivity        nvarchar(4000)  'Normal'  Normal | Personal | Private | Confidential (any case)
--   @calendar_name      nvarchar(max)   NULL      NULL → the default calendar; 'Production plan' → that calendar
--                                                 below it (created on first use); 'public:Path' → a public folder
--   @target_profile     nvarchar(max)   NULL      another profile whose calendar to write to (needs write on it)
--   @correlation_key    nvarchar(max)   NULL      caller's idempotency key, at most 200 characters; '' → NULL; also
--                                                 names the appointment for rc_UpdateAppointment / rc_DeleteAppointment
--   @job_id             bigint          OUTPUT    the JobId
-- Result: @job_id. With a @correlation_key already used for this profile and kind, the existing job's id, and
--   nothing is written (looked up WITH (UPDLOCK, HOLDLOCK); a concurrent duplicate INSERT is caught as in
--   rc_SendMail). Return code 0.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": AppointmentFields (every key), "meetingNotice":
--   "none"|"all"}.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 profile_name missing or blank                                       (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                                      (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled                                             (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile  (raised by rc.rc_internal_ResolveProfile)
--   50200 (internal: the fields object is not a JSON object)                  (raised by rc_internal_AppointmentFields)
--   50201 (internal: unknown or repeated field)                               (raised by rc_internal_AppointmentFields)
--   50202 (internal: value of the wrong JSON type)                            (raised by rc_internal_AppointmentFields)
--   50229 (update only: nothing to change)                                    (raised by rc_internal_AppointmentFields)
--   50023 subject longer than 255 characters                                  (raised by rc_internal_AppointmentFields)
--   50025 body longer than 35 MB                                              (raised by rc_internal_AppointmentFields)
--   50020 body_format is not TEXT or HTML                                     (raised by rc_internal_AppointmentFields)
--   50228 (update only: body_format without body)                             (raised by rc_internal_AppointmentFields)
--   50209 (update only: times not given together)                             (raised by rc_internal_AppointmentFields)
--   50203 start_time missing                                                  (raised by rc_internal_AppointmentFields)
--   50204 end_time missing                                                    (raised by rc_internal_AppointmentFields)
--   50206 time_zone unknown                                                   (raised by rc_internal_AppointmentFields)
--   50205 start_time / end_time outside the years 1601 to 4500                (raised by rc_internal_AppointmentFields)
--   50207 end_time not after start_time                                       (raised by rc_internal_AppointmentFields)
--   50208 all-day but not midnights in the zone                               (raised by rc_internal_AppointmentFields)
--   50210 location longer than 255 characters                                 (raised by rc_internal_AppointmentFields)
--   50211 an attendee or resource address is invalid                          (raised by rc_internal_AppointmentFields)
--   50212 more than 500 attendees and resources                               (raised by rc_internal_AppointmentFields)
--   50213 reminder_minutes not -1..40320                                      (raised by rc_internal_AppointmentFields)
--   50055 categories: an entry > 255 characters or more than 50               (raised by rc.rc_internal_Categories)
--   50214 show_as invalid                                                     (raised by rc_internal_AppointmentFields)
--   50022 sensitivity invalid                                                 (raised by rc_internal_AppointmentFields)
--   50215 recurrence not a JSON object with pattern and range                 (raised by rc_internal_AppointmentRecurrence)
--   50216 recurrence: unknown, unused or repeated key                         (raised by rc_internal_AppointmentRecurrence)
--   50217 recurrence: pattern type                                            (raised by rc_internal_AppointmentRecurrence)
--   50218 recurrence: interval                                                (raised by rc_internal_AppointmentRecurrence)
--   50219 recurrence: daysOfWeek                                              (raised by rc_internal_AppointmentRecurrence)
--   50222 recurrence: month                                                   (raised by rc_internal_AppointmentRecurrence)
--   50220 recurrence: dayOfMonth                                              (raised by rc_internal_AppointmentRecurrence)
--   50221 recurrence: index                                                   (raised by rc_internal_AppointmentRecurrence)
--   50223 recurrence: firstDayOfWeek                                          (raised by rc_internal_AppointmentRecurrence)
--   50224 recurrence: range type                                              (raised by rc_internal_AppointmentRecurrence)
--   50225 recurrence: startDate / endDate                                     (raised by rc_internal_AppointmentRecurrence)
--   50226 recurrence: numberOfOccurrences                                     (raised by rc_internal_AppointmentRecurrence)
--   50227 recurrence: startDate is not the start's date                       (raised by rc_internal_AppointmentRecurrence)
--   50230 send_invitations is not none or all
--   50050 calendar_name is not a valid folder name (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50054 a public calendar with a target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50051 target_profile does not exist (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50052 target_profile is disabled (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50053 the caller has no write right on target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50024 correlation_key longer than 200 characters (raised by rc.rc_internal_CreateTarget)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_CreateAppointment', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_CreateAppointment AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_CreateAppointment
  @profile_name nvarchar(4000) = NULL,
  @subject nvarchar(max) = NULL,
  @body nvarchar(max) = NULL,
  @body_format nvarchar(4000) = N'TEXT',
  @start_time datetimeoffset = NULL,
  @end_time datetimeoffset = NULL,
  @time_zone nvarchar(4000) = NULL,
  @is_all_day bit = 0,
  @location nvarchar(max) = NULL,
  @required_attendees nvarchar(max) = NULL,
  @optional_attendees nvarchar(max) = NULL,
  @resources nvarchar(max) = NULL,
  @recurrence nvarchar(max) = NULL,
  @send_invitations nvarchar(4000) = N'all',
  @reminder_minutes int = NULL,
  @categories nvarchar(max) = NULL,
  @show_as nvarchar(4000) = N'Busy',
  @sensitivity nvarchar(4000) = N'Normal',
  @calendar_name nvarchar(max) = NULL,
  @target_profile nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @message nvarchar(2048);
  DECLARE @item nvarchar(max);
  DECLARE @fields nvarchar(max);
  DECLARE @folder nvarchar(max);
  DECLARE @notice nvarchar(4000) = LOWER(LTRIM(RTRIM(ISNULL(@send_invitations, N'all'))));
  DECLARE @key nvarchar(max);
  DECLARE @payload nvarchar(max);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004); before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_CreateAppointment', @profile_name = @profile_name,
    @required_right = 'write', @mailbox_id = @mailbox_id OUTPUT;

  -- The fields, as one JSON object keyed by parameter name (NULL = not given: the default applies); instants go
  -- in as UTC text (rc.fn_AppointmentItem).
  SELECT @item = i.Item
  FROM rc.fn_AppointmentItem(@subject, @body, @body_format, @start_time, @end_time, @time_zone, @is_all_day,
    @location, @required_attendees, @optional_attendees, @resources, @recurrence, @reminder_minutes, @categories,
    @show_as, @sensitivity) AS i;
  EXEC rc.rc_internal_AppointmentFields @proc_name = N'rc_CreateAppointment', @item = @item, @partial = 0,
    @fields = @fields OUTPUT;

  IF @notice NOT IN (N'none', N'all')
  BEGIN
    SET @message = CONCAT(N'rc_CreateAppointment: @send_invitations "', @send_invitations, N'" is not valid. Use none or all.');
    THROW 50230, @message, 1;
  END;

  -- Target calendar and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  EXEC rc.rc_internal_CreateTarget @proc_name = N'rc_CreateAppointment', @param_name = N'@calendar_name',
    @mailbox_id = @mailbox_id, @folder_name = @calendar_name, @target_profile = @target_profile,
    @correlation_key = @correlation_key, @folder = @folder OUTPUT, @key = @key OUTPUT;

  SET @payload = (
    SELECT JSON_QUERY(@folder) AS [folder], JSON_QUERY(@fields) AS [fields], @notice AS [meetingNotice]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
  );

  EXEC rc.rc_internal_EnqueueJob @kind = 'CreateAppointment', @mailbox_id = @mailbox_id, @payload = @payload,
    @correlation_key = @key, @target_job_id = NULL, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
