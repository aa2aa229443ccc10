-- rc.rc_CreateContact — queue the creation of one contact in an rc mailbox profile's contacts: its default
-- Contacts folder, a named contacts folder (created on first use), another profile's mailbox, or an EWS public
-- contacts folder. Twin of stored-procedures/postgres/rc_CreateContact.sql (same checks, order, numbers, messages
-- and payload).
--
-- Writes one rc.Jobs row (Kind 'CreateContact', Status 'Pending') and one rc.JobEvents 'enqueued' row.
-- Validation happens before anything is written. The caller is ORIGINAL_LOGIN(); callers need EXECUTE only.
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). Everything before it only reads.
--
-- Parameters (declared wider than stored so over-long input is reported; text fields trimmed of spaces, tabs, CR
-- and LF; '' = not given):
--   @profile_name          nvarchar(4000) NULL  rc mailbox profile that does the work (needs the write right)
--   @given_name            nvarchar(max)  NULL  first name, at most 255 characters
--   @middle_name           nvarchar(max)  NULL  at most 255
--   @surname               nvarchar(max)  NULL  last name, at most 255
--   @display_name          nvarchar(max)  NULL  at most 255; NULL → given + middle + surname, else company, else e-mail 1
--   @company_name          nvarchar(max)  NULL  at most 255
--   @department            nvarchar(max)  NULL  at most 255
--   @job_title             nvarchar(max)  NULL  at most 255
--   @email_address1..3     nvarchar(max)  NULL  one plain valid address each (rc.fn_IsValidAddress)
--   @business_phone        nvarchar(max)  NULL  at most 255 (@home_phone, @mobile_phone, @business_fax the same)
--   @business_street, @business_city, @business_state, @business_postal_code, @business_country
--                          nvarchar(max)  NULL  business postal address, each part at most 255 (@home_… the same)
--   @web_page              nvarchar(max)  NULL  http:// or https:// URL, at most 2048
--   @birthday              date           NULL  1601-01-01 … 4500-12-31
--   @notes                 nvarchar(max)  NULL  the contact's notes (plain text, kept as given), at most 35 MB
--   @categories            nvarchar(max)  NULL  ';' or ',' separated (rc.rc_internal_Categories)
--   @folder_name           nvarchar(max)  NULL  NULL → default Contacts; 'Name' or 'A/B' → a contacts folder below
--                                              it (created on first use); 'public:Path/To' → an EWS public folder
--   @target_profile        nvarchar(max)  NULL  another profile whose mailbox holds the contact (needs CanWrite)
--   @correlation_key       nvarchar(max)  NULL  caller's idempotency key, at most 200 characters; '' → NULL
--   @job_id                bigint         OUTPUT the JobId
-- Result: @job_id. With a @correlation_key already used for this profile and kind, the existing job's id, and
--   nothing is written (rc.rc_internal_EnqueueJob: rc_SendMail's UPDLOCK/HOLDLOCK + unique-index handling).
--   Return code 0.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": ContactFields} (rc.rc_internal_ContactFields with
--   @partial = 0: every key present).
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 @profile_name missing or blank                            (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                            (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled                                   (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite       (raised by rc.rc_internal_ResolveProfile)
--   50300 the fields as JSON are not an object   (not reachable here: rc_internal_ContactFields serves rc_SyncFolder too)
--   50301 unknown or repeated key                (not reachable here)
--   50302 a value is not a JSON string           (not reachable here)
--   50310 clear_fields invalid                   (not reachable here: updates only)
--   50309 nothing to change                      (not reachable here: updates only)
--   50304 a text field is longer than 255 characters                  (raised by rc.rc_internal_ContactFields)
--   50305 an e-mail address is not a plain valid address              (raised by rc.rc_internal_ContactFields)
--   50306 @web_page is not an http(s) URL of at most 2048 characters  (raised by rc.rc_internal_ContactFields)
--   50307 @birthday outside 1601-01-01 … 4500-12-31                   (raised by rc.rc_internal_ContactFields)
--   50025 @notes longer than 35 MB (36,700,160 characters)            (raised by rc.rc_internal_ContactFields)
--   50055 @categories: an entry longer than 255 characters or more than 50 (raised by rc.rc_internal_Categories)
--   50308 display_name cleared                   (not reachable here: updates only)
--   50303 no name: none of @given_name, @surname, @display_name, @company_name, @email_address1..3 given
--   50050 @folder_name is not a valid folder name (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50054 a public folder together with a @target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50051 @target_profile names no rc mail profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50052 the @target_profile is disabled (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50053 the caller has no CanWrite grant on the @target_profile (raised by rc.rc_internal_ResolveFolder via rc.rc_internal_CreateTarget)
--   50024 @correlation_key longer than 200 characters (raised by rc.rc_internal_CreateTarget)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_CreateContact', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_CreateContact AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_CreateContact
  @profile_name nvarchar(4000) = NULL,
  @given_name nvarchar(max) = NULL,
  @middle_name nvarchar(max) = NULL,
  @surname nvarchar(max) = NULL,
  @display_name nvarchar(max) = NULL,
  @company_name nvarchar(max) = NULL,
  @department nvarchar(max) = NULL,
  @job_title nvarchar(max) = NULL,
  @email_address1 nvarchar(max) = NULL,
  @email_address2 nvarchar(max) = NULL,
  @email_address3 nvarchar(max) = NULL,
  @business_phone nvarchar(max) = NULL,
  @home_phone nvarchar(max) = NULL,
  @mobile_phone nvarchar(max) = NULL,
  @business_fax nvarchar(max) = NULL,
  @business_street nvarchar(max) = NULL,
  @business_city nvarchar(max) = NULL,
  @business_state nvarchar(max) = NULL,
  @business_postal_code nvarchar(max) = NULL,
  @business_country nvarchar(max) = NULL,
  @home_street nvarchar(max) = NULL,
  @home_city nvarchar(max) = NULL,
  @home_state nvarchar(max) = NULL,
  @home_postal_code nvarchar(max) = NULL,
  @home_country nvarchar(max) = NULL,
  @web_page nvarchar(max) = NULL,
  @birthday date = NULL,
  @notes nvarchar(max) = NULL,
  @categories nvarchar(max) = NULL,
  @folder_name nvarchar(max) = NULL,
  @target_profile nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @item nvarchar(max);
  DECLARE @fields nvarchar(max);
  DECLARE @folder nvarchar(max);
  DECLARE @key nvarchar(max);
  DECLARE @payload nvarchar(max);
  DECLARE @new_job_id bigint;

  SET @job_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004); before any write or transaction.
  EXEC rc.rc_internal_ResolveProfile @proc_name = N'rc_CreateContact', @profile_name = @profile_name,
    @required_right = 'write', @mailbox_id = @mailbox_id OUTPUT;

  SELECT @item = i.Item
  FROM rc.fn_ContactItem(
    @given_name, @middle_name, @surname, @display_name, @company_name, @department, @job_title,
    @email_address1, @email_address2, @email_address3, @business_phone, @home_phone, @mobile_phone,
    @business_fax, @business_street, @business_city, @business_state, @business_postal_code,
    @business_country, @home_street, @home_city, @home_state, @home_postal_code, @home_country,
    @web_page, @birthday, @notes, @categories, NULL) AS i;
  EXEC rc.rc_internal_ContactFields @proc_name = N'rc_CreateContact', @item = @item, @partial = 0,
    @fields = @fields OUTPUT;
  -- Target folder and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  EXEC rc.rc_internal_CreateTarget @proc_name = N'rc_CreateContact', @param_name = N'@folder_name',
    @mailbox_id = @mailbox_id, @folder_name = @folder_name, @target_profile = @target_profile,
    @correlation_key = @correlation_key, @folder = @folder OUTPUT, @key = @key OUTPUT;

  SET @payload = (
    SELECT JSON_QUERY(@folder) AS [folder], JSON_QUERY(@fields) AS [fields]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES
  );

  EXEC rc.rc_internal_EnqueueJob @kind = 'CreateContact', @mailbox_id = @mailbox_id, @payload = @payload,
    @correlation_key = @key, @target_job_id = NULL, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
