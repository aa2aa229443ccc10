/**
 * ApiClient for PostgreSQL: `SELECT rc.<lower-case name>(param => $1, …)`; SQLSTATE R#### → ApiCallError(50000 + ####).
 */
import { Pool, type PoolClient } from 'pg';
import {
  ApiCallError,
  assertParamNames,
  isAttachmentList,
  isSyncItemList,
  lowerCaseKeys,
  MAIL_ITEM_COLUMNS,
  toMailItemStatus,
  type ApiClient,
  type ApiParams,
  type ApiProcedure,
  type MailItemStatus,
} from '../api-client';

const API_SQLSTATE = /^R(\d{4})$/;

export function toApiCallError(err: unknown): unknown {
  const code = (err as { code?: unknown })?.code;
  const match = typeof code === 'string' ? API_SQLSTATE.exec(code) : null;
  return match ? new ApiCallError(50000 + Number(match[1]), (err as Error).message) : err;
}

/**
 * Table-valued parameters travel as jsonb: attachments with base64 content, sync items as {external_key, item}.
 */
export function toPostgresValue(name: string, value: ApiParams[string]): unknown {
  if (isAttachmentList(name, value)) {
    return JSON.stringify(
      value.map((a) => ({
        name: a.name,
        content_type: a.content_type ?? null,
        content: a.content === null ? null : a.content.toString('base64'),
        content_id: a.content_id ?? null,
        is_inline: a.is_inline ?? null,
      })),
    );
  }
  if (isSyncItemList(name, value)) return JSON.stringify(value);
  return value;
}

type PostgresQueryable = Pool | PoolClient | { query: PoolClient['query'] };

/** `rc.<lower-case name>(param => $1, …)` and its values. */
function functionCall(proc: ApiProcedure, params: ApiParams): { call: string; values: unknown[] } {
  assertParamNames(params);
  const names = Object.keys(params);
  const args = names
    .map((name, i) => (Array.isArray(params[name]) ? `${name} => $${i + 1}::jsonb` : `${name} => $${i + 1}`))
    .join(', ');
  return {
    call: `rc.${proc.toLowerCase()}(${args})`,
    values: names.map((name) => toPostgresValue(name, params[name])),
  };
}

/** Runs one API call on a connection (pool or a client inside the caller's transaction). */
export async function callPostgresApi(
  db: PostgresQueryable,
  proc: ApiProcedure,
  params: ApiParams,
): Promise<string | null> {
  const { call, values } = functionCall(proc, params);
  try {
    const result = await db.query<{ result: unknown }>(`SELECT ${call} AS result`, values);
    const value = result.rows[0]?.result;
    // void functions (grant/revoke) come back as ''.
    return value === null || value === undefined || value === '' ? null : String(value);
  } catch (err) {
    throw toApiCallError(err);
  }
}

/** Runs a set-returning API function (`SELECT * FROM rc.rc_getjob(…)`); column names lower-cased. */
export async function selectPostgresApiRows(
  db: PostgresQueryable,
  proc: ApiProcedure,
  params: ApiParams,
): Promise<Record<string, unknown>[]> {
  const { call, values } = functionCall(proc, params);
  try {
    const result = await db.query<Record<string, unknown>>(`SELECT * FROM ${call}`, values);
    return result.rows.map(lowerCaseKeys);
  } catch (err) {
    throw toApiCallError(err);
  }
}

export class PostgresApiClient implements ApiClient {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 4, application_name: 'rc-exchange api client' });
  }

  call(proc: ApiProcedure, params: ApiParams): Promise<string | null> {
    return callPostgresApi(this.pool, proc, params);
  }

  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]> {
    return selectPostgresApiRows(this.pool, proc, params);
  }

  async mailItems(ids: string[]): Promise<MailItemStatus[]> {
    const result = await this.pool.query(
      `SELECT ${MAIL_ITEM_COLUMNS} FROM rc.vw_MailItems WHERE mailitem_id = ANY($1::bigint[]) ORDER BY mailitem_id`,
      [ids],
    );
    return result.rows.map(toMailItemStatus);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
