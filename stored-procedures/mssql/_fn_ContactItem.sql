-- rc.fn_ContactItem — internal helper: the JSON item rc.rc_internal_ContactFields reads, built from the contact
-- parameters of rc_CreateContact / rc_UpdateContact (one place for the 29 names, so the two procedures cannot
-- drift). Twin of stored-procedures/postgres/_fn_ContactItem.sql (a scalar SQL function there).
--
-- Parameters: the contact field parameters in rc_CreateContact's order (@birthday date, the others
--   nvarchar(max)), then @clear_fields nvarchar(max) (rc_UpdateContact's; NULL for a create).
-- Result:     one row (Item nvarchar(max)) — {"given_name": …, …} with the NULL parameters left out ('' kept: on
--             an update it clears); @birthday as 'YYYY-MM-DD'. Use: SELECT @item = i.Item FROM rc.fn_ContactItem(…) AS i.
-- Errors:     none.

SET ANSI_NULLS ON;
SET QUOTED_IDENTIFIER ON;
IF OBJECT_ID(N'rc.fn_ContactItem') IS NULL
  EXEC(N'CREATE FUNCTION rc.fn_ContactItem (@given_name nvarchar(max), @middle_name nvarchar(max), @surname nvarchar(max), @display_name nvarchar(max), @company_name nvarchar(max), @department nvarchar(max), @job_title nvarchar(max), @email_address1 nvarchar(max), @email_address2 nvarchar(max), @email_address3 nvarchar(max), @business_phone nvarchar(max), @home_phone nvarchar(max), @mobile_phone nvarchar(max), @business_fax nvarchar(max), @business_street nvarchar(max), @business_city nvarchar(max), @business_state nvarchar(max), @business_postal_code nvarchar(max), @business_country nvarchar(max), @home_street nvarchar(max), @home_city nvarchar(max), @home_state nvarchar(max), @home_postal_code nvarchar(max), @home_country nvarchar(max), @web_page nvarchar(max), @birthday date, @notes nvarchar(max), @categories nvarchar(max), @clear_fields nvarchar(max)) RETURNS TABLE AS RETURN SELECT CAST(NULL AS nvarchar(max)) AS Item;');
GO

ALTER FUNCTION rc.fn_ContactItem (
  @given_name nvarchar(max),
  @middle_name nvarchar(max),
  @surname nvarchar(max),
  @display_name nvarchar(max),
  @company_name nvarchar(max),
  @department nvarchar(max),
  @job_title nvarchar(max),
  @email_address1 nvarchar(max),
  @email_address2 nvarchar(max),
  @email_address3 nvarchar(max),
  @business_phone nvarchar(max),
  @home_phone nvarchar(max),
  @mobile_phone nvarchar(max),
  @business_fax nvarchar(max),
  @business_street nvarchar(max),
  @business_city nvarchar(max),
  @business_state nvarchar(max),
  @business_postal_code nvarchar(max),
  @business_country nvarchar(max),
  @home_street nvarchar(max),
  @home_city nvarchar(max),
  @home_state nvarchar(max),
  @home_postal_code nvarchar(max),
  @home_country nvarchar(max),
  @web_page nvarchar(max),
  @birthday date,
  @notes nvarchar(max),
  @categories nvarchar(max),
  @clear_fields nvarchar(max)
)
RETURNS TABLE
AS
RETURN
SELECT ISNULL((
    SELECT
      @given_name AS [given_name],
      @middle_name AS [middle_name],
      @surname AS [surname],
      @display_name AS [display_name],
      @company_name AS [company_name],
      @department AS [department],
      @job_title AS [job_title],
      @email_address1 AS [email_address1],
      @email_address2 AS [email_address2],
      @email_address3 AS [email_address3],
      @business_phone AS [business_phone],
      @home_phone AS [home_phone],
      @mobile_phone AS [mobile_phone],
      @business_fax AS [business_fax],
      @business_street AS [business_street],
      @business_city AS [business_city],
      @business_state AS [business_state],
      @business_postal_code AS [business_postal_code],
      @business_country AS [business_country],
      @home_street AS [home_street],
      @home_city AS [home_city],
      @home_state AS [home_state],
      @home_postal_code AS [home_postal_code],
      @home_country AS [home_country],
      @web_page AS [web_page],
      CONVERT(nvarchar(10), @birthday, 23) AS [birthday],
      @notes AS [notes],
      @categories AS [categories],
      @clear_fields AS [clear_fields]
    FOR JSON PATH, WITHOUT_ARRAY_WRAPPER
  ), N'{}') AS [Item];
GO
