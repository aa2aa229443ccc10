-- rc.rc_DeleteTask — queue the deletion of a task rc_CreateTask created (or any task by its Exchange
-- ItemId); Exchange moves it to Deleted Items. Twin of stored-procedures/postgres/rc_DeleteTask.sql.
--
-- Writes one rc.Jobs row (Kind 'DeleteTask', TargetJobId = the create job when addressed by job, key or the
-- ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation happens before anything is
-- written. The worker waits for a create job still pending; a task already gone counts as deleted. Unless
-- @force = 1, a task someone changed in Exchange since rc last wrote it is not deleted: the job fails with code
-- 'conflict'. The caller is ORIGINAL_LOGIN().
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob via rc.rc_internal_EnqueueItemJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). Everything before it only reads.
--
-- Parameters (all optional by name):
--   @profile_name    nvarchar(4000)  NULL  the profile that created the task (needs the write right)
--   @target_job_id   bigint          NULL  the JobId rc_CreateTask returned           } exactly one of the three
--   @item_id         nvarchar(max)   NULL  the Exchange ItemId (rc.Jobs.ResultItemId)     } names the task
--   @correlation_key nvarchar(max)   NULL  the @correlation_key given to rc_CreateTask }
--   @force           bit             0     1: delete even when the task was changed in Exchange since
--   @job_id          bigint          OUTPUT the JobId of the delete job
-- Result: @job_id; return code 0.
-- Payload: {"itemId": string|null, "onConflict": "fail"|"overwrite", "meetingNotice": "none"}
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 @profile_name missing or blank (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50002 no mail profile with that name (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50003 the profile is disabled (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50004 the caller (or 'public') has no grant with CanWrite (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50060 none, or more than one, of @target_job_id, @item_id, @correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50061 @target_job_id is not a CreateTask job of this profile (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50024 @correlation_key longer than 200 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50062 no CreateTask job of this profile has that key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50063 @item_id blank or longer than 512 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50064 the create job is Failed or Cancelled: no task to change (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50065 the task is deleted or being deleted (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_DeleteTask', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_DeleteTask AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_DeleteTask
  @profile_name nvarchar(4000) = NULL,
  @target_job_id bigint = NULL,
  @item_id nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @force bit = 0,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @resolved_job_id bigint;
  DECLARE @resolved_item_id nvarchar(512);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  -- Profile, permission and the task (50001 … 50004, 50060 … 50065); before any write or transaction.
  EXEC rc.rc_internal_ItemTarget @proc_name = N'rc_DeleteTask', @profile_name = @profile_name,
    @create_kind = 'CreateTask', @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @mailbox_id = @mailbox_id OUTPUT,
    @resolved_job_id = @resolved_job_id OUTPUT, @resolved_item_id = @resolved_item_id OUTPUT;

  EXEC rc.rc_internal_EnqueueItemJob @kind = 'DeleteTask', @mailbox_id = @mailbox_id,
    @target_job_id = @resolved_job_id, @item_id = @resolved_item_id, @fields = NULL, @force = @force,
    @meeting_notice = N'none', @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
