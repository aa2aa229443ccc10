/**
 * RC_DB_URL for SQL Server → an mssql (tedious) ConnectionPool config, and opening a pool with errors mapped.
 *
 *   mssql://USER:PASSWORD@HOST:PORT/DATABASE?encrypt=true|false&trustServerCertificate=true|false
 *   sqlserver://… (same form); optional &instanceName=NAME (named instance, resolved through SQL Browser)
 *
 * USER and PASSWORD are percent-decoded (write '@' as %40, ':' as %3A). Error messages never contain the
 * password, whatever is wrong with the URL.
 */
import sql from 'mssql';
import { RcError } from '../../errors';
import { toMssqlRcError } from './transient-errors';

export interface MssqlUrlParts {
  user: string;
  password: string;
  host: string;
  port: number;
  /** Empty when the URL names no database: the login's default database is used. */
  database: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  instanceName?: string;
}

export interface MssqlPoolOptions {
  /** Connections kept at most (default 10). */
  maxConnections?: number;
  /** Application name shown in sys.dm_exec_sessions (default 'rc-exchange'). */
  appName?: string;
  /** Overrides the database of the URL (the conformance driver connects to a fresh database). */
  database?: string;
  requestTimeoutMs?: number;
}

const FORM = 'mssql://USER:PASSWORD@HOST:PORT/DATABASE?encrypt=true&trustServerCertificate=false';
const KNOWN_PARAMS = new Set(['encrypt', 'trustServerCertificate', 'instanceName']);

function invalid(reason: string): RcError {
  return new RcError(
    'config_invalid',
    `The SQL Server URL is invalid: ${reason}. Expected ${FORM} (percent-encode special characters in the user and password).`,
  );
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`the ${what} contains a malformed %-escape`);
  }
}

function parseBool(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const value = params.get(name);
  if (value === null) return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw invalid(`${name} must be true or false, not "${value}"`);
}

/** Parses an mssql:// or sqlserver:// URL; throws RcError('config_invalid') naming what is wrong. */
export function parseMssqlUrl(url: string): MssqlUrlParts {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (!scheme || !/^(mssql|sqlserver)$/i.test(scheme[1])) {
    throw invalid('it must start with mssql:// or sqlserver://');
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The WHATWG parser's message can quote the input (and so the password): say only what we know.
    throw invalid(
      'it cannot be parsed as a URL (an unencoded "@", "/" or "#" in the password is a common cause)',
    );
  }
  if (parsed.hostname === '') throw invalid('the host is missing');
  if (parsed.username === '') throw invalid('the user is missing');
  let port = 1433;
  if (parsed.port !== '') {
    port = Number(parsed.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('the port must be 1–65535');
  }
  const path = parsed.pathname.replace(/^\//, '');
  if (path.includes('/')) throw invalid('the path must be just the database name');
  const database = decode(path, 'database name');
  for (const key of parsed.searchParams.keys()) {
    if (!KNOWN_PARAMS.has(key)) {
      throw invalid(`unknown parameter "${key}" (known: ${[...KNOWN_PARAMS].join(', ')})`);
    }
  }
  const instanceName = parsed.searchParams.get('instanceName') ?? undefined;
  if (instanceName === '') throw invalid('instanceName must not be empty');
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1'); // IPv6 literal without brackets for tedious
  return {
    user: decode(parsed.username, 'user'),
    password: decode(parsed.password, 'password'),
    host,
    port,
    database,
    encrypt: parseBool(parsed.searchParams, 'encrypt', true),
    trustServerCertificate: parseBool(parsed.searchParams, 'trustServerCertificate', false),
    instanceName,
  };
}

/** A loggable form of the URL: never the password. */
export function describeMssqlUrl(parts: MssqlUrlParts): string {
  const instance = parts.instanceName ? `\\${parts.instanceName}` : '';
  return `mssql://${parts.user}@${parts.host}${instance}:${parts.port}/${parts.database}`;
}

export function toPoolConfig(parts: MssqlUrlParts, options: MssqlPoolOptions = {}): sql.config {
  return {
    server: parts.host,
    // With a named instance tedious asks SQL Browser for the port; an explicit port would override that.
    port: parts.instanceName ? undefined : parts.port,
    user: parts.user,
    password: parts.password,
    database: options.database ?? (parts.database === '' ? undefined : parts.database),
    connectionTimeout: 15000,
    requestTimeout: options.requestTimeoutMs ?? 30000,
    pool: { max: options.maxConnections ?? 10, min: 0, idleTimeoutMillis: 30000 },
    options: {
      encrypt: parts.encrypt,
      trustServerCertificate: parts.trustServerCertificate,
      instanceName: parts.instanceName,
      appName: options.appName ?? 'rc-exchange',
      useUTC: true,
      enableArithAbort: true,
    },
  };
}

/** Opens a pool for `url`; connection failures become RcError (db_unavailable / db_transient), without secrets. */
export async function openMssqlPool(
  url: string,
  options: MssqlPoolOptions = {},
): Promise<sql.ConnectionPool> {
  const parts = parseMssqlUrl(url);
  const pool = new sql.ConnectionPool(toPoolConfig(parts, options));
  // An idle pooled connection that breaks emits 'error'; the next request gets a fresh connection.
  pool.on('error', () => undefined);
  try {
    await pool.connect();
  } catch (err) {
    await pool.close().catch(() => undefined);
    throw toMssqlRcError(
      err,
      `connecting to ${describeMssqlUrl({ ...parts, database: options.database ?? parts.database })}`,
    );
  }
  return pool;
}
