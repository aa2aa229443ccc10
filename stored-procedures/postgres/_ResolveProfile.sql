-- rc.fn_ResolveProfile — internal helper: the checks every rc_* procedure taking a profile_name starts with.
-- Twin of stored-procedures/mssql/_ResolveProfile.sql (rc.rc_internal_ResolveProfile there: T-SQL functions
-- cannot THROW). Validates profile_name, looks the profile up case-insensitively and, for an API call, checks
-- that it is enabled and that the caller may use it. Raises with the calling procedure's name as prefix, so the
-- caller's errors read exactly as if it had made the checks itself.
--
-- SECURITY INVOKER (the default) on purpose: it is only called from the SECURITY DEFINER rc_* functions, so it
-- reads rc.Mailboxes / rc.MailboxGrants with their owner's rights; a role given EXECUTE on it directly (e.g.
-- GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rc) gets "permission denied" on those tables, never their data.
-- The caller is session_user (unchanged by SECURITY DEFINER), as in the procedures.
--
-- Parameters:
--   proc_name      text  the calling procedure's name as users spell it ('rc_SendMail'): the message prefix
--   profile_name   text  as the caller received it; trimmed here
--   required_right text  NULL for an admin procedure (only 50001 / 50002 are checked); 'send' | 'write' | 'read'
--                        for an API procedure: also 50003 and 50004 against rc.MailboxGrants.CanSend / CanWrite /
--                        CanRead. Any other value is a bug in the caller and always fails with 50004.
-- Result: int — the profile's rc.Mailboxes.MailboxId.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order; 50003 and 50004 only with a
-- required_right):
--   50001 profile_name missing or blank
--   50002 no mail profile with that name
--   50003 the profile is disabled (rc.Mailboxes.Enabled = false)
--   50004 the caller (or 'public') has no grant with the required right on the profile
CREATE OR REPLACE FUNCTION rc.fn_resolveprofile(proc_name text, profile_name text, required_right text)
RETURNS int
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_profile text := btrim(fn_resolveprofile.profile_name);
  v_right text := fn_resolveprofile.required_right;
  v_caller text := session_user;
  v_mailbox_id int;
  v_enabled boolean;
BEGIN
  IF v_profile IS NULL OR v_profile = '' THEN
    RAISE EXCEPTION '%: @profile_name is missing. Pass the name of an rc mail profile (see rc.Mailboxes%).', proc_name,
      CASE WHEN v_right IS NOT NULL THEN '; create one with rc_AddMailbox' ELSE '' END
      USING ERRCODE = 'R0001';
  END IF;
  SELECT m.MailboxId, m.Enabled INTO v_mailbox_id, v_enabled
  FROM rc.Mailboxes AS m WHERE lower(m.ProfileName) = lower(v_profile);
  IF NOT FOUND THEN
    -- rc_RevokeMailbox does not suggest creating the profile: a new one has no grant to revoke.
    RAISE EXCEPTION '%: mail profile "%" does not exist. Check the name against rc.Mailboxes%.', proc_name, v_profile,
      CASE WHEN proc_name = 'rc_RevokeMailbox' THEN '' ELSE ' or create it with rc_AddMailbox' END
      USING ERRCODE = 'R0002';
  END IF;

  -- Admin procedures stop here; API procedures go on with the profile's state and the caller's grant.
  IF required_right IS NULL THEN
    RETURN v_mailbox_id;
  END IF;
  IF NOT v_enabled THEN
    RAISE EXCEPTION '%: mail profile "%" is disabled. Enable it (rc.Mailboxes.Enabled) or use another profile.', proc_name, v_profile
      USING ERRCODE = 'R0003';
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM rc.MailboxGrants AS g
    WHERE g.MailboxId = v_mailbox_id
      AND CASE v_right WHEN 'send' THEN g.CanSend WHEN 'write' THEN g.CanWrite WHEN 'read' THEN g.CanRead END
      AND lower(g.Principal) IN (lower(v_caller), 'public')
  ) THEN
    RAISE EXCEPTION '%: principal "%" has no % right (can_%) on mail profile "%". Ask the database owner to grant it with rc_GrantMailbox, or use a profile you may %.', proc_name, v_caller, v_right, v_right, v_profile,
      CASE v_right WHEN 'send' THEN 'send from' WHEN 'write' THEN 'write to' WHEN 'read' THEN 'read from' ELSE 'use' END
      USING ERRCODE = 'R0004';
  END IF;
  RETURN v_mailbox_id;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_resolveprofile(text, text, text) FROM PUBLIC;
