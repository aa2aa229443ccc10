-- rc.rc_AddMailbox — register an Exchange mailbox as an rc mail profile. Twin of
-- stored-procedures/mssql/rc_AddMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Joins the caller's transaction. Nobody may send through the new profile until rc_GrantMailbox grants it.
--
-- Parameters:
--   profile_name text NULL   the profile's name (trimmed), 1..128 characters, unique case-insensitively
--   smtp_address text NULL   the mailbox's primary SMTP address (trimmed, plain address)
--   transport    text 'ews'  ews | graph (any case; NULL → ews; stored lower case)
--   ews_url      text NULL   EWS endpoint (http:// or https://, at most 2048 characters); NULL or blank → the
--                            worker's RC_EWS_URL
--   description  text NULL   free text, at most 400 characters (longer input is cut, like nvarchar(400))
-- Result: int — the new MailboxId.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50100 profile_name missing, blank or longer than 128 characters
--   50102 smtp_address missing or not a plain valid address
--   50103 transport is not ews or graph
--   50104 ews_url is not an http(s) URL of at most 2048 characters
--   50101 a profile with that name (any case) already exists
CREATE OR REPLACE FUNCTION rc.rc_addmailbox(
  profile_name text DEFAULT NULL,
  smtp_address text DEFAULT NULL,
  transport text DEFAULT 'ews',
  ews_url text DEFAULT NULL,
  description text DEFAULT NULL
)
RETURNS int
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_profile text := btrim(rc_addmailbox.profile_name);
  v_smtp text := btrim(rc_addmailbox.smtp_address, E' \t\r\n');
  v_transport text := lower(btrim(coalesce(rc_addmailbox.transport, 'ews')));
  v_url text := nullif(btrim(rc_addmailbox.ews_url), '');
  v_mailbox_id int;
BEGIN
  IF v_profile IS NULL OR v_profile = '' OR length(v_profile) > 128 THEN
    RAISE EXCEPTION 'rc_AddMailbox: @profile_name is missing or longer than 128 characters. Pass a short name the applications will use (e.g. ''alerts'').'
      USING ERRCODE = 'R0100';
  END IF;
  IF v_smtp IS NULL OR NOT rc.fn_isvalidaddress(v_smtp) THEN
    RAISE EXCEPTION 'rc_AddMailbox: @smtp_address "%" is not a valid e-mail address. Pass the mailbox''s primary SMTP address (user@example.com).', coalesce(v_smtp, '')
      USING ERRCODE = 'R0102';
  END IF;
  IF v_transport NOT IN ('ews', 'graph') THEN
    RAISE EXCEPTION 'rc_AddMailbox: @transport "%" is not valid. Use ews (Exchange Web Services) or graph (Microsoft Graph).', rc_addmailbox.transport
      USING ERRCODE = 'R0103';
  END IF;
  IF v_url IS NOT NULL AND (length(v_url) > 2048 OR v_url !~* '^https?://[^/?#\s]+([/?#]\S*)?$') THEN
    RAISE EXCEPTION 'rc_AddMailbox: @ews_url "%" is not an http(s) URL. Pass e.g. https://mail.example.com/EWS/Exchange.asmx, or NULL to use the worker''s RC_EWS_URL.', left(v_url, 200)
      USING ERRCODE = 'R0104';
  END IF;
  IF EXISTS (SELECT 1 FROM rc.Mailboxes AS m WHERE lower(m.ProfileName) = lower(v_profile)) THEN
    RAISE EXCEPTION 'rc_AddMailbox: mail profile "%" already exists. Pick another name, or change the existing row in rc.Mailboxes.', v_profile
      USING ERRCODE = 'R0101';
  END IF;

  BEGIN
    INSERT INTO rc.Mailboxes (ProfileName, SmtpAddress, Transport, EwsUrl, Description, CreatedBy)
    VALUES (v_profile, v_smtp, v_transport, v_url, left(rc_addmailbox.description, 400), session_user)
    RETURNING MailboxId INTO v_mailbox_id;
  EXCEPTION WHEN unique_violation THEN
    -- A concurrent call created the same name between the check above and this insert.
    RAISE EXCEPTION 'rc_AddMailbox: mail profile "%" already exists. Pick another name, or change the existing row in rc.Mailboxes.', v_profile
      USING ERRCODE = 'R0101';
  END;
  RETURN v_mailbox_id;
END
$$;

REVOKE ALL ON FUNCTION rc.rc_addmailbox(text, text, text, text, text) FROM PUBLIC;
