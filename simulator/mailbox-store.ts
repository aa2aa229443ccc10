/**
 * The in-memory mailbox store behind both faces of the simulator. Every lookup a request needs is a map hit:
 * items by id, mailboxes by address, extended-property values per folder; nothing scans all items.
 */
import { normaliseAddress } from './address';
import { newFolderChangeKey, newFolderId, newItemChangeKey, newItemId, newMailboxGuid } from './ids';
import {
  type ChangeEntry,
  type ChangeLog,
  type DistinguishedFolderName,
  type Folder,
  type FolderChangeEntry,
  type ItemChangeEntry,
  type Mailbox,
  type MailboxStats,
  type MessageContent,
  type OutboundRecord,
  PUBLIC_FOLDERS_ROOT,
  type StoredItem,
} from './model';
import type { StoreEvent, StoreListener } from './notifications/store-events';
import { restoreStore, snapshotStore, type StoreInternals, type StoreSnapshot } from './store-snapshot';

const FOLDER_LAYOUT: ReadonlyArray<
  [DistinguishedFolderName, string, string, DistinguishedFolderName | undefined]
> = [
  ['root', '', '', undefined],
  ['msgfolderroot', 'Top of Information Store', 'IPF.Note', 'root'],
  ['inbox', 'Inbox', 'IPF.Note', 'msgfolderroot'],
  ['sentitems', 'Sent Items', 'IPF.Note', 'msgfolderroot'],
  ['drafts', 'Drafts', 'IPF.Note', 'msgfolderroot'],
  ['deleteditems', 'Deleted Items', 'IPF.Note', 'msgfolderroot'],
  ['outbox', 'Outbox', 'IPF.Note', 'msgfolderroot'],
  ['junkemail', 'Junk Email', 'IPF.Note', 'msgfolderroot'],
  ['calendar', 'Calendar', 'IPF.Appointment', 'msgfolderroot'],
  ['contacts', 'Contacts', 'IPF.Contact', 'msgfolderroot'],
  ['tasks', 'Tasks', 'IPF.Task', 'msgfolderroot'],
];

/** Upper bound on the outbound log so a long benchmark cannot exhaust memory. */
const OUTBOUND_LIMIT = 10_000;
/** Writes remembered per item for AutoResolve; an older ChangeKey conflicts with every field. */
const HISTORY_LIMIT = 64;

/** Fields UpdateItem may name that only flip the read flag (SyncFolderItems reports ReadFlagChange). */
export const READ_FLAG_FIELD = 'message:IsRead';

function newLog<E extends ChangeEntry>(): ChangeLog<E> {
  return { generation: 1, seq: 0, entries: new Map() };
}

/** Appends (or re-appends) an entry so the map stays ordered by latest change. */
function logChange<E extends ChangeEntry>(log: ChangeLog<E>, key: string, entry: Omit<E, 'seq'>): E {
  log.seq += 1;
  const full = { ...entry, seq: log.seq } as E;
  log.entries.delete(key);
  log.entries.set(key, full);
  return full;
}

export class MailboxStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly items = new Map<string, StoredItem>();
  private readonly folders = new Map<string, Folder>();
  private readonly folderOwners = new Map<Folder, Mailbox>();
  private readonly impersonators = new Set<string>();
  private readonly sendAs = new Map<string, Set<string>>();
  /** principal → mailboxes it may open (Exchange's FullAccess mailbox permission). */
  private readonly fullAccess = new Map<string, Set<string>>();
  private outboundLog: OutboundRecord[] = [];
  private readonly listeners = new Set<StoreListener>();
  /** Holds the public-folder tree (`publicfoldersroot`); shared by all mailboxes, listed by none. */
  readonly publicFolders: Mailbox;

  constructor(private readonly defaultPassword: string) {
    this.publicFolders = this.newMailbox('publicfolders@simulator.invalid', '', 'Public Folders', true);
    this.addFolder(this.publicFolders, undefined, {
      name: PUBLIC_FOLDERS_ROOT,
      distinguishedId: PUBLIC_FOLDERS_ROOT,
      displayName: 'IPM_SUBTREE',
      folderClass: '',
    });
  }

  addMailbox(address: string, password?: string, displayName?: string): Mailbox {
    const key = normaliseAddress(address);
    const existing = this.mailboxes.get(key);
    if (existing) {
      if (password !== undefined) existing.password = password;
      return existing;
    }
    const mailbox = this.newMailbox(
      address.trim(),
      password ?? this.defaultPassword,
      displayName ?? address.trim().split('@')[0],
      false,
    );
    for (const [name, folderDisplayName, folderClass, parent] of FOLDER_LAYOUT) {
      this.addFolder(mailbox, parent && mailbox.folders.get(parent), {
        name,
        distinguishedId: name,
        displayName: folderDisplayName,
        folderClass,
      });
    }
    this.mailboxes.set(key, mailbox);
    return mailbox;
  }

  private newMailbox(address: string, password: string, displayName: string, isPublic: boolean): Mailbox {
    return {
      address,
      displayName,
      password,
      guid: newMailboxGuid(),
      folders: new Map(),
      hierarchyLog: newLog<FolderChangeEntry>(),
      isPublic,
      stats: newStats(),
    };
  }

  private addFolder(
    mailbox: Mailbox,
    parent: Folder | undefined,
    spec: Pick<Folder, 'displayName' | 'folderClass' | 'distinguishedId'> & { name?: string },
  ): Folder {
    const id = newFolderId(mailbox.guid);
    const folder: Folder = {
      name: spec.name ?? id,
      distinguishedId: spec.distinguishedId,
      displayName: spec.displayName,
      folderClass: spec.folderClass,
      id,
      changeKey: newFolderChangeKey(),
      parent,
      children: new Map(),
      items: new Map(),
      extendedIndex: new Map(),
      itemLog: newLog<ItemChangeEntry>(),
    };
    parent?.children.set(folder.id, folder);
    mailbox.folders.set(folder.name, folder);
    this.folders.set(folder.id, folder);
    this.folderOwners.set(folder, mailbox);
    logChange(mailbox.hierarchyLog, folder.id, {
      folder,
      createdSeq: mailbox.hierarchyLog.seq + 1,
      deleted: false,
    });
    return folder;
  }

  /** Creates a custom folder under `parent` (same mailbox, or the public tree). */
  createFolder(parent: Folder, displayName: string, folderClass: string): Folder {
    const folder = this.addFolder(this.ownerOf(parent), parent, { displayName, folderClass });
    this.emitFolder('Created', folder);
    return folder;
  }

  /** Moves a folder (and its subtree) under another parent of the same mailbox; its FolderId is kept. */
  moveFolder(folder: Folder, target: Folder): void {
    const oldParent = folder.parent;
    folder.parent?.children.delete(folder.id);
    folder.parent = target;
    target.children.set(folder.id, folder);
    this.folderChanged(folder, oldParent);
  }

  /** Records a change of a folder's own properties (new ChangeKey, SyncFolderHierarchy Update). */
  folderChanged(folder: Folder, movedFrom?: Folder): void {
    folder.changeKey = newFolderChangeKey();
    const log = this.ownerOf(folder).hierarchyLog;
    const previous = log.entries.get(folder.id);
    logChange(log, folder.id, { folder, createdSeq: previous?.createdSeq ?? log.seq + 1, deleted: false });
    this.emitFolder(movedFrom ? 'Moved' : 'Modified', folder, movedFrom);
  }

  /** Removes a folder, its subfolders and all their items. */
  deleteFolder(folder: Folder): void {
    for (const child of [...folder.children.values()]) this.deleteFolder(child);
    for (const item of [...folder.items.values()]) this.detach(item);
    folder.parent?.children.delete(folder.id);
    const mailbox = this.ownerOf(folder);
    mailbox.folders.delete(folder.name);
    this.folders.delete(folder.id);
    this.folderOwners.delete(folder);
    const previous = mailbox.hierarchyLog.entries.get(folder.id);
    logChange(mailbox.hierarchyLog, folder.id, {
      folder,
      createdSeq: previous?.createdSeq ?? 0,
      deleted: true,
    });
    this.emitFolder('Deleted', folder);
  }

  /** True when `folder` is `ancestor` or lies below it. */
  isWithin(folder: Folder, ancestor: Folder): boolean {
    for (let f: Folder | undefined = folder; f; f = f.parent) if (f === ancestor) return true;
    return false;
  }

  ownerOf(folder: Folder): Mailbox {
    const mailbox = this.folderOwners.get(folder);
    if (!mailbox) throw new Error('folder does not belong to this store');
    return mailbox;
  }

  getMailbox(address: string): Mailbox | undefined {
    return this.mailboxes.get(normaliseAddress(address));
  }

  listMailboxes(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  folder(mailbox: Mailbox, name: DistinguishedFolderName | typeof PUBLIC_FOLDERS_ROOT): Folder {
    const folder =
      name === PUBLIC_FOLDERS_ROOT ? this.publicFolders.folders.get(name) : mailbox.folders.get(name);
    if (!folder) throw new Error(`mailbox ${mailbox.address} has no folder ${name}`);
    return folder;
  }

  folderById(id: string): { mailbox: Mailbox; folder: Folder } | undefined {
    const folder = this.folders.get(id);
    const mailbox = folder && this.folderOwners.get(folder);
    return folder && mailbox ? { mailbox, folder } : undefined;
  }

  getItem(id: string): StoredItem | undefined {
    return this.items.get(id);
  }

  /** Creates an item in a folder; `times` lets a delivery share the sender's send time. */
  createItem(
    folder: Folder,
    content: MessageContent,
    flags: { isDraft: boolean; internetMessageId: string; sent?: Date; received?: Date },
  ): StoredItem {
    const mailbox = this.ownerOf(folder);
    const now = new Date();
    const item: StoredItem = {
      ...content,
      kind: content.kind ?? 'Message',
      categories: [...content.categories],
      extendedProperties: content.extendedProperties.map((p) => ({ ...p })),
      attachments: content.attachments.map((a) => ({ ...a })),
      id: newItemId(mailbox.guid),
      changeKey: newItemChangeKey(),
      mailbox,
      folder,
      isDraft: flags.isDraft,
      internetMessageId: flags.internetMessageId,
      created: now,
      lastModified: now,
      sent: flags.sent,
      received: flags.received,
      history: [],
    };
    this.attach(item, folder);
    this.emitItem('Created', item);
    if (flags.received && !flags.isDraft) this.emitItem('NewMail', item);
    return item;
  }

  /** Moves an item; like Exchange the moved item gets a new ItemId and ChangeKey. */
  moveItem(item: StoredItem, target: Folder): StoredItem {
    const [oldId, oldFolder] = [item.id, item.folder];
    this.detach(item);
    item.id = newItemId(item.mailbox.guid);
    item.changeKey = newItemChangeKey();
    item.lastModified = new Date();
    this.attach(item, target);
    this.emitItem('Moved', item, { oldId, oldFolder });
    return item;
  }

  /**
   * Records a write to `item` after its fields were changed: new ChangeKey and LastModifiedTime, a history entry
   * for AutoResolve, and an Update (or, when only the read flag changed, a ReadFlagChange) in the folder's log.
   */
  itemChanged(item: StoredItem, fields: readonly string[]): void {
    item.history.push({ changeKey: item.changeKey, fields: [...fields] });
    if (item.history.length > HISTORY_LIMIT) item.history.splice(0, item.history.length - HISTORY_LIMIT);
    item.changeKey = newItemChangeKey();
    item.lastModified = new Date();
    const log = item.folder.itemLog;
    const previous = log.entries.get(item.id);
    const readOnly = fields.length > 0 && fields.every((f) => f === READ_FLAG_FIELD);
    const entry = logChange(log, item.id, {
      itemId: item.id,
      item,
      createdSeq: previous?.createdSeq ?? log.seq + 1,
      contentSeq: previous?.contentSeq ?? log.seq + 1,
      deleted: false,
    });
    if (!readOnly) entry.contentSeq = entry.seq;
    this.emitItem('Modified', item);
  }

  /** Fields written since `changeKey`; undefined when the ChangeKey is not one this item has had recently. */
  fieldsChangedSince(item: StoredItem, changeKey: string): Set<string> | undefined {
    if (changeKey === item.changeKey) return new Set();
    const at = item.history.findIndex((h) => h.changeKey === changeKey);
    if (at < 0) return undefined;
    return new Set(item.history.slice(at).flatMap((h) => h.fields));
  }

  deleteItem(item: StoredItem): void {
    this.detach(item);
    this.emitItem('Deleted', item);
  }

  /** The whole store as JSON-able data (the --data-file content); restore() takes it back, ids and logs intact. */
  serialise(): StoreSnapshot {
    return snapshotStore(this.internals());
  }

  restore(snapshot: StoreSnapshot): void {
    restoreStore(this.internals(), snapshot);
  }

  private internals(): StoreInternals {
    return {
      ...this,
      outbound: this.outboundLog,
      index: (item) => this.index(item),
    };
  }

  /** Calls `listener` after every item or folder change (Subscribe/GetEvents); returns the unsubscribe. */
  onChange(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emitItem(
    kind: StoreEvent['kind'],
    item: StoredItem,
    old?: { oldId: string; oldFolder: Folder },
  ): void {
    if (this.listeners.size === 0) return;
    const e: StoreEvent = {
      kind,
      target: 'item',
      mailbox: item.mailbox,
      id: item.id,
      changeKey: item.changeKey,
      parentFolderId: item.folder.id,
      parentChangeKey: item.folder.changeKey,
      oldId: old?.oldId,
      oldParentFolderId: old?.oldFolder.id,
      oldParentChangeKey: old?.oldFolder.changeKey,
      at: new Date(),
    };
    for (const listener of this.listeners) listener(e);
  }

  private emitFolder(kind: StoreEvent['kind'], folder: Folder, oldParent?: Folder): void {
    if (this.listeners.size === 0 || !folder.parent) return;
    const mailbox = this.folderOwners.get(folder) ?? this.ownerOf(folder.parent);
    const e: StoreEvent = {
      kind,
      target: 'folder',
      mailbox,
      id: folder.id,
      changeKey: folder.changeKey,
      parentFolderId: folder.parent.id,
      parentChangeKey: folder.parent.changeKey,
      oldId: oldParent && folder.id,
      oldParentFolderId: oldParent?.id,
      oldParentChangeKey: oldParent?.changeKey,
      at: new Date(),
    };
    for (const listener of this.listeners) listener(e);
  }

  /** Replaces an item's extended properties, keeping the folder's value index right (call itemChanged after). */
  setExtendedProperties(item: StoredItem, properties: StoredItem['extendedProperties']): void {
    this.unindex(item);
    item.extendedProperties = properties;
    this.index(item);
  }

  /** Items in `folder` whose extended property `key` equals `value` (String values compare case-insensitively). */
  findByExtendedProperty(folder: Folder, key: string, value: string): StoredItem[] {
    const hits = folder.extendedIndex.get(indexKey(key, value));
    return hits ? [...hits] : [];
  }

  recordOutbound(record: OutboundRecord): void {
    this.outboundLog.push(record);
    if (this.outboundLog.length > OUTBOUND_LIMIT)
      this.outboundLog.splice(0, this.outboundLog.length - OUTBOUND_LIMIT);
  }

  outbound(): readonly OutboundRecord[] {
    return this.outboundLog;
  }

  grantImpersonation(principal: string): void {
    this.impersonators.add(normaliseAddress(principal));
  }

  revokeImpersonation(principal: string): void {
    this.impersonators.delete(normaliseAddress(principal));
  }

  mayImpersonate(principal: string): boolean {
    return this.impersonators.has(normaliseAddress(principal));
  }

  /** Lets `principal` send with `fromAddress` in From (Exchange's Send As permission). */
  grantSendAs(principal: string, fromAddress: string): void {
    const key = normaliseAddress(principal);
    let set = this.sendAs.get(key);
    if (!set) this.sendAs.set(key, (set = new Set()));
    set.add(normaliseAddress(fromAddress));
  }

  maySendAs(principal: string, fromAddress: string): boolean {
    const p = normaliseAddress(principal);
    const f = normaliseAddress(fromAddress);
    return p === f || (this.sendAs.get(p)?.has(f) ?? false);
  }

  /**
   * Lets `principal` open `mailbox`'s folders and items through an explicit Mailbox element (Exchange's FullAccess
   * mailbox permission, e.g. a shared production-plan calendar filled by a service mailbox).
   */
  grantFullAccess(principal: string, mailbox: string): void {
    const key = normaliseAddress(principal);
    let set = this.fullAccess.get(key);
    if (!set) this.fullAccess.set(key, (set = new Set()));
    set.add(normaliseAddress(mailbox));
  }

  hasFullAccess(principal: string, mailbox: string): boolean {
    return this.fullAccess.get(normaliseAddress(principal))?.has(normaliseAddress(mailbox)) ?? false;
  }

  /** Clears items, outbound log and counters; keeps mailboxes, passwords and grants. */
  /**
   * Clears items, custom folders, outbound log and counters; keeps mailboxes, their distinguished folders,
   * passwords and grants. Change logs restart under a new generation, so earlier SyncStates become invalid.
   */
  reset(): void {
    this.items.clear();
    this.outboundLog = [];
    for (const mailbox of [...this.mailboxes.values(), this.publicFolders]) {
      mailbox.stats = newStats();
      for (const folder of [...mailbox.folders.values()]) {
        if (!folder.distinguishedId) {
          mailbox.folders.delete(folder.name);
          this.folders.delete(folder.id);
          this.folderOwners.delete(folder);
          folder.parent?.children.delete(folder.id);
          continue;
        }
        folder.items.clear();
        folder.extendedIndex.clear();
        restartLog(folder.itemLog);
      }
      restartLog(mailbox.hierarchyLog);
      for (const folder of mailbox.folders.values()) {
        logChange(mailbox.hierarchyLog, folder.id, {
          folder,
          createdSeq: mailbox.hierarchyLog.seq + 1,
          deleted: false,
        });
      }
    }
  }

  private attach(item: StoredItem, folder: Folder): void {
    item.folder = folder;
    folder.items.set(item.id, item);
    this.items.set(item.id, item);
    const log = folder.itemLog;
    logChange(log, item.id, {
      itemId: item.id,
      item,
      createdSeq: log.seq + 1,
      contentSeq: log.seq + 1,
      deleted: false,
    });
    this.index(item);
  }

  private index(item: StoredItem): void {
    const folder = item.folder;
    for (const prop of item.extendedProperties) {
      const k = indexKey(prop.key, prop.value);
      let set = folder.extendedIndex.get(k);
      if (!set) folder.extendedIndex.set(k, (set = new Set()));
      set.add(item);
    }
  }

  private detach(item: StoredItem): void {
    const folder = item.folder;
    folder.items.delete(item.id);
    this.items.delete(item.id);
    const log = folder.itemLog;
    const previous = log.entries.get(item.id);
    logChange(log, item.id, {
      itemId: item.id,
      item,
      createdSeq: previous?.createdSeq ?? 0,
      contentSeq: previous?.contentSeq ?? 0,
      deleted: true,
    });
    this.unindex(item);
  }

  private unindex(item: StoredItem): void {
    const folder = item.folder;
    for (const prop of item.extendedProperties) {
      const k = indexKey(prop.key, prop.value);
      const set = folder.extendedIndex.get(k);
      if (!set) continue;
      set.delete(item);
      if (set.size === 0) folder.extendedIndex.delete(k);
    }
  }
}

function indexKey(key: string, value: string): string {
  return `${key}\u0000${value.toLowerCase()}`;
}

function restartLog(log: ChangeLog<ChangeEntry>): void {
  log.generation += 1;
  log.seq = 0;
  log.entries.clear();
}

function newStats(): MailboxStats {
  return { requests: 0, sends: 0, throttled: 0, operations: {} };
}
