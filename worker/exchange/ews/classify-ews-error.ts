/**
 * The one place that turns what ews-javascript-api throws into an RcError (transient → retry with backoff,
 * permanent → fail now). Pure logic: it reads the shapes below structurally, so unit tests need no server.
 *
 * What ews-javascript-api 0.15 rejects with (learned from its source):
 * - HTTP 200 with ResponseClass="Error": a ServiceResponseException; `.Response.ErrorCode` is the numeric
 *   ServiceError enum, `.Response.ErrorDetails` a dictionary of the MessageXml values (BackOffMilliseconds …).
 * - HTTP 500 with a SOAP fault: a SoapFaultDetails (not an Error!) with `ResponseCode` (numeric enum),
 *   `HttpStatusCode` 500 and `ErrorDetails`. Its ResponseCode *defaults* to ErrorInternalServerError, so it is
 *   only meaningful when the fault really was parsed (HttpStatusCode 500 and a FaultString).
 * - any other HTTP status or a network error: a SoapFaultDetails with only `message` and `HttpStatusCode`
 *   (undefined for network errors); response headers (Retry-After) and the socket error code are lost. The EWS
 *   transport therefore records the raw HTTP facts per request (see ews-xhr.ts) and passes them in as `probe`.
 */
import { RcError, type ErrorCode } from '../../errors';

/** Raw facts about the last HTTP exchange of one EWS call, captured below ews-javascript-api. */
export interface HttpProbe {
  status?: number;
  headers?: Record<string, unknown>;
  /** Node/axios error code for a failed request (ECONNRESET, ECONNREFUSED, ETIMEDOUT, ECONNABORTED …). */
  networkCode?: string;
  networkMessage?: string;
  /** Response body (for BackOffMilliseconds when the library did not parse it). */
  body?: string;
}

/** Exchange ResponseCodes that mean "try again later". */
const THROTTLING_CODES = new Set([
  'ErrorServerBusy',
  'ErrorExceededConnectionCount',
  'ErrorTooManyObjectsOpened',
]);
const TRANSIENT_CODES = new Set([
  'ErrorTimeoutExpired',
  'ErrorInternalServerTransientError',
  'ErrorMailboxStoreUnavailable',
  'ErrorConnectionFailed',
  'ErrorMailboxMoveInProgress',
  'ErrorServerTemporaryUnavailable',
  'ErrorProxyRequestProcessingFailed',
]);
const ACCESS_CODES = new Set([
  'ErrorAccessDenied',
  'ErrorImpersonateUserDenied',
  'ErrorImpersonationDenied',
  'ErrorImpersonationFailed',
  'ErrorSendAsDenied',
]);
const NOT_FOUND_CODES = new Set(['ErrorItemNotFound', 'ErrorNonExistentMailbox', 'ErrorFolderNotFound']);
/** The item changed since the ChangeKey the update carried (or one was needed): never overwrite silently. */
const CONFLICT_CODES = new Set(['ErrorIrresolvableConflict', 'ErrorChangeKeyRequiredForWriteOperations']);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);
const NETWORK_MESSAGE =
  /\b(ECONNRESET|ECONNREFUSED|ETIMEDOUT|ECONNABORTED|EPIPE|EAI_AGAIN|ENOTFOUND|EHOSTUNREACH|ENETUNREACH)\b|socket hang up|timeout of \d+ms exceeded|network error/i;

/** ServiceError enum name for a numeric code; ews-javascript-api's enum is passed in to keep this file pure. */
export type ServiceErrorNames = Record<number, string>;

interface Extracted {
  responseCode?: string;
  message: string;
  backOffMs?: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}

function codeName(code: unknown, names: ServiceErrorNames | undefined): string | undefined {
  if (typeof code === 'string' && code.length > 0) return code;
  if (typeof code === 'number') return names?.[code] ?? String(code);
  return undefined;
}

/** Reads a value from ews-javascript-api's Dictionary (get/containsKey) or a plain object. */
function detail(details: unknown, key: string): string | undefined {
  if (!isObject(details)) return undefined;
  try {
    if (typeof details.containsKey === 'function' && typeof details.get === 'function') {
      const has = (details.containsKey as (k: string) => boolean).call(details, key);
      if (!has) return undefined;
      const value = (details.get as (k: string) => unknown).call(details, key);
      return value === undefined || value === null ? undefined : String(value);
    }
  } catch {
    return undefined;
  }
  const value = details[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function toMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : undefined;
}

function backOffFromBody(body: string | undefined): number | undefined {
  if (!body) return undefined;
  const m = /<(?:\w+:)?Value\s+Name="BackOffMilliseconds"\s*>\s*(\d+)\s*</.exec(body);
  return m ? Number(m[1]) : undefined;
}

function responseCodeFromBody(body: string | undefined): string | undefined {
  if (!body) return undefined;
  const m = /<(?:\w+:)?ResponseCode>\s*(\w+)\s*</.exec(body);
  return m ? m[1] : undefined;
}

function extract(err: unknown, names: ServiceErrorNames | undefined): Extracted {
  if (!isObject(err)) return { message: String(err) };
  const message = typeof err.message === 'string' ? err.message : String(err);
  // ServiceResponseException: .Response is a ServiceResponse.
  const response = err.Response ?? err.response;
  if (isObject(response) && ('ErrorCode' in response || 'errorCode' in response)) {
    const responseCode = codeName(response.ErrorCode ?? response.errorCode, names);
    const details = response.ErrorDetails ?? response.errorDetails;
    const text = typeof response.ErrorMessage === 'string' ? response.ErrorMessage : message;
    return { responseCode, message: text, backOffMs: toMs(detail(details, 'BackOffMilliseconds')) };
  }
  // SoapFaultDetails from an HTTP 500 with a parsed fault.
  if ('ResponseCode' in err && 'HttpStatusCode' in err) {
    const parsed = err.HttpStatusCode === 500 && (err.FaultString ?? err.faultString) != null;
    const details = err.ErrorDetails ?? err.errorDetails;
    return {
      responseCode: parsed ? codeName(err.ResponseCode, names) : undefined,
      message: message || String(err.FaultString ?? ''),
      backOffMs: toMs(detail(details, 'BackOffMilliseconds')),
    };
  }
  // Already-named codes (e.g. a plain object or our own test doubles).
  return { responseCode: codeName(err.ResponseCode ?? err.ErrorCode, names), message };
}

function header(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    if (Array.isArray(value)) return value.map(String).join(', ');
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

/** Retry-After in ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A 401 caused by an expired bearer token: refreshing the token and retrying can help. */
function isExpiredToken(headers: Record<string, unknown> | undefined, message: string): boolean {
  const text = `${header(headers, 'www-authenticate') ?? ''} ${header(headers, 'x-ms-diagnostics') ?? ''} ${message}`;
  return /expired|invalid_token.*lifetime|token.*lifetime/i.test(text);
}

/**
 * Classifies a failure of one EWS call. `names` is ews-javascript-api's ServiceError enum (number → name);
 * `probe` the raw HTTP facts of that call; `what` names the operation for the message ("CreateItem for x@y").
 */
export function classifyEwsError(
  err: unknown,
  options: { probe?: HttpProbe; names?: ServiceErrorNames; what?: string } = {},
): RcError {
  if (err instanceof RcError) return err;
  const { probe, names } = options;
  const what = options.what ? `${options.what}: ` : '';
  const ex = extract(err, names);
  const status =
    probe?.status ??
    (isObject(err) && typeof err.HttpStatusCode === 'number' ? err.HttpStatusCode : undefined);
  const responseCode = ex.responseCode ?? (status === 500 ? responseCodeFromBody(probe?.body) : undefined);
  const backOffMs = ex.backOffMs ?? backOffFromBody(probe?.body);
  const retryAfterHeader = parseRetryAfter(header(probe?.headers, 'retry-after'));
  const retryAfterMs = backOffMs ?? retryAfterHeader;
  const detailText = ex.message ? ` — ${ex.message}` : '';

  const make = (code: ErrorCode, retryable: boolean, text: string, remoteCode?: string) =>
    new RcError(code, `${what}${text}`, {
      retryable,
      retryAfterMs: retryable ? retryAfterMs : undefined,
      remoteCode,
      cause: err,
    });

  // 1. Exchange answered with a ResponseCode: it is the most precise signal.
  if (responseCode && responseCode !== 'NoError') {
    if (THROTTLING_CODES.has(responseCode)) {
      return make(
        'exchange_throttled',
        true,
        `Exchange is throttling (${responseCode})${detailText}`,
        responseCode,
      );
    }
    if (TRANSIENT_CODES.has(responseCode)) {
      return make(
        'exchange_transient',
        true,
        `Exchange is temporarily unavailable (${responseCode})${detailText}`,
        responseCode,
      );
    }
    if (ACCESS_CODES.has(responseCode)) {
      return make(
        'access_denied',
        false,
        `Exchange denied access (${responseCode})${detailText}. Check the service account's ApplicationImpersonation/Send As rights on the mailbox.`,
        responseCode,
      );
    }
    if (CONFLICT_CODES.has(responseCode)) {
      // No remoteCode: the job's LastErrorCode is 'conflict', the Exchange code stays in the message.
      return make(
        'conflict',
        false,
        `Exchange reports a conflicting change of the item (${responseCode})${detailText}`,
      );
    }
    if (NOT_FOUND_CODES.has(responseCode)) {
      return make(
        'not_found',
        false,
        `Exchange could not find it (${responseCode})${detailText}`,
        responseCode,
      );
    }
    return make(
      'exchange_permanent',
      false,
      `Exchange rejected the request (${responseCode})${detailText}`,
      responseCode,
    );
  }

  // 2. Network failures (no HTTP status at all).
  const networkCode = probe?.networkCode;
  const networkText = `${probe?.networkMessage ?? ''} ${ex.message}`;
  if (status === undefined || status === 0) {
    if ((networkCode && NETWORK_CODES.has(networkCode)) || NETWORK_MESSAGE.test(networkText)) {
      const label = networkCode ?? NETWORK_MESSAGE.exec(networkText)?.[0] ?? 'network error';
      return make('network', true, `network error talking to Exchange (${label})${detailText}`);
    }
  }

  // 3. HTTP status without an EWS ResponseCode.
  if (status !== undefined && status !== 200 && status !== 0) {
    if (status === 401) {
      if (isExpiredToken(probe?.headers, ex.message)) {
        return make(
          'exchange_auth',
          true,
          `Exchange rejected an expired access token (HTTP 401); a new token will be used`,
        );
      }
      return make(
        'exchange_auth',
        false,
        'Exchange rejected the credentials (HTTP 401 Unauthorized). Check RC_EWS_USERNAME/RC_EWS_PASSWORD (or the OAuth app registration) and RC_EWS_AUTH.',
      );
    }
    if (status === 429 || status === 503) {
      return make('exchange_throttled', true, `Exchange is throttling (HTTP ${status})${detailText}`);
    }
    if (status >= 500 || status === 408) {
      return make('exchange_transient', true, `Exchange returned HTTP ${status}${detailText}`);
    }
    if (status === 403) {
      return make('access_denied', false, `Exchange refused the request (HTTP 403)${detailText}`);
    }
    return make('exchange_permanent', false, `Exchange returned HTTP ${status}${detailText}`);
  }

  if (NETWORK_MESSAGE.test(networkText)) {
    return make('network', true, `network error talking to Exchange${detailText}`);
  }
  return make('internal', false, `unexpected failure in the EWS client${detailText}`);
}
