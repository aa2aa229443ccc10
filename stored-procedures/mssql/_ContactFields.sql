-- rc.rc_internal_ContactFields — internal helper: validates one contact given as a JSON object and returns the
-- `fields` of a CreateContact / UpdateContact payload (worker/exchange/contact-fields.ts). rc_CreateContact and
-- rc_UpdateContact build the object from their parameters; rc_SyncFolder passes each item of a contacts set.
-- Twin of stored-procedures/postgres/_ContactFields.sql (the function rc.fn_ContactFields there; a procedure
-- here because T-SQL functions cannot THROW). Opens no transaction, writes nothing.
--
-- The item: keys are rc_CreateContact's field parameter names without '@' (any case): given_name, middle_name,
-- surname, display_name, company_name, department, job_title, email_address1..3, business_phone, home_phone,
-- mobile_phone, business_fax, business_|home_ street, city, state, postal_code, country, web_page, birthday,
-- notes, categories; with @partial also clear_fields. Every value is a JSON string or null (null = not given).
-- Values are trimmed of spaces, tabs, CR and LF (notes are kept as given).
--
-- Parameters:
--   @proc_name nvarchar(4000)  the message prefix: the calling procedure's name (N'rc_CreateContact'), or a
--                              longer prefix naming the item (N'rc_SyncFolder: item "c-17"')
--   @item      nvarchar(max)   the contact (JSON)
--   @partial   bit             0: a new contact / a desired state — '' = not given, defaults applied, a name
--                              required, every key in the result. 1: an update — only the given keys come out,
--                              '' clears a field (null in the result), clear_fields names fields to clear.
--   @fields    nvarchar(max)   OUTPUT: {"givenName","middleName","surname","displayName","companyName",
--                              "department","jobTitle","emailAddress1","emailAddress2","emailAddress3",
--                              "businessPhone","homePhone","mobilePhone","businessFax","businessAddress",
--                              "homeAddress","webPage","birthday","notes","categories"}. An address is null or
--                              {"street","city","state","postalCode","countryOrRegion"} (partial: only the given
--                              parts). Not partial: displayName defaults to given + middle + surname name, else
--                              the company, else the first e-mail address; categories [] when none.
-- Result: @fields; return code 0.
-- Limits: names, department, job title, phones and address parts at most 255 characters (Outlook's limit for
--   single-line fields); e-mail addresses plain and valid (rc.fn_IsValidAddress, at most 320); web_page an
--   http:// or https:// URL of at most 2048 characters; birthday YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   (the dates Exchange's FILETIME and Outlook's "none" = 4501-01-01 leave); notes at most 35 MB. Lengths in
--   UTF-16 code units (DATALENGTH / 2).
-- Errors (THROW <number>, checked in this order, fields in the order above; the PostgreSQL twin raises SQLSTATE
-- 'R0nnn'):
--   50300 the item is not a JSON object
--   50301 the item has a key that is not a contact field, or a key twice
--   50302 a value is not a JSON string or null
--   50310 clear_fields names an unknown or not clearable field, or one that is also given a value
--   50309 partial and nothing to change
--   50304 a text field is longer than 255 characters
--   50305 an e-mail address is not a plain valid address
--   50306 web_page is not an http(s) URL of at most 2048 characters
--   50307 birthday is not a date YYYY-MM-DD between 1601-01-01 and 4500-12-31
--   50025 notes longer than 35 MB (36,700,160 characters)
--   50055 categories: an entry longer than 255 characters or more than 50 of them (raised by
--         rc.rc_internal_Categories)
--   50308 partial and display_name cleared (Exchange always keeps a display name)
--   50303 not partial and no name: none of given_name, surname, display_name, company_name, email_address1..3

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ContactFields', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ContactFields AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ContactFields
  @proc_name nvarchar(4000),
  @item nvarchar(max),
  @partial bit,
  @fields nvarchar(max) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  DECLARE @message nvarchar(max);
  DECLARE @ws nvarchar(4) = N' ' + NCHAR(9) + NCHAR(10) + NCHAR(13);
  DECLARE @is_partial bit = ISNULL(@partial, 0);
  DECLARE @bad nvarchar(max);
  DECLARE @bad_type int;
  DECLARE @kind char(1);
  DECLARE @clear nvarchar(max);
  DECLARE @categories nvarchar(max);
  DECLARE @display nvarchar(max);
  DECLARE @business nvarchar(max);
  DECLARE @home nvarchar(max);
  DECLARE @keep nvarchar(max);
  DECLARE @business_parts nvarchar(max);
  DECLARE @home_parts nvarchar(max);
  DECLARE @bad_value nvarchar(max);
  DECLARE @full nvarchar(max);
  -- The fields in check order: parameter name, kind (t text <= 255, e e-mail, u web page, d date, n notes,
  -- c categories), the key of the result, and the address it is a part of.
  DECLARE @def TABLE (Ord int NOT NULL PRIMARY KEY, KeyName nvarchar(40) NOT NULL, Kind char(1) NOT NULL,
    OutName nvarchar(40) NOT NULL, Grp nvarchar(40) NULL, Value nvarchar(max) NULL);
  DECLARE @kv TABLE (KeyName nvarchar(4000) NOT NULL, Value nvarchar(max) NULL, JsonType int NOT NULL);
  DECLARE @clear_list TABLE (Ordinal bigint NOT NULL, Entry nvarchar(max) NOT NULL, KeyName nvarchar(max) NOT NULL);

  SET @fields = NULL;
  INSERT INTO @def (Ord, KeyName, Kind, OutName, Grp)
  VALUES (1, N'given_name', 't', N'givenName', NULL), (2, N'middle_name', 't', N'middleName', NULL),
    (3, N'surname', 't', N'surname', NULL), (4, N'display_name', 't', N'displayName', NULL),
    (5, N'company_name', 't', N'companyName', NULL), (6, N'department', 't', N'department', NULL),
    (7, N'job_title', 't', N'jobTitle', NULL), (8, N'email_address1', 'e', N'emailAddress1', NULL),
    (9, N'email_address2', 'e', N'emailAddress2', NULL), (10, N'email_address3', 'e', N'emailAddress3', NULL),
    (11, N'business_phone', 't', N'businessPhone', NULL), (12, N'home_phone', 't', N'homePhone', NULL),
    (13, N'mobile_phone', 't', N'mobilePhone', NULL), (14, N'business_fax', 't', N'businessFax', NULL),
    (15, N'business_street', 't', N'street', N'businessAddress'),
    (16, N'business_city', 't', N'city', N'businessAddress'),
    (17, N'business_state', 't', N'state', N'businessAddress'),
    (18, N'business_postal_code', 't', N'postalCode', N'businessAddress'),
    (19, N'business_country', 't', N'countryOrRegion', N'businessAddress'),
    (20, N'home_street', 't', N'street', N'homeAddress'), (21, N'home_city', 't', N'city', N'homeAddress'),
    (22, N'home_state', 't', N'state', N'homeAddress'),
    (23, N'home_postal_code', 't', N'postalCode', N'homeAddress'),
    (24, N'home_country', 't', N'countryOrRegion', N'homeAddress'),
    (25, N'web_page', 'u', N'webPage', NULL), (26, N'birthday', 'd', N'birthday', NULL),
    (27, N'notes', 'n', N'notes', NULL), (28, N'categories', 'c', N'categories', NULL);

  -- 50300: a JSON object (ISJSON also accepts an array; the first character tells them apart).
  IF @item IS NULL OR ISJSON(@item) = 0
    OR SUBSTRING(@item, PATINDEX(N'%[^' + @ws + N']%', @item), 1) <> N'{'
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': the item is not a JSON object. Pass an object whose keys are rc_CreateContact''s parameter names without "@", e.g. {"given_name": "Anna", "surname": "Berg"}.');
    THROW 50300, @message, 1;
  END;
  INSERT INTO @kv (KeyName, Value, JsonType)
  SELECT j.[key], CASE WHEN j.[type] = 0 THEN NULL ELSE j.[value] END, j.[type] FROM OPENJSON(@item) AS j;

  SELECT TOP (1) @bad = k.KeyName
  FROM @kv AS k
  WHERE NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.KeyName = LOWER(k.KeyName))
    AND NOT (@is_partial = 1 AND LOWER(k.KeyName) = N'clear_fields')
  ORDER BY LOWER(k.KeyName);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the item has the key "', @bad,
      N'", which is not a contact field. Use rc_CreateContact''s field parameter names without "@" in lower case (given_name, surname, email_address1, ...).');
    THROW 50301, @message, 1;
  END;
  SELECT TOP (1) @bad = LOWER(k.KeyName) FROM @kv AS k GROUP BY LOWER(k.KeyName) HAVING COUNT(*) > 1
  ORDER BY LOWER(k.KeyName);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the item has the key "', @bad, N'" twice. Give each field once.');
    THROW 50301, @message, 1;
  END;
  SELECT TOP (1) @bad = LOWER(k.KeyName), @bad_type = k.JsonType
  FROM @kv AS k
  LEFT JOIN @def AS d ON d.KeyName = LOWER(k.KeyName)
  WHERE k.JsonType NOT IN (0, 1)
  ORDER BY ISNULL(d.Ord, 29);
  IF @bad IS NOT NULL
  BEGIN
    SET @message = CONCAT(@proc_name, N': the value of "', @bad, N'" is a JSON ',
      CASE @bad_type WHEN 2 THEN N'number' WHEN 3 THEN N'boolean' WHEN 4 THEN N'array' ELSE N'object' END,
      N', it must be a string or null. Quote it.');
    THROW 50302, @message, 1;
  END;

  UPDATE d
  SET Value = CASE WHEN d.Kind = 'n' THEN k.Value ELSE TRIM(@ws FROM k.Value) END
  FROM @def AS d
  JOIN @kv AS k ON LOWER(k.KeyName) = d.KeyName;

  -- clear_fields: each named field counts as given ''.
  IF @is_partial = 1
  BEGIN
    SELECT @clear = k.Value FROM @kv AS k WHERE LOWER(k.KeyName) = N'clear_fields';
    INSERT INTO @clear_list (Ordinal, Entry, KeyName)
    SELECT s.Ordinal, s.Entry, LOWER(CASE WHEN LEFT(s.Entry, 1) = N'@' THEN SUBSTRING(s.Entry, 2, DATALENGTH(s.Entry) / 2) ELSE s.Entry END)
    FROM rc.fn_SplitAddressList(@clear) AS s;

    SET @bad = NULL;
    SELECT TOP (1) @bad = c.Entry
    FROM @clear_list AS c
    WHERE c.KeyName = N'display_name' OR NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.KeyName = c.KeyName)
    ORDER BY c.Ordinal;
    IF @bad IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @clear_fields names "', @bad,
        N'", which is not a contact field that can be cleared. Name field parameters such as birthday or web_page; @display_name cannot be cleared.');
      THROW 50310, @message, 1;
    END;
    SELECT TOP (1) @bad = c.Entry
    FROM @clear_list AS c
    JOIN @def AS d ON d.KeyName = c.KeyName
    WHERE DATALENGTH(d.Value) > 0
    ORDER BY c.Ordinal;
    IF @bad IS NOT NULL
    BEGIN
      SET @message = CONCAT(@proc_name, N': @clear_fields names "', @bad,
        N'", which is also given a value. Either set the field or clear it.');
      THROW 50310, @message, 1;
    END;
    UPDATE d SET Value = N'' FROM @def AS d WHERE d.KeyName IN (SELECT c.KeyName FROM @clear_list AS c);

    IF NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.Value IS NOT NULL)
    BEGIN
      SET @message = CONCAT(@proc_name,
        N': nothing to change. Pass at least one field parameter (NULL leaves a field unchanged, an empty string clears it) or name fields in @clear_fields.');
      THROW 50309, @message, 1;
    END;
  END;

  -- The first field (in check order) with a bad value.
  SET @bad = NULL;
  SELECT TOP (1) @bad = d.KeyName, @kind = d.Kind, @bad_value = d.Value
  FROM @def AS d
  CROSS APPLY rc.fn_IsValidAddress(CASE WHEN d.Kind = 'e' THEN d.Value END) AS a
  CROSS APPLY rc.fn_IsoDate(CASE WHEN d.Kind = 'd' THEN d.Value END) AS dt
  WHERE DATALENGTH(d.Value) > 0 AND (
    (d.Kind = 't' AND DATALENGTH(d.Value) / 2 > 255)
    OR (d.Kind = 'e' AND a.IsValid = 0)
    OR (d.Kind = 'u' AND (DATALENGTH(d.Value) / 2 > 2048
      OR PATINDEX(N'%[' + @ws + N']%', d.Value) > 0
      OR NOT ((LOWER(LEFT(d.Value, 7)) = N'http://' AND SUBSTRING(d.Value, 8, 1) NOT IN (N'', N'/', N'?', N'#'))
        OR (LOWER(LEFT(d.Value, 8)) = N'https://' AND SUBSTRING(d.Value, 9, 1) NOT IN (N'', N'/', N'?', N'#')))))
    OR (d.Kind = 'd' AND dt.Value IS NULL)
    OR (d.Kind = 'n' AND DATALENGTH(d.Value) / 2 > 36700160))
  ORDER BY d.Ord;
  IF @kind = 't'
  BEGIN
    SET @message = CONCAT(@proc_name, N': @', @bad, N' is ', DATALENGTH(@bad_value) / 2,
      N' characters long, at most ', 255, N' are allowed. Shorten it.');
    THROW 50304, @message, 1;
  END;
  IF @kind = 'e'
  BEGIN
    SET @message = CONCAT(@proc_name, N': @', @bad, N' "', LEFT(@bad_value, 200),
      N'" is not a valid e-mail address. Pass one plain address (user@example.com) or NULL.');
    THROW 50305, @message, 1;
  END;
  IF @kind = 'u'
  BEGIN
    SET @message = CONCAT(@proc_name, N': @web_page "', LEFT(@bad_value, 200),
      N'" is not a valid web address. Pass an http:// or https:// URL of at most 2048 characters without spaces.');
    THROW 50306, @message, 1;
  END;
  IF @kind = 'd'
  BEGIN
    SET @message = CONCAT(@proc_name, N': @birthday "', LEFT(@bad_value, 200),
      N'" is not a date. Pass a date between 1601-01-01 and 4500-12-31 (YYYY-MM-DD).');
    THROW 50307, @message, 1;
  END;
  IF @kind = 'n'
  BEGIN
    SET @message = CONCAT(@proc_name, N': @notes is ', DATALENGTH(@bad_value) / 2,
      N' characters long, at most 35 MB (36700160 characters) are allowed. Shorten the notes.');
    THROW 50025, @message, 1;
  END;
  SELECT @categories = d.Value FROM @def AS d WHERE d.Kind = 'c';
  IF @categories IS NOT NULL
    EXEC rc.rc_internal_Categories @proc_name = @proc_name, @categories = @categories, @json = @categories OUTPUT;

  IF @is_partial = 1 AND EXISTS (SELECT 1 FROM @def AS d WHERE d.KeyName = N'display_name' AND DATALENGTH(d.Value) = 0)
  BEGIN
    SET @message = CONCAT(@proc_name,
      N': @display_name cannot be cleared: Exchange always keeps a display name. Pass a new name instead of an empty string.');
    THROW 50308, @message, 1;
  END;
  -- The members an update gives, and the address parts given ('' included: on an update it clears).
  SELECT @keep = STRING_AGG(ISNULL(d.Grp, d.OutName), N',') FROM @def AS d WHERE d.Value IS NOT NULL;
  SELECT @business_parts = STRING_AGG(d.OutName, N',') FROM @def AS d
  WHERE d.Grp = N'businessAddress' AND (DATALENGTH(d.Value) > 0 OR (@is_partial = 1 AND d.Value IS NOT NULL));
  SELECT @home_parts = STRING_AGG(d.OutName, N',') FROM @def AS d
  WHERE d.Grp = N'homeAddress' AND (DATALENGTH(d.Value) > 0 OR (@is_partial = 1 AND d.Value IS NOT NULL));
  -- '' is "not given" for a new contact and "clear" on an update: null in the result either way.
  UPDATE @def SET Value = NULL WHERE DATALENGTH(Value) = 0;

  IF @is_partial = 0
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM @def AS d WHERE d.Ord IN (1, 3, 4, 5, 8, 9, 10) AND d.Value IS NOT NULL)
    BEGIN
      SET @message = CONCAT(@proc_name,
        N': the contact has no name. Pass at least one of @given_name, @surname, @display_name, @company_name or an e-mail address.');
      THROW 50303, @message, 1;
    END;
    SELECT @display = COALESCE(
      MAX(CASE WHEN d.Ord = 4 THEN d.Value END),
      NULLIF(CONCAT_WS(N' ', MAX(CASE WHEN d.Ord = 1 THEN d.Value END), MAX(CASE WHEN d.Ord = 2 THEN d.Value END),
        MAX(CASE WHEN d.Ord = 3 THEN d.Value END)), N''),
      MAX(CASE WHEN d.Ord = 5 THEN d.Value END), MAX(CASE WHEN d.Ord = 8 THEN d.Value END),
      MAX(CASE WHEN d.Ord = 9 THEN d.Value END), MAX(CASE WHEN d.Ord = 10 THEN d.Value END))
    FROM @def AS d;
    UPDATE @def SET Value = @display WHERE Ord = 4;
    SET @categories = ISNULL(@categories, N'[]');
  END;

  SET @business = (
    SELECT MAX(CASE WHEN d.Ord = 15 THEN d.Value END) AS [street], MAX(CASE WHEN d.Ord = 16 THEN d.Value END) AS [city],
      MAX(CASE WHEN d.Ord = 17 THEN d.Value END) AS [state], MAX(CASE WHEN d.Ord = 18 THEN d.Value END) AS [postalCode],
      MAX(CASE WHEN d.Ord = 19 THEN d.Value END) AS [countryOrRegion]
    FROM @def AS d
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
  SET @home = (
    SELECT MAX(CASE WHEN d.Ord = 20 THEN d.Value END) AS [street], MAX(CASE WHEN d.Ord = 21 THEN d.Value END) AS [city],
      MAX(CASE WHEN d.Ord = 22 THEN d.Value END) AS [state], MAX(CASE WHEN d.Ord = 23 THEN d.Value END) AS [postalCode],
      MAX(CASE WHEN d.Ord = 24 THEN d.Value END) AS [countryOrRegion]
    FROM @def AS d
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
  IF @is_partial = 1
  BEGIN
    -- Only the parts given: the others stay as they are in Exchange.
    EXEC rc.rc_internal_JsonPick @json = @business, @keys = @business_parts, @result = @business OUTPUT;
    EXEC rc.rc_internal_JsonPick @json = @home, @keys = @home_parts, @result = @home OUTPUT;
  END
  ELSE
  BEGIN
    IF @business_parts IS NULL SET @business = NULL;
    IF @home_parts IS NULL SET @home = NULL;
  END;

  SET @full = (
    SELECT
      MAX(CASE WHEN d.Ord = 1 THEN d.Value END) AS [givenName],
      MAX(CASE WHEN d.Ord = 2 THEN d.Value END) AS [middleName],
      MAX(CASE WHEN d.Ord = 3 THEN d.Value END) AS [surname],
      MAX(CASE WHEN d.Ord = 4 THEN d.Value END) AS [displayName],
      MAX(CASE WHEN d.Ord = 5 THEN d.Value END) AS [companyName],
      MAX(CASE WHEN d.Ord = 6 THEN d.Value END) AS [department],
      MAX(CASE WHEN d.Ord = 7 THEN d.Value END) AS [jobTitle],
      MAX(CASE WHEN d.Ord = 8 THEN d.Value END) AS [emailAddress1],
      MAX(CASE WHEN d.Ord = 9 THEN d.Value END) AS [emailAddress2],
      MAX(CASE WHEN d.Ord = 10 THEN d.Value END) AS [emailAddress3],
      MAX(CASE WHEN d.Ord = 11 THEN d.Value END) AS [businessPhone],
      MAX(CASE WHEN d.Ord = 12 THEN d.Value END) AS [homePhone],
      MAX(CASE WHEN d.Ord = 13 THEN d.Value END) AS [mobilePhone],
      MAX(CASE WHEN d.Ord = 14 THEN d.Value END) AS [businessFax],
      JSON_QUERY(@business) AS [businessAddress],
      JSON_QUERY(@home) AS [homeAddress],
      MAX(CASE WHEN d.Ord = 25 THEN d.Value END) AS [webPage],
      MAX(CASE WHEN d.Ord = 26 THEN d.Value END) AS [birthday],
      MAX(CASE WHEN d.Ord = 27 THEN d.Value END) AS [notes],
      JSON_QUERY(@categories) AS [categories]
    FROM @def AS d
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);
  IF @is_partial = 1
    EXEC rc.rc_internal_JsonPick @json = @full, @keys = @keep, @result = @full OUTPUT;
  SET @fields = @full;
  RETURN 0;
END;
GO
