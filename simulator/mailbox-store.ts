/**
 * The in-memory mailbox store behind both faces of the simulator. Every lookup a request needs is a map hit:
 * items by id, mailboxes by address, extended-property values per folder; nothing scans all items.
 */
import { normaliseAddress } from './address';
import { newFolderChangeKey, newFolderId, newItemChangeKey, newItemId, newMailboxGuid } from './ids';
import type {
  DistinguishedFolderName,
  Folder,
  Mailbox,
  MessageContent,
  OutboundRecord,
  StoredItem,
} from './model';

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

export class MailboxStore {
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly items = new Map<string, StoredItem>();
  private readonly folders = new Map<string, Folder>();
  private readonly folderOwners = new Map<Folder, Mailbox>();
  private readonly impersonators = new Set<string>();
  private readonly sendAs = new Map<string, Set<string>>();
  private outboundLog: OutboundRecord[] = [];

  constructor(private readonly defaultPassword: string) {}

  addMailbox(address: string, password?: string, displayName?: string): Mailbox {
    const key = normaliseAddress(address);
    const existing = this.mailboxes.get(key);
    if (existing) {
      if (password !== undefined) existing.password = password;
      return existing;
    }
    const guid = newMailboxGuid();
    const mailbox: Mailbox = {
      address: address.trim(),
      displayName: displayName ?? address.trim().split('@')[0],
      password: password ?? this.defaultPassword,
      guid,
      folders: new Map(),
      stats: { requests: 0, sends: 0, throttled: 0 },
    };
    for (const [name, displayName, folderClass, parent] of FOLDER_LAYOUT) {
      const folder: Folder = {
        name,
        displayName,
        folderClass,
        parent,
        id: newFolderId(guid),
        changeKey: newFolderChangeKey(),
        items: new Map(),
        extendedIndex: new Map(),
      };
      mailbox.folders.set(name, folder);
      this.folders.set(folder.id, folder);
      this.folderOwners.set(folder, mailbox);
    }
    this.mailboxes.set(key, mailbox);
    return mailbox;
  }

  getMailbox(address: string): Mailbox | undefined {
    return this.mailboxes.get(normaliseAddress(address));
  }

  listMailboxes(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  folder(mailbox: Mailbox, name: DistinguishedFolderName): Folder {
    const folder = mailbox.folders.get(name);
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
    const mailbox = this.folderOwners.get(folder);
    if (!mailbox) throw new Error('folder does not belong to this store');
    const now = new Date();
    const item: StoredItem = {
      ...content,
      categories: [...content.categories],
      extendedProperties: content.extendedProperties.map((p) => ({ ...p })),
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
    };
    this.attach(item, folder);
    return item;
  }

  /** Moves an item; like Exchange the moved item gets a new ItemId and ChangeKey. */
  moveItem(item: StoredItem, target: Folder): StoredItem {
    this.detach(item);
    item.id = newItemId(item.mailbox.guid);
    item.changeKey = newItemChangeKey();
    item.lastModified = new Date();
    this.attach(item, target);
    return item;
  }

  touch(item: StoredItem): void {
    item.changeKey = newItemChangeKey();
    item.lastModified = new Date();
  }

  deleteItem(item: StoredItem): void {
    this.detach(item);
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

  /** Clears items, outbound log and counters; keeps mailboxes, passwords and grants. */
  reset(): void {
    this.items.clear();
    this.outboundLog = [];
    for (const mailbox of this.mailboxes.values()) {
      mailbox.stats = { requests: 0, sends: 0, throttled: 0 };
      for (const folder of mailbox.folders.values()) {
        folder.items.clear();
        folder.extendedIndex.clear();
      }
    }
  }

  private attach(item: StoredItem, folder: Folder): void {
    item.folder = folder;
    folder.items.set(item.id, item);
    this.items.set(item.id, item);
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
