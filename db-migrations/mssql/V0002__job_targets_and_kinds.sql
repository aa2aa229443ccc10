-- V0002: what the complete outbound API (issue 4) needs in the core tables (T-SQL twin of
-- db-migrations/postgres/V0002__job_targets_and_kinds.sql). Forward-only.
--   * rc.Jobs.TargetJobId: an Update*/Delete* job addressed by the job that created the item (or by that job's
--     correlation key, or by the ItemId that job recorded: IX_Jobs_ResultItemId) points at it; the worker finds
--     the item's current ItemId/ChangeKey through it.
--   * CK_Jobs_Kind: the job kinds the worker knows.
--   * rc.JobAttachments.FilePath: an attachment rc_SendMail's @file_attachments names; the worker reads it from
--     its allowed directory (Content stays NULL for those rows).
--   * Table types for the table-valued parameters: rc.AttachmentList (rc_SendMail @attachments) and
--     rc.SyncItemList (rc_SyncFolder @items). Columns are nullable and wider than the tables on purpose: the
--     procedures report a missing or over-long value with a numbered error instead of a type error.

ALTER TABLE rc.Jobs ADD TargetJobId bigint NULL CONSTRAINT FK_Jobs_TargetJob REFERENCES rc.Jobs (JobId);
GO
CREATE INDEX IX_Jobs_TargetJobId ON rc.Jobs (TargetJobId) WHERE TargetJobId IS NOT NULL;
GO
-- An rc_Update*/rc_Delete* call that names an item by its Exchange ItemId finds the create job that recorded it
-- (rc_internal_ResolveItemRef). nvarchar(512) = 1024 bytes, within the 1700-byte nonclustered key limit.
CREATE INDEX IX_Jobs_ResultItemId ON rc.Jobs (ResultItemId) WHERE ResultItemId IS NOT NULL;
GO

ALTER TABLE rc.Jobs ADD CONSTRAINT CK_Jobs_Kind CHECK (Kind IN (
  'SendMail',
  'CreateAppointment', 'UpdateAppointment', 'DeleteAppointment',
  'CreateContact', 'UpdateContact', 'DeleteContact',
  'CreateTask', 'UpdateTask', 'DeleteTask',
  'SyncFolder'
));
GO

ALTER TABLE rc.JobAttachments ADD FilePath nvarchar(1024) NULL;
ALTER TABLE rc.JobAttachments ADD SizeBytes bigint NULL;
ALTER TABLE rc.JobAttachments ADD Ordinal int NOT NULL CONSTRAINT DF_JobAttachments_Ordinal DEFAULT (0);
ALTER TABLE rc.JobAttachments ALTER COLUMN Content varbinary(max) NULL;
GO
ALTER TABLE rc.JobAttachments ADD CONSTRAINT CK_JobAttachments_Source
  CHECK ((Content IS NULL AND FilePath IS NOT NULL) OR (Content IS NOT NULL AND FilePath IS NULL));
GO

CREATE TYPE rc.AttachmentList AS TABLE (
  name         nvarchar(4000) NULL,
  content_type nvarchar(4000) NULL,
  content      varbinary(max) NULL,
  content_id   nvarchar(4000) NULL,
  is_inline    bit NULL,
  -- Position of the attachment in the mail (1, 2, …): a table variable has no row order of its own.
  ordinal      int NULL
);
GO

CREATE TYPE rc.SyncItemList AS TABLE (
  external_key nvarchar(4000) NULL,
  item         nvarchar(max) NULL
);
GO
