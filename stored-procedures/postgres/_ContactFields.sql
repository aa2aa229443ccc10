-- rc.fn_ContactFields — internal helper: validates one contact given as a JSON object and returns the `fields`
-- of a CreateContact / UpdateContact payload (worker/exchange/contact-fields.ts). rc_createcontact and
-- rc_updatecontact build the object from their parameters; rc_syncfolder passes each item of a contacts set.
-- Twin of stored-procedures/mssql/_ContactFields.sql (the procedure rc.rc_internal_ContactFields there).
-- Writes nothing. SECURITY INVOKER (the default): only the rc_* functions call it. Contract for other callers:
-- README, section rc.rc_SyncFolder (Items), and the header below.
--
-- The item: keys are rc_CreateContact's field parameter names without '@': given_name, middle_name, surname,
-- display_name, company_name, department, job_title, email_address1..3, business_phone, home_phone,
-- mobile_phone, business_fax, business_|home_ street, city, state, postal_code, country, web_page, birthday,
-- notes, categories; with partial also clear_fields. Every value is a JSON string or null (null = not given).
-- Values are trimmed of spaces, tabs, CR and LF (notes are kept as given).
--
-- Parameters:
--   proc_name text     the message prefix: the calling procedure's name ('rc_CreateContact'), or a longer
--                      prefix naming the item ('rc_SyncFolder: item "c-17"')
--   item      jsonb    the contact
--   partial   boolean  false: a new contact / a desired state — '' = not given, defaults applied, a name
--                      required, every key in the result. true: an update — only the given keys come out, ''
--                      clears a field (null in the result), clear_fields names fields to clear.
-- Result: jsonb — {"givenName","middleName","surname","displayName","companyName","department","jobTitle",
--   "emailAddress1","emailAddress2","emailAddress3","businessPhone","homePhone","mobilePhone","businessFax",
--   "businessAddress","homeAddress","webPage","birthday","notes","categories"}. An address is null or
--   {"street","city","state","postalCode","countryOrRegion"} (partial: only the given parts). Not partial:
--   displayName defaults to given + middle + surname name, else the company, else the first e-mail address;
--   categories '[]' when none.
-- Limits: names, department, job title, phones and address parts at most 255 characters (Outlook's limit for
--   single-line fields); e-mail addresses plain and valid (rc.fn_isvalidaddress, at most 320); web_page an
--   http:// or https:// URL of at most 2048 characters; birthday YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   (the dates Exchange's FILETIME and Outlook's "none" = 4501-01-01 leave); notes at most 35 MB.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order; fields in the order above):
--   50300 the item is not a JSON object
--   50301 the item has a key that is not a contact field, or a key twice (keys are case-insensitive)
--   50302 a value is not a JSON string or null
--   50310 clear_fields names an unknown or not clearable field, or one that is also given a value
--   50309 partial and nothing to change
--   50304 a text field is longer than 255 characters
--   50305 an e-mail address is not a plain valid address
--   50306 web_page is not an http(s) URL of at most 2048 characters
--   50307 birthday is not a date YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   50025 notes longer than 35 MB (36,700,160 characters)
--   50055 categories: an entry longer than 255 characters or more than 50 of them (raised by rc.fn_categories)
--   50308 partial and display_name cleared (Exchange always keeps a display name)
--   50303 not partial and no name: none of given_name, surname, display_name, company_name, email_address1..3
CREATE OR REPLACE FUNCTION rc.fn_contactfields(proc_name text, item jsonb, partial boolean)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  -- The fields in check order: parameter name, kind (t text ≤ 255, e e-mail, u web page, d date, n notes,
  -- c categories) and the key of the result.
  c_keys constant text[] := ARRAY['given_name', 'middle_name', 'surname', 'display_name', 'company_name',
    'department', 'job_title', 'email_address1', 'email_address2', 'email_address3', 'business_phone',
    'home_phone', 'mobile_phone', 'business_fax', 'business_street', 'business_city', 'business_state',
    'business_postal_code', 'business_country', 'home_street', 'home_city', 'home_state', 'home_postal_code',
    'home_country', 'web_page', 'birthday', 'notes', 'categories'];
  c_kinds constant text[] := ARRAY['t', 't', 't', 't', 't', 't', 't', 'e', 'e', 'e', 't', 't', 't', 't', 't', 't',
    't', 't', 't', 't', 't', 't', 't', 't', 'u', 'd', 'n', 'c'];
  c_outs constant text[] := ARRAY['givenName', 'middleName', 'surname', 'displayName', 'companyName',
    'department', 'jobTitle', 'emailAddress1', 'emailAddress2', 'emailAddress3', 'businessPhone', 'homePhone',
    'mobilePhone', 'businessFax', 'street', 'city', 'state', 'postalCode', 'countryOrRegion', 'street', 'city',
    'state', 'postalCode', 'countryOrRegion', 'webPage', 'birthday', 'notes', 'categories'];
  c_ws constant text := E' \t\r\n';
  v_partial boolean := coalesce(fn_contactfields.partial, false);
  v_values text[] := array_fill(NULL::text, ARRAY[28]);
  v_key text;
  v_type text;
  v_value text;
  v_categories jsonb;
  v_given text[] := ARRAY[]::text[];
  v_fields jsonb;
  v_business jsonb;
  v_home jsonb;
  v_business_parts text[];
  v_home_parts text[];
  v_item jsonb;
  v_clear text[];
  v_entries text[];
BEGIN
  IF item IS NULL OR jsonb_typeof(item) <> 'object' THEN
    RAISE EXCEPTION '%: the item is not a JSON object. Pass an object whose keys are rc_CreateContact''s parameter names without "@", e.g. {"given_name": "Anna", "surname": "Berg"}.', proc_name
      USING ERRCODE = 'R0300';
  END IF;
  SELECT m.key INTO v_key FROM jsonb_object_keys(item) AS m(key)
  WHERE NOT (lower(m.key) = ANY (c_keys)) AND NOT (v_partial AND lower(m.key) = 'clear_fields')
  ORDER BY lower(m.key) LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: the item has the key "%", which is not a contact field. Use rc_CreateContact''s field parameter names without "@" in lower case (given_name, surname, email_address1, ...).', proc_name, v_key
      USING ERRCODE = 'R0301';
  END IF;
  SELECT lower(m.key) INTO v_key FROM jsonb_object_keys(item) AS m(key)
  GROUP BY lower(m.key) HAVING count(*) > 1 ORDER BY lower(m.key) LIMIT 1;
  IF v_key IS NOT NULL THEN
    RAISE EXCEPTION '%: the item has the key "%" twice. Give each field once.', proc_name, v_key
      USING ERRCODE = 'R0301';
  END IF;
  -- Keys are case-insensitive: from here on the item has them in lower case.
  v_item := (SELECT jsonb_object_agg(lower(m.key), m.value) FROM jsonb_each(item) AS m);
  FOR i IN 1..29 LOOP
    v_key := CASE WHEN i = 29 THEN 'clear_fields' ELSE c_keys[i] END;
    v_type := jsonb_typeof(v_item -> v_key);
    IF v_type NOT IN ('string', 'null') THEN
      RAISE EXCEPTION '%: the value of "%" is a JSON %, it must be a string or null. Quote it.', proc_name, v_key, v_type
        USING ERRCODE = 'R0302';
    END IF;
    CONTINUE WHEN i = 29;
    v_value := v_item ->> v_key;
    v_values[i] := CASE WHEN c_kinds[i] = 'n' THEN v_value ELSE btrim(v_value, c_ws) END;
  END LOOP;

  -- clear_fields: each named field counts as given ''.
  IF v_partial THEN
    v_clear := ARRAY(SELECT lower(CASE WHEN left(e, 1) = '@' THEN substr(e, 2) ELSE e END)
      FROM unnest(rc.fn_splitaddresslist(v_item ->> 'clear_fields')) WITH ORDINALITY AS c(e, ord) ORDER BY ord);
    v_entries := rc.fn_splitaddresslist(v_item ->> 'clear_fields');
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      IF NOT (v_clear[i] = ANY (c_keys)) OR v_clear[i] = 'display_name' THEN
        RAISE EXCEPTION '%: @clear_fields names "%", which is not a contact field that can be cleared. Name field parameters such as birthday or web_page; @display_name cannot be cleared.', proc_name, v_entries[i]
          USING ERRCODE = 'R0310';
      END IF;
    END LOOP;
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      IF v_values[array_position(c_keys, v_clear[i])] <> '' THEN
        RAISE EXCEPTION '%: @clear_fields names "%", which is also given a value. Either set the field or clear it.', proc_name, v_entries[i]
          USING ERRCODE = 'R0310';
      END IF;
    END LOOP;
    FOR i IN 1..coalesce(cardinality(v_clear), 0) LOOP
      v_values[array_position(c_keys, v_clear[i])] := '';
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM unnest(v_values) AS v WHERE v IS NOT NULL) THEN
      RAISE EXCEPTION '%: nothing to change. Pass at least one field parameter (NULL leaves a field unchanged, an empty string clears it) or name fields in @clear_fields.', proc_name
        USING ERRCODE = 'R0309';
    END IF;
  END IF;

  FOR i IN 1..28 LOOP
    v_value := v_values[i];
    CONTINUE WHEN v_value IS NULL OR v_value = '';
    IF c_kinds[i] = 't' AND length(v_value) > 255 THEN
      RAISE EXCEPTION '%: @% is % characters long, at most % are allowed. Shorten it.', proc_name, c_keys[i], length(v_value), 255
        USING ERRCODE = 'R0304';
    ELSIF c_kinds[i] = 'e' AND NOT rc.fn_isvalidaddress(v_value) THEN
      RAISE EXCEPTION '%: @% "%" is not a valid e-mail address. Pass one plain address (user@example.com) or NULL.', proc_name, c_keys[i], left(v_value, 200)
        USING ERRCODE = 'R0305';
    ELSIF c_kinds[i] = 'u' AND (length(v_value) > 2048 OR v_value !~* '^https?://[^/?#]' OR v_value ~ E'[ \t\r\n]') THEN
      RAISE EXCEPTION '%: @web_page "%" is not a valid web address. Pass an http:// or https:// URL of at most 2048 characters without spaces.', proc_name, left(v_value, 200)
        USING ERRCODE = 'R0306';
    ELSIF c_kinds[i] = 'd' AND rc.fn_isodate(v_value) IS NULL THEN
      RAISE EXCEPTION '%: @birthday "%" is not a date. Pass a date between 1601-01-01 and 4500-12-31 (YYYY-MM-DD).', proc_name, left(v_value, 200)
        USING ERRCODE = 'R0307';
    ELSIF c_kinds[i] = 'n' AND length(v_value) > 36700160 THEN
      RAISE EXCEPTION '%: @notes is % characters long, at most 35 MB (36700160 characters) are allowed. Shorten the notes.', proc_name, length(v_value)
        USING ERRCODE = 'R0025';
    END IF;
  END LOOP;
  IF v_values[28] IS NOT NULL THEN
    v_categories := rc.fn_categories(proc_name, v_values[28]);
  END IF;

  IF v_partial THEN
    IF v_values[4] = '' THEN
      RAISE EXCEPTION '%: @display_name cannot be cleared: Exchange always keeps a display name. Pass a new name instead of an empty string.', proc_name
        USING ERRCODE = 'R0308';
    END IF;
    FOR i IN 1..28 LOOP
      IF v_values[i] IS NOT NULL THEN
        v_given := v_given || CASE WHEN i BETWEEN 15 AND 19 THEN 'businessAddress'
          WHEN i BETWEEN 20 AND 24 THEN 'homeAddress' ELSE c_outs[i] END;
      END IF;
    END LOOP;
  END IF;
  -- The address parts given (partial: only these change, '' included; the others stay as they are in Exchange).
  v_business_parts := ARRAY(SELECT c_outs[i] FROM generate_series(15, 19) AS i
    WHERE v_values[i] <> '' OR (v_partial AND v_values[i] = ''));
  v_home_parts := ARRAY(SELECT c_outs[i] FROM generate_series(20, 24) AS i
    WHERE v_values[i] <> '' OR (v_partial AND v_values[i] = ''));
  -- '' is "not given" for a new contact and "clear" on an update: null in the result either way.
  FOR i IN 1..27 LOOP
    v_values[i] := nullif(v_values[i], '');
  END LOOP;
  IF NOT v_partial THEN
    IF coalesce(v_values[1], v_values[3], v_values[4], v_values[5], v_values[8], v_values[9], v_values[10]) IS NULL THEN
      RAISE EXCEPTION '%: the contact has no name. Pass at least one of @given_name, @surname, @display_name, @company_name or an e-mail address.', proc_name
        USING ERRCODE = 'R0303';
    END IF;
    v_values[4] := coalesce(v_values[4], nullif(concat_ws(' ', v_values[1], v_values[2], v_values[3]), ''),
      v_values[5], v_values[8], v_values[9], v_values[10]);
    v_categories := coalesce(v_categories, '[]'::jsonb);
  END IF;

  v_business := jsonb_build_object('street', v_values[15], 'city', v_values[16], 'state', v_values[17],
    'postalCode', v_values[18], 'countryOrRegion', v_values[19]);
  v_home := jsonb_build_object('street', v_values[20], 'city', v_values[21], 'state', v_values[22],
    'postalCode', v_values[23], 'countryOrRegion', v_values[24]);
  IF v_partial THEN
    v_business := rc.fn_jsonpick(v_business, v_business_parts);
    v_home := rc.fn_jsonpick(v_home, v_home_parts);
  ELSE
    v_business := CASE WHEN cardinality(v_business_parts) = 0 THEN NULL ELSE v_business END;
    v_home := CASE WHEN cardinality(v_home_parts) = 0 THEN NULL ELSE v_home END;
  END IF;

  v_fields := jsonb_build_object(
    'givenName', v_values[1], 'middleName', v_values[2], 'surname', v_values[3], 'displayName', v_values[4],
    'companyName', v_values[5], 'department', v_values[6], 'jobTitle', v_values[7],
    'emailAddress1', v_values[8], 'emailAddress2', v_values[9], 'emailAddress3', v_values[10],
    'businessPhone', v_values[11], 'homePhone', v_values[12], 'mobilePhone', v_values[13],
    'businessFax', v_values[14], 'businessAddress', v_business, 'homeAddress', v_home,
    'webPage', v_values[25], 'birthday', v_values[26], 'notes', v_values[27], 'categories', v_categories);
  RETURN CASE WHEN v_partial THEN rc.fn_jsonpick(v_fields, v_given) ELSE v_fields END;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_contactfields(text, jsonb, boolean) FROM PUBLIC;
