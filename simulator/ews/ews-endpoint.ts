/**
 * POST /EWS/Exchange.asmx: authentication (401), transport faults (drop, 503, latency), parsing (schema
 * faults), impersonation, throttling (ErrorServerBusy), then the operation. Never lets an error escape.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { actingMailbox, authenticate } from '../auth/authenticate';
import { type FaultSettings, shouldThrottle, transportFault } from '../faults';
import { BodyTooLargeError, readBody, send, sleep } from '../http-util';
import type { MailboxStore } from '../mailbox-store';
import { dispatch } from './dispatch';
import { EwsError, EwsFault } from './ews-error';
import { parseEwsRequest } from './parse-request';
import { envelope } from './response-writer';
import { renderFault, serverBusyFault } from './soap-fault';

const XML = 'text/xml; charset=utf-8';
/** Exchange Online's default maxRequestLength for EWS is about 150 MB; tests never need more than this. */
const MAX_BODY = 160 * 1024 * 1024;

export interface EwsEndpointDeps {
  store: MailboxStore;
  signingKey: Buffer;
  faults: () => FaultSettings;
  logger: Logger;
}

function fault(res: ServerResponse, f: EwsFault): void {
  send(res, f.options.httpStatus ?? 500, XML, renderFault(f));
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
  const auth = authenticate(deps.store, deps.signingKey, req.headers.authorization);
  if (!auth.ok) {
    req.resume();
    send(res, 401, 'text/plain; charset=utf-8', `401 Unauthorized: ${auth.reason}`, {
      'WWW-Authenticate': [
        `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", authorization_uri="${'https://login.microsoftonline.com/common/oauth2/authorize'}", error="invalid_token"`,
        'Basic Realm=""',
      ],
      'X-MS-Diagnostics': `2000001;reason="${auth.reason}";error_category="invalid_user"`,
    });
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

  try {
    const parsed = parseEwsRequest(text);
    const acting = actingMailbox(deps.store, auth.caller, parsed.impersonation);
    acting.stats.requests += 1;
    if (shouldThrottle(settings)) {
      acting.stats.throttled += 1;
      fault(res, serverBusyFault(settings.backOffMs));
      return;
    }
    const body = dispatch(
      { store: deps.store, caller: auth.caller, acting, logger: deps.logger },
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
  }
}
