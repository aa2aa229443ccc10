-- rc.rc_SendMail — queue one e-mail for sending through an rc mailbox profile; a drop-in for
-- msdb.dbo.sp_send_dbmail. Twin of stored-procedures/postgres/rc_SendMail.sql (same checks, order, numbers,
-- messages and payload).
--
-- Writes one rc.Jobs row (Kind 'SendMail', Status 'Pending'), one rc.JobEvents 'enqueued' row and one
-- rc.JobAttachments row per attachment (content from @attachments, or the path of a @file_attachments file). Validation
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
--   @file_attachments      nvarchar(max)   NULL      files the worker attaches, as sp_send_dbmail: absolute paths
--                                                    separated by ';' (Windows C:\x\y.pdf, \\server\share\y.pdf or
--                                                    POSIX /srv/y.pdf), each at most 1024 characters, no '..' segment,
--                                                    no control characters, ending in a file name of 1..255
--                                                    characters. Only the form is checked here: the worker reads them
--                                                    and refuses any file outside its RC_FILE_ATTACHMENT_DIR.
--   @attachments           rc.AttachmentList READONLY (no default; leave it out for none) attachments from SQL, one
--                                                    row each: name (1..255 characters, trimmed of spaces, no '/', '\'
--                                                    or control characters), content varbinary(max) (required; 0x,
--                                                    an empty file, is allowed), content_type (optional, at most 255
--                                                    characters, type/subtype; NULL → derived by the worker from the
--                                                    name's extension, else application/octet-stream), content_id
--                                                    (optional, at most 255 characters without spaces, angle brackets
--                                                    or control characters, unique per mail: the HTML body shows it
--                                                    with <img src="cid:…">), is_inline (NULL → 1 when content_id is
--                                                    given, else 0; 1 needs a content_id). Rows are stored in the
--                                                    order the table variable holds them (the order they were
--                                                    inserted), before the @file_attachments.
--   @categories            nvarchar(max)   NULL      Exchange categories separated by ';' or ',' (rc.rc_internal_Categories)
--   @request_read_receipt  bit             NULL      1 → ask for a read receipt (NULL → 0)
--   @request_delivery_receipt bit          NULL      1 → ask for a delivery receipt (NULL → 0)
--   @save_to_sent          bit             NULL      keep a copy in Sent Items: NULL → the worker's RC_EWS_SAVE_SENT_COPY
--                                                    (default 1). 0 keeps no copy, and then a retry cannot find the sent
--                                                    mail: a crash between Exchange accepting it and SQL recording it
--                                                    sends it again (at least once instead of exactly once).
-- Limits: at most 250 attachments (@attachments rows and @file_attachments entries together); body characters
--   plus @attachments bytes at most 35 MB (36,700,160; Exchange's default message size limit). The size of files
--   is only known to the worker: it applies the same limit before sending and fails the job when it is exceeded.
-- Result: @mailitem_id. With a @correlation_key already used for this profile, the existing job's id, and
--   nothing is written. The key is looked up WITH (UPDLOCK, HOLDLOCK) so a concurrent caller with the same key
--   waits for the first to commit; where hints are ignored (Babelfish) the unique index UX_Jobs_CorrelationKey
--   stops the second INSERT (2601/2627) and the existing id is returned all the same.
--   Return code 0.
-- Payload (rc.Jobs.Payload, JSON): {"recipients","copyRecipients","blindCopyRecipients","fromAddress","replyTo",
--   "subject","body","bodyFormat","importance","sensitivity","categories","readReceipt","deliveryReceipt",
--   "saveToSent"}; lists normalised to 'a@x.com;b@y.com', empty → null (FOR JSON PATH with INCLUDE_NULL_VALUES,
--   so absent values are JSON null, not missing keys); categories a JSON array of strings ([] for none);
--   saveToSent null = the worker's default. Attachments never enter the payload (no FOR JSON over varbinary):
--   they are rows of rc.JobAttachments (Ordinal = position, 1-based) written in the same transaction.
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
--   50055 an entry of @categories longer than 255 characters, or more than 50 categories
--                                                                          (raised by rc.rc_internal_Categories)
--   50030 an @attachments row has no name (NULL or blank)
--   50031 an @attachments name is longer than 255 characters
--   50032 an @attachments name holds a path separator ('/' or '\') or a control character
--   50033 an @attachments row has no content (NULL; 0x is an empty file and allowed)
--   50034 an @attachments content_type is longer than 255 characters, not type/subtype, or holds control characters
--   50035 an @attachments content_id is longer than 255 characters or holds spaces, '<', '>' or control characters
--   50036 an @attachments row has is_inline = 1 but no content_id
--   50037 two @attachments rows have the same content_id (compared case-insensitively)
--   50040 an @file_attachments entry is longer than 1024 characters
--   50041 an @file_attachments entry holds a control character
--   50042 an @file_attachments entry is not an absolute path
--   50043 an @file_attachments entry has a '..' segment
--   50044 an @file_attachments entry does not end in a file name of 1 to 255 characters
--   50038 more than 250 attachments (@attachments rows and @file_attachments entries together)
--   50039 body and @attachments together larger than 35 MB (36,700,160 bytes; body counted in characters)
-- Rows of @attachments are numbered 1, 2, … by their ordinal column (rows without one after those, in the order
-- the table variable holds them; rc-exchange's own client always sets it), entries of
-- @file_attachments 1, 2, … after dropping empty entries; messages name the row or entry and its name.
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
  @mailitem_id bigint = NULL OUTPUT,
  -- Added after @mailitem_id so positional calls written for the earlier parameter list keep working.
  @file_attachments nvarchar(max) = NULL,
  @attachments rc.AttachmentList READONLY,
  @categories nvarchar(max) = NULL,
  @request_read_receipt bit = NULL,
  @request_delivery_receipt bit = NULL,
  @save_to_sent bit = NULL
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
  DECLARE @categories_json nvarchar(max);
  -- @attachments without their content (read from the table-valued parameter once more by the INSERT): names,
  -- types and ids trimmed of spaces ('' → NULL), lengths in UTF-16 code units, content size in bytes.
  DECLARE @rows TABLE (Ordinal int NOT NULL PRIMARY KEY, Name nvarchar(4000) NULL, NameLength int NULL,
    NameHasControl bit NOT NULL, ContentType nvarchar(4000) NULL, ContentTypeHasControl bit NOT NULL,
    ContentId nvarchar(4000) NULL, ContentIdHasControl bit NOT NULL, IsInline bit NULL, Size bigint NULL);
  -- @file_attachments entries, trimmed, empty ones dropped; FileName = the text after the last '/' or '\'.
  DECLARE @files TABLE (Ordinal int NOT NULL PRIMARY KEY, Path nvarchar(max) NOT NULL, PathLength bigint NOT NULL,
    HasControl bit NOT NULL, FileName nvarchar(max) NOT NULL);
  DECLARE @row int;
  DECLARE @row_name nvarchar(4000);
  DECLARE @other_row int;
  DECLARE @list_length bigint = ISNULL(DATALENGTH(@file_attachments) / 2, 0);
  DECLARE @position bigint = 1;
  DECLARE @cut bigint;
  DECLARE @file_count int = 0;
  DECLARE @attachment_count int;
  DECLARE @total_bytes bigint;

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

  -- Categories (50055).
  EXEC rc.rc_internal_Categories @proc_name = N'rc_SendMail', @categories = @categories,
    @json = @categories_json OUTPUT;

  -- @attachments, one rule after the other over all rows (50030–50037); the first offending row is reported.
  INSERT INTO @rows (Ordinal, Name, NameLength, NameHasControl, ContentType, ContentTypeHasControl, ContentId,
    ContentIdHasControl, IsInline, Size)
  SELECT r.Ordinal, r.Name, DATALENGTH(r.Name) / 2, n.HasControl, r.ContentType, t.HasControl, r.ContentId,
    i.HasControl, r.IsInline, r.Size
  FROM (
    SELECT
      CAST(ROW_NUMBER() OVER (ORDER BY CASE WHEN a.ordinal IS NULL THEN 1 ELSE 0 END, a.ordinal) AS int) AS Ordinal,
      NULLIF(LTRIM(RTRIM(a.name)), N'') AS Name,
      NULLIF(LTRIM(RTRIM(a.content_type)), N'') AS ContentType,
      NULLIF(LTRIM(RTRIM(a.content_id)), N'') AS ContentId,
      a.is_inline AS IsInline,
      DATALENGTH(a.content) AS Size
    FROM @attachments AS a
  ) AS r
  CROSS APPLY rc.fn_HasControlCharacter(r.Name) AS n
  CROSS APPLY rc.fn_HasControlCharacter(r.ContentType) AS t
  CROSS APPLY rc.fn_HasControlCharacter(r.ContentId) AS i;

  SELECT TOP (1) @row = r.Ordinal FROM @rows AS r WHERE r.Name IS NULL ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row,
      N' has no name. Give every attachment a file name such as invoice-4711.pdf.');
    THROW 50030, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name FROM @rows AS r WHERE r.NameLength > 255 ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' has a name of ',
      DATALENGTH(@row_name) / 2, N' characters ("', LEFT(@row_name, 40),
      N'…"), at most 255 are allowed. Shorten the name.');
    THROW 50031, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name
  FROM @rows AS r
  WHERE r.NameHasControl = 1 OR CHARINDEX(N'/', r.Name) > 0 OR CHARINDEX(N'\', r.Name) > 0
  ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name,
      N'") has a name with a path separator or a control character. Pass the bare file name (invoice-4711.pdf); files named by their path belong in @file_attachments.');
    THROW 50032, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name FROM @rows AS r WHERE r.Size IS NULL ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name,
      N'") has no content. Pass the file''s bytes in content (T-SQL: varbinary, 0x for an empty file; PostgreSQL: base64 text, '''' for an empty file).');
    THROW 50033, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name, @bad = r.ContentType
  FROM @rows AS r
  WHERE DATALENGTH(r.ContentType) / 2 > 255 OR r.ContentTypeHasControl = 1 OR CHARINDEX(N'/', r.ContentType) < 2
    OR CHARINDEX(N'/', r.ContentType) = DATALENGTH(r.ContentType) / 2
  ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name, N'"): content_type "',
      LEFT(@bad, 300),
      N'" is not a MIME type of at most 255 characters. Pass one like application/pdf, or NULL to derive it from the name.');
    THROW 50034, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name, @bad = r.ContentId
  FROM @rows AS r
  WHERE DATALENGTH(r.ContentId) / 2 > 255 OR r.ContentIdHasControl = 1 OR CHARINDEX(N' ', r.ContentId) > 0
    OR CHARINDEX(N'<', r.ContentId) > 0 OR CHARINDEX(N'>', r.ContentId) > 0
  ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name, N'"): content_id "',
      LEFT(@bad, 300),
      N'" is not valid. Use at most 255 characters without spaces, angle brackets or control characters (logo-1), and reference it in the HTML body as cid:logo-1.');
    THROW 50035, @message, 1;
  END;
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name FROM @rows AS r
  WHERE r.IsInline = 1 AND r.ContentId IS NULL ORDER BY r.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name, N'"): ',
      N'is_inline is set but content_id is empty',
      N'. An inline attachment needs a content_id that the HTML body shows with <img src="cid:…">; give one or set is_inline to 0.');
    THROW 50036, @message, 1;
  END;
  -- Compared byte for byte after LOWER, whatever the collation (ids are at most 255 code units here).
  SELECT TOP (1) @row = r.Ordinal, @row_name = r.Name, @bad = r.ContentId, @other_row = d.Ordinal
  FROM @rows AS r
  JOIN @rows AS d ON d.Ordinal < r.Ordinal
    AND CAST(LOWER(d.ContentId) AS varbinary(510)) = CAST(LOWER(r.ContentId) AS varbinary(510))
  ORDER BY r.Ordinal, d.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @attachments row ', @row, N' ("', @row_name, N'"): content_id "', @bad,
      N'" is already used by row ', @other_row, N'. Give every attachment its own content_id.');
    THROW 50037, @message, 1;
  END;

  -- @file_attachments: split on ';' only (a path may hold ','), entries trimmed of spaces, tabs, CR and LF.
  WHILE @position <= @list_length
  BEGIN
    SET @cut = CHARINDEX(N';', @file_attachments, @position);
    IF @cut = 0 SET @cut = @list_length + 1;
    SET @bad = SUBSTRING(@file_attachments, @position, @cut - @position);
    SET @position = @cut + 1;
    SET @first = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', @bad);
    IF @first > 0
    BEGIN
      SET @last_from_end = PATINDEX(N'%[^ ' + NCHAR(9) + NCHAR(10) + NCHAR(13) + N']%', REVERSE(@bad));
      SET @bad = SUBSTRING(@bad, @first, DATALENGTH(@bad) / 2 - @last_from_end - @first + 2);
      SET @file_count += 1;
      -- Entries longer than 1024 characters fail first (50040): the other checks need not look at them.
      INSERT INTO @files (Ordinal, Path, PathLength, HasControl, FileName)
      SELECT @file_count, @bad, DATALENGTH(@bad) / 2, c.HasControl,
        RIGHT(@bad, PATINDEX(N'%[/\]%', REVERSE(@bad) + N'/') - 1)
      FROM rc.fn_HasControlCharacter(CASE WHEN DATALENGTH(@bad) / 2 <= 1024 THEN @bad END) AS c;
    END;
  END;
  SET @bad = NULL;

  SET @row = NULL;
  SELECT TOP (1) @row = f.Ordinal, @total = f.PathLength FROM @files AS f WHERE f.PathLength > 1024 ORDER BY f.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @file_attachments entry ', @row, N' is ', @total,
      N' characters long, at most 1024 are allowed. Use a shorter path (separate files with '';'').');
    THROW 50040, @message, 1;
  END;
  SELECT TOP (1) @row = f.Ordinal FROM @files AS f WHERE f.HasControl = 1 ORDER BY f.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @file_attachments entry ', @row,
      N' holds a control character. Pass plain paths separated by '';''.');
    THROW 50041, @message, 1;
  END;
  -- Absolute: /… (POSIX), \\server\share\… (UNC) or a drive letter with ':\' or ':/'.
  SELECT TOP (1) @row = f.Ordinal, @bad = f.Path
  FROM @files AS f
  WHERE NOT (
    LEFT(f.Path, 1) = N'/' OR LEFT(f.Path, 2) = N'\\'
    OR ((UNICODE(f.Path) BETWEEN 65 AND 90 OR UNICODE(f.Path) BETWEEN 97 AND 122)
        AND SUBSTRING(f.Path, 2, 1) = N':' AND SUBSTRING(f.Path, 3, 1) IN (N'\', N'/'))
  )
  ORDER BY f.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @file_attachments entry ', @row, N' ("', @bad,
      N'") is not an absolute path. Give the full path of a file in the directory the worker allows (RC_FILE_ATTACHMENT_DIR), e.g. /srv/rc-files/invoice-4711.pdf or D:\rc-files\invoice-4711.pdf.');
    THROW 50042, @message, 1;
  END;
  SELECT TOP (1) @row = f.Ordinal, @bad = f.Path
  FROM @files AS f
  WHERE CHARINDEX(N'/../', REPLACE(f.Path, N'\', N'/') + N'/') > 0
  ORDER BY f.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @file_attachments entry ', @row, N' ("', @bad,
      N'") has a ''..'' segment. Name the file by its direct path below the directory the worker allows.');
    THROW 50043, @message, 1;
  END;
  SELECT TOP (1) @row = f.Ordinal, @bad = f.Path
  FROM @files AS f
  WHERE DATALENGTH(f.FileName) = 0 OR DATALENGTH(f.FileName) / 2 > 255
  ORDER BY f.Ordinal;
  IF @row IS NOT NULL
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: @file_attachments entry ', @row, N' ("', @bad,
      N'") does not end in a file name of 1 to 255 characters. Name a file, not a directory.');
    THROW 50044, @message, 1;
  END;

  SELECT @attachment_count = COUNT(*) + @file_count FROM @rows;
  IF @attachment_count > 250
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: ', @attachment_count,
      N' attachments (@attachments and @file_attachments together), at most 250 are allowed. Zip them into fewer files or split the mail.');
    THROW 50038, @message, 1;
  END;
  SELECT @total_bytes = ISNULL(DATALENGTH(@body) / 2, 0) + ISNULL(SUM(r.Size), 0) FROM @rows AS r;
  IF @total_bytes > 36700160
  BEGIN
    SET @message = CONCAT(N'rc_SendMail: body and @attachments are ', @total_bytes,
      N' bytes together, at most 35 MB (36700160 bytes) are allowed (Exchange''s default message size). Send fewer or smaller attachments, or a link to the files.');
    THROW 50039, @message, 1;
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
      @sensitivity_value AS [sensitivity],
      JSON_QUERY(@categories_json) AS [categories],
      CAST(ISNULL(@request_read_receipt, 0) AS bit) AS [readReceipt],
      CAST(ISNULL(@request_delivery_receipt, 0) AS bit) AS [deliveryReceipt],
      @save_to_sent AS [saveToSent]
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
        -- The content is read from the table-valued parameter here, not copied into @rows: row numbers of the
        -- same unchanged table variable come out the same in both reads.
        INSERT INTO rc.JobAttachments (JobId, Name, ContentType, ContentId, IsInline, Content, FilePath, SizeBytes,
          Ordinal)
        -- Straight from the parameter (every row passed the checks above): content is read once and never
        -- joined back to @rows, whose numbering a second scan need not reproduce.
        SELECT @job_id, r.Name, r.ContentType, r.ContentId,
          CASE WHEN r.IsInline IS NOT NULL THEN r.IsInline WHEN r.ContentId IS NOT NULL THEN 1 ELSE 0 END,
          r.Content, NULL, DATALENGTH(r.Content), r.Ordinal
        FROM (
          SELECT
            CAST(ROW_NUMBER() OVER (ORDER BY CASE WHEN a.ordinal IS NULL THEN 1 ELSE 0 END, a.ordinal) AS int)
              AS Ordinal,
            NULLIF(LTRIM(RTRIM(a.name)), N'') AS Name,
            NULLIF(LTRIM(RTRIM(a.content_type)), N'') AS ContentType,
            NULLIF(LTRIM(RTRIM(a.content_id)), N'') AS ContentId,
            a.is_inline AS IsInline,
            a.content AS Content
          FROM @attachments AS a
        ) AS r;
        INSERT INTO rc.JobAttachments (JobId, Name, ContentType, ContentId, IsInline, Content, FilePath, SizeBytes,
          Ordinal)
        SELECT @job_id, f.FileName, NULL, NULL, 0, NULL, f.Path, NULL, @attachment_count - @file_count + f.Ordinal
        FROM @files AS f;
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
