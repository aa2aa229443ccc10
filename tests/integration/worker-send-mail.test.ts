/**
 * The whole send path on real PostgreSQL, Redis and the simulator: rc_sendmail → dispatcher → BullMQ →
 * SendMail handler → EWS → rc.Jobs Succeeded with the Exchange ItemId.
 */
import type { AdminItem } from '../../simulator';
import { jobIdOf, startHarness, type Harness } from '../helpers/worker-harness';

let h: Harness;

afterEach(async () => {
  await h?.close();
});

describe('worker service: SendMail end to end', () => {
  it('a mail enqueued via SQL ends Succeeded with ResultItemId, and Sent Items holds it with the job property', async () => {
    h = await startHarness();
    await h.startWorker();
    const tricky = `& < > " ' ]]> Grüße aus Köln 😀`;
    const id = await h.sendMail({
      recipients: 'a@example.org; b@example.org',
      copy_recipients: 'c@example.org',
      subject: tricky,
      body: `<p>${tricky}</p>`,
      body_format: 'html',
      importance: 'high',
    });
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row).toMatchObject({ status: 'Succeeded', attempts: 1, lasterrorcode: null });
    expect(row?.resultitemid).toBeTruthy();
    const items = await h.sentItems();
    const item = items.find((i) => i.id === row?.resultitemid);
    expect(item).toBeDefined();
    expect(jobIdOf(item as AdminItem)).toBe(id);
    expect(item).toMatchObject({
      subject: tricky,
      body: `<p>${tricky}</p>`,
      to: ['a@example.org', 'b@example.org'],
      cc: ['c@example.org'],
      importance: 'High',
    });
    const mi = await h.sql.query(
      `SELECT sent_status, exchange_item_id FROM rc.vw_mailitems WHERE mailitem_id = $1`,
      [id],
    );
    expect(mi.rows[0]).toEqual({ sent_status: 'sent', exchange_item_id: row?.resultitemid });
  });

  it('throttling: Retrying, then Succeeded, waiting at least BackOffMilliseconds', async () => {
    h = await startHarness();
    h.setFaults({ throttleRate: 1, backOffMs: 700 });
    await h.startWorker();
    const id = await h.sendMail({ recipients: 'a@example.org', subject: 'throttled' });
    const [retrying] = await h.waitFor([id], ['Retrying']);
    expect(retrying?.lasterrorcode).toBe('ErrorServerBusy');
    const throttledAt = Date.now();
    h.setFaults({ throttleRate: 0 });
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row?.status).toBe('Succeeded');
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
    const r = await h.sql.query<{ gap: number }>(
      `SELECT extract(epoch FROM (s.at - f.at)) * 1000 AS gap
         FROM rc.jobevents f, rc.jobevents s
        WHERE f.jobid = $1 AND s.jobid = $1 AND f.eventtype = 'retrying' AND s.eventtype = 'started'
          AND s.eventid > f.eventid ORDER BY f.eventid DESC LIMIT 1`,
      [id],
    );
    expect(Number(r.rows[0]?.gap)).toBeGreaterThanOrEqual(690);
    expect(Date.now() - throttledAt).toBeLessThan(15000);
    expect((await h.sentItems()).filter((i) => jobIdOf(i) === id)).toHaveLength(1);
  });

  it("a permanent Exchange error fails the job at once with Exchange's code", async () => {
    h = await startHarness();
    await h.startWorker();
    // The mailbox row points at an address the simulator has no mailbox for → ErrorNonExistentMailbox.
    await h.sql.query(
      `SELECT rc.rc_addmailbox(profile_name => 'ghost', smtp_address => 'ghost@contoso.com')`,
    );
    await h.sql.query(`SELECT rc.rc_grantmailbox(principal => 'public', profile_name => 'ghost')`);
    const r = await h.sql.query<{ id: string }>(
      `SELECT rc.rc_sendmail(profile_name => 'ghost', recipients => 'a@example.org')::text AS id`,
    );
    const id = r.rows[0]?.id as string;
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row).toMatchObject({ status: 'Failed', attempts: 1 });
    expect(row?.lasterrorcode).toMatch(/^Error/);
    expect(row?.lasterror).toBeTruthy();
  });

  it('an invalid payload fails permanently with payload_invalid', async () => {
    h = await startHarness();
    await h.startWorker();
    const r = await h.sql.query<{ id: string }>(
      `INSERT INTO rc.jobs (kind, mailboxid, payload, createdby)
       SELECT 'SendMail', mailboxid, '{"subject": 5}'::jsonb, 'test' FROM rc.mailboxes WHERE profilename = 'alerts'
       RETURNING jobid::text AS id`,
    );
    const id = r.rows[0]?.id as string;
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row).toMatchObject({ status: 'Failed', lasterrorcode: 'payload_invalid' });
  });
});
