-- rc.fn_ResolveFolder — internal helper: turns a procedure's folder parameters (calendar_name / folder_name and
-- target_profile) into the FolderTarget JSON the worker reads (worker/exchange/gateway.ts).
-- Twin of stored-procedures/mssql/_ResolveFolder.sql (the procedure rc.rc_internal_ResolveFolder there). Raises
-- with the calling procedure's name as prefix, so the caller's errors read exactly as if it had made the checks
-- itself. SECURITY INVOKER (the default) on purpose, like rc.fn_resolveprofile: only the SECURITY DEFINER rc_*
-- functions call it; the caller is session_user.
--
-- Call it after rc.fn_resolveprofile and before the caller writes anything:
--   v_folder := rc.fn_resolvefolder('rc_CreateAppointment', '@calendar_name', v_mailbox_id,
--     rc_createappointment.calendar_name, rc_createappointment.target_profile);
--
-- Folder names: the value is trimmed of spaces. NULL or blank → the kind's default folder. 'public:<path>' (prefix
-- in any case) → a public folder path below the public folder root. Anything else → a folder below the default
-- folder, one level ('Production plan') or a '/' path ('Plans/Production'). Segments are separated by '/', each
-- trimmed of spaces, and must be 1 to 255 characters without control characters (U+0000–U+001F, U+007F–U+009F);
-- the whole value at most 4000 characters.
-- Target profile: trimmed; NULL or blank → the calling profile's own mailbox. Else the profile must exist, be
-- enabled and grant the caller (session_user, or 'public') CanWrite; its mailbox becomes the owner. A target
-- profile naming the calling profile's own mailbox gives owner null, like no target at all.
--
-- Parameters:
--   proc_name      text  the calling procedure's name as users spell it ('rc_CreateContact'): the message prefix
--   param_name     text  the caller's folder parameter as users spell it ('@calendar_name' or '@folder_name'),
--                        named in 50050 and 50054
--   mailbox_id     int   the calling profile's rc.Mailboxes.MailboxId (from rc.fn_resolveprofile)
--   folder_name    text  the folder name as the caller received it
--   target_profile text  the target profile as the caller received it
-- Result: jsonb — {"owner": null | "<SmtpAddress of the target profile>", "location": {"kind":"default"} |
--   {"kind":"named","name":"A/B"} | {"kind":"public","path":"Sales/Customers"}} (segments trimmed, joined by '/').
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50050 the folder name breaks a rule above (the message names the rule and the segment)
--   50054 a public folder together with a @target_profile (public folders belong to no mailbox)
--   50051 @target_profile names no rc mail profile
--   50052 the @target_profile is disabled (rc.Mailboxes.Enabled = false)
--   50053 the caller (or 'public') has no CanWrite grant on the @target_profile
CREATE OR REPLACE FUNCTION rc.fn_resolvefolder(
  proc_name text,
  param_name text,
  mailbox_id int,
  folder_name text,
  target_profile text
)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_caller text := session_user;
  v_name text := nullif(btrim(fn_resolvefolder.folder_name, ' '), '');
  v_target text := nullif(btrim(fn_resolvefolder.target_profile, ' '), '');
  v_public boolean := false;
  v_segments text[];
  v_segment text;
  v_path text;
  v_problem text;
  v_owner text;
  v_target_mailbox_id int;
  v_target_enabled boolean;
BEGIN
  -- Folder name: split at '/', check every segment, rebuild the path from the trimmed segments.
  IF v_name IS NOT NULL THEN
    IF length(v_name) > 4000 THEN
      v_problem := format('it is %s characters long, at most 4000 are allowed', length(v_name));
    ELSE
      IF lower(left(v_name, 7)) = 'public:' THEN
        v_public := true;
        v_segments := string_to_array(substr(v_name, 8), '/');
      ELSE
        v_segments := string_to_array(v_name, '/');
      END IF;
      -- string_to_array('', '/') is empty: 'public:' alone has one empty segment, like the T-SQL loop sees it.
      IF cardinality(v_segments) = 0 THEN
        v_segments := ARRAY[''];
      END IF;
      FOR i IN 1..cardinality(v_segments) LOOP
        v_segment := btrim(v_segments[i], ' ');
        IF v_segment = '' THEN
          v_problem := format('segment %s is empty', i);
        ELSIF length(v_segment) > 255 THEN
          v_problem := format('segment %s is %s characters long, at most 255 are allowed', i, length(v_segment));
        ELSIF v_segment ~ '[\u0001-\u001f\u007f-\u009f]' THEN
          v_problem := format('segment %s contains a control character (code %s)', i,
            ascii(substring(v_segment FROM '[\u0001-\u001f\u007f-\u009f]')));
        END IF;
        EXIT WHEN v_problem IS NOT NULL;
        v_path := concat(v_path, CASE WHEN i > 1 THEN '/' END, v_segment);
      END LOOP;
    END IF;
    IF v_problem IS NOT NULL THEN
      RAISE EXCEPTION '%: % "%" is not a valid folder name: %. Name a folder as Name or Parent/Child (segments of 1 to 255 characters, no control characters), as public:Path/To/Folder for a public folder, or pass NULL for the default folder.', proc_name, param_name, folder_name, v_problem
        USING ERRCODE = 'R0050';
    END IF;
  END IF;

  IF v_public AND v_target IS NOT NULL THEN
    RAISE EXCEPTION '%: % names the public folder "%" and @target_profile is "%", but public folders belong to no mailbox. Pass @target_profile = NULL for a public folder, or name a folder of that profile''s mailbox.', proc_name, param_name, v_path, v_target
      USING ERRCODE = 'R0054';
  END IF;

  IF v_target IS NOT NULL THEN
    SELECT m.MailboxId, m.Enabled, m.SmtpAddress INTO v_target_mailbox_id, v_target_enabled, v_owner
    FROM rc.Mailboxes AS m WHERE lower(m.ProfileName) = lower(v_target);
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: @target_profile "%" does not exist. Check the name against rc.Mailboxes or create it with rc_AddMailbox.', proc_name, v_target
        USING ERRCODE = 'R0051';
    END IF;
    IF NOT v_target_enabled THEN
      RAISE EXCEPTION '%: @target_profile "%" is disabled. Enable it (rc.Mailboxes.Enabled) or write to another profile''s folders.', proc_name, v_target
        USING ERRCODE = 'R0052';
    END IF;
    IF NOT EXISTS (
      SELECT 1 FROM rc.MailboxGrants AS g
      WHERE g.MailboxId = v_target_mailbox_id AND g.CanWrite AND lower(g.Principal) IN (lower(v_caller), 'public')
    ) THEN
      RAISE EXCEPTION '%: principal "%" has no write right (can_write) on @target_profile "%". Ask the database owner to grant it with rc_GrantMailbox, or use a profile you may write to.', proc_name, v_caller, v_target
        USING ERRCODE = 'R0053';
    END IF;
    IF v_target_mailbox_id = fn_resolvefolder.mailbox_id THEN
      v_owner := NULL;
    END IF;
  END IF;

  RETURN jsonb_build_object(
    'owner', v_owner,
    'location', CASE
      WHEN v_path IS NULL THEN jsonb_build_object('kind', 'default')
      WHEN v_public THEN jsonb_build_object('kind', 'public', 'path', v_path)
      ELSE jsonb_build_object('kind', 'named', 'name', v_path)
    END
  );
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_resolvefolder(text, text, int, text, text) FROM PUBLIC;
