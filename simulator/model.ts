import type { CalendarDetails } from './calendar/calendar-fields';

/**
 * The simulator's in-memory mailbox model: mailboxes own a folder tree (root → msgfolderroot → distinguished and
 * custom folders), folders own items of four kinds, and both keep compacted change logs for synchronisation.
 */

export const DISTINGUISHED_FOLDERS = [
  'root',
  'msgfolderroot',
  'inbox',
  'sentitems',
  'drafts',
  'deleteditems',
  'outbox',
  'junkemail',
  'calendar',
  'contacts',
  'tasks',
] as const;

export type DistinguishedFolderName = (typeof DISTINGUISHED_FOLDERS)[number];

/** The distinguished id of the public-folder tree that all mailboxes share. */
export const PUBLIC_FOLDERS_ROOT = 'publicfoldersroot';

export function isDistinguishedFolderName(value: string): value is DistinguishedFolderName {
  return (DISTINGUISHED_FOLDERS as readonly string[]).includes(value);
}

export interface Recipient {
  name?: string;
  address: string;
}

/** Where an extended (MAPI) property lives: a named property in a property set, or a plain property tag. */
export interface ExtendedPropertyPath {
  distinguishedPropertySetId?: string;
  propertySetId?: string;
  propertyName?: string;
  propertyId?: number;
  propertyTag?: string;
  propertyType: string;
}

export interface ExtendedPropertyValue {
  path: ExtendedPropertyPath;
  /** Canonical identity of the property (type excluded), used for lookups and the value index. */
  key: string;
  value: string;
}

export type BodyType = 'HTML' | 'Text';
export type Importance = 'Low' | 'Normal' | 'High';
export type Sensitivity = 'Normal' | 'Personal' | 'Private' | 'Confidential';

export interface AttachmentInfo {
  name: string;
  contentType: string;
  size: number;
  /** Stable per-attachment key; the AttachmentId is derived from it and the item's current ItemId. */
  key?: string;
  contentId?: string;
  isInline?: boolean;
  /** The bytes of a file attachment (absent only for attachments recorded by name and size). */
  content?: Buffer;
  lastModified?: Date;
}

export type ItemKind = 'Message' | 'CalendarItem' | 'Contact' | 'Task';

/** Kind-specific fields of a calendar item (the message fields of such an item stay empty). */
export interface CalendarFields {
  start: Date;
  end: Date;
  isAllDayEvent: boolean;
  location: string;
  organizer?: Recipient;
  requiredAttendees: Recipient[];
  optionalAttendees: Recipient[];
  /** Meeting and recurrence details (simulator/calendar/calendar-fields.ts). */
  details?: CalendarDetails;
}

export interface ContactFields {
  displayName: string;
  givenName?: string;
  surname?: string;
  companyName?: string;
  /** The values of `emails` in key order (EmailAddress1..3), for readers that want a plain list. */
  emailAddresses: string[];
  fileAs?: string;
  middleName?: string;
  department?: string;
  jobTitle?: string;
  businessHomePage?: string;
  birthday?: Date;
  /** EmailAddresses / PhoneNumbers / PhysicalAddresses dictionaries by entry Key (EmailAddress1, BusinessPhone, Home…). */
  emails?: Record<string, string>;
  phones?: Record<string, string>;
  addresses?: Record<string, PhysicalAddress>;
}

export interface PhysicalAddress {
  street?: string;
  city?: string;
  state?: string;
  countryOrRegion?: string;
  postalCode?: string;
}

export interface TaskFields {
  status: 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';
  percentComplete: number;
  startDate?: Date;
  dueDate?: Date;
  completeDate?: Date;
  reminderDueBy?: Date;
  reminderIsSet?: boolean;
}

/**
 * What a client supplies for an item; the store adds identity, folder and timestamps. Message fields are flat
 * (every existing reader and the admin JSON use them); the other kinds carry theirs in a typed sub-object.
 */
export interface MessageContent {
  /** Absent means 'Message'. */
  kind?: ItemKind;
  calendar?: CalendarFields;
  contact?: ContactFields;
  task?: TaskFields;
  itemClass: string;
  subject: string;
  body: string;
  bodyType: BodyType;
  importance: Importance;
  sensitivity: Sensitivity;
  categories: string[];
  from?: Recipient;
  to: Recipient[];
  cc: Recipient[];
  bcc: Recipient[];
  replyTo: Recipient[];
  extendedProperties: ExtendedPropertyValue[];
  attachments: AttachmentInfo[];
  isRead: boolean;
  isReadReceiptRequested: boolean;
  isDeliveryReceiptRequested: boolean;
}

export interface StoredItem extends MessageContent {
  kind: ItemKind;
  id: string;
  changeKey: string;
  mailbox: Mailbox;
  folder: Folder;
  isDraft: boolean;
  internetMessageId: string;
  created: Date;
  lastModified: Date;
  sent?: Date;
  received?: Date;
  /**
   * Recent writes, oldest first: the ChangeKey the item had before a write and the fields that write changed.
   * UpdateItem's AutoResolve uses it to tell a stale-but-compatible ChangeKey from a real conflict.
   */
  history: Array<{ changeKey: string; fields: string[] }>;
}

/**
 * A compacted change log: one entry per object, re-appended on every change, so iteration order is the order
 * of each object's latest change and a sync position is just a sequence number.
 */
export interface ChangeLog<E extends ChangeEntry> {
  /** Changes when the log is discarded (store reset), so older sync states are refused. */
  generation: number;
  seq: number;
  entries: Map<string, E>;
}

export interface ChangeEntry {
  /** Sequence number of the latest change. */
  seq: number;
  /** Sequence number at which the object appeared here (created, moved or copied in). */
  createdSeq: number;
  deleted: boolean;
}

export interface ItemChangeEntry extends ChangeEntry {
  itemId: string;
  item: StoredItem;
  /** Latest change other than the read flag. */
  contentSeq: number;
}

export interface FolderChangeEntry extends ChangeEntry {
  folder: Folder;
}

export interface Folder {
  /** The distinguished id for well-known folders, the FolderId for custom ones (admin API / web page key). */
  name: string;
  distinguishedId?: DistinguishedFolderName | typeof PUBLIC_FOLDERS_ROOT;
  displayName: string;
  folderClass: string;
  id: string;
  changeKey: string;
  parent?: Folder;
  /** Child folders by id, in creation order. */
  children: Map<string, Folder>;
  /** Insertion order = creation order; readers that want newest first iterate backwards. */
  items: Map<string, StoredItem>;
  /** extended-property key + '\u0000' + normalised value → items holding it (FindItem restrictions). */
  extendedIndex: Map<string, Set<StoredItem>>;
  itemLog: ChangeLog<ItemChangeEntry>;
}

export interface MailboxStats {
  requests: number;
  sends: number;
  throttled: number;
  /** Requests by EWS operation name (FindItem, CreateItem, …), counted like `requests`. */
  operations: Record<string, number>;
}

export interface Mailbox {
  address: string;
  displayName: string;
  password: string;
  guid: string;
  /** Every folder of the mailbox keyed by Folder.name; distinguished folders first, in layout order. */
  folders: Map<string, Folder>;
  /** Folder creations, changes and deletions (SyncFolderHierarchy). */
  hierarchyLog: ChangeLog<FolderChangeEntry>;
  /** True for the store's public-folder mailbox, which every caller may use and no one signs in to. */
  isPublic: boolean;
  stats: MailboxStats;
}

export interface OutboundRecord {
  at: string;
  from: string;
  to: string[];
  subject: string;
  internetMessageId: string;
}
