/** The simulator's in-memory mailbox model: mailboxes own distinguished folders, folders own items. */

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
}

/** What a client supplies for a message; the store adds identity, folder and timestamps. */
export interface MessageContent {
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
}

export interface Folder {
  name: DistinguishedFolderName;
  displayName: string;
  folderClass: string;
  id: string;
  changeKey: string;
  parent?: DistinguishedFolderName;
  /** Insertion order = creation order; readers that want newest first iterate backwards. */
  items: Map<string, StoredItem>;
  /** extended-property key + '\u0000' + normalised value → items holding it (FindItem restrictions). */
  extendedIndex: Map<string, Set<StoredItem>>;
}

export interface MailboxStats {
  requests: number;
  sends: number;
  throttled: number;
}

export interface Mailbox {
  address: string;
  displayName: string;
  password: string;
  guid: string;
  folders: Map<DistinguishedFolderName, Folder>;
  stats: MailboxStats;
}

export interface OutboundRecord {
  at: string;
  from: string;
  to: string[];
  subject: string;
  internetMessageId: string;
}
