-- V0002: what the complete outbound API (issue 4) needs in the core tables (PostgreSQL twin of
-- db-migrations/mssql/V0002__job_targets_and_kinds.sql). Forward-only.
--   * rc.Jobs.TargetJobId: an Update*/Delete* job addressed by the job that created the item (or by that job's
--     correlation key, or by the ItemId that job recorded: IX_Jobs_ResultItemId) points at it; the worker finds
--     the item's current ItemId/ChangeKey through it.
--   * CK_Jobs_Kind: the job kinds the worker knows.
--   * rc.JobAttachments.FilePath: an attachment rc_SendMail's file_attachments names; the worker reads it from
--     its allowed directory (Content stays empty for those rows).
-- Attachments and desired-state items reach the PostgreSQL functions as jsonb (no table types here).

ALTER TABLE rc.Jobs ADD COLUMN TargetJobId bigint NULL
  CONSTRAINT FK_Jobs_TargetJob REFERENCES rc.Jobs (JobId);
CREATE INDEX IX_Jobs_TargetJobId ON rc.Jobs (TargetJobId) WHERE TargetJobId IS NOT NULL;
-- An rc_update*/rc_delete* call that names an item by its Exchange ItemId finds the create job that recorded it
-- (rc.fn_resolveitemref).
CREATE INDEX IX_Jobs_ResultItemId ON rc.Jobs (ResultItemId) WHERE ResultItemId IS NOT NULL;

ALTER TABLE rc.Jobs ADD CONSTRAINT CK_Jobs_Kind CHECK (Kind IN (
  'SendMail',
  'CreateAppointment', 'UpdateAppointment', 'DeleteAppointment',
  'CreateContact', 'UpdateContact', 'DeleteContact',
  'CreateTask', 'UpdateTask', 'DeleteTask',
  'SyncFolder'
));

ALTER TABLE rc.JobAttachments ADD COLUMN FilePath varchar(1024) NULL;
ALTER TABLE rc.JobAttachments ADD COLUMN SizeBytes bigint NULL;
ALTER TABLE rc.JobAttachments ADD COLUMN Ordinal int NOT NULL DEFAULT 0;
ALTER TABLE rc.JobAttachments ALTER COLUMN Content DROP NOT NULL;
ALTER TABLE rc.JobAttachments ADD CONSTRAINT CK_JobAttachments_Source
  CHECK ((Content IS NULL) <> (FilePath IS NULL));
