-- rc.rc_GrantMailbox — let a SQL principal (or 'public' = every caller) act as an rc mail profile. Twin of
-- stored-procedures/postgres/rc_GrantMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Upsert: an existing grant for the principal (matched case-insensitively) gets the new rights, GrantedAt and
-- GrantedBy; a new principal is stored trimmed, spelled as given. Written as UPDATE … then INSERT … WHERE NOT
-- EXISTS under UPDLOCK, HOLDLOCK (no MERGE: unsupported on Babelfish).
--
-- Transactions: SET XACT_ABORT ON; opens (and commits) its own transaction only when the caller has none,
-- otherwise joins the caller's; the CATCH block rolls back only its own transaction and rethrows, so
-- @@TRANCOUNT is never changed under a caller (no error 266). See rc_SendMail.sql for the full rationale.
--
-- Parameters:
--   @principal    nvarchar(4000) NULL  login / user name as ORIGINAL_LOGIN() reports it (trimmed, 1..128), or 'public'
--   @profile_name nvarchar(4000) NULL  the rc mail profile (case-insensitive)
--   @can_send     bit            1     may queue mail (rc_SendMail); NULL → 1
--   @can_write    bit            1     may create/update/delete items (appointments, contacts, tasks); NULL → 1
--   @can_read     bit            1     may read the mirrored folders; NULL → 1
-- Result: none; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50110 @principal missing, blank or longer than 128 characters
--   50001 @profile_name missing or blank           (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name           (raised by rc.rc_internal_ResolveProfile)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_GrantMailbox', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_GrantMailbox AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_GrantMailbox
  @principal nvarchar(4000) = NULL,
  @profile_name nvarchar(4000) = NULL,
  @can_send bit = 1,
  @can_write bit = 1,
  @can_read bit = 1
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @grantee nvarchar(4000) = LTRIM(RTRIM(@principal));
  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @mailbox_id int;
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  DECLARE @updated TABLE (MailboxId int NOT NULL);

  IF @grantee IS NULL OR @grantee = N'' OR DATALENGTH(@grantee) / 2 > 128
    THROW 50110, N'rc_GrantMailbox: @principal is missing or longer than 128 characters. Pass a login name, or ''public'' for every caller.', 1;
  -- 50001, 50002; before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_GrantMailbox', @profile_name = @profile_name,
    @required_right = NULL, @mailbox_id = @mailbox_id OUTPUT;

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    UPDATE g
    SET CanSend = ISNULL(@can_send, 1),
        CanWrite = ISNULL(@can_write, 1),
        CanRead = ISNULL(@can_read, 1),
        GrantedAt = SYSUTCDATETIME(),
        GrantedBy = @caller
    OUTPUT inserted.MailboxId AS [MailboxId] INTO @updated (MailboxId)
    FROM rc.MailboxGrants AS g WITH (UPDLOCK, HOLDLOCK)
    WHERE g.MailboxId = @mailbox_id AND LOWER(g.Principal) = LOWER(@grantee);

    IF NOT EXISTS (SELECT 1 FROM @updated)
      INSERT INTO rc.MailboxGrants (MailboxId, Principal, CanSend, CanWrite, CanRead, GrantedBy)
      SELECT @mailbox_id, @grantee, ISNULL(@can_send, 1), ISNULL(@can_write, 1), ISNULL(@can_read, 1), @caller
      WHERE NOT EXISTS (
        SELECT 1 FROM rc.MailboxGrants AS g WITH (UPDLOCK, HOLDLOCK)
        WHERE g.MailboxId = @mailbox_id AND LOWER(g.Principal) = LOWER(@grantee)
      );

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH;
  RETURN 0;
END;
GO
