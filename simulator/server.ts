/** Routes one HTTP(S) request to the EWS endpoint, the OAuth endpoints, the admin API or the web page. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'winston';
import { handleAdmin, type AdminDeps } from './admin-api';
import { handleOAuth, type OAuthClients } from './auth/oauth-token-endpoint';
import type { TokenPolicy } from './auth/token-policy';
import { type EwsEndpointDeps, handleEws } from './ews/ews-endpoint';
import type { FaultSettings } from './faults';
import { sendJson } from './http-util';
import { handleLimitsAdmin } from './limits-admin';
import type { MailboxStore } from './mailbox-store';
import { handleWeb } from './web/routes';

export interface ServerDeps extends AdminDeps {
  store: MailboxStore;
  clients: OAuthClients;
  signingKey: Buffer;
  getFaults: () => FaultSettings;
  tokens: TokenPolicy;
  logger: Logger;
  validateRequest?: EwsEndpointDeps['validateRequest'];
}

export const EWS_PATH = '/EWS/Exchange.asmx';

async function route(req: IncomingMessage, res: ServerResponse, deps: ServerDeps): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  if (url.pathname.toLowerCase() === EWS_PATH.toLowerCase()) {
    await handleEws(req, res, {
      store: deps.store,
      signingKey: deps.signingKey,
      faults: deps.getFaults,
      limits: deps.limits,
      tokens: deps.tokens,
      logger: deps.logger,
      validateRequest: deps.validateRequest,
    });
    return;
  }
  if (await handleLimitsAdmin(req, res, url, deps)) return;
  if (await handleAdmin(req, res, url, deps)) return;
  const oauth = { clients: deps.clients, signingKey: deps.signingKey, tokens: deps.tokens };
  if (await handleOAuth(req, res, url, oauth)) return;
  if (handleWeb(req, res, url, deps.store)) return;
  req.resume();
  sendJson(res, 404, { error: `not found: ${req.method ?? ''} ${url.pathname}` });
}

export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, res, deps).catch((err: unknown) => {
      deps.logger.error('simulator: request failed', {
        error: err instanceof Error ? err.stack : String(err),
      });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal simulator error' });
      else res.destroy();
    });
  };
}
