-- rc.fn_TaskItem — internal helper: the JSON item rc.rc_internal_TaskFields reads, built from the task parameters
-- of rc_CreateTask / rc_UpdateTask (one place for the names, so the two procedures cannot drift). Twin of
-- stored-procedures/postgres/_fn_TaskItem.sql (a scalar SQL function there).
--
-- Parameters: the task field parameters in rc_CreateTask's order (@start_date, @due_date date; @percent_complete
--   int; @reminder_time datetimeoffset; the others nvarchar(max)), then @clear_fields nvarchar(max)
--   (rc_UpdateTask's; NULL for a create).
-- Result:     one row (Item nvarchar(max)) — {"subject": …, …} with the NULL parameters left out ('' kept: on an
--             update it clears); dates as 'YYYY-MM-DD', @percent_complete as a number, @reminder_time as UTC
--             'YYYY-MM-DDThh:mm:ssZ' (whole seconds: the first 19 characters of style 126 cut the fraction off).
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_TaskItem') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_TaskItem (@subject nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(NULL AS nvarchar(max)) AS Item;');
GO

ALTER FUNCTION rc.fn_TaskItem (
  @subject nvarchar(max),
  @body nvarchar(max),
  @body_format nvarchar(max),
  @start_date date,
  @due_date date,
  @status nvarchar(max),
  @percent_complete int,
  @importance nvarchar(max),
  @reminder_time datetimeoffset,
  @categories nvarchar(max),
  @clear_fields nvarchar(max)
)
RETURNS TABLE
AS
RETURN
SELECT ISNULL((
    SELECT
      @subject AS [subject],
      @body AS [body],
      @body_format AS [body_format],
      CONVERT(nvarchar(10), @start_date, 23) AS [start_date],
      CONVERT(nvarchar(10), @due_date, 23) AS [due_date],
      @status AS [status],
      @percent_complete AS [percent_complete],
      @importance AS [importance],
      CASE WHEN @reminder_time IS NOT NULL
        THEN CONCAT(CONVERT(nvarchar(19), CONVERT(datetime2(7), SWITCHOFFSET(@reminder_time, '+00:00')), 126), N'Z') END AS [reminder_time],
      @categories AS [categories],
      @clear_fields AS [clear_fields]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
  ), N'{}') AS [Item];
GO
