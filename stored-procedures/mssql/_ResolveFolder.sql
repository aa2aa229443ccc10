-- rc.rc_internal_ResolveFolder — internal helper: turns a procedure's folder parameters (@calendar_name /
-- @folder_name and @target_profile) into the FolderTarget JSON the worker reads (worker/exchange/gateway.ts).
-- Twin of stored-procedures/postgres/_ResolveFolder.sql (the function rc.fn_ResolveFolder there; a procedure
-- here because T-SQL functions cannot THROW). THROWs with the calling procedure's name as prefix, so the caller's
-- errors read exactly as if it had made the checks itself.
--
-- Call it after rc_internal_ResolveProfile and before the caller writes anything:
--   EXEC rc.rc_internal_ResolveFolder @proc_name = N'rc_CreateAppointment', @param_name = N'@calendar_name',
--     @mailbox_id = @mailbox_id, @folder_name = @calendar_name, @target_profile = @target_profile,
--     @folder = @folder OUTPUT;
-- then embed it in the payload with JSON_QUERY(@folder) AS [folder]. Opens no transaction, writes nothing.
--
-- Folder names: the value is trimmed of spaces. NULL or blank → the kind's default folder. 'public:<path>' (prefix
-- in any case) → a public folder path below the public folder root. Anything else → a folder below the default
-- folder, one level ('Production plan') or a '/' path ('Plans/Production'). Segments are separated by '/', each
-- trimmed of spaces, and must be 1 to 255 characters without control characters (U+0000–U+001F, U+007F–U+009F);
-- the whole value at most 4000 characters. Lengths count UTF-16 code units (DATALENGTH / 2); PostgreSQL counts
-- characters: they differ only outside the Basic Multilingual Plane.
-- Target profile: trimmed; NULL or blank → the calling profile's own mailbox. Else the profile must exist, be
-- enabled and grant the caller (ORIGINAL_LOGIN(), or 'public') CanWrite; its mailbox becomes the owner. A target
-- profile naming the calling profile's own mailbox gives owner null, like no target at all.
--
-- Parameters:
--   @proc_name      nvarchar(4000) the calling procedure's name as users spell it (N'rc_CreateContact'): prefix
--   @param_name     sysname        the caller's folder parameter as users spell it (N'@calendar_name' or
--                                  N'@folder_name'), named in 50050 and 50054
--   @mailbox_id     int            the calling profile's rc.Mailboxes.MailboxId (from rc_internal_ResolveProfile)
--   @folder_name    nvarchar(max)  the folder name as the caller received it
--   @target_profile nvarchar(max)  the target profile as the caller received it
--   @folder         nvarchar(max)  OUTPUT: {"owner": null | "<SmtpAddress of the target profile>", "location":
--                                  {"kind":"default"} | {"kind":"named","name":"A/B"} |
--                                  {"kind":"public","path":"Sales/Customers"}} (segments trimmed, joined by '/')
-- Result: @folder; return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R00nn'):
--   50050 the folder name breaks a rule above (the message names the rule and the segment)
--   50054 a public folder together with a @target_profile (public folders belong to no mailbox)
--   50051 @target_profile names no rc mail profile
--   50052 the @target_profile is disabled (rc.Mailboxes.Enabled = 0)
--   50053 the caller (or 'public') has no CanWrite grant on the @target_profile

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ResolveFolder', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ResolveFolder AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ResolveFolder
  @proc_name nvarchar(4000),
  @param_name sysname,
  @mailbox_id int,
  @folder_name nvarchar(max),
  @target_profile nvarchar(max),
  @folder nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @caller nvarchar(128) = ORIGINAL_LOGIN();
  DECLARE @name nvarchar(max) = LTRIM(RTRIM(@folder_name));
  DECLARE @target nvarchar(max) = LTRIM(RTRIM(@target_profile));
  DECLARE @is_public bit = 0;
  DECLARE @rest nvarchar(max);
  DECLARE @path nvarchar(max);
  DECLARE @segment nvarchar(max);
  DECLARE @segment_no int = 0;
  DECLARE @slash bigint;
  DECLARE @position int;
  DECLARE @code int;
  DECLARE @problem nvarchar(400);
  DECLARE @location nvarchar(max);
  DECLARE @owner nvarchar(320);
  DECLARE @target_mailbox_id int;
  DECLARE @target_enabled bit;
  DECLARE @message nvarchar(2048);

  SET @folder = NULL;
  IF DATALENGTH(@name) = 0 SET @name = NULL;
  IF DATALENGTH(@target) = 0 SET @target = NULL;

  -- Folder name: split at '/', check every segment, rebuild the path from the trimmed segments.
  IF @name IS NOT NULL
  BEGIN
    IF DATALENGTH(@name) / 2 > 4000
      SET @problem = CONCAT(N'it is ', DATALENGTH(@name) / 2, N' characters long, at most 4000 are allowed');
    ELSE
    BEGIN
      IF LOWER(LEFT(@name, 7)) = N'public:'
      BEGIN
        SET @is_public = 1;
        SET @rest = SUBSTRING(@name, 8, 4000);
      END
      ELSE
        SET @rest = @name;
      WHILE @problem IS NULL AND @rest IS NOT NULL
      BEGIN
        SET @segment_no = @segment_no + 1;
        SET @slash = CHARINDEX(N'/', @rest);
        IF @slash = 0
        BEGIN
          SET @segment = @rest;
          SET @rest = NULL;
        END
        ELSE
        BEGIN
          SET @segment = LEFT(@rest, @slash - 1);
          SET @rest = SUBSTRING(@rest, @slash + 1, 4000);
        END;
        SET @segment = LTRIM(RTRIM(@segment));
        IF DATALENGTH(@segment) = 0
          SET @problem = CONCAT(N'segment ', @segment_no, N' is empty');
        ELSE IF DATALENGTH(@segment) / 2 > 255
          SET @problem = CONCAT(N'segment ', @segment_no, N' is ', DATALENGTH(@segment) / 2,
            N' characters long, at most 255 are allowed');
        ELSE
        BEGIN
          -- A character loop, not PATINDEX: character ranges in a LIKE pattern follow the collation.
          SET @position = 1;
          WHILE @problem IS NULL AND @position <= DATALENGTH(@segment) / 2
          BEGIN
            SET @code = UNICODE(SUBSTRING(@segment, @position, 1));
            IF @code < 32 OR @code BETWEEN 127 AND 159
              SET @problem = CONCAT(N'segment ', @segment_no, N' contains a control character (code ', @code, N')');
            SET @position = @position + 1;
          END;
        END;
        SET @path = CONCAT(@path, CASE WHEN @segment_no > 1 THEN N'/' END, @segment);
      END;
    END;
    IF @problem IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': ', @param_name, N' "', @folder_name, N'" is not a valid folder name: ',
        @problem, N'. Name a folder as Name or Parent/Child (segments of 1 to 255 characters, no control characters), as public:Path/To/Folder for a public folder, or pass NULL for the default folder.');
      THROW 50050, @message, 1;
    END;
  END;

  IF @is_public = 1 AND @target IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': ', @param_name, N' names the public folder "', @path,
      N'" and @target_profile is "', @target,
      N'", but public folders belong to no mailbox. Pass @target_profile = NULL for a public folder, or name a folder of that profile''s mailbox.');
    THROW 50054, @message, 1;
  END;

  IF @target IS NOT NULL
  BEGIN
    SELECT @target_mailbox_id = m.MailboxId, @target_enabled = m.Enabled, @owner = m.SmtpAddress
    FROM rc.Mailboxes AS m
    WHERE LOWER(m.ProfileName) = LOWER(@target);
    IF @target_mailbox_id IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @target_profile "', @target,
        N'" does not exist. Check the name against rc.Mailboxes or create it with rc_AddMailbox.');
      THROW 50051, @message, 1;
    END;
    IF @target_enabled = 0
    BEGIN
      SET @message = CONCAT(@proc_name, N': @target_profile "', @target,
        N'" is disabled. Enable it (rc.Mailboxes.Enabled) or write to another profile''s folders.');
      THROW 50052, @message, 1;
    END;
    IF NOT EXISTS (
      SELECT 1 FROM rc.MailboxGrants AS g
      WHERE g.MailboxId = @target_mailbox_id AND g.CanWrite = 1 AND LOWER(g.Principal) IN (LOWER(@caller), N'public')
    )
    BEGIN
      SET @message = CONCAT(@proc_name, N': principal "', @caller, N'" has no write right (can_write) on @target_profile "',
        @target, N'". Ask the database owner to grant it with rc_GrantMailbox, or use a profile you may write to.');
      THROW 50053, @message, 1;
    END;
    IF @target_mailbox_id = @mailbox_id SET @owner = NULL;
  END;

  IF @path IS NULL
    SET @location = N'{"kind":"default"}';
  ELSE IF @is_public = 1
    SET @location = (SELECT N'public' AS [kind], @path AS [path] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER);
  ELSE
    SET @location = (SELECT N'named' AS [kind], @path AS [name] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER);
  SET @folder = (
    SELECT @owner AS [owner], JSON_QUERY(@location) AS [location]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );
  RETURN 0;
END;
GO
