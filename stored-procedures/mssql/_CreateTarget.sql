-- rc.rc_internal_CreateTarget — internal helper: where a create call's job goes and under which idempotency key —
-- the folder target (rc.rc_internal_ResolveFolder) and the correlation key ('' = none, at most 200 characters).
-- rc_CreateAppointment, rc_CreateContact, rc_CreateTask and rc_SyncFolder call it after their own checks of the
-- fields and before rc.rc_internal_EnqueueJob. Twin of stored-procedures/postgres/_CreateTarget.sql (the function
-- rc.fn_CreateTarget there). Opens no transaction, writes nothing.
--
-- Parameters:
--   @proc_name       nvarchar(4000) the calling procedure's name (N'rc_CreateTask'): the message prefix
--   @param_name      sysname        the caller's folder parameter as messages name it (N'@folder_name',
--                                   N'@calendar_name', N'@folder')
--   @mailbox_id      int            the calling profile's rc.Mailboxes.MailboxId
--   @folder_name     nvarchar(max)  the caller's folder parameter (NULL/'' = the kind's default folder)
--   @target_profile  nvarchar(max)  the caller's @target_profile (NULL = own mailbox)
--   @correlation_key nvarchar(max)  the caller's @correlation_key
--   @folder          nvarchar(max)  OUTPUT: the FolderTarget JSON (see rc.rc_internal_ResolveFolder)
--   @key             nvarchar(max)  OUTPUT: the correlation key for rc.rc_internal_EnqueueJob: NULL for NULL or
--                                   '', else the key as given ('  ' stays a key)
-- Result: @folder, @key; return code 0.
-- Errors (THROW <number>, checked in this order):
--   50050 the folder name is not valid                                      (raised by rc.rc_internal_ResolveFolder)
--   50054 a public folder together with a target profile                    (raised by rc.rc_internal_ResolveFolder)
--   50051 the target profile names no rc mail profile                       (raised by rc.rc_internal_ResolveFolder)
--   50052 the target profile is disabled                                    (raised by rc.rc_internal_ResolveFolder)
--   50053 the caller has no CanWrite grant on the target profile            (raised by rc.rc_internal_ResolveFolder)
--   50024 @correlation_key longer than 200 characters

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_CreateTarget', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_CreateTarget AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_CreateTarget
  @proc_name nvarchar(4000),
  @param_name sysname,
  @mailbox_id int,
  @folder_name nvarchar(max),
  @target_profile nvarchar(max),
  @correlation_key nvarchar(max),
  @folder nvarchar(max) OUTPUT,
  @key nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @message nvarchar(2048);

  SET @folder = NULL;
  -- '' → NULL, but '  ' stays a key (T-SQL's = would pad: compare the length instead).
  SET @key = CASE WHEN DATALENGTH(@correlation_key) = 0 THEN NULL ELSE @correlation_key END;

  -- Folder target (50050, 50054, 50051, 50052, 50053).
  EXEC rc.rc_internal_ResolveFolder @proc_name = @proc_name, @param_name = @param_name,
    @mailbox_id = @mailbox_id, @folder_name = @folder_name, @target_profile = @target_profile,
    @folder = @folder OUTPUT;

  IF DATALENGTH(@key) / 2 > 200
  BEGIN
    SET @message = CONCAT(@proc_name, N': @correlation_key is ', DATALENGTH(@key) / 2,
      N' characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).');
    THROW 50024, @message, 1;
  END;

  RETURN 0;
END;
GO
