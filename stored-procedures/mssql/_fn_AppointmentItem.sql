-- rc.fn_AppointmentItem — internal helper: the JSON item rc.rc_internal_AppointmentFields reads, built from the
-- appointment parameters of rc_CreateAppointment / rc_UpdateAppointment (one place for the names, so the two
-- procedures cannot drift). Twin of stored-procedures/postgres/_fn_AppointmentItem.sql (a scalar SQL function
-- there).
--
-- Parameters: the appointment field parameters in rc_CreateAppointment's order, with its types (@start_time,
--   @end_time datetimeoffset; @is_all_day bit; @reminder_minutes int; @body_format, @time_zone, @show_as,
--   @sensitivity nvarchar(4000); the others nvarchar(max)).
-- Result:     one row (Item nvarchar(max)) — {"subject": …, …} keyed by parameter name, with the NULL parameters
--             left out (NULL when all are NULL); instants as UTC text 'YYYY-MM-DDThh:mm:ss.fffffffZ', so the
--             conversion is exact whatever FOR JSON does with datetimeoffset.
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_AppointmentItem') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_AppointmentItem (@subject nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(NULL AS nvarchar(max)) AS Item;');
GO

ALTER FUNCTION rc.fn_AppointmentItem (
  @subject nvarchar(max),
  @body nvarchar(max),
  @body_format nvarchar(4000),
  @start_time datetimeoffset,
  @end_time datetimeoffset,
  @time_zone nvarchar(4000),
  @is_all_day bit,
  @location nvarchar(max),
  @required_attendees nvarchar(max),
  @optional_attendees nvarchar(max),
  @resources nvarchar(max),
  @recurrence nvarchar(max),
  @reminder_minutes int,
  @categories nvarchar(max),
  @show_as nvarchar(4000),
  @sensitivity nvarchar(4000)
)
RETURNS TABLE
AS
RETURN
SELECT (
    SELECT
      @subject AS [subject],
      @body AS [body],
      @body_format AS [body_format],
      CASE WHEN @start_time IS NOT NULL
        THEN CONCAT(CONVERT(nvarchar(27), CONVERT(datetime2(7), SWITCHOFFSET(@start_time, N'+00:00')), 126), N'Z') END AS [start_time],
      CASE WHEN @end_time IS NOT NULL
        THEN CONCAT(CONVERT(nvarchar(27), CONVERT(datetime2(7), SWITCHOFFSET(@end_time, N'+00:00')), 126), N'Z') END AS [end_time],
      @time_zone AS [time_zone],
      @is_all_day AS [is_all_day],
      @location AS [location],
      @required_attendees AS [required_attendees],
      @optional_attendees AS [optional_attendees],
      @resources AS [resources],
      @recurrence AS [recurrence],
      @reminder_minutes AS [reminder_minutes],
      @categories AS [categories],
      @show_as AS [show_as],
      @sensitivity AS [sensitivity]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
  ) AS [Item];
GO
