-- rc.rc_SendMail — queue one e-mail for sending through an rc mailbox profile; a drop-in for
-- msdb.dbo.sp_send_dbmail. Twin of stored-procedures/mssql/rc_SendMail.sql.
--
-- Joins the caller's transaction (plain function, no COMMIT): a rolled-back caller enqueues nothing. Writes one
-- rc.Jobs row (Kind 'SendMail', Status 'Pending') and one rc.JobEvents 'enqueued' row; the AFTER INSERT trigger
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
-- Result: bigint — the mail item id (rc.Jobs.JobId). With a correlation_key already used for this profile,
--   the existing job's id, and nothing is written.
-- Payload (rc.Jobs.Payload, jsonb): {"recipients","copyRecipients","blindCopyRecipients","fromAddress","replyTo",
--   "subject","body","bodyFormat","importance","sensitivity"}; lists normalised to 'a@x.com;b@y.com', empty → null.
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
  correlation_key text DEFAULT NULL
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
      'sensitivity', initcap(v_sensitivity)
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
  RETURN v_job_id;
END
$$;

-- EXECUTE is granted by the DBA to the applications that send mail (GRANT EXECUTE ON FUNCTION rc.rc_sendmail …).
REVOKE ALL ON FUNCTION rc.rc_sendmail(text, text, text, text, text, text, text, text, text, text, text, timestamptz, text) FROM PUBLIC;
