/**
 * ApiClient for SQL Server: procedures called as RPC (`EXEC rc.rc_SendMail @…, @mailitem_id OUTPUT`) with the
 * parameter types the procedures declare; THROW 50000–50999 → ApiCallError(number).
 */
import sql from 'mssql';
import {
  ApiCallError,
  assertParamNames,
  isAttachmentList,
  isSyncItemList,
  lowerCaseKeys,
  type AttachmentParam,
  type SyncItemParam,
  MAIL_ITEM_COLUMNS,
  toMailItemStatus,
  type ApiClient,
  type ApiParams,
  type ApiProcedure,
  type ApiScalar,
  type MailItemStatus,
} from '../api-client';
import { openMssqlPool } from './mssql-connection';
import { toDate, toDateTimeOffset } from './tsql-datetime-text';

type SqlType = () => sql.ISqlType;

const nvarchar4000: SqlType = () => sql.NVarChar(4000);
const nvarcharMax: SqlType = () => sql.NVarChar(sql.MAX);
const bit: SqlType = () => sql.Bit();
const int: SqlType = () => sql.Int();
const bigint: SqlType = () => sql.BigInt();
const date: SqlType = () => sql.Date();
const datetimeoffset: SqlType = () => sql.DateTimeOffset(7);

/**
 * Declared T-SQL types of the API's input parameters, as in stored-procedures/mssql/rc_*.sql: every name with
 * the type all procedures that have it declare; PROCEDURE_PARAM_TYPES holds the names a procedure declares with
 * another type. tests/unit/mssql-param-types.test.ts parses the procedure files and checks both tables.
 */
export const PARAM_TYPES: Readonly<Record<string, SqlType>> = {
  // mail profiles and grants
  profile_name: nvarchar4000,
  smtp_address: nvarchar4000,
  transport: nvarchar4000,
  ews_url: nvarcharMax,
  description: nvarcharMax,
  principal: nvarchar4000,
  can_send: bit,
  can_write: bit,
  can_read: bit,
  // rc_SendMail (and the shared item fields)
  recipients: nvarcharMax,
  copy_recipients: nvarcharMax,
  blind_copy_recipients: nvarcharMax,
  from_address: nvarcharMax,
  reply_to: nvarcharMax,
  subject: nvarcharMax,
  body: nvarcharMax,
  body_format: nvarchar4000,
  importance: nvarchar4000,
  sensitivity: nvarchar4000,
  send_at: datetimeoffset,
  correlation_key: nvarcharMax,
  file_attachments: nvarcharMax,
  categories: nvarcharMax,
  request_read_receipt: bit,
  request_delivery_receipt: bit,
  save_to_sent: bit,
  // items: where, which one, how
  folder_name: nvarcharMax,
  target_profile: nvarcharMax,
  target_job_id: bigint,
  item_id: nvarcharMax,
  clear_fields: nvarcharMax,
  force: bit,
  // appointments
  start_time: datetimeoffset,
  end_time: datetimeoffset,
  time_zone: nvarchar4000,
  is_all_day: bit,
  location: nvarcharMax,
  required_attendees: nvarcharMax,
  optional_attendees: nvarcharMax,
  resources: nvarcharMax,
  recurrence: nvarcharMax,
  send_invitations: nvarchar4000,
  send_cancellations: nvarchar4000,
  reminder_minutes: int,
  show_as: nvarchar4000,
  calendar_name: nvarcharMax,
  // contacts
  given_name: nvarcharMax,
  middle_name: nvarcharMax,
  surname: nvarcharMax,
  display_name: nvarcharMax,
  company_name: nvarcharMax,
  department: nvarcharMax,
  job_title: nvarcharMax,
  email_address1: nvarcharMax,
  email_address2: nvarcharMax,
  email_address3: nvarcharMax,
  business_phone: nvarcharMax,
  home_phone: nvarcharMax,
  mobile_phone: nvarcharMax,
  business_fax: nvarcharMax,
  business_street: nvarcharMax,
  business_city: nvarcharMax,
  business_state: nvarcharMax,
  business_postal_code: nvarcharMax,
  business_country: nvarcharMax,
  home_street: nvarcharMax,
  home_city: nvarcharMax,
  home_state: nvarcharMax,
  home_postal_code: nvarcharMax,
  home_country: nvarcharMax,
  web_page: nvarcharMax,
  birthday: date,
  notes: nvarcharMax,
  // tasks
  start_date: date,
  due_date: date,
  status: nvarcharMax,
  percent_complete: int,
  reminder_time: datetimeoffset,
  // rc_SyncFolder
  kind: nvarchar4000,
  folder: nvarcharMax,
  allow_empty: bit,
  // job control
  job_id: bigint,
  include_payload: bit,
};

/** The task procedures declare @body_format and @importance nvarchar(max) (rc_SendMail: nvarchar(4000)). */
const TASK_TEXT: Readonly<Record<string, SqlType>> = { body_format: nvarcharMax, importance: nvarcharMax };

/** Per procedure: the parameters it declares with another type than PARAM_TYPES says. */
export const PROCEDURE_PARAM_TYPES: Readonly<
  Partial<Record<ApiProcedure, Readonly<Record<string, SqlType>>>>
> = {
  rc_CreateTask: TASK_TEXT,
  rc_UpdateTask: TASK_TEXT,
};

const own = <T>(table: Readonly<Record<string, T>> | undefined, name: string): T | undefined =>
  table && Object.hasOwn(table, name) ? table[name] : undefined;

/** The type `proc` declares for its input parameter `name`; undefined for a name no procedure declares. */
export function declaredParamType(proc: ApiProcedure, name: string): sql.ISqlType | undefined {
  return (own(PROCEDURE_PARAM_TYPES[proc], name) ?? own(PARAM_TYPES, name))?.();
}

const JOB_ID = { name: 'job_id', type: () => sql.BigInt() };

/** The OUTPUT id of each procedure that has one. */
export const OUTPUT_ID: Partial<Record<ApiProcedure, { name: string; type: () => sql.ISqlType }>> = {
  rc_SendMail: { name: 'mailitem_id', type: () => sql.BigInt() },
  rc_AddMailbox: { name: 'mailbox_id', type: () => sql.Int() },
  rc_CreateAppointment: JOB_ID,
  rc_UpdateAppointment: JOB_ID,
  rc_DeleteAppointment: JOB_ID,
  rc_CreateContact: JOB_ID,
  rc_UpdateContact: JOB_ID,
  rc_DeleteContact: JOB_ID,
  rc_CreateTask: JOB_ID,
  rc_UpdateTask: JOB_ID,
  rc_DeleteTask: JOB_ID,
  rc_SyncFolder: JOB_ID,
};

/** rc.AttachmentList / rc.SyncItemList rows as tedious table-valued parameters. */
function toTable(name: string, value: AttachmentParam[] | SyncItemParam[]): sql.Table {
  if (name === 'attachments') {
    const table = new sql.Table('rc.AttachmentList');
    table.columns.add('name', sql.NVarChar(4000), { nullable: true });
    table.columns.add('content_type', sql.NVarChar(4000), { nullable: true });
    table.columns.add('content', sql.VarBinary(sql.MAX), { nullable: true });
    table.columns.add('content_id', sql.NVarChar(4000), { nullable: true });
    table.columns.add('is_inline', sql.Bit(), { nullable: true });
    table.columns.add('ordinal', sql.Int(), { nullable: true });
    (value as AttachmentParam[]).forEach((a, i) => {
      table.rows.add(
        a.name,
        a.content_type ?? null,
        a.content,
        a.content_id ?? null,
        a.is_inline ?? null,
        i + 1,
      );
    });
    return table;
  }
  const table = new sql.Table('rc.SyncItemList');
  table.columns.add('external_key', sql.NVarChar(4000), { nullable: true });
  table.columns.add('item', sql.NVarChar(sql.MAX), { nullable: true });
  for (const i of value as SyncItemParam[]) {
    table.rows.add(i.external_key, i.item === null ? null : JSON.stringify(i.item));
  }
  return table;
}

/** A parameter type for a plain JS value (ad-hoc query parameters; API values that do not fit the declared type). */
export function inferSqlType(value: unknown): sql.ISqlType {
  if (typeof value === 'boolean') return sql.Bit();
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return sql.Float();
    return Math.abs(value) <= 2147483647 ? sql.Int() : sql.BigInt();
  }
  if (value instanceof Date) return sql.DateTime2(3);
  return sql.NVarChar(sql.MAX);
}

/** THROW 50000–50999 → ApiCallError; anything else unchanged. */
export function toApiCallError(err: unknown): unknown {
  const found = [err, (err as { originalError?: unknown })?.originalError].find(
    (e) => typeof (e as { number?: unknown })?.number === 'number',
  ) as { number: number; message: string } | undefined;
  if (found && found.number >= 50000 && found.number <= 50999) {
    return new ApiCallError(found.number, (err as Error).message);
  }
  return err;
}

/** A bigint as text: up to 18 digits always fits (longer ones are left to SQL Server to check). */
const BIGINT_TEXT = /^-?\d{1,18}$/;

/** `value` as a parameter of the declared `type` takes it exactly, or undefined when it does not fit. */
function fitDeclared(type: sql.ISqlType, value: ApiScalar): unknown {
  if (value === null) return null;
  switch (type.type) {
    case sql.NVarChar: {
      // Longer than an nvarchar(n) parameter: tedious would send a malformed value. As nvarchar(max) it reaches
      // the procedure cut to n characters, as it always did (a procedure reports what it then finds wrong).
      const length = (type as { length?: number }).length ?? sql.MAX;
      return typeof value === 'string' && (length === sql.MAX || value.length <= length) ? value : undefined;
    }
    case sql.Bit:
      // Not any truthy value: tedious would send the string 'false' as 1.
      return typeof value === 'boolean' || value === 0 || value === 1 ? value : undefined;
    case sql.Int:
      return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647
        ? value
        : undefined;
    case sql.BigInt:
      // Ids come back from the API as strings and go in as strings.
      return Number.isSafeInteger(value) || (typeof value === 'string' && BIGINT_TEXT.test(value))
        ? value
        : undefined;
    case sql.Date:
      if (value instanceof Date) return value;
      return typeof value === 'string' ? (toDate(value) ?? undefined) : undefined;
    case sql.DateTimeOffset:
      if (value instanceof Date) return value;
      return typeof value === 'string' ? (toDateTimeOffset(value) ?? undefined) : undefined;
    default:
      return value;
  }
}

/**
 * The type and value an input parameter is sent with: the type the procedure declares whenever the value fits
 * it exactly (no conversion on the server); otherwise the value's own type, so that SQL Server converts it — or
 * refuses it — with its own rules, as for any other caller ('2026-02-30', 'false' for a bit, a 19-digit id).
 */
export function inputParam(proc: ApiProcedure, name: string, value: ApiScalar): [sql.ISqlType, unknown] {
  const declared = declaredParamType(proc, name);
  const fitted = declared === undefined ? undefined : fitDeclared(declared, value);
  return declared === undefined || fitted === undefined ? [inferSqlType(value), value] : [declared, fitted];
}

/** A request with the call's input parameters, typed as the procedure declares them. */
function inputRequest(newRequest: () => sql.Request, proc: ApiProcedure, params: ApiParams): sql.Request {
  assertParamNames(params);
  const request = newRequest();
  for (const [name, value] of Object.entries(params)) {
    if (isAttachmentList(name, value) || isSyncItemList(name, value))
      request.input(name, toTable(name, value));
    else request.input(name, ...inputParam(proc, name, value as ApiScalar));
  }
  return request;
}

/** Runs a procedure that returns a result set (rc_GetJob); column names lower-cased. */
export async function selectMssqlApiRows(
  newRequest: () => sql.Request,
  proc: ApiProcedure,
  params: ApiParams,
): Promise<Record<string, unknown>[]> {
  const request = inputRequest(newRequest, proc, params);
  try {
    const result = await request.execute(`rc.${proc}`);
    return (result.recordset ?? []).map((row: Record<string, unknown>) => lowerCaseKeys(row));
  } catch (err) {
    throw toApiCallError(err);
  }
}

/** Runs one API call on a request factory (the pool, or a transaction the caller opened). */
export async function callMssqlApi(
  newRequest: () => sql.Request,
  proc: ApiProcedure,
  params: ApiParams,
): Promise<string | null> {
  const request = inputRequest(newRequest, proc, params);
  const output = OUTPUT_ID[proc];
  if (output) request.output(output.name, output.type());
  try {
    const result = await request.execute(`rc.${proc}`);
    const value: unknown = output ? result.output[output.name] : null;
    return value === null || value === undefined ? null : String(value);
  } catch (err) {
    throw toApiCallError(err);
  }
}

export class MssqlApiClient implements ApiClient {
  readonly dialect = 'mssql' as const;

  private constructor(private readonly pool: sql.ConnectionPool) {}

  static async open(url: string): Promise<MssqlApiClient> {
    return new MssqlApiClient(await openMssqlPool(url));
  }

  call(proc: ApiProcedure, params: ApiParams): Promise<string | null> {
    return callMssqlApi(() => this.pool.request(), proc, params);
  }

  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]> {
    return selectMssqlApiRows(() => this.pool.request(), proc, params);
  }

  async mailItems(ids: string[]): Promise<MailItemStatus[]> {
    const request = this.pool.request();
    request.input('ids', sql.NVarChar(sql.MAX), ids.join(','));
    const result = await request.query(
      `SELECT ${MAIL_ITEM_COLUMNS} FROM rc.vw_MailItems ` +
        `WHERE mailitem_id IN (SELECT TRY_CONVERT(bigint, value) FROM STRING_SPLIT(@ids, ',')) ORDER BY mailitem_id`,
    );
    return (result.recordset ?? []).map(toMailItemStatus);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
