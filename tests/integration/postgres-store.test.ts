/**
 * PostgresStore against a real PostgreSQL database (cloned from the migrated template): claim order and
 * concurrency, every guarded status move with its event row, lease expiry and requeue, LISTEN/NOTIFY wake-ups.
 */
import { Client } from 'pg';
import { RcError } from '../../worker/errors';
import { silentLogger } from '../../worker/log';
import { fitColumn } from '../../worker/db/column-limits';
import { PostgresStore } from '../../worker/db/postgres/postgres-store';
import { createTestDatabase, type TestDatabase } from '../helpers/pg-test-db';

const WORKER = 'test-worker:1';
const LEASE = 300;

let db: TestDatabase;
let sql: Client;
let store: PostgresStore;
let mailboxId: number;

async function enqueue(options: { priority?: number; notBefore?: Date; to?: string } = {}): Promise<string> {
  const r = await sql.query<{ id: string }>(
    `SELECT rc.rc_sendmail(profile_name => 'store', recipients => $1, send_at => $2) AS id`,
    [options.to ?? 'a@example.com', options.notBefore ?? null],
  );
  const id = r.rows[0]!.id;
  if (options.priority !== undefined) {
    await sql.query('UPDATE rc.Jobs SET Priority = $2 WHERE JobId = $1', [id, options.priority]);
  }
  return id;
}

interface JobRow {
  status: string;
  attempts: number;
  version: number;
  claimedby: string | null;
  leaseuntil: Date | null;
  notbefore: Date;
  startedat: Date | null;
  completedat: Date | null;
  lasterrorcode: string | null;
  lasterror: string | null;
  resultitemid: string | null;
  resultchangekey: string | null;
}

async function job(id: string): Promise<JobRow> {
  const r = await sql.query<JobRow>('SELECT * FROM rc.Jobs WHERE JobId = $1', [id]);
  return r.rows[0]!;
}

async function events(id: string) {
  const r = await sql.query(
    'SELECT EventType, Attempt, Status, Code, Message, WorkerId, DurationMs FROM rc.JobEvents WHERE JobId = $1 ORDER BY EventId',
    [id],
  );
  return r.rows;
}

/** Claims and starts one job; returns its id. */
async function running(): Promise<string> {
  const id = await enqueue();
  expect((await store.claimDueJobs(10, WORKER, LEASE)).map((j) => j.jobId)).toEqual([id]);
  expect(await store.startJob(id, WORKER, LEASE)).not.toBeNull();
  return id;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(20);
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new Client({ connectionString: db.url });
  await sql.connect();
  const r = await sql.query<{ id: number }>(
    `SELECT rc.rc_addmailbox(profile_name => 'store', smtp_address => 'store@example.com',
       ews_url => 'https://ex.example.com/EWS/Exchange.asmx') AS id`,
  );
  mailboxId = r.rows[0]!.id;
  await sql.query(`SELECT rc.rc_grantmailbox(principal => 'public', profile_name => 'store')`);
  store = new PostgresStore(db.url, silentLogger());
});

afterAll(async () => {
  await store?.close();
  await sql?.end();
  await db?.drop();
});

beforeEach(async () => {
  await sql.query('DELETE FROM rc.Jobs');
});

describe('claimDueJobs', () => {
  test('claims due Pending rows by priority, then NotBefore, then JobId, up to the limit', async () => {
    const past = new Date(Date.now() - 60_000);
    const low1 = await enqueue();
    const high1 = await enqueue({ priority: 5 });
    const low0 = await enqueue({ notBefore: past });
    const high0 = await enqueue({ priority: 5, notBefore: past });
    const future = await enqueue({ priority: 9, notBefore: new Date(Date.now() + 60_000) });

    const first = await store.claimDueJobs(1, WORKER, LEASE);
    expect(first).toEqual([{ jobId: high0, kind: 'SendMail', mailboxId, priority: 5 }]);
    const rest = await store.claimDueJobs(10, WORKER, LEASE);
    expect(rest.map((j) => j.jobId)).toEqual([high1, low0, low1]);
    expect(await store.claimDueJobs(10, WORKER, LEASE)).toEqual([]);

    const claimed = await job(high0);
    expect(claimed).toMatchObject({ status: 'Queued', claimedby: WORKER, version: 1, attempts: 0 });
    const leaseMs = claimed.leaseuntil!.getTime() - Date.now();
    expect(leaseMs).toBeGreaterThan((LEASE - 10) * 1000);
    expect(leaseMs).toBeLessThanOrEqual(LEASE * 1000 + 1000);
    expect((await job(future)).status).toBe('Pending');
    // Claiming is not a logged event: only 'enqueued' so far.
    expect((await events(high0)).map((e) => e.eventtype)).toEqual(['enqueued']);
  });

  test('two concurrent claimers never get the same row', async () => {
    await sql.query(
      `SELECT rc.rc_sendmail(profile_name => 'store', recipients => 'n' || g || '@example.com') FROM generate_series(1, 300) AS g`,
    );
    const other = new PostgresStore(db.url, silentLogger());
    try {
      const drain = async (s: PostgresStore, name: string) => {
        const got: string[] = [];
        for (;;) {
          const batch = await s.claimDueJobs(7, name, LEASE);
          if (batch.length === 0) return got;
          got.push(...batch.map((j) => j.jobId));
        }
      };
      const results = await Promise.all([
        drain(store, 'a'),
        drain(other, 'b'),
        drain(store, 'c'),
        drain(other, 'd'),
      ]);
      const all = results.flat();
      expect(all).toHaveLength(300);
      expect(new Set(all).size).toBe(300);
      expect(results.filter((r) => r.length > 0).length).toBeGreaterThan(1);
    } finally {
      await other.close();
    }
  });
});

describe('startJob', () => {
  test('Queued → Running with attempt 1, payload and mailbox in one call, and a started event', async () => {
    const id = await enqueue({ to: 'x@example.com; y@example.com' });
    await store.claimDueJobs(10, 'dispatcher', LEASE);
    const started = await store.startJob(id, WORKER, 60);
    expect(started).toEqual({
      jobId: id,
      kind: 'SendMail',
      payload: expect.objectContaining({ recipients: 'x@example.com;y@example.com', bodyFormat: 'TEXT' }),
      attempt: 1,
      maxAttempts: 10,
      mailbox: {
        mailboxId,
        profileName: 'store',
        smtpAddress: 'store@example.com',
        transport: 'ews',
        ewsUrl: 'https://ex.example.com/EWS/Exchange.asmx',
        enabled: true,
      },
      targetJobId: null,
      attachmentCount: 0,
    });
    const row = await job(id);
    expect(row).toMatchObject({ status: 'Running', attempts: 1, claimedby: WORKER, version: 2 });
    expect(row.startedat).toBeInstanceOf(Date);
    expect((await events(id)).at(-1)).toEqual({
      eventtype: 'started',
      attempt: 1,
      status: 'Running',
      code: null,
      message: null,
      workerid: WORKER,
      durationms: null,
    });
  });

  test('returns null for rows that are not startable, and restarts a Running row whose lease ran out', async () => {
    const pending = await enqueue();
    expect(await store.startJob(pending, WORKER, LEASE)).toBeNull();
    expect((await job(pending)).status).toBe('Pending');

    const id = await enqueue({ priority: 1 });
    await store.claimDueJobs(1, WORKER, LEASE);
    expect((await store.startJob(id, WORKER, LEASE))?.attempt).toBe(1);
    // Another worker while the lease is live: refused, nothing changes.
    expect(await store.startJob(id, 'other', LEASE)).toBeNull();
    expect(await job(id)).toMatchObject({ attempts: 1, claimedby: WORKER, version: 2 });

    await sql.query(`UPDATE rc.Jobs SET LeaseUntil = now() - interval '1 second' WHERE JobId = $1`, [id]);
    expect((await store.startJob(id, 'other', LEASE))?.attempt).toBe(2);
    expect(await job(id)).toMatchObject({ status: 'Running', attempts: 2, claimedby: 'other' });

    await store.completeJob(id, 2, { itemId: null, changeKey: null }, 1);
    expect(await store.startJob(id, WORKER, LEASE)).toBeNull();
    expect(await store.startJob('999999999', WORKER, LEASE)).toBeNull();
  });
});

describe('finishing moves', () => {
  test('completeJob: Running → Succeeded for the current attempt only', async () => {
    const id = await running();
    expect(await store.completeJob(id, 2, { itemId: 'AAMk=', changeKey: 'CQAA' }, 12)).toBe(false);
    expect(await store.completeJob(id, 1, { itemId: 'AAMk=', changeKey: 'CQAA' }, 12.4)).toBe(true);
    const row = await job(id);
    expect(row).toMatchObject({
      status: 'Succeeded',
      resultitemid: 'AAMk=',
      resultchangekey: 'CQAA',
      leaseuntil: null,
      version: 3,
    });
    expect(row.completedat).toBeInstanceOf(Date);
    expect((await events(id)).at(-1)).toEqual({
      eventtype: 'succeeded',
      attempt: 1,
      status: 'Succeeded',
      code: null,
      message: null,
      workerid: WORKER,
      durationms: 12,
    });
    expect(await store.completeJob(id, 1, { itemId: 'other', changeKey: null }, 1)).toBe(false);
    expect(await store.failJob(id, 1, { code: 'x', message: 'y' }, 1)).toBe(false);
    expect((await job(id)).resultitemid).toBe('AAMk=');
  });

  test('failJob: Running → Failed with the error cut to the column sizes', async () => {
    const id = await running();
    const code = 'C'.repeat(150);
    const message = `${'m'.repeat(1999)}😀tail`;
    expect(await store.failJob(id, 1, { code, message }, 5)).toBe(true);
    const row = await job(id);
    expect(row).toMatchObject({
      status: 'Failed',
      lasterrorcode: 'C'.repeat(100),
      leaseuntil: null,
      version: 3,
    });
    expect(row.lasterror).toBe('m'.repeat(1999));
    expect(row.completedat).toBeInstanceOf(Date);
    expect((await events(id)).at(-1)).toMatchObject({
      eventtype: 'failed',
      attempt: 1,
      status: 'Failed',
      code: 'C'.repeat(100),
      durationms: 5,
    });
    expect(await store.scheduleRetry(id, 1, { code: 'x', message: 'y' }, new Date(), 1)).toBe(false);
  });

  test('scheduleRetry: Running → Retrying until retryAt, then the next start is attempt 2', async () => {
    const id = await running();
    const retryAt = new Date(Date.now() + 30_000);
    retryAt.setMilliseconds(0);
    expect(
      await store.scheduleRetry(id, 1, { code: 'ErrorServerBusy', message: 'throttled' }, retryAt, 7),
    ).toBe(true);
    const row = await job(id);
    expect(row).toMatchObject({
      status: 'Retrying',
      lasterrorcode: 'ErrorServerBusy',
      lasterror: 'throttled',
    });
    expect(row.notbefore.getTime()).toBe(retryAt.getTime());
    // Lease: the retry time plus the attempt's lease span.
    expect(row.leaseuntil!.getTime()).toBeGreaterThanOrEqual(retryAt.getTime() + (LEASE - 1) * 1000);
    expect((await events(id)).at(-1)).toMatchObject({
      eventtype: 'retrying',
      attempt: 1,
      status: 'Retrying',
      code: 'ErrorServerBusy',
      message: 'throttled',
      durationms: 7,
    });
    expect(await store.completeJob(id, 1, { itemId: null, changeKey: null }, 1)).toBe(false);
    const again = await store.startJob(id, WORKER, LEASE);
    expect(again?.attempt).toBe(2);
    expect(await store.completeJob(id, 2, { itemId: 'i', changeKey: 'c' }, 1)).toBe(true);
    expect((await events(id)).map((e) => e.eventtype)).toEqual([
      'enqueued',
      'started',
      'retrying',
      'started',
      'succeeded',
    ]);
  });
});

describe('leases', () => {
  test('expired leases are found; extendLease and requeueJob are guarded by status and expiry', async () => {
    const queued = await enqueue();
    await store.claimDueJobs(10, WORKER, LEASE);
    const live = await enqueue();
    await store.claimDueJobs(10, WORKER, LEASE);
    expect(await store.findExpiredLeases(10)).toEqual([]);

    // Not expired yet: requeue refuses.
    expect(await store.requeueJob(queued, 'Queued', 'orphan')).toBe(false);
    await sql.query(`UPDATE rc.Jobs SET LeaseUntil = now() - interval '1 minute' WHERE JobId = $1`, [queued]);
    expect(await store.findExpiredLeases(10)).toEqual([{ jobId: queued, status: 'Queued' }]);

    // The queue still has it: extend, and it is no longer a candidate.
    expect(await store.extendLease(queued, 'Running', 60)).toBe(false);
    const versionBefore = (await job(queued)).version;
    expect(await store.extendLease(queued, 'Queued', 60)).toBe(true);
    expect((await job(queued)).version).toBe(versionBefore + 1);
    expect(await store.findExpiredLeases(10)).toEqual([]);

    // Expired again and orphaned: back to Pending with a requeued event, claimable again.
    await sql.query(`UPDATE rc.Jobs SET LeaseUntil = now() - interval '1 minute' WHERE JobId = $1`, [queued]);
    expect(await store.requeueJob(queued, 'Running', 'orphan')).toBe(false);
    expect(await store.requeueJob(queued, 'Queued', 'no live queue entry after Redis restart')).toBe(true);
    expect(await job(queued)).toMatchObject({ status: 'Pending', claimedby: null, leaseuntil: null });
    expect((await events(queued)).at(-1)).toMatchObject({
      eventtype: 'requeued',
      status: 'Pending',
      attempt: 0,
      message: 'no live queue entry after Redis restart',
    });
    expect(await store.requeueJob(queued, 'Queued', 'again')).toBe(false);
    expect((await store.claimDueJobs(10, WORKER, LEASE)).map((j) => j.jobId)).toEqual([queued]);
    expect((await job(live)).status).toBe('Queued');
  });

  test('a Running job whose worker died is found, requeued and started again as attempt 2', async () => {
    const id = await running();
    await sql.query(`UPDATE rc.Jobs SET LeaseUntil = now() - interval '1 second' WHERE JobId = $1`, [id]);
    expect(await store.findExpiredLeases(10)).toEqual([{ jobId: id, status: 'Running' }]);
    expect(await store.requeueJob(id, 'Running', 'worker lost')).toBe(true);
    await store.claimDueJobs(10, WORKER, LEASE);
    expect((await store.startJob(id, WORKER, LEASE))?.attempt).toBe(2);
  });
});

describe('listenForNewJobs', () => {
  test('wakes on commit only, not for a rolled-back enqueue, and stops when asked', async () => {
    let wakeups = 0;
    const stop = await store.listenForNewJobs(() => wakeups++);
    try {
      await sql.query('BEGIN');
      await enqueue();
      await sleep(300);
      expect(wakeups).toBe(0);
      await sql.query('ROLLBACK');
      await sleep(300);
      expect(wakeups).toBe(0);

      await sql.query('BEGIN');
      await enqueue();
      await enqueue();
      await sleep(200);
      expect(wakeups).toBe(0);
      await sql.query('COMMIT');
      await waitFor(() => wakeups > 0);
      await sleep(200);
      expect(wakeups).toBe(1); // one transaction, one notification

      // A requeue wakes the dispatcher too.
      const id = await enqueue();
      await waitFor(() => wakeups === 2);
      await store.claimDueJobs(10, WORKER, LEASE);
      await sql.query(`UPDATE rc.Jobs SET LeaseUntil = now() - interval '1 second' WHERE JobId = $1`, [id]);
      await store.requeueJob(id, 'Queued', 'orphan');
      await waitFor(() => wakeups === 3);
    } finally {
      await stop();
    }
    await enqueue();
    await sleep(300);
    expect(wakeups).toBe(3);
  });

  test('reconnects after the listening connection is killed, then wakes the dispatcher', async () => {
    let wakeups = 0;
    const stop = await store.listenForNewJobs(() => wakeups++);
    try {
      const killed = await sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'rc-exchange listener'`,
      );
      expect(killed.rowCount).toBe(1);
      // After reconnecting it calls onJobs once (notifications may have been missed) …
      await waitFor(() => wakeups === 1);
      // … and listens again.
      await enqueue();
      await waitFor(() => wakeups === 2);
    } finally {
      await stop();
    }
  });
});

/** Inserts a job row directly (kinds the procedures of other tasks write); returns its id. */
async function insertJob(row: {
  kind: string;
  status?: string;
  targetJobId?: string | null;
  itemId?: string | null;
  changeKey?: string | null;
  completedAt?: string | null;
}): Promise<string> {
  const r = await sql.query<{ jobid: string }>(
    `INSERT INTO rc.Jobs (Kind, MailboxId, Payload, Status, TargetJobId, ResultItemId, ResultChangeKey, CompletedAt,
       CreatedBy)
     VALUES ($1, $2, '{}', $3, $4, $5, $6, $7, 'test') RETURNING JobId`,
    [
      row.kind,
      mailboxId,
      row.status ?? 'Pending',
      row.targetJobId ?? null,
      row.itemId ?? null,
      row.changeKey ?? null,
      row.completedAt ?? null,
    ],
  );
  return r.rows[0]!.jobid;
}

describe('update/delete targets', () => {
  test('startJob returns TargetJobId', async () => {
    const create = await insertJob({
      kind: 'CreateContact',
      status: 'Succeeded',
      itemId: 'I1',
      changeKey: 'C1',
    });
    const update = await insertJob({ kind: 'UpdateContact', status: 'Queued', targetJobId: create });
    expect(await store.startJob(update, WORKER, LEASE)).toMatchObject({
      jobId: update,
      kind: 'UpdateContact',
      targetJobId: create,
    });
  });

  test('findTargetItem: the target job itself while nothing else succeeded; null for no such job', async () => {
    expect(await store.findTargetItem('999999999')).toBeNull();
    const pending = await insertJob({ kind: 'CreateTask' });
    expect(await store.findTargetItem(pending)).toEqual({
      targetJobId: pending,
      targetKind: 'CreateTask',
      targetStatus: 'Pending',
      itemId: null,
      changeKey: null,
      deleted: false,
    });
    const done = await insertJob({
      kind: 'CreateTask',
      status: 'Succeeded',
      itemId: 'T1',
      changeKey: 'K1',
      completedAt: '2026-01-01T10:00:00Z',
    });
    expect(await store.findTargetItem(done)).toEqual({
      targetJobId: done,
      targetKind: 'CreateTask',
      targetStatus: 'Succeeded',
      itemId: 'T1',
      changeKey: 'K1',
      deleted: false,
    });
  });

  test('findTargetItem: the newest succeeded job with an ItemId wins (CompletedAt, then JobId); a delete marks it gone', async () => {
    const create = await insertJob({
      kind: 'CreateAppointment',
      status: 'Succeeded',
      itemId: 'A1',
      changeKey: 'K1',
      completedAt: '2026-01-01T10:00:00Z',
    });
    const at = (t: string) => `2026-01-01T${t}Z`;
    await insertJob({
      kind: 'UpdateAppointment',
      status: 'Succeeded',
      targetJobId: create,
      itemId: 'A1',
      changeKey: 'K3',
      completedAt: at('12:00:00'),
    });
    // Older, failed, running and id-less jobs do not count.
    await insertJob({
      kind: 'UpdateAppointment',
      status: 'Succeeded',
      targetJobId: create,
      itemId: 'A1',
      changeKey: 'K2',
      completedAt: at('11:00:00'),
    });
    await insertJob({
      kind: 'UpdateAppointment',
      status: 'Failed',
      targetJobId: create,
      itemId: 'A1',
      changeKey: 'KX',
      completedAt: at('13:00:00'),
    });
    await insertJob({ kind: 'UpdateAppointment', status: 'Running', targetJobId: create });
    await insertJob({
      kind: 'UpdateAppointment',
      status: 'Succeeded',
      targetJobId: create,
      completedAt: at('14:00:00'),
    });
    expect(await store.findTargetItem(create)).toMatchObject({
      itemId: 'A1',
      changeKey: 'K3',
      deleted: false,
    });

    // Same CompletedAt: the higher JobId is the newer.
    await insertJob({
      kind: 'UpdateAppointment',
      status: 'Succeeded',
      targetJobId: create,
      itemId: 'A1',
      changeKey: 'K4',
      completedAt: at('12:00:00'),
    });
    expect(await store.findTargetItem(create)).toMatchObject({ changeKey: 'K4', deleted: false });

    await insertJob({
      kind: 'DeleteAppointment',
      status: 'Succeeded',
      targetJobId: create,
      itemId: 'A1',
      completedAt: at('15:00:00'),
    });
    expect(await store.findTargetItem(create)).toEqual({
      targetJobId: create,
      targetKind: 'CreateAppointment',
      targetStatus: 'Succeeded',
      itemId: 'A1',
      changeKey: null,
      deleted: true,
    });
  });
});

describe('attachments', () => {
  test('listAttachments in Ordinal order without content; readAttachmentContent one at a time', async () => {
    const id = await enqueue();
    const content = Buffer.from([0, 1, 2, 255, 254]);
    await sql.query(
      `INSERT INTO rc.JobAttachments (JobId, Name, ContentType, ContentId, IsInline, Content, Ordinal)
       VALUES ($1, 'b.pdf', 'application/pdf', NULL, false, $2, 1), ($1, 'logo.png', 'image/png', 'logo', true, '\\x00', 0)`,
      [id, content],
    );
    await sql.query(
      `INSERT INTO rc.JobAttachments (JobId, Name, FilePath, Ordinal) VALUES ($1, 'c.txt', 'invoices/c.txt', 1)`,
      [id],
    );
    const list = await store.listAttachments(id);
    expect(list.map((a) => a.name)).toEqual(['logo.png', 'b.pdf', 'c.txt']);
    expect(list[1]).toEqual({
      attachmentId: expect.any(String),
      name: 'b.pdf',
      contentType: 'application/pdf',
      contentId: null,
      isInline: false,
      sizeBytes: 5,
      filePath: null,
    });
    expect(list[0]).toMatchObject({ contentId: 'logo', isInline: true, sizeBytes: 1 });
    expect(list[2]).toMatchObject({ sizeBytes: null, filePath: 'invoices/c.txt', contentType: null });
    expect(await store.readAttachmentContent(list[1]!.attachmentId)).toEqual(content);
    await expect(store.readAttachmentContent(list[2]!.attachmentId)).rejects.toMatchObject({
      code: 'internal',
    });
    await expect(store.readAttachmentContent('999999999')).rejects.toMatchObject({ code: 'not_found' });
    expect(await store.listAttachments('999999999')).toEqual([]);
    // startJob counts them, so a mail without attachments needs no listAttachments round trip.
    await sql.query(`UPDATE rc.Jobs SET Status = 'Queued' WHERE JobId = $1`, [id]);
    expect((await store.startJob(id, WORKER, 60))?.attachmentCount).toBe(3);
  });
});

describe('listMailboxes', () => {
  test('lists every profile with its settings, ordered by name', async () => {
    await sql.query(
      `SELECT rc.rc_addmailbox(profile_name => 'archive', smtp_address => 'archive@example.com', transport => 'graph')`,
    );
    await sql.query(`UPDATE rc.Mailboxes SET Enabled = false WHERE ProfileName = 'archive'`);
    const list = await store.listMailboxes();
    expect(list).toEqual([
      {
        mailboxId: expect.any(Number),
        profileName: 'archive',
        smtpAddress: 'archive@example.com',
        transport: 'graph',
        ewsUrl: null,
        enabled: false,
      },
      {
        mailboxId,
        profileName: 'store',
        smtpAddress: 'store@example.com',
        transport: 'ews',
        ewsUrl: 'https://ex.example.com/EWS/Exchange.asmx',
        enabled: true,
      },
    ]);
  });
});

describe('errors', () => {
  test('ping answers on a live database', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });

  test('an unreachable server is a retryable RcError', async () => {
    const nowhere = new PostgresStore('postgres://rc:rc@127.0.0.1:1/none', silentLogger());
    try {
      const err = await nowhere.claimDueJobs(1, WORKER, LEASE).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RcError);
      expect(err).toMatchObject({ code: 'db_unavailable', retryable: true, remoteCode: 'ECONNREFUSED' });
      await expect(nowhere.ping()).rejects.toMatchObject({ code: 'db_unavailable' });
    } finally {
      await nowhere.close();
    }
  });

  test('fitColumn keeps surrogate pairs whole', () => {
    expect(fitColumn('abc', 5)).toBe('abc');
    expect(fitColumn('abcdef', 3)).toBe('abc');
    expect(fitColumn('ab😀', 3)).toBe('ab');
    expect(fitColumn(null, 3)).toBeNull();
  });
});
