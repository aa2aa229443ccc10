/**
 * The mailbox store as plain JSON and back (MailboxStore.serialise / restore): mailboxes with their passwords as
 * given (it is a simulator; nothing here logs them), folders and items with their ids and ChangeKeys, the change
 * logs with their positions (so SyncStates issued before a restart stay valid), grants and the outbound log.
 * Item fields are encoded generically (Dates and Buffers tagged) so fields added to the item model are kept.
 */
import type {
  ChangeLog,
  Folder,
  FolderChangeEntry,
  ItemChangeEntry,
  Mailbox,
  MailboxStats,
  OutboundRecord,
  StoredItem,
} from './model';

export const SNAPSHOT_FORMAT = 'rc-exchange-simulator-store';

/** The store's internals that a snapshot reads and rebuilds. */
export interface StoreInternals {
  mailboxes: Map<string, Mailbox>;
  publicFolders: Mailbox;
  items: Map<string, StoredItem>;
  folders: Map<string, Folder>;
  folderOwners: Map<Folder, Mailbox>;
  impersonators: Set<string>;
  sendAs: Map<string, Set<string>>;
  fullAccess: Map<string, Set<string>>;
  outbound: OutboundRecord[];
  index(item: StoredItem): void;
}

interface LogEntrySnapshot {
  key: string;
  seq: number;
  createdSeq: number;
  deleted: boolean;
  contentSeq?: number;
  /** Id of the live object the entry refers to (an item moved away keeps a Delete entry here). */
  live?: string;
  /** The object itself when it no longer exists (deleted). */
  tombstone?: unknown;
}

interface LogSnapshot {
  generation: number;
  seq: number;
  entries: LogEntrySnapshot[];
}

interface FolderSnapshot {
  name: string;
  distinguishedId?: Folder['distinguishedId'];
  displayName: string;
  folderClass: string;
  id: string;
  changeKey: string;
  parentId?: string;
  itemLog?: LogSnapshot;
  items?: unknown[];
}

interface MailboxSnapshot {
  address: string;
  key: string;
  displayName: string;
  password: string;
  guid: string;
  isPublic: boolean;
  stats: MailboxStats;
  hierarchyLog: LogSnapshot;
  folders: FolderSnapshot[];
}

export interface StoreSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: 1;
  mailboxes: MailboxSnapshot[];
  impersonators: string[];
  sendAs: Array<[string, string[]]>;
  /** Absent in files written before the FullAccess grant existed. */
  fullAccess?: Array<[string, string[]]>;
  outbound: OutboundRecord[];
}

const SKIPPED_ITEM_KEYS = new Set(['mailbox', 'folder']);

function encodeItem(item: StoredItem): unknown {
  return JSON.parse(
    JSON.stringify(item, function replacer(this: Record<string, unknown>, key: string, value: unknown) {
      if (SKIPPED_ITEM_KEYS.has(key) && this === (item as unknown)) return undefined;
      const raw = this[key];
      if (raw instanceof Date) return { $date: raw.toISOString() };
      if (Buffer.isBuffer(raw)) return { $base64: raw.toString('base64') };
      if (raw instanceof Map || raw instanceof Set) {
        throw new Error(
          `item field ${key} holds a ${raw.constructor.name}, which the data file cannot store`,
        );
      }
      return value;
    }),
  ) as unknown;
}

function decodeItem(encoded: unknown, mailbox: Mailbox, folder: Folder): StoredItem {
  const revived = JSON.parse(JSON.stringify(encoded), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$date === 'string') return new Date(o.$date);
      if (keys.length === 1 && typeof o.$base64 === 'string') return Buffer.from(o.$base64, 'base64');
    }
    return value;
  }) as Omit<StoredItem, 'mailbox' | 'folder'>;
  return { ...revived, mailbox, folder } as StoredItem;
}

function folderSnapshot(folder: Folder): FolderSnapshot {
  return {
    name: folder.name,
    distinguishedId: folder.distinguishedId,
    displayName: folder.displayName,
    folderClass: folder.folderClass,
    id: folder.id,
    changeKey: folder.changeKey,
    parentId: folder.parent?.id,
  };
}

export function snapshotStore(s: StoreInternals): StoreSnapshot {
  const mailboxes = [...s.mailboxes.entries(), ['', s.publicFolders] as const].map(([key, mailbox]) => {
    const hierarchyEntries = [...mailbox.hierarchyLog.entries.entries()].map(([k, e]) => ({
      key: k,
      seq: e.seq,
      createdSeq: e.createdSeq,
      deleted: e.deleted,
      ...(s.folders.get(e.folder.id) === e.folder
        ? { live: e.folder.id }
        : { tombstone: folderSnapshot(e.folder) }),
    }));
    return {
      address: mailbox.address,
      key,
      displayName: mailbox.displayName,
      password: mailbox.password,
      guid: mailbox.guid,
      isPublic: mailbox.isPublic,
      stats: mailbox.stats,
      hierarchyLog: {
        generation: mailbox.hierarchyLog.generation,
        seq: mailbox.hierarchyLog.seq,
        entries: hierarchyEntries,
      },
      folders: [...mailbox.folders.values()].map((folder) => ({
        ...folderSnapshot(folder),
        items: [...folder.items.values()].map(encodeItem),
        itemLog: {
          generation: folder.itemLog.generation,
          seq: folder.itemLog.seq,
          entries: [...folder.itemLog.entries.entries()].map(([k, e]) => ({
            key: k,
            seq: e.seq,
            createdSeq: e.createdSeq,
            contentSeq: e.contentSeq,
            deleted: e.deleted,
            ...(s.items.get(e.item.id) === e.item ? { live: e.item.id } : { tombstone: encodeItem(e.item) }),
          })),
        },
      })),
    };
  });
  return {
    format: SNAPSHOT_FORMAT,
    version: 1,
    mailboxes,
    impersonators: [...s.impersonators],
    sendAs: [...s.sendAs.entries()].map(([k, v]) => [k, [...v]]),
    fullAccess: [...s.fullAccess.entries()].map(([k, v]) => [k, [...v]]),
    outbound: [...s.outbound],
  };
}

function newFolder(f: FolderSnapshot): Folder {
  return {
    name: f.name,
    distinguishedId: f.distinguishedId,
    displayName: f.displayName,
    folderClass: f.folderClass,
    id: f.id,
    changeKey: f.changeKey,
    children: new Map(),
    items: new Map(),
    extendedIndex: new Map(),
    itemLog: { generation: 1, seq: 0, entries: new Map() },
  };
}

/** Throws with a reason when `data` is not a snapshot this version wrote. */
export function assertSnapshot(data: unknown): asserts data is StoreSnapshot {
  const d = data as Partial<StoreSnapshot> | null;
  if (!d || typeof d !== 'object' || d.format !== SNAPSHOT_FORMAT) {
    throw new Error(`not a simulator data file (no "format": "${SNAPSHOT_FORMAT}")`);
  }
  if (d.version !== 1) throw new Error(`unsupported data file version ${String(d.version)}`);
  if (!Array.isArray(d.mailboxes) || !d.mailboxes.some((m) => m.isPublic)) {
    throw new Error('the data file has no mailbox list or no public folders');
  }
}

/** Replaces the store's whole content with `snap`. */
export function restoreStore(s: StoreInternals, snap: StoreSnapshot): void {
  s.mailboxes.clear();
  s.items.clear();
  s.folders.clear();
  s.folderOwners.clear();
  s.impersonators.clear();
  s.sendAs.clear();
  s.fullAccess.clear();
  s.outbound.splice(0, s.outbound.length, ...snap.outbound);
  for (const p of snap.impersonators) s.impersonators.add(p);
  for (const [k, v] of snap.sendAs) s.sendAs.set(k, new Set(v));
  for (const [k, v] of snap.fullAccess ?? []) s.fullAccess.set(k, new Set(v));

  for (const m of snap.mailboxes) {
    const mailbox: Mailbox = m.isPublic
      ? s.publicFolders
      : {
          address: m.address,
          displayName: m.displayName,
          password: m.password,
          guid: m.guid,
          folders: new Map(),
          hierarchyLog: { generation: 1, seq: 0, entries: new Map() },
          isPublic: false,
          stats: m.stats,
        };
    mailbox.guid = m.guid;
    mailbox.folders.clear();
    if (!m.isPublic) s.mailboxes.set(m.key, mailbox);

    const byId = new Map<string, Folder>();
    for (const f of m.folders) byId.set(f.id, newFolder(f));
    const tombstones = new Map<string, Folder>();
    for (const e of m.hierarchyLog.entries) {
      const t = e.tombstone as FolderSnapshot | undefined;
      if (t && !byId.has(t.id)) tombstones.set(t.id, newFolder(t));
    }
    const link = (snapshots: FolderSnapshot[]) => {
      for (const f of snapshots) {
        const folder = byId.get(f.id) ?? tombstones.get(f.id);
        const parent = f.parentId ? (byId.get(f.parentId) ?? tombstones.get(f.parentId)) : undefined;
        if (!folder || !parent) continue;
        folder.parent = parent;
        if (byId.has(f.id) && byId.get(f.parentId ?? '') === parent) parent.children.set(folder.id, folder);
      }
    };
    link(m.folders);
    link(m.hierarchyLog.entries.flatMap((e) => (e.tombstone ? [e.tombstone as FolderSnapshot] : [])));

    for (const f of m.folders) {
      const folder = byId.get(f.id)!;
      mailbox.folders.set(folder.name, folder);
      s.folders.set(folder.id, folder);
      s.folderOwners.set(folder, mailbox);
      for (const encoded of f.items ?? []) {
        const item = decodeItem(encoded, mailbox, folder);
        folder.items.set(item.id, item);
        s.items.set(item.id, item);
        s.index(item);
      }
    }
    for (const f of m.folders) {
      const folder = byId.get(f.id)!;
      folder.itemLog = restoreLog<ItemChangeEntry>(f.itemLog, (e) => {
        const item = e.live ? s.items.get(e.live) : decodeItem(e.tombstone, mailbox, folder);
        return item && { itemId: e.key, item, contentSeq: e.contentSeq ?? e.seq };
      });
    }
    mailbox.hierarchyLog = restoreLog<FolderChangeEntry>(m.hierarchyLog, (e) => {
      const folder = e.live ? byId.get(e.live) : tombstones.get((e.tombstone as FolderSnapshot).id);
      return folder && { folder };
    });
  }
}

function restoreLog<E extends ItemChangeEntry | FolderChangeEntry>(
  snap: LogSnapshot | undefined,
  extra: (e: LogEntrySnapshot) => Omit<E, 'seq' | 'createdSeq' | 'deleted'> | undefined,
): ChangeLog<E> {
  const log: ChangeLog<E> = { generation: snap?.generation ?? 1, seq: snap?.seq ?? 0, entries: new Map() };
  for (const e of snap?.entries ?? []) {
    const rest = extra(e);
    if (!rest) continue;
    log.entries.set(e.key, { ...rest, seq: e.seq, createdSeq: e.createdSeq, deleted: e.deleted } as E);
  }
  return log;
}
