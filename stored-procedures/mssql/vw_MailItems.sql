-- rc.vw_MailItems — one row per queued e-mail (Kind 'SendMail'), shaped like msdb.dbo.sysmail_allitems so a
-- DBA moving off Database Mail reads the same columns. Twin of stored-procedures/postgres/vw_MailItems.sql.
-- Repeatable file (re-applied on every migrate). ALTER VIEW / CREATE OR ALTER do not exist on Babelfish, so the
-- view is dropped and created again; the permissions granted on it (SELECT to applications, by the DBA) are
-- captured first and granted again afterwards, so a re-migrate keeps them as PostgreSQL's CREATE OR REPLACE does.
-- (Where sys.database_permissions is not available, the grants must be repeated by the DBA after migrate.)
--
-- Columns: mailitem_id, profile_id, profile_name, recipients, copy_recipients, blind_copy_recipients,
--   from_address, reply_to, subject, body, body_format, importance, sensitivity, send_request_date,
--   send_request_user, send_at, sent_status, sent_date, last_mod_date, attempts, last_error_code, last_error,
--   exchange_item_id, correlation_key, status, attachment_count, file_attachments. Times are UTC.
-- attachment_count: rc.JobAttachments rows of the mail (@attachments and @file_attachments together).
-- file_attachments: the @file_attachments paths joined with ';' in order (as sysmail_allitems shows them), NULL
--                   when there are none.
-- sent_status: Succeeded → 'sent'; Failed, Cancelled → 'failed'; Retrying → 'retrying';
--              Pending/Queued/Running after an earlier attempt failed (LastErrorCode set) → 'retrying';
--              else 'unsent' (a first attempt in progress, or a claim returned by the reconciler without error).
-- sent_date:   CompletedAt when Succeeded, else NULL.
-- Payload fields are read with OPENJSON … WITH (nvarchar(max)), not JSON_VALUE, which returns NULL for values
-- longer than 4000 characters (a long body). OPENJSON needs database compatibility level 130 or higher.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'tempdb..#rc_view_grants') IS NOT NULL DROP TABLE #rc_view_grants;
CREATE TABLE #rc_view_grants (Statement nvarchar(4000) NOT NULL);
IF OBJECT_ID(N'rc.vw_MailItems', N'V') IS NOT NULL AND OBJECT_ID(N'sys.database_permissions') IS NOT NULL
  EXEC(N'
    INSERT INTO #rc_view_grants (Statement)
    SELECT CONCAT(CASE p.state WHEN ''D'' THEN N''DENY '' ELSE N''GRANT '' END, p.permission_name,
                  N'' ON rc.vw_MailItems TO '', QUOTENAME(USER_NAME(p.grantee_principal_id)),
                  CASE p.state WHEN ''W'' THEN N'' WITH GRANT OPTION'' ELSE N'''' END, N'';'')
    FROM sys.database_permissions AS p
    WHERE p.class = 1 AND p.major_id = OBJECT_ID(N''rc.vw_MailItems'') AND p.state IN (''G'', ''W'', ''D'');');
DROP VIEW IF EXISTS rc.vw_MailItems;
GO

CREATE VIEW rc.vw_MailItems
AS
SELECT
  j.JobId AS [mailitem_id],
  j.MailboxId AS [profile_id],
  m.ProfileName AS [profile_name],
  p.recipients AS [recipients],
  p.copyRecipients AS [copy_recipients],
  p.blindCopyRecipients AS [blind_copy_recipients],
  p.fromAddress AS [from_address],
  p.replyTo AS [reply_to],
  p.subject AS [subject],
  p.body AS [body],
  p.bodyFormat AS [body_format],
  p.importance AS [importance],
  p.sensitivity AS [sensitivity],
  j.CreatedAt AS [send_request_date],
  j.CreatedBy AS [send_request_user],
  j.NotBefore AS [send_at],
  CAST(CASE
    WHEN j.Status = 'Succeeded' THEN 'sent'
    WHEN j.Status IN ('Failed', 'Cancelled') THEN 'failed'
    WHEN j.Status = 'Retrying' THEN 'retrying'
    WHEN j.LastErrorCode IS NOT NULL THEN 'retrying'
    ELSE 'unsent'
  END AS varchar(8)) AS [sent_status],
  CASE WHEN j.Status = 'Succeeded' THEN j.CompletedAt END AS [sent_date],
  j.UpdatedAt AS [last_mod_date],
  j.Attempts AS [attempts],
  j.LastErrorCode AS [last_error_code],
  j.LastError AS [last_error],
  j.ResultItemId AS [exchange_item_id],
  j.CorrelationKey AS [correlation_key],
  j.Status AS [status],
  a.AttachmentCount AS [attachment_count],
  a.FileAttachments AS [file_attachments]
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
CROSS APPLY (
  SELECT COUNT(*) AS AttachmentCount,
    STRING_AGG(CAST(x.FilePath AS nvarchar(max)), N';') WITHIN GROUP (ORDER BY x.Ordinal) AS FileAttachments
  FROM rc.JobAttachments AS x
  WHERE x.JobId = j.JobId
) AS a
CROSS APPLY OPENJSON(j.Payload) WITH (
  recipients nvarchar(max) '$.recipients',
  copyRecipients nvarchar(max) '$.copyRecipients',
  blindCopyRecipients nvarchar(max) '$.blindCopyRecipients',
  fromAddress nvarchar(max) '$.fromAddress',
  replyTo nvarchar(max) '$.replyTo',
  subject nvarchar(max) '$.subject',
  body nvarchar(max) '$.body',
  bodyFormat nvarchar(20) '$.bodyFormat',
  importance nvarchar(20) '$.importance',
  sensitivity nvarchar(20) '$.sensitivity'
) AS p
WHERE j.Kind = 'SendMail';
GO

-- Grant again what the previous view had.
DECLARE @grants nvarchar(max) = N'';
SELECT @grants = CONCAT(@grants, g.Statement, NCHAR(10)) FROM #rc_view_grants AS g;
IF @grants <> N'' EXEC(@grants);
DROP TABLE #rc_view_grants;
GO
