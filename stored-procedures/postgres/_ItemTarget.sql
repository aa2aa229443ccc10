-- rc.fn_ItemTarget — internal helper: the start every rc_update* / rc_delete* function shares — the calling
-- profile with the write right (rc.fn_resolveprofile), then the item it names (rc.fn_resolveitemref). Twin of
-- stored-procedures/mssql/_ItemTarget.sql (the procedure rc.rc_internal_ItemTarget there). Writes nothing: call
-- it first, before any write. SECURITY INVOKER (the default): only the SECURITY DEFINER rc_* functions call it.
--
-- Parameters:
--   proc_name       text    the calling procedure's name ('rc_UpdateTask'): the message prefix
--   profile_name    text    the caller's profile_name
--   create_kind     text    the create kind that names the item ('CreateAppointment', 'CreateContact', 'CreateTask')
--   target_job_id   bigint  } the caller's item reference, exactly one given
--   item_id         text    } (see rc.fn_resolveitemref)
--   correlation_key text    }
-- Result: one row (OUT parameters) — mailbox_id int: the profile's rc.Mailboxes.MailboxId; resolved_job_id
--   bigint: rc.Jobs.TargetJobId of the new job, or NULL; resolved_item_id text: the payload's "itemId", or NULL
--   (exactly one of the two is non-NULL).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank                                    (raised by rc.fn_resolveprofile)
--   50002 no mail profile with that name                                   (raised by rc.fn_resolveprofile)
--   50003 the profile is disabled                                          (raised by rc.fn_resolveprofile)
--   50004 the caller (or 'public') has no grant with CanWrite              (raised by rc.fn_resolveprofile)
--   50060 none, or more than one, of target_job_id, item_id and correlation_key (raised by rc.fn_resolveitemref)
--   50061 target_job_id is not a job of create_kind of this profile        (raised by rc.fn_resolveitemref)
--   50024 correlation_key longer than 200 characters                       (raised by rc.fn_resolveitemref)
--   50062 no job of create_kind of this profile has that correlation_key   (raised by rc.fn_resolveitemref)
--   50063 item_id blank or longer than 512 characters                      (raised by rc.fn_resolveitemref)
--   50064 the create job is Failed or Cancelled                            (raised by rc.fn_resolveitemref)
--   50065 the item is deleted or being deleted                             (raised by rc.fn_resolveitemref)
CREATE OR REPLACE FUNCTION rc.fn_itemtarget(
  proc_name text,
  profile_name text,
  create_kind text,
  target_job_id bigint,
  item_id text,
  correlation_key text,
  OUT mailbox_id int,
  OUT resolved_job_id bigint,
  OUT resolved_item_id text
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  fn_itemtarget.mailbox_id := rc.fn_resolveprofile(fn_itemtarget.proc_name, fn_itemtarget.profile_name, 'write');
  -- The item (50060 … 50065).
  SELECT r.resolved_job_id, r.resolved_item_id INTO fn_itemtarget.resolved_job_id, fn_itemtarget.resolved_item_id
  FROM rc.fn_resolveitemref(fn_itemtarget.proc_name, fn_itemtarget.mailbox_id, fn_itemtarget.create_kind,
    fn_itemtarget.target_job_id, fn_itemtarget.item_id, fn_itemtarget.correlation_key) AS r;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_itemtarget(text, text, text, bigint, text, text) FROM PUBLIC;
