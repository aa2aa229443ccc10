/**
 * The public SQL API seen from a client program: call an rc procedure the way an application does (T-SQL EXEC
 * with OUTPUT id / PostgreSQL function call) and read rc.vw_MailItems. The demo, the benchmark and the
 * conformance suite use it; the worker itself never does (it talks to the Store).
 */
import { RcError } from '../errors';
import type { Dialect } from './store';

/** T-SQL procedure names; PostgreSQL adapters map them to rc.<lower-case name>(...). */
export type ApiProcedure =
  | 'rc_SendMail'
  | 'rc_AddMailbox'
  | 'rc_GrantMailbox'
  | 'rc_RevokeMailbox'
  | 'rc_CreateAppointment'
  | 'rc_UpdateAppointment'
  | 'rc_DeleteAppointment'
  | 'rc_CreateContact'
  | 'rc_UpdateContact'
  | 'rc_DeleteContact'
  | 'rc_CreateTask'
  | 'rc_UpdateTask'
  | 'rc_DeleteTask'
  | 'rc_SyncFolder'
  | 'rc_CancelJob'
  | 'rc_RetryJob'
  | 'rc_GetJob';

/**
 * One row of rc_SendMail's @attachments (T-SQL: a row of the table type rc.AttachmentList; PostgreSQL: an
 * element of the jsonb array, content as base64). Every field may be null so a test can pass bad rows.
 */
export interface AttachmentParam {
  name: string | null;
  content_type?: string | null;
  content: Buffer | null;
  content_id?: string | null;
  is_inline?: boolean | null;
}

/**
 * One row of rc_SyncFolder's @items (T-SQL: rc.SyncItemList; PostgreSQL: jsonb array of {external_key, item}):
 * the item is a JSON object whose keys are the kind's create-procedure parameter names (e.g. given_name).
 */
export interface SyncItemParam {
  external_key: string | null;
  item: Record<string, unknown> | null;
}

export type ApiScalar = string | number | boolean | Date | null;

/** Parameters by T-SQL name without '@', e.g. { profile_name: 'sales', recipients: 'a@example.com' }. */
export type ApiParams = Record<string, ApiScalar | AttachmentParam[] | SyncItemParam[]>;

/** The table-valued parameters: name → element kind. */
export const TABLE_PARAMS = { attachments: 'attachment', items: 'syncItem' } as const;

export function isAttachmentList(name: string, value: unknown): value is AttachmentParam[] {
  return name === 'attachments' && Array.isArray(value);
}

export function isSyncItemList(name: string, value: unknown): value is SyncItemParam[] {
  return name === 'items' && Array.isArray(value);
}

/** A documented API error (THROW 500xx / SQLSTATE R00xx): `number` is the README's error number. */
export class ApiCallError extends RcError {
  constructor(
    readonly number: number,
    message: string,
  ) {
    super('payload_invalid', message, { remoteCode: String(number) });
    this.name = 'ApiCallError';
  }
}

/** Only plain snake_case names (digits allowed after the first letter: email_address1) become parameter names (they are spliced into the call text). */
export const API_PARAM_NAME = /^[a-z][a-z0-9_]*$/;

export function assertParamNames(params: ApiParams): void {
  for (const name of Object.keys(params)) {
    if (!API_PARAM_NAME.test(name))
      throw new Error(`Parameter name ${JSON.stringify(name)} is not a plain name`);
  }
}

export interface MailItemStatus {
  mailitemId: string;
  profileName: string;
  recipients: string | null;
  subject: string;
  sentStatus: 'unsent' | 'retrying' | 'sent' | 'failed';
  sentDate: Date | null;
  attempts: number;
  lastErrorCode: string | null;
  lastError: string | null;
  exchangeItemId: string | null;
}

export interface ApiClient {
  readonly dialect: Dialect;
  /** Calls a procedure; resolves to its id (@mailitem_id / @mailbox_id / function result) or null. */
  call(proc: ApiProcedure, params: ApiParams): Promise<string | null>;
  /**
   * Calls a procedure that returns rows (rc_GetJob: a T-SQL result set / a PostgreSQL set-returning function);
   * column names lower-cased so both dialects compare equal.
   */
  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]>;
  /** Rows of rc.vw_MailItems for these ids, ordered by id. */
  mailItems(ids: string[]): Promise<MailItemStatus[]>;
  close(): Promise<void>;
}

/** A result row with lower-case column names (Babelfish, SQL Server and PostgreSQL spell them differently). */
export function lowerCaseKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.toLowerCase(), value]));
}

/** Maps a vw_MailItems row (any column-name case) to MailItemStatus. */
export function toMailItemStatus(raw: Record<string, unknown>): MailItemStatus {
  const row = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k.toLowerCase(), v]));
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    mailitemId: String(row.mailitem_id),
    profileName: String(row.profile_name),
    recipients: text(row.recipients),
    subject: String(row.subject ?? ''),
    sentStatus: row.sent_status as MailItemStatus['sentStatus'],
    sentDate: row.sent_date instanceof Date ? row.sent_date : null,
    attempts: Number(row.attempts ?? 0),
    lastErrorCode: text(row.last_error_code),
    lastError: text(row.last_error),
    exchangeItemId: text(row.exchange_item_id),
  };
}

export const MAIL_ITEM_COLUMNS =
  'mailitem_id, profile_name, recipients, subject, sent_status, sent_date, attempts, last_error_code, last_error, exchange_item_id';
