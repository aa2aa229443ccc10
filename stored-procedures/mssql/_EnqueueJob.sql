-- rc.rc_internal_EnqueueJob — internal helper: the write every job procedure ends with — one rc.Jobs row (Status
-- 'Pending', NotBefore now) and one rc.JobEvents 'enqueued' row, or, for a correlation key this profile already
-- used for this kind, the existing job's id and nothing written. Twin of stored-procedures/postgres/_EnqueueJob.sql
-- (the function rc.fn_EnqueueJob there). Call it after all validation.
--
-- Transactions (rc_SendMail's pattern): SET XACT_ABORT ON; its own transaction only when @@TRANCOUNT = 0, else it
-- joins the caller's (a caller that rolls back enqueues nothing); @@TRANCOUNT is the same on exit as on entry on
-- every path. The key is looked up WITH (UPDLOCK, HOLDLOCK) so a concurrent caller with the same key waits for the
-- first to commit; where hints are ignored (Babelfish) the unique index UX_Jobs_CorrelationKey stops the second
-- INSERT (2601/2627, caught with XACT_ABORT OFF for that one statement so the transaction stays committable) and
-- the existing id is returned all the same. The caller is ORIGINAL_LOGIN().
--
-- Parameters:
--   @kind            varchar(40)    rc.Jobs.Kind ('CreateContact', 'UpdateTask', …)
--   @mailbox_id      int            the calling profile's rc.Mailboxes.MailboxId
--   @payload         nvarchar(max)  rc.Jobs.Payload (JSON)
--   @correlation_key nvarchar(200)  the create call's idempotency key (already checked: at most 200 characters),
--                                   or NULL (updates and deletes: every call is a job of its own)
--   @target_job_id   bigint         rc.Jobs.TargetJobId (the create job an update/delete addresses), or NULL
--   @job_id          bigint         OUTPUT: the new job's JobId, or the existing one's for a used key
-- Result: @job_id; return code 0.
-- Errors: none (database errors other than a duplicate key are rethrown).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_EnqueueJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_EnqueueJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_EnqueueJob
  @kind varchar(40),
  @mailbox_id int,
  @payload nvarchar(max),
  @correlation_key nvarchar(200),
  @target_job_id bigint,
  @job_id bigint OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @now datetime2(3) = SYSUTCDATETIME();
  DECLARE @new_job_id bigint;
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;

  SET @job_id = NULL;

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    IF @correlation_key IS NOT NULL
      SELECT @new_job_id = j.JobId
      FROM rc.Jobs AS j WITH (UPDLOCK, HOLDLOCK)
      WHERE j.MailboxId = @mailbox_id AND j.Kind = @kind AND j.CorrelationKey = @correlation_key;

    IF @new_job_id IS NULL
    BEGIN
      SET XACT_ABORT OFF;
      BEGIN TRY
        INSERT INTO rc.Jobs (Kind, MailboxId, Payload, NotBefore, CorrelationKey, CreatedAt, CreatedBy, UpdatedAt,
          TargetJobId)
        VALUES (@kind, @mailbox_id, @payload, @now, @correlation_key, @now, @caller, @now, @target_job_id);
        SET @new_job_id = CONVERT(bigint, SCOPE_IDENTITY());
        SET XACT_ABORT ON;
        INSERT INTO rc.JobEvents (JobId, At, EventType, Status) VALUES (@new_job_id, @now, 'enqueued', 'Pending');
      END TRY
      BEGIN CATCH
        SET XACT_ABORT ON;
        IF @correlation_key IS NULL OR ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1 THROW;
        -- Same correlation key committed by a concurrent call: its job stands, nothing is written.
        SELECT @new_job_id = j.JobId
        FROM rc.Jobs AS j
        WHERE j.MailboxId = @mailbox_id AND j.Kind = @kind AND j.CorrelationKey = @correlation_key;
        IF @new_job_id IS NULL THROW;
      END CATCH;
    END;

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
