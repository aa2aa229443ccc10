-- rc.rc_internal_ItemTarget — internal helper: the start every rc_Update* / rc_Delete* procedure shares — the
-- calling profile with the write right (rc.rc_internal_ResolveProfile), then the item it names
-- (rc.rc_internal_ResolveItemRef). Twin of stored-procedures/postgres/_ItemTarget.sql (the function
-- rc.fn_ItemTarget there). Opens no transaction, writes nothing: call it first, before any write.
--
-- Parameters:
--   @proc_name       nvarchar(4000)  the calling procedure's name (N'rc_UpdateTask'): the message prefix
--   @profile_name    nvarchar(max)   the caller's @profile_name
--   @create_kind     varchar(40)     the create kind that names the item ('CreateAppointment', 'CreateContact',
--                                    'CreateTask')
--   @target_job_id   bigint          } the caller's item reference, exactly one given
--   @item_id         nvarchar(max)   } (see rc.rc_internal_ResolveItemRef)
--   @correlation_key nvarchar(max)   }
--   @mailbox_id       int            OUTPUT: the profile's rc.Mailboxes.MailboxId
--   @resolved_job_id  bigint         OUTPUT: rc.Jobs.TargetJobId of the new job, or NULL
--   @resolved_item_id nvarchar(512)  OUTPUT: the payload's "itemId", or NULL (exactly one of the two is non-NULL)
-- Result: @mailbox_id, @resolved_job_id, @resolved_item_id; return code 0.
-- Errors (THROW <number>, checked in this order):
--   50001 @profile_name missing or blank                                 (raised by rc.rc_internal_ResolveProfile)
--   50002 no mail profile with that name                                 (raised by rc.rc_internal_ResolveProfile)
--   50003 the profile is disabled                                        (raised by rc.rc_internal_ResolveProfile)
--   50004 the caller (or 'public') has no grant with CanWrite            (raised by rc.rc_internal_ResolveProfile)
--   50060 none, or more than one, of @target_job_id, @item_id, @correlation_key (rc.rc_internal_ResolveItemRef)
--   50061 @target_job_id is not a job of @create_kind of this profile    (raised by rc.rc_internal_ResolveItemRef)
--   50024 @correlation_key longer than 200 characters                    (raised by rc.rc_internal_ResolveItemRef)
--   50062 no job of @create_kind of this profile has that key            (raised by rc.rc_internal_ResolveItemRef)
--   50063 @item_id blank or longer than 512 characters                   (raised by rc.rc_internal_ResolveItemRef)
--   50064 the create job is Failed or Cancelled                          (raised by rc.rc_internal_ResolveItemRef)
--   50065 the item is deleted or being deleted                           (raised by rc.rc_internal_ResolveItemRef)

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.rc_internal_ItemTarget', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_internal_ItemTarget AS RETURN 0;');
GO

ALTER PROCEDURE rc.rc_internal_ItemTarget
  @proc_name nvarchar(4000),
  @profile_name nvarchar(max),
  @create_kind varchar(40),
  @target_job_id bigint,
  @item_id nvarchar(max),
  @correlation_key nvarchar(max),
  @mailbox_id int OUTPUT,
  @resolved_job_id bigint OUTPUT,
  @resolved_item_id nvarchar(512) OUTPUT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;

  SET @mailbox_id = NULL;
  SET @resolved_job_id = NULL;
  SET @resolved_item_id = NULL;

  -- Profile and permission (50001, 50002, 50003, 50004).
  EXEC rc.rc_internal_ResolveProfile @proc_name = @proc_name, @profile_name = @profile_name,
    @required_right = 'write', @mailbox_id = @mailbox_id OUTPUT;
  -- The item (50060 … 50065).
  EXEC rc.rc_internal_ResolveItemRef @proc_name = @proc_name, @mailbox_id = @mailbox_id,
    @create_kind = @create_kind, @target_job_id = @target_job_id, @item_id = @item_id,
    @correlation_key = @correlation_key, @resolved_job_id = @resolved_job_id OUTPUT,
    @resolved_item_id = @resolved_item_id OUTPUT;

  RETURN 0;
END;
GO
