/**
 * The contract between the queue machinery and the per-kind job logic. A handler gets the started job
 * (payload, attempt, mailbox) and the ExchangeGateway, does the work, and returns what to record in SQL.
 * It throws an RcError to fail: `retryable` decides between Retrying (with backoff) and Failed.
 */
import type { ExchangeGateway } from '../exchange/gateway';
import type { ExchangeResult, JobKind, StartedJob, Store } from '../db/store';
import type { Logger } from '../log';
import { itemHandlers } from './item-jobs';
import { sendMailHandler } from './send-mail';
import { syncFolderHandler } from './sync-folder';

export interface JobSettings {
  /** Keep a copy of sent mail in Sent Items (RC_EWS_SAVE_SENT_COPY); needed for exactly-once on retries. */
  saveSentCopy: boolean;
  /** RC_FILE_ATTACHMENT_DIR: the only directory @file_attachments may name files in; null → refused. */
  fileAttachmentDir: string | null;
}

/** What a handler may read from SQL besides its own started job. */
export type JobStore = Pick<
  Store,
  'listAttachments' | 'readAttachmentContent' | 'findTargetItem' | 'findNewerSyncJob'
>;

export interface JobContext {
  job: StartedJob;
  gateway: ExchangeGateway;
  store: JobStore;
  logger: Logger;
  settings: JobSettings;
}

export type JobHandler = (context: JobContext) => Promise<ExchangeResult>;

export type HandlerRegistry = ReadonlyMap<JobKind, JobHandler>;

/** The handlers for every job kind rc-exchange knows. */
export function defaultHandlers(): HandlerRegistry {
  return new Map<JobKind, JobHandler>([
    ['SendMail', sendMailHandler],
    ...itemHandlers(),
    ['SyncFolder', syncFolderHandler],
  ]);
}
