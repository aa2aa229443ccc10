-- rc.rc_SendMail — queue one e-mail for sending through an rc mailbox profile; a drop-in for
-- msdb.dbo.sp_send_dbmail. Twin of stored-procedures/postgres/rc_SendMail.sql (same checks, order, numbers,
-- messages and payload).
--
-- Writes one rc.Jobs row (Kind 'SendMail', Status 'Pending') and one rc.JobEvents 'enqueued' row. Validation
-- happens before anything is written. The caller is ORIGINAL_LOGIN(); callers need EXECUTE only (ownership
-- chaining reaches the tables).
--
-- Transactions (the pattern every rc_* procedure uses):
--   SET XACT_ABORT ON. When the caller has no transaction (@@TRANCOUNT = 0) the procedure opens and commits its
--   own; inside a caller's transaction it opens none, so a caller that rolls back enqueues nothing and
--   @@TRANCOUNT is the same on exit as on entry on every path (no error 266). The CATCH block rolls back only a
--   transaction this procedure opened and rethrows with THROW; a caller's transaction is never rolled back
--   here — but THROW under XACT_ABORT ON dooms/ends it, like any error in PostgreSQL aborts the caller's
--   transaction, so a caller's CATCH must test XACT_STATE() before COMMIT (standard T-SQL practice).
--
-- Parameters (declared wider than the columns so over-long input is reported, never silently truncated):
--   @profile_name          nvarchar(4000)  NULL      rc mail profile (rc.Mailboxes.ProfileName, case-insensitive)
--   @recipients            nvarchar(max)   NULL      To: addresses separated by ';' or ','
--   @copy_recipients       nvarchar(max)   NULL      Cc: same form
--   @blind_copy_recipients nvarchar(max)   NULL      Bcc: same form
--   @from_address          nvarchar(max)   NULL      one address (Exchange sends as it when the mailbox may)
--   @reply_to              nvarchar(max)   NULL      Reply-To: one or more addresses, same form as @recipients
--   @subject               nvarchar(max)   NULL      at most 255 characters; NULL → ''
--   @body                  nvarchar(max)   NULL      at most 35 MB (36,700,160 characters); NULL → ''
--   @body_format           nvarchar(4000)  'TEXT'    TEXT | HTML (any case; NULL → TEXT)
--   @importance            nvarchar(4000)  'Normal'  Low | Normal | High (any case; NULL → Normal)
--   @sensitivity           nvarchar(4000)  'Normal'  Normal | Personal | Private | Confidential (any case; NULL → Normal)
--   @send_at               datetimeoffset  NULL      not before this moment (stored as UTC datetime2(3); NULL → now)
--   @correlation_key       nvarchar(max)   NULL      caller's idempotency key, at most 200 characters; '' → NULL
--   @mailitem_id           bigint          OUTPUT    the mail item id (rc.Jobs.JobId)
-- Result: @mailitem_id. With a @correlation_key already used for this profile, the existing job's id, and
--   nothing is written. The key is looked up WITH (UPDLOCK, HOLDLOCK) so a concurrent caller with the same key
--   waits for the first to commit; where hints are ignored (Babelfish) the unique index UX_Jobs_CorrelationKey
--   stops the second INSERT (2601/2627) and the existing id is returned all the same.
--   Return code 0.
-- Payload (rc.Jobs.Payload, JSON): {"recipients","copyRecipients","blindCopyRecipients","fromAddress","replyTo",
--   "subject","body","bodyFormat","importance","sensitivity"}; lists normalised to 'a@x.com;b@y.com', empty → null
--   (FOR JSON PATH with INCLUDE_NULL_VALUES, so absent values are JSON null, not missing keys).
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R00nn'):
--   50001 @profile_name missing or blank                                   (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                                   (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled (rc.Mailboxes.Enabled = 0)               (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanSend on the profile (raised by rc.rc_internal_ResolveProfile)
--   50011 an entry of @recipients / @copy_recipients / @blind_copy_recipients is not a plain valid address
--   50010 @recipients, @copy_recipients and @blind_copy_recipients are all empty
--   50012 more than 500 recipients in total (Exchange's default limit)
--   50013 @from_address is not a plain valid address
--   50014 an entry of @reply_to is not a plain valid address
--   50023 @subject longer than 255 characters
--   50025 @body longer than 35 MB (36,700,160 characters)
--   50020 @body_format is not TEXT or HTML
--   50021 @importance is not Low, Normal or High
--   50022 @sensitivity is not Normal, Personal, Private or Confidential
--   50024 @correlation_key longer than 200 characters
-- Lengths are counted in UTF-16 code units with trailing spaces (DATALENGTH / 2), PostgreSQL counts characters:
-- they differ only for characters outside the Basic Multilingual Plane (emoji).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_SendMail', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_SendMail AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_SendMail
  @profile_name nvarchar(4000) = NULL,
  @recipients nvarchar(max) = NULL,
  @copy_recipients nvarchar(max) = NULL,
  @blind_copy_recipients nvarchar(max) = NULL,
  @from_address nvarchar(max) = NULL,
  @reply_to nvarchar(max) = NULL,
  @subject nvarchar(max) = NULL,
  @body nvarchar(max) = NULL,
  @body_format nvarchar(4000) = N'TEXT',
  @importance nvarchar(4000) = N'Normal',
  @sensitivity nvarchar(4000) = N'Normal',
  @send_at datetimeoffset = NULL,
  @correlation_key nvarchar(max) = NULL,
  @mailitem_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @mailbox_id int;
  DECLARE @message nvarchar(2048);
  DECLARE @bad nvarchar(max);
  DECLARE @bad_list tinyint;
  DECLARE @total int;
  DECLARE @to nvarchar(max);
  DECLARE @cc nvarchar(max);
  DECLARE @bcc nvarchar(max);
  DECLARE @from nvarchar(max);
  DECLARE @first bigint;
  DECLARE @last_from_end bigint;
  DECLARE @reply nvarchar(max);
  DECLARE @format nvarchar(4000) = UPPER(LTRIM(RTRIM(ISNULL(@body_format, N'TEXT'))));
  DECLARE @importance_value nvarchar(20) =
    CASE LOWER(LTRIM(RTRIM(ISNULL(@importance, N'Normal'))))
      WHEN N'low' THEN N'Low' WHEN N'normal' THEN N'Normal' WHEN N'high' THEN N'High' END;
  DECLARE @sensitivity_value nvarchar(20) =
    CASE LOWER(LTRIM(RTRIM(ISNULL(@sensitivity, N'Normal'))))
      WHEN N'normal' THEN N'Normal' WHEN N'personal' THEN N'Personal'
      WHEN N'private' THEN N'Private' WHEN N'confidential' THEN N'Confidential' END;
  -- '' → NULL, but '  ' stays a key (T-SQL's = would pad: compare the length instead).
  DECLARE @key nvarchar(max) = CASE WHEN DATALENGTH(@correlation_key) = 0 THEN NULL ELSE @correlation_key END;
  -- One clock reading for CreatedAt, UpdatedAt and a missing @send_at (PostgreSQL's now() is one value per
  -- transaction too): a job sent without @send_at has NotBefore = CreatedAt exactly.
  DECLARE @now datetime2(3) = SYSUTCDATETIME();
  DECLARE @not_before datetime2(3) = ISNULL(CONVERT(datetime2(3), SWITCHOFFSET(@send_at, '+00:00')), @now);
  DECLARE @payload nvarchar(max);
  DECLARE @job_id bigint;
  DECLARE @own_transaction bit = CASE WHEN @@TRANCOUNT = 0 THEN 1 ELSE 0 END;
  -- ListNo: 1 = @recipients, 2 = @copy_recipients, 3 = @blind_copy_recipients, 4 = @reply_to
  DECLARE @entries TABLE (ListNo tinyint NOT NULL, Ordinal bigint NOT NULL, Entry nvarchar(max) NOT NULL,
    IsValid bit NOT NULL, PRIMARY KEY (ListNo, Ordinal));

  SET @mailitem_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004); before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_SendMail', @profile_name = @profile_name,
    @required_right = 'send', @mailbox_id = @mailbox_id OUTPUT;

  -- Recipients: every entry valid, at least one in total, at most 500.
  INSERT INTO @entries (ListNo, Ordinal, Entry, IsValid)
  SELECT x.ListNo, s.Ordinal, s.Entry, v.IsValid
  FROM (VALUES (CAST(1 AS tinyint), @recipients), (CAST(2 AS tinyint), @copy_recipients),
               (CAST(3 AS tinyint), @blind_copy_recipients), (CAST(4 AS tinyint), @reply_to)) AS x (ListNo, List)
  CROSS APPLY rc.fn_SplitAddressList(x.List) AS s
  CROSS APPLY rc.fn_IsValidAddress(s.Entry) AS v;

  SELECT TOP (1) @bad = e.Entry, @bad_list = e.ListNo
  FROM @entries AS e
  WHERE e.ListNo <= 3 AND e.IsValid = 0
  ORDER BY e.ListNo, e.Ordinal;
  IF @bad_list IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: "', @bad, N'" in ',
      CASE @bad_list WHEN 1 THEN N'@recipients' WHEN 2 THEN N'@copy_recipients' ELSE N'@blind_copy_recipients' END,
      N' is not a valid e-mail address. Use plain addresses (user@example.com, no display names) separated by '';'' or '',''.');
    THROW 50011, @message, 1;
  END;
  SELECT @total = COUNT(*) FROM @entries AS e WHERE e.ListNo <= 3;
  IF @total = 0
    THROW 50010, N'rc_SendMail: no recipient. Pass at least one address in @recipients, @copy_recipients or @blind_copy_recipients.', 1;
  IF @total > 500
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: ', @total,
      N' recipients in total, Exchange accepts at most 500 per message. Split the mail into several calls or use a distribution list.');
    THROW 50012, @message, 1;
  END;

  -- @from_address: trimmed of spaces, tabs, CR and LF like a list entry; blank → NULL.
  SET @first = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', @from_address);
  SET @last_from_end = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', REVERSE(@from_address));
  SET @from = CASE WHEN @first > 0
    THEN SUBSTRING(@from_address, @first, DATALENGTH(@from_address) / 2 - @last_from_end - @first + 2) END;
  IF @from IS NOT NULL AND NOT EXISTS (SELECT 1 FROM rc.fn_IsValidAddress(@from) AS v WHERE v.IsValid = 1)
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @from_address "', @from,
      N'" is not a valid e-mail address. Pass one plain address (user@example.com) or NULL for the mailbox''s own.');
    THROW 50013, @message, 1;
  END;
  SET @bad = NULL;
  SELECT TOP (1) @bad = e.Entry FROM @entries AS e WHERE e.ListNo = 4 AND e.IsValid = 0 ORDER BY e.Ordinal;
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: "', @bad,
      N'" in @reply_to is not a valid e-mail address. Use plain addresses (user@example.com) separated by '';'' or '',''.');
    THROW 50014, @message, 1;
  END;

  IF DATALENGTH(@subject) / 2 > 255
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @subject is ', DATALENGTH(@subject) / 2,
      N' characters long, at most 255 are allowed. Shorten the subject.');
    THROW 50023, @message, 1;
  END;
  IF DATALENGTH(@body) / 2 > 36700160
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @body is ', DATALENGTH(@body) / 2,
      N' characters long, at most 35 MB (36700160 characters) are allowed. Send the content as an attachment or shorten it.');
    THROW 50025, @message, 1;
  END;
  IF @format NOT IN (N'TEXT', N'HTML')
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @body_format "', @body_format, N'" is not valid. Use TEXT or HTML.');
    THROW 50020, @message, 1;
  END;
  IF @importance_value IS NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @importance "', @importance, N'" is not valid. Use Low, Normal or High.');
    THROW 50021, @message, 1;
  END;
  IF @sensitivity_value IS NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @sensitivity "', @sensitivity,
      N'" is not valid. Use Normal, Personal, Private or Confidential.');
    THROW 50022, @message, 1;
  END;
  IF DATALENGTH(@key) / 2 > 200
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @correlation_key is ', DATALENGTH(@key) / 2,
      N' characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).');
    THROW 50024, @message, 1;
  END;

  -- Normalised lists, aggregated from the table variable in input order.
  SELECT
    @to = STRING_AGG(CASE WHEN e.ListNo = 1 THEN e.Entry END, N';') WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal),
    @cc = STRING_AGG(CASE WHEN e.ListNo = 2 THEN e.Entry END, N';') WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal),
    @bcc = STRING_AGG(CASE WHEN e.ListNo = 3 THEN e.Entry END, N';') WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal),
    @reply = STRING_AGG(CASE WHEN e.ListNo = 4 THEN e.Entry END, N';') WITHIN GROUP (ORDER BY e.ListNo, e.Ordinal)
  FROM @entries AS e;

  SET @payload = (
    SELECT
      @to AS [recipients],
      @cc AS [copyRecipients],
      @bcc AS [blindCopyRecipients],
      @from AS [fromAddress],
      @reply AS [replyTo],
      ISNULL(@subject, N'') AS [subject],
      ISNULL(@body, N'') AS [body],
      @format AS [bodyFormat],
      @importance_value AS [importance],
      @sensitivity_value AS [sensitivity]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );

  BEGIN TRY
    IF @own_transaction = 1 BEGIN TRANSACTION;

    IF @key IS NOT NULL
      SELECT @job_id = j.JobId
      FROM rc.Jobs AS j WITH (UPDLOCK, HOLDLOCK)
      WHERE j.MailboxId = @mailbox_id AND j.Kind = 'SendMail' AND j.CorrelationKey = @key;

    IF @job_id IS NULL
    BEGIN
      -- A duplicate key from a race must not doom the transaction: XACT_ABORT OFF for this one statement, so
      -- 2601/2627 is statement-level and the existing id can be read in the same (still committable) transaction.
      SET XACT_ABORT OFF;
      BEGIN TRY
        INSERT INTO rc.Jobs (Kind, MailboxId, Payload, NotBefore, CorrelationKey, CreatedAt, CreatedBy, UpdatedAt)
        VALUES ('SendMail', @mailbox_id, @payload, @not_before, @key, @now, @caller, @now);
        SET @job_id = CONVERT(bigint, SCOPE_IDENTITY());
        SET XACT_ABORT ON;
        INSERT INTO rc.JobEvents (JobId, At, EventType, Status) VALUES (@job_id, @now, 'enqueued', 'Pending');
      END TRY
      BEGIN CATCH
        SET XACT_ABORT ON;
        IF @key IS NULL OR ERROR_NUMBER() NOT IN (2601, 2627) OR XACT_STATE() <> 1 THROW;
        -- Same correlation key committed by a concurrent call: its job stands, nothing is written.
        SELECT @job_id = j.JobId
        FROM rc.Jobs AS j
        WHERE j.MailboxId = @mailbox_id AND j.Kind = 'SendMail' AND j.CorrelationKey = @key;
        IF @job_id IS NULL THROW;
      END CATCH;
    END;

    IF @own_transaction = 1 COMMIT TRANSACTION;
  END TRY
  BEGIN CATCH
    IF @own_transaction = 1 AND XACT_STATE() <> 0 ROLLBACK TRANSACTION;
    THROW;
  END CATCH;

  SET @mailitem_id = @job_id;
  RETURN 0;
END;
GO
