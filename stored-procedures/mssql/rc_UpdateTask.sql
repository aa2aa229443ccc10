-- rc.rc_UpdateTask — queue a change of some fields of a task rc_CreateTask created (or any task by its Exchange
-- ItemId). Only the fields given change: NULL leaves a field as it is, '' clears a clearable field, @clear_fields
-- names fields to clear that cannot take '' (@start_date, @due_date, @reminder_time). Twin of
-- stored-procedures/postgres/rc_UpdateTask.sql.
--
-- Writes one rc.Jobs row (Kind 'UpdateTask', TargetJobId = the create job when addressed by job, key or the
-- ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation happens before anything is
-- written. The worker waits for a create job still pending, applies the change with the ChangeKey it knows and
-- fails with code 'conflict' when someone else changed the task since — unless @force = 1 (last writer wins). The
-- caller is ORIGINAL_LOGIN().
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob via rc.rc_internal_EnqueueItemJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). Everything before it only reads.
--
-- Parameters (all optional by name):
--   @profile_name    nvarchar(4000)  NULL  the profile that created the task (needs the write right)
--   @target_job_id   bigint          NULL  the JobId rc_CreateTask returned           } exactly one of the three
--   @item_id         nvarchar(max)   NULL  the Exchange ItemId (rc.Jobs.ResultItemId)     } names the task
--   @correlation_key nvarchar(max)   NULL  the @correlation_key given to rc_CreateTask }
--   @subject … @categories                the fields of rc_CreateTask (same types, rules and limits); NULL =
--                                         unchanged, '' = clear (@body, @categories); @subject, @body_format,
--                                         @status, @percent_complete, @importance cannot be cleared;
--                                         @body_format only together with @body
--   @clear_fields    nvarchar(max)   NULL  field names to clear, ';' or ',' separated: body, start_date, due_date,
--                                         reminder_time, categories ('@' optional)
--   @force           bit             0     1: overwrite changes made in Exchange since (no ChangeKey check)
--   @job_id          bigint          OUTPUT the JobId of the update job (never deduplicated: each call is a change)
-- Status and percent complete: given together they must agree (Completed ⇔ 100, NotStarted ⇒ 0); Completed alone
--   also sets 100, NotStarted alone 0, 100 alone Completed; another percentage alone is left to Exchange (it makes
--   a not-started or completed task InProgress).
-- Result: @job_id; return code 0.
-- Payload: {"itemId": string|null, "fields": {only the changed keys of TaskFields}, "onConflict":
--   "fail"|"overwrite"}.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 profile_name missing or blank (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50002 no mail profile with that name (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50003 the profile is disabled (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50060 none, or more than one, of target_job_id, item_id and correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50061 target_job_id is not a CreateTask job of this profile (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50024 correlation_key longer than 200 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50062 no CreateTask job of this profile has that correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50063 item_id blank or longer than 512 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50064 the create job is Failed or Cancelled: no task to change (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50065 the task is deleted or being deleted (an earlier DeleteTask) (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50400 the fields as JSON are not an object      (not reachable here: rc.rc_internal_TaskFields serves rc_SyncFolder too)
--   50401 unknown or repeated key                   (not reachable here)
--   50402 a value of the wrong JSON type            (not reachable here)
--   50412 clear_fields names an unknown or not clearable field, or one also given a value
--   50411 nothing to change: no field given and clear_fields empty
--   50403 subject '' or blank (a task keeps its subject)
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 body_format without body
--   50404 start_date / due_date outside 1601-01-01 … 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time outside the years 1601 … 4500
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.rc_internal_Categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict (Completed ⇔ 100, NotStarted ⇒ 0)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_UpdateTask', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_UpdateTask AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_UpdateTask
  @profile_name nvarchar(4000) = NULL,
  @target_job_id bigint = NULL,
  @item_id nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
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
  @clear_fields nvarchar(max) = NULL,
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
  DECLARE @item nvarchar(max);
  DECLARE @fields nvarchar(max);

  SET @job_id = NULL;

  -- Profile, permission and the task (50001 … 50004, 50060 … 50065); before any write or transaction.
  EXEC rc.rc_internal_ItemTarget @proc_name = N'rc_UpdateTask', @profile_name = @profile_name,
    @create_kind = 'CreateTask', @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @mailbox_id = @mailbox_id OUTPUT,
    @resolved_job_id = @resolved_job_id OUTPUT, @resolved_item_id = @resolved_item_id OUTPUT;
  -- The change (504nn).
  SELECT @item = i.Item
  FROM rc.fn_TaskItem(
    @subject, @body, @body_format, @start_date, @due_date, @status, @percent_complete, @importance,
    @reminder_time, @categories, @clear_fields) AS i;
  EXEC rc.rc_internal_TaskFields @proc_name = N'rc_UpdateTask', @item = @item, @partial = 1,
    @fields = @fields OUTPUT;

  EXEC rc.rc_internal_EnqueueItemJob @kind = 'UpdateTask', @mailbox_id = @mailbox_id,
    @target_job_id = @resolved_job_id, @item_id = @resolved_item_id, @fields = @fields, @force = @force,
    @meeting_notice = NULL, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
