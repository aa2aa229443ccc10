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
  type MailItemStatus,
} from '../api-client';
import { openMssqlPool } from './mssql-connection';

/** Declared T-SQL types of the API parameters (as in stored-procedures/mssql/*.sql). */
const PARAM_TYPES: Record<string, () => sql.ISqlType> = {
  profile_name: () => sql.NVarChar(4000),
  recipients: () => sql.NVarChar(sql.MAX),
  copy_recipients: () => sql.NVarChar(sql.MAX),
  blind_copy_recipients: () => sql.NVarChar(sql.MAX),
  from_address: () => sql.NVarChar(sql.MAX),
  reply_to: () => sql.NVarChar(sql.MAX),
  subject: () => sql.NVarChar(sql.MAX),
  body: () => sql.NVarChar(sql.MAX),
  body_format: () => sql.NVarChar(4000),
  importance: () => sql.NVarChar(4000),
  sensitivity: () => sql.NVarChar(4000),
  send_at: () => sql.DateTimeOffset(7),
  correlation_key: () => sql.NVarChar(sql.MAX),
  smtp_address: () => sql.NVarChar(4000),
  transport: () => sql.NVarChar(4000),
  ews_url: () => sql.NVarChar(sql.MAX),
  description: () => sql.NVarChar(sql.MAX),
  principal: () => sql.NVarChar(4000),
  can_send: () => sql.Bit(),
  can_write: () => sql.Bit(),
  can_read: () => sql.Bit(),
  job_id: () => sql.BigInt(),
  include_payload: () => sql.Bit(),
  kind: () => sql.NVarChar(4000),
  folder: () => sql.NVarChar(sql.MAX),
  folder_name: () => sql.NVarChar(sql.MAX),
  target_profile: () => sql.NVarChar(sql.MAX),
  allow_empty: () => sql.Bit(),
};

const JOB_ID = { name: 'job_id', type: () => sql.BigInt() };

/** The OUTPUT id of each procedure that has one. */
const OUTPUT_ID: Partial<Record<ApiProcedure, { name: string; type: () => sql.ISqlType }>> = {
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
      table.rows.add(a.name, a.content_type ?? null, a.content, a.content_id ?? null, a.is_inline ?? null, i + 1);
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

/** A parameter type for a plain JS value (ad-hoc query parameters, parameters not in PARAM_TYPES). */
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

/** A request with the call's input parameters, typed as the procedures declare them. */
function inputRequest(newRequest: () => sql.Request, params: ApiParams): sql.Request {
  assertParamNames(params);
  const request = newRequest();
  for (const [name, value] of Object.entries(params)) {
    if (isAttachmentList(name, value) || isSyncItemList(name, value))
      request.input(name, toTable(name, value));
    else request.input(name, PARAM_TYPES[name]?.() ?? inferSqlType(value), value);
  }
  return request;
}

/** Runs a procedure that returns a result set (rc_GetJob); column names lower-cased. */
export async function selectMssqlApiRows(
  newRequest: () => sql.Request,
  proc: ApiProcedure,
  params: ApiParams,
): Promise<Record<string, unknown>[]> {
  const request = inputRequest(newRequest, params);
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
  const request = inputRequest(newRequest, params);
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
