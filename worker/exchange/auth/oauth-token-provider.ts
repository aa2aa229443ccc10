/**
 * App-only OAuth access tokens for Exchange (client-credentials flow) from @azure/msal-node: client secret or
 * certificate (PEM private key + thumbprint). The token is cached here and fetched again ~5 minutes before it
 * expires (or at once after `invalidate()`, e.g. when Exchange answered 401 "token expired"). Concurrent callers
 * share one in-flight request. Tokens are never logged.
 */
import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { RcError } from '../../errors';
import type { EwsAuth } from '../../config';
import { HttpsNetworkClient } from './https-network-client';

export interface TokenProvider {
  /** A valid bearer token (without the "Bearer " prefix). */
  getToken(): Promise<string>;
  /** Forget the cached token; the next getToken() asks the authority again. */
  invalidate(): void;
}

export interface OAuthTokenProviderOptions {
  tenantId: string;
  clientId: string;
  clientSecret?: string;
  /** PEM private key and the certificate thumbprint (hex; 40 chars = SHA-1, 64 chars = SHA-256). */
  certificate?: { privateKey: string; thumbprint: string };
  /** e.g. https://login.microsoftonline.com — the authority is `${authorityUrl}/${tenantId}`. */
  authorityUrl: string;
  scope: string;
  /** Extra trusted CA (PEM) for the authority's TLS certificate, e.g. the simulator's self-signed one. */
  caPem?: string;
  /** Fetch a new token this long before expiry; default 5 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
}

type OAuthConfig = Extract<EwsAuth, { kind: 'oauth' }>;

function readConfigFile(path: string, variable: string, fix: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new RcError(
      'config_invalid',
      `Cannot read ${variable} (${path}): ${(err as Error).message}. ${fix}`,
      {
        cause: err,
      },
    );
  }
}

/** Builds the options from config (reads the certificate's private key file and the optional CA file). */
export function oauthOptionsFromConfig(auth: OAuthConfig): OAuthTokenProviderOptions {
  const certificate = auth.certificate
    ? {
        privateKey: readConfigFile(
          auth.certificate.privateKeyFile,
          'RC_OAUTH_CERT_PRIVATE_KEY_FILE',
          'Fix the path or use RC_OAUTH_CLIENT_SECRET instead.',
        ),
        thumbprint: auth.certificate.thumbprint,
      }
    : undefined;
  const caPem = auth.caFile
    ? readConfigFile(
        auth.caFile,
        'RC_OAUTH_CA_FILE',
        'Fix the path or unset it to trust only the public CAs.',
      )
    : undefined;
  return {
    tenantId: auth.tenantId,
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    certificate,
    authorityUrl: auth.authorityUrl,
    scope: auth.scope,
    caPem,
  };
}

export class OAuthTokenProvider implements TokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly network: HttpsNetworkClient;
  private readonly scope: string;
  private readonly marginMs: number;
  private readonly now: () => number;
  private cached: { token: string; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(options: OAuthTokenProviderOptions) {
    const authority = `${options.authorityUrl.replace(/\/+$/, '')}/${options.tenantId}`;
    const host = new URL(authority).host;
    this.network = new HttpsNetworkClient({ caPem: options.caPem });
    const thumb = options.certificate?.thumbprint.replace(/[^0-9a-fA-F]/g, '');
    const config: Configuration = {
      auth: {
        clientId: options.clientId,
        authority,
        // Trust the configured authority as given: no instance discovery against login.microsoftonline.com.
        knownAuthorities: [host],
        ...(options.certificate
          ? {
              clientCertificate:
                thumb && thumb.length === 64
                  ? { thumbprintSha256: thumb, privateKey: options.certificate.privateKey }
                  : { thumbprint: thumb, privateKey: options.certificate.privateKey },
            }
          : { clientSecret: options.clientSecret }),
      },
      system: { networkClient: this.network },
    };
    this.app = new ConfidentialClientApplication(config);
    this.scope = options.scope;
    this.marginMs = options.refreshMarginMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  async getToken(): Promise<string> {
    if (this.cached && this.cached.expiresAt - this.marginMs > this.now()) return this.cached.token;
    if (!this.inflight) {
      this.inflight = this.fetch().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  invalidate(): void {
    this.cached = null;
  }

  close(): void {
    this.network.close();
  }

  private async fetch(): Promise<string> {
    let result;
    try {
      // skipCache: MSAL's own cache would hand back a token we just decided to refresh.
      result = await this.app.acquireTokenByClientCredential({ scopes: [this.scope], skipCache: true });
    } catch (err) {
      throw classifyMsalError(err);
    }
    if (!result?.accessToken) {
      throw new RcError('exchange_auth', 'The OAuth authority returned no access token', { retryable: true });
    }
    const expiresAt = result.expiresOn ? result.expiresOn.getTime() : this.now() + 3600 * 1000;
    this.cached = { token: result.accessToken, expiresAt };
    return result.accessToken;
  }
}

/** MSAL errors: bad client/secret/tenant are permanent; network trouble and 5xx are transient. */
function classifyMsalError(err: unknown): RcError {
  const e = (err ?? {}) as { errorCode?: string; message?: string; errorMessage?: string };
  const code = e.errorCode ?? '';
  const message = (e.errorMessage || e.message || String(err)).split('\n')[0] as string;
  const permanent =
    /invalid_client|unauthorized_client|invalid_request|invalid_scope|invalid_grant|AADSTS7000215|AADSTS700016|AADSTS90002|invalid_authority|untrusted_authority|invalid_cloud_discovery/i;
  if (permanent.test(`${code} ${message}`)) {
    return new RcError(
      'exchange_auth',
      `OAuth token request was rejected (${code || 'error'}): ${message}. Check RC_OAUTH_TENANT_ID, RC_OAUTH_CLIENT_ID and the secret/certificate.`,
      { retryable: false, remoteCode: code || undefined, cause: err },
    );
  }
  return new RcError('exchange_auth', `OAuth token request failed (${code || 'error'}): ${message}`, {
    retryable: true,
    remoteCode: code || undefined,
    cause: err,
  });
}
