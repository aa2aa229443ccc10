-- rc.fn_ContactItem — internal helper: the JSON item rc.fn_contactfields reads, built from the contact parameters of
-- rc_createcontact / rc_updatecontact (one place for the 29 names, so the two procedures cannot drift). Twin of
-- stored-procedures/mssql/_fn_ContactItem.sql (an inline table-valued function there).
--
-- Parameters: the contact field parameters in rc_createcontact's order (birthday date, the others text), then
--   clear_fields text (rc_updatecontact's; NULL for a create).
-- Result: jsonb — {"given_name": …, …} with the NULL parameters left out ('' kept: on an update it clears);
--   birthday as 'YYYY-MM-DD'.
-- Errors: none
CREATE OR REPLACE FUNCTION rc.fn_contactitem(
  given_name text,
  middle_name text,
  surname text,
  display_name text,
  company_name text,
  department text,
  job_title text,
  email_address1 text,
  email_address2 text,
  email_address3 text,
  business_phone text,
  home_phone text,
  mobile_phone text,
  business_fax text,
  business_street text,
  business_city text,
  business_state text,
  business_postal_code text,
  business_country text,
  home_street text,
  home_city text,
  home_state text,
  home_postal_code text,
  home_country text,
  web_page text,
  birthday date,
  notes text,
  categories text,
  clear_fields text
)
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'given_name', given_name,
    'middle_name', middle_name,
    'surname', surname,
    'display_name', display_name,
    'company_name', company_name,
    'department', department,
    'job_title', job_title,
    'email_address1', email_address1,
    'email_address2', email_address2,
    'email_address3', email_address3,
    'business_phone', business_phone,
    'home_phone', home_phone,
    'mobile_phone', mobile_phone,
    'business_fax', business_fax,
    'business_street', business_street,
    'business_city', business_city,
    'business_state', business_state,
    'business_postal_code', business_postal_code,
    'business_country', business_country,
    'home_street', home_street,
    'home_city', home_city,
    'home_state', home_state,
    'home_postal_code', home_postal_code,
    'home_country', home_country,
    'web_page', web_page,
    'birthday', to_char(birthday, 'YYYY-MM-DD'),
    'notes', notes,
    'categories', categories,
    'clear_fields', clear_fields
  ))
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_contactitem(text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, text, date, text, text, text) FROM PUBLIC;
