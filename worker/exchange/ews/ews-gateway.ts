/**
 * ExchangeGateway over EWS (ews-javascript-api 0.15.3). Every string handed to the library is XML-escaped
 * first (the library does not escape; see xml-escape.ts). Every failure leaves as an RcError from
 * classify-ews-error.ts.
 *
 * sendMail = CreateItem with MessageDisposition SendAndSaveCopy (SendOnly when no copy is wanted), the rc JobId
 * stamped as a MAPI string extended property; EWS returns no id for a sent message, so the saved copy is then
 * looked up in Sent Items by that property (FindItem, IsEqualTo restriction) to return its ItemId/ChangeKey.
 */
import {
  BasePropertySet,
  BodyType,
  EmailAddress,
  EmailMessage,
  ExtendedPropertyDefinition,
  Guid,
  Importance,
  ItemView,
  MapiPropertyType,
  MessageBody,
  PropertySet,
  SearchFilter,
  Sensitivity,
  ServiceError,
  WellKnownFolderName,
  type ExchangeService,
} from 'ews-javascript-api';
import type { Config } from '../../config';
import { RcError } from '../../errors';
import type { Logger } from '../../log';
import { silentLogger } from '../../log';
import type { JobId } from '../../db/store';
import {
  RC_JOB_ID_PROPERTY,
  RC_PROPERTY_SET_ID,
  type ExchangeGateway,
  type ItemRef,
  type MailboxTarget,
  type OutgoingMail,
  type WellKnownFolder,
} from '../gateway';
import type { TokenProvider } from '../auth/oauth-token-provider';
import { classifyEwsError, type ServiceErrorNames } from './classify-ews-error';
import { EwsServicePool } from './ews-service-pool';
import { withProbe } from './ews-xhr';
import { xmlEscape } from './xml-escape';

export interface EwsGatewayOptions {
  ews: Config['ews'];
  /** Required when ews.auth.kind is 'oauth'. */
  tokenProvider?: TokenProvider;
  logger?: Logger;
  /** How often to look for the saved copy right after sending (Exchange files it asynchronously). */
  findAfterSendDelaysMs?: number[];
}

const FOLDERS: Record<WellKnownFolder, WellKnownFolderName> = {
  sentitems: WellKnownFolderName.SentItems,
  drafts: WellKnownFolderName.Drafts,
  inbox: WellKnownFolderName.Inbox,
  outbox: WellKnownFolderName.Outbox,
};

/** Grace on top of the HTTP timeout before the safety timer gives up on a call that never settled. */
const SETTLE_GRACE_MS = 5000;

export class EwsGateway implements ExchangeGateway {
  private readonly pool: EwsServicePool;
  private readonly jobIdProperty = new ExtendedPropertyDefinition(
    new Guid(RC_PROPERTY_SET_ID),
    RC_JOB_ID_PROPERTY,
    MapiPropertyType.String,
  );
  private readonly logger: Logger;
  private readonly findDelays: number[];

  constructor(private readonly options: EwsGatewayOptions) {
    this.pool = new EwsServicePool({ ews: options.ews, tokenProvider: options.tokenProvider });
    this.logger = options.logger ?? silentLogger();
    this.findDelays = options.findAfterSendDelaysMs ?? [0, 200, 800];
  }

  async sendMail(mailbox: MailboxTarget, mail: OutgoingMail): Promise<ItemRef | null> {
    await this.call(`CreateItem (send mail) for ${mailbox.smtpAddress}`, async () => {
      const service = await this.pool.get(mailbox);
      const message = this.buildMessage(service, mail);
      if (mail.saveCopy) await message.SendAndSaveCopy(WellKnownFolderName.SentItems);
      else await message.Send();
    });
    if (!mail.saveCopy) return null;
    for (const delay of this.findDelays) {
      if (delay > 0) await sleep(delay);
      const found = await this.findItemByJobId(mailbox, 'sentitems', mail.jobId);
      if (found) return found;
    }
    this.logger.warn('sent mail not (yet) listed in Sent Items; recording no item id', { jobId: mail.jobId });
    return null;
  }

  async findItemByJobId(
    mailbox: MailboxTarget,
    folder: WellKnownFolder,
    jobId: JobId,
  ): Promise<ItemRef | null> {
    return this.call(`FindItem in ${folder} for ${mailbox.smtpAddress}`, async () => {
      const service = await this.pool.get(mailbox);
      const view = new ItemView(2);
      view.PropertySet = new PropertySet(BasePropertySet.IdOnly);
      const filter = new SearchFilter.IsEqualTo(this.jobIdProperty, xmlEscape(jobId));
      const result = await service.FindItems(FOLDERS[folder], filter, view);
      const item = result.Items[0];
      if (!item) return null;
      if (result.Items.length > 1) {
        this.logger.warn('more than one Exchange item carries this job id; using the first', {
          jobId,
          folder,
        });
      }
      return { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey };
    });
  }

  async close(): Promise<void> {
    this.pool.close();
  }

  private buildMessage(service: ExchangeService, mail: OutgoingMail): EmailMessage {
    const message = new EmailMessage(service);
    message.Subject = xmlEscape(mail.subject);
    message.Body = new MessageBody(
      mail.bodyType === 'HTML' ? BodyType.HTML : BodyType.Text,
      xmlEscape(mail.body),
    );
    for (const a of mail.to) message.ToRecipients.Add(new EmailAddress(xmlEscape(a)));
    for (const a of mail.cc) message.CcRecipients.Add(new EmailAddress(xmlEscape(a)));
    for (const a of mail.bcc) message.BccRecipients.Add(new EmailAddress(xmlEscape(a)));
    for (const a of mail.replyTo) message.ReplyTo.Add(new EmailAddress(xmlEscape(a)));
    if (mail.from) message.From = new EmailAddress(xmlEscape(mail.from));
    message.Importance = Importance[mail.importance];
    message.Sensitivity = Sensitivity[mail.sensitivity];
    message.SetExtendedProperty(this.jobIdProperty, xmlEscape(mail.jobId));
    return message;
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
