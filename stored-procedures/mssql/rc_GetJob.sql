-- rc.rc_GetJob — one job's state as a one-row result set: status, attempts, times, last error, what Exchange
-- returned. Twin of stored-procedures/postgres/rc_GetJob.sql (a set-returning function there; same columns).
-- Reads only; any right on the job's profile (CanSend, CanWrite or CanRead) suffices.
--
-- Parameters:
--   @job_id           bigint  NULL  the job (rc.Jobs.JobId, as @job_id / @mailitem_id OUTPUT returned it)
--   @include_payload  bit     0     1: also return the job's Payload (JSON text; a mail's body or a sync set can
--                                   be megabytes, so it is left out by default); NULL → 0
-- Result: one row, times in UTC:
--   JobId bigint, Kind varchar(40), ProfileName nvarchar(128), Status varchar(16), Priority int, Attempts int,
--   MaxAttempts int, CorrelationKey nvarchar(200), TargetJobId bigint, CreatedAt, CreatedBy nvarchar(128),
--   NotBefore, StartedAt (latest attempt), CompletedAt, UpdatedAt, LastErrorCode varchar(100),
--   LastError nvarchar(2000), ResultItemId nvarchar(512), ResultChangeKey nvarchar(512),
--   ResultMessage nvarchar(2000) (the Message of the job's latest 'succeeded' event: rc_SyncFolder's counts),
--   Payload nvarchar(max) (NULL unless @include_payload = 1).
--   Return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R06nn'):
--   50600 @job_id missing                                                 (raised by rc.rc_internal_ResolveJob)
--   50601 no such job, or no right at all on its profile (same message)   (raised by rc.rc_internal_ResolveJob)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_GetJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_GetJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_GetJob
  @job_id bigint = NULL,
  @include_payload bit = 0
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @kind varchar(40);
  DECLARE @status varchar(16);
  DECLARE @profile nvarchar(128);
  DECLARE @enabled bit;

  -- Job and permission (50600, 50601): any right on the job's profile.
  EXEC rc.rc_internal_ResolveJob @proc_name = N'rc_GetJob', @job_id = @job_id, @required_right = NULL,
    @mailbox_id = @mailbox_id OUTPUT, @kind = @kind OUTPUT, @status = @status OUTPUT,
    @profile_name = @profile OUTPUT, @enabled = @enabled OUTPUT;

  SELECT
    j.JobId AS [JobId],
    j.Kind AS [Kind],
    m.ProfileName AS [ProfileName],
    j.Status AS [Status],
    j.Priority AS [Priority],
    j.Attempts AS [Attempts],
    j.MaxAttempts AS [MaxAttempts],
    j.CorrelationKey AS [CorrelationKey],
    j.TargetJobId AS [TargetJobId],
    j.CreatedAt AS [CreatedAt],
    j.CreatedBy AS [CreatedBy],
    j.NotBefore AS [NotBefore],
    j.StartedAt AS [StartedAt],
    j.CompletedAt AS [CompletedAt],
    j.UpdatedAt AS [UpdatedAt],
    j.LastErrorCode AS [LastErrorCode],
    j.LastError AS [LastError],
    j.ResultItemId AS [ResultItemId],
    j.ResultChangeKey AS [ResultChangeKey],
    (SELECT TOP (1) e.Message FROM rc.JobEvents AS e
     WHERE e.JobId = j.JobId AND e.EventType = 'succeeded' ORDER BY e.EventId DESC) AS [ResultMessage],
    CASE WHEN @include_payload = 1 THEN j.Payload END AS [Payload]
  FROM rc.Jobs AS j
  JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
  WHERE j.JobId = @job_id;

  RETURN 0;
END;
GO
