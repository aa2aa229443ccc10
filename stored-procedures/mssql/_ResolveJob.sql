-- rc.rc_internal_ResolveJob — internal helper: the checks rc_GetJob, rc_CancelJob and rc_RetryJob start with.
-- Twin of stored-procedures/postgres/_ResolveJob.sql (the function rc.fn_ResolveJob there; a procedure here
-- because T-SQL functions cannot THROW). Validates @job_id, finds the job and its profile, and checks the
-- caller's grant on that profile. THROWs with the calling procedure's name as prefix.
--
-- A job of a profile the caller holds no right at all on is reported exactly like a job that does not exist
-- (50601), so job ids of other profiles reveal nothing. A caller with some right on the profile but not the one
-- the action needs gets 50602 (the job's existence is no secret to someone who may read that profile's jobs).
-- The profile's Enabled flag is not checked here: a disabled profile's jobs can still be read and cancelled.
--
-- Call it before the caller writes anything or opens a transaction:
--   EXEC rc.rc_internal_ResolveJob @proc_name = N'rc_CancelJob', @job_id = @job_id, @required_right = 'kind',
--     @mailbox_id = @mailbox_id OUTPUT, @kind = @kind OUTPUT, @status = @status OUTPUT,
--     @profile_name = @profile OUTPUT, @enabled = @enabled OUTPUT;
-- It opens no transaction and writes nothing. The caller is ORIGINAL_LOGIN().
--
-- Parameters:
--   @proc_name      sysname        the calling procedure's name as users spell it (N'rc_CancelJob'): the prefix
--   @job_id         bigint         as the caller received it
--   @required_right varchar(10)    NULL: any right (CanSend, CanWrite or CanRead) suffices — reading a job;
--                                  'kind': the right the job's kind needs — CanSend for a SendMail job, CanWrite
--                                  for every other kind (changing a job). Any other value is a bug in the caller
--                                  and always fails with 50602.
--   @mailbox_id     int            OUTPUT: the job's rc.Mailboxes.MailboxId
--   @kind           varchar(40)    OUTPUT: rc.Jobs.Kind
--   @status         varchar(16)    OUTPUT: rc.Jobs.Status as read (the caller's UPDATE is still guarded by it)
--   @profile_name   nvarchar(128)  OUTPUT: the job's profile name
--   @enabled        bit            OUTPUT: rc.Mailboxes.Enabled of that profile
-- Result: the OUTPUT parameters; return code 0.
-- Errors (THROW <number>, checked in this order; 50602 only with a @required_right; the PostgreSQL twin raises
-- SQLSTATE 'R06nn'):
--   50600 @job_id missing (NULL)
--   50601 no job with that id, or the caller (or 'public') holds no right at all on the job's profile
--   50602 the caller holds a right on the job's profile, but not the one the job's kind needs

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ResolveJob', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ResolveJob AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ResolveJob
  @proc_name sysname,
  @job_id bigint,
  @required_right varchar(10),
  @mailbox_id int OUTPUT,
  @kind varchar(40) OUTPUT,
  @status varchar(16) OUTPUT,
  @profile_name nvarchar(128) OUTPUT,
  @enabled bit OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @message nvarchar(2048);
  DECLARE @can_send bit = 0;
  DECLARE @can_write bit = 0;
  DECLARE @can_read bit = 0;
  DECLARE @needed varchar(10);

  SET @mailbox_id = NULL;
  SET @kind = NULL;
  SET @status = NULL;
  SET @profile_name = NULL;
  SET @enabled = NULL;

  IF @job_id IS NULL
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @job_id is missing. Pass the id the enqueuing procedure returned (@job_id / @mailitem_id OUTPUT).');
    THROW 50600, @message, 1;
  END;

  SELECT @mailbox_id = j.MailboxId, @kind = j.Kind, @status = j.Status, @profile_name = m.ProfileName,
    @enabled = m.Enabled
  FROM rc.Jobs AS j
  JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
  WHERE j.JobId = @job_id;

  SELECT
    @can_send = MAX(CASE WHEN g.CanSend = 1 THEN 1 ELSE 0 END),
    @can_write = MAX(CASE WHEN g.CanWrite = 1 THEN 1 ELSE 0 END),
    @can_read = MAX(CASE WHEN g.CanRead = 1 THEN 1 ELSE 0 END)
  FROM rc.MailboxGrants AS g
  WHERE g.MailboxId = @mailbox_id AND LOWER(g.Principal) IN (LOWER(@caller), N'public');

  IF @mailbox_id IS NULL OR (ISNULL(@can_send, 0) = 0 AND ISNULL(@can_write, 0) = 0 AND ISNULL(@can_read, 0) = 0)
  BEGIN
    SET @mailbox_id = NULL;
    SET @kind = NULL;
    SET @status = NULL;
    SET @profile_name = NULL;
    SET @enabled = NULL;
    SET @message = CONCAT(@proc_name, N': job ', @job_id,
      N' does not exist, or it belongs to a mail profile you hold no right on. Check the id; a grant comes from the database owner (rc_GrantMailbox).');
    THROW 50601, @message, 1;
  END;

  -- Reading stops here; changing a job goes on with the right its kind needs.
  IF @required_right IS NULL RETURN 0;
  SET @needed = CASE WHEN @required_right = 'kind' THEN CASE WHEN @kind = 'SendMail' THEN 'send' ELSE 'write' END END;
  IF @needed IS NULL OR (@needed = 'send' AND ISNULL(@can_send, 0) = 0) OR (@needed = 'write' AND ISNULL(@can_write, 0) = 0)
  BEGIN
    SET @message = CONCAT(@proc_name, N': principal "', @caller, N'" has no ', ISNULL(@needed, N'such'),
      N' right (can_', ISNULL(@needed, N'?'), N') on mail profile "', @profile_name, N'", which job ', @job_id,
      N' (', @kind, N') needs. Ask the database owner to grant it with rc_GrantMailbox.');
    THROW 50602, @message, 1;
  END;
  RETURN 0;
END;
GO
