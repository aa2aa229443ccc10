-- rc.vw_FailedJobs — every job that failed for good (Status 'Failed'): which profile and kind, why, after how
-- many attempts, and when. Twin of stored-procedures/mssql/vw_FailedJobs.sql. Repeatable file (re-applied on
-- every migrate): CREATE OR REPLACE keeps grants; a change that drops or renames a column must DROP the view
-- first and re-grant.
-- A view has no order: read it newest first with ORDER BY FailedAt DESC. rc_RetryJob takes a row's JobId back
-- to the queue (it then leaves this view); rc_GetJob shows one job in full.
-- Like rc.vw_MailItems it shows every profile's jobs: grant SELECT to operators, not to applications.
-- Columns: JobId, Kind, MailboxId, ProfileName, LastErrorCode, LastError, Attempts, MaxAttempts,
--   CreatedAt, CreatedBy, FailedAt (CompletedAt), CorrelationKey, TargetJobId.
CREATE OR REPLACE VIEW rc.vw_FailedJobs AS
SELECT
  j.JobId AS JobId,
  j.Kind AS Kind,
  j.MailboxId AS MailboxId,
  m.ProfileName AS ProfileName,
  j.LastErrorCode AS LastErrorCode,
  j.LastError AS LastError,
  j.Attempts AS Attempts,
  j.MaxAttempts AS MaxAttempts,
  j.CreatedAt AS CreatedAt,
  j.CreatedBy AS CreatedBy,
  j.CompletedAt AS FailedAt,
  j.CorrelationKey AS CorrelationKey,
  j.TargetJobId AS TargetJobId
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
WHERE j.Status = 'Failed';
