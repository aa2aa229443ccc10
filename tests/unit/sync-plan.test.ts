/**
 * planSync: what a SyncFolder job does for each combination of desired and marked items.
 */
import type { MarkedItem } from '../../worker/exchange/gateway';
import { encodeAppliedFields } from '../../worker/jobs/sync-marker';
import { planSync, type DesiredItem } from '../../worker/jobs/sync-plan';

const SET = 'contacts:a@example.com:default';
const desired = (externalKey: string, fields: Record<string, unknown>): DesiredItem => ({
  externalKey,
  fields,
});
const marked = (id: string, externalKey: string, fields: Record<string, unknown> | string): MarkedItem => ({
  ref: { itemId: id, changeKey: `ck-${id}` },
  marker: {
    setKey: SET,
    externalKey,
    appliedFields: typeof fields === 'string' ? fields : encodeAppliedFields(fields),
  },
});

describe('planSync', () => {
  it('an empty folder: every desired item is created', () => {
    const plan = planSync([desired('a', { surname: 'A' }), desired('b', { surname: 'B' })], []);
    expect(plan).toEqual({
      actions: [
        { op: 'create', externalKey: 'a', fields: { surname: 'A' } },
        { op: 'create', externalKey: 'b', fields: { surname: 'B' } },
      ],
      unchanged: 0,
    });
  });

  it('the same set again: nothing to do', () => {
    const items = [desired('a', { surname: 'A' }), desired('b', { surname: 'B' })];
    const plan = planSync(items, [marked('1', 'a', { surname: 'A' }), marked('2', 'b', { surname: 'B' })]);
    expect(plan).toEqual({ actions: [], unchanged: 2 });
  });

  it('creates first, then updates with only the changed fields, then deletes', () => {
    const plan = planSync(
      [
        desired('b', { surname: 'B2', givenName: 'Bo' }),
        desired('c', { surname: 'C' }),
        desired('a', { surname: 'A' }),
      ],
      [
        marked('1', 'a', { surname: 'A' }),
        marked('2', 'b', { surname: 'B', givenName: 'Bo' }),
        marked('9', 'gone', { surname: 'G' }),
      ],
    );
    expect(plan.unchanged).toBe(1);
    expect(plan.actions).toEqual([
      { op: 'create', externalKey: 'c', fields: { surname: 'C' } },
      {
        op: 'update',
        externalKey: 'b',
        ref: { itemId: '2', changeKey: 'ck-2' },
        changes: { surname: 'B2' },
        fields: { surname: 'B2', givenName: 'Bo' },
      },
      { op: 'delete', externalKey: 'gone', ref: { itemId: '9', changeKey: 'ck-9' }, duplicate: false },
    ]);
  });

  it('an empty set deletes every marked item', () => {
    const plan = planSync([], [marked('1', 'a', {}), marked('2', 'b', {})]);
    expect(plan.actions.map((a) => [a.op, a.externalKey])).toEqual([
      ['delete', 'a'],
      ['delete', 'b'],
    ]);
  });

  it('two marked items with one key: the first listed is kept and compared, the other deleted', () => {
    const plan = planSync(
      [desired('a', { surname: 'A' })],
      [marked('1', 'a', { surname: 'A' }), marked('2', 'a', { surname: 'old' })],
    );
    expect(plan).toEqual({
      actions: [{ op: 'delete', externalKey: 'a', ref: { itemId: '2', changeKey: 'ck-2' }, duplicate: true }],
      unchanged: 1,
    });
  });

  it('keys are exact: another case or a trailing space is another item', () => {
    const plan = planSync([desired('A', {}), desired('a ', {})], [marked('1', 'a', {})]);
    expect(plan.actions.map((a) => [a.op, a.externalKey])).toEqual([
      ['create', 'A'],
      ['create', 'a '],
      ['delete', 'a'],
    ]);
  });

  it('an unreadable marker rewrites the whole item once', () => {
    const plan = planSync([desired('a', { surname: 'A', givenName: 'Al' })], [marked('1', 'a', 'not json')]);
    expect(plan.actions).toEqual([
      expect.objectContaining({ op: 'update', changes: { surname: 'A', givenName: 'Al' } }),
    ]);
  });
});
