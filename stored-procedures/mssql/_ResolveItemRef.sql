-- rc.rc_internal_ResolveItemRef — internal helper: the item an rc_Update* / rc_Delete* call addresses, by the
-- JobId of the create call (@target_job_id), by its Exchange ItemId (@item_id) or by the correlation key given
-- to the create call (@correlation_key). Twin of stored-procedures/postgres/_ResolveItemRef.sql (the function
-- rc.fn_ResolveItemRef there; a procedure here because T-SQL functions cannot THROW). THROWs with the calling
-- procedure's name as prefix. Opens no transaction, writes nothing.
--
-- Call it after rc_internal_ResolveProfile and before the caller writes anything:
--   EXEC rc.rc_internal_ResolveItemRef @proc_name = N'rc_UpdateAppointment', @mailbox_id = @mailbox_id,
--     @create_kind = 'CreateAppointment', @target_job_id = @target_job_id, @item_id = @item_id,
--     @correlation_key = @correlation_key, @resolved_job_id = @resolved_job_id OUTPUT,
--     @resolved_item_id = @resolved_item_id OUTPUT;
-- then write @resolved_job_id into rc.Jobs.TargetJobId and @resolved_item_id as the payload's "itemId".
--
-- Rules: exactly one of the three is given (NULL = not given; @correlation_key '' counts as NULL, as in
-- rc_SendMail). A job (by id or by key) must be a @create_kind job of the same mailbox; it may still be pending
-- (the worker waits for it), but not Failed or Cancelled. An @item_id is trimmed of spaces and must then be 1 to
-- 512 characters. When a @create_kind job of the same mailbox recorded that ItemId (rc.Jobs.ResultItemId: an item
-- rc-exchange created), the call addresses that job exactly as if @target_job_id had named it: the job is the
-- result (@resolved_item_id NULL), so the worker applies the change with the ChangeKey rc-exchange last recorded
-- for the item and records the new one where later calls by job id or key find it (Store.findTargetItem), and
-- the job rules (50064) apply. Any other ItemId is not looked up (Exchange decides whether it exists): it is the
-- result, and the worker changes the item without a known version. Either way, an earlier Delete* job of the
-- same kind and item that is not Failed or Cancelled means the item is gone or going: for a job that is a Delete*
-- job with TargetJobId = that job, or with payload itemId = that job's ResultItemId; for an @item_id a Delete*
-- job with payload itemId = @item_id, or whose target job's ResultItemId is @item_id. ItemIds are compared byte
-- for byte (case-sensitive, whatever the collation; the lookup seeks IX_Jobs_ResultItemId); correlation keys
-- with = like the unique index that made them unique (rc_SendMail's rule).
--
-- Parameters:
--   @proc_name        nvarchar(4000) the calling procedure's name as users spell it (N'rc_UpdateTask'): prefix
--   @mailbox_id       int            the calling profile's rc.Mailboxes.MailboxId
--   @create_kind      varchar(40)    'CreateAppointment' | 'CreateContact' | 'CreateTask': the kind of the job
--                                    that created the item (the Delete* kind is derived from it)
--   @target_job_id    bigint         the create call's JobId, or NULL
--   @item_id          nvarchar(max)  an Exchange ItemId, or NULL
--   @correlation_key  nvarchar(max)  the create call's @correlation_key, or NULL
--   @resolved_job_id  bigint         OUTPUT: the create job's JobId (NULL for an @item_id no create job recorded)
--   @resolved_item_id nvarchar(512)  OUTPUT: the trimmed @item_id when no create job recorded it, else NULL
-- Result: @resolved_job_id, @resolved_item_id (exactly one is non-NULL); return code 0.
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R00nn'):
--   50060 none, or more than one, of @target_job_id, @item_id and @correlation_key given
--   50061 @target_job_id is not a @create_kind job of this profile
--   50024 @correlation_key longer than 200 characters
--   50062 no @create_kind job of this profile has that @correlation_key
--   50063 @item_id blank or longer than 512 characters (after trimming)
--   50064 the create job (named, or the one that recorded @item_id) is Failed or Cancelled: no item to change
--   50065 an earlier Delete* job of the item is not Failed or Cancelled: the item is deleted or being deleted

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ResolveItemRef', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ResolveItemRef AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ResolveItemRef
  @proc_name nvarchar(4000),
  @mailbox_id int,
  @create_kind varchar(40),
  @target_job_id bigint,
  @item_id nvarchar(max),
  @correlation_key nvarchar(max),
  @resolved_job_id bigint OUTPUT,
  @resolved_item_id nvarchar(512) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  -- '' → NULL, but '  ' stays a key (T-SQL's = would pad: compare the length instead).
  DECLARE @key nvarchar(max) = CASE WHEN DATALENGTH(@correlation_key) = 0 THEN NULL ELSE @correlation_key END;
  DECLARE @item nvarchar(max) = LTRIM(RTRIM(@item_id));
  DECLARE @item_key nvarchar(512);
  DECLARE @given int = IIF(@target_job_id IS NULL, 0, 1) + IIF(@item_id IS NULL, 0, 1) + IIF(@key IS NULL, 0, 1);
  DECLARE @delete_kind varchar(40) = CONCAT('Delete', SUBSTRING(@create_kind, 7, 40));
  DECLARE @noun nvarchar(40) = LOWER(SUBSTRING(@create_kind, 7, 40));
  DECLARE @profile nvarchar(128);
  DECLARE @status varchar(16);
  DECLARE @result_item varbinary(1024);
  DECLARE @delete_job_id bigint;
  DECLARE @message nvarchar(2048);

  SET @resolved_job_id = NULL;
  SET @resolved_item_id = NULL;
  SELECT @profile = m.ProfileName FROM rc.Mailboxes AS m WHERE m.MailboxId = @mailbox_id;

  IF @given <> 1
  BEGIN
    SET @message = CONCAT(@proc_name, N': ', CASE WHEN @given = 0 THEN N'none' ELSE CONCAT(@given, N'') END,
      N' of @target_job_id, @item_id and @correlation_key given, exactly one must name the item. Pass the JobId the create call returned, the Exchange ItemId (rc.Jobs.ResultItemId) or the create call''s correlation key.');
    THROW 50060, @message, 1;
  END;

  IF @target_job_id IS NOT NULL
  BEGIN
    SELECT @resolved_job_id = j.JobId, @status = j.Status, @result_item = CAST(j.ResultItemId AS varbinary(1024))
    FROM rc.Jobs AS j
    WHERE j.JobId = @target_job_id AND j.MailboxId = @mailbox_id AND j.Kind = @create_kind;
    IF @resolved_job_id IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @target_job_id ', @target_job_id, N' is not a ', @create_kind,
        N' job of mail profile "', @profile, N'". Pass the JobId that rc_', @create_kind, N' returned for this profile.');
      THROW 50061, @message, 1;
    END;
  END
  ELSE IF @key IS NOT NULL
  BEGIN
    IF DATALENGTH(@key) / 2 > 200
    BEGIN
      SET @message = CONCAT(@proc_name, N': @correlation_key is ', DATALENGTH(@key) / 2,
        N' characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).');
      THROW 50024, @message, 1;
    END;
    SELECT @resolved_job_id = j.JobId, @status = j.Status, @result_item = CAST(j.ResultItemId AS varbinary(1024))
    FROM rc.Jobs AS j
    WHERE j.MailboxId = @mailbox_id AND j.Kind = @create_kind AND j.CorrelationKey = @key;
    IF @resolved_job_id IS NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': no ', @create_kind, N' job of mail profile "', @profile,
        N'" has @correlation_key "', @key, N'". Pass the key given to rc_', @create_kind, N' for this profile.');
      THROW 50062, @message, 1;
    END;
  END
  ELSE
  BEGIN
    IF DATALENGTH(@item) = 0 OR DATALENGTH(@item) / 2 > 512
    BEGIN
      SET @message = CONCAT(@proc_name, N': @item_id is ', DATALENGTH(@item) / 2,
        N' characters long (after trimming), an Exchange ItemId has 1 to 512. Pass the id from rc.Jobs.ResultItemId, or name the item by @target_job_id or @correlation_key.');
      THROW 50063, @message, 1;
    END;
    -- An item rc-exchange created: address its create job. @item_key has the column's type, so the = seeks
    -- IX_Jobs_ResultItemId under the column's collation; the varbinary = then compares byte for byte.
    SET @item_key = @item;
    SELECT TOP (1) @resolved_job_id = j.JobId, @status = j.Status,
      @result_item = CAST(j.ResultItemId AS varbinary(1024))
    FROM rc.Jobs AS j
    WHERE j.ResultItemId = @item_key
      AND j.ResultItemId IS NOT NULL
      AND CAST(j.ResultItemId AS varbinary(1024)) = CAST(@item_key AS varbinary(1024))
      AND j.MailboxId = @mailbox_id
      AND j.Kind = @create_kind
    ORDER BY j.JobId DESC;
    IF @resolved_job_id IS NULL
    BEGIN
      SET @resolved_item_id = @item_key;
      SET @result_item = CAST(@resolved_item_id AS varbinary(1024));
    END;
  END;

  IF @status IN ('Failed', 'Cancelled')
  BEGIN
    SET @message = CONCAT(@proc_name, N': ', @create_kind, N' job ', @resolved_job_id, N' is ', @status,
      N', so there is no ', @noun, N' to change or delete. Create the ', @noun,
      N' again, or retry that job (rc_RetryJob) first.');
    THROW 50064, @message, 1;
  END;

  SELECT TOP (1) @delete_job_id = d.JobId
  FROM rc.Jobs AS d
  LEFT JOIN rc.Jobs AS t ON t.JobId = d.TargetJobId
  WHERE d.MailboxId = @mailbox_id
    AND d.Kind = @delete_kind
    AND d.Status NOT IN ('Failed', 'Cancelled')
    AND (
      (@resolved_job_id IS NOT NULL AND d.TargetJobId = @resolved_job_id)
      OR CAST(JSON_VALUE(d.Payload, '$.itemId') AS varbinary(1024)) = @result_item
      OR CAST(t.ResultItemId AS varbinary(1024)) = @result_item
    )
  ORDER BY d.JobId;
  IF @delete_job_id IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the ', @noun, N' is already deleted or being deleted by ', @delete_kind,
      N' job ', @delete_job_id, N'. There is nothing left to change or delete; create a new ', @noun, N' instead.');
    THROW 50065, @message, 1;
  END;
  RETURN 0;
END;
GO
