-- rc.rc_CreateTask — queue the creation of one task in an rc mailbox profile's tasks: its default Tasks folder, a
-- named tasks folder (created on first use), another profile's mailbox, or an EWS public tasks folder. Twin of
-- stored-procedures/mssql/rc_CreateTask.sql.
--
-- Joins the caller's transaction (plain function, no COMMIT): a rolled-back caller enqueues nothing. Writes one
-- rc.Jobs row (Kind 'CreateTask', Status 'Pending') and one rc.JobEvents 'enqueued' row. Validation happens
-- before anything is written. SECURITY DEFINER (callers need EXECUTE only); the caller is session_user.
--
-- Parameters (all optional by name; enumerations case-insensitive and trimmed):
--   profile_name     text         NULL      rc mailbox profile that does the work (needs the write right)
--   subject          text         NULL      required, at most 255 characters (kept as given)
--   body             text         NULL      at most 35 MB; NULL → ''
--   body_format      text         'TEXT'    TEXT | HTML (NULL → TEXT)
--   start_date       date         NULL      1601-01-01 … 4500-12-31
--   due_date         date         NULL      same range, not before start_date
--   status           text         NULL      NotStarted | InProgress | Completed | WaitingOnOthers | Deferred
--   percent_complete int          NULL      0 … 100; with status see "Status and percent complete" below
--   importance       text         'Normal'  Low | Normal | High (NULL → Normal)
--   reminder_time    timestamptz  NULL      when Outlook reminds (kept to the second); NULL → no reminder
--   categories       text         NULL      ';' or ',' separated (rc.fn_categories)
--   folder_name      text         NULL      NULL → default Tasks; 'Name' or 'A/B' → a tasks folder below it
--                                           (created on first use); 'public:Path/To' → an EWS public folder
--   target_profile   text         NULL      another profile whose mailbox holds the task (needs CanWrite)
--   correlation_key  text         NULL      caller's idempotency key, at most 200 characters; '' → NULL
-- Status and percent complete: given together they must agree (Completed ⇔ 100, NotStarted ⇒ 0); given alone
--   the other follows (Completed → 100, other statuses → 0; 0 → NotStarted, 100 → Completed, else InProgress);
--   neither → NotStarted, 0.
-- Result: bigint — the JobId. With a correlation_key already used for this profile and kind, the existing job's
--   id, and nothing is written.
-- Payload (rc.Jobs.Payload): {"folder": FolderTarget, "fields": TaskFields} (rc.fn_taskfields with partial =
--   false: every key present).
-- Errors (SQLSTATE 'R' || lpad(number - 50000, 4, '0'), checked in this order):
--   50001 profile_name missing or blank                                     (raised by rc.fn_resolveprofile)
--   50002 no mail profile with that name                                    (raised by rc.fn_resolveprofile)
--   50003 the profile is disabled                                           (raised by rc.fn_resolveprofile)
--   50004 the caller (or 'public') has no grant with CanWrite on the profile (raised by rc.fn_resolveprofile)
--   50400 the fields as JSON are not an object      (not reachable here: rc.fn_taskfields serves rc_syncfolder too)
--   50401 unknown or repeated key                   (not reachable here)
--   50402 a value of the wrong JSON type            (not reachable here)
--   50412 clear_fields invalid                      (not reachable here: updates only)
--   50411 nothing to change                         (not reachable here: updates only)
--   50403 subject missing or blank
--   50023 subject longer than 255 characters
--   50025 body longer than 35 MB (36,700,160 characters)
--   50020 body_format is not TEXT or HTML
--   50410 body_format without body                  (not reachable here: updates only)
--   50404 start_date / due_date outside 1601-01-01 … 4500-12-31
--   50406 status is not NotStarted, InProgress, Completed, WaitingOnOthers or Deferred
--   50407 percent_complete is not a whole number from 0 to 100
--   50021 importance is not Low, Normal or High
--   50409 reminder_time outside the years 1601 … 4500
--   50055 categories: an entry longer than 255 characters or more than 50    (raised by rc.fn_categories)
--   50405 due_date before start_date
--   50408 status and percent_complete contradict (Completed ⇔ 100, NotStarted ⇒ 0)
--   50050 folder_name is not a valid folder name (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50054 a public folder together with a target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50051 target_profile names no rc mail profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50052 the target_profile is disabled (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50053 the caller has no CanWrite grant on the target_profile (raised by rc.fn_resolvefolder via rc.fn_createtarget)
--   50024 correlation_key longer than 200 characters (raised by rc.fn_createtarget)
CREATE OR REPLACE FUNCTION rc.rc_createtask(
  profile_name text DEFAULT NULL,
  subject text DEFAULT NULL,
  body text DEFAULT NULL,
  body_format text DEFAULT NULL,
  start_date date DEFAULT NULL,
  due_date date DEFAULT NULL,
  status text DEFAULT NULL,
  percent_complete int DEFAULT NULL,
  importance text DEFAULT NULL,
  reminder_time timestamptz DEFAULT NULL,
  categories text DEFAULT NULL,
  folder_name text DEFAULT NULL,
  target_profile text DEFAULT NULL,
  correlation_key text DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_mailbox_id int;
  v_fields jsonb;
  v_folder jsonb;
  v_key text;
BEGIN
  -- Profile and permission (50001, 50002, 50003, 50004).
  v_mailbox_id := rc.fn_resolveprofile('rc_CreateTask', rc_createtask.profile_name, 'write');

  v_fields := rc.fn_taskfields('rc_CreateTask', rc.fn_taskitem(
    rc_createtask.subject, rc_createtask.body, rc_createtask.body_format, rc_createtask.start_date,
    rc_createtask.due_date, rc_createtask.status, rc_createtask.percent_complete,
    rc_createtask.importance, rc_createtask.reminder_time, rc_createtask.categories, NULL), false);
  -- Target folder and correlation key (50050, 50054, 50051, 50052, 50053, 50024).
  SELECT t.folder, t.job_key INTO v_folder, v_key
  FROM rc.fn_createtarget('rc_CreateTask', '@folder_name', v_mailbox_id, rc_createtask.folder_name,
    rc_createtask.target_profile, rc_createtask.correlation_key) AS t;

  RETURN rc.fn_enqueuejob('CreateTask', v_mailbox_id, jsonb_build_object('folder', v_folder, 'fields', v_fields), v_key,
    NULL);
END
$$;

-- EXECUTE is granted by the DBA to the applications that write tasks.
REVOKE ALL ON FUNCTION rc.rc_createtask(text, text, text, text, date, date, text, int, text, timestamptz, text, text, text, text) FROM PUBLIC;
