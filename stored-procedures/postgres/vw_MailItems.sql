-- rc.vw_MailItems — one row per queued e-mail (Kind 'SendMail'), shaped like msdb.dbo.sysmail_allitems so a
-- DBA moving off Database Mail reads the same columns. Twin of stored-procedures/mssql/vw_MailItems.sql.
-- Repeatable file (re-applied on every migrate): CREATE OR REPLACE keeps grants; a change that drops or
-- renames a column must DROP the view first and re-grant.
--
-- sent_status: Succeeded → 'sent'; Failed, Cancelled → 'failed'; Retrying → 'retrying';
--              Pending/Queued/Running after an earlier attempt failed (LastErrorCode set) → 'retrying';
--              else 'unsent' (a first attempt in progress, or a claim returned by the reconciler without error).
-- sent_date:   CompletedAt when Succeeded, else NULL.
-- attachment_count: rc.JobAttachments rows of the mail (attachments and file_attachments together).
-- file_attachments: the file_attachments paths joined with ';' in order (as sysmail_allitems shows them), NULL
--                   when there are none. (New columns go last: CREATE OR REPLACE VIEW can only append.)
CREATE OR REPLACE VIEW rc.vw_MailItems AS
SELECT
  j.JobId AS mailitem_id,
  j.MailboxId AS profile_id,
  m.ProfileName AS profile_name,
  j.Payload ->> 'recipients' AS recipients,
  j.Payload ->> 'copyRecipients' AS copy_recipients,
  j.Payload ->> 'blindCopyRecipients' AS blind_copy_recipients,
  j.Payload ->> 'fromAddress' AS from_address,
  j.Payload ->> 'replyTo' AS reply_to,
  j.Payload ->> 'subject' AS subject,
  j.Payload ->> 'body' AS body,
  j.Payload ->> 'bodyFormat' AS body_format,
  j.Payload ->> 'importance' AS importance,
  j.Payload ->> 'sensitivity' AS sensitivity,
  j.CreatedAt AS send_request_date,
  j.CreatedBy AS send_request_user,
  j.NotBefore AS send_at,
  CASE
    WHEN j.Status = 'Succeeded' THEN 'sent'
    WHEN j.Status IN ('Failed', 'Cancelled') THEN 'failed'
    WHEN j.Status = 'Retrying' THEN 'retrying'
    WHEN j.LastErrorCode IS NOT NULL THEN 'retrying'
    ELSE 'unsent'
  END::varchar(8) AS sent_status,
  CASE WHEN j.Status = 'Succeeded' THEN j.CompletedAt END AS sent_date,
  j.UpdatedAt AS last_mod_date,
  j.Attempts AS attempts,
  j.LastErrorCode AS last_error_code,
  j.LastError AS last_error,
  j.ResultItemId AS exchange_item_id,
  j.CorrelationKey AS correlation_key,
  j.Status AS status,
  a.attachment_count,
  a.file_attachments
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
CROSS JOIN LATERAL (
  SELECT count(*)::int AS attachment_count, string_agg(x.FilePath, ';' ORDER BY x.Ordinal) AS file_attachments
  FROM rc.JobAttachments AS x
  WHERE x.JobId = j.JobId
) AS a
WHERE j.Kind = 'SendMail';
