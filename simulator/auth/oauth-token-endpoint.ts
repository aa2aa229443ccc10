/**
 * An Entra ID look-alike for app-only OAuth so msal-node runs unchanged:
 *   POST /{tenant}/oauth2/v2.0/token                  client_credentials with client_secret or client_assertion
 *   GET  /{tenant}/v2.0/.well-known/openid-configuration   (and the v1 path without /v2.0)
 *   GET  /common/discovery/instance                   instance discovery
 * Tokens are HS256 JWTs with aud/iss/exp/appid/tid/uti/roles ['full_access_as_app'], valid for the TokenPolicy's
 * lifetime (default one hour; expires_in is one second less, as Entra ID reports 3599 for an hour).
 *
 * Certificate credentials: a client_assertion is accepted when it is a JWT whose iss and sub name a registered
 * client and whose exp is in the future. Its signature is NOT verified (the simulator holds no certificates);
 * this is deliberate and only appropriate for a test double.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baseUrlOf, readBody, sendJson } from '../http-util';
import { decodeJwtPayload, signJwt, type JwtClaims } from './jwt';
import type { TokenPolicy } from './token-policy';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export class OAuthClients {
  private readonly secrets = new Map<string, string | undefined>();

  /** Registers a client; without a secret it may only authenticate with a client assertion. */
  register(clientId: string, clientSecret?: string): void {
    this.secrets.set(clientId, clientSecret);
  }

  has(clientId: string): boolean {
    return this.secrets.has(clientId);
  }

  secretMatches(clientId: string, secret: string): boolean {
    const known = this.secrets.get(clientId);
    return known !== undefined && known === secret;
  }

  list(): string[] {
    return [...this.secrets.keys()];
  }
}

function aadError(
  res: ServerResponse,
  status: number,
  error: string,
  code: number,
  description: string,
): void {
  const traceId = randomUUID();
  sendJson(res, status, {
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: randomUUID(),
  });
}

export interface TokenEndpointDeps {
  clients: OAuthClients;
  signingKey: Buffer;
  tokens: TokenPolicy;
}

function validAssertion(assertion: string, clientId: string): boolean {
  const claims = decodeJwtPayload(assertion);
  if (!claims) return false;
  const now = Math.floor(Date.now() / 1000);
  return (
    claims.iss === clientId && claims.sub === clientId && typeof claims.exp === 'number' && claims.exp > now
  );
}

async function issueToken(
  req: IncomingMessage,
  res: ServerResponse,
  tenant: string,
  deps: TokenEndpointDeps,
) {
  const form = new URLSearchParams(await readBody(req, 64 * 1024));
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials') {
    aadError(
      res,
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant ?? ''}'.`,
    );
    return;
  }
  const assertion = form.get('client_assertion');
  const assertionClaims = assertion ? decodeJwtPayload(assertion) : undefined;
  const clientId =
    form.get('client_id') ?? (typeof assertionClaims?.sub === 'string' ? assertionClaims.sub : '');
  if (!clientId || !deps.clients.has(clientId)) {
    aadError(
      res,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
    return;
  }
  const secret = form.get('client_secret');
  if (assertion) {
    if (form.get('client_assertion_type') !== ASSERTION_TYPE || !validAssertion(assertion, clientId)) {
      aadError(
        res,
        401,
        'invalid_client',
        700027,
        'Client assertion failed signature validation or is expired.',
      );
      return;
    }
  } else if (secret === null || !deps.clients.secretMatches(clientId, secret)) {
    aadError(
      res,
      401,
      'invalid_client',
      7000215,
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    );
    return;
  }
  const scopes = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const resourceScope = scopes.find((s) => s.endsWith('/.default'));
  if (!resourceScope) {
    aadError(
      res,
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    );
    return;
  }
  const now = Math.floor(Date.now() / 1000);
  const lifetime = deps.tokens.lifetimeSeconds();
  const claims: JwtClaims = {
    aud: resourceScope.slice(0, -'/.default'.length),
    iss: `https://sts.windows.net/${tenant}/`,
    iat: now,
    nbf: now,
    exp: now + lifetime,
    appid: clientId,
    appidacr: assertion ? '2' : '1',
    idtyp: 'app',
    oid: randomUUID(),
    roles: ['full_access_as_app'],
    sub: clientId,
    tid: tenant,
    uti: deps.tokens.nextTokenId(),
    ver: '1.0',
  };
  sendJson(res, 200, {
    token_type: 'Bearer',
    expires_in: Math.max(1, lifetime - 1),
    ext_expires_in: Math.max(1, lifetime - 1),
    access_token: signJwt(claims, deps.signingKey),
  });
}

function openIdConfiguration(base: string, tenant: string, v2: boolean) {
  const prefix = `${base}/${tenant}`;
  const suffix = v2 ? '/v2.0' : '';
  return {
    token_endpoint: `${prefix}/oauth2${suffix}/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${prefix}/discovery${suffix}/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2 ? `${prefix}/v2.0` : `https://sts.windows.net/${tenant}/`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${prefix}/oauth2${suffix}/authorize`,
    device_authorization_endpoint: `${prefix}/oauth2${suffix}/devicecode`,
    end_session_endpoint: `${prefix}/oauth2${suffix}/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  };
}

function instanceDiscovery(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const base = baseUrlOf(req);
  const host = new URL(base).host;
  const endpoint = url.searchParams.get('authorization_endpoint') ?? `${base}/common/oauth2/v2.0/authorize`;
  let tenant = 'common';
  try {
    tenant = new URL(endpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
  } catch {
    // keep 'common': Entra ID also answers for malformed endpoints with the common tenant.
  }
  sendJson(res, 200, {
    tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

/** Handles the OAuth routes; returns false when the path is not one of them. */
export async function handleOAuth(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: TokenEndpointDeps,
): Promise<boolean> {
  const path = url.pathname;
  if (req.method === 'GET' && path === '/common/discovery/instance') {
    instanceDiscovery(req, res, url);
    return true;
  }
  let m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
  if (m) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'invalid_request', error_description: 'Use POST.' }, { Allow: 'POST' });
    } else {
      await issueToken(req, res, decodeURIComponent(m[1]), deps);
    }
    return true;
  }
  m = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/.exec(path);
  if (m && req.method === 'GET') {
    sendJson(res, 200, openIdConfiguration(baseUrlOf(req), decodeURIComponent(m[1]), m[2] !== undefined));
    return true;
  }
  return false;
}
