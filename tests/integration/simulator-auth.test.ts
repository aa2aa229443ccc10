/** Simulator authentication: Basic, the OAuth token endpoint (plain HTTP and msal-node over HTTPS), impersonation. */
import { generateKeyPairSync, createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import { ConfidentialClientApplication, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import * as ews from 'ews-javascript-api';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { rejection } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'owner@sim.test';
const SERVICE = 'svc@sim.test';
const SCOPE = 'https://outlook.office365.com/.default';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [OWNER, SERVICE], tls: {} });
});

afterAll(async () => {
  await sim.close();
});

async function token(
  form: Record<string, string>,
  base = sim.url,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}/tenant-1/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function appToken(): Promise<string> {
  const { status, body } = await token({
    grant_type: 'client_credentials',
    client_id: 'rc-exchange',
    client_secret: 'simulator',
    scope: SCOPE,
  });
  expect(status).toBe(200);
  return String(body.access_token);
}

function sendTest(service: ews.ExchangeService, subject: string): Promise<void> {
  const m = new ews.EmailMessage(service);
  m.Subject = subject;
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'x');
  m.ToRecipients.Add('someone@external.example');
  return m.SendAndSaveCopy();
}

test('Basic auth with a wrong password is refused with HTTP 401 and WWW-Authenticate', async () => {
  const res = await fetch(sim.ewsUrl, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${Buffer.from(`${OWNER}:wrong`).toString('base64')}`,
      'Content-Type': 'text/xml',
    },
    body: '<x/>',
  });
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/Bearer .*Basic/s);

  const client = createEwsService(sim.ewsUrl, { user: OWNER, password: 'wrong' });
  const err = await rejection(sendTest(client.service, 'nope'));
  expect(err.HttpStatusCode).toBe(401);
});

test('the token endpoint issues JWT-shaped app tokens and refuses bad secrets and scopes', async () => {
  const ok = await token({
    grant_type: 'client_credentials',
    client_id: 'rc-exchange',
    client_secret: 'simulator',
    scope: SCOPE,
  });
  expect(ok.status).toBe(200);
  expect(ok.body).toEqual(expect.objectContaining({ token_type: 'Bearer', expires_in: 3599 }));
  const [, payload] = String(ok.body.access_token).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toEqual(
    expect.objectContaining({
      aud: 'https://outlook.office365.com',
      appid: 'rc-exchange',
      tid: 'tenant-1',
      roles: ['full_access_as_app'],
      iss: 'https://sts.windows.net/tenant-1/',
    }),
  );

  const badSecret = await token({
    grant_type: 'client_credentials',
    client_id: 'rc-exchange',
    client_secret: 'x',
    scope: SCOPE,
  });
  expect(badSecret.status).toBe(401);
  expect(badSecret.body.error).toBe('invalid_client');
  const badScope = await token({
    grant_type: 'client_credentials',
    client_id: 'rc-exchange',
    client_secret: 'simulator',
    scope: 'Mail.Send',
  });
  expect(badScope.body.error).toBe('invalid_scope');
  const unknown = await token({
    grant_type: 'client_credentials',
    client_id: 'nobody',
    client_secret: 'x',
    scope: SCOPE,
  });
  expect(unknown.body.error).toBe('unauthorized_client');
});

test('an app token acts through ExchangeImpersonation; without it or for a missing mailbox Exchange faults', async () => {
  const accessToken = await appToken();
  const impersonating = createEwsService(sim.ewsUrl, { token: accessToken }, OWNER);
  await sendTest(impersonating.service, 'as owner');
  const sent = sim.store.folder(sim.store.getMailbox(OWNER)!, 'sentitems');
  expect([...sent.items.values()].map((i) => i.subject)).toContain('as owner');
  await expectValidEwsResponses(impersonating.responses.map((r) => r.body));

  const bare = createEwsService(sim.ewsUrl, { token: accessToken });
  const noHeader = await rejection(sendTest(bare.service, 'x'));
  expect(noHeader.ResponseCode).toBe(ews.ServiceError.ErrorInvalidExchangeImpersonationHeaderData);

  const ghost = createEwsService(sim.ewsUrl, { token: accessToken }, 'ghost@sim.test');
  const missing = await rejection(sendTest(ghost.service, 'x'));
  expect(missing.ResponseCode).toBe(ews.ServiceError.ErrorNonExistentMailbox);

  const tampered = `${accessToken.slice(0, -4)}AAAA`;
  const res = await fetch(sim.ewsUrl, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tampered}` },
    body: '<x/>',
  });
  expect(res.status).toBe(401);
});

test('a Basic service account may impersonate only after the admin API granted it', async () => {
  const svc = createEwsService(sim.ewsUrl, { user: SERVICE, password: 'simulator' }, OWNER);
  const denied = await rejection(sendTest(svc.service, 'x'));
  expect(denied.ResponseCode).toBe(ews.ServiceError.ErrorImpersonateUserDenied);

  const grant = await fetch(`${sim.url}/_sim/grants`, {
    method: 'POST',
    body: JSON.stringify({ principal: SERVICE, right: 'impersonation' }),
  });
  expect(grant.status).toBe(201);
  await sendTest(svc.service, 'impersonated by svc');
  const items = (await (
    await fetch(`${sim.url}/_sim/mailboxes/${OWNER}/items?folder=sentitems`)
  ).json()) as Array<{
    subject: string;
  }>;
  expect(items.map((i) => i.subject)).toContain('impersonated by svc');
});

/** msal-node's network client, trusting the simulator's self-signed CA (msal-node refuses http authorities). */
function trustingNetworkClient(ca: string, seen: string[]): INetworkModule {
  const call = <T>(method: string, url: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      seen.push(`${method} ${url}`);
      const req = https.request(url, { method, headers, ca }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = String(v);
          resolve({ status: res.statusCode ?? 0, headers: flat, body: JSON.parse(text || '{}') as T });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  return {
    sendGetRequestAsync: (url, options) => call('GET', url, options?.headers),
    sendPostRequestAsync: (url, options) => call('POST', url, options?.headers, options?.body),
  };
}

test('msal-node ConfidentialClientApplication gets tokens from the HTTPS listener (secret and certificate)', async () => {
  expect(sim.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const seen: string[] = [];
  const networkClient = trustingNetworkClient(sim.caCertPem!, seen);
  const host = new URL(sim.httpsUrl!).host;

  const withSecret = new ConfidentialClientApplication({
    auth: {
      clientId: 'rc-exchange',
      clientSecret: 'simulator',
      authority: `${sim.httpsUrl}/tenant-1`,
      knownAuthorities: [host],
    },
    system: { networkClient },
  });
  const result = await withSecret.acquireTokenByClientCredential({ scopes: [SCOPE] });
  expect(result?.accessToken.split('.')).toHaveLength(3);
  expect(
    seen.some((s) => s.startsWith(`GET ${sim.httpsUrl}/tenant-1/v2.0/.well-known/openid-configuration`)),
  ).toBe(true);
  expect(seen.every((s) => s.includes(host))).toBe(true);

  const client = createEwsService(sim.ewsUrl, { token: result!.accessToken }, OWNER);
  await sendTest(client.service, 'via msal');

  // Certificate credentials: msal signs a client assertion; the simulator checks iss/sub/exp, not the signature.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const thumbprint = createHash('sha256').update(new X509Certificate(sim.caCertPem!).raw).digest('hex');
  const withCert = new ConfidentialClientApplication({
    auth: {
      clientId: 'rc-exchange',
      clientCertificate: { thumbprintSha256: thumbprint, privateKey: pem },
      authority: `${sim.httpsUrl}/tenant-1`,
      knownAuthorities: [host],
    },
    system: { networkClient },
  });
  const certResult = await withCert.acquireTokenByClientCredential({ scopes: [SCOPE] });
  expect(certResult?.accessToken.split('.')).toHaveLength(3);
});

test('instance discovery and OpenID metadata are served for clients that ask', async () => {
  const discovery = (await (
    await fetch(
      `${sim.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${sim.url}/tenant-9/oauth2/v2.0/authorize`)}`,
    )
  ).json()) as Record<string, unknown>;
  expect(discovery.tenant_discovery_endpoint).toBe(
    `${sim.url}/tenant-9/v2.0/.well-known/openid-configuration`,
  );
  const config = (await (await fetch(String(discovery.tenant_discovery_endpoint))).json()) as Record<
    string,
    unknown
  >;
  expect(config.token_endpoint).toBe(`${sim.url}/tenant-9/oauth2/v2.0/token`);
});
