/**
 * A small msal-node network client (INetworkModule) on node:https that trusts an extra CA. MSAL refuses
 * http:// authorities, so a local token endpoint (the simulator) must speak HTTPS, usually with a
 * self-signed certificate; MSAL's built-in client cannot be told about a custom CA. Loopback hosts bypass
 * any HTTP(S)_PROXY (this client never uses a proxy at all).
 */
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

export interface HttpsNetworkClientOptions {
  /** Extra trusted CA certificate(s), PEM. Node's default roots stay trusted as well. */
  caPem?: string;
  timeoutMs?: number;
}

export class HttpsNetworkClient implements INetworkModule {
  private readonly agent: https.Agent;
  private readonly timeoutMs: number;

  constructor(options: HttpsNetworkClientOptions = {}) {
    this.agent = new https.Agent({
      keepAlive: true,
      ca: options.caPem ? [...rootCertificates, options.caPem] : undefined,
    });
    this.timeoutMs = options.timeoutMs ?? 30000;
  }

  sendGetRequestAsync<T>(
    url: string,
    options?: NetworkRequestOptions,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    return this.send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>('POST', url, options);
  }

  close(): void {
    this.agent.destroy();
  }

  private send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeout?: number,
  ): Promise<NetworkResponse<T>> {
    const target = new URL(url);
    const lib = target.protocol === 'http:' ? http : https;
    const body = options?.body;
    const headers: Record<string, string | number> = { ...(options?.headers ?? {}) };
    if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body);
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = lib.request(
        target,
        {
          method,
          headers,
          agent: lib === https ? this.agent : undefined,
          timeout: timeout ?? this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const outHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (v !== undefined) outHeaders[k] = Array.isArray(v) ? v.join(', ') : v;
            }
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : {};
            } catch {
              // MSAL reports a non-JSON body itself as a server error.
            }
            resolve({ headers: outHeaders, body: parsed as T, status: res.statusCode ?? 0 });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`request to ${target.origin} timed out`)));
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}
