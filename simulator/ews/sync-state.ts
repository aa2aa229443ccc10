/**
 * SyncState for SyncFolderItems / SyncFolderHierarchy: opaque base64 of a gzip blob (Exchange's start "H4sI"
 * too) naming what is synchronised (item sync: the folder; hierarchy sync: the sync root), the change log's
 * generation and the position in it. Anything that does not decode to a state for the same target and a position
 * the log has reached is ErrorInvalidSyncStateData.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ChangeLog, ChangeEntry } from '../model';
import { EwsError } from './ews-error';

export type SyncKind = 'items' | 'hierarchy';

interface Decoded {
  v: 1;
  k: SyncKind;
  t: string;
  g: number;
  s: number;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function invalidSyncState(): EwsError {
  return new EwsError(
    'ErrorInvalidSyncStateData',
    'Synchronization state data is corrupt or otherwise invalid.',
  );
}

export function encodeSyncState(
  kind: SyncKind,
  target: string,
  log: ChangeLog<ChangeEntry>,
  seq: number,
): string {
  const state: Decoded = { v: 1, k: kind, t: target, g: log.generation, s: seq };
  return gzipSync(Buffer.from(JSON.stringify(state), 'utf8')).toString('base64');
}

/** The log position a client's SyncState stands for; 0 for an initial sync (no or empty state). */
export function decodeSyncState(
  text: string | undefined,
  kind: SyncKind,
  target: string,
  log: ChangeLog<ChangeEntry>,
): number {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return 0;
  if (!BASE64.test(trimmed)) throw invalidSyncState();
  let state: Partial<Decoded>;
  try {
    state = JSON.parse(gunzipSync(Buffer.from(trimmed, 'base64')).toString('utf8')) as Partial<Decoded>;
  } catch {
    throw invalidSyncState();
  }
  if (
    state.v !== 1 ||
    state.k !== kind ||
    state.t !== target ||
    state.g !== log.generation ||
    typeof state.s !== 'number' ||
    !Number.isInteger(state.s) ||
    state.s < 0 ||
    state.s > log.seq
  ) {
    throw invalidSyncState();
  }
  return state.s;
}
