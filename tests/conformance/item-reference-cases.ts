/**
 * The item kinds of the rc_Create* / rc_Update* / rc_Delete* procedures, and the cases the contact and the task
 * suites share word for word: a create call's correlation key, profile checks and transaction; an update's item
 * reference (@target_job_id, @correlation_key, @item_id: 50060 … 50065, 50024) and profile checks; a delete's job,
 * payload and errors. A suite registers them inside its own describe, on its own database (its ApiFixture).
 */
import type { ApiParams } from './api-driver';
import type { ApiFixture, Profile } from './conformance-fixture';

type Noun = 'Appointment' | 'Contact' | 'Task';

export interface ItemKind {
  /** 'appointment', 'contact', 'task' (as the error messages name the item). */
  noun: string;
  createKind: `Create${Noun}`;
  create: `rc_Create${Noun}`;
  update: `rc_Update${Noun}`;
  remove: `rc_Delete${Noun}`;
  /** The least a create call needs. */
  createParams: ApiParams;
  /** One field an update call changes. */
  change: ApiParams;
}

function itemKind(noun: Noun, createParams: ApiParams, change: ApiParams): ItemKind {
  return {
    noun: noun.toLowerCase(),
    createKind: `Create${noun}`,
    create: `rc_Create${noun}`,
    update: `rc_Update${noun}`,
    remove: `rc_Delete${noun}`,
    createParams,
    change,
  };
}

export const APPOINTMENT = itemKind(
  'Appointment',
  { start_time: '2026-05-04T09:00:00Z', end_time: '2026-05-04T10:00:00Z' },
  { subject: 'Changed' },
);
export const CONTACT = itemKind('Contact', { given_name: 'Ada', surname: 'Ref' }, { surname: 'Changed' });
export const TASK = itemKind('Task', { subject: 'Ref' }, { subject: 'Changed' });
export const ITEM_KINDS: ItemKind[] = [APPOINTMENT, CONTACT, TASK];

/** The suite whose cases these are: its fixture, the kind under test, another kind, the suite's profile. */
export interface ItemSuite {
  fx: ApiFixture;
  kind: ItemKind;
  /** A kind whose create jobs are no target for `kind` (same correlation key, wrong target_job_id). */
  other: ItemKind;
  profile: () => Profile;
}

/** Calls `proc` as the owner for `p` (the suite's profile unless given). */
function caller({ fx, profile }: ItemSuite) {
  return (proc: ItemKind['create' | 'update' | 'remove'], params: ApiParams, p: Profile = profile()) =>
    fx.owner.call(proc, { profile_name: p.name, ...params }) as Promise<string>;
}

/** The kind's three procedures as the owner for `p` (the suite's profile unless given), params as given. */
export function itemCalls(suite: ItemSuite) {
  const { kind } = suite;
  const call = caller(suite);
  return {
    create: (params: ApiParams, p?: Profile) => call(kind.create, params, p),
    update: (params: ApiParams, p?: Profile) => call(kind.update, params, p),
    remove: (params: ApiParams, p?: Profile) => call(kind.remove, params, p),
  };
}

/**
 * What a create call with no folder must have queued: one Pending job of the kind for the suite's profile, the
 * default folder, these fields, one enqueued event.
 */
export async function expectQueuedCreate(suite: ItemSuite, id: string, fields: unknown): Promise<void> {
  const { fx, kind, profile } = suite;
  expect(id).toMatch(/^\d+$/);
  expect(await fx.job(id)).toEqual(fx.pendingJob(kind.createKind, profile()));
  expect(await fx.payloadOf(id)).toEqual({ folder: { owner: null, location: { kind: 'default' } }, fields });
  expect(await fx.owner.select('SELECT EventType, Status FROM rc.JobEvents WHERE JobId = ?', [id])).toEqual([
    { eventtype: 'enqueued', status: 'Pending' },
  ]);
}

/** rc_Create<Kind>: idempotency by correlation key, the profile checks, the caller's transaction. */
export function createCallCases(suite: ItemSuite): void {
  const { fx, kind, other, profile } = suite;
  const call = caller(suite);
  const create = (params: ApiParams, p?: Profile) =>
    call(kind.create, { ...kind.createParams, ...params }, p);

  test('correlation_key: the same key returns the same job and writes nothing; 200 ok, 201 refused (50024)', async () => {
    const key = `${kind.noun}-${fx.run}`;
    const first = await create({ correlation_key: key });
    const before = await fx.totals();
    expect(await create({ ...kind.change, correlation_key: key })).toBe(first);
    expect(await fx.totals()).toEqual(before);
    expect((await fx.job(first))?.correlationkey).toBe(key);
    // The key is per kind: another kind's job with the same key is another job.
    expect(await call(other.create, { ...other.createParams, correlation_key: key })).not.toBe(first);
    expect((await fx.job(await create({ correlation_key: '' })))?.correlationkey).toBeNull();
    const long = 'k'.repeat(200);
    expect((await fx.job(await create({ correlation_key: long })))?.correlationkey).toBe(long);
    await fx.refused(
      () => create({ correlation_key: 'k'.repeat(201) }),
      50024,
      `${kind.create}: @correlation_key is 201 characters long`,
    );
  });

  test('profile checks (50001, 50002, 50003, 50004: the write right)', async () => {
    await fx.refused(
      () => fx.owner.call(kind.create, kind.createParams),
      50001,
      `${kind.create}: @profile_name`,
    );
    await fx.refused(() => create({ profile_name: `nope_${fx.run}` }), 50002);
    const disabled = await fx.newProfile();
    await fx.owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [
      false,
      Number(disabled.id),
    ]);
    await fx.refused(() => create({}, disabled), 50003);
    const asCaller = { profile_name: profile().name, ...kind.createParams };
    const reader = await fx.principal(profile(), { can_write: false });
    await fx.refused(() => reader.call(kind.create, asCaller), 50004);
    const stranger = await fx.principal(profile(), null);
    await fx.refused(() => stranger.call(kind.create, asCaller), 50004);
    const writer = await fx.principal(profile(), { can_write: true });
    expect(await writer.call(kind.create, asCaller)).toMatch(/^\d+$/);
  });

  test("joins the caller's transaction: a rollback enqueues nothing", async () => {
    const before = await fx.totals();
    await fx.owner.inRolledBackTransaction(async (tx) => {
      await tx.call(kind.create, { profile_name: profile().name, ...kind.createParams });
    });
    expect(await fx.totals()).toEqual(before);
  });
}

/** rc_Update<Kind>: every way the item reference fails, and the profile checks. */
export function updateReferenceCases(suite: ItemSuite): void {
  const { fx, kind, other, profile } = suite;
  const call = caller(suite);
  const update = (params: ApiParams, p?: Profile) => call(kind.update, { ...kind.change, ...params }, p);

  test('item reference errors (50060 … 50065)', async () => {
    const key = `ref-${kind.noun}-${fx.run}`;
    const created = await call(kind.create, { ...kind.createParams, correlation_key: key });
    await fx.refused(() => update({}), 50060, `${kind.update}: none of @target_job_id`);
    await fx.refused(() => update({ target_job_id: created, correlation_key: key }), 50060);
    await fx.refused(() => update({ target_job_id: '999999999' }), 50061, `is not a ${kind.createKind} job`);
    const otherJob = await call(other.create, other.createParams);
    await fx.refused(() => update({ target_job_id: otherJob }), 50061, `is not a ${kind.createKind} job`);
    const elsewhere = await fx.newProfile();
    await fx.refused(() => update({ target_job_id: created }, elsewhere), 50061);
    await fx.refused(() => update({ correlation_key: `none-${fx.run}` }), 50062);
    await fx.refused(() => update({ correlation_key: 'k'.repeat(201) }), 50024);
    await fx.refused(() => update({ item_id: '' }), 50063);
    await fx.refused(() => update({ item_id: '   ' }), 50063);
    await fx.refused(() => update({ item_id: 'i'.repeat(513) }), 50063);
    expect(await update({ item_id: 'i'.repeat(512) })).toMatch(/^\d+$/);
    const failed = await call(kind.create, kind.createParams);
    await fx.owner.select("UPDATE rc.Jobs SET Status = 'Failed' WHERE JobId = ?", [failed]);
    await fx.refused(() => update({ target_job_id: failed }), 50064, 'is Failed');
    const gone = await call(kind.create, kind.createParams);
    await call(kind.remove, { target_job_id: gone });
    await fx.refused(
      () => update({ target_job_id: gone }),
      50065,
      `the ${kind.noun} is already deleted or being deleted`,
    );
  });

  test('profile checks (50001 … 50004)', async () => {
    const created = await call(kind.create, kind.createParams);
    await fx.refused(() => fx.owner.call(kind.update, { target_job_id: created, ...kind.change }), 50001);
    await fx.refused(() => update({ profile_name: `nope_${fx.run}`, target_job_id: created }), 50002);
    const reader = await fx.principal(profile(), { can_write: false });
    await fx.refused(
      () =>
        reader.call(kind.update, { profile_name: profile().name, target_job_id: created, ...kind.change }),
      50004,
    );
  });
}

/** rc_Delete<Kind>: the job and payload by each reference, @force, a second delete; the errors. */
export function deleteCases(suite: ItemSuite): void {
  const { fx, kind, profile } = suite;
  const call = caller(suite);
  const remove = (params: ApiParams) => call(kind.remove, params);
  const deleteKind = kind.remove.slice(3);

  test(`by job, key or item id: one ${deleteKind} job; force → overwrite; a second delete is refused (50065)`, async () => {
    const key = `del-${fx.run}`;
    const a = await call(kind.create, { ...kind.createParams, correlation_key: key });
    const id = await remove({ correlation_key: key });
    expect(await fx.job(id)).toMatchObject({ kind: deleteKind, status: 'Pending', targetjobid: a });
    expect(await fx.payloadOf(id)).toEqual({ itemId: null, onConflict: 'fail', meetingNotice: 'none' });
    await fx.refused(
      () => remove({ target_job_id: a }),
      50065,
      `${kind.remove}: the ${kind.noun} is already deleted`,
    );

    const forceKey = `delf-${fx.run}`;
    const b = await call(kind.create, kind.createParams);
    const c = await call(kind.create, { ...kind.createParams, correlation_key: forceKey });
    for (const [target, ref] of [
      [b, { target_job_id: b }],
      [c, { correlation_key: forceKey }],
    ] as const) {
      const forced = await remove({ ...ref, force: true });
      expect(await fx.job(forced)).toMatchObject({ kind: deleteKind, targetjobid: target });
      expect(await fx.payloadOf(forced)).toEqual({
        itemId: null,
        onConflict: 'overwrite',
        meetingNotice: 'none',
      });
    }

    const byItem = await remove({ item_id: ' AAMkDel= ' });
    expect((await fx.job(byItem))?.targetjobid).toBeNull();
    expect(await fx.payloadOf(byItem)).toEqual({
      itemId: 'AAMkDel=',
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    await fx.refused(() => remove({ item_id: 'AAMkDel=' }), 50065);
  });

  test('reference and profile errors', async () => {
    const a = await call(kind.create, kind.createParams);
    await fx.refused(() => remove({}), 50060, kind.remove);
    await fx.refused(() => remove({ target_job_id: a, item_id: 'x' }), 50060);
    await fx.refused(() => remove({ target_job_id: '999999999' }), 50061);
    await fx.refused(() => remove({ correlation_key: `none-${fx.run}` }), 50062);
    await fx.refused(() => remove({ correlation_key: 'k'.repeat(201) }), 50024);
    await fx.refused(() => remove({ item_id: 'i'.repeat(513) }), 50063);
    await fx.owner.select("UPDATE rc.Jobs SET Status = 'Cancelled' WHERE JobId = ?", [a]);
    await fx.refused(() => remove({ target_job_id: a }), 50064, 'is Cancelled');
    await fx.refused(() => fx.owner.call(kind.remove, { item_id: 'x' }), 50001);
    const stranger = await fx.principal(profile(), null);
    await fx.refused(() => stranger.call(kind.remove, { profile_name: profile().name, item_id: 'x' }), 50004);
  });
}
