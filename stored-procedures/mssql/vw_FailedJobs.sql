-- rc.vw_FailedJobs — every job that failed for good (Status 'Failed'): which profile and kind, why, after how
-- many attempts, and when. Twin of stored-procedures/postgres/vw_FailedJobs.sql. Repeatable file: dropped and
-- created again (no ALTER VIEW on Babelfish), with the permissions granted on the old view captured first and
-- granted again afterwards (see vw_MailItems.sql).
-- A view has no order: read it newest first with ORDER BY FailedAt DESC. rc_RetryJob takes a row's JobId back
-- to the queue (it then leaves this view); rc_GetJob shows one job in full.
-- Like rc.vw_MailItems it shows every profile's jobs: grant SELECT to operators, not to applications.
-- Columns: JobId, Kind, MailboxId, ProfileName, LastErrorCode, LastError, Attempts, MaxAttempts,
--   CreatedAt (UTC), CreatedBy, FailedAt (CompletedAt, UTC), CorrelationKey, TargetJobId.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'tempdb..#rc_view_grants') IS NOT NULL DROP TABLE #rc_view_grants;
CREATE TABLE #rc_view_grants (Statement nvarchar(4000) NOT NULL);
IF OBJECT_ID(N'rc.vw_FailedJobs', N'V') IS NOT NULL AND OBJECT_ID(N'sys.database_permissions') IS NOT NULL
  EXEC(N'
    INSERT INTO #rc_view_grants (Statement)
    SELECT CONCAT(CASE p.state WHEN ''D'' THEN N''DENY '' ELSE N''GRANT '' END, p.permission_name,
                  N'' ON rc.vw_FailedJobs TO '', QUOTENAME(USER_NAME(p.grantee_principal_id)),
                  CASE p.state WHEN ''W'' THEN N'' WITH GRANT OPTION'' ELSE N'''' END, N'';'')
    FROM sys.database_permissions AS p
    WHERE p.class = 1 AND p.major_id = OBJECT_ID(N''rc.vw_FailedJobs'') AND p.state IN (''G'', ''W'', ''D'');');
DROP VIEW IF EXISTS rc.vw_FailedJobs;
GO

CREATE VIEW rc.vw_FailedJobs
AS
SELECT
  j.JobId AS [JobId],
  j.Kind AS [Kind],
  j.MailboxId AS [MailboxId],
  m.ProfileName AS [ProfileName],
  j.LastErrorCode AS [LastErrorCode],
  j.LastError AS [LastError],
  j.Attempts AS [Attempts],
  j.MaxAttempts AS [MaxAttempts],
  j.CreatedAt AS [CreatedAt],
  j.CreatedBy AS [CreatedBy],
  j.CompletedAt AS [FailedAt],
  j.CorrelationKey AS [CorrelationKey],
  j.TargetJobId AS [TargetJobId]
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
WHERE j.Status = 'Failed';
GO

-- Grant again what the previous view had.
DECLARE @grants nvarchar(max) = N'';
SELECT @grants = CONCAT(@grants, g.Statement, NCHAR(10)) FROM #rc_view_grants AS g;
IF @grants <> N'' EXEC(@grants);
DROP TABLE #rc_view_grants;
GO
