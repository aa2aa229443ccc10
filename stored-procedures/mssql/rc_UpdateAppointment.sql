-- rc.rc_UpdateAppointment — queue a change of some fields of a calendar item rc_CreateAppointment created (or
-- any calendar item, by its Exchange ItemId). Twin of stored-procedures/postgres/rc_UpdateAppointment.sql.
--
-- Transactions as in rc_SendMail.sql, in rc.rc_internal_EnqueueJob (its own only when @@TRANCOUNT = 0). Writes one rc.Jobs row (Kind
-- 'UpdateAppointment', TargetJobId = the create job when the item is named by @target_job_id, @correlation_key or
-- the ItemId that job recorded) and one rc.JobEvents 'enqueued' row. Validation happens before anything is
-- written. The caller is ORIGINAL_LOGIN(); callers need EXECUTE only.
--
-- Only the given fields change: NULL leaves a field as it is; '' clears subject, body, location, an attendee
-- list, categories or the recurrence (the appointment becomes a single one); reminder_minutes -1 removes the
-- reminder. start_time and end_time are given together (time_zone NULL → UTC, is_all_day NULL → false then);
-- body_format only with body. The worker applies the change with the ChangeKey it last saw: when someone changed
-- the item in Exchange meanwhile the job fails with code 'conflict', unless force = true.
--
-- Parameters (all optional by name; declared wider than stored so over-long input is reported):
--   @profile_name       nvarchar(4000)  NULL    rc mailbox profile (needs the write right)
--   @target_job_id      bigint          NULL    the JobId rc_CreateAppointment returned …
--   @item_id            nvarchar(max)   NULL    … or the Exchange ItemId (rc.Jobs.ResultItemId) …
--   @correlation_key    nvarchar(max)   NULL    … or the @correlation_key given to rc_CreateAppointment: exactly one
--   @subject, @body, @body_format, @start_time, @end_time, @time_zone, @is_all_day, @location, @required_attendees,
--   @optional_attendees, @resources, @recurrence, @reminder_minutes, @categories, @show_as, @sensitivity
--                                       NULL    types as rc_CreateAppointment; NULL = unchanged
--   @send_invitations   nvarchar(4000)  'all'   all: updates to every attendee | changed: only to added or removed
--                                               attendees | none: no meeting updates
--   @force              bit             0       1: overwrite changes made in Exchange meanwhile
--   @job_id             bigint          OUTPUT  the JobId of the update job
-- Result: @job_id; return code 0.
-- Payload: {"itemId": text|null, "fields": {only the given keys}, "onConflict": "fail"|"overwrite",
--   "meetingNotice": "none"|"all"|"changed"}.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 profile_name missing or blank (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50002 no mail profile with that name (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50003 the profile is disabled (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50060 none, or more than one, of target_job_id, item_id, correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50061 target_job_id is not a CreateAppointment job of this profile (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50024 correlation_key longer than 200 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50062 no CreateAppointment job of this profile has that correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50063 item_id blank or longer than 512 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50064 the create job failed or was cancelled (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50065 the appointment is deleted or being deleted (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50200 (internal: the fields are not a JSON object)                        (raised by rc_internal_AppointmentFields)
--   50201 (internal: unknown or repeated field)                               (raised by rc_internal_AppointmentFields)
--   50202 (internal: value of the wrong JSON type)                            (raised by rc_internal_AppointmentFields)
--   50229 no field given: nothing to change                                   (raised by rc_internal_AppointmentFields)
--   50023 subject longer than 255 characters                                  (raised by rc_internal_AppointmentFields)
--   50025 body longer than 35 MB                                              (raised by rc_internal_AppointmentFields)
--   50020 body_format is not TEXT or HTML                                     (raised by rc_internal_AppointmentFields)
--   50228 body_format given without body                                      (raised by rc_internal_AppointmentFields)
--   50209 start_time / end_time / time_zone / is_all_day not together         (raised by rc_internal_AppointmentFields)
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
--   50230 send_invitations is not none, all or changed

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_UpdateAppointment', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_UpdateAppointment AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_UpdateAppointment
  @profile_name nvarchar(4000) = NULL,
  @target_job_id bigint = NULL,
  @item_id nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @subject nvarchar(max) = NULL,
  @body nvarchar(max) = NULL,
  @body_format nvarchar(4000) = NULL,
  @start_time datetimeoffset = NULL,
  @end_time datetimeoffset = NULL,
  @time_zone nvarchar(4000) = NULL,
  @is_all_day bit = NULL,
  @location nvarchar(max) = NULL,
  @required_attendees nvarchar(max) = NULL,
  @optional_attendees nvarchar(max) = NULL,
  @resources nvarchar(max) = NULL,
  @recurrence nvarchar(max) = NULL,
  @send_invitations nvarchar(4000) = N'all',
  @reminder_minutes int = NULL,
  @categories nvarchar(max) = NULL,
  @show_as nvarchar(4000) = NULL,
  @sensitivity nvarchar(4000) = NULL,
  @force bit = 0,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @message nvarchar(2048);
  DECLARE @target_job_id_resolved bigint;
  DECLARE @item_id_resolved nvarchar(512);
  DECLARE @notice nvarchar(4000);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  -- Profile, permission and the appointment (50001 … 50004, 50060 … 50065); before any write or transaction.
  EXEC rc.rc_internal_ItemTarget @proc_name = N'rc_UpdateAppointment', @profile_name = @profile_name,
    @create_kind = 'CreateAppointment', @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @mailbox_id = @mailbox_id OUTPUT,
    @resolved_job_id = @target_job_id_resolved OUTPUT, @resolved_item_id = @item_id_resolved OUTPUT;

  -- The changed fields only (NULL = unchanged; FOR JSON leaves NULL parameters out).
  DECLARE @item nvarchar(max);
  SELECT @item = i.Item
  FROM rc.fn_AppointmentItem(@subject, @body, @body_format, @start_time, @end_time, @time_zone, @is_all_day,
    @location, @required_attendees, @optional_attendees, @resources, @recurrence, @reminder_minutes, @categories,
    @show_as, @sensitivity) AS i;
  DECLARE @fields nvarchar(max);
  EXEC rc.rc_internal_AppointmentFields @proc_name = N'rc_UpdateAppointment', @item = @item, @partial = 1,
    @fields = @fields OUTPUT;

  SET @notice = LOWER(LTRIM(RTRIM(ISNULL(@send_invitations, N'all'))));
  IF @notice NOT IN (N'none', N'all', N'changed')
  BEGIN
    SET @message = CONCAT(N'rc_UpdateAppointment: @send_invitations "', @send_invitations,
      N'" is not valid. Use none, all or changed.');
    THROW 50230, @message, 1;
  END;

  EXEC rc.rc_internal_EnqueueItemJob @kind = 'UpdateAppointment', @mailbox_id = @mailbox_id,
    @target_job_id = @target_job_id_resolved, @item_id = @item_id_resolved, @fields = @fields, @force = @force,
    @meeting_notice = @notice, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
