-- V0001: the outbox core — mailboxes, grants, jobs, attachments, events (PostgreSQL twin of
-- db-migrations/mssql/V0001__create_core_tables.sql). Forward-only: never edit once released; add V0002… instead.
-- Identifiers are unquoted, so PostgreSQL folds them to lower case (rc.jobs.jobid); T-SQL keeps the casing.

CREATE SCHEMA IF NOT EXISTS rc;

CREATE TABLE rc.Mailboxes (
  MailboxId   int GENERATED ALWAYS AS IDENTITY CONSTRAINT PK_Mailboxes PRIMARY KEY,
  ProfileName varchar(128) NOT NULL CONSTRAINT UQ_Mailboxes_ProfileName UNIQUE,
  SmtpAddress varchar(320) NOT NULL,
  Transport   varchar(10) NOT NULL DEFAULT 'ews' CONSTRAINT CK_Mailboxes_Transport CHECK (Transport IN ('ews', 'graph')),
  EwsUrl      varchar(2048) NULL,
  Enabled     boolean NOT NULL DEFAULT true,
  Description varchar(400) NULL,
  CreatedAt   timestamptz NOT NULL DEFAULT now(),
  CreatedBy   varchar(128) NOT NULL
);
-- SQL Server's default collation compares profile names case-insensitively; make PostgreSQL refuse 'Sales'
-- next to 'sales' the same way (the procedures look profiles up by lower(ProfileName)).
CREATE UNIQUE INDEX UX_Mailboxes_ProfileName_Lower ON rc.Mailboxes (lower(ProfileName));

CREATE TABLE rc.MailboxGrants (
  MailboxId int NOT NULL CONSTRAINT FK_MailboxGrants_Mailboxes REFERENCES rc.Mailboxes (MailboxId) ON DELETE CASCADE,
  Principal varchar(128) NOT NULL,
  CanSend   boolean NOT NULL,
  CanWrite  boolean NOT NULL,
  CanRead   boolean NOT NULL,
  GrantedAt timestamptz NOT NULL DEFAULT now(),
  GrantedBy varchar(128) NOT NULL,
  CONSTRAINT PK_MailboxGrants PRIMARY KEY (MailboxId, Principal)
);
-- Principals match case-insensitively (like logins on SQL Server): one grant row per principal and mailbox.
CREATE UNIQUE INDEX UX_MailboxGrants_Principal_Lower ON rc.MailboxGrants (MailboxId, lower(Principal));

CREATE TABLE rc.Jobs (
  JobId           bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT PK_Jobs PRIMARY KEY,
  Kind            varchar(40) NOT NULL,
  MailboxId       int NOT NULL CONSTRAINT FK_Jobs_Mailboxes REFERENCES rc.Mailboxes (MailboxId),
  Payload         jsonb NOT NULL,
  Status          varchar(16) NOT NULL DEFAULT 'Pending' CONSTRAINT CK_Jobs_Status
                    CHECK (Status IN ('Pending', 'Queued', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Cancelled')),
  Priority        int NOT NULL DEFAULT 0,
  NotBefore       timestamptz NOT NULL DEFAULT now(),
  Attempts        int NOT NULL DEFAULT 0,
  MaxAttempts     int NOT NULL DEFAULT 10,
  CorrelationKey  varchar(200) NULL,
  CreatedAt       timestamptz NOT NULL DEFAULT now(),
  CreatedBy       varchar(128) NOT NULL,
  ClaimedAt       timestamptz NULL,
  ClaimedBy       varchar(200) NULL,
  StartedAt       timestamptz NULL,
  CompletedAt     timestamptz NULL,
  LeaseUntil      timestamptz NULL,
  UpdatedAt       timestamptz NOT NULL DEFAULT now(),
  LastErrorCode   varchar(100) NULL,
  LastError       varchar(2000) NULL,
  ResultItemId    varchar(512) NULL,
  ResultChangeKey varchar(512) NULL,
  Version         int NOT NULL DEFAULT 0
);
-- Idempotent enqueue: rc_SendMail inserts … ON CONFLICT (MailboxId, Kind, CorrelationKey) WHERE … DO NOTHING.
CREATE UNIQUE INDEX UX_Jobs_CorrelationKey ON rc.Jobs (MailboxId, Kind, CorrelationKey) WHERE CorrelationKey IS NOT NULL;
-- The dispatcher's claim: due Pending rows, highest priority, then oldest.
CREATE INDEX IX_Jobs_Claim ON rc.Jobs (Priority DESC, NotBefore, JobId) WHERE Status = 'Pending';
-- The reconciler's scan for claims whose lease ran out.
CREATE INDEX IX_Jobs_Lease ON rc.Jobs (LeaseUntil) WHERE Status IN ('Queued', 'Running', 'Retrying');
CREATE INDEX IX_Jobs_MailboxId ON rc.Jobs (MailboxId);

CREATE TABLE rc.JobAttachments (
  AttachmentId bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT PK_JobAttachments PRIMARY KEY,
  JobId        bigint NOT NULL CONSTRAINT FK_JobAttachments_Jobs REFERENCES rc.Jobs (JobId) ON DELETE CASCADE,
  Name         varchar(255) NOT NULL,
  ContentType  varchar(255) NULL,
  ContentId    varchar(255) NULL,
  IsInline     boolean NOT NULL DEFAULT false,
  Content      bytea NOT NULL
);
CREATE INDEX IX_JobAttachments_JobId ON rc.JobAttachments (JobId);

CREATE TABLE rc.JobEvents (
  EventId    bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT PK_JobEvents PRIMARY KEY,
  JobId      bigint NOT NULL CONSTRAINT FK_JobEvents_Jobs REFERENCES rc.Jobs (JobId) ON DELETE CASCADE,
  At         timestamptz NOT NULL DEFAULT now(),
  EventType  varchar(20) NOT NULL CONSTRAINT CK_JobEvents_EventType
               CHECK (EventType IN ('enqueued', 'started', 'succeeded', 'retrying', 'failed', 'requeued', 'cancelled')),
  Attempt    int NULL,
  Status     varchar(16) NOT NULL,
  Code       varchar(100) NULL,
  Message    varchar(2000) NULL,
  WorkerId   varchar(200) NULL,
  DurationMs int NULL
);
CREATE INDEX IX_JobEvents_JobId ON rc.JobEvents (JobId);

-- Wake the dispatcher (LISTEN rc_jobs) when new jobs commit. Statement-level, and PostgreSQL folds identical
-- notifications within one transaction, so a bulk enqueue costs one notification. Delivered only on COMMIT:
-- a rolled-back rc_SendMail wakes nobody.
CREATE FUNCTION rc.tr_jobs_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('rc_jobs', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER tr_Jobs_Notify AFTER INSERT ON rc.Jobs FOR EACH STATEMENT EXECUTE FUNCTION rc.tr_jobs_notify();
