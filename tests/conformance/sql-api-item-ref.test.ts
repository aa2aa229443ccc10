/**
 * The shared item reference (rc_internal_ResolveItemRef / rc.fn_resolveitemref) when an rc_Update* / rc_Delete*
 * call names the item by its Exchange ItemId, for every item kind and every configured database: an ItemId a
 * create job of the same profile and kind recorded (rc.Jobs.ResultItemId) addresses that job exactly like
 * @target_job_id would (TargetJobId set, payload itemId null, so the worker uses and records the item's
 * ChangeKey), with the job rules (50064) and the deleted-item rule (50065); any other ItemId is passed on as
 * before. The create job's result is written straight into its row, as the worker records it.
 */
import type { ApiParams, ApiProcedure } from './api-driver';
import { factories, useApiFixture, type Profile } from './conformance-fixture';
import { ITEM_KINDS as KINDS } from './item-reference-cases';

describe.each(factories)('item reference by @item_id on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  const { refused } = fx;
  let profile: Profile;
  let other: Profile;
  let itemCounter = 0;

  beforeAll(async () => {
    profile = await fx.newProfile();
    other = await fx.newProfile();
  });

  /** An ItemId unique to this run (Exchange ids are base64: mixed case, '=' padding). */
  const newItemId = () => `AAMkAGI2Tm${fx.run}Id${++itemCounter}AAA=`;

  const jobRow = async (jobId: string) =>
    (await fx.owner.select('SELECT Kind, TargetJobId FROM rc.Jobs WHERE JobId = ?', [jobId]))[0];

  /** The worker's record of a finished create job: its status and the ItemId/ChangeKey it recorded. */
  const finish = (jobId: string, status: string, itemId: string) =>
    fx.owner.select(
      'UPDATE rc.Jobs SET Status = ?, ResultItemId = ?, ResultChangeKey = ?, CompletedAt = ? WHERE JobId = ?',
      [status, itemId, 'CK1', new Date(), jobId],
    );

  describe.each(KINDS)('$noun', (kind) => {
    const call = (proc: ApiProcedure, params: ApiParams, p: Profile = profile) =>
      fx.owner.call(proc, { profile_name: p.name, ...params }) as Promise<string>;
    /** A create job that succeeded and recorded `itemId`. */
    const created = async (itemId: string, p: Profile = profile, status = 'Succeeded') => {
      const jobId = await call(kind.create, kind.createParams, p);
      await finish(jobId, status, itemId);
      return jobId;
    };

    test('the ItemId a create job recorded addresses that job: TargetJobId set, no payload itemId', async () => {
      const itemId = newItemId();
      const createJob = await created(itemId);

      const byItem = await call(kind.update, { item_id: `  ${itemId}  `, ...kind.change });
      expect(await jobRow(byItem)).toEqual({ kind: kind.update.slice(3), targetjobid: createJob });
      expect(await fx.payloadOf(byItem)).toMatchObject({ itemId: null, onConflict: 'fail' });

      // The same row as an update by job id writes (the worker cannot tell them apart).
      const byJob = await call(kind.update, { target_job_id: createJob, ...kind.change });
      expect(await jobRow(byJob)).toEqual(await jobRow(byItem));
      expect(await fx.payloadOf(byJob)).toEqual(await fx.payloadOf(byItem));

      const removed = await call(kind.remove, { item_id: itemId, force: true });
      expect(await jobRow(removed)).toEqual({ kind: kind.remove.slice(3), targetjobid: createJob });
      expect(await fx.payloadOf(removed)).toMatchObject({ itemId: null, onConflict: 'overwrite' });
    });

    test('a pending create job has recorded no ItemId yet: the id is passed on as before', async () => {
      const itemId = newItemId();
      const pending = await call(kind.create, kind.createParams);
      const byItem = await call(kind.update, { item_id: itemId, ...kind.change });
      expect(await jobRow(byItem)).toEqual({ kind: kind.update.slice(3), targetjobid: null });
      expect(await fx.payloadOf(byItem)).toMatchObject({ itemId });
      expect((await jobRow(pending))?.targetjobid).toBeNull();
    });

    test('only a create job of this kind and this profile counts, and ItemIds compare case-sensitively', async () => {
      const itemId = newItemId();
      await created(itemId, other);
      const otherKind = KINDS.find((k) => k !== kind)!;
      const otherKindJob = await call(otherKind.create, otherKind.createParams);
      await finish(otherKindJob, 'Succeeded', itemId);
      const mine = newItemId();
      await created(mine);

      for (const given of [itemId, mine.toLowerCase(), mine.toUpperCase()]) {
        const byItem = await call(kind.update, { item_id: given, ...kind.change });
        expect(await jobRow(byItem)).toEqual({ kind: kind.update.slice(3), targetjobid: null });
        expect(await fx.payloadOf(byItem)).toMatchObject({ itemId: given });
      }
    });

    test('the create job of that ItemId Failed or Cancelled → 50064, as for @target_job_id', async () => {
      for (const status of ['Failed', 'Cancelled']) {
        const itemId = newItemId();
        const createJob = await created(itemId, profile, status);
        await refused(
          () => call(kind.update, { item_id: itemId, ...kind.change }),
          50064,
          `rc_${kind.update.slice(3)}: ${kind.createKind} job ${createJob} is ${status}`,
          `no ${kind.noun} to change or delete`,
        );
        await refused(() => call(kind.remove, { item_id: itemId }), 50064, `job ${createJob} is ${status}`);
      }
    });

    test('deleted by ItemId or by job: every later reference is 50065, whichever way it names the item', async () => {
      const itemId = newItemId();
      const createJob = await created(itemId);
      const removed = await call(kind.remove, { item_id: itemId });
      const deleteKind = kind.remove.slice(3);
      for (const ref of [{ item_id: itemId }, { target_job_id: createJob }] as ApiParams[]) {
        await refused(
          () => call(kind.update, { ...ref, ...kind.change }),
          50065,
          `${deleteKind} job ${removed}`,
        );
        await refused(() => call(kind.remove, ref), 50065, `${deleteKind} job ${removed}`);
      }

      // A delete by job id blocks a later reference by ItemId just the same.
      const second = newItemId();
      const secondJob = await created(second);
      const byJob = await call(kind.remove, { target_job_id: secondJob });
      await refused(() => call(kind.update, { item_id: second, ...kind.change }), 50065, `job ${byJob}`);
    });

    test('an ItemId no create job recorded: passed on unchanged, no TargetJobId', async () => {
      const itemId = newItemId();
      const byItem = await call(kind.update, { item_id: ` ${itemId}`, ...kind.change });
      expect(await jobRow(byItem)).toEqual({ kind: kind.update.slice(3), targetjobid: null });
      expect(await fx.payloadOf(byItem)).toMatchObject({ itemId });
      const removed = await call(kind.remove, { item_id: itemId });
      expect(await fx.payloadOf(removed)).toMatchObject({ itemId });
      await refused(() => call(kind.update, { item_id: itemId, ...kind.change }), 50065, `job ${removed}`);
    });
  });
});
