-- rc.rc_CreateContact — queue the creation of one contact in an rc mailbox profile's contacts: its default
-- Contacts folder, a named contacts folder (created on first use), another profile's mailbox, or an EWS public
-- contacts folder. Twin of stored-procedures/mssql/rc_CreateContact.sql.
--
-- Joins the caller's transaction (plain function, no COMMIT): a rolled-back caller enqueues nothing. Writes one
-- rc.Jobs row (Kind 'CreateContact', Status 'Pending') and one rc.JobEvents 'enqueued' row. Validation happens
-- before anything is written. SECURITY DEFINER (callers need EXECUTE only); the caller is session_user.
--
-- Parameters (all optional by name; text fields trimmed of spaces, tabs, CR and LF; '' = not given):
--   profile_name          text  NULL  rc mailbox profile that does the work (needs the write right)
--   given_name            text  NULL  first name, at most 255 characters
--   middle_name           text  NULL  at most 255
--   surname               text  NULL  last name, at most 255
--   display_name          text  NULL  at most 255; NULL → given + middle + surname, else company, else e-mail 1
--   company_name          text  NULL  at most 255
--   department            text  NULL  at most 255
--   job_title             text  NULL  at most 255
--   email_address1..3     text  NULL  one plain valid address each (rc.fn_isvalidaddress)
--   business_phone        text  NULL  at most 255 (home_phone, mobile_phone, business_fax the same)
--   business_street, business_city, business_state, business_postal_code, business_country
--                         text  NULL  business postal address, each part at most 255 (home_… the same)
--   web_page              text  NULL  http:// or https:// URL, at most 2048
--   birthday              date  NULL  1601-01-01 … 4500-12-31
--   notes                 text  NULL  the contact's notes (plain text, kept as given), at most 35 MB
--   categories            text  NULL  ';' or ',' separated (rc.fn_categories)
--   folder_name           text  NULL  NULL → default Contacts; 'Name' or 'A/B' → a contacts folder below it
--                                     (created on first use); 'public:Path/To' → an EWS public contacts folder
--   target_profile        text  NULL  another profile whose mailbox holds the contact (caller needs CanWrite)
--   correlation_key       text  NULL  caller's idempotency key, at most 200 characters; '' → NULL
-- Result: bigint — the JobId. With a correlation_key already used for this profile and kind, the existing job's
--   id, and nothing is written.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": ContactFields} (rc.fn_contactfields with
--   partial = false: every key present).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank                                     (raised by rc.fn_resolveprofile)
--   50002 no mail profile with that name                                    (raised by rc.fn_resolveprofile)
--   50003 the profile is disabled                                           (raised by rc.fn_resolveprofile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_resolveprofile)
--   50300 the fields as JSON are not an object      (not reachable here: rc.fn_contactfields serves rc_syncfolder too)
--   50301 unknown or repeated key                   (not reachable here)
--   50302 a value is not a JSON string              (not reachable here)
--   50310 clear_fields invalid                      (not reachable here: updates only)
--   50309 nothing to change                         (not reachable here: updates only)
--   50304 a text field is longer than 255 characters                         (raised by rc.fn_contactfields)
--   50305 an e-mail address is not a plain valid address                     (raised by rc.fn_contactfields)
--   50306 web_page is not an http(s) URL of at most 2048 characters          (raised by rc.fn_contactfields)
--   50307 birthday outside 1601-01-01 … 4500-12-31                           (raised by rc.fn_contactfields)
--   50025 notes longer than 35 MB (36,700,160 characters)                    (raised by rc.fn_contactfields)
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.fn_categories)
--   50308 display_name cleared                      (not reachable here: updates only)
--   50303 no name: none of given_name, surname, display_name, company_name, email_address1..3 given
--   50050 folder_name is not a valid folder name (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50054 a public folder together with a target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50051 target_profile names no rc mail profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50052 the target_profile is disabled (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50053 the caller has no CanWrite grant on the target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_createtarget)
CREATE OR REPLACE FUNCTION rc.rc_createcontact(
  profile_name text DEFAULT NULL,
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
  folder_name text DEFAULT NULL,
  target_profile text DEFAULT NULL,
  correlation_key text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_fields jsonb;
  v_folder jsonb;
  v_key text;
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  v_mailbox_id := rc.fn_resolveprofile('rc_CreateContact', rc_createcontact.profile_name, 'write');

  v_fields := rc.fn_contactfields('rc_CreateContact', rc.fn_contactitem(
    rc_createcontact.given_name, rc_createcontact.middle_name, rc_createcontact.surname,
    rc_createcontact.display_name, rc_createcontact.company_name, rc_createcontact.department,
    rc_createcontact.job_title, rc_createcontact.email_address1, rc_createcontact.email_address2,
    rc_createcontact.email_address3, rc_createcontact.business_phone, rc_createcontact.home_phone,
    rc_createcontact.mobile_phone, rc_createcontact.business_fax, rc_createcontact.business_street,
    rc_createcontact.business_city, rc_createcontact.business_state, rc_createcontact.business_postal_code,
    rc_createcontact.business_country, rc_createcontact.home_street, rc_createcontact.home_city,
    rc_createcontact.home_state, rc_createcontact.home_postal_code, rc_createcontact.home_country,
    rc_createcontact.web_page, rc_createcontact.birthday, rc_createcontact.notes, rc_createcontact.categories,
    NULL), false);
  -- Target folder and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  SELECT t.folder, t.job_key INTO v_folder, v_key
  FROM rc.fn_createtarget('rc_CreateContact', '@folder_name', v_mailbox_id, rc_createcontact.folder_name,
    rc_createcontact.target_profile, rc_createcontact.correlation_key) AS t;

  RETURN rc.fn_enqueuejob('CreateContact', v_mailbox_id, jsonb_build_object('folder', v_folder, 'fields', v_fields), v_key,
    NULL);
END
$$;

-- EXECUTE is granted by the DBA to the applications that write contacts.
REVOKE ALL ON FUNCTION rc.rc_createcontact(text, text, text, text, text, text, text, text, text, text, text, text,
  text, text, text, text, text, text, text, text, text, text, text, text, text, text, date, text, text, text, text,
  text) FROM PUBLIC;
