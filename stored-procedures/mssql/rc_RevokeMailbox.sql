-- rc.rc_RevokeMailbox — remove a principal's grant on an rc mail profile. Twin of
-- stored-procedures/postgres/rc_RevokeMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Jobs already queued by the principal are not touched.
--
-- Transactions: SET XACT_ABORT ON; opens (and commits) its own transaction only when the caller has none,
-- otherwise joins the caller's; the CATCH block rolls back only its own transaction and rethrows, so
-- @@TRANCOUNT is never changed under a caller (no error 266). See rc_SendMail.sql for the full rationale.
--
-- Parameters:
--   @principal    nvarchar(4000) NULL  as given to rc_GrantMailbox (case-insensitive)
--   @profile_name nvarchar(4000) NULL  the rc mail profile (case-insensitive)
-- Result: none; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50110 @principal missing, blank or longer than 128 characters
--   50001 @profile_name missing or blank           (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name           (raised by rc.rc_internal_ResolveProfile)
--   50111 the principal has no grant on that profile (nothing was deleted)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_RevokeMailbox', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_RevokeMailbox AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_RevokeMailbox
  @principal nvarchar(4000) = NULL,
  @profile_name nvarchar(4000) = NULL
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @grantee nvarchar(4000) = LTRIM(RTRIM(@principal));
  DECLARE @profile nvarchar(4000) = LTRIM(RTRIM(@profile_name));
  DECLARE @mailbox_id int;
  DECLARE @message nvarchar(2048);
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  DECLARE @deleted TABLE (MailboxId int NOT NULL);

  IF @grantee IS NULL OR @grantee = N'' OR DATALENGTH(@grantee) / 2 > 128
    THROW 50110, N'rc_RevokeMailbox: @principal is missing or longer than 128 characters. Pass the login name the grant was made for, or ''public''.', 1;
  -- 50001, 50002; before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_RevokeMailbox', @profile_name = @profile_name,
    @required_right = NULL, @mailbox_id = @mailbox_id OUTPUT;
  SET @message = CONCAT(N'rc_RevokeMailbox: principal "', @grantee, N'" has no grant on mail profile "', @profile,
    N'". Nothing to revoke; see rc.MailboxGrants for the existing grants.');

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    DELETE g
    OUTPUT deleted.MailboxId AS [MailboxId] INTO @deleted (MailboxId)
    FROM rc.MailboxGrants AS g
    WHERE g.MailboxId = @mailbox_id AND LOWER(g.Principal) = LOWER(@grantee);

    -- Nothing was deleted, so nothing is undone by raising here.
    IF NOT EXISTS (SELECT 1 FROM @deleted) THROW 50111, @message, 1;

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH;
  RETURN 0;
END;
GO
