/**
 * The Exchange Online limits profile, HTTP 429 and token expiry, driven by raw HTTP and the unmodified
 * ews-javascript-api; each failure is also run through the worker's classifier to show how rc-exchange reacts.
 */
import * as ews from 'ews-javascript-api';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import {
  classifyEwsError,
  type HttpProbe,
  type ServiceErrorNames,
} from '../../worker/exchange/ews/classify-ews-error';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { rejection } from '../helpers/simulator-session';
import { postSoap, soapEnvelope, type SoapReply } from '../helpers/simulator-raw-soap';

bypassProxyForLocalhost();

const SENDER = 'limits@sim.test';
const RECEIVER = 'receiver@sim.test';
const AUTH = `Basic ${Buffer.from(`${SENDER}:simulator`).toString('base64')}`;
const NAMES = ews.ServiceError as unknown as ServiceErrorNames;
const MB = 1024 * 1024;

let sim: RunningSimulator;
let valid: string[];

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [SENDER, RECEIVER], limits: 'exchange-online' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  await admin('/_sim/reset', {});
  sim.setFaults({ latencyMs: 0, tooManyRequestsRate: 0 });
  sim.limits.update({ profile: 'exchange-online' });
  valid = [];
});
afterEach(async () => {
  await expectValidEwsResponses(valid);
});

async function admin<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as T;
}

const envelope = (body: string) => soapEnvelope(body);

const GET_INBOX = envelope(
  '<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>' +
    '<m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder>',
);

function message(subject: string, attachmentBase64 = ''): string {
  const attachments = attachmentBase64
    ? `<t:Attachments><t:FileAttachment><t:Name>big.bin</t:Name><t:Content>${attachmentBase64}</t:Content></t:FileAttachment></t:Attachments>`
    : '';
  return (
    `<t:Message><t:Subject>${subject}</t:Subject><t:Body BodyType="Text">x</t:Body>${attachments}` +
    `<t:ToRecipients><t:Mailbox><t:EmailAddress>${RECEIVER}</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message>`
  );
}

async function post(xml: string, auth = AUTH): Promise<SoapReply> {
  const reply = await postSoap(sim.ewsUrl, xml, auth);
  if (reply.status === 200) valid.push(reply.text);
  return reply;
}

function probeOf(res: { status: number; text: string; headers: Headers }): HttpProbe {
  return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: res.text };
}

interface Stats {
  mailboxes: Record<
    string,
    {
      requests: number;
      sends: number;
      throttled: number;
      throttledByKind: Record<string, number>;
      messageSizeExceeded: number;
      concurrent: number;
      concurrentPeak: number;
      deferredSends: number;
    }
  >;
}

async function folderCount(address: string, folder: string): Promise<number> {
  return (await admin<unknown[]>(`/_sim/mailboxes/${encodeURIComponent(address)}/items?folder=${folder}`))
    .length;
}

test('more than 27 concurrent requests for one mailbox: ErrorExceededConnectionCount (HTTP 500), the rest succeed', async () => {
  // Every request is held 1.5 s, so all of a batch overlap even on a loaded machine. How many of a batch arrive
  // before the first slot frees still depends on scheduling, so the assertions are the invariants: never more
  // than 27 at once, the peak reaches 27, and everything beyond it is refused with Exchange's fault.
  sim.setFaults({ latencyMs: 1500 });
  const raw = await Promise.all(Array.from({ length: 30 }, () => post(GET_INBOX)));
  const refused = raw.filter((r) => r.status === 500);
  expect(raw.filter((r) => r.status === 200).length + refused.length).toBe(30);
  expect(refused.length).toBeGreaterThanOrEqual(1);
  expect(refused[0].text).toContain(
    '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorExceededConnectionCount</faultcode>',
  );
  expect(refused[0].text).toContain('>ErrorExceededConnectionCount</e:ResponseCode>');

  // The same through ews-javascript-api: the refused calls reject with SoapFaultDetails, which the worker
  // classifies as throttling (retry later).
  const { service } = createEwsService(sim.ewsUrl, { user: SENDER, password: 'simulator' });
  const outcomes = await Promise.allSettled(
    Array.from({ length: 29 }, () => ews.Folder.Bind(service, ews.WellKnownFolderName.Inbox)),
  );
  const failures = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(failures.length).toBeGreaterThanOrEqual(1);
  const err = failures[0].reason as Record<string, unknown>;
  expect(err).toBeInstanceOf(ews.SoapFaultDetails);
  expect(err.ResponseCode).toBe(ews.ServiceError.ErrorExceededConnectionCount);
  const classified = classifyEwsError(err, { names: NAMES });
  expect(classified).toMatchObject({ code: 'exchange_throttled', retryable: true });
  expect(classified.remoteCode).toBe('ErrorExceededConnectionCount');

  const stats = await admin<Stats>('/_sim/stats');
  const throttled = refused.length + failures.length;
  expect(stats.mailboxes[SENDER]).toMatchObject({
    requests: 59,
    throttled,
    throttledByKind: { exceededConnectionCount: throttled },
    concurrent: 0,
    concurrentPeak: 27,
  });
  expect(stats.mailboxes[RECEIVER].concurrentPeak).toBe(0);

  // Switched off at run time: no limit.
  await admin('/_sim/limits', { maxConcurrentRequests: 0 });
  const unlimited = await Promise.all(Array.from({ length: 30 }, () => post(GET_INBOX)));
  expect(unlimited.every((r) => r.status === 200)).toBe(true);
});

test('the 31st message within the rate window is accepted, waits in the Outbox and is delivered when the window frees', async () => {
  // Exchange Online delays (does not refuse) messages beyond MessageRateLimit; a 1.5 s window keeps this fast.
  const settings = await admin<{ profile: string; messagesPerWindow: number }>('/_sim/limits', {
    messageRateWindowMs: 1500,
  });
  expect(settings).toMatchObject({ profile: 'custom', messagesPerWindow: 30 });
  const items = Array.from({ length: 31 }, (_, i) => message(`rate ${i + 1}`)).join('');
  const res = await post(
    envelope(`<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:Items>${items}</m:Items></m:CreateItem>`),
  );
  expect(res.status).toBe(200);
  expect(res.text.match(/ResponseClass="Success"/g)).toHaveLength(31);
  expect(await folderCount(RECEIVER, 'inbox')).toBe(30);
  expect(await folderCount(SENDER, 'sentitems')).toBe(30);
  expect(await folderCount(SENDER, 'outbox')).toBe(1);
  let stats = await admin<Stats>('/_sim/stats');
  expect(stats.mailboxes[SENDER]).toMatchObject({
    sends: 30,
    deferredSends: 1,
    throttledByKind: { messageRateDeferred: 1 },
  });

  const deadline = Date.now() + 5000;
  while ((await folderCount(RECEIVER, 'inbox')) < 31 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  expect(await folderCount(RECEIVER, 'inbox')).toBe(31);
  expect(await folderCount(SENDER, 'outbox')).toBe(0);
  expect(await folderCount(SENDER, 'sentitems')).toBe(31);
  stats = await admin<Stats>('/_sim/stats');
  expect(stats.mailboxes[SENDER]).toMatchObject({ sends: 31, deferredSends: 0 });
});

test('a CreateItem request over 35 MB fails with ErrorMessageSizeExceeded (permanent for the worker)', async () => {
  // 27.2 MB of data is 36.3 MB as base64 in the request.
  const content = Buffer.alloc(Math.ceil((36 * MB * 3) / 4), 7).toString('base64');
  const res = await post(
    envelope(
      `<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:Items>${message('big', content)}</m:Items></m:CreateItem>`,
    ),
  );
  expect(res.status).toBe(200);
  expect(Buffer.byteLength(res.text)).toBeLessThan(5000);
  expect(res.text).toContain(
    '<m:CreateItemResponseMessage ResponseClass="Error"><m:MessageText>The message exceeds the maximum supported size.</m:MessageText>' +
      '<m:ResponseCode>ErrorMessageSizeExceeded</m:ResponseCode>',
  );
  expect(await folderCount(RECEIVER, 'inbox')).toBe(0);

  const { service } = createEwsService(sim.ewsUrl, { user: SENDER, password: 'simulator' });
  const m = new ews.EmailMessage(service);
  m.Subject = 'big';
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'x');
  m.ToRecipients.Add(RECEIVER);
  m.Attachments.AddFileAttachment('big.bin', content);
  const err = await rejection(m.SendAndSaveCopy());
  expect(err).toBeInstanceOf(ews.ServiceResponseException);
  expect((err.Response as { ErrorCode: number }).ErrorCode).toBe(ews.ServiceError.ErrorMessageSizeExceeded);
  expect(classifyEwsError(err, { names: NAMES })).toMatchObject({
    code: 'exchange_permanent',
    retryable: false,
    remoteCode: 'ErrorMessageSizeExceeded',
  });
  const stats = await admin<Stats>('/_sim/stats');
  expect(stats.mailboxes[SENDER].messageSizeExceeded).toBe(2);

  // Under the limit (and with limits off) the same kind of message goes through.
  await admin('/_sim/limits', { profile: 'none' });
  const ok = await post(
    envelope(
      `<m:CreateItem MessageDisposition="SendOnly"><m:Items>${message('big', content)}</m:Items></m:CreateItem>`,
    ),
  );
  expect(ok.text).toContain('ResponseClass="Success"');
  expect(await folderCount(RECEIVER, 'inbox')).toBe(1);
});

test('HTTP 429 with Retry-After: the worker retries after the given seconds', async () => {
  await admin('/_sim/faults', { tooManyRequestsRate: 1, retryAfterSeconds: 7 });
  const res = await post(GET_INBOX);
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('7');

  const { service } = createEwsService(sim.ewsUrl, { user: SENDER, password: 'simulator' });
  const err = await rejection(ews.Folder.Bind(service, ews.WellKnownFolderName.Inbox));
  expect(err.HttpStatusCode).toBe(429);
  expect(classifyEwsError(err, { names: NAMES, probe: probeOf(res) })).toMatchObject({
    code: 'exchange_throttled',
    retryable: true,
    retryAfterMs: 7000,
  });
  const stats = await admin<Stats>('/_sim/stats');
  expect(stats.mailboxes[SENDER]).toMatchObject({ throttled: 2, throttledByKind: { tooManyRequests: 2 } });
});

async function appToken(): Promise<{ token: string; expiresIn: number }> {
  const res = await fetch(`${sim.url}/tenant-1/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'rc-exchange',
      client_secret: 'simulator',
      scope: 'https://outlook.office365.com/.default',
    }).toString(),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; expires_in: number };
  return { token: body.access_token, expiresIn: body.expires_in };
}

function impersonatedInbox(token: string): Promise<unknown> {
  const { service } = createEwsService(sim.ewsUrl, { token }, SENDER);
  return ews.Folder.Bind(service, ews.WellKnownFolderName.Inbox);
}

test('expiring every issued token: 401 invalid_token, classified as "refresh the token and retry"; a fresh token works', async () => {
  const { token } = await appToken();
  await impersonatedInbox(token);

  expect(await admin('/_sim/tokens/expire', {})).toEqual({ expired: expect.any(Number) });
  const raw = await post(
    GET_INBOX.replace(
      '</soap:Header>',
      `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${SENDER}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation></soap:Header>`,
    ),
    `Bearer ${token}`,
  );
  expect(raw.status).toBe(401);
  expect(raw.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  expect(raw.headers.get('x-ms-diagnostics')).toContain('The token has expired.');

  const err = await rejection(impersonatedInbox(token));
  expect(err.HttpStatusCode).toBe(401);
  expect(classifyEwsError(err, { names: NAMES, probe: probeOf(raw) })).toMatchObject({
    code: 'exchange_auth',
    retryable: true,
  });

  const fresh = await appToken();
  await expect(impersonatedInbox(fresh.token)).resolves.toBeInstanceOf(ews.Folder);
});

test('short-lived tokens (token lifetime option) expire on their own', async () => {
  expect(await admin('/_sim/tokens', { lifetimeSeconds: 1 })).toEqual({ lifetimeSeconds: 1 });
  try {
    const { token, expiresIn } = await appToken();
    expect(expiresIn).toBe(1);
    await new Promise((r) => setTimeout(r, 2100));
    const err = await rejection(impersonatedInbox(token));
    expect(err.HttpStatusCode).toBe(401);
  } finally {
    await admin('/_sim/tokens', { lifetimeSeconds: 3600 });
  }
  const { expiresIn } = await appToken();
  expect(expiresIn).toBe(3599);
});

test('limit and token settings are validated', async () => {
  const bad = await fetch(`${sim.url}/_sim/limits`, {
    method: 'POST',
    body: JSON.stringify({ profile: 'on-prem', maxConcurrentRequests: -1, other: 1 }),
  });
  expect(bad.status).toBe(400);
  const text = await bad.text();
  expect(text).toContain('profile must be one of exchange-online, none');
  expect(text).toContain('maxConcurrentRequests must be a whole number');
  expect(text).toContain('unknown limit setting(s): other');
  const badToken = await fetch(`${sim.url}/_sim/tokens`, {
    method: 'POST',
    body: JSON.stringify({ lifetimeSeconds: 0 }),
  });
  expect(badToken.status).toBe(400);
  expect(await admin('/_sim/limits')).toEqual({
    profile: 'exchange-online',
    maxConcurrentRequests: 27,
    messagesPerWindow: 30,
    messageRateWindowMs: 60_000,
    maxMessageBytes: 35 * MB,
  });
});
