-- rc.rc_CancelJob — cancel a job that has not started yet, so the worker never carries it out. Twin of
-- stored-procedures/postgres/rc_CancelJob.sql (same checks, order, numbers and messages).
--
-- Cancellable: Pending (waiting in SQL), Queued (handed to the queue: the worker's start is guarded by the status,
-- so a Cancelled row is dropped when its queue entry comes up) and Retrying (waiting for its next attempt; an
-- earlier attempt may already have reached Exchange — cancelling stops further attempts, it undoes nothing).
-- A Running job cannot be cancelled (Exchange may be doing the work that moment), nor a finished one.
-- The move is one UPDATE guarded by the status, so a worker starting the job at the same moment either starts it
-- (and the cancel fails with 50603 naming Running) or finds it Cancelled.
-- Writes: rc.Jobs Status 'Cancelled', CompletedAt now, lease cleared; one rc.JobEvents 'cancelled' row (Attempt =
-- attempts so far, Message 'rc_CancelJob by <caller> (was <status>)'). Transactions as in rc_SendMail: its own
-- when @@TRANCOUNT = 0, else it joins the caller's.
--
-- Parameters:
--   @job_id  bigint  NULL  the job (rc.Jobs.JobId, as @job_id / @mailitem_id OUTPUT returned it)
-- Right: the one the job's kind needs on the job's profile — CanSend for SendMail, CanWrite for every other kind.
-- Result: none; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R06nn'):
--   50600 @job_id missing                                                 (raised by rc.rc_internal_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.rc_internal_ResolveJob)
--   50602 a right on the profile, but not the one the job's kind needs     (raised by rc.rc_internal_ResolveJob)
--   50603 the job is Running, Succeeded, Failed or Cancelled (the message names the state)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_CancelJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_CancelJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_CancelJob
  @job_id bigint = NULL
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @mailbox_id int;
  DECLARE @kind varchar(40);
  DECLARE @status varchar(16);
  DECLARE @profile nvarchar(128);
  DECLARE @enabled bit;
  DECLARE @message nvarchar(2048);
  DECLARE @now datetime2(3) = SYSUTCDATETIME();
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  DECLARE @moved TABLE (Status varchar(16) NOT NULL, Attempts int NOT NULL);

  -- Job and permission (50600, 50601, 50602); before any write or transaction.
  EXEC rc.rc_internal_ResolveJob @proc_name = N'rc_CancelJob', @job_id = @job_id, @required_right = 'kind',
    @mailbox_id = @mailbox_id OUTPUT, @kind = @kind OUTPUT, @status = @status OUTPUT,
    @profile_name = @profile OUTPUT, @enabled = @enabled OUTPUT;

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    UPDATE j
    SET Status = 'Cancelled', CompletedAt = @now, LeaseUntil = NULL, UpdatedAt = @now, Version = j.Version + 1
    OUTPUT deleted.Status AS [Status], inserted.Attempts AS [Attempts] INTO @moved (Status, Attempts)
    FROM rc.Jobs AS j
    WHERE j.JobId = @job_id AND j.Status IN ('Pending', 'Queued', 'Retrying');

    IF NOT EXISTS (SELECT 1 FROM @moved)
    BEGIN
      -- Nothing written: the job had started or finished (read again, it may have moved since the check).
      SELECT @status = j.Status FROM rc.Jobs AS j WHERE j.JobId = @job_id;
      SET @message = CONCAT(N'rc_CancelJob: job ', @job_id, N' is ', @status,
        N'; only a job that has not started yet (Pending, Queued or Retrying) can be cancelled.',
        CASE @status WHEN 'Running' THEN N' It is running now; wait for its outcome.'
          WHEN 'Cancelled' THEN N' It is already cancelled.' ELSE N' It has already finished.' END);
      THROW 50603, @message, 1;
    END;

    INSERT INTO rc.JobEvents (JobId, At, EventType, Attempt, Status, Message)
    SELECT @job_id, @now, 'cancelled', m.Attempts, 'Cancelled', CONCAT(N'rc_CancelJob by ', @caller, N' (was ', m.Status, N')')
    FROM @moved AS m;

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH;

  RETURN 0;
END;
GO
