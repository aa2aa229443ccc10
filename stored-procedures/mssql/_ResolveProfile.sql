-- rc.rc_internal_ResolveProfile — internal helper: the checks every rc_* procedure taking a @profile_name starts
-- with. Twin of stored-procedures/postgres/_ResolveProfile.sql (the function rc.fn_ResolveProfile there; a
-- procedure here because T-SQL functions cannot THROW). Validates @profile_name, looks the profile up
-- case-insensitively and, for an API call, checks that it is enabled and that the caller may use it. THROWs with
-- the calling procedure's name as prefix, so the caller's errors read exactly as if it had made the checks itself.
--
-- Call it before the caller writes anything or opens a transaction:
--   EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_SendMail', @profile_name = @profile_name,
--     @required_right = 'send', @mailbox_id = @mailbox_id OUTPUT;
-- It opens no transaction and writes nothing, so @@TRANCOUNT is unchanged on every path; a THROW here (under
-- XACT_ABORT ON) ends the calling batch like a THROW in the caller itself would.
-- The caller is ORIGINAL_LOGIN(), as in the procedures. Reached through ownership chaining like the rc_*
-- procedures; a login given EXECUTE on the schema can call it directly, which tells it no more than rc_SendMail
-- does (whether a profile exists, whether it itself holds a right).
--
-- Parameters:
--   @proc_name      sysname        the calling procedure's name as users spell it (N'rc_SendMail'): the prefix
--   @profile_name   nvarchar(max)  as the caller received it; trimmed here
--   @required_right varchar(10)    NULL for an admin procedure (only 50001 / 50002 are checked); 'send' |
--                                  'write' | 'read' for an API procedure: also 50003 and 50004 against
--                                  rc.MailboxGrants.CanSend / CanWrite / CanRead. Any other value is a bug in the
--                                  caller and always fails with 50004.
--   @mailbox_id     int            OUTPUT: the profile's rc.Mailboxes.MailboxId
-- Result: @mailbox_id; return code 0.
-- Errors (THROW <number>, checked in this order; 50003 and 50004 only with a @required_right; the PostgreSQL
-- twin raises SQLSTATE 'R000n'):
--   50001 @profile_name missing or blank
--   50002 no mail profile with that name
--   50003 the profile is disabled (rc.Mailboxes.Enabled = 0)
--   50004 the caller (or 'public') has no grant with the required right on the profile

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ResolveProfile', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ResolveProfile AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ResolveProfile
  @proc_name sysname,
  @profile_name nvarchar(max),
  @required_right varchar(10),
  @mailbox_id int OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @profile nvarchar(max) = LTRIM(RTRIM(@profile_name));
  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @enabled bit;
  DECLARE @message nvarchar(2048);

  SET @mailbox_id = NULL;

  IF @profile IS NULL OR @profile = N''
  BEGIN
    SET @message = CONCAT(@proc_name, N': @profile_name is missing. Pass the name of an rc mail profile (see rc.Mailboxes',
      CASE WHEN @required_right IS NOT NULL THEN N'; create one with rc_AddMailbox' ELSE N'' END, N').');
    THROW 50001, @message, 1;
  END;
  SELECT @mailbox_id = m.MailboxId, @enabled = m.Enabled
  FROM rc.Mailboxes AS m
  WHERE LOWER(m.ProfileName) = LOWER(@profile);
  IF @mailbox_id IS NULL
  BEGIN
    -- rc_RevokeMailbox does not suggest creating the profile: a new one has no grant to revoke.
    SET @message = CONCAT(@proc_name, N': mail profile "', @profile, N'" does not exist. Check the name against rc.Mailboxes',
      CASE WHEN @proc_name = N'rc_RevokeMailbox' THEN N'' ELSE N' or create it with rc_AddMailbox' END, N'.');
    THROW 50002, @message, 1;
  END;

  -- Admin procedures stop here; API procedures go on with the profile's state and the caller's grant.
  IF @required_right IS NULL RETURN 0;
  IF @enabled = 0
  BEGIN
    SET @message = CONCAT(@proc_name, N': mail profile "', @profile,
      N'" is disabled. Enable it (rc.Mailboxes.Enabled) or use another profile.');
    THROW 50003, @message, 1;
  END;
  IF NOT EXISTS (
    SELECT 1 FROM rc.MailboxGrants AS g
    WHERE g.MailboxId = @mailbox_id
      AND CASE @required_right WHEN 'send' THEN g.CanSend WHEN 'write' THEN g.CanWrite WHEN 'read' THEN g.CanRead END = 1
      AND LOWER(g.Principal) IN (LOWER(@caller), N'public')
  )
  BEGIN
    SET @message = CONCAT(@proc_name, N': principal "', @caller, N'" has no ', @required_right, N' right (can_',
      @required_right, N') on mail profile "', @profile,
      N'". Ask the database owner to grant it with rc_GrantMailbox, or use a profile you may ',
      CASE @required_right WHEN 'send' THEN N'send from' WHEN 'write' THEN N'write to' WHEN 'read' THEN N'read from'
        ELSE N'use' END, N'.');
    THROW 50004, @message, 1;
  END;
  RETURN 0;
END;
GO
