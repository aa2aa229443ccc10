-- rc.rc_DeleteAppointment — queue the deletion of a calendar item rc_CreateAppointment created (or any calendar
-- item, by its Exchange ItemId), sending cancellations to its attendees unless told not to. Twin of
-- stored-procedures/postgres/rc_DeleteAppointment.sql.
--
-- Transactions as in rc_SendMail.sql, in rc.rc_internal_EnqueueJob (its own only when @@TRANCOUNT = 0). Writes one rc.Jobs row (Kind
-- 'DeleteAppointment', TargetJobId = the create job when the item is named by @target_job_id, @correlation_key or
-- the ItemId that job recorded) and one rc.JobEvents 'enqueued' row. The item goes to Deleted Items. A second
-- delete of the same item is refused (50065); an item already gone in Exchange counts as deleted. The caller is
-- ORIGINAL_LOGIN(); callers need EXECUTE only.
--
-- Parameters (all optional by name):
--   @profile_name       nvarchar(4000)  NULL    rc mailbox profile (needs the write right)
--   @target_job_id      bigint          NULL    the JobId rc_CreateAppointment returned …
--   @item_id            nvarchar(max)   NULL    … or the Exchange ItemId (rc.Jobs.ResultItemId) …
--   @correlation_key    nvarchar(max)   NULL    … or the @correlation_key given to rc_CreateAppointment: exactly one
--   @send_cancellations nvarchar(4000)  'all'   all: meeting cancellations to every attendee | none: delete silently
--   @force              bit             0       1: delete even when someone changed the item in Exchange meanwhile
--   @job_id             bigint          OUTPUT  the JobId of the delete job
-- Result: @job_id; return code 0.
-- Payload: {"itemId": text|null, "onConflict": "fail"|"overwrite", "meetingNotice": "none"|"all"}.
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
--   50065 the appointment is already deleted or being deleted (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50230 send_cancellations is not none or all

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_DeleteAppointment', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_DeleteAppointment AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_DeleteAppointment
  @profile_name nvarchar(4000) = NULL,
  @target_job_id bigint = NULL,
  @item_id nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @send_cancellations nvarchar(4000) = N'all',
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
  EXEC rc.rc_internal_ItemTarget @proc_name = N'rc_DeleteAppointment', @profile_name = @profile_name,
    @create_kind = 'CreateAppointment', @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @mailbox_id = @mailbox_id OUTPUT,
    @resolved_job_id = @target_job_id_resolved OUTPUT, @resolved_item_id = @item_id_resolved OUTPUT;

  SET @notice = LOWER(LTRIM(RTRIM(ISNULL(@send_cancellations, N'all'))));
  IF @notice NOT IN (N'none', N'all')
  BEGIN
    SET @message = CONCAT(N'rc_DeleteAppointment: @send_cancellations "', @send_cancellations,
      N'" is not valid. Use none or all.');
    THROW 50230, @message, 1;
  END;

  EXEC rc.rc_internal_EnqueueItemJob @kind = 'DeleteAppointment', @mailbox_id = @mailbox_id,
    @target_job_id = @target_job_id_resolved, @item_id = @item_id_resolved, @fields = NULL, @force = @force,
    @meeting_notice = @notice, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
