-- rc.rc_RetryJob — put a Failed (or Cancelled) job back in the queue: Status 'Pending', due now. Twin of
-- stored-procedures/postgres/rc_RetryJob.sql (same checks, order, numbers and messages).
--
-- What changes on the job (rc.Jobs): Status 'Pending', NotBefore now, MaxAttempts = Attempts + 10 (a fresh
-- budget of 10 attempts, what a new job gets), CompletedAt / ClaimedAt / ClaimedBy / LeaseUntil cleared.
-- Kept: Attempts — the next attempt is numbered Attempts + 1, so the handler treats it as a retry and first
-- looks in Exchange for an item an earlier attempt may have created (exactly-once; resetting the count would
-- skip that look-up and could send a mail twice) — and LastErrorCode / LastError (the last error seen, as after
-- any retry; the 'failed' event keeps it for good). One rc.JobEvents 'requeued' row (Attempt = attempts so far,
-- Message 'rc_RetryJob by <caller> (was <status>)'). Transactions as in rc_SendMail.
-- Cancelled jobs can be retried too (undoing a cancel). A SyncFolder job cannot be retried when a newer
-- SyncFolder job of the same profile addresses the same folder (same setKey): it would bring an outdated set
-- back (50605); call rc_SyncFolder with the current set instead.
--
-- Parameters:
--   @job_id  bigint  NULL  the job (rc.Jobs.JobId, as @job_id / @mailitem_id OUTPUT returned it)
-- Right: the one the job's kind needs on the job's profile — CanSend for SendMail, CanWrite for every other kind.
-- Result: none; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50600 @job_id missing                                                 (raised by rc.rc_internal_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.rc_internal_ResolveJob)
--   50602 a right on the profile, but not the one the job's kind needs     (raised by rc.rc_internal_ResolveJob)
--   50604 the job is not Failed or Cancelled (the message names the state)
--   50003 the job's profile is disabled (the worker would fail it again at once)
--   50605 a SyncFolder job superseded by a newer SyncFolder job for the same folder (the message names it)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_RetryJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_RetryJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_RetryJob
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
  DECLARE @newer bigint;
  DECLARE @message nvarchar(2048);
  DECLARE @now datetime2(3) = SYSUTCDATETIME();
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  DECLARE @moved TABLE (Status varchar(16) NOT NULL, Attempts int NOT NULL);

  -- Job and permission (50600, 50601, 50602); before any write or transaction.
  EXEC rc.rc_internal_ResolveJob @proc_name = N'rc_RetryJob', @job_id = @job_id, @required_right = 'kind',
    @mailbox_id = @mailbox_id OUTPUT, @kind = @kind OUTPUT, @status = @status OUTPUT,
    @profile_name = @profile OUTPUT, @enabled = @enabled OUTPUT;

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    -- The row is read under an update lock so the checks below hold until the UPDATE (where hints are ignored,
    -- Babelfish, the UPDATE is still guarded by the status read here).
    SELECT @status = j.Status FROM rc.Jobs AS j WITH (UPDLOCK, HOLDLOCK) WHERE j.JobId = @job_id;

    IF @status IN ('Failed', 'Cancelled')
    BEGIN
      IF @enabled = 0
      BEGIN
        SET @message = CONCAT(N'rc_RetryJob: job ', @job_id, N' belongs to mail profile "', @profile,
          N'", which is disabled. Enable the profile (rc.Mailboxes.Enabled) first; the worker would fail the job again at once.');
        THROW 50003, @message, 1;
      END;
      IF @kind = 'SyncFolder'
      BEGIN
        SELECT TOP (1) @newer = n.JobId
        FROM rc.Jobs AS j
        JOIN rc.Jobs AS n ON n.MailboxId = j.MailboxId AND n.Kind = 'SyncFolder' AND n.JobId > j.JobId
        WHERE j.JobId = @job_id AND JSON_VALUE(n.Payload, '$.setKey') = JSON_VALUE(j.Payload, '$.setKey')
        ORDER BY n.JobId DESC;
        IF @newer IS NOT NULL
        BEGIN
          SET @message = CONCAT(N'rc_RetryJob: job ', @job_id, N' is a SyncFolder job, and the newer SyncFolder job ', @newer,
            N' addresses the same folder; retrying would bring back an outdated set. Call rc_SyncFolder with the current set instead.');
          THROW 50605, @message, 1;
        END;
      END;

      UPDATE j
      SET Status = 'Pending', NotBefore = @now, MaxAttempts = j.Attempts + 10, CompletedAt = NULL, ClaimedAt = NULL,
          ClaimedBy = NULL, LeaseUntil = NULL, UpdatedAt = @now, Version = j.Version + 1
      OUTPUT deleted.Status AS [Status], inserted.Attempts AS [Attempts] INTO @moved (Status, Attempts)
      FROM rc.Jobs AS j
      WHERE j.JobId = @job_id AND j.Status = @status;
    END;

    IF NOT EXISTS (SELECT 1 FROM @moved)
    BEGIN
      -- Nothing written. Read again: a concurrent rc_RetryJob may have moved it since (Failed/Cancelled are
      -- final otherwise), and the message must name the state it is in now.
      SELECT @status = j.Status FROM rc.Jobs AS j WHERE j.JobId = @job_id;
      SET @message = CONCAT(N'rc_RetryJob: job ', @job_id, N' is ', @status,
        N'; only a Failed or Cancelled job can be retried.',
        CASE WHEN @status = 'Running' THEN N' It is running now.'
          WHEN @status = 'Succeeded' THEN N' It has succeeded; enqueue a new job to do it again.'
          ELSE N' It is still waiting to run.' END);
      THROW 50604, @message, 1;
    END;

    INSERT INTO rc.JobEvents (JobId, At, EventType, Attempt, Status, Message)
    SELECT @job_id, @now, 'requeued', m.Attempts, 'Pending', CONCAT(N'rc_RetryJob by ', @caller, N' (was ', m.Status, N')')
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
