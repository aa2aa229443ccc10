/**
 * The HTTP transport under ews-javascript-api, one instance per ExchangeService.
 *
 * How ews-javascript-api 0.15.3 does HTTP (read from its source): every request goes through
 * `service.XHRApi.xhr(options)`; the default is a process-wide `new XhrApi()` from @ewsjs/xhr 3.1, which
 * calls axios 1.x (`axios.create()` per request) with `validateStatus: () => true` and merges
 * `new XhrApi(requestOptions)` into every axios call. Consequences handled here:
 * - `ExchangeService.Timeout` is NOT applied (the library has it as a TODO), so the timeout is passed to axios
 *   (`timeout: config.ews.timeoutMs`). A safety timer in ews-gateway.ts guards the rare paths where
 *   ews-javascript-api never settles its promise.
 * - axios picks up HTTP_PROXY/HTTPS_PROXY from the environment (NO_PROXY honoured, loopback NOT exempt), so
 *   for 127.0.0.1 / localhost / ::1 endpoints `proxy: false` is set: local traffic never goes to a proxy.
 * - NTLM is supported by @ewsjs/xhr itself (`useNtlmAuthentication`, via @ewsjs/ntlm-client): it does a
 *   Type1/Type3 handshake before every request; the domain is taken from a `DOMAIN\user` user name.
 * - On failure the library keeps neither the response headers (Retry-After) nor the socket error code, and a
 *   500 response that is not a SOAP fault makes its parser throw inside a promise callback (the call would hang).
 *   So this transport records the raw facts of each call in an AsyncLocalStorage probe (concurrency-safe: each
 *   gateway call runs in its own context) and hides the status of non-SOAP 500s from the library.
 * - After every response the library parses the *request* it sent (`request.data`, the whole SOAP envelope) into
 *   a DOM and a JS object, only to hand them to its debug log (SimpleServiceRequestBase.InternalExecute). For a
 *   CreateAttachment that is two more copies of a base64 attachment. This transport replaces `data` with a tiny
 *   envelope once it has taken the body, so the library parses that instead.
 * - axios keeps the request's `config.data` reachable from the response stream until the keep-alive socket is
 *   used again, so a large envelope (an attachment upload) would stay in memory while the next attachment is
 *   encoded. A large body is therefore sent as its UTF-8 bytes through a one-shot stream that lets go of them once
 *   written, with an explicit Content-Length (no chunked encoding), and the envelope string is dropped before
 *   the request leaves: during the upload only the bytes on their way are held, not the string as well.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import { XhrApi } from '@ewsjs/xhr';
import type { IXHRApi, IXHROptions, IXHRProgress } from 'ews-javascript-api';
import type { HttpProbe } from './classify-ews-error';

/** The library's declared result type (a DOM XMLHttpRequest look-alike). */
type XhrResult = ReturnType<IXHRApi['xhr']>;

const probes = new AsyncLocalStorage<HttpProbe>();

/** Runs `fn` with a fresh probe; returns the probe so the caller can classify a failure. */
export function withProbe<T>(fn: () => Promise<T>): { probe: HttpProbe; result: Promise<T> } {
  const probe: HttpProbe = {};
  return { probe, result: probes.run(probe, fn) };
}

export function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.toLowerCase().replace(/^\[|\]$/g, '');
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

export interface EwsXhrOptions {
  url: string;
  timeoutMs: number;
  ntlm?: { username: string; password: string; domain?: string };
}

function record(failure: Record<string, unknown>): void {
  const probe = probes.getStore();
  if (!probe) return;
  probe.status = typeof failure.status === 'number' ? failure.status : undefined;
  probe.headers = (failure.headers as Record<string, unknown> | undefined) ?? undefined;
  probe.body = typeof failure.responseText === 'string' ? failure.responseText.slice(0, 65536) : undefined;
  if (typeof failure.code === 'string') probe.networkCode = failure.code;
  if (typeof failure.message === 'string') probe.networkMessage = failure.message;
}

/** What `request.data` holds once the body was taken (see the header): well-formed, so the parse succeeds. */
const ANSWERED_REQUEST = '<sent/>';

/** Bodies from this size on go out as a one-shot stream (in practice: attachment uploads). */
const LARGE_BODY_CHARS = 1024 * 1024;

/** A stream that hands out `body` once and keeps no reference to it afterwards. */
function oneShot(body: Buffer): Readable {
  let pending: Buffer | null = body;
  return new Readable({
    read() {
      const chunk = pending;
      pending = null;
      if (chunk) this.push(chunk);
      this.push(null);
    },
  });
}

/** The options to hand to axios: a large string body becomes bytes in a one-shot stream (see the header). */
function outgoing(options: IXHROptions): IXHROptions {
  const data: unknown = options.data;
  if (typeof data !== 'string' || data.length < LARGE_BODY_CHARS) return options;
  const body = Buffer.from(data, 'utf8');
  options.data = ANSWERED_REQUEST;
  return {
    ...options,
    data: oneShot(body),
    headers: { ...options.headers, 'Content-Length': String(body.length) },
  };
}

export class EwsXhr implements IXHRApi {
  private readonly inner: XhrApi;

  constructor(options: EwsXhrOptions) {
    this.inner = new XhrApi({
      timeout: options.timeoutMs,
      ...(isLoopbackUrl(options.url) ? { proxy: false as const } : {}),
    });
    if (options.ntlm) {
      const user = options.ntlm.domain
        ? `${options.ntlm.domain}\\${options.ntlm.username}`
        : options.ntlm.username;
      this.inner.useNtlmAuthentication(user, options.ntlm.password);
    }
  }

  get apiName(): string {
    return `rc-exchange:${this.inner.apiName}`;
  }

  async xhr(options: IXHROptions, progress?: (p: IXHRProgress) => void): XhrResult {
    const probe = probes.getStore();
    try {
      return await this.send(outgoing(options), probe, progress);
    } finally {
      // Sent and answered: nothing needs the envelope any more except the library's debug-only re-parse.
      options.data = ANSWERED_REQUEST;
    }
  }

  private async send(
    options: IXHROptions,
    probe: HttpProbe | undefined,
    progress?: (p: IXHRProgress) => void,
  ): XhrResult {
    try {
      const response = await this.inner.xhr(options, progress);
      if (probe) {
        probe.status = (response as unknown as { status: number }).status;
        probe.headers = (response as unknown as { headers: Record<string, unknown> }).headers;
      }
      return response;
    } catch (err) {
      const failure = (err ?? {}) as Record<string, unknown>;
      record(failure);
      if (failure.status === 500 && !/<(?:\w+:)?Fault[\s>]/.test(String(failure.responseText ?? ''))) {
        // Not a SOAP fault: ews-javascript-api would try to parse it as one and never settle.
        failure.status = undefined;
        failure.message = `HTTP 500 without a SOAP fault`;
      }
      throw err;
    }
  }

  xhrStream(options: IXHROptions, progress: (p: IXHRProgress) => void): XhrResult {
    return this.inner.xhrStream(options, progress);
  }

  disconnect(): void {
    this.inner.disconnect();
  }
}
