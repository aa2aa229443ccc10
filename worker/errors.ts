/**
 * One error vocabulary for the whole worker. Every failure that leaves a module is an RcError whose `code`
 * says what happened and whose `retryable` says whether trying again later can help. Job handlers turn these
 * into status moves: retryable → Retrying (with backoff), otherwise → Failed at once.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'db_unavailable'
  | 'db_transient'
  | 'db_error'
  | 'migration_checksum_mismatch'
  | 'migration_failed'
  | 'migration_newer_schema'
  | 'migration_pending'
  | 'redis_unavailable'
  | 'payload_invalid'
  | 'mailbox_disabled'
  | 'transport_unsupported'
  | 'exchange_throttled'
  | 'exchange_transient'
  | 'exchange_auth'
  | 'exchange_permanent'
  | 'network'
  | 'conflict'
  /** An update/delete job whose create job has not succeeded yet: retried until it has. */
  | 'target_pending'
  | 'not_found'
  | 'access_denied'
  | 'internal';

export interface RcErrorOptions {
  retryable?: boolean;
  /** Minimum wait before a retry, e.g. Exchange's BackOffMilliseconds or an HTTP Retry-After. */
  retryAfterMs?: number;
  /** The peer's own error code (Exchange ResponseCode, SQL error number …), recorded in LastErrorCode. */
  remoteCode?: string;
  cause?: unknown;
}

export class RcError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly remoteCode?: string;

  constructor(code: ErrorCode, message: string, options: RcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RcError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.remoteCode = options.remoteCode;
  }

  /** What goes into rc.Jobs.LastErrorCode: the peer's code when there is one, else ours. */
  get statusCode(): string {
    return this.remoteCode ?? this.code;
  }
}

/** Wraps anything thrown into an RcError; unknown errors are treated as internal and not retryable. */
export function toRcError(err: unknown): RcError {
  if (err instanceof RcError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RcError('internal', message, { cause: err });
}
