/**
 * EwsGateway against the simulator over real sockets: what Exchange stores is byte-exactly what was sent,
 * the job property finds the item again, and Exchange's errors come back classified.
 */
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import { RC_JOB_ID_PROPERTY, RC_PROPERTY_SET_ID, type OutgoingMail } from '../../worker/exchange/gateway';
import { loadConfig } from '../../worker/config';
import { RcError } from '../../worker/errors';
import { startSimulator, type AdminItem, type RunningSimulator } from '../../simulator';
import { jobIdOf } from '../helpers/worker-harness';

const SENDER = 'sender@contoso.com';
const PASSWORD = 'Pa55-w0rd';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    mailboxes: [SENDER, 'rcpt@contoso.com', 'svc@contoso.com'],
    password: PASSWORD,
  });
});
afterAll(async () => {
  await sim.close();
});

function gatewayFor(
  env: Record<string, string> = {},
  options: Partial<ConstructorParameters<typeof EwsGateway>[0]> = {},
): EwsGateway {
  const config = loadConfig({
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: SENDER,
    RC_EWS_PASSWORD: PASSWORD,
    RC_EWS_TIMEOUT_MS: '5000',
    ...env,
  });
  return new EwsGateway({ ews: config.ews, findAfterSendDelaysMs: [0, 100], ...options });
}

function mail(jobId: string, patch: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    jobId,
    to: ['rcpt@contoso.com'],
    cc: [],
    bcc: [],
    replyTo: [],
    from: null,
    subject: 'hello',
    body: 'body',
    bodyType: 'Text',
    importance: 'Normal',
    sensitivity: 'Normal',
    categories: [],
    readReceipt: false,
    deliveryReceipt: false,
    saveCopy: true,
    attachments: [],
    ...patch,
  };
}

async function sentItems(address: string): Promise<AdminItem[]> {
  const res = await fetch(`${sim.url}/_sim/mailboxes/${encodeURIComponent(address)}/items?folder=sentitems`);
  expect(res.status).toBe(200);
  return (await res.json()) as AdminItem[];
}

const mailbox = { smtpAddress: SENDER, transport: 'ews' as const, ewsUrl: null };

/** EWS requests the simulator counted for a mailbox, by operation name. */
async function operationCounts(address: string): Promise<Record<string, number>> {
  const res = await fetch(`${sim.url}/_sim/stats`);
  expect(res.status).toBe(200);
  const stats = (await res.json()) as { mailboxes: Record<string, { operations: Record<string, number> }> };
  return stats.mailboxes[address]?.operations ?? {};
}

describe('EwsGateway over the simulator', () => {
  it('sends, saves a copy carrying the job property, and returns its ItemId', async () => {
    const gw = gatewayFor();
    const ref = await gw.sendMail(
      mailbox,
      mail('1001', {
        cc: ['cc@example.org'],
        bcc: ['bcc@example.org'],
        replyTo: ['reply@example.org'],
        importance: 'High',
        sensitivity: 'Private',
      }),
    );
    expect(ref?.itemId).toBeTruthy();
    const items = await sentItems(SENDER);
    const item = items.find((i) => i.id === ref?.itemId);
    expect(item).toBeDefined();
    expect(item).toMatchObject({
      to: ['rcpt@contoso.com'],
      cc: ['cc@example.org'],
      bcc: ['bcc@example.org'],
      replyTo: ['reply@example.org'],
      importance: 'High',
      sensitivity: 'Private',
    });
    const prop = item?.extendedProperties.find((p) => p.propertyName === RC_JOB_ID_PROPERTY);
    expect(prop).toBeDefined();
    expect(String(prop?.value)).toBe('1001');
    expect(prop?.propertySetId).toBe(RC_PROPERTY_SET_ID);
    expect(prop?.propertyType).toBe('String');
    expect(await gw.findItemByJobId(mailbox, 'sentitems', '1001')).toEqual(ref);
    expect(await gw.findItemByJobId(mailbox, 'sentitems', '99999')).toBeNull();
    await gw.close();
  });

  it('round-trips XML specials, CDATA terminators, emoji and umlauts byte-exactly (subject, body, HTML)', async () => {
    const gw = gatewayFor();
    const tricky = `& < > " ' ]]> Grüße, Ärger, Öl, Übel, ß 😀👍🏽 <b>not a tag</b> &amp; line\r\nnext\ttab`;
    const text = await gw.sendMail(
      mailbox,
      mail('1002', { subject: `& < > " ' ]]> Grüße 😀`, body: tricky }),
    );
    const html = await gw.sendMail(
      mailbox,
      mail('1003', { subject: 'html', body: `<p>${tricky}</p>`, bodyType: 'HTML' }),
    );
    const items = await sentItems(SENDER);
    const t = items.find((i) => i.id === text?.itemId);
    const h = items.find((i) => i.id === html?.itemId);
    expect(t?.subject).toBe(`& < > " ' ]]> Grüße 😀`);
    expect(t?.body).toBe(tricky);
    expect(String(t?.bodyType).toLowerCase()).toBe('text');
    expect(h?.body).toBe(`<p>${tricky}</p>`);
    expect(String(h?.bodyType).toUpperCase()).toBe('HTML');
    await gw.close();
  });

  it('SendOnly (saveCopy=false) keeps no copy and returns null', async () => {
    const gw = gatewayFor();
    expect(await gw.sendMail(mailbox, mail('1004', { saveCopy: false }))).toBeNull();
    expect(await gw.findItemByJobId(mailbox, 'sentitems', '1004')).toBeNull();
    await gw.close();
  });

  it('impersonates when the service account is not the mailbox', async () => {
    const grant = await fetch(`${sim.url}/_sim/grants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ principal: 'svc@contoso.com', right: 'impersonation' }),
    });
    expect(grant.status).toBeLessThan(300);
    const gw = gatewayFor({ RC_EWS_USERNAME: 'svc@contoso.com' });
    const ref = await gw.sendMail(mailbox, mail('1005'));
    expect((await sentItems(SENDER)).some((i) => i.id === ref?.itemId)).toBe(true);
    expect(await sentItems('svc@contoso.com')).toHaveLength(0);
    await gw.close();
  });

  /**
   * Sends 41 mails to SENDER at once (job ids `${base}..`, the last one needing XML escaping) and checks that each
   * caller got the id of the Sent Items copy carrying its own job property; returns how many FindItem requests
   * the simulator saw for them.
   */
  async function sendConcurrently(gw: EwsGateway, base: number): Promise<number> {
    const jobIds = [...Array.from({ length: 40 }, (_, i) => String(base + i)), `${base}&<"x">`];
    const before = await operationCounts(SENDER);
    const refs = await Promise.all(
      jobIds.map((id) => gw.sendMail(mailbox, mail(id, { subject: `batch ${id}` }))),
    );
    const after = await operationCounts(SENDER);

    const items = new Map((await sentItems(SENDER)).map((i) => [i.id, i]));
    jobIds.forEach((id, n) => {
      const item = items.get(refs[n]?.itemId ?? '');
      expect(jobIdOf(item)).toBe(id);
      expect(refs[n]?.changeKey).toBe(item?.changeKey);
    });
    expect((after.CreateItem ?? 0) - (before.CreateItem ?? 0)).toBe(41);
    return (after.FindItem ?? 0) - (before.FindItem ?? 0);
  }

  it('concurrent sends to one mailbox share one FindItem for their saved copies, each getting its own id', async () => {
    // A window longer than the sends take: the batch leaves when the last CreateItem is done.
    const gw = gatewayFor({}, { findBatchWindowMs: 10_000 });
    expect(await sendConcurrently(gw, 3000)).toBe(1);
    await gw.close();
  });

  it('a batch leaves as soon as findBatchMax job ids wait', async () => {
    const gw = gatewayFor({}, { findBatchWindowMs: 10_000, findBatchMax: 10 });
    // 4 full batches of 10, then the last id once no send is in flight any more.
    expect(await sendConcurrently(gw, 3100)).toBe(5);
    await gw.close();
  });

  it('a lone send is looked up at once, and findItemByJobId still finds one id', async () => {
    const gw = gatewayFor({}, { findBatchWindowMs: 5000 });
    const started = Date.now();
    const ref = await gw.sendMail(mailbox, mail('3200'));
    // Nobody else was sending to the mailbox, so the lookup did not wait for the (long) batch window.
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await gw.findItemByJobId(mailbox, 'sentitems', '3200')).toEqual(ref);
    await gw.close();
  });

  it('classifies Exchange errors: bad password (permanent 401), unknown mailbox, throttling, dropped connections', async () => {
    const bad = gatewayFor({ RC_EWS_PASSWORD: 'wrong' });
    await expect(bad.sendMail(mailbox, mail('1006'))).rejects.toMatchObject({
      code: 'exchange_auth',
      retryable: false,
    });

    const gw = gatewayFor({ RC_EWS_USERNAME: 'svc@contoso.com' });
    const ghost = { ...mailbox, smtpAddress: 'ghost@contoso.com' };
    await expect(gw.sendMail(ghost, mail('1007'))).rejects.toMatchObject({
      remoteCode: 'ErrorNonExistentMailbox',
      retryable: false,
    });

    sim.setFaults({ throttleRate: 1, backOffMs: 1500 });
    try {
      const err = await gw.sendMail(mailbox, mail('1008')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RcError);
      expect(err).toMatchObject({
        code: 'exchange_throttled',
        retryable: true,
        retryAfterMs: 1500,
        remoteCode: 'ErrorServerBusy',
      });
    } finally {
      sim.setFaults({ throttleRate: 0 });
    }

    sim.setFaults({ dropRate: 1 });
    try {
      await expect(gw.findItemByJobId(mailbox, 'sentitems', '1')).rejects.toMatchObject({
        code: 'network',
        retryable: true,
      });
    } finally {
      sim.setFaults({ dropRate: 0 });
    }

    sim.setFaults({ errorRate: 1 });
    try {
      await expect(gw.findItemByJobId(mailbox, 'sentitems', '1')).rejects.toMatchObject({ retryable: true });
    } finally {
      sim.setFaults({ errorRate: 0 });
    }
    await gw.close();
    await bad.close();
  });

  it('local traffic bypasses HTTP(S)_PROXY, and the request timeout comes from RC_EWS_TIMEOUT_MS', async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy };
    // Nothing listens on port 9: a request that went to this proxy would fail.
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    process.env.http_proxy = 'http://127.0.0.1:9';
    try {
      const gw = gatewayFor();
      expect(await gw.sendMail(mailbox, mail('1010'))).not.toBeNull();
      await gw.close();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }

    sim.setFaults({ latencyMs: 2500 });
    try {
      const gw = gatewayFor({ RC_EWS_TIMEOUT_MS: '1000' });
      const started = Date.now();
      await expect(gw.findItemByJobId(mailbox, 'sentitems', '1')).rejects.toMatchObject({
        code: 'network',
        retryable: true,
      });
      expect(Date.now() - started).toBeLessThan(2400);
      await gw.close();
    } finally {
      sim.setFaults({ latencyMs: 0 });
    }
  });
});
