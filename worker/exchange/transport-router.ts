/**
 * One ExchangeGateway over the per-protocol gateways: each call goes to the gateway of the mailbox's transport
 * (rc.Mailboxes.Transport). A transport this worker has no gateway for fails the job permanently with a message
 * saying what to change, instead of talking the wrong protocol to the mailbox.
 */
import { RcError } from '../errors';
import type { JobId, Transport } from '../db/store';
import type { ExchangeGateway, ItemRef, MailboxTarget, OutgoingMail, WellKnownFolder } from './gateway';

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

  sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null> {
    return Promise.resolve().then(() => this.for(mailbox).sendMail(mailbox, mail));
  }

  findItemByJobId(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null> {
    return Promise.resolve().then(() => this.for(mailbox).findItemByJobId(mailbox, folder, jobId));
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.gateways).map((g) => g.close()));
  }
}
