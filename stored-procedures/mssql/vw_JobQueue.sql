-- rc.vw_JobQueue — how much work sits in each status, per kind and mailbox, and how old the oldest is.
-- Twin of stored-procedures/postgres/vw_JobQueue.sql. Repeatable file (re-applied on every migrate): dropped and
-- created again (no ALTER VIEW on Babelfish), with the permissions granted on the old view captured first and
-- granted again afterwards (see vw_MailItems.sql).
-- Covers every status, finished ones included (Succeeded/Failed/Cancelled show what history is kept).
-- Columns: Status, Kind, MailboxId, ProfileName, JobCount (int), OldestCreatedAt (UTC),
--   OldestAgeSeconds (int, whole seconds, floor — DATEDIFF_BIG(millisecond) / 1000 never rounds up).

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'tempdb..#rc_view_grants') IS NOT NULL DROP TABLE #rc_view_grants;
CREATE TABLE #rc_view_grants (Statement nvarchar(4000) NOT NULL);
IF OBJECT_ID(N'rc.vw_JobQueue', N'V') IS NOT NULL AND OBJECT_ID(N'sys.database_permissions') IS NOT NULL
  EXEC(N'
    INSERT INTO #rc_view_grants (Statement)
    SELECT CONCAT(CASE p.state WHEN ''D'' THEN N''DENY '' ELSE N''GRANT '' END, p.permission_name,
                  N'' ON rc.vw_JobQueue TO '', QUOTENAME(USER_NAME(p.grantee_principal_id)),
                  CASE p.state WHEN ''W'' THEN N'' WITH GRANT OPTION'' ELSE N'''' END, N'';'')
    FROM sys.database_permissions AS p
    WHERE p.class = 1 AND p.major_id = OBJECT_ID(N''rc.vw_JobQueue'') AND p.state IN (''G'', ''W'', ''D'');');
DROP VIEW IF EXISTS rc.vw_JobQueue;
GO

CREATE VIEW rc.vw_JobQueue
AS
SELECT
  j.Status AS [Status],
  j.Kind AS [Kind],
  j.MailboxId AS [MailboxId],
  m.ProfileName AS [ProfileName],
  COUNT(*) AS [JobCount],
  MIN(j.CreatedAt) AS [OldestCreatedAt],
  CAST(DATEDIFF_BIG(millisecond, MIN(j.CreatedAt), SYSUTCDATETIME()) / 1000 AS int) AS [OldestAgeSeconds]
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
GROUP BY j.Status, j.Kind, j.MailboxId, m.ProfileName;
GO

-- Grant again what the previous view had.
DECLARE @grants nvarchar(max) = N'';
SELECT @grants = CONCAT(@grants, g.Statement, NCHAR(10)) FROM #rc_view_grants AS g;
IF @grants <> N'' EXEC(@grants);
DROP TABLE #rc_view_grants;
GO
