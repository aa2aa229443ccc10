/**
 * What a SyncFolder job has to do, decided from the desired items and the marked items Exchange holds — pure, so
 * every rule is unit-tested without Exchange:
 * - a desired item with no marked item of its external key → create;
 * - a desired item whose marker differs in some fields → update those fields only;
 * - a desired item whose marker matches → unchanged (no request at all);
 * - a marked item whose key is not desired → delete;
 * - several marked items with one key (two runs racing, or a copy made in Outlook) → the first listed is kept
 *   and compared, the others deleted.
 * External keys compare exactly (case and spaces count), as rc_SyncFolder checked their uniqueness.
 */
import type { ItemRef, MarkedItem } from '../exchange/gateway';
import { changedFields } from './sync-marker';

export interface DesiredItem {
  externalKey: string;
  fields: Record<string, unknown>;
}

export type SyncAction =
  | { op: 'create'; externalKey: string; fields: Record<string, unknown> }
  | {
      op: 'update';
      externalKey: string;
      ref: ItemRef;
      /** Only the fields that differ from the marker. */
      changes: Record<string, unknown>;
      /** The whole desired item: the new marker is computed from it. */
      fields: Record<string, unknown>;
    }
  | { op: 'delete'; externalKey: string; ref: ItemRef; duplicate: boolean };

export interface SyncPlan {
  /** Creates first, then updates, then deletes (a crash leaves the folder with extra, never missing, items). */
  actions: SyncAction[];
  unchanged: number;
}

export function planSync(desired: readonly DesiredItem[], marked: readonly MarkedItem[]): SyncPlan {
  const byKey = new Map<string, MarkedItem>();
  const deletes: SyncAction[] = [];
  for (const item of marked) {
    const key = item.marker.externalKey;
    if (byKey.has(key)) deletes.push({ op: 'delete', externalKey: key, ref: item.ref, duplicate: true });
    else byKey.set(key, item);
  }
  const creates: SyncAction[] = [];
  const updates: SyncAction[] = [];
  let unchanged = 0;
  const wanted = new Set<string>();
  for (const item of desired) {
    wanted.add(item.externalKey);
    const existing = byKey.get(item.externalKey);
    if (!existing) {
      creates.push({ op: 'create', externalKey: item.externalKey, fields: item.fields });
      continue;
    }
    const changes = changedFields(item.fields, existing.marker.appliedFields);
    if (changes === null) unchanged++;
    else
      updates.push({
        op: 'update',
        externalKey: item.externalKey,
        ref: existing.ref,
        changes,
        fields: item.fields,
      });
  }
  for (const [key, item] of byKey) {
    if (!wanted.has(key)) deletes.push({ op: 'delete', externalKey: key, ref: item.ref, duplicate: false });
  }
  return { actions: [...creates, ...updates, ...deletes], unchanged };
}
