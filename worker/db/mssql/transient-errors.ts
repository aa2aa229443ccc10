/**
 * The one place that decides which SQL Server / Azure SQL / Babelfish errors are worth retrying. Everything the
 * mssql adapter throws goes through toMssqlRcError: transient → RcError('db_transient', retryable), refused or
 * unreachable server → 'db_unavailable' (retryable), anything else → 'db_error' (permanent). The SQL error
 * number travels as remoteCode so it lands in rc.Jobs.LastErrorCode.
 */
import { RcError } from '../../errors';

/**
 * Server error numbers that mean "the same statement may succeed if tried again". Sources: SQL Server's
 * deadlock/lock errors, Microsoft's "transient fault" list for Azure SQL, and tedious' network errors.
 */
export const TRANSIENT_SQL_ERROR_NUMBERS: ReadonlySet<number> = new Set([
  -2, // client-side timeout reported as a server number by some drivers
  20, // the instance does not support encryption / connection dropped during login
  64, // connection was successfully established but then an error occurred (network name no longer available)
  121, // semaphore timeout (transport-level error)
  233, // no process on the other end of the pipe
  1205, // chosen as deadlock victim
  1222, // lock request time out period exceeded
  3960, // snapshot isolation update conflict
  4060, // cannot open database requested by the login (database moving / starting)
  4221, // login to read-secondary failed: replica still catching up
  8628, // timeout waiting for memory to compile the query
  8645, // timeout waiting for memory resources
  8651, // low memory condition
  10053, // transport-level error: connection aborted by the software in the host
  10054, // transport-level error: connection reset by peer
  10060, // network timeout connecting
  10928, // resource limit reached (Azure SQL)
  10929, // minimum guarantee not met (Azure SQL)
  10936, // request limit for the elastic pool reached
  40143, // service encountered an error processing the request
  40197, // service encountered an error (reconfiguration / failover)
  40501, // the service is currently busy
  40540, // the service has encountered an error processing your request
  40613, // database is not currently available
  41301, // in-memory OLTP dependency failure
  41302, // in-memory OLTP update conflict
  41305, // in-memory OLTP repeatable read validation failure
  41325, // in-memory OLTP serializable validation failure
  41839, // in-memory OLTP transaction exceeded the maximum number of commit dependencies
  42108, // cannot connect to the SQL pool (serverless resuming)
  42109, // the SQL pool is warming up
  49918, // not enough resources to process the request
  49919, // too many create/update operations in progress
  49920, // too many operations in progress
]);

/** Driver/socket codes (mssql, tedious, Node) that mean the connection broke or timed out mid-request. */
export const TRANSIENT_DRIVER_CODES: ReadonlySet<string> = new Set([
  'ETIMEOUT',
  'ESOCKET',
  'ECONNRESET',
  'ECONNCLOSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Codes that mean the server could not be reached at all (worth retrying, but the operator should look). */
const UNAVAILABLE_DRIVER_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EINSTLOOKUP',
  'ENOCONN',
]);

interface ErrorFacts {
  numbers: number[];
  codes: string[];
}

/** Collects SQL error numbers and driver codes from an error, its originalError/cause and precedingErrors. */
function collectFacts(err: unknown, facts: ErrorFacts = { numbers: [], codes: [] }, depth = 0): ErrorFacts {
  if (depth > 6 || err === null || typeof err !== 'object') return facts;
  const e = err as {
    number?: unknown;
    code?: unknown;
    originalError?: unknown;
    cause?: unknown;
    precedingErrors?: unknown;
    errors?: unknown;
  };
  if (typeof e.number === 'number') facts.numbers.push(e.number);
  if (typeof e.code === 'string') facts.codes.push(e.code);
  collectFacts(e.originalError, facts, depth + 1);
  collectFacts(e.cause, facts, depth + 1);
  for (const list of [e.precedingErrors, e.errors]) {
    if (Array.isArray(list)) for (const inner of list) collectFacts(inner, facts, depth + 1);
  }
  return facts;
}

/** The SQL Server error number of a request error (the first one found), or undefined. */
export function sqlErrorNumber(err: unknown): number | undefined {
  return collectFacts(err).numbers[0];
}

export function isTransientMssqlError(err: unknown): boolean {
  const facts = collectFacts(err);
  return (
    facts.numbers.some((n) => TRANSIENT_SQL_ERROR_NUMBERS.has(n)) ||
    facts.codes.some((c) => TRANSIENT_DRIVER_CODES.has(c))
  );
}

/** Maps anything the mssql driver threw while doing `what` to an RcError (never echoes connection secrets). */
export function toMssqlRcError(err: unknown, what: string): RcError {
  if (err instanceof RcError) return err;
  const facts = collectFacts(err);
  const message = err instanceof Error ? err.message : String(err);
  const number = facts.numbers[0];
  const remoteCode = number !== undefined ? String(number) : facts.codes[0];
  if (isTransientMssqlError(err)) {
    return new RcError(
      'db_transient',
      `Transient SQL Server error while ${what} (safe to retry): ${message}`,
      {
        retryable: true,
        remoteCode,
        cause: err,
      },
    );
  }
  if (facts.codes.some((c) => UNAVAILABLE_DRIVER_CODES.has(c))) {
    return new RcError(
      'db_unavailable',
      `SQL Server is unreachable while ${what}: ${message}. Check the host, port and instance name in RC_DB_URL and that the server accepts TCP connections.`,
      { retryable: true, remoteCode, cause: err },
    );
  }
  if (facts.codes.includes('ELOGIN')) {
    return new RcError(
      'db_unavailable',
      `SQL Server refused the login while ${what}: ${message}. Check the user and password in RC_DB_URL and that the login may open the database.`,
      { retryable: false, remoteCode, cause: err },
    );
  }
  return new RcError('db_error', `SQL Server error while ${what}: ${message}`, { remoteCode, cause: err });
}
