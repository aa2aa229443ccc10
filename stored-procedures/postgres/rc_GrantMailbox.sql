-- rc.rc_GrantMailbox — let a SQL principal (or 'public' = every caller) act as an rc mail profile. Twin of
-- stored-procedures/mssql/rc_GrantMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Upsert: an existing grant for the principal (matched case-insensitively) gets the new rights.
-- Joins the caller's transaction.
--
-- Parameters:
--   principal    text    NULL  login / role name as session_user reports it (trimmed, 1..128), or 'public'
--   profile_name text    NULL  the rc mail profile (case-insensitive)
--   can_send     boolean true  may queue mail (rc_SendMail); NULL → true
--   can_write    boolean true  may create/update/delete items (appointments, contacts, tasks); NULL → true
--   can_read     boolean true  may read the mirrored folders; NULL → true
-- Result: none (void).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50110 principal missing, blank or longer than 128 characters
--   50001 profile_name missing or blank            (raised by rc.fn_ResolveProfile)
--   50002 no mail profile with that name           (raised by rc.fn_ResolveProfile)
CREATE OR REPLACE FUNCTION rc.rc_grantmailbox(
  principal text DEFAULT NULL,
  profile_name text DEFAULT NULL,
  can_send boolean DEFAULT true,
  can_write boolean DEFAULT true,
  can_read boolean DEFAULT true
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_principal text := btrim(rc_grantmailbox.principal);
  v_mailbox_id int;
BEGIN
  IF v_principal IS NULL OR v_principal = '' OR length(v_principal) > 128 THEN
    RAISE EXCEPTION 'rc_GrantMailbox: @principal is missing or longer than 128 characters. Pass a login name, or ''public'' for every caller.'
      USING ERRCODE = 'R0110';
  END IF;
  v_mailbox_id := rc.fn_resolveprofile('rc_GrantMailbox', rc_grantmailbox.profile_name, NULL); -- 50001, 50002

  INSERT INTO rc.MailboxGrants AS g (MailboxId, Principal, CanSend, CanWrite, CanRead, GrantedBy)
  VALUES (
    v_mailbox_id,
    v_principal,
    coalesce(rc_grantmailbox.can_send, true),
    coalesce(rc_grantmailbox.can_write, true),
    coalesce(rc_grantmailbox.can_read, true),
    session_user
  )
  ON CONFLICT (MailboxId, lower(Principal)) DO UPDATE
    SET CanSend = excluded.CanSend, CanWrite = excluded.CanWrite, CanRead = excluded.CanRead,
        GrantedAt = now(), GrantedBy = excluded.GrantedBy;
END
$$;

REVOKE ALL ON FUNCTION rc.rc_grantmailbox(text, text, boolean, boolean, boolean) FROM PUBLIC;
