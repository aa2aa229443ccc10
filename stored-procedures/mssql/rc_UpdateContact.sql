-- rc.rc_UpdateContact — queue a change of some fields of a contact rc_CreateContact created (or any contact by its
-- Exchange ItemId). Only the fields given change: NULL leaves a field as it is, '' clears it, @clear_fields names
-- fields to clear that cannot take '' (@birthday). Twin of stored-procedures/postgres/rc_UpdateContact.sql.
--
-- Writes one rc.Jobs row (Kind 'UpdateContact', TargetJobId = the create job when addressed by job, key or the
-- ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation happens before anything is
-- written. The worker waits for a create job still pending, applies the change with the ChangeKey it knows and
-- fails with code 'conflict' when someone else changed the contact since — unless @force = 1 (last writer wins).
-- Updating the name parts does not recompute the display name (Exchange does not either): pass @display_name too.
-- The caller is ORIGINAL_LOGIN().
-- Transactions: rc_SendMail's pattern, in rc.rc_internal_EnqueueJob via rc.rc_internal_EnqueueItemJob (SET XACT_ABORT ON; its own transaction only
-- when @@TRANCOUNT = 0, else it joins the caller's, so a caller that rolls back enqueues nothing; @@TRANCOUNT
-- unchanged on every path). Everything before it only reads.
--
-- Parameters (all optional by name):
--   @profile_name    nvarchar(4000)  NULL  the profile that created the contact (needs the write right)
--   @target_job_id   bigint          NULL  the JobId rc_CreateContact returned           } exactly one of the three
--   @item_id         nvarchar(max)   NULL  the Exchange ItemId (rc.Jobs.ResultItemId)     } names the contact
--   @correlation_key nvarchar(max)   NULL  the @correlation_key given to rc_CreateContact }
--   @given_name … @categories             the fields of rc_CreateContact (same types, rules and limits);
--                                         NULL = unchanged, '' = clear (@display_name cannot be cleared)
--   @clear_fields    nvarchar(max)   NULL  field names to clear, ';' or ',' separated ('birthday, web_page')
--   @force           bit             0     1: overwrite changes made in Exchange since (no ChangeKey check)
--   @job_id          bigint          OUTPUT the JobId of the update job (never deduplicated: each call is a change)
-- Result: @job_id; return code 0.
-- Payload: {"itemId": string|null, "fields": {only the changed keys of ContactFields}, "onConflict":
--   "fail"|"overwrite"} (an address carries only the changed parts; null = clear).
-- Errors (THROW <number>, checked in this order; the PostgreSQL twin raises SQLSTATE 'R0nnn'):
--   50001 @profile_name missing or blank (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50002 no mail profile with that name (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50003 the profile is disabled (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50004 the caller (or 'public') has no grant with CanWrite (raised by rc.rc_internal_ResolveProfile via rc.rc_internal_ItemTarget)
--   50060 none, or more than one, of @target_job_id, @item_id, @correlation_key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50061 @target_job_id is not a CreateContact job of this profile (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50024 @correlation_key longer than 200 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50062 no CreateContact job of this profile has that key (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50063 @item_id blank or longer than 512 characters (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50064 the create job is Failed or Cancelled: no contact to change (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50065 the contact is deleted or being deleted (raised by rc.rc_internal_ResolveItemRef via rc.rc_internal_ItemTarget)
--   50300 the fields as JSON are not an object   (not reachable here: rc_internal_ContactFields serves rc_SyncFolder too)
--   50301 unknown or repeated key                (not reachable here)
--   50302 a value is not a JSON string           (not reachable here)
--   50310 @clear_fields names an unknown or not clearable field, or one also given a value
--   50309 nothing to change: no field given and @clear_fields empty
--   50304 a text field is longer than 255 characters                  (raised by rc.rc_internal_ContactFields)
--   50305 an e-mail address is not a plain valid address              (raised by rc.rc_internal_ContactFields)
--   50306 @web_page is not an http(s) URL of at most 2048 characters  (raised by rc.rc_internal_ContactFields)
--   50307 @birthday outside 1601-01-01 … 4500-12-31                   (raised by rc.rc_internal_ContactFields)
--   50025 @notes longer than 35 MB (36,700,160 characters)            (raised by rc.rc_internal_ContactFields)
--   50055 @categories: an entry longer than 255 characters or more than 50 (raised by rc.rc_internal_Categories)
--   50308 @display_name '' (Exchange always keeps a display name)
--   50303 no name                                (not reachable here: creates only)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_UpdateContact', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_UpdateContact AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_UpdateContact
  @profile_name nvarchar(4000) = NULL,
  @target_job_id bigint = NULL,
  @item_id nvarchar(max) = NULL,
  @correlation_key nvarchar(max) = NULL,
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
  @clear_fields nvarchar(max) = NULL,
  @force bit = 0,
  @job_id bigint = NULL OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @mailbox_id int;
  DECLARE @resolved_job_id bigint;
  DECLARE @resolved_item_id nvarchar(512);
  DECLARE @new_job_id bigint;
  DECLARE @item nvarchar(max);
  DECLARE @fields nvarchar(max);

  SET @job_id = NULL;

  -- Profile, permission and the contact (50001 … 50004, 50060 … 50065); before any write or transaction.
  EXEC rc.rc_internal_ItemTarget @proc_name = N'rc_UpdateContact', @profile_name = @profile_name,
    @create_kind = 'CreateContact', @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @mailbox_id = @mailbox_id OUTPUT,
    @resolved_job_id = @resolved_job_id OUTPUT, @resolved_item_id = @resolved_item_id OUTPUT;
  -- The change (503nn).
  SELECT @item = i.Item
  FROM rc.fn_ContactItem(
    @given_name, @middle_name, @surname, @display_name, @company_name, @department, @job_title,
    @email_address1, @email_address2, @email_address3, @business_phone, @home_phone, @mobile_phone,
    @business_fax, @business_street, @business_city, @business_state, @business_postal_code,
    @business_country, @home_street, @home_city, @home_state, @home_postal_code, @home_country,
    @web_page, @birthday, @notes, @categories, @clear_fields) AS i;
  EXEC rc.rc_internal_ContactFields @proc_name = N'rc_UpdateContact', @item = @item, @partial = 1,
    @fields = @fields OUTPUT;

  EXEC rc.rc_internal_EnqueueItemJob @kind = 'UpdateContact', @mailbox_id = @mailbox_id,
    @target_job_id = @resolved_job_id, @item_id = @resolved_item_id, @fields = @fields, @force = @force,
    @meeting_notice = NULL, @job_id = @new_job_id OUTPUT;

  SET @job_id = @new_job_id;
  RETURN 0;
END;
GO
