-- rc.rc_UpdateContact — queue a change of some fields of a contact rc_createcontact created (or any contact by its
-- Exchange ItemId). Only the fields given change: NULL leaves a field as it is, '' clears it, clear_fields names
-- fields to clear that have no '' (birthday). Twin of stored-procedures/mssql/rc_UpdateContact.sql.
--
-- Joins the caller's transaction; writes one rc.Jobs row (Kind 'UpdateContact', TargetJobId = the create job when
-- addressed by job, key or the ItemId the create job recorded) and one rc.JobEvents 'enqueued' row; validation
-- happens before anything is written. The worker waits for a create job still pending, applies the change with
-- the ChangeKey it knows and fails with code 'conflict' when someone else changed the contact since — unless
-- force is true (last writer wins). Updating the name parts does not recompute the display name (Exchange does
-- not either): pass display_name too. SECURITY DEFINER; the caller is session_user.
--
-- Parameters (all optional by name):
--   profile_name    text     NULL  the profile that created the contact (needs the write right)
--   target_job_id   bigint   NULL  the JobId rc_createcontact returned           } exactly one of the three
--   item_id         text     NULL  the Exchange ItemId (rc.Jobs.ResultItemId)     } names the contact
--   correlation_key text     NULL  the correlation_key given to rc_createcontact }
--   given_name … categories        the fields of rc_createcontact (same types, rules and limits); NULL =
--                                  unchanged, '' = clear (display_name cannot be cleared)
--   clear_fields    text     NULL  field names to clear, ';' or ',' separated ('birthday, web_page'; '@' optional)
--   force           boolean  false true: overwrite changes made in Exchange since (no ChangeKey conflict check)
-- Result: bigint — the JobId of the update job (never deduplicated: each call is a change).
-- Payload: {"itemId": text|null, "fields": {only the changed keys of ContactFields}, "onConflict": "fail"|"overwrite"}
--   (an address carries only the changed parts; null = clear).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50002 no mail profile with that name (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50003 the profile is disabled (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_resolveprofile via rc.fn_itemtarget)
--   50060 none, or more than one, of target_job_id, item_id and correlation_key (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50061 target_job_id is not a CreateContact job of this profile (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50062 no CreateContact job of this profile has that correlation_key (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50063 item_id blank or longer than 512 characters (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50064 the create job is Failed or Cancelled: no contact to change (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50065 the contact is deleted or being deleted (an earlier DeleteContact) (raised by rc.fn_resolveitemref via rc.fn_itemtarget)
--   50300 the fields as JSON are not an object      (not reachable here: rc.fn_contactfields serves rc_syncfolder too)
--   50301 unknown or repeated key                   (not reachable here)
--   50302 a value is not a JSON string              (not reachable here)
--   50310 clear_fields names an unknown or not clearable field, or one also given a value (rc.fn_contactfields)
--   50309 nothing to change: no field given and clear_fields empty           (raised by rc.fn_contactfields)
--   50304 a text field is longer than 255 characters                         (raised by rc.fn_contactfields)
--   50305 an e-mail address is not a plain valid address                     (raised by rc.fn_contactfields)
--   50306 web_page is not an http(s) URL of at most 2048 characters          (raised by rc.fn_contactfields)
--   50307 birthday outside 1601-01-01 … 4500-12-31                           (raised by rc.fn_contactfields)
--   50025 notes longer than 35 MB (36,700,160 characters)                    (raised by rc.fn_contactfields)
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.fn_categories)
--   50308 display_name '' (Exchange always keeps a display name)             (raised by rc.fn_contactfields)
--   50303 no name                                   (not reachable here: creates only)
CREATE OR REPLACE FUNCTION rc.rc_updatecontact(
  profile_name text DEFAULT NULL,
  target_job_id bigint DEFAULT NULL,
  item_id text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  given_name text DEFAULT NULL,
  middle_name text DEFAULT NULL,
  surname text DEFAULT NULL,
  display_name text DEFAULT NULL,
  company_name text DEFAULT NULL,
  department text DEFAULT NULL,
  job_title text DEFAULT NULL,
  email_address1 text DEFAULT NULL,
  email_address2 text DEFAULT NULL,
  email_address3 text DEFAULT NULL,
  business_phone text DEFAULT NULL,
  home_phone text DEFAULT NULL,
  mobile_phone text DEFAULT NULL,
  business_fax text DEFAULT NULL,
  business_street text DEFAULT NULL,
  business_city text DEFAULT NULL,
  business_state text DEFAULT NULL,
  business_postal_code text DEFAULT NULL,
  business_country text DEFAULT NULL,
  home_street text DEFAULT NULL,
  home_city text DEFAULT NULL,
  home_state text DEFAULT NULL,
  home_postal_code text DEFAULT NULL,
  home_country text DEFAULT NULL,
  web_page text DEFAULT NULL,
  birthday date DEFAULT NULL,
  notes text DEFAULT NULL,
  categories text DEFAULT NULL,
  clear_fields text DEFAULT NULL,
  force boolean DEFAULT false
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_target_job_id bigint;
  v_item_id text;
  v_fields jsonb;
BEGIN
  -- Profile, permission and the contact (50001 … 50004, 50060 … 50065).
  SELECT t.mailbox_id, t.resolved_job_id, t.resolved_item_id INTO v_mailbox_id, v_target_job_id, v_item_id
  FROM rc.fn_itemtarget('rc_UpdateContact', rc_updatecontact.profile_name, 'CreateContact',
    rc_updatecontact.target_job_id, rc_updatecontact.item_id, rc_updatecontact.correlation_key) AS t;
  -- The change (503nn).
  v_fields := rc.fn_contactfields('rc_UpdateContact', rc.fn_contactitem(
    rc_updatecontact.given_name, rc_updatecontact.middle_name, rc_updatecontact.surname,
    rc_updatecontact.display_name, rc_updatecontact.company_name, rc_updatecontact.department,
    rc_updatecontact.job_title, rc_updatecontact.email_address1, rc_updatecontact.email_address2,
    rc_updatecontact.email_address3, rc_updatecontact.business_phone, rc_updatecontact.home_phone,
    rc_updatecontact.mobile_phone, rc_updatecontact.business_fax, rc_updatecontact.business_street,
    rc_updatecontact.business_city, rc_updatecontact.business_state,
    rc_updatecontact.business_postal_code, rc_updatecontact.business_country,
    rc_updatecontact.home_street, rc_updatecontact.home_city, rc_updatecontact.home_state,
    rc_updatecontact.home_postal_code, rc_updatecontact.home_country, rc_updatecontact.web_page,
    rc_updatecontact.birthday, rc_updatecontact.notes, rc_updatecontact.categories,
    rc_updatecontact.clear_fields), true);

  RETURN rc.fn_enqueueitemjob('UpdateContact', v_mailbox_id, v_target_job_id, v_item_id, v_fields,
    rc_updatecontact.force, NULL);
END
$$;

-- EXECUTE is granted by the DBA to the applications that write contacts.
REVOKE ALL ON FUNCTION rc.rc_updatecontact(text, bigint, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text,
  text, text, text, text, text, text, text, text, text, text, text, date, text, text, text, boolean) FROM PUBLIC;
