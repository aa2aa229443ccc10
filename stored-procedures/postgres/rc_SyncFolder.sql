-- rc.rc_SyncFolder — desired state: queue a job that makes one folder (contacts, calendar or tasks) hold exactly
-- the given items. Twin of stored-procedures/mssql/rc_SyncFolder.sql (same checks, order, numbers, messages
-- and payload).
--
-- The worker (worker/jobs/sync-folder.ts) lists the folder's items that carry this set's marker (extended
-- properties rcSyncSet / rcSyncKey / rcSyncFields), creates the items that are missing, updates only the fields
-- that changed since rc-exchange last applied them, deletes the marked items whose external key is no longer in
-- the set, and never touches items it did not create. Repeating the same set writes nothing to Exchange. A job
-- that finds a newer SyncFolder job of its profile for the same folder changes nothing ('skipped: …').
-- The counts land in the 'succeeded' event's Message ('created 2, updated 1, deleted 0, unchanged 97';
-- rc_getjob's resultmessage).
--
-- Writes one rc.Jobs row (Kind 'SyncFolder', Status 'Pending') and one rc.JobEvents 'enqueued' row, and cancels
-- the same profile's older SyncFolder jobs for the same folder that have not started yet (Pending, Queued,
-- Retrying: the new set supersedes theirs) with a 'cancelled' event each ('superseded by rc_SyncFolder job <id>
-- (was <status>)'). Validation happens before anything is written. Joins the caller's transaction (plain
-- function, no COMMIT). SECURITY DEFINER (callers need EXECUTE only); the caller is session_user.
--
-- Parameters (all optional by name):
--   profile_name    text     NULL   rc mailbox profile that does the work (needs the write right)
--   folder_name     text     NULL   the folder: NULL → the kind's default folder (Contacts / Calendar / Tasks);
--                                   'Name' or 'A/B' → a folder of that kind below it (created on first use);
--                                   'public:Path/To' → an EWS public folder
--   kind            text     NULL   contacts | calendar | tasks (any case; required)
--   items           jsonb    NULL   the desired items: a JSON array of {"external_key": text, "item": object}
--                                   (a single object counts as a one-element array, NULL / JSON null as none;
--                                   an item given as a JSON string holding an object is read as that object,
--                                   like T-SQL's nvarchar column). external_key: 1 to 200 characters, unique,
--                                   compared exactly (case and spaces count). item: keys are the kind's
--                                   create-function field parameters (rc_createcontact / rc_createappointment /
--                                   rc_createtask), validated by rc.fn_contactfields / fn_appointmentfields /
--                                   fn_taskfields. At most 5000 elements.
--   target_profile  text     NULL   another profile whose mailbox holds the folder (caller needs CanWrite)
--   correlation_key text     NULL   caller's idempotency key, at most 200 characters; '' → NULL
--   allow_empty     boolean  false  an empty items deletes every item this set put into the folder; it is
--                                   refused unless allow_empty is true (NULL → false)
--   folder          text     NULL   the same as folder_name (the name the issue used); pass one of them
-- Result: bigint — the JobId. With a correlation_key already used for this profile and kind SyncFolder, the
--   existing job's id, and nothing is written.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "kind": "contacts"|"calendar"|"tasks", "setKey": text,
--   "items": [{"externalKey": text, "fields": <Kind>Fields (every key present)}]}, items ordered by external key
--   (binary). setKey names the folder: lower-case '<kind>:<owner mailbox>:default', '<kind>:<owner>:named:<name>'
--   or '<kind>:public:<path>' (owner = the target profile's address, else the profile's own).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order: parameters, then the items one
-- after the other in external key order — an item's message starts 'rc_SyncFolder: item "<external key>": …'):
--   50001 profile_name missing or blank                                     (raised by rc.fn_resolveprofile)
--   50002 no mail profile with that name                                    (raised by rc.fn_resolveprofile)
--   50003 the profile is disabled                                           (raised by rc.fn_resolveprofile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_resolveprofile)
--   50500 kind missing or not contacts, calendar or tasks
--   50501 both folder and folder_name given
--   50050 the folder name is not valid (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50054 a public folder together with a target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50051 target_profile names no rc mail profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50052 the target_profile is disabled (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50053 the caller has no CanWrite grant on the target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_createtarget)
--   50506 more than 5000 items
--   50507 no items and allow_empty is not true
--   50502 an item without external_key (missing, JSON null or blank; also an element that is not an object)
--   50503 an external_key longer than 200 characters
--   50504 an external_key given more than once
--   an item's fields (raised by the kind's field helper: contacts rc.fn_ContactFields, tasks rc.fn_TaskFields, calendar rc.fn_AppointmentFields;
--   their files give each number's reason; "update only" numbers cannot occur, a desired item is never partial):
--   50300 contacts: the item is not a JSON object
--   50301 contacts: a key that is not a contact field, or a key twice
--   50302 contacts: a value that is not a JSON string or null
--   50310 contacts: clear_fields (update only)
--   50309 contacts: nothing to change (update only)
--   50304 contacts: a text field longer than 255 characters
--   50305 contacts: an e-mail address that is not a plain valid address
--   50306 contacts: web_page not an http(s) URL of at most 2048 characters
--   50307 contacts: birthday not a date between 1601-01-01 and 4500-12-31
--   50025 notes / body longer than 35 MB
--   50055 categories: an entry longer than 255 characters, or more than 50
--   50308 contacts: display_name cleared (update only)
--   50303 contacts: no name at all (given_name, surname, display_name, company_name, email_address1..3)
--   50400 tasks: the item is not a JSON object
--   50401 tasks: a key that is not a task field, or a key twice
--   50402 tasks: a value of the wrong JSON type
--   50403 tasks: subject missing or blank
--   50023 tasks, calendar: subject longer than 255 characters
--   50020 tasks, calendar: body_format not TEXT or HTML
--   50021 tasks: importance not Low, Normal or High
--   50404 tasks: start_date / due_date not a valid date
--   50405 tasks: due_date before start_date
--   50406 tasks: status not valid
--   50407 tasks: percent_complete not an integer 0..100
--   50408 tasks: status and percent_complete contradict
--   50409 tasks: reminder_time not valid
--   50410 tasks: body_format without body (update only)
--   50411 tasks: nothing to change (update only)
--   50412 tasks: clear_fields (update only)
--   50200 calendar: the item is not a JSON object
--   50201 calendar: a key that is not an appointment field, or a key twice
--   50202 calendar: a value of the wrong JSON type
--   50203 calendar: start_time missing
--   50204 calendar: end_time missing
--   50205 calendar: start_time / end_time not a date-time
--   50206 calendar: time_zone unknown
--   50207 calendar: end not after start
--   50208 calendar: all-day times not midnights in the zone
--   50209 calendar: times not given together (update only)
--   50210 calendar: location longer than 255 characters
--   50211 calendar: an attendee address that is not valid
--   50212 calendar: more than 500 attendees
--   50213 calendar: reminder_minutes not -1..40320
--   50214 calendar: show_as not valid
--   50215 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50216 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50217 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50218 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50219 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50220 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50221 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50222 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50223 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50224 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50225 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50226 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50227 calendar: recurrence not valid (see _AppointmentFields.sql)
--   50228 calendar: body_format without body (update only)
--   50229 calendar: nothing to change (update only)
--   50022 calendar: sensitivity not valid
-- "First" among items means the lowest external key in binary order (COLLATE "C").
CREATE OR REPLACE FUNCTION rc.rc_syncfolder(
  profile_name text DEFAULT NULL,
  folder_name text DEFAULT NULL,
  kind text DEFAULT NULL,
  items jsonb DEFAULT NULL,
  target_profile text DEFAULT NULL,
  correlation_key text DEFAULT NULL,
  allow_empty boolean DEFAULT false,
  folder text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_kind text := lower(btrim(rc_syncfolder.kind));
  v_folder jsonb;
  v_own_address text;
  v_set_key text;
  v_key text;
  v_elements jsonb;
  v_keys text[];
  v_row record;
  v_list jsonb[] := '{}';
  v_count int;
  v_bad text;
  v_bad_count int;
  v_item jsonb;
  v_prefix text;
  v_fields jsonb;
  v_job_id bigint;
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  v_mailbox_id := rc.fn_resolveprofile('rc_SyncFolder', rc_syncfolder.profile_name, 'write');

  IF v_kind IS NULL OR v_kind = '' THEN
    RAISE EXCEPTION 'rc_SyncFolder: @kind is missing. Pass contacts, calendar or tasks.'
      USING ERRCODE = 'R0500';
  END IF;
  IF v_kind NOT IN ('contacts', 'calendar', 'tasks') THEN
    RAISE EXCEPTION 'rc_SyncFolder: @kind "%" is not valid. Use contacts, calendar or tasks.', rc_syncfolder.kind
      USING ERRCODE = 'R0500';
  END IF;
  IF rc_syncfolder.folder IS NOT NULL AND rc_syncfolder.folder_name IS NOT NULL THEN
    RAISE EXCEPTION 'rc_SyncFolder: @folder and @folder_name are both given. Pass the folder in one of them (@folder_name, as the other procedures name it).'
      USING ERRCODE = 'R0501';
  END IF;

  -- Folder target and correlation key (50050, 50054, 50051, 50052, 50053, 50024); 50501 allows one folder
  -- parameter at most.
  SELECT t.folder, t.job_key INTO v_folder, v_key
  FROM rc.fn_createtarget('rc_SyncFolder',
    CASE WHEN rc_syncfolder.folder IS NOT NULL THEN '@folder' ELSE '@folder_name' END, v_mailbox_id,
    CASE WHEN rc_syncfolder.folder IS NOT NULL THEN rc_syncfolder.folder ELSE rc_syncfolder.folder_name END,
    rc_syncfolder.target_profile, rc_syncfolder.correlation_key) AS t;

  -- The set as a whole: size, keys present, short enough, unique. Elements that are not objects have no key.
  v_elements := CASE
    WHEN rc_syncfolder.items IS NULL OR jsonb_typeof(rc_syncfolder.items) = 'null' THEN '[]'::jsonb
    WHEN jsonb_typeof(rc_syncfolder.items) = 'array' THEN rc_syncfolder.items
    ELSE jsonb_build_array(rc_syncfolder.items) END;
  SELECT coalesce(array_agg(k.external_key ORDER BY k.external_key COLLATE "C"), '{}') INTO v_keys
  FROM jsonb_array_elements(v_elements) AS e
  CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(e.value) = 'object' THEN e.value ->> 'external_key' END
    AS external_key) AS k;
  v_count := cardinality(v_keys);
  IF v_count > 5000 THEN
    RAISE EXCEPTION 'rc_SyncFolder: @items holds % items, at most 5000 are allowed. Split the data over several folders (e.g. one per region).', v_count
      USING ERRCODE = 'R0506';
  END IF;
  IF v_count = 0 AND NOT coalesce(rc_syncfolder.allow_empty, false) THEN
    RAISE EXCEPTION 'rc_SyncFolder: @items is empty, which would delete every item rc_SyncFolder put into the folder. Pass @allow_empty = 1 to really empty it, or check the query that fills @items.'
      USING ERRCODE = 'R0507';
  END IF;
  IF EXISTS (SELECT 1 FROM unnest(v_keys) AS k (external_key) WHERE k.external_key IS NULL OR btrim(k.external_key) = '') THEN
    RAISE EXCEPTION 'rc_SyncFolder: an @items row has no external_key (NULL or blank). Give every item its own key of 1 to 200 characters (e.g. the customer number).'
      USING ERRCODE = 'R0502';
  END IF;
  SELECT k.external_key INTO v_bad
  FROM unnest(v_keys) WITH ORDINALITY AS k (external_key, ordinal)
  WHERE length(k.external_key) > 200 ORDER BY k.ordinal LIMIT 1;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'rc_SyncFolder: the external_key "%…" is % characters long, at most 200 are allowed. Use a shorter key (e.g. a hash of yours).', left(v_bad, 40), length(v_bad)
      USING ERRCODE = 'R0503';
  END IF;
  SELECT k.external_key, count(*) INTO v_bad, v_bad_count
  FROM unnest(v_keys) AS k (external_key)
  GROUP BY k.external_key HAVING count(*) > 1
  ORDER BY k.external_key COLLATE "C" LIMIT 1;
  IF v_bad_count IS NOT NULL THEN
    RAISE EXCEPTION 'rc_SyncFolder: the external_key "%" occurs % times in @items. External keys are compared exactly (case and spaces count) and must be unique; merge those items into one.', v_bad, v_bad_count
      USING ERRCODE = 'R0504';
  END IF;

  -- Each item's fields, validated by the kind's helper with a prefix naming the item.
  FOR v_row IN
    SELECT e.value ->> 'external_key' AS external_key, e.value -> 'item' AS item
    FROM jsonb_array_elements(v_elements) AS e
    ORDER BY e.value ->> 'external_key' COLLATE "C"
  LOOP
    v_item := v_row.item;
    IF jsonb_typeof(v_item) = 'string' THEN
      BEGIN
        v_item := (v_item #>> '{}')::jsonb;
      EXCEPTION WHEN invalid_text_representation THEN
        NULL; -- not JSON: the helper reports the item as not an object
      END;
    END IF;
    v_prefix := 'rc_SyncFolder: item "' || v_row.external_key || '"';
    v_fields := CASE v_kind
      WHEN 'contacts' THEN rc.fn_contactfields(v_prefix, v_item, false)
      WHEN 'tasks' THEN rc.fn_taskfields(v_prefix, v_item, false)
      ELSE rc.fn_appointmentfields(v_prefix, v_item, false) END;
    -- An array variable grows in place (expanded form); a jsonb one would be copied on every append.
    v_list := v_list || jsonb_build_object('externalKey', v_row.external_key, 'fields', v_fields);
  END LOOP;

  -- setKey: the folder, as one lower-case text (Exchange matches folder names case-insensitively).
  SELECT m.SmtpAddress INTO v_own_address FROM rc.Mailboxes AS m WHERE m.MailboxId = v_mailbox_id;
  v_set_key := lower(v_kind || ':' || CASE v_folder #>> '{location,kind}'
    WHEN 'public' THEN 'public:' || (v_folder #>> '{location,path}')
    WHEN 'named' THEN coalesce(v_folder ->> 'owner', v_own_address) || ':named:' || (v_folder #>> '{location,name}')
    ELSE coalesce(v_folder ->> 'owner', v_own_address) || ':default' END);

  -- The job (or, for a correlation key already used, the existing job's id and nothing written).
  v_job_id := rc.fn_enqueuejob('SyncFolder', v_mailbox_id,
    jsonb_build_object('folder', v_folder, 'kind', v_kind, 'setKey', v_set_key, 'items', to_jsonb(v_list)), v_key,
    NULL);

  -- Older sets for this folder that have not started yet are superseded. (For a reused correlation key there are
  -- none: they were superseded when that job was created, and rc_RetryJob refuses to bring them back.)
  WITH superseded AS (
    SELECT j.JobId, j.Status FROM rc.Jobs AS j
    WHERE j.MailboxId = v_mailbox_id AND j.Kind = 'SyncFolder' AND j.JobId < v_job_id
      AND j.Status IN ('Pending', 'Queued', 'Retrying') AND j.Payload ->> 'setKey' = v_set_key
    FOR UPDATE
  ), cancelled AS (
    UPDATE rc.Jobs AS j
    SET Status = 'Cancelled', CompletedAt = now(), LeaseUntil = NULL, UpdatedAt = now(), Version = j.Version + 1
    FROM superseded AS s
    WHERE j.JobId = s.JobId AND j.Status = s.Status
    RETURNING j.JobId, s.Status AS OldStatus, j.Attempts
  )
  INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message)
  SELECT c.JobId, 'cancelled', c.Attempts, 'Cancelled',
    'superseded by rc_SyncFolder job ' || v_job_id || ' (was ' || c.OldStatus || ')'
  FROM cancelled AS c;

  RETURN v_job_id;
END
$$;

-- EXECUTE is granted by the DBA to the applications that synchronise folders.
REVOKE ALL ON FUNCTION rc.rc_syncfolder(text, text, text, jsonb, text, text, boolean, text) FROM PUBLIC;
