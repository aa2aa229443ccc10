/**
 * Job control, one suite for every configured database: rc_GetJob, rc_CancelJob, rc_RetryJob and the views
 * rc.vw_FailedJobs / rc.vw_JobQueue — every parameter, every job status, every permission case.
 * Jobs in other states than Pending are made by setting rc.Jobs.Status directly (the worker's moves are the
 * Store's, tested elsewhere); jobs of other kinds are inserted directly so this suite needs no other procedure.
 */
import type { ApiSession } from './api-driver';
import { expectApiError, factories, useApiFixture, type Profile } from './conformance-fixture';

type Status = 'Pending' | 'Queued' | 'Running' | 'Retrying' | 'Succeeded' | 'Failed' | 'Cancelled';
const STATUSES: Status[] = ['Pending', 'Queued', 'Running', 'Retrying', 'Succeeded', 'Failed', 'Cancelled'];
const CANCELLABLE: Status[] = ['Pending', 'Queued', 'Retrying'];
const RETRYABLE: Status[] = ['Failed', 'Cancelled'];
const LONG_AGO = new Date('2000-01-02T03:04:05.000Z');

describe.each(factories)('job control on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  let owner: ApiSession;
  let profile: Profile;
  let principalCounter = 0;

  beforeAll(async () => {
    owner = fx.owner;
    profile = await fx.newProfile();
  });

  const sendMail = async (p: Profile = profile) =>
    (await owner.call('rc_SendMail', { profile_name: p.name, recipients: 'a@example.com' })) as string;

  /** A job of any kind, inserted directly (payload as given). */
  const insertJob = async (kind: string, payload: Record<string, unknown> = {}, p: Profile = profile) => {
    await owner.select('INSERT INTO rc.Jobs (Kind, MailboxId, Payload, CreatedBy) VALUES (?, ?, ?, ?)', [
      kind,
      Number(p.id),
      JSON.stringify(payload),
      'conformance',
    ]);
    return String(await fx.count('SELECT MAX(JobId) AS n FROM rc.Jobs WHERE MailboxId = ?', [Number(p.id)]));
  };

  /** Puts a job into a state as the worker would have left it (attempts made, last error). */
  const setState = async (jobId: string, status: Status, attempts = status === 'Pending' ? 0 : 3) => {
    const finished = ['Succeeded', 'Failed', 'Cancelled'].includes(status);
    await owner.select(
      `UPDATE rc.Jobs SET Status = ?, Attempts = ?, NotBefore = ?, StartedAt = ?, CompletedAt = ?,
         ClaimedBy = ?, ClaimedAt = ?, LeaseUntil = ?, LastErrorCode = ?, LastError = ?
       WHERE JobId = ?`,
      [
        status,
        attempts,
        LONG_AGO,
        attempts > 0 ? LONG_AGO : null,
        finished ? LONG_AGO : null,
        status === 'Pending' ? null : 'worker-1',
        status === 'Pending' ? null : LONG_AGO,
        finished || status === 'Pending' ? null : LONG_AGO,
        attempts > 0 ? 'ErrorServerBusy' : null,
        attempts > 0 ? 'The server cannot service this request right now.' : null,
        jobId,
      ],
    );
  };

  const row = async (jobId: string) => {
    const [r] = await owner.select(
      `SELECT Status, Attempts, MaxAttempts, NotBefore, CompletedAt, ClaimedAt, ClaimedBy, LeaseUntil,
         LastErrorCode, LastError, Version FROM rc.Jobs WHERE JobId = ?`,
      [jobId],
    );
    return r as Record<string, unknown>;
  };

  const events = (jobId: string) =>
    owner.select(
      'SELECT EventType, Attempt, Status, Code, Message FROM rc.JobEvents WHERE JobId = ? ORDER BY EventId',
      [jobId],
    );

  /** A fresh login with the given rights on `p` (none → no grant at all). */
  const principalWith = async (
    rights: { send?: boolean; write?: boolean; read?: boolean } | 'none',
    p: Profile = profile,
  ): Promise<{ name: string; session: ApiSession }> => {
    const name = `jc${++principalCounter}_${fx.run}`;
    if (rights !== 'none') {
      await owner.call('rc_GrantMailbox', {
        principal: name,
        profile_name: p.name,
        can_send: rights.send ?? false,
        can_write: rights.write ?? false,
        can_read: rights.read ?? false,
      });
    }
    return { name, session: await fx.db.as(name) };
  };

  /** What a refused call must leave: the job's row and the row counts unchanged. */
  const expectUnchanged = async (
    jobId: string,
    call: () => Promise<unknown>,
    number: number,
    ...mentions: string[]
  ) => {
    const before = { totals: await fx.totals(), row: await row(jobId) };
    const error = await expectApiError(call(), number, ...mentions);
    expect({ totals: await fx.totals(), row: await row(jobId) }).toEqual(before);
    return error;
  };

  describe('rc_GetJob', () => {
    test('returns one row with the job state; the payload only when asked for', async () => {
      const id = await owner.call('rc_SendMail', {
        profile_name: profile.name,
        recipients: 'a@example.com',
        subject: 'status',
        correlation_key: `get-${fx.run}`,
      });
      const rows = await owner.rows('rc_GetJob', { job_id: id });
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!)).toEqual([
        'jobid',
        'kind',
        'profilename',
        'status',
        'priority',
        'attempts',
        'maxattempts',
        'correlationkey',
        'targetjobid',
        'createdat',
        'createdby',
        'notbefore',
        'startedat',
        'completedat',
        'updatedat',
        'lasterrorcode',
        'lasterror',
        'resultitemid',
        'resultchangekey',
        'resultmessage',
        'payload',
      ]);
      expect({ ...rows[0], jobid: String(rows[0]!.jobid) }).toEqual({
        jobid: id,
        kind: 'SendMail',
        profilename: profile.name,
        status: 'Pending',
        priority: 0,
        attempts: 0,
        maxattempts: 10,
        correlationkey: `get-${fx.run}`,
        targetjobid: null,
        createdat: expect.any(Date),
        createdby: fx.db.ownerPrincipal,
        notbefore: expect.any(Date),
        startedat: null,
        completedat: null,
        updatedat: expect.any(Date),
        lasterrorcode: null,
        lasterror: null,
        resultitemid: null,
        resultchangekey: null,
        resultmessage: null,
        payload: null,
      });

      const [full] = await owner.rows('rc_GetJob', { job_id: id, include_payload: true });
      expect(JSON.parse(String(full!.payload))).toEqual(await fx.payloadOf(id as string));
      const [explicitNull] = await owner.rows('rc_GetJob', { job_id: id, include_payload: null });
      expect(explicitNull!.payload).toBeNull();
      const [no] = await owner.rows('rc_GetJob', { job_id: id, include_payload: false });
      expect(no!.payload).toBeNull();
    });

    test('shows what the worker recorded: attempts, times, error, result and the succeeded event message', async () => {
      const id = await sendMail();
      await setState(id, 'Succeeded', 2);
      await owner.select('UPDATE rc.Jobs SET ResultItemId = ?, ResultChangeKey = ? WHERE JobId = ?', [
        'AAMkItem=',
        'CQAAAA==',
        id,
      ]);
      await owner.select(
        "INSERT INTO rc.JobEvents (JobId, EventType, Attempt, Status, Message) VALUES (?, 'succeeded', 2, 'Succeeded', ?)",
        [id, 'created 3, updated 1, deleted 0, unchanged 7'],
      );
      const [r] = await owner.rows('rc_GetJob', { job_id: id });
      expect(r).toMatchObject({
        status: 'Succeeded',
        attempts: 2,
        startedat: LONG_AGO,
        completedat: LONG_AGO,
        lasterrorcode: 'ErrorServerBusy',
        lasterror: 'The server cannot service this request right now.',
        resultitemid: 'AAMkItem=',
        resultchangekey: 'CQAAAA==',
        resultmessage: 'created 3, updated 1, deleted 0, unchanged 7',
      });
    });

    test('a job of another kind shows its kind and target job', async () => {
      const create = await insertJob('CreateContact');
      const update = await insertJob('UpdateContact');
      await owner.select('UPDATE rc.Jobs SET TargetJobId = ? WHERE JobId = ?', [create, update]);
      const [r] = await owner.rows('rc_GetJob', { job_id: update });
      expect({ kind: r!.kind, targetjobid: String(r!.targetjobid) }).toEqual({
        kind: 'UpdateContact',
        targetjobid: create,
      });
    });

    test.each([
      ['not passed', {}],
      ['NULL', { job_id: null }],
    ])('@job_id %s → 50600', async (_case, params) => {
      await expectApiError(owner.rows('rc_GetJob', params), 50600, 'rc_GetJob: @job_id is missing');
    });

    test.each([['0'], ['-5'], ['999999999999']])('job %s that does not exist → 50601', async (id) => {
      await expectApiError(
        owner.rows('rc_GetJob', { job_id: id }),
        50601,
        `rc_GetJob: job ${id} does not exist, or it belongs to a mail profile you hold no right on`,
      );
    });

    test('any right on the job profile may read it: send, write, read, or a grant to public', async () => {
      const id = await sendMail();
      for (const rights of [{ send: true }, { write: true }, { read: true }]) {
        const { session } = await principalWith(rights);
        const rows = await session.rows('rc_GetJob', { job_id: id });
        expect(rows.map((r) => String(r.jobid))).toEqual([id]);
      }
      const other = await fx.newProfile();
      const otherJob = await sendMail(other);
      const { session } = await principalWith('none');
      await expectApiError(session.rows('rc_GetJob', { job_id: otherJob }), 50601);
      await owner.call('rc_GrantMailbox', {
        principal: 'public',
        profile_name: other.name,
        can_send: false,
        can_write: false,
        can_read: true,
      });
      expect(await session.rows('rc_GetJob', { job_id: otherJob })).toHaveLength(1);
    });

    test('a job of a profile the caller has no right on reads exactly like a job that does not exist', async () => {
      const id = await sendMail();
      const { session } = await principalWith('none');
      const other = await fx.newProfile();
      await owner.call('rc_GrantMailbox', { principal: `jcx_${fx.run}`, profile_name: other.name });
      const hidden = await expectApiError(session.rows('rc_GetJob', { job_id: id }), 50601);
      const missing = await expectApiError(session.rows('rc_GetJob', { job_id: '999999999998' }), 50601);
      expect(hidden.message.replace(id, '<id>')).toBe(missing.message.replace('999999999998', '<id>'));
      // A grant with every flag off is no right either.
      const { session: flagsOff } = await principalWith({});
      await expectApiError(flagsOff.rows('rc_GetJob', { job_id: id }), 50601);
    });

    test('a disabled profile keeps its jobs readable', async () => {
      const p = await fx.newProfile();
      const id = await sendMail(p);
      await owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [false, Number(p.id)]);
      expect(await owner.rows('rc_GetJob', { job_id: id })).toHaveLength(1);
    });
  });

  describe('rc_CancelJob', () => {
    test.each(CANCELLABLE)(
      'a %s job → Cancelled, with a cancelled event naming the caller and the old state',
      async (status) => {
        const id = await sendMail();
        await setState(id, status);
        const before = await row(id);
        const totals = await fx.totals();
        expect(await owner.call('rc_CancelJob', { job_id: id })).toBeNull();
        const after = await row(id);
        expect(after).toEqual({
          ...before,
          status: 'Cancelled',
          completedat: expect.any(Date),
          leaseuntil: null,
          version: Number(before.version) + 1,
        });
        expect((after.completedat as Date).getTime()).toBeGreaterThan(LONG_AGO.getTime());
        expect(await fx.totals()).toEqual({ jobs: totals.jobs, events: totals.events + 1 });
        expect((await events(id)).at(-1)).toEqual({
          eventtype: 'cancelled',
          attempt: Number(before.attempts),
          status: 'Cancelled',
          code: null,
          message: `rc_CancelJob by ${fx.db.ownerPrincipal} (was ${status})`,
        });
        expect(await fx.count('SELECT COUNT(*) AS n FROM rc.vw_FailedJobs WHERE JobId = ?', [id])).toBe(0);
      },
    );

    test.each([
      ['Running', 'It is running now; wait for its outcome.'],
      ['Succeeded', 'It has already finished.'],
      ['Failed', 'It has already finished.'],
      ['Cancelled', 'It is already cancelled.'],
    ] as Array<[Status, string]>)(
      'a %s job → 50603 naming the state, nothing written',
      async (status, hint) => {
        const id = await sendMail();
        await setState(id, status);
        await expectUnchanged(
          id,
          () => owner.call('rc_CancelJob', { job_id: id }),
          50603,
          `rc_CancelJob: job ${id} is ${status}; only a job that has not started yet (Pending, Queued or Retrying) can be cancelled.`,
          hint,
        );
      },
    );

    test('cancelling twice: the second call names the Cancelled state', async () => {
      const id = await sendMail();
      await owner.call('rc_CancelJob', { job_id: id });
      await expectApiError(
        owner.call('rc_CancelJob', { job_id: id }),
        50603,
        'is Cancelled',
        'already cancelled',
      );
      expect((await events(id)).map((e) => e.eventtype)).toEqual(['enqueued', 'cancelled']);
    });

    test.each([
      ['not passed', {}],
      ['NULL', { job_id: null }],
    ])('@job_id %s → 50600', async (_case, params) => {
      const totals = await fx.totals();
      await expectApiError(owner.call('rc_CancelJob', params), 50600, 'rc_CancelJob: @job_id is missing');
      expect(await fx.totals()).toEqual(totals);
    });

    test('a job that does not exist → 50601', async () => {
      await expectApiError(
        owner.call('rc_CancelJob', { job_id: '999999999997' }),
        50601,
        'rc_CancelJob: job 999999999997 does not exist',
      );
    });

    test('a SendMail job needs the send right: write or read alone → 50602; no right → 50601', async () => {
      const id = await sendMail();
      for (const rights of [{ write: true, read: true }, { read: true }]) {
        const { name, session } = await principalWith(rights);
        await expectUnchanged(
          id,
          () => session.call('rc_CancelJob', { job_id: id }),
          50602,
          `rc_CancelJob: principal "${name}" has no send right (can_send) on mail profile "${profile.name}", which job ${id} (SendMail) needs.`,
        );
      }
      const { session: stranger } = await principalWith('none');
      await expectUnchanged(id, () => stranger.call('rc_CancelJob', { job_id: id }), 50601);
      const { session: sender } = await principalWith({ send: true });
      await sender.call('rc_CancelJob', { job_id: id });
      expect((await row(id)).status).toBe('Cancelled');
    });

    test('a job of another kind needs the write right: send alone → 50602', async () => {
      const id = await insertJob('CreateContact');
      const { name, session } = await principalWith({ send: true, read: true });
      await expectUnchanged(
        id,
        () => session.call('rc_CancelJob', { job_id: id }),
        50602,
        `principal "${name}" has no write right (can_write) on mail profile "${profile.name}", which job ${id} (CreateContact) needs.`,
      );
      const { session: writer } = await principalWith({ write: true });
      await writer.call('rc_CancelJob', { job_id: id });
      expect((await row(id)).status).toBe('Cancelled');
    });

    test('a grant to public counts for everybody', async () => {
      const p = await fx.newProfile();
      const id = await sendMail(p);
      const { session } = await principalWith('none');
      await owner.call('rc_GrantMailbox', { principal: 'public', profile_name: p.name, can_send: true });
      await session.call('rc_CancelJob', { job_id: id });
      expect((await row(id)).status).toBe('Cancelled');
    });

    test('a disabled profile: its jobs can still be cancelled', async () => {
      const p = await fx.newProfile();
      const id = await sendMail(p);
      await owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [false, Number(p.id)]);
      await owner.call('rc_CancelJob', { job_id: id });
      expect((await row(id)).status).toBe('Cancelled');
    });

    test("joins the caller's transaction: a rollback leaves the job Pending", async () => {
      const id = await sendMail();
      await owner.inRolledBackTransaction(async (tx) => {
        await tx.call('rc_CancelJob', { job_id: id });
        const [inside] = await tx.select('SELECT Status FROM rc.Jobs WHERE JobId = ?', [id]);
        expect(inside?.status).toBe('Cancelled');
      });
      expect((await row(id)).status).toBe('Pending');
      expect((await events(id)).map((e) => e.eventtype)).toEqual(['enqueued']);
    });
  });

  describe('rc_RetryJob', () => {
    test.each(RETRYABLE)(
      'a %s job → Pending and due now; attempts and last error kept, a fresh budget of 10 attempts',
      async (status) => {
        const id = await sendMail();
        await setState(id, status, 10);
        const before = await row(id);
        const totals = await fx.totals();
        expect(await owner.call('rc_RetryJob', { job_id: id })).toBeNull();
        const after = await row(id);
        expect(after).toEqual({
          ...before,
          status: 'Pending',
          attempts: 10,
          maxattempts: 20,
          notbefore: expect.any(Date),
          completedat: null,
          claimedat: null,
          claimedby: null,
          leaseuntil: null,
          lasterrorcode: 'ErrorServerBusy',
          lasterror: 'The server cannot service this request right now.',
          version: Number(before.version) + 1,
        });
        expect((after.notbefore as Date).getTime()).toBeGreaterThan(LONG_AGO.getTime());
        expect(await fx.totals()).toEqual({ jobs: totals.jobs, events: totals.events + 1 });
        expect((await events(id)).at(-1)).toEqual({
          eventtype: 'requeued',
          attempt: 10,
          status: 'Pending',
          code: null,
          message: `rc_RetryJob by ${fx.db.ownerPrincipal} (was ${status})`,
        });
        // Due now (same host: the clocks agree within a minute).
        expect(Math.abs((after.notbefore as Date).getTime() - Date.now())).toBeLessThan(60000);
      },
    );

    test('a job that failed on its first attempt gets 10 more (MaxAttempts = Attempts + 10)', async () => {
      const id = await sendMail();
      await setState(id, 'Failed', 1);
      await owner.call('rc_RetryJob', { job_id: id });
      expect(await row(id)).toMatchObject({ attempts: 1, maxattempts: 11 });
      // Failing again and retrying again: again 10 more, never a shrinking budget.
      await setState(id, 'Failed', 11);
      await owner.call('rc_RetryJob', { job_id: id });
      expect(await row(id)).toMatchObject({ attempts: 11, maxattempts: 21 });
      expect((await events(id)).map((e) => e.eventtype)).toEqual(['enqueued', 'requeued', 'requeued']);
    });

    test.each([
      ['Pending', 'It is still waiting to run.'],
      ['Queued', 'It is still waiting to run.'],
      ['Retrying', 'It is still waiting to run.'],
      ['Running', 'It is running now.'],
      ['Succeeded', 'It has succeeded; enqueue a new job to do it again.'],
    ] as Array<[Status, string]>)(
      'a %s job → 50604 naming the state, nothing written',
      async (status, hint) => {
        const id = await sendMail();
        await setState(id, status);
        await expectUnchanged(
          id,
          () => owner.call('rc_RetryJob', { job_id: id }),
          50604,
          `rc_RetryJob: job ${id} is ${status}; only a Failed or Cancelled job can be retried.`,
          hint,
        );
      },
    );

    test('retrying twice: the second call names the Pending state', async () => {
      const id = await sendMail();
      await setState(id, 'Failed');
      await owner.call('rc_RetryJob', { job_id: id });
      await expectApiError(owner.call('rc_RetryJob', { job_id: id }), 50604, 'is Pending');
    });

    test.each([
      ['not passed', {}],
      ['NULL', { job_id: null }],
    ])('@job_id %s → 50600', async (_case, params) => {
      await expectApiError(owner.call('rc_RetryJob', params), 50600, 'rc_RetryJob: @job_id is missing');
    });

    test('a job that does not exist → 50601', async () => {
      await expectApiError(
        owner.call('rc_RetryJob', { job_id: '999999999996' }),
        50601,
        'rc_RetryJob: job 999999999996 does not exist',
      );
    });

    test('rights: SendMail needs send, other kinds need write; no right at all → 50601', async () => {
      const mail = await sendMail();
      const contact = await insertJob('DeleteContact');
      await setState(mail, 'Failed');
      await setState(contact, 'Failed');
      const { name: writerName, session: writer } = await principalWith({ write: true });
      const { name: senderName, session: sender } = await principalWith({ send: true });
      await expectUnchanged(
        mail,
        () => writer.call('rc_RetryJob', { job_id: mail }),
        50602,
        `rc_RetryJob: principal "${writerName}" has no send right (can_send)`,
      );
      await expectUnchanged(
        contact,
        () => sender.call('rc_RetryJob', { job_id: contact }),
        50602,
        `rc_RetryJob: principal "${senderName}" has no write right (can_write)`,
      );
      const { session: stranger } = await principalWith('none');
      await expectUnchanged(mail, () => stranger.call('rc_RetryJob', { job_id: mail }), 50601);
      await sender.call('rc_RetryJob', { job_id: mail });
      await writer.call('rc_RetryJob', { job_id: contact });
      expect([(await row(mail)).status, (await row(contact)).status]).toEqual(['Pending', 'Pending']);
    });

    test('a job of a disabled profile → 50003 (enable the profile first)', async () => {
      const p = await fx.newProfile();
      const id = await sendMail(p);
      const done = await sendMail(p);
      await setState(id, 'Failed');
      await setState(done, 'Succeeded');
      await owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [false, Number(p.id)]);
      await expectUnchanged(
        id,
        () => owner.call('rc_RetryJob', { job_id: id }),
        50003,
        `rc_RetryJob: job ${id} belongs to mail profile "${p.name}", which is disabled.`,
      );
      // The state check comes first: a Succeeded job of a disabled profile is 50604.
      await expectApiError(owner.call('rc_RetryJob', { job_id: done }), 50604);
    });

    test('a SyncFolder job with a newer SyncFolder job for the same folder → 50605; another folder is no obstacle', async () => {
      const p = await fx.newProfile();
      const old = await insertJob('SyncFolder', { setKey: 'contacts:a@example.com:default' }, p);
      const otherFolder = await insertJob('SyncFolder', { setKey: 'contacts:a@example.com:named:x' }, p);
      const newer = await insertJob('SyncFolder', { setKey: 'contacts:a@example.com:default' }, p);
      for (const id of [old, otherFolder, newer]) await setState(id, 'Failed');
      await expectUnchanged(
        old,
        () => owner.call('rc_RetryJob', { job_id: old }),
        50605,
        `rc_RetryJob: job ${old} is a SyncFolder job, and the newer SyncFolder job ${newer} addresses the same folder`,
      );
      await owner.call('rc_RetryJob', { job_id: otherFolder });
      await owner.call('rc_RetryJob', { job_id: newer });
      expect([(await row(otherFolder)).status, (await row(newer)).status]).toEqual(['Pending', 'Pending']);
      // A newer job with the same set key in another profile does not count (each profile's jobs are its own).
      const q = await fx.newProfile();
      const mine = await insertJob('SyncFolder', { setKey: 'contacts:b@example.com:default' }, p);
      await insertJob('SyncFolder', { setKey: 'contacts:b@example.com:default' }, q);
      await setState(mine, 'Cancelled');
      await owner.call('rc_RetryJob', { job_id: mine });
      expect((await row(mine)).status).toBe('Pending');
    });

    test("joins the caller's transaction: a rollback leaves the job Failed", async () => {
      const id = await sendMail();
      await setState(id, 'Failed');
      await owner.inRolledBackTransaction(async (tx) => {
        await tx.call('rc_RetryJob', { job_id: id });
      });
      expect((await row(id)).status).toBe('Failed');
    });
  });

  describe('rc.vw_FailedJobs', () => {
    test('lists failed jobs only, with profile, kind, error, attempts and times', async () => {
      const p = await fx.newProfile();
      const ids: Partial<Record<Status, string>> = {};
      for (const status of STATUSES) {
        ids[status] = await sendMail(p);
        await setState(ids[status]!, status);
      }
      const contact = await insertJob('CreateContact', {}, p);
      await setState(contact, 'Failed', 1);
      await owner.select('UPDATE rc.Jobs SET CompletedAt = ? WHERE JobId = ?', [
        new Date('2001-01-01T00:00:00Z'),
        contact,
      ]);
      const rows = await owner.select(
        'SELECT * FROM rc.vw_FailedJobs WHERE MailboxId = ? ORDER BY FailedAt DESC',
        [Number(p.id)],
      );
      expect(Object.keys(rows[0] ?? {})).toEqual([
        'jobid',
        'kind',
        'mailboxid',
        'profilename',
        'lasterrorcode',
        'lasterror',
        'attempts',
        'maxattempts',
        'createdat',
        'createdby',
        'failedat',
        'correlationkey',
        'targetjobid',
      ]);
      expect(rows.map((r) => ({ ...r, jobid: String(r.jobid) }))).toEqual([
        {
          jobid: contact,
          kind: 'CreateContact',
          mailboxid: Number(p.id),
          profilename: p.name,
          lasterrorcode: 'ErrorServerBusy',
          lasterror: 'The server cannot service this request right now.',
          attempts: 1,
          maxattempts: 10,
          createdat: expect.any(Date),
          createdby: 'conformance',
          failedat: new Date('2001-01-01T00:00:00Z'),
          correlationkey: null,
          targetjobid: null,
        },
        expect.objectContaining({ jobid: ids.Failed, kind: 'SendMail', attempts: 3, failedat: LONG_AGO }),
      ]);
      await owner.call('rc_RetryJob', { job_id: ids.Failed! });
      expect(
        await fx.count('SELECT COUNT(*) AS n FROM rc.vw_FailedJobs WHERE MailboxId = ?', [Number(p.id)]),
      ).toBe(1);
    });
  });

  describe('rc.vw_JobQueue', () => {
    test('counts per status, kind and mailbox follow cancel and retry', async () => {
      const p = await fx.newProfile();
      const a = await sendMail(p);
      await sendMail(p);
      const c = await insertJob('CreateContact', {}, p);
      await owner.call('rc_CancelJob', { job_id: a });
      await setState(c, 'Failed');
      const counts = async () =>
        (
          await owner.select('SELECT Status, Kind, JobCount FROM rc.vw_JobQueue WHERE MailboxId = ?', [
            Number(p.id),
          ])
        )
          .map((r) => `${r.status}/${r.kind}/${r.jobcount}`)
          .sort();
      expect(await counts()).toEqual([
        'Cancelled/SendMail/1',
        'Failed/CreateContact/1',
        'Pending/SendMail/1',
      ]);
      await owner.call('rc_RetryJob', { job_id: c });
      await owner.call('rc_RetryJob', { job_id: a });
      expect(await counts()).toEqual(['Pending/CreateContact/1', 'Pending/SendMail/2']);
    });
  });
});
