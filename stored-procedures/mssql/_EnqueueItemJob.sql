-- rc.rc_internal_EnqueueItemJob — internal helper: the end every rc_Update* / rc_Delete* procedure shares — the
-- payload of a job that changes or deletes an item, enqueued by rc.rc_internal_EnqueueJob (never deduplicated:
-- each call is a job of its own). Twin of stored-procedures/postgres/_EnqueueItemJob.sql (the function
-- rc.fn_EnqueueItemJob there). Call it after all validation.
--
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). The caller is ORIGINAL_LOGIN().
--
-- Parameters:
--   @kind           varchar(40)     rc.Jobs.Kind ('UpdateContact', 'DeleteAppointment', …)
--   @mailbox_id     int             the calling profile's rc.Mailboxes.MailboxId
--   @target_job_id  bigint          rc.Jobs.TargetJobId (rc.rc_internal_ItemTarget's @resolved_job_id)
--   @item_id        nvarchar(512)   the payload's "itemId" (rc.rc_internal_ItemTarget's @resolved_item_id)
--   @fields         nvarchar(max)   the payload's "fields" (JSON object) for an update; NULL for a delete: no key
--   @force          bit             1: "onConflict": "overwrite", else "fail"
--   @meeting_notice nvarchar(4000)  the payload's "meetingNotice"; NULL: no key (contact and task updates)
--   @job_id         bigint          OUTPUT: the new job's JobId
-- Result: @job_id; return code 0.
-- Payload: {"itemId": string|null, "fields": {…} (updates), "onConflict": "fail"|"overwrite", "meetingNotice":
--   "none"|"all"|"changed" (when given)}, keys in this order.
-- Errors: none (database errors are rethrown).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_EnqueueItemJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_EnqueueItemJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_EnqueueItemJob
  @kind varchar(40),
  @mailbox_id int,
  @target_job_id bigint,
  @item_id nvarchar(512),
  @fields nvarchar(max),
  @force bit,
  @meeting_notice nvarchar(4000),
  @job_id bigint OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @on_conflict nvarchar(10) = CASE WHEN @force = 1 THEN N'overwrite' ELSE N'fail' END;
  DECLARE @payload nvarchar(max);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  IF @fields IS NULL
    SET @payload = (
      SELECT @item_id AS [itemId], @on_conflict AS [onConflict], @meeting_notice AS [meetingNotice]
      FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
    );
  ELSE IF @meeting_notice IS NULL
    SET @payload = (
      SELECT @item_id AS [itemId], JSON_QUERY(@fields) AS [fields], @on_conflict AS [onConflict]
      FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
    );
  ELSE
    SET @payload = (
      SELECT @item_id AS [itemId], JSON_QUERY(@fields) AS [fields], @on_conflict AS [onConflict],
        @meeting_notice AS [meetingNotice]
      FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
    );

  EXEC rc.rc_internal_EnqueueJob @kind = @kind, @mailbox_id = @mailbox_id, @payload = @payload,
    @correlation_key = NULL, @target_job_id = @target_job_id, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
