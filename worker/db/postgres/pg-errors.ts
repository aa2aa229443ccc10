/**
 * The one place that decides which PostgreSQL errors are worth retrying. Everything the postgres adapter throws
 * goes through toPgRcError: transient → RcError('db_transient', retryable), refused or unreachable server →
 * 'db_unavailable' (retryable), anything else → 'db_error' (permanent). The SQLSTATE (or socket code) travels as
 * remoteCode so it lands in rc.Jobs.LastErrorCode.
 */
import { RcError } from '../../errors';

/** SQLSTATEs meaning "the same statement may succeed if tried again". */
export const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown (server restarting, failover)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up / recovery)
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
]);

/** Socket codes meaning the connection broke mid-request. */
const TRANSIENT_SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);
/** Socket codes meaning the server cannot be reached at all. */
const UNAVAILABLE_SOCKET_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH']);
/** pg reports a dropped or timed-out connection without a code; these are its messages. */
const TRANSIENT_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect/i;

export function toPgRcError(err: unknown, what: string): RcError {
  if (err instanceof RcError) return err;
  const code =
    typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
  const message = err instanceof Error ? err.message : String(err);
  if (code !== undefined && UNAVAILABLE_SOCKET_CODES.has(code)) {
    return new RcError('db_unavailable', `${what}: PostgreSQL is unreachable (${code}: ${message})`, {
      retryable: true,
      remoteCode: code,
      cause: err,
    });
  }
  const transient =
    (code !== undefined &&
      (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_SOCKET_CODES.has(code))) ||
    (code === undefined && TRANSIENT_MESSAGES.test(message));
  if (transient) {
    return new RcError('db_transient', `${what}: ${message}`, {
      retryable: true,
      remoteCode: code,
      cause: err,
    });
  }
  return new RcError('db_error', `${what}: ${message}`, { remoteCode: code, cause: err });
}
