-- V0001: the outbox core — mailboxes, grants, jobs, attachments, events (T-SQL twin of
-- db-migrations/postgres/V0001__create_core_tables.sql). Forward-only: never edit once released; add V0002… instead.
-- Runs unchanged on SQL Server 2017+, Azure SQL and Babelfish 4.x (see ../shared/TSQL-COMPAT.md): no
-- rowversion (Version is an int the worker increments), no collation clauses (the procedures compare profile
-- names and principals with UPPER() on both sides, so a case-sensitive database behaves like PostgreSQL's
-- lower() indexes), constraint names identical to the PostgreSQL twin.
-- The migration runner wraps the whole file in one transaction holding the migration applock.

IF SCHEMA_ID(N'rc') IS NULL EXEC(N'CREATE SCHEMA rc;');
GO

CREATE TABLE rc.Mailboxes (
  MailboxId   int IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Mailboxes PRIMARY KEY,
  ProfileName nvarchar(128) NOT NULL CONSTRAINT UQ_Mailboxes_ProfileName UNIQUE,
  SmtpAddress nvarchar(320) NOT NULL,
  Transport   varchar(10) NOT NULL CONSTRAINT DF_Mailboxes_Transport DEFAULT ('ews')
                CONSTRAINT CK_Mailboxes_Transport CHECK (Transport IN ('ews', 'graph')),
  EwsUrl      nvarchar(2048) NULL,
  Enabled     bit NOT NULL CONSTRAINT DF_Mailboxes_Enabled DEFAULT (1),
  Description nvarchar(400) NULL,
  CreatedAt   datetime2(3) NOT NULL CONSTRAINT DF_Mailboxes_CreatedAt DEFAULT (SYSUTCDATETIME()),
  CreatedBy   nvarchar(128) NOT NULL
);
GO

CREATE TABLE rc.MailboxGrants (
  MailboxId int NOT NULL CONSTRAINT FK_MailboxGrants_Mailboxes REFERENCES rc.Mailboxes (MailboxId) ON DELETE CASCADE,
  Principal nvarchar(128) NOT NULL,
  CanSend   bit NOT NULL,
  CanWrite  bit NOT NULL,
  CanRead   bit NOT NULL,
  GrantedAt datetime2(3) NOT NULL CONSTRAINT DF_MailboxGrants_GrantedAt DEFAULT (SYSUTCDATETIME()),
  GrantedBy nvarchar(128) NOT NULL,
  CONSTRAINT PK_MailboxGrants PRIMARY KEY (MailboxId, Principal)
);
GO

CREATE TABLE rc.Jobs (
  JobId           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_Jobs PRIMARY KEY,
  Kind            varchar(40) NOT NULL,
  MailboxId       int NOT NULL CONSTRAINT FK_Jobs_Mailboxes REFERENCES rc.Mailboxes (MailboxId),
  Payload         nvarchar(max) NOT NULL CONSTRAINT CK_Jobs_Payload CHECK (ISJSON(Payload) = 1),
  Status          varchar(16) NOT NULL CONSTRAINT DF_Jobs_Status DEFAULT ('Pending')
                    CONSTRAINT CK_Jobs_Status
                    CHECK (Status IN ('Pending', 'Queued', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Cancelled')),
  Priority        int NOT NULL CONSTRAINT DF_Jobs_Priority DEFAULT (0),
  NotBefore       datetime2(3) NOT NULL CONSTRAINT DF_Jobs_NotBefore DEFAULT (SYSUTCDATETIME()),
  Attempts        int NOT NULL CONSTRAINT DF_Jobs_Attempts DEFAULT (0),
  MaxAttempts     int NOT NULL CONSTRAINT DF_Jobs_MaxAttempts DEFAULT (10),
  CorrelationKey  nvarchar(200) NULL,
  CreatedAt       datetime2(3) NOT NULL CONSTRAINT DF_Jobs_CreatedAt DEFAULT (SYSUTCDATETIME()),
  CreatedBy       nvarchar(128) NOT NULL,
  ClaimedAt       datetime2(3) NULL,
  ClaimedBy       nvarchar(200) NULL,
  StartedAt       datetime2(3) NULL,
  CompletedAt     datetime2(3) NULL,
  LeaseUntil      datetime2(3) NULL,
  UpdatedAt       datetime2(3) NOT NULL CONSTRAINT DF_Jobs_UpdatedAt DEFAULT (SYSUTCDATETIME()),
  LastErrorCode   varchar(100) NULL,
  LastError       nvarchar(2000) NULL,
  ResultItemId    nvarchar(512) NULL,
  ResultChangeKey nvarchar(512) NULL,
  Version         int NOT NULL CONSTRAINT DF_Jobs_Version DEFAULT (0)
);
GO

-- Idempotent enqueue: rc_SendMail looks the key up WITH (UPDLOCK, HOLDLOCK) first; this index is the backstop
-- that turns a race into error 2601, which rc_SendMail answers with the existing JobId.
CREATE UNIQUE INDEX UX_Jobs_CorrelationKey ON rc.Jobs (MailboxId, Kind, CorrelationKey) WHERE CorrelationKey IS NOT NULL;
-- The dispatcher's claim: due Pending rows, highest priority, then oldest.
CREATE INDEX IX_Jobs_Claim ON rc.Jobs (Priority DESC, NotBefore, JobId) WHERE Status = 'Pending';
-- The reconciler's scan for claims whose lease ran out.
CREATE INDEX IX_Jobs_Lease ON rc.Jobs (LeaseUntil) WHERE Status IN ('Queued', 'Running', 'Retrying');
CREATE INDEX IX_Jobs_MailboxId ON rc.Jobs (MailboxId);
GO

CREATE TABLE rc.JobAttachments (
  AttachmentId bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_JobAttachments PRIMARY KEY,
  JobId        bigint NOT NULL CONSTRAINT FK_JobAttachments_Jobs REFERENCES rc.Jobs (JobId) ON DELETE CASCADE,
  Name         nvarchar(255) NOT NULL,
  ContentType  nvarchar(255) NULL,
  ContentId    nvarchar(255) NULL,
  IsInline     bit NOT NULL CONSTRAINT DF_JobAttachments_IsInline DEFAULT (0),
  Content      varbinary(max) NOT NULL
);
CREATE INDEX IX_JobAttachments_JobId ON rc.JobAttachments (JobId);
GO

CREATE TABLE rc.JobEvents (
  EventId    bigint IDENTITY(1, 1) NOT NULL CONSTRAINT PK_JobEvents PRIMARY KEY,
  JobId      bigint NOT NULL CONSTRAINT FK_JobEvents_Jobs REFERENCES rc.Jobs (JobId) ON DELETE CASCADE,
  At         datetime2(3) NOT NULL CONSTRAINT DF_JobEvents_At DEFAULT (SYSUTCDATETIME()),
  EventType  varchar(20) NOT NULL CONSTRAINT CK_JobEvents_EventType
               CHECK (EventType IN ('enqueued', 'started', 'succeeded', 'retrying', 'failed', 'requeued', 'cancelled')),
  Attempt    int NULL,
  Status     varchar(16) NOT NULL,
  Code       varchar(100) NULL,
  Message    nvarchar(2000) NULL,
  WorkerId   nvarchar(200) NULL,
  DurationMs int NULL
);
CREATE INDEX IX_JobEvents_JobId ON rc.JobEvents (JobId);
GO

-- No wake-up trigger: SQL Server has no LISTEN/NOTIFY, the dispatcher polls adaptively.
-- Nobody but the owner touches the tables directly; applications get EXECUTE on the rc_* procedures and SELECT
-- on the views (ownership chaining: procedures and tables share the owner of schema rc). Nothing is granted here.
