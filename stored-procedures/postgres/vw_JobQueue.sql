-- rc.vw_JobQueue — how much work sits in each status, per kind and mailbox, and how old the oldest is.
-- Twin of stored-procedures/mssql/vw_JobQueue.sql. Repeatable file (re-applied on every migrate): CREATE OR
-- REPLACE keeps grants; a change that drops or renames a column must DROP the view first and re-grant.
-- Covers every status, finished ones included (Succeeded/Failed/Cancelled show what history is kept).
CREATE OR REPLACE VIEW rc.vw_JobQueue AS
SELECT
  j.Status AS Status,
  j.Kind AS Kind,
  j.MailboxId AS MailboxId,
  m.ProfileName AS ProfileName,
  count(*)::int AS JobCount,
  min(j.CreatedAt) AS OldestCreatedAt,
  floor(extract(epoch FROM now() - min(j.CreatedAt)))::int AS OldestAgeSeconds
FROM rc.Jobs AS j
JOIN rc.Mailboxes AS m ON m.MailboxId = j.MailboxId
GROUP BY j.Status, j.Kind, j.MailboxId, m.ProfileName;
