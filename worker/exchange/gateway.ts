/**
 * The ExchangeGateway port: what job handlers ask of Exchange, whatever the protocol. EwsGateway (exchange/ews)
 * and GraphGateway (exchange/graph) implement it; handlers never import ews-javascript-api or HTTP clients.
 *
 * Errors: implementations throw RcError. `retryable` is true for throttling, 5xx, network and token expiry
 * (with `retryAfterMs` from BackOffMilliseconds / Retry-After when Exchange gave one); `remoteCode` carries
 * Exchange's ResponseCode (e.g. ErrorInvalidRecipients) so it lands in rc.Jobs.LastErrorCode.
 */
import type { JobId, Transport } from '../db/store';

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
  /** Keep a copy in Sent Items (SendAndSaveCopy) — needed to find the item again on a retry. */
  saveCopy: boolean;
}

export type WellKnownFolder = 'sentitems' | 'drafts' | 'inbox' | 'outbox';

export interface ExchangeGateway {
  /**
   * Sends the mail and returns the id of the saved copy in Sent Items (null when no copy was saved or
   * Exchange has not listed it yet).
   */
  sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null>;

  /** Finds the item carrying the job's extended property in a folder, or null. */
  findItemByJobId(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null>;

  close(): Promise<void>;
}

/** The MAPI property set that marks items created by rc-exchange (one GUID for the project). */
export const RC_PROPERTY_SET_ID = 'c8a4e0f2-5b1d-4e36-9a7c-2f0d6b8e1a53';
/** Name of the string property in that set holding the rc JobId. */
export const RC_JOB_ID_PROPERTY = 'rcJobId';
