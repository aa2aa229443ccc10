-- rc.rc_RevokeMailbox — remove a principal's grant on an rc mail profile. Twin of
-- stored-procedures/mssql/rc_RevokeMailbox.sql. Admin procedure: EXECUTE stays with the owner unless granted.
-- Joins the caller's transaction. Jobs already queued by the principal are not touched.
--
-- Parameters:
--   principal    text NULL  as given to rc_GrantMailbox (case-insensitive)
--   profile_name text NULL  the rc mail profile (case-insensitive)
-- Result: none (void).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50110 principal missing, blank or longer than 128 characters
--   50001 profile_name missing or blank            (raised by rc.fn_ResolveProfile)
--   50002 no mail profile with that name           (raised by rc.fn_ResolveProfile)
--   50111 the principal has no grant on that profile
CREATE OR REPLACE FUNCTION rc.rc_revokemailbox(
  principal text DEFAULT NULL,
  profile_name text DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_principal text := btrim(rc_revokemailbox.principal);
  v_profile text := btrim(rc_revokemailbox.profile_name);
  v_mailbox_id int;
BEGIN
  IF v_principal IS NULL OR v_principal = '' OR length(v_principal) > 128 THEN
    RAISE EXCEPTION 'rc_RevokeMailbox: @principal is missing or longer than 128 characters. Pass the login name the grant was made for, or ''public''.'
      USING ERRCODE = 'R0110';
  END IF;
  v_mailbox_id := rc.fn_resolveprofile('rc_RevokeMailbox', rc_revokemailbox.profile_name, NULL); -- 50001, 50002

  DELETE FROM rc.MailboxGrants AS g WHERE g.MailboxId = v_mailbox_id AND lower(g.Principal) = lower(v_principal);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'rc_RevokeMailbox: principal "%" has no grant on mail profile "%". Nothing to revoke; see rc.MailboxGrants for the existing grants.', v_principal, v_profile
      USING ERRCODE = 'R0111';
  END IF;
END
$$;

REVOKE ALL ON FUNCTION rc.rc_revokemailbox(text, text) FROM PUBLIC;
