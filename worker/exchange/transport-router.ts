/**
 * One ExchangeGateway over the per-protocol gateways: each call goes to the gateway of the mailbox's transport
 * (rc.Mailboxes.Transport). A transport this worker has no gateway for fails the job permanently with a message
 * saying what to change, instead of talking the wrong protocol to the mailbox.
 */
import { RcError } from '../errors';
import type { JobId, Transport } from '../db/store';
import type {
  CreateItemRequest,
  DeleteItemRequest,
  ExchangeGateway,
  FolderTarget,
  ItemKind,
  ItemRef,
  ItemState,
  MailboxTarget,
  MarkedItem,
  OutgoingMail,
  UpdateItemRequest,
  WellKnownFolder,
} from './gateway';

export class TransportRouter implements ExchangeGateway {
  constructor(private readonly gateways: Partial<Record<Transport, ExchangeGateway>>) {}

  private for(mailbox: MailboxTarget): ExchangeGateway {
    const gateway = this.gateways[mailbox.transport];
    if (!gateway) {
      const available = Object.keys(this.gateways).join(', ') || 'none';
      throw new RcError(
        'transport_unsupported',
        `Mailbox ${mailbox.smtpAddress} uses transport '${mailbox.transport}', which this worker cannot talk ` +
          `(available: ${available}). Set rc.Mailboxes.Transport of its profile to one of those, or run a worker ` +
          `version that supports '${mailbox.transport}'.`,
      );
    }
    return gateway;
  }

  /** Runs `call` on the mailbox's gateway; a missing transport rejects (never throws synchronously). */
  private route<T>(mailbox: MailboxTarget, call: (gateway: ExchangeGateway) => Promise<T>): Promise<T> {
    return Promise.resolve().then(() => call(this.for(mailbox)));
  }

  sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null> {
    return this.route(mailbox, (g) => g.sendMail(mailbox, mail));
  }

  findItemByJobId(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null>;
  findItemByJobId(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    jobId: JobId,
    kind: ItemKind,
  ): Promise<ItemRef | null>;
  findItemByJobId(
    mailbox: MailboxTarget,
    folder: WellKnownFolder | FolderTarget,
    jobId: JobId,
    kind?: ItemKind,
  ): Promise<ItemRef | null> {
    return this.route(mailbox, (g) =>
      typeof folder === 'string'
        ? g.findItemByJobId(mailbox, folder, jobId)
        : g.findItemByJobId(mailbox, folder, jobId, kind as ItemKind),
    );
  }

  createItem(mailbox: MailboxTarget, request: CreateItemRequest): Promise<ItemRef> {
    return this.route(mailbox, (g) => g.createItem(mailbox, request));
  }

  updateItem(mailbox: MailboxTarget, request: UpdateItemRequest): Promise<ItemRef> {
    return this.route(mailbox, (g) => g.updateItem(mailbox, request));
  }

  deleteItem(mailbox: MailboxTarget, request: DeleteItemRequest): Promise<void> {
    return this.route(mailbox, (g) => g.deleteItem(mailbox, request));
  }

  getItemState(mailbox: MailboxTarget, itemId: string): Promise<ItemState | null> {
    return this.route(mailbox, (g) => g.getItemState(mailbox, itemId));
  }

  listMarkedItems(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    kind: ItemKind,
    setKey: string,
  ): Promise<MarkedItem[]> {
    return this.route(mailbox, (g) => g.listMarkedItems(mailbox, folder, kind, setKey));
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.gateways).map((g) => g.close()));
  }
}
