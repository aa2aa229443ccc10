/**
 * ExchangeGateway over EWS (ews-javascript-api 0.15.3). Every string handed to the library is XML-escaped
 * first (the library does not escape; see xml-escape.ts). Every failure leaves as an RcError from
 * classify-ews-error.ts.
 *
 * sendMail (ews-mail.ts) = CreateItem with MessageDisposition SendAndSaveCopy (SendOnly when no copy is wanted),
 * or draft → CreateAttachment per attachment → SendItem for a mail with attachments, the rc JobId stamped as a MAPI
 * string extended property; EWS returns no id for a sent message, so the saved copy is then looked up in Sent
 * Items by that property (FindItem, IsEqualTo restriction) to return its ItemId/ChangeKey.
 * Sends to one mailbox that finish close together share that FindItem (an Or of their job ids); the batching
 * rule is in sent-item-lookup.ts.
 *
 * Appointments, contacts and tasks: ews-items.ts (create / update / delete / state / lookup by job id) on the
 * folders ews-folders.ts resolves, with the per-kind modules of ews-item-kinds.ts; desired-state listings:
 * ews-marked-items.ts. They run their EWS operations through this gateway's guarded call (EwsRun).
 */
import {
  BasePropertySet,
  ItemView,
  LogicalOperator,
  PropertySet,
  SearchFilter,
  ServiceError,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { Config } from '../../config';
import { RcError } from '../../errors';
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import type { JobId } from '../../db/store';
import {
  type CreateItemRequest,
  type DeleteItemRequest,
  type ExchangeGateway,
  type FolderTarget,
  type ItemKind,
  type ItemRef,
  type ItemState,
  type MailboxTarget,
  type MarkedItem,
  type OutgoingMail,
  type UpdateItemRequest,
  type WellKnownFolder,
} from '../gateway';
import type { TokenProvider } from '../auth/oauth-token-provider';
import { classifyEwsError, type ServiceErrorNames } from './classify-ews-error';
import type { EwsRun } from './ews-call';
import { EwsFolders } from './ews-folders';
import { EWS_ITEM_KINDS } from './ews-item-kinds';
import { EwsItems, type EwsItemKinds } from './ews-items';
import { EwsMarkedItems } from './ews-marked-items';
import { JOB_ID_PROPERTY, stringProperty } from './ews-properties';
import { EwsServicePool } from './ews-service-pool';
import { EwsMail } from './ews-mail';
import { withProbe } from './ews-xhr';
import { SentItemLookup } from './sent-item-lookup';
import { xmlEscape } from './xml-escape';

export interface EwsGatewayOptions {
  ews: Config['ews'];
  /** Required when ews.auth.kind is 'oauth'. */
  tokenProvider?: TokenProvider;
  logger?: Logger;
  /** How often to look for the saved copy right after sending (Exchange files it asynchronously). */
  findAfterSendDelaysMs?: number[];
  /** Batching of those lookups per mailbox (sent-item-lookup.ts): longest wait for others (default 25 ms) … */
  findBatchWindowMs?: number;
  /** … and the batch size that is sent at once (default 50). */
  findBatchMax?: number;
  /** The per-kind item modules (default ews-item-kinds.ts). */
  itemKinds?: EwsItemKinds;
}

const FOLDERS: Record<WellKnownFolder, WellKnownFolderName> = {
  sentitems: WellKnownFolderName.SentItems,
  drafts: WellKnownFolderName.Drafts,
  inbox: WellKnownFolderName.Inbox,
  outbox: WellKnownFolderName.Outbox,
};

/** Exchange's default cap on the items one FindItem returns. */
const MAX_VIEW = 1000;

/** Grace on top of the HTTP timeout before the safety timer gives up on a call that never settled. */
const SETTLE_GRACE_MS = 5000;

export class EwsGateway implements ExchangeGateway {
  private readonly pool: EwsServicePool;
  private readonly logger: Logger;
  private readonly findDelays: number[];
  private readonly sentItems: SentItemLookup;
  private readonly mail: EwsMail;
  private readonly items: EwsItems;
  private readonly markedItems: EwsMarkedItems;

  constructor(private readonly options: EwsGatewayOptions) {
    this.pool = new EwsServicePool({ ews: options.ews, tokenProvider: options.tokenProvider });
    this.logger = options.logger ?? silentLogger();
    this.findDelays = options.findAfterSendDelaysMs ?? [0, 200, 800];
    this.sentItems = new SentItemLookup({
      find: (mailbox, jobIds) => this.findItemsByJobIds(mailbox, 'sentitems', jobIds),
      windowMs: options.findBatchWindowMs,
      // The view holds two items per job id and Exchange returns at most MAX_VIEW.
      maxBatch: Math.min(options.findBatchMax ?? 50, MAX_VIEW / 2),
    });
    const run: EwsRun = (mailbox, what, fn) => this.call(what, async () => fn(await this.pool.get(mailbox)));
    this.mail = new EwsMail({
      run,
      find: (mailbox, folder, jobId) => this.findItemByJobId(mailbox, folder, jobId),
      logger: this.logger,
    });
    const folders = new EwsFolders(run);
    const kinds = options.itemKinds ?? EWS_ITEM_KINDS;
    this.items = new EwsItems(run, folders, kinds);
    this.markedItems = new EwsMarkedItems(run, folders, kinds);
  }

  async sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null> {
    const announced = mail.saveCopy ? this.sentItems.announce(mailbox) : undefined;
    try {
      await this.mail.send(mailbox, mail);
    } catch (err) {
      announced?.withdraw();
      throw err;
    }
    if (!announced) return null;
    for (const [i, delay] of this.findDelays.entries()) {
      if (delay > 0) await sleep(delay);
      const found =
        i === 0 ? await announced.lookup(mail.jobId) : await this.sentItems.lookup(mailbox, mail.jobId);
      if (found) return found;
    }
    announced.withdraw(); // only matters when no lookup ran (findAfterSendDelaysMs: [])
    this.logger.warn('sent mail not (yet) listed in Sent Items; recording no item id', { jobId: mail.jobId });
    return null;
  }

  findItemByJobId(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null>;
  findItemByJobId(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    jobId: JobId,
    kind: ItemKind,
  ): Promise<ItemRef | null>;
  async findItemByJobId(
    mailbox: MailboxTarget,
    folder: WellKnownFolder | FolderTarget,
    jobId: JobId,
    kind?: ItemKind,
  ): Promise<ItemRef | null> {
    if (typeof folder !== 'string')
      return this.items.findItemByJobId(mailbox, folder, jobId, kind as ItemKind);
    const found = await this.findItemsByJobIds(mailbox, folder, [jobId]);
    return found.get(jobId) ?? null;
  }

  createItem(mailbox: MailboxTarget, request: CreateItemRequest): Promise<ItemRef> {
    return this.items.createItem(mailbox, request);
  }

  updateItem(mailbox: MailboxTarget, request: UpdateItemRequest): Promise<ItemRef> {
    return this.items.updateItem(mailbox, request);
  }

  deleteItem(mailbox: MailboxTarget, request: DeleteItemRequest): Promise<void> {
    return this.items.deleteItem(mailbox, request);
  }

  getItemState(mailbox: MailboxTarget, itemId: string): Promise<ItemState | null> {
    return this.items.getItemState(mailbox, itemId);
  }

  listMarkedItems(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    kind: ItemKind,
    setKey: string,
  ): Promise<MarkedItem[]> {
    return this.markedItems.listMarkedItems(mailbox, folder, kind, setKey);
  }

  /**
   * One FindItem for several job ids: an Or of IsEqualTo on the job property (a plain IsEqualTo for one id),
   * returning the job property with each id so every item maps back to its job. The view has room for two items
   * per job, so a job that was sent twice cannot crowd another job out of the answer; the first item listed for
   * a job wins, as before batching.
   */
  private async findItemsByJobIds(
    mailbox: MailboxTarget,
    folder: WellKnownFolder,
    jobIds: JobId[],
  ): Promise<Map<JobId, ItemRef>> {
    const what =
      jobIds.length === 1
        ? `FindItem in ${folder} for ${mailbox.smtpAddress}`
        : `FindItem in ${folder} for ${mailbox.smtpAddress} (${jobIds.length} job ids)`;
    return this.call(what, async () => {
      const service = await this.pool.get(mailbox);
      const view = new ItemView(Math.min(jobIds.length * 2, MAX_VIEW));
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [JOB_ID_PROPERTY]);
      const filters = jobIds.map((id) => new SearchFilter.IsEqualTo(JOB_ID_PROPERTY, xmlEscape(id)));
      const filter =
        filters.length === 1
          ? filters[0]
          : new SearchFilter.SearchFilterCollection(LogicalOperator.Or, filters);
      const result = await service.FindItems(FOLDERS[folder], filter, view);
      const wanted = new Set(jobIds);
      const found = new Map<JobId, ItemRef>();
      for (const item of result.Items) {
        const jobId = stringProperty(item, JOB_ID_PROPERTY) ?? (jobIds.length === 1 ? jobIds[0] : undefined);
        if (jobId === undefined || !wanted.has(jobId)) continue;
        if (found.has(jobId)) {
          this.logger.warn('more than one Exchange item carries this job id; using the first', {
            jobId,
            folder,
          });
          continue;
        }
        found.set(jobId, { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey });
      }
      return found;
    });
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  /** Runs one EWS operation with an HTTP probe and a safety timer; classifies any failure. */
  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const { probe, result } = withProbe(fn);
    const limitMs = this.options.ews.timeoutMs + SETTLE_GRACE_MS;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new RcError('network', `${what}: no answer from Exchange within ${limitMs} ms`, {
              retryable: true,
            }),
          ),
        limitMs,
      );
    });
    try {
      return await Promise.race([result, timeout]);
    } catch (err) {
      const error = classifyEwsError(err, {
        probe,
        names: ServiceError as unknown as ServiceErrorNames,
        what,
      });
      if (error.code === 'exchange_auth' && error.retryable) this.pool.invalidateToken();
      throw error;
    } finally {
      clearTimeout(timer);
      result.catch(() => undefined);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
