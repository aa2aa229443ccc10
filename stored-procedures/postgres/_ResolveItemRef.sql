-- rc.fn_ResolveItemRef — internal helper: the item an rc_Update* / rc_Delete* call addresses, by the JobId of
-- the create call (target_job_id), by its Exchange ItemId (item_id) or by the correlation key given to the
-- create call (correlation_key). Twin of stored-procedures/mssql/_ResolveItemRef.sql (the procedure
-- rc.rc_internal_ResolveItemRef there). Raises with the calling procedure's name as prefix. Writes nothing.
-- SECURITY INVOKER (the default) on purpose, like rc.fn_resolveprofile: only the SECURITY DEFINER rc_* functions
-- call it.
--
-- Call it after rc.fn_resolveprofile and before the caller writes anything:
--   SELECT r.resolved_job_id, r.resolved_item_id INTO v_target_job_id, v_item_id
--   FROM rc.fn_resolveitemref('rc_UpdateAppointment', v_mailbox_id, 'CreateAppointment',
--     rc_updateappointment.target_job_id, rc_updateappointment.item_id, rc_updateappointment.correlation_key) AS r;
-- then write v_target_job_id into rc.Jobs.TargetJobId and v_item_id as the payload's "itemId".
--
-- Rules: exactly one of the three is given (NULL = not given; correlation_key '' counts as NULL, as in
-- rc_SendMail). A job (by id or by key) must be a create_kind job of the same mailbox; it may still be pending
-- (the worker waits for it), but not Failed or Cancelled. An item_id is trimmed of spaces and must then be 1 to
-- 512 characters. When a create_kind job of the same mailbox recorded that ItemId (rc.Jobs.ResultItemId: an item
-- rc-exchange created), the call addresses that job exactly as if target_job_id had named it: the job is the
-- result (resolved_item_id NULL), so the worker applies the change with the ChangeKey rc-exchange last recorded
-- for the item and records the new one where later calls by job id or key find it (Store.findTargetItem), and
-- the job rules (50064) apply. Any other ItemId is not looked up (Exchange decides whether it exists): it is the
-- result, and the worker changes the item without a known version. Either way, an earlier Delete* job of the
-- same kind and item that is not Failed or Cancelled means the item is gone or going: for a job that is a Delete*
-- job with TargetJobId = that job, or with payload itemId = that job's ResultItemId; for an item_id a Delete* job
-- with payload itemId = item_id, or whose target job's ResultItemId is item_id. ItemIds are compared with =
-- (case-sensitive; the lookup uses IX_Jobs_ResultItemId).
--
-- Parameters:
--   proc_name       text    the calling procedure's name as users spell it ('rc_UpdateTask'): the message prefix
--   mailbox_id      int     the calling profile's rc.Mailboxes.MailboxId
--   create_kind     text    'CreateAppointment' | 'CreateContact' | 'CreateTask': the kind of the job that created
--                           the item (the Delete* kind is derived from it)
--   target_job_id   bigint  the create call's JobId, or NULL
--   item_id         text    an Exchange ItemId, or NULL
--   correlation_key text    the create call's correlation_key, or NULL
-- Result: one row (OUT parameters) resolved_job_id bigint — the create job's JobId (NULL for an item_id no create
--   job recorded) — and resolved_item_id text — the trimmed item_id when no create job recorded it, else NULL;
--   exactly one is non-NULL.
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50060 none, or more than one, of @target_job_id, @item_id and @correlation_key given
--   50061 @target_job_id is not a @create_kind job of this profile
--   50024 @correlation_key longer than 200 characters
--   50062 no @create_kind job of this profile has that @correlation_key
--   50063 @item_id blank or longer than 512 characters (after trimming)
--   50064 the create job (named, or the one that recorded @item_id) is Failed or Cancelled: no item to change
--   50065 an earlier Delete* job of the item is not Failed or Cancelled: the item is deleted or being deleted
CREATE OR REPLACE FUNCTION rc.fn_resolveitemref(
  proc_name text,
  mailbox_id int,
  create_kind text,
  target_job_id bigint,
  item_id text,
  correlation_key text,
  OUT resolved_job_id bigint,
  OUT resolved_item_id text
)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_key text := nullif(fn_resolveitemref.correlation_key, '');
  v_item text := btrim(fn_resolveitemref.item_id, ' ');
  v_given int := (fn_resolveitemref.target_job_id IS NOT NULL)::int + (fn_resolveitemref.item_id IS NOT NULL)::int
    + (v_key IS NOT NULL)::int;
  v_delete_kind text := 'Delete' || substr(fn_resolveitemref.create_kind, 7);
  v_noun text := lower(substr(fn_resolveitemref.create_kind, 7));
  v_profile text;
  v_status text;
  v_result_item text;
  v_delete_job_id bigint;
BEGIN
  SELECT m.ProfileName INTO v_profile FROM rc.Mailboxes AS m WHERE m.MailboxId = fn_resolveitemref.mailbox_id;

  IF v_given <> 1 THEN
    RAISE EXCEPTION '%: % of @target_job_id, @item_id and @correlation_key given, exactly one must name the item. Pass the JobId the create call returned, the Exchange ItemId (rc.Jobs.ResultItemId) or the create call''s correlation key.', proc_name,
      CASE WHEN v_given = 0 THEN 'none' ELSE v_given::text END
      USING ERRCODE = 'R0060';
  END IF;

  IF fn_resolveitemref.target_job_id IS NOT NULL THEN
    SELECT j.JobId, j.Status, j.ResultItemId INTO resolved_job_id, v_status, v_result_item
    FROM rc.Jobs AS j
    WHERE j.JobId = fn_resolveitemref.target_job_id AND j.MailboxId = fn_resolveitemref.mailbox_id
      AND j.Kind = fn_resolveitemref.create_kind;
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: @target_job_id % is not a % job of mail profile "%". Pass the JobId that rc_% returned for this profile.', proc_name, fn_resolveitemref.target_job_id, create_kind, v_profile, create_kind
        USING ERRCODE = 'R0061';
    END IF;
  ELSIF v_key IS NOT NULL THEN
    IF length(v_key) > 200 THEN
      RAISE EXCEPTION '%: @correlation_key is % characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).', proc_name, length(v_key)
        USING ERRCODE = 'R0024';
    END IF;
    SELECT j.JobId, j.Status, j.ResultItemId INTO resolved_job_id, v_status, v_result_item
    FROM rc.Jobs AS j
    WHERE j.MailboxId = fn_resolveitemref.mailbox_id AND j.Kind = fn_resolveitemref.create_kind
      AND j.CorrelationKey = v_key;
    IF NOT FOUND THEN
      RAISE EXCEPTION '%: no % job of mail profile "%" has @correlation_key "%". Pass the key given to rc_% for this profile.', proc_name, create_kind, v_profile, v_key, create_kind
        USING ERRCODE = 'R0062';
    END IF;
  ELSE
    IF length(v_item) = 0 OR length(v_item) > 512 THEN
      RAISE EXCEPTION '%: @item_id is % characters long (after trimming), an Exchange ItemId has 1 to 512. Pass the id from rc.Jobs.ResultItemId, or name the item by @target_job_id or @correlation_key.', proc_name, length(v_item)
        USING ERRCODE = 'R0063';
    END IF;
    -- An item rc-exchange created: address its create job (IX_Jobs_ResultItemId).
    SELECT j.JobId, j.Status, j.ResultItemId INTO resolved_job_id, v_status, v_result_item
    FROM rc.Jobs AS j
    WHERE j.ResultItemId = v_item AND j.MailboxId = fn_resolveitemref.mailbox_id
      AND j.Kind = fn_resolveitemref.create_kind
    ORDER BY j.JobId DESC
    LIMIT 1;
    IF NOT FOUND THEN
      resolved_item_id := v_item;
      v_result_item := v_item;
    END IF;
  END IF;

  IF v_status IN ('Failed', 'Cancelled') THEN
    RAISE EXCEPTION '%: % job % is %, so there is no % to change or delete. Create the % again, or retry that job (rc_RetryJob) first.', proc_name, create_kind, resolved_job_id, v_status, v_noun, v_noun
      USING ERRCODE = 'R0064';
  END IF;

  SELECT d.JobId INTO v_delete_job_id
  FROM rc.Jobs AS d
  LEFT JOIN rc.Jobs AS t ON t.JobId = d.TargetJobId
  WHERE d.MailboxId = fn_resolveitemref.mailbox_id
    AND d.Kind = v_delete_kind
    AND d.Status NOT IN ('Failed', 'Cancelled')
    AND (
      (resolved_job_id IS NOT NULL AND d.TargetJobId = resolved_job_id)
      OR d.Payload->>'itemId' = v_result_item
      OR t.ResultItemId = v_result_item
    )
  ORDER BY d.JobId
  LIMIT 1;
  IF v_delete_job_id IS NOT NULL THEN
    RAISE EXCEPTION '%: the % is already deleted or being deleted by % job %. There is nothing left to change or delete; create a new % instead.', proc_name, v_noun, v_delete_kind, v_delete_job_id, v_noun
      USING ERRCODE = 'R0065';
  END IF;
END
$$;

-- Internal: only the rc_* functions (same owner) call it.
REVOKE ALL ON FUNCTION rc.fn_resolveitemref(text, int, text, bigint, text, text) FROM PUBLIC;
