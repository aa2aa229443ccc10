/**
 * Admin routes for limits and tokens (next to admin-api.ts, which owns the rest of /_sim):
 *   GET|POST /_sim/limits {profile:'exchange-online'|'none', maxConcurrentRequests, messagesPerWindow,
 *                          messageRateWindowMs, maxMessageBytes}
 *   GET|POST /_sim/tokens {lifetimeSeconds}    lifetime of tokens issued from now on
 *   POST     /_sim/tokens/expire               every bearer token issued so far expires now (→ 401 invalid_token)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenPolicy } from './auth/token-policy';
import { readBody, sendJson } from './http-util';
import type { Limits } from './limits';

export interface LimitsAdminDeps {
  limits: Limits;
  tokens: TokenPolicy;
}

const ROUTES = new Set(['/_sim/limits', '/_sim/tokens', '/_sim/tokens/expire']);

async function jsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req, 64 * 1024);
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new SyntaxError('body must be a JSON object');
  return value as Record<string, unknown>;
}

/** Handles the routes above; returns false for any other path. */
export async function handleLimitsAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: LimitsAdminDeps,
): Promise<boolean> {
  if (!ROUTES.has(url.pathname)) return false;
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  const tokenState = () => ({ lifetimeSeconds: deps.tokens.lifetimeSeconds() });
  try {
    if (route === 'GET /_sim/limits') {
      sendJson(res, 200, deps.limits.settings());
    } else if (route === 'POST /_sim/limits') {
      sendJson(res, 200, deps.limits.update(await jsonObject(req)));
    } else if (route === 'GET /_sim/tokens') {
      sendJson(res, 200, tokenState());
    } else if (route === 'POST /_sim/tokens') {
      const body = await jsonObject(req);
      const unknown = Object.keys(body).filter((k) => k !== 'lifetimeSeconds');
      if (unknown.length) throw new RangeError(`unknown token setting(s): ${unknown.join(', ')}`);
      if (body.lifetimeSeconds !== undefined) deps.tokens.setLifetimeSeconds(body.lifetimeSeconds);
      sendJson(res, 200, tokenState());
    } else if (route === 'POST /_sim/tokens/expire') {
      req.resume();
      sendJson(res, 200, { expired: deps.tokens.expireIssuedTokens() });
    } else {
      req.resume();
      sendJson(res, 405, { error: `no admin route ${route}` });
    }
  } catch (err) {
    if (err instanceof RangeError || err instanceof SyntaxError) sendJson(res, 400, { error: err.message });
    else throw err;
  }
  return true;
}
