/**
 * rc_SyncFolder end to end (SQL → worker → simulator): what Exchange holds after each set, checked through the
 * simulator's admin API, and how many writes each set cost (GET /_sim/stats per-operation counters).
 */
import type { AdminItem } from '../../simulator';
import type { ApiParams, SyncItemParam } from '../../worker/db/api-client';
import { RcError } from '../../worker/errors';
import { PROFILE, SENDER, startHarness, type Harness } from '../helpers/worker-harness';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const WRITES = ['CreateItem', 'UpdateItem', 'DeleteItem'] as const;

function marker(item: AdminItem, name: string): string | undefined {
  const prop = item.extendedProperties.find((p) => p.propertyName === name);
  return prop === undefined ? undefined : String(prop.value);
}

/** The write operations the simulator counted for the sender mailbox so far. */
async function writes(harness: Harness): Promise<Record<(typeof WRITES)[number], number>> {
  const res = await fetch(`${harness.sim.url}/_sim/stats`);
  const stats = (await res.json()) as { mailboxes: Record<string, { operations: Record<string, number> }> };
  const operations = stats.mailboxes[SENDER]?.operations ?? {};
  return Object.fromEntries(WRITES.map((op) => [op, operations[op] ?? 0])) as Record<
    (typeof WRITES)[number],
    number
  >;
}

async function sync(harness: Harness, params: ApiParams): Promise<{ id: string; message: string }> {
  const id = (await harness.call('rc_SyncFolder', { profile_name: PROFILE, ...params })) as string;
  const [row] = await harness.waitFor([id], ['Succeeded', 'Failed']);
  expect(row).toMatchObject({ status: 'Succeeded', lasterror: null });
  const r = await harness.sql.query<{ resultmessage: string }>(
    'SELECT resultmessage FROM rc.rc_getjob(job_id => $1)',
    [id],
  );
  return { id, message: r.rows[0]!.resultmessage };
}

const customer = (key: string, surname: string, email: string): SyncItemParam => ({
  external_key: key,
  item: { given_name: 'Customer', surname, company_name: 'ACME', email_address1: email },
});

describe('rc_SyncFolder through the worker', () => {
  it('contacts: the folder holds exactly the set; a change touches one item; a removal deletes one; a repeat writes nothing; unmarked items stay', async () => {
    h = await startHarness();
    await h.startWorker();
    // Someone's own contact in the same folder, not made by rc_SyncFolder.
    const manualJob = (await h.call('rc_CreateContact', {
      profile_name: PROFILE,
      given_name: 'Manual',
      surname: 'Entry',
      folder_name: 'Customers',
    })) as string;
    const [manualRow] = await h.waitFor([manualJob], ['Succeeded']);
    const manual = (await h.items(SENDER)).find((i) => i.id === manualRow!.resultitemid)!;
    expect(manual.contact).toMatchObject({ givenName: 'Manual' });
    /** The items of the Customers folder (deleted ones move to Deleted Items). */
    const folderItems = async () => (await h!.items(SENDER)).filter((i) => i.folder === manual.folder);

    const set = [
      customer('c-1', 'Alpha', 'alpha@example.com'),
      customer('c-2', 'Beta', 'beta@example.com'),
      customer('c-3', 'Gamma', 'gamma@example.com'),
    ];
    const first = await sync(h, { kind: 'contacts', folder_name: 'Customers', items: set });
    expect(first.message).toBe('created 3, updated 0, deleted 0, unchanged 0');
    let items = await folderItems();
    expect(items).toHaveLength(4);
    const byKey = (list: AdminItem[]) =>
      new Map(list.filter((i) => marker(i, 'rcSyncKey')).map((i) => [marker(i, 'rcSyncKey')!, i]));
    let synced = byKey(items);
    expect([...synced.keys()].sort()).toEqual(['c-1', 'c-2', 'c-3']);
    expect(synced.get('c-2')?.contact).toMatchObject({
      givenName: 'Customer',
      surname: 'Beta',
      companyName: 'ACME',
    });
    expect(new Set(items.map((i) => i.folder)).size).toBe(1);
    for (const item of synced.values()) {
      expect(marker(item, 'rcSyncSet')).toBe(`contacts:${SENDER}:named:customers`);
      expect(marker(item, 'rcJobId')).toBe(first.id);
    }

    // One field of one item changes: one UpdateItem, the other items keep their ChangeKey.
    const before = await writes(h);
    const changed = [set[0]!, customer('c-2', 'Beta-Berg', 'beta@example.com'), set[2]!];
    const second = await sync(h, { kind: 'contacts', folder_name: 'Customers', items: changed });
    expect(second.message).toBe('created 0, updated 1, deleted 0, unchanged 2');
    expect(await writes(h)).toEqual({ ...before, UpdateItem: before.UpdateItem + 1 });
    items = await folderItems();
    const afterChange = byKey(items);
    expect(afterChange.get('c-2')?.contact?.surname).toBe('Beta-Berg');
    expect(afterChange.get('c-2')?.id).toBe(synced.get('c-2')?.id);
    expect(afterChange.get('c-2')?.changeKey).not.toBe(synced.get('c-2')?.changeKey);
    expect(marker(afterChange.get('c-2')!, 'rcLastJobId')).toBe(second.id);
    for (const key of ['c-1', 'c-3'])
      expect(afterChange.get(key)?.changeKey).toBe(synced.get(key)?.changeKey);
    synced = afterChange;

    // One item leaves the set: deleted; the unmarked contact stays untouched.
    const third = await sync(h, {
      kind: 'contacts',
      folder_name: 'Customers',
      items: [changed[0]!, changed[1]!],
    });
    expect(third.message).toBe('created 0, updated 0, deleted 1, unchanged 2');
    items = await folderItems();
    expect([...byKey(items).keys()].sort()).toEqual(['c-1', 'c-2']);
    const manualNow = items.find((i) => i.id === manual.id);
    expect(manualNow?.changeKey).toBe(manual.changeKey);

    // The same set again: no write at all.
    const quiet = await writes(h);
    const fourth = await sync(h, {
      kind: 'contacts',
      folder_name: 'Customers',
      items: [changed[0]!, changed[1]!],
    });
    expect(fourth.message).toBe('created 0, updated 0, deleted 0, unchanged 2');
    expect(await writes(h)).toEqual(quiet);

    // An empty set (allowed explicitly) removes the synced items, never the manual one.
    const fifth = await sync(h, { kind: 'contacts', folder_name: 'Customers', items: [], allow_empty: true });
    expect(fifth.message).toBe('created 0, updated 0, deleted 2, unchanged 0');
    expect((await folderItems()).map((i) => i.id)).toEqual([manual.id]);
  }, 60000);

  it('a retry after a crash creates nothing twice: items an earlier attempt made are found by their marker', async () => {
    h = await startHarness();
    // The first attempt creates two of three contacts, then the worker "dies" (throttled for good); the retry
    // must find those two and create only the third.
    let creates = 0;
    const crashing = Object.create(h.gateway) as typeof h.gateway;
    crashing.createItem = async (mailbox, request) => {
      if (++creates === 3) throw new RcError('network', 'connection dropped', { retryable: true });
      return h!.gateway.createItem(mailbox, request);
    };
    await h.startWorker({ gateway: crashing });
    const set = [
      customer('r-1', 'One', 'one@example.com'),
      customer('r-2', 'Two', 'two@example.com'),
      customer('r-3', 'Three', 'three@example.com'),
    ];
    const id = (await h.call('rc_SyncFolder', {
      profile_name: PROFILE,
      kind: 'contacts',
      items: set,
    })) as string;
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed'], 30000);
    expect(row).toMatchObject({ status: 'Succeeded', attempts: 2 });
    const contacts = (await h.items(SENDER, 'contacts')).filter((i) => marker(i, 'rcSyncKey'));
    expect(contacts.map((i) => marker(i, 'rcSyncKey')).sort()).toEqual(['r-1', 'r-2', 'r-3']);
    const r = await h.sql.query('SELECT resultmessage FROM rc.rc_getjob(job_id => $1)', [id]);
    expect(r.rows[0].resultmessage).toMatch(/^created 1, updated 0, deleted 0, unchanged 2$/);
  }, 45000);

  it('an older set that comes back after a newer one (a retry, say) changes nothing', async () => {
    h = await startHarness();
    const older = (await h.call('rc_SyncFolder', {
      profile_name: PROFILE,
      kind: 'contacts',
      items: [customer('o-1', 'Old', 'old@example.com')],
    })) as string;
    const newer = (await h.call('rc_SyncFolder', {
      profile_name: PROFILE,
      kind: 'contacts',
      items: [customer('n-1', 'New', 'new@example.com')],
    })) as string;
    // The newer call cancelled the older job; had that one been running then, it would come back for a retry.
    expect((await h.job(older)).status).toBe('Cancelled');
    await h.sql.query("UPDATE rc.Jobs SET Status = 'Pending' WHERE JobId = $1", [older]);
    await h.startWorker();
    await h.waitFor([older, newer], ['Succeeded']);
    const r = await h.sql.query<{ jobid: string; resultmessage: string }>(
      'SELECT g.jobid::text, g.resultmessage FROM rc.jobs j CROSS JOIN LATERAL rc.rc_getjob(job_id => j.jobid) AS g ORDER BY g.jobid',
    );
    expect(r.rows.map((row) => row.resultmessage)).toEqual([
      `skipped: job ${newer} holds a newer set for this folder`,
      'created 1, updated 0, deleted 0, unchanged 0',
    ]);
    const keys = (await h.items(SENDER, 'contacts')).map((i) => marker(i, 'rcSyncKey'));
    expect(keys).toEqual(['n-1']);
  }, 45000);

  it('tasks: the default Tasks folder holds exactly the set', async () => {
    h = await startHarness();
    await h.startWorker();
    const tasks = await sync(h, {
      kind: 'tasks',
      items: [
        { external_key: 't-1', item: { subject: 'Call ACME', due_date: '2026-06-01' } },
        { external_key: 't-2', item: { subject: 'Send offer', status: 'InProgress', percent_complete: 50 } },
      ],
    });
    expect(tasks.message).toBe('created 2, updated 0, deleted 0, unchanged 0');
    const taskItems = (await h.items(SENDER, 'tasks')).filter((i) => marker(i, 'rcSyncKey'));
    expect(taskItems.map((i) => [marker(i, 'rcSyncKey'), i.subject]).sort()).toEqual([
      ['t-1', 'Call ACME'],
      ['t-2', 'Send offer'],
    ]);
    expect(taskItems.find((i) => i.subject === 'Send offer')?.task).toMatchObject({ percentComplete: 50 });
    const done = await sync(h, {
      kind: 'tasks',
      items: [{ external_key: 't-2', item: { subject: 'Send offer', status: 'Completed' } }],
    });
    expect(done.message).toBe('created 0, updated 1, deleted 1, unchanged 0');
    const left = (await h.items(SENDER, 'tasks')).filter((i) => marker(i, 'rcSyncKey'));
    expect(left.map((i) => [marker(i, 'rcSyncKey'), i.task?.percentComplete])).toEqual([['t-2', 100]]);
  }, 60000);

  it('calendar: a named calendar (the production plan) holds exactly the set, in the right time zone', async () => {
    h = await startHarness();
    await h.startWorker();

    const plan = [
      {
        external_key: 'shift-1',
        item: {
          subject: 'Line 1: early shift',
          start_time: '2026-05-04T06:00:00',
          end_time: '2026-05-04T14:00:00',
          time_zone: 'Europe/Berlin',
        },
      },
      {
        external_key: 'shift-2',
        item: {
          subject: 'Line 1: late shift',
          start_time: '2026-05-04T14:00:00',
          end_time: '2026-05-04T22:00:00',
          time_zone: 'W. Europe Standard Time',
        },
      },
    ];
    const calendar = await sync(h, { kind: 'calendar', folder_name: 'Production plan', items: plan });
    expect(calendar.message).toBe('created 2, updated 0, deleted 0, unchanged 0');
    const shifts = (await h.items(SENDER)).filter((i) => i.calendar && marker(i, 'rcSyncKey'));
    expect(shifts.map((i) => i.subject).sort()).toEqual(['Line 1: early shift', 'Line 1: late shift']);
    const early = shifts.find((i) => marker(i, 'rcSyncKey') === 'shift-1')!;
    expect(new Date(String((early.calendar as { start: unknown }).start)).toISOString()).toBe(
      '2026-05-04T04:00:00.000Z',
    );
    // Moving one shift: one update; repeating: nothing.
    const moved = [{ ...plan[0]!, item: { ...plan[0]!.item, end_time: '2026-05-04T13:30:00' } }, plan[1]!];
    const before = await writes(h);
    const again = await sync(h, { kind: 'calendar', folder_name: 'Production plan', items: moved });
    expect(again.message).toBe('created 0, updated 1, deleted 0, unchanged 1');
    expect(await writes(h)).toEqual({ ...before, UpdateItem: before.UpdateItem + 1 });
    const repeat = await sync(h, { kind: 'calendar', folder_name: 'Production plan', items: moved });
    expect(repeat.message).toBe('created 0, updated 0, deleted 0, unchanged 2');
  }, 60000);
});
