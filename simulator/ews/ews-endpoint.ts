/**
 * POST /EWS/Exchange.asmx: authentication (401), parsing and impersonation (the acting mailbox is charged a
 * concurrency slot until the response is sent: ErrorExceededConnectionCount beyond the limit), latency,
 * transport faults (drop, 503), then any parse/impersonation fault, HTTP 429, throttling (ErrorServerBusy),
 * the message size limit, and the operation. Never lets an error escape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Element } from '@xmldom/xmldom';
import type { Logger } from 'winston';
import { actingMailbox, authenticate, type AuthResult } from '../auth/authenticate';
import type { TokenPolicy } from '../auth/token-policy';
import { type FaultSettings, shouldAnswerTooManyRequests, shouldThrottle, transportFault } from '../faults';
import { BodyTooLargeError, readBody, send, sleep } from '../http-util';
import type { Limits } from '../limits';
import type { MailboxStore } from '../mailbox-store';
import type { Mailbox } from '../model';
import { dispatch } from './dispatch';
import { EwsError, EwsFault } from './ews-error';
import {
  createItemTooLargeResponse,
  exceededConnectionCountFault,
  sendTooManyRequests,
} from './limit-responses';
import { parseEwsRequest, type ParsedRequest } from './parse-request';
import { envelope } from './response-writer';
import { renderFault, serverBusyFault } from './soap-fault';

const XML = 'text/xml; charset=utf-8';
/** Exchange Online's default maxRequestLength for EWS is about 150 MB; tests never need more than this. */
const MAX_BODY = 160 * 1024 * 1024;

export interface EwsEndpointDeps {
  store: MailboxStore;
  signingKey: Buffer;
  faults: () => FaultSettings;
  limits: Limits;
  tokens: TokenPolicy;
  logger: Logger;
  /** Throws ErrorSchemaValidation for a request that breaks the EWS schema (schema-request-validation.ts). */
  validateRequest?: (operation: Element) => void;
}

function fault(res: ServerResponse, f: EwsFault): void {
  send(res, f.options.httpStatus ?? 500, XML, renderFault(f));
}

/** 401 as Exchange Online sends it; error="invalid_token" only when a bearer token was presented. */
function unauthorized(res: ServerResponse, auth: Extract<AuthResult, { ok: false }>): void {
  const bearer =
    'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", ' +
    'trusted_issuers="00000001-0000-0000-c000-000000000000@*", ' +
    'token_types="app_asserted_user_v1 service_asserted_app_v1", ' +
    'authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"' +
    (auth.bearer ? ', error="invalid_token"' : '');
  send(res, 401, 'text/plain; charset=utf-8', `401 Unauthorized: ${auth.reason}`, {
    'WWW-Authenticate': [bearer, 'Basic Realm=""'],
    'X-MS-Diagnostics': auth.bearer
      ? `2000003;reason="${auth.reason}";error_category="invalid_token"`
      : `2000001;reason="${auth.reason}";error_category="invalid_user"`,
  });
}

export async function handleEws(
  req: IncomingMessage,
  res: ServerResponse,
  deps: EwsEndpointDeps,
): Promise<void> {
  if (req.method !== 'POST') {
    send(res, 405, 'text/plain; charset=utf-8', 'EWS accepts SOAP requests by POST only.', { Allow: 'POST' });
    return;
  }
  const auth = authenticate(deps.store, deps.signingKey, req.headers.authorization, deps.tokens);
  if (!auth.ok) {
    req.resume();
    unauthorized(res, auth);
    return;
  }
  let text: string;
  try {
    text = await readBody(req, MAX_BODY);
  } catch (err) {
    if (err instanceof BodyTooLargeError) send(res, 413, 'text/plain; charset=utf-8', err.message);
    else req.socket.destroy();
    return;
  }

  // Parse first so the request can be charged to the mailbox it acts as; a parse or impersonation fault is
  // answered after the latency and transport faults, like any other response.
  let parsed: ParsedRequest | undefined;
  let acting: Mailbox | undefined;
  let failure: unknown;
  try {
    parsed = parseEwsRequest(text);
    deps.validateRequest?.(parsed.operation);
    acting = actingMailbox(deps.store, auth.caller, parsed.impersonation);
  } catch (err) {
    failure = err;
  }
  let release: (() => void) | undefined;
  if (acting) {
    acting.stats.requests += 1;
    const op = parsed?.operationName ?? 'unknown';
    acting.stats.operations[op] = (acting.stats.operations[op] ?? 0) + 1;
    release = deps.limits.acquire(acting);
    if (!release) {
      fault(res, exceededConnectionCountFault());
      return;
    }
  }

  try {
    const settings = deps.faults();
    if (settings.latencyMs > 0) await sleep(settings.latencyMs);
    const transport = transportFault(settings);
    if (transport === 'drop') {
      req.socket.destroy();
      return;
    }
    if (transport === 'error') {
      send(res, 503, 'text/html; charset=utf-8', '<html><body><h1>Service Unavailable</h1></body></html>', {
        'Retry-After': '1',
      });
      return;
    }
    if (failure !== undefined || !parsed || !acting) throw failure;
    if (shouldAnswerTooManyRequests(settings)) {
      deps.limits.recordThrottle(acting, 'tooManyRequests');
      sendTooManyRequests(res, settings.retryAfterSeconds);
      return;
    }
    if (shouldThrottle(settings)) {
      deps.limits.recordThrottle(acting, 'serverBusy');
      fault(res, serverBusyFault(settings.backOffMs));
      return;
    }
    if (parsed.operationName === 'CreateItem' && deps.limits.exceedsMessageSize(Buffer.byteLength(text))) {
      deps.limits.recordMessageSizeExceeded(acting);
      send(res, 200, XML, envelope(createItemTooLargeResponse(parsed.operation)));
      return;
    }
    const body = dispatch(
      { store: deps.store, caller: auth.caller, acting, limits: deps.limits, logger: deps.logger },
      parsed.operationName,
      parsed.operation,
    );
    send(res, 200, XML, envelope(body));
  } catch (err) {
    if (err instanceof EwsFault) {
      fault(res, err);
    } else if (err instanceof EwsError) {
      fault(res, new EwsFault(err.code, err.message, { messageXml: err.messageXml }));
    } else {
      deps.logger.error('simulator: EWS request failed', {
        error: err instanceof Error ? err.stack : String(err),
      });
      fault(
        res,
        new EwsFault('ErrorInternalServerError', 'An internal server error occurred. The operation failed.'),
      );
    }
  } finally {
    release?.();
  }
}
