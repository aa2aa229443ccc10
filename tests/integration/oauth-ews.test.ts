/**
 * App-only OAuth end to end against the simulator's HTTPS token endpoint (self-signed certificate trusted via
 * caPem): msal-node fetches a token, EwsGateway sends with impersonation + X-AnchorMailbox, the token is cached
 * and fetched again when it is within the refresh margin or after invalidate().
 */
import { generateKeyPairSync } from 'node:crypto';
import { OAuthTokenProvider } from '../../worker/exchange/auth/oauth-token-provider';
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import { loadConfig } from '../../worker/config';
import { startSimulator, type RunningSimulator } from '../../simulator';

const MAILBOX = 'app-sender@contoso.com';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    mailboxes: [MAILBOX],
    password: 'secret-1',
    tls: {},
    oauthClients: [{ clientId: 'cert-app' }],
  });
});
afterAll(async () => {
  await sim.close();
});

const mail = (jobId: string) => ({
  jobId,
  to: ['someone@example.org'],
  cc: [],
  bcc: [],
  replyTo: [],
  from: null,
  subject: `oauth ${jobId}`,
  body: 'x',
  bodyType: 'Text' as const,
  importance: 'Normal' as const,
  sensitivity: 'Normal' as const,
  categories: [],
  readReceipt: false,
  deliveryReceipt: false,
  saveCopy: true,
  attachments: [],
});
const mailbox = { smtpAddress: MAILBOX, transport: 'ews' as const, ewsUrl: null };

describe('OAuth (msal-node) → EWS', () => {
  it('client secret: sends with an app-only token, caches it, refreshes within the margin', async () => {
    let now = Date.now();
    const provider = new OAuthTokenProvider({
      tenantId: 'contoso-tenant',
      clientId: 'rc-exchange',
      clientSecret: 'secret-1',
      authorityUrl: sim.httpsUrl as string,
      scope: 'https://outlook.office365.com/.default',
      caPem: sim.caCertPem,
      now: () => now,
    });
    const first = await provider.getToken();
    expect(first.split('.')).toHaveLength(3);
    expect(await provider.getToken()).toBe(first);
    // 56 minutes later the hour-long token is inside the 5-minute margin: a new one is fetched.
    now += 56 * 60 * 1000;
    await new Promise((r) => setTimeout(r, 1100)); // iat has 1-second resolution
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    provider.invalidate();
    expect(await provider.getToken()).not.toBe(second);

    const config = loadConfig({
      RC_EWS_URL: sim.ewsUrl,
      RC_EWS_AUTH: 'oauth',
      RC_OAUTH_TENANT_ID: 'contoso-tenant',
      RC_OAUTH_CLIENT_ID: 'rc-exchange',
      RC_OAUTH_CLIENT_SECRET: 'secret-1',
      RC_OAUTH_AUTHORITY_URL: sim.httpsUrl,
    });
    const gw = new EwsGateway({ ews: config.ews, tokenProvider: provider });
    const ref = await gw.sendMail(mailbox, mail('2001'));
    expect(ref?.itemId).toBeTruthy();
    expect(await gw.findItemByJobId(mailbox, 'sentitems', '2001')).toEqual(ref);
    await gw.close();
    provider.close();
  });

  it('certificate credential (private key + thumbprint) gets a token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const provider = new OAuthTokenProvider({
      tenantId: 'contoso-tenant',
      clientId: 'cert-app',
      certificate: {
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        thumbprint: 'ab'.repeat(32),
      },
      authorityUrl: sim.httpsUrl as string,
      scope: 'https://outlook.office365.com/.default',
      caPem: sim.caCertPem,
    });
    expect((await provider.getToken()).split('.')).toHaveLength(3);
    provider.close();
  });

  it('a wrong secret is a permanent exchange_auth error; an untrusted CA is not silently accepted', async () => {
    const wrong = new OAuthTokenProvider({
      tenantId: 't',
      clientId: 'rc-exchange',
      clientSecret: 'nope',
      authorityUrl: sim.httpsUrl as string,
      scope: 's/.default',
      caPem: sim.caCertPem,
    });
    await expect(wrong.getToken()).rejects.toMatchObject({ code: 'exchange_auth', retryable: false });
    wrong.close();
    const untrusted = new OAuthTokenProvider({
      tenantId: 't',
      clientId: 'rc-exchange',
      clientSecret: 'secret-1',
      authorityUrl: sim.httpsUrl as string,
      scope: 's/.default',
    });
    await expect(untrusted.getToken()).rejects.toMatchObject({ code: 'exchange_auth' });
    untrusted.close();
  });
});
