-- rc.rc_AddMailbox — register an Exchange mailbox as an rc mail profile. Twin of
-- stored-procedures/postgres/rc_AddMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Nobody may send through the new profile until rc_GrantMailbox grants it.
--
-- Transactions: SET XACT_ABORT ON; opens (and commits) its own transaction only when the caller has none,
-- otherwise joins the caller's; the CATCH block rolls back only its own transaction and rethrows, so
-- @@TRANCOUNT is never changed under a caller (no error 266). See rc_SendMail.sql for the full rationale.
--
-- Parameters (declared wider than the columns so over-long input is reported, never silently truncated):
--   @profile_name nvarchar(4000) NULL   the profile's name (trimmed), 1..128 characters, unique case-insensitively
--   @smtp_address nvarchar(4000) NULL   the mailbox's primary SMTP address (trimmed of space/tab/CR/LF, plain address)
--   @transport    nvarchar(4000) 'ews'  ews | graph (any case; NULL → ews; stored lower case)
--   @ews_url      nvarchar(max)  NULL   EWS endpoint (http:// or https://, at most 2048 characters, no white space);
--                                      NULL or blank → the worker's RC_EWS_URL
--   @description  nvarchar(max)  NULL   free text, at most 400 characters (longer input is cut, like nvarchar(400))
--   @mailbox_id   int            OUTPUT the new MailboxId
-- Result: @mailbox_id; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R01nn'):
--   50100 @profile_name missing, blank or longer than 128 characters
--   50102 @smtp_address missing or not a plain valid address
--   50103 @transport is not ews or graph
--   50104 @ews_url is not an http(s) URL of at most 2048 characters
--   50101 a profile with that name (any case) already exists (also when a concurrent call inserted it first)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_AddMailbox', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_AddMailbox AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_AddMailbox
  @profile_name nvarchar(4000) = NULL,
  @smtp_address nvarchar(4000) = NULL,
  @transport nvarchar(4000) = N'ews',
  @ews_url nvarchar(max) = NULL,
  @description nvarchar(max) = NULL,
  @mailbox_id int = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @profile nvarchar(4000) = LTRIM(RTRIM(@profile_name));
  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @first int = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', @smtp_address);
  DECLARE @last_from_end int = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', REVERSE(@smtp_address));
  -- trimmed of space/tab/CR/LF; all white space → '' (NULL stays NULL)
  DECLARE @smtp nvarchar(4000) = CASE
    WHEN @first > 0 THEN SUBSTRING(@smtp_address, @first, DATALENGTH(@smtp_address) / 2 - @last_from_end - @first + 2)
    WHEN @smtp_address IS NOT NULL THEN N'' END;
  DECLARE @transport_value nvarchar(4000) = LOWER(LTRIM(RTRIM(ISNULL(@transport, N'ews'))));
  DECLARE @url nvarchar(max) = LTRIM(RTRIM(@ews_url));
  DECLARE @scheme_length int;
  DECLARE @message nvarchar(2048);
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  DECLARE @exists_message nvarchar(2048) = CONCAT(N'rc_AddMailbox: mail profile "', @profile,
    N'" already exists. Pick another name, or change the existing row in rc.Mailboxes.');

  SET @mailbox_id = NULL;
  IF DATALENGTH(@url) = 0 SET @url = NULL;

  IF @profile IS NULL OR @profile = N'' OR DATALENGTH(@profile) / 2 > 128
    THROW 50100, N'rc_AddMailbox: @profile_name is missing or longer than 128 characters. Pass a short name the applications will use (e.g. ''alerts'').', 1;
  IF @smtp IS NULL OR NOT EXISTS (SELECT 1 FROM rc.fn_IsValidAddress(@smtp) AS v WHERE v.IsValid = 1)
  BEGIN
    SET @message = CONCAT(N'rc_AddMailbox: @smtp_address "', ISNULL(@smtp, N''),
      N'" is not a valid e-mail address. Pass the mailbox''s primary SMTP address (user@example.com).');
    THROW 50102, @message, 1;
  END;
  IF @transport_value NOT IN (N'ews', N'graph')
  BEGIN
    SET @message = CONCAT(N'rc_AddMailbox: @transport "', @transport,
      N'" is not valid. Use ews (Exchange Web Services) or graph (Microsoft Graph).');
    THROW 50103, @message, 1;
  END;
  -- ^https?://[^/?#\s]+([/?#]\S*)?$ without regex: the scheme compared as bytes (no collation equivalences
  -- such as full-width letters), a non-empty host, and no white space anywhere.
  SET @scheme_length = CASE
    WHEN CAST(LOWER(LEFT(@url, 8)) AS varbinary(16)) = CAST(N'https://' AS varbinary(16)) THEN 8
    WHEN CAST(LOWER(LEFT(@url, 7)) AS varbinary(14)) = CAST(N'http://' AS varbinary(14)) THEN 7
    ELSE 0 END;
  IF @url IS NOT NULL AND (
    DATALENGTH(@url) / 2 > 2048
    OR @scheme_length = 0
    OR DATALENGTH(@url) / 2 = @scheme_length
    OR SUBSTRING(@url, @scheme_length + 1, 1) IN (N'/', N'?', N'#')
    OR PATINDEX(N'%[ ' + NCHAR(9) + NCHAR(10) + NCHAR(11) + NCHAR(12) + NCHAR(13) + N']%', @url) > 0
  )
  BEGIN
    SET @message = CONCAT(N'rc_AddMailbox: @ews_url "', LEFT(@url, 200),
      N'" is not an http(s) URL. Pass e.g. https://mail.example.com/EWS/Exchange.asmx, or NULL to use the worker''s RC_EWS_URL.');
    THROW 50104, @message, 1;
  END;

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    -- Case-insensitive whatever the database collation; the range lock makes a concurrent add of the same
    -- name wait for this transaction, and UQ_Mailboxes_ProfileName backs it up where hints are ignored.
    IF EXISTS (SELECT 1 FROM rc.Mailboxes AS m WITH (UPDLOCK, HOLDLOCK) WHERE LOWER(m.ProfileName) = LOWER(@profile))
      THROW 50101, @exists_message, 1;

    INSERT INTO rc.Mailboxes (ProfileName, SmtpAddress, Transport, EwsUrl, Description, CreatedBy)
    VALUES (@profile, @smtp, @transport_value, @url, LEFT(@description, 400), @caller);
    SET @mailbox_id = CONVERT(int, SCOPE_IDENTITY());

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    SET @mailbox_id = NULL;
    -- A concurrent call created the same name between the check and the insert.
    IF ERROR_NUMBER() IN (2601, 2627) THROW 50101, @exists_message, 1;
    THROW;
  END CATCH;
  RETURN 0;
END;
GO
