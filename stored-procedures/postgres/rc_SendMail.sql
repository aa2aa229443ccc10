-- rc.rc_SendMail — queue one e-mail for sending through an rc mailbox profile; a drop-in for
-- msdb.dbo.sp_send_dbmail. Twin of stored-procedures/mssql/rc_SendMail.sql.
--
-- Joins the caller's transaction (plain function, no COMMIT): a rolled-back caller enqueues nothing. Writes one
-- rc.Jobs row (Kind 'SendMail', Status 'Pending'), one rc.JobEvents 'enqueued' row and one rc.JobAttachments row
-- per attachment (content from attachments, or the path of a file_attachments file); the AFTER INSERT trigger
-- on rc.Jobs wakes the dispatcher when the transaction commits. Validation happens before anything is written.
-- SECURITY DEFINER (callers need EXECUTE only, never table rights); the caller is session_user.
--
-- Parameters (all optional by name so a missing profile is error 50001, not "function does not exist"):
--   profile_name          text        NULL      rc mailbox profile (rc.Mailboxes.ProfileName, case-insensitive)
--   recipients            text        NULL      To: addresses separated by ';' or ','
--   copy_recipients       text        NULL      Cc: same form
--   blind_copy_recipients text        NULL      Bcc: same form
--   from_address          text        NULL      one address (Exchange sends as it when the mailbox may)
--   reply_to              text        NULL      Reply-To: one or more addresses, same form as recipients
--   subject               text        NULL      at most 255 characters; NULL → ''
--   body                  text        NULL      at most 35 MB (36,700,160 characters); NULL → ''
--   body_format           text        'TEXT'    TEXT | HTML (any case; NULL → TEXT)
--   importance            text        'Normal'  Low | Normal | High (any case; NULL → Normal)
--   sensitivity           text        'Normal'  Normal | Personal | Private | Confidential (any case; NULL → Normal)
--   send_at               timestamptz NULL      not before this moment (NULL → now)
--   correlation_key       text        NULL      caller's idempotency key, at most 200 characters; '' → NULL
--   file_attachments      text        NULL      files the worker attaches, as sp_send_dbmail: absolute paths
--                                               separated by ';' (Windows C:\x\y.pdf, \\server\share\y.pdf or POSIX
--                                               /srv/y.pdf), each at most 1024 characters, no '..' segment, no control
--                                               characters, ending in a file name of 1..255 characters. Only the form
--                                               is checked here: the worker reads them and refuses any file outside
--                                               its RC_FILE_ATTACHMENT_DIR.
--   attachments           jsonb       NULL      attachments from SQL: a JSON array of objects {"name", "content"
--                                               (base64; "" is an empty file), "content_type", "content_id",
--                                               "is_inline"} with the rules of T-SQL's rc.AttachmentList rows: name
--                                               1..255 characters, trimmed of spaces, no '/', '\' or control
--                                               characters; content required; content_type optional, at most 255
--                                               characters, type/subtype (NULL → derived by the worker from the name's
--                                               extension, else application/octet-stream); content_id optional, at
--                                               most 255 characters without spaces, angle brackets or control
--                                               characters, unique per mail (the HTML body shows it with
--                                               <img src="cid:…">); is_inline true/false/null (null → true when
--                                               content_id is given; true needs a content_id). A single object counts
--                                               as a one-element array, JSON null as none. Stored in array order,
--                                               before the file_attachments.
--   categories            text        NULL      Exchange categories separated by ';' or ',' (rc.fn_categories)
--   request_read_receipt  boolean     NULL      true → ask for a read receipt (NULL → false)
--   request_delivery_receipt boolean  NULL      true → ask for a delivery receipt (NULL → false)
--   save_to_sent          boolean     NULL      keep a copy in Sent Items: NULL → the worker's RC_EWS_SAVE_SENT_COPY
--                                               (default true). false keeps no copy, and then a retry cannot find the
--                                               sent mail: a crash between Exchange accepting it and SQL recording it
--                                               sends it again (at least once instead of exactly once).
-- Limits: at most 250 attachments (attachments elements and file_attachments entries together); body characters
--   plus attachments bytes at most 35 MB (36,700,160; Exchange's default message size limit). The size of files
--   is only known to the worker: it applies the same limit before sending and fails the job when it is exceeded.
-- Result: bigint — the mail item id (rc.Jobs.JobId). With a correlation_key already used for this profile,
--   the existing job's id, and nothing is written.
-- Payload (rc.Jobs.Payload, jsonb): {"recipients","copyRecipients","blindCopyRecipients","fromAddress","replyTo",
--   "subject","body","bodyFormat","importance","sensitivity","categories","readReceipt","deliveryReceipt",
--   "saveToSent"}; lists normalised to 'a@x.com;b@y.com', empty → null; categories a JSON array of strings ([] for
--   none); saveToSent null = the worker's default. Attachments never enter the payload: they are rows of
--   rc.JobAttachments (Ordinal = position, 1-based) written in the same transaction.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank                                    (raised by rc.fn_ResolveProfile)
--   50002 no mail profile with that name                                   (raised by rc.fn_ResolveProfile)
--   50003 the profile is disabled (rc.Mailboxes.Enabled = false)           (raised by rc.fn_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanSend on the profile (raised by rc.fn_ResolveProfile)
--   50011 an entry of recipients / copy_recipients / blind_copy_recipients is not a plain valid address
--   50010 recipients, copy_recipients and blind_copy_recipients are all empty
--   50012 more than 500 recipients in total (Exchange's default limit)
--   50013 from_address is not a plain valid address
--   50014 an entry of reply_to is not a plain valid address
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50021 importance is not Low, Normal or High
--   50022 sensitivity is not Normal, Personal, Private or Confidential
--   50024 correlation_key longer than 200 characters
--   50055 an entry of categories longer than 255 characters, or more than 50 categories
--                                                                          (raised by rc.fn_Categories)
--   50030 an attachments element has no name (NULL or blank)
--   50031 an attachments name is longer than 255 characters
--   50032 an attachments name holds a path separator ('/' or '\') or a control character
--   50033 an attachments element has no content (missing or null; "" is an empty file and allowed)
--   50034 an attachments content_type is longer than 255 characters, not type/subtype, or holds control characters
--   50035 an attachments content_id is longer than 255 characters or holds spaces, '<', '>' or control characters
--   50036 an attachments element has is_inline true but no content_id
--   50037 two attachments elements have the same content_id (compared case-insensitively)
--   50040 a file_attachments entry is longer than 1024 characters
--   50041 a file_attachments entry holds a control character
--   50042 a file_attachments entry is not an absolute path
--   50043 a file_attachments entry has a '..' segment
--   50044 a file_attachments entry does not end in a file name of 1 to 255 characters
--   50038 more than 250 attachments (attachments elements and file_attachments entries together)
--   50039 body and attachments together larger than 35 MB (36,700,160 bytes; body counted in characters)
-- Elements of attachments are numbered 1, 2, … in array order (messages say "@attachments row n", as in
-- T-SQL), entries of file_attachments 1, 2, … after dropping empty entries; messages name the row or entry and its
-- name. A malformed element (not an object, a field of the wrong JSON type, content not base64) is reported
-- under the number of the field concerned, with the reason in brackets.
CREATE OR REPLACE FUNCTION rc.rc_sendmail(
  profile_name text DEFAULT NULL,
  recipients text DEFAULT NULL,
  copy_recipients text DEFAULT NULL,
  blind_copy_recipients text DEFAULT NULL,
  from_address text DEFAULT NULL,
  reply_to text DEFAULT NULL,
  subject text DEFAULT NULL,
  body text DEFAULT NULL,
  body_format text DEFAULT 'TEXT',
  importance text DEFAULT 'Normal',
  sensitivity text DEFAULT 'Normal',
  send_at timestamptz DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  file_attachments text DEFAULT NULL,
  attachments jsonb DEFAULT NULL,
  categories text DEFAULT NULL,
  request_read_receipt boolean DEFAULT NULL,
  request_delivery_receipt boolean DEFAULT NULL,
  save_to_sent boolean DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_caller text := session_user;
  v_mailbox_id int;
  v_lists text[] := ARRAY[rc_sendmail.recipients, rc_sendmail.copy_recipients, rc_sendmail.blind_copy_recipients];
  v_names text[] := ARRAY['@recipients', '@copy_recipients', '@blind_copy_recipients'];
  v_normalised text[] := ARRAY[NULL, NULL, NULL]::text[];
  v_entries text[];
  v_entry text;
  v_total int := 0;
  v_from text := nullif(btrim(rc_sendmail.from_address, E' \t\r\n'), '');
  v_reply text;
  v_format text := upper(btrim(coalesce(rc_sendmail.body_format, 'TEXT')));
  v_importance text := lower(btrim(coalesce(rc_sendmail.importance, 'Normal')));
  v_sensitivity text := lower(btrim(coalesce(rc_sendmail.sensitivity, 'Normal')));
  v_key text := nullif(rc_sendmail.correlation_key, '');
  v_job_id bigint;
  v_categories jsonb;
  -- attachments as an array (a single object is a one-element array, JSON null none).
  v_list jsonb := CASE
    WHEN rc_sendmail.attachments IS NULL OR jsonb_typeof(rc_sendmail.attachments) = 'null' THEN '[]'::jsonb
    WHEN jsonb_typeof(rc_sendmail.attachments) = 'array' THEN rc_sendmail.attachments
    ELSE jsonb_build_array(rc_sendmail.attachments) END;
  v_count int := jsonb_array_length(v_list);
  v_element jsonb;
  v_field jsonb;
  -- Per element (1-based): the values as T-SQL's rc.AttachmentList would hold them (text trimmed of spaces,
  -- '' → NULL; content decoded), and for a value of the wrong JSON type (or not base64) the reason, else NULL.
  v_a_name text[] := '{}';
  v_a_name_why text[] := '{}';
  v_a_type text[] := '{}';
  v_a_type_why text[] := '{}';
  v_a_id text[] := '{}';
  v_a_id_why text[] := '{}';
  v_a_inline boolean[] := '{}';
  v_a_inline_why text[] := '{}';
  v_a_content bytea[] := '{}';
  v_a_content_why text[] := '{}';
  v_files text[];
  v_file_name text;
  v_row int;
  v_other int;
  v_text text;
  v_bytes bigint;
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  v_mailbox_id := rc.fn_resolveprofile('rc_SendMail', rc_sendmail.profile_name, 'send');

  -- Recipients: every entry valid, at least one in total, at most 500.
  FOR i IN 1..3 LOOP
    v_entries := rc.fn_splitaddresslist(v_lists[i]);
    FOREACH v_entry IN ARRAY v_entries LOOP
      IF NOT rc.fn_isvalidaddress(v_entry) THEN
        RAISE EXCEPTION 'rc_SendMail: "%" in % is not a valid e-mail address. Use plain addresses (user@example.com, no display names) separated by '';'' or '',''.', v_entry, v_names[i]
          USING ERRCODE = 'R0011';
      END IF;
    END LOOP;
    v_total := v_total + cardinality(v_entries);
    v_normalised[i] := nullif(array_to_string(v_entries, ';'), '');
  END LOOP;
  IF v_total = 0 THEN
    RAISE EXCEPTION 'rc_SendMail: no recipient. Pass at least one address in @recipients, @copy_recipients or @blind_copy_recipients.'
      USING ERRCODE = 'R0010';
  END IF;
  IF v_total > 500 THEN
    RAISE EXCEPTION 'rc_SendMail: % recipients in total, Exchange accepts at most 500 per message. Split the mail into several calls or use a distribution list.', v_total
      USING ERRCODE = 'R0012';
  END IF;

  IF v_from IS NOT NULL AND NOT rc.fn_isvalidaddress(v_from) THEN
    RAISE EXCEPTION 'rc_SendMail: @from_address "%" is not a valid e-mail address. Pass one plain address (user@example.com) or NULL for the mailbox''s own.', v_from
      USING ERRCODE = 'R0013';
  END IF;
  v_entries := rc.fn_splitaddresslist(rc_sendmail.reply_to);
  FOREACH v_entry IN ARRAY v_entries LOOP
    IF NOT rc.fn_isvalidaddress(v_entry) THEN
      RAISE EXCEPTION 'rc_SendMail: "%" in @reply_to is not a valid e-mail address. Use plain addresses (user@example.com) separated by '';'' or '',''.', v_entry
        USING ERRCODE = 'R0014';
    END IF;
  END LOOP;
  v_reply := nullif(array_to_string(v_entries, ';'), '');

  IF length(rc_sendmail.subject) > 255 THEN
    RAISE EXCEPTION 'rc_SendMail: @subject is % characters long, at most 255 are allowed. Shorten the subject.', length(rc_sendmail.subject)
      USING ERRCODE = 'R0023';
  END IF;
  IF length(rc_sendmail.body) > 36700160 THEN
    RAISE EXCEPTION 'rc_SendMail: @body is % characters long, at most 35 MB (36700160 characters) are allowed. Send the content as an attachment or shorten it.', length(rc_sendmail.body)
      USING ERRCODE = 'R0025';
  END IF;
  IF v_format NOT IN ('TEXT', 'HTML') THEN
    RAISE EXCEPTION 'rc_SendMail: @body_format "%" is not valid. Use TEXT or HTML.', rc_sendmail.body_format
      USING ERRCODE = 'R0020';
  END IF;
  IF v_importance NOT IN ('low', 'normal', 'high') THEN
    RAISE EXCEPTION 'rc_SendMail: @importance "%" is not valid. Use Low, Normal or High.', rc_sendmail.importance
      USING ERRCODE = 'R0021';
  END IF;
  IF v_sensitivity NOT IN ('normal', 'personal', 'private', 'confidential') THEN
    RAISE EXCEPTION 'rc_SendMail: @sensitivity "%" is not valid. Use Normal, Personal, Private or Confidential.', rc_sendmail.sensitivity
      USING ERRCODE = 'R0022';
  END IF;
  IF length(v_key) > 200 THEN
    RAISE EXCEPTION 'rc_SendMail: @correlation_key is % characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).', length(v_key)
      USING ERRCODE = 'R0024';
  END IF;

  -- Categories (50055).
  v_categories := rc.fn_categories('rc_SendMail', rc_sendmail.categories);

  -- attachments: each element read once, then one rule after the other over all elements (50030–50037); the
  -- first offending element is reported.
  FOR i IN 1..v_count LOOP
    v_element := v_list -> (i - 1);
    v_a_name[i] := NULL;
    v_a_type[i] := NULL;
    v_a_id[i] := NULL;
    v_a_inline[i] := NULL;
    v_a_content[i] := NULL;
    IF jsonb_typeof(v_element) <> 'object' THEN
      v_a_name_why[i] := ' (not a JSON object)';
      CONTINUE;
    END IF;
    v_field := v_element -> 'name';
    IF jsonb_typeof(v_field) = 'string' THEN
      v_a_name[i] := nullif(btrim(v_field #>> '{}', ' '), '');
    ELSIF jsonb_typeof(v_field) <> 'null' THEN
      v_a_name_why[i] := ' (name must be a JSON string)';
    END IF;
    v_field := v_element -> 'content';
    IF jsonb_typeof(v_field) = 'string' THEN
      BEGIN
        v_a_content[i] := decode(v_field #>> '{}', 'base64');
      EXCEPTION WHEN invalid_parameter_value THEN
        v_a_content_why[i] := ' (content is not valid base64)';
      END;
    ELSIF jsonb_typeof(v_field) <> 'null' THEN
      v_a_content_why[i] := ' (content must be base64 text)';
    END IF;
    v_field := v_element -> 'content_type';
    IF jsonb_typeof(v_field) = 'string' THEN
      v_a_type[i] := nullif(btrim(v_field #>> '{}', ' '), '');
    ELSIF jsonb_typeof(v_field) <> 'null' THEN
      v_a_type[i] := left(v_field::text, 300);
      v_a_type_why[i] := ' (content_type must be a JSON string)';
    END IF;
    v_field := v_element -> 'content_id';
    IF jsonb_typeof(v_field) = 'string' THEN
      v_a_id[i] := nullif(btrim(v_field #>> '{}', ' '), '');
    ELSIF jsonb_typeof(v_field) <> 'null' THEN
      v_a_id[i] := left(v_field::text, 300);
      v_a_id_why[i] := ' (content_id must be a JSON string)';
    END IF;
    v_field := v_element -> 'is_inline';
    IF jsonb_typeof(v_field) = 'boolean' THEN
      v_a_inline[i] := (v_field #>> '{}')::boolean;
    ELSIF jsonb_typeof(v_field) <> 'null' THEN
      v_a_inline_why[i] := 'is_inline must be true, false or null';
    END IF;
  END LOOP;

  FOR i IN 1..v_count LOOP
    IF v_a_name[i] IS NULL THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % has no name%. Give every attachment a file name such as invoice-4711.pdf.', i, coalesce(v_a_name_why[i], '')
        USING ERRCODE = 'R0030';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF length(v_a_name[i]) > 255 THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % has a name of % characters ("%…"), at most 255 are allowed. Shorten the name.', i, length(v_a_name[i]), left(v_a_name[i], 40)
        USING ERRCODE = 'R0031';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF position('/' in v_a_name[i]) > 0 OR position('\' in v_a_name[i]) > 0 OR rc.fn_hascontrolcharacter(v_a_name[i]) THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%") has a name with a path separator or a control character. Pass the bare file name (invoice-4711.pdf); files named by their path belong in @file_attachments.', i, v_a_name[i]
        USING ERRCODE = 'R0032';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF v_a_content[i] IS NULL THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%") has no content%. Pass the file''s bytes in content (T-SQL: varbinary, 0x for an empty file; PostgreSQL: base64 text, '''' for an empty file).', i, v_a_name[i], coalesce(v_a_content_why[i], '')
        USING ERRCODE = 'R0033';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF v_a_type_why[i] IS NOT NULL OR length(v_a_type[i]) > 255 OR rc.fn_hascontrolcharacter(v_a_type[i])
        OR position('/' in v_a_type[i]) < 2 OR position('/' in v_a_type[i]) = length(v_a_type[i]) THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%"): content_type "%" is not a MIME type of at most 255 characters%. Pass one like application/pdf, or NULL to derive it from the name.', i, v_a_name[i], left(v_a_type[i], 300), coalesce(v_a_type_why[i], '')
        USING ERRCODE = 'R0034';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF v_a_id_why[i] IS NOT NULL OR length(v_a_id[i]) > 255 OR rc.fn_hascontrolcharacter(v_a_id[i])
        OR position(' ' in v_a_id[i]) > 0 OR position('<' in v_a_id[i]) > 0 OR position('>' in v_a_id[i]) > 0 THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%"): content_id "%" is not valid%. Use at most 255 characters without spaces, angle brackets or control characters (logo-1), and reference it in the HTML body as cid:logo-1.', i, v_a_name[i], left(v_a_id[i], 300), coalesce(v_a_id_why[i], '')
        USING ERRCODE = 'R0035';
    END IF;
  END LOOP;
  FOR i IN 1..v_count LOOP
    IF v_a_inline_why[i] IS NOT NULL OR (v_a_inline[i] AND v_a_id[i] IS NULL) THEN
      RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%"): %. An inline attachment needs a content_id that the HTML body shows with <img src="cid:…">; give one or set is_inline to 0.', i, v_a_name[i], coalesce(v_a_inline_why[i], 'is_inline is set but content_id is empty')
        USING ERRCODE = 'R0036';
    END IF;
  END LOOP;
  SELECT r.ord, d.ord INTO v_row, v_other
  FROM unnest(v_a_id) WITH ORDINALITY AS r(id, ord)
  JOIN unnest(v_a_id) WITH ORDINALITY AS d(id, ord) ON d.ord < r.ord AND lower(d.id) = lower(r.id)
  ORDER BY r.ord, d.ord
  LIMIT 1;
  IF v_row IS NOT NULL THEN
    RAISE EXCEPTION 'rc_SendMail: @attachments row % ("%"): content_id "%" is already used by row %. Give every attachment its own content_id.', v_row, v_a_name[v_row], v_a_id[v_row], v_other
      USING ERRCODE = 'R0037';
  END IF;

  -- file_attachments: split on ';' only (a path may hold ','), entries trimmed of spaces, tabs, CR and LF.
  SELECT coalesce(array_agg(f.entry ORDER BY f.ord), '{}') INTO v_files
  FROM (
    SELECT btrim(p.part, E' \t\r\n') AS entry, p.ord
    FROM unnest(string_to_array(rc_sendmail.file_attachments, ';')) WITH ORDINALITY AS p(part, ord)
  ) AS f
  WHERE f.entry <> '';
  FOR i IN 1..cardinality(v_files) LOOP
    IF length(v_files[i]) > 1024 THEN
      RAISE EXCEPTION 'rc_SendMail: @file_attachments entry % is % characters long, at most 1024 are allowed. Use a shorter path (separate files with '';'').', i, length(v_files[i])
        USING ERRCODE = 'R0040';
    END IF;
  END LOOP;
  FOR i IN 1..cardinality(v_files) LOOP
    IF rc.fn_hascontrolcharacter(v_files[i]) THEN
      RAISE EXCEPTION 'rc_SendMail: @file_attachments entry % holds a control character. Pass plain paths separated by '';''.', i
        USING ERRCODE = 'R0041';
    END IF;
  END LOOP;
  -- Absolute: /… (POSIX), \\server\share\… (UNC) or a drive letter with ':\' or ':/'.
  FOR i IN 1..cardinality(v_files) LOOP
    IF v_files[i] !~ '^(/|\\\\|[A-Za-z]:[\\/])' THEN
      RAISE EXCEPTION 'rc_SendMail: @file_attachments entry % ("%") is not an absolute path. Give the full path of a file in the directory the worker allows (RC_FILE_ATTACHMENT_DIR), e.g. /srv/rc-files/invoice-4711.pdf or D:\rc-files\invoice-4711.pdf.', i, v_files[i]
        USING ERRCODE = 'R0042';
    END IF;
  END LOOP;
  FOR i IN 1..cardinality(v_files) LOOP
    IF position('/../' in replace(v_files[i], '\', '/') || '/') > 0 THEN
      RAISE EXCEPTION 'rc_SendMail: @file_attachments entry % ("%") has a ''..'' segment. Name the file by its direct path below the directory the worker allows.', i, v_files[i]
        USING ERRCODE = 'R0043';
    END IF;
  END LOOP;
  FOR i IN 1..cardinality(v_files) LOOP
    v_file_name := substring(v_files[i] from '[^/\\]*$');
    IF length(v_file_name) = 0 OR length(v_file_name) > 255 THEN
      RAISE EXCEPTION 'rc_SendMail: @file_attachments entry % ("%") does not end in a file name of 1 to 255 characters. Name a file, not a directory.', i, v_files[i]
        USING ERRCODE = 'R0044';
    END IF;
  END LOOP;

  IF v_count + cardinality(v_files) > 250 THEN
    RAISE EXCEPTION 'rc_SendMail: % attachments (@attachments and @file_attachments together), at most 250 are allowed. Zip them into fewer files or split the mail.', v_count + cardinality(v_files)
      USING ERRCODE = 'R0038';
  END IF;
  SELECT coalesce(length(rc_sendmail.body), 0) + coalesce(sum(octet_length(c.content)), 0) INTO v_bytes
  FROM unnest(v_a_content) AS c(content);
  IF v_bytes > 36700160 THEN
    RAISE EXCEPTION 'rc_SendMail: body and @attachments are % bytes together, at most 35 MB (36700160 bytes) are allowed (Exchange''s default message size). Send fewer or smaller attachments, or a link to the files.', v_bytes
      USING ERRCODE = 'R0039';
  END IF;

  INSERT INTO rc.Jobs (Kind, MailboxId, Payload, NotBefore, CorrelationKey, CreatedBy)
  VALUES (
    'SendMail',
    v_mailbox_id,
    jsonb_build_object(
      'recipients', v_normalised[1],
      'copyRecipients', v_normalised[2],
      'blindCopyRecipients', v_normalised[3],
      'fromAddress', v_from,
      'replyTo', v_reply,
      'subject', coalesce(rc_sendmail.subject, ''),
      'body', coalesce(rc_sendmail.body, ''),
      'bodyFormat', v_format,
      'importance', initcap(v_importance),
      'sensitivity', initcap(v_sensitivity),
      'categories', v_categories,
      'readReceipt', coalesce(rc_sendmail.request_read_receipt, false),
      'deliveryReceipt', coalesce(rc_sendmail.request_delivery_receipt, false),
      'saveToSent', rc_sendmail.save_to_sent
    ),
    coalesce(rc_sendmail.send_at, now()),
    v_key,
    v_caller
  )
  ON CONFLICT (MailboxId, Kind, CorrelationKey) WHERE CorrelationKey IS NOT NULL DO NOTHING
  RETURNING JobId INTO v_job_id;

  IF v_job_id IS NULL THEN
    -- Same correlation key for this profile and kind: the earlier call's job stands, nothing is written.
    SELECT j.JobId INTO v_job_id FROM rc.Jobs AS j
    WHERE j.MailboxId = v_mailbox_id AND j.Kind = 'SendMail' AND j.CorrelationKey = v_key;
    RETURN v_job_id;
  END IF;

  INSERT INTO rc.JobEvents (JobId, EventType, Status) VALUES (v_job_id, 'enqueued', 'Pending');
  INSERT INTO rc.JobAttachments (JobId, Name, ContentType, ContentId, IsInline, Content, FilePath, SizeBytes, Ordinal)
  SELECT v_job_id, a.name, a.content_type, a.content_id, coalesce(a.is_inline, a.content_id IS NOT NULL), a.content,
    NULL, octet_length(a.content), a.ord
  FROM unnest(v_a_name, v_a_type, v_a_id, v_a_inline, v_a_content)
    WITH ORDINALITY AS a(name, content_type, content_id, is_inline, content, ord);
  INSERT INTO rc.JobAttachments (JobId, Name, ContentType, ContentId, IsInline, Content, FilePath, SizeBytes, Ordinal)
  SELECT v_job_id, substring(f.path from '[^/\\]*$'), NULL, NULL, false, NULL, f.path, NULL, v_count + f.ord
  FROM unnest(v_files) WITH ORDINALITY AS f(path, ord);
  RETURN v_job_id;
END
$$;

-- EXECUTE is granted by the DBA to the applications that send mail (GRANT EXECUTE ON FUNCTION rc.rc_sendmail …).
REVOKE ALL ON FUNCTION rc.rc_sendmail(text, text, text, text, text, text, text, text, text, text, text, timestamptz, text, text, jsonb, text, boolean, boolean, boolean) FROM PUBLIC;

-- The parameter list grew (issue 4), so CREATE OR REPLACE made a second function next to the earlier one, and
-- calls by name would be ambiguous: every other rc.rc_sendmail is dropped, and the EXECUTE grants the DBA gave
-- it are given to this one first (as CREATE OR REPLACE would have kept them).
DO $$
DECLARE
  v_old regprocedure;
  v_grantee text;
BEGIN
  FOR v_old IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc AS p
    WHERE p.pronamespace = 'rc'::regnamespace AND p.proname = 'rc_sendmail'
      AND p.oid <> 'rc.rc_sendmail(text, text, text, text, text, text, text, text, text, text, text, timestamptz, text, text, jsonb, text, boolean, boolean, boolean)'::regprocedure
  LOOP
    FOR v_grantee IN
      SELECT r.rolname
      FROM pg_catalog.pg_proc AS p
      CROSS JOIN LATERAL pg_catalog.aclexplode(p.proacl) AS a
      JOIN pg_catalog.pg_roles AS r ON r.oid = a.grantee
      WHERE p.oid = v_old AND a.privilege_type = 'EXECUTE' AND a.grantee <> p.proowner
    LOOP
      EXECUTE format('GRANT EXECUTE ON FUNCTION rc.rc_sendmail(text, text, text, text, text, text, text, text, text, text, text, timestamptz, text, text, jsonb, text, boolean, boolean, boolean) TO %I', v_grantee);
    END LOOP;
    EXECUTE format('DROP FUNCTION %s', v_old);
  END LOOP;
END
$$;
