/**
 * ews-javascript-api (unmodified) pointed at a simulator, recording every response body so tests can validate
 * them against the EWS schema. Requests to 127.0.0.1 must bypass any HTTP(S)_PROXY: axios (under
 * ews-javascript-api) honours NO_PROXY, so tests call bypassProxyForLocalhost() first.
 */
import * as ews from 'ews-javascript-api';

export function bypassProxyForLocalhost(): void {
  const local = ['127.0.0.1', 'localhost', '::1'];
  for (const name of ['NO_PROXY', 'no_proxy']) {
    const current = (process.env[name] ?? '').split(',').filter(Boolean);
    process.env[name] = [...new Set([...current, ...local])].join(',');
  }
}

interface XhrResponseLike {
  response?: string;
  responseText?: string;
  status?: number;
}

type XhrApi = ews.ExchangeService['XHRApi'];

export interface RecordingService {
  service: ews.ExchangeService;
  /** Response bodies (any status) in the order received. */
  responses: Array<{ status: number; body: string }>;
}

export function createEwsService(
  ewsUrl: string,
  credentials: { user: string; password: string } | { token: string },
  impersonate?: string,
): RecordingService {
  const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1);
  service.Url = new ews.Uri(ewsUrl);
  service.Credentials =
    'token' in credentials
      ? new ews.OAuthCredentials(credentials.token)
      : new ews.WebCredentials(credentials.user, credentials.password);
  if (impersonate) {
    service.ImpersonatedUserId = new ews.ImpersonatedUserId(ews.ConnectingIdType.SmtpAddress, impersonate);
    service.HttpHeaders.Add('X-AnchorMailbox', impersonate);
  }
  const responses: RecordingService['responses'] = [];
  const inner: XhrApi = service.XHRApi;
  const record = (r: XhrResponseLike | undefined) => {
    if (r && typeof (r.response ?? r.responseText) === 'string') {
      responses.push({ status: r.status ?? 0, body: String(r.response ?? r.responseText) });
    }
  };
  const recording = Object.create(inner) as XhrApi;
  recording.xhr = (options, progress) =>
    inner.xhr(options, progress).then(
      (r) => {
        record(r as XhrResponseLike);
        return r;
      },
      (err: unknown) => {
        record(err as XhrResponseLike);
        throw err;
      },
    );
  service.XHRApi = recording;
  return { service, responses };
}
