/**
 * The rules every item kind shares, end to end: SQL API → PostgreSQL → worker → simulator, checked in what
 * Exchange holds. Contacts stand in for every kind (the flow in worker/jobs/item-jobs.ts is one for all; the
 * per-kind tests check their fields). Provoked for real: a crash between "Exchange has it" and "SQL recorded
 * it" for a create, an update and a delete; an item edited in Exchange before an update; an update enqueued
 * while its create job is still waiting; a second delete; updates by ItemId mixed with updates by job id or key.
 */
import type { Store } from '../../worker/db/store';
import { ApiCallError } from '../../worker/db/api-client';
import type { AdminItem } from '../../simulator';
import { jobIdOf, PROFILE, SENDER, startHarness, type Harness } from '../helpers/worker-harness';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A Store whose first completeJob for the given job kinds "crashes": Exchange has the change, SQL does not. */
function crashOnFirstComplete(store: Store, kinds: string[]): { store: Store; crashed: () => string[] } {
  const crashed: string[] = [];
  const wrapped = Object.create(store) as Store;
  wrapped.completeJob = async (jobId, ...rest) => {
    const kind = (await h!.sql.query<{ kind: string }>('SELECT Kind FROM rc.Jobs WHERE JobId = $1', [jobId]))
      .rows[0]?.kind;
    if (kind && kinds.includes(kind) && !crashed.includes(jobId)) {
      crashed.push(jobId);
      throw new Error(`simulated crash after Exchange accepted job ${jobId}`);
    }
    return store.completeJob(jobId, ...rest);
  };
  return { store: wrapped, crashed: () => crashed };
}

async function contacts(harness: Harness): Promise<AdminItem[]> {
  return harness.items(SENDER, 'contacts');
}

function createContact(harness: Harness, params: Record<string, string>): Promise<string> {
  return harness.call('rc_CreateContact', { profile_name: PROFILE, ...params }) as Promise<string>;
}

describe('item jobs through the worker', () => {
  it('a crash after create, update and delete: each retry finds its own effect and writes nothing twice', async () => {
    h = await startHarness();
    const crash = crashOnFirstComplete(h.store, ['CreateContact', 'UpdateContact', 'DeleteContact']);
    await h.startWorker({ store: crash.store });

    const created = await createContact(h, { given_name: 'Ada', surname: 'Crash', correlation_key: 'c-1' });
    const [createRow] = await h.waitFor([created], ['Succeeded', 'Failed'], 30000);
    expect(createRow).toMatchObject({ status: 'Succeeded', attempts: 2 });
    let mine = (await contacts(h)).filter((i) => jobIdOf(i) === created);
    expect(mine).toHaveLength(1);
    expect(createRow?.resultitemid).toBe(mine[0]?.id);

    // Attempt 1 writes with the recorded ChangeKey, then "crashes"; attempt 2 carries the same (now stale)
    // ChangeKey: without recognising its own rcLastJobId it would fail with a conflict.
    const updated = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      correlation_key: 'c-1',
      company_name: 'Contoso',
    })) as string;
    const [updateRow] = await h.waitFor([updated], ['Succeeded', 'Failed'], 30000);
    expect(updateRow).toMatchObject({ status: 'Succeeded', attempts: 2, lasterrorcode: null });
    mine = (await contacts(h)).filter((i) => jobIdOf(i) === created);
    expect(mine[0]?.contact).toMatchObject({ givenName: 'Ada', companyName: 'Contoso' });
    expect(updateRow?.resultchangekey).toBe(mine[0]?.changeKey);

    // Attempt 1 deletes, then "crashes"; attempt 2 finds the item gone: that is its own success.
    const deleted = (await h.call('rc_DeleteContact', {
      profile_name: PROFILE,
      target_job_id: created,
    })) as string;
    const [deleteRow] = await h.waitFor([deleted], ['Succeeded', 'Failed'], 30000);
    expect(deleteRow).toMatchObject({
      status: 'Succeeded',
      attempts: 2,
      resultitemid: createRow?.resultitemid,
    });
    expect((await contacts(h)).filter((i) => jobIdOf(i) === created)).toHaveLength(0);
    expect((await h.items(SENDER, 'deleteditems')).filter((i) => jobIdOf(i) === created)).toHaveLength(1);
    expect(crash.crashed()).toEqual([created, updated, deleted]);

    // The item is gone for SQL too: a second delete or an update is refused at once.
    for (const call of [
      () => h!.call('rc_DeleteContact', { profile_name: PROFILE, correlation_key: 'c-1' }),
      () => h!.call('rc_UpdateContact', { profile_name: PROFILE, target_job_id: created, surname: 'Again' }),
    ]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApiCallError);
      expect((err as ApiCallError).number).toBe(50065);
    }
  }, 90000);

  it('an item edited in Exchange meanwhile: the update fails with conflict and changes nothing; @force overwrites', async () => {
    h = await startHarness();
    await h.startWorker();
    const created = await createContact(h, { given_name: 'Bo', surname: 'Edited', job_title: 'Buyer' });
    const [row] = await h.waitFor([created], ['Succeeded', 'Failed']);
    expect(row?.status).toBe('Succeeded');

    // Someone changes the contact in Outlook (another client writing through EWS).
    const mailbox = { smtpAddress: SENDER, transport: 'ews' as const, ewsUrl: null };
    await h.gateway.updateItem(mailbox, {
      jobId: 'outlook',
      ref: { itemId: row!.resultitemid!, changeKey: row!.resultchangekey! },
      item: { kind: 'contact', fields: { jobTitle: 'Head of purchasing' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });

    const update = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      target_job_id: created,
      job_title: 'Junior buyer',
    })) as string;
    const [failed] = await h.waitFor([update], ['Succeeded', 'Failed']);
    expect(failed).toMatchObject({ status: 'Failed', attempts: 1, lasterrorcode: 'conflict' });
    expect(failed?.lasterror).toContain('@force = 1');
    const item = (await contacts(h)).find((i) => jobIdOf(i) === created);
    expect(item?.contact).toMatchObject({ jobTitle: 'Head of purchasing' });

    const forced = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      target_job_id: created,
      job_title: 'Junior buyer',
      force: true,
    })) as string;
    const [overwritten] = await h.waitFor([forced], ['Succeeded', 'Failed']);
    expect(overwritten?.status).toBe('Succeeded');
    expect((await contacts(h)).find((i) => jobIdOf(i) === created)?.contact).toMatchObject({
      jobTitle: 'Junior buyer',
    });

    // The next update builds on the overwrite's ChangeKey: no conflict.
    const next = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      target_job_id: created,
      department: 'Purchasing',
    })) as string;
    expect((await h.waitFor([next], ['Succeeded', 'Failed']))[0]?.status).toBe('Succeeded');
  }, 60000);

  it('an update enqueued while its create job still waits: it retries (target_pending) and then applies', async () => {
    h = await startHarness();
    const created = await createContact(h, {
      given_name: 'Cy',
      surname: 'Pending',
      folder_name: 'Later/Customers',
      correlation_key: 'c-2',
    });
    // The create job may not start for two seconds; the update is due at once.
    await h.sql.query(`UPDATE rc.Jobs SET NotBefore = now() + interval '2 seconds' WHERE JobId = $1`, [
      created,
    ]);
    const update = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      correlation_key: 'c-2',
      mobile_phone: '+49 170 1234567',
    })) as string;
    await h.startWorker();
    const [createRow, updateRow] = await h.waitFor([created, update], ['Succeeded', 'Failed'], 30000);
    expect(createRow?.status).toBe('Succeeded');
    expect(updateRow?.status).toBe('Succeeded');
    expect(updateRow?.attempts).toBeGreaterThan(1);
    const waits = (await h.events(update)).filter((e) => e.eventtype === 'retrying');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((e) => e.code === 'target_pending')).toBe(true);

    const all = await h.items(SENDER);
    const mine = all.filter((i) => jobIdOf(i) === created);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.contact).toMatchObject({ givenName: 'Cy', phones: { MobilePhone: '+49 170 1234567' } });
  }, 60000);

  it('an update by the ItemId of an item rc-exchange created is linked to its create job: later updates by job id or key build on its ChangeKey (no false conflict)', async () => {
    h = await startHarness();
    await h.startWorker();
    const created = await createContact(h, { given_name: 'Ed', surname: 'ById', correlation_key: 'c-3' });
    const [createRow] = await h.waitFor([created], ['Succeeded', 'Failed']);
    expect(createRow?.status).toBe('Succeeded');
    const itemId = createRow!.resultitemid!;
    const run = async (params: Record<string, string | boolean>) => {
      const jobId = (await h!.call('rc_UpdateContact', { profile_name: PROFILE, ...params })) as string;
      const [row] = await h!.waitFor([jobId], ['Succeeded', 'Failed']);
      const target = await h!.sql.query<{ targetjobid: string | null }>(
        'SELECT TargetJobId FROM rc.Jobs WHERE JobId = $1',
        [jobId],
      );
      return { ...row!, targetjobid: target.rows[0]?.targetjobid ?? null };
    };
    const item = async () => (await contacts(h!)).find((i) => jobIdOf(i) === created);

    // The original bug: this update got no TargetJobId, so findTargetItem never saw the ChangeKey it recorded
    // and the next update by job id carried the create job's stale one → 'conflict'.
    const byItem = await run({ item_id: itemId, job_title: 'Buyer' });
    expect(byItem).toMatchObject({ status: 'Succeeded', resultitemid: itemId });
    const byJob = await run({ target_job_id: created, department: 'Purchasing' });
    expect(byJob).toMatchObject({ status: 'Succeeded', attempts: 1, lasterrorcode: null });
    // Why: the update by ItemId is an update of the create job's item, and its ChangeKey is the one recorded.
    expect(byItem.targetjobid).toBe(created);
    expect(byItem.resultchangekey).not.toBe(createRow?.resultchangekey);
    const byKey = await run({ correlation_key: 'c-3', company_name: 'Contoso' });
    expect(byKey).toMatchObject({ status: 'Succeeded', attempts: 1, lasterrorcode: null });
    const again = await run({ item_id: itemId, surname: 'ById-2' });
    expect(again).toMatchObject({ status: 'Succeeded', lasterrorcode: null, targetjobid: created });
    expect((await item())?.contact).toMatchObject({
      givenName: 'Ed',
      surname: 'ById-2',
      jobTitle: 'Buyer',
      department: 'Purchasing',
      companyName: 'Contoso',
    });

    // Addressed by ItemId, the update now carries the ChangeKey too: an edit made in Exchange meanwhile is a
    // conflict, and @force overwrites it.
    const mailbox = { smtpAddress: SENDER, transport: 'ews' as const, ewsUrl: null };
    await h.gateway.updateItem(mailbox, {
      jobId: 'outlook',
      ref: { itemId, changeKey: again.resultchangekey! },
      item: { kind: 'contact', fields: { jobTitle: 'Head of purchasing' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    const conflict = await run({ item_id: itemId, job_title: 'Junior buyer' });
    expect(conflict).toMatchObject({ status: 'Failed', lasterrorcode: 'conflict' });
    expect((await item())?.contact).toMatchObject({ jobTitle: 'Head of purchasing' });
    const forced = await run({ item_id: itemId, job_title: 'Junior buyer', force: true });
    expect(forced.status).toBe('Succeeded');
    expect((await item())?.contact).toMatchObject({ jobTitle: 'Junior buyer' });

    // Deleted by ItemId: the create job knows, so a reference by job id is refused at once.
    const removed = (await h.call('rc_DeleteContact', { profile_name: PROFILE, item_id: itemId })) as string;
    expect((await h.waitFor([removed], ['Succeeded', 'Failed']))[0]?.status).toBe('Succeeded');
    expect(await item()).toBeUndefined();
    const err = await h
      .call('rc_UpdateContact', { profile_name: PROFILE, target_job_id: created, surname: 'Gone' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).number).toBe(50065);
  }, 60000);

  it('an update of a failed create job fails permanently (not_found) without touching Exchange', async () => {
    h = await startHarness();
    const created = await createContact(h, { given_name: 'Di', surname: 'Failing' });
    const update = (await h.call('rc_UpdateContact', {
      profile_name: PROFILE,
      target_job_id: created,
      surname: 'Later',
    })) as string;
    // The create job fails after the update was enqueued (the procedure only refuses already-failed ones).
    await h.sql.query(`UPDATE rc.Jobs SET Status = 'Failed', LastErrorCode = 'x' WHERE JobId = $1`, [
      created,
    ]);
    await h.startWorker();
    const [row] = await h.waitFor([update], ['Succeeded', 'Failed']);
    expect(row).toMatchObject({ status: 'Failed', attempts: 1, lasterrorcode: 'not_found' });
    expect(await contacts(h)).toHaveLength(0);
  }, 30000);
});
