/**
 * The ExchangeGateway port: what job handlers ask of Exchange, whatever the protocol. EwsGateway (exchange/ews)
 * and GraphGateway (exchange/graph) implement it; handlers never import ews-javascript-api or HTTP clients.
 *
 * Errors: implementations throw RcError. `retryable` is true for throttling, 5xx, network and token expiry
 * (with `retryAfterMs` from BackOffMilliseconds / Retry-After when Exchange gave one); `remoteCode` carries
 * Exchange's ResponseCode (e.g. ErrorInvalidRecipients) so it lands in rc.Jobs.LastErrorCode. A ChangeKey
 * conflict is RcError('conflict'), a missing item or folder RcError('not_found').
 */
import type { JobId, Transport } from '../db/store';
import type { AppointmentFields } from './appointment-fields';
import type { ContactFields } from './contact-fields';
import type { TaskFields } from './task-fields';

export interface MailboxTarget {
  smtpAddress: string;
  transport: Transport;
  /** Per-mailbox EWS endpoint; null → the worker's configured default. */
  ewsUrl: string | null;
}

export interface ItemRef {
  itemId: string;
  changeKey: string;
}

export type BodyType = 'HTML' | 'Text';
export type Importance = 'Low' | 'Normal' | 'High';
export type Sensitivity = 'Normal' | 'Personal' | 'Private' | 'Confidential';

/** One attachment of an outgoing mail; `read` yields its bytes when the gateway uploads it (one at a time). */
export interface OutgoingAttachment {
  name: string;
  contentType: string | null;
  contentId: string | null;
  isInline: boolean;
  read(): Promise<Buffer>;
}

export interface OutgoingMail {
  /** Stamped on the item as the rc job extended property (exactly-once effect). */
  jobId: JobId;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  /** Sent-on-behalf / From address; null → the mailbox itself. */
  from: string | null;
  subject: string;
  body: string;
  bodyType: BodyType;
  importance: Importance;
  sensitivity: Sensitivity;
  categories: string[];
  readReceipt: boolean;
  deliveryReceipt: boolean;
  /** Keep a copy in Sent Items (SendAndSaveCopy) — needed to find the item again on a retry. */
  saveCopy: boolean;
  attachments: OutgoingAttachment[];
}

export type WellKnownFolder = 'sentitems' | 'drafts' | 'inbox' | 'outbox';

/** The kinds of item the generic item operations handle (mail has its own operation). */
export type ItemKind = 'appointment' | 'contact' | 'task';

/**
 * Where an item lives. `owner` null → the job's own mailbox, else another mailbox's SMTP address (a target
 * profile the caller is granted on; reached with the job mailbox's credentials). `location`: the kind's default
 * folder (Calendar / Contacts / Tasks), a folder of that kind below it by name (created on first use), or a
 * public folder by path below the public folder root ('Sales/Customers', created on first use).
 */
export interface FolderTarget {
  owner: string | null;
  location: { kind: 'default' } | { kind: 'named'; name: string } | { kind: 'public'; path: string };
}

/** An item's fields, by kind. Create: every field that should be set. Update: only the fields to change. */
export type ItemFields =
  | { kind: 'appointment'; fields: AppointmentFields }
  | { kind: 'contact'; fields: ContactFields }
  | { kind: 'task'; fields: TaskFields };

/** Who hears of a calendar change: nobody, every attendee, or (updates) only added/removed attendees. */
export type MeetingNotice = 'none' | 'all' | 'changed';

/**
 * The desired-state marker (rc_SyncFolder): which synced set an item belongs to, its external key, and the
 * fields last applied (a JSON document) so a repeated set can be compared without reading every field back.
 */
export interface SyncMarker {
  setKey: string;
  externalKey: string;
  appliedFields: string;
}

export interface CreateItemRequest {
  /** Stamped as the rc job extended property (exactly-once: findItemByJobId finds it on a retry). */
  jobId: JobId;
  folder: FolderTarget;
  item: ItemFields;
  meetingNotice: MeetingNotice;
  marker?: SyncMarker;
}

export interface UpdateItemRequest {
  /** Stamped as the rc last-job extended property, so a retry can tell its own earlier update. */
  jobId: JobId;
  /** changeKey '' → no conflict check (the caller knows no version of the item). */
  ref: ItemRef;
  item: ItemFields;
  /** 'fail': a newer ChangeKey in Exchange fails with RcError('conflict'); 'overwrite': last writer wins. */
  onConflict: 'fail' | 'overwrite';
  meetingNotice: MeetingNotice;
  marker?: SyncMarker;
}

export interface DeleteItemRequest {
  jobId: JobId;
  ref: ItemRef;
  kind: ItemKind;
  onConflict: 'fail' | 'overwrite';
  /** Appointments: send cancellations to attendees ('all') or not ('none'). */
  meetingNotice: Exclude<MeetingNotice, 'changed'>;
}

/** The current version of an item and the last rc job that wrote it (null when none did). */
export interface ItemState {
  ref: ItemRef;
  lastJobId: JobId | null;
}

/** An item carrying a SyncMarker, as listed by listMarkedItems. */
export interface MarkedItem {
  ref: ItemRef;
  marker: SyncMarker;
}

export interface ExchangeGateway {
  /**
   * Sends the mail and returns the id of the saved copy in Sent Items (null when no copy was saved or
   * Exchange has not listed it yet).
   */
  sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null>;

  /**
   * Finds the item carrying the job's extended property in a folder, or null. A FolderTarget needs the item
   * kind: its default (and the parent of a named) folder is the kind's (Calendar / Contacts / Tasks). A named or
   * public folder that does not exist yet holds no item: null, and nothing is created.
   */
  findItemByJobId(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null>;
  findItemByJobId(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    jobId: JobId,
    kind: ItemKind,
  ): Promise<ItemRef | null>;

  /** Creates an appointment / contact / task (sending meeting requests when asked); returns its id. */
  createItem(mailbox: MailboxTarget, request: CreateItemRequest): Promise<ItemRef>;

  /** Changes the given fields only; returns the new ChangeKey. */
  updateItem(mailbox: MailboxTarget, request: UpdateItemRequest): Promise<ItemRef>;

  /** Deletes the item (to Deleted Items); an item that no longer exists is RcError('not_found'). */
  deleteItem(mailbox: MailboxTarget, request: DeleteItemRequest): Promise<void>;

  /** The item's current ChangeKey and last rc job, or null when it no longer exists. */
  getItemState(mailbox: MailboxTarget, itemId: string): Promise<ItemState | null>;

  /** Every item in the folder that carries a SyncMarker of this set (items rc-exchange did not create are skipped). */
  listMarkedItems(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    kind: ItemKind,
    setKey: string,
  ): Promise<MarkedItem[]>;

  close(): Promise<void>;
}

/** The MAPI property set that marks items created by rc-exchange (one GUID for the project). */
export const RC_PROPERTY_SET_ID = 'c8a4e0f2-5b1d-4e36-9a7c-2f0d6b8e1a53';
/** Name of the string property in that set holding the rc JobId. */
export const RC_JOB_ID_PROPERTY = 'rcJobId';
/** … holding the JobId of the last rc job that updated the item. */
export const RC_LAST_JOB_ID_PROPERTY = 'rcLastJobId';
/** … holding a desired-state item's set key, external key and applied fields (SyncMarker). */
export const RC_SYNC_SET_PROPERTY = 'rcSyncSet';
export const RC_SYNC_KEY_PROPERTY = 'rcSyncKey';
export const RC_SYNC_FIELDS_PROPERTY = 'rcSyncFields';
