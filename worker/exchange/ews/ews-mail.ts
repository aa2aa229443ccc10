/**
 * Sending mail over EWS (ews-javascript-api 0.15.3), used by EwsGateway.sendMail.
 *
 * Without attachments: one CreateItem with MessageDisposition SendAndSaveCopy (SendOnly when no copy is wanted).
 * With attachments: CreateItem SaveOnly (a draft in Drafts carrying the job property) → one CreateAttachment per
 * attachment → SendItem. Only one attachment is in memory at a time: its bytes are read (OutgoingAttachment.read),
 * turned into base64 and uploaded, and nothing keeps a reference to either afterwards. Letting the library add
 * all attachments to the message instead would hold every attachment's bytes, base64 and XML at once, in one
 * request that can exceed Exchange's request size limit.
 *
 * Copies of one attachment of N bytes while it is uploaded (ews-javascript-api 0.15.3's source, and measured by
 * tests/integration/ews-mail-memory.test.ts): the Buffer (N, garbage once encoded) → its base64 string (4/3 N,
 * held by the FileAttachment until the request is answered) → the SOAP envelope the library concatenates and
 * flattens with trim() (4/3 N) → the UTF-8 request body (4/3 N; ews-xhr.ts drops the envelope string when it
 * takes these bytes). Left alone, the library would also re-parse the sent envelope into a DOM after the answer
 * and axios would keep it reachable until the next request; ews-xhr.ts prevents both. Measured peak for
 * 3 × 10 MB: about 5 × one attachment above the idle process (RSS, uncollected garbage included), nothing of an
 * attachment left alive when the next is read; ews-javascript-api's own all-in-one upload: about 14 ×.
 *
 * Exactly-once with drafts: the draft carries the job property from its creation. A retry (after a crash between
 * draft and SendItem) first looks in Drafts: a draft left by an earlier attempt is deleted (HardDelete) and the
 * mail built again from scratch — finishing it instead would need to know which of its attachments had arrived.
 * If that draft vanishes between FindItem and DeleteItem, the earlier attempt is sending it right now: the call
 * fails as retryable, and the next attempt finds the mail in Sent Items.
 *
 * Every string handed to the library is XML-escaped first (it does not escape; see xml-escape.ts).
 */
import {
  AffectedTaskOccurrence,
  BodyType,
  DeleteMode,
  EmailAddress,
  EmailMessage,
  ExtendedPropertyDefinition,
  FileAttachment,
  Importance,
  ItemId,
  MessageBody,
  SendCancellationsMode,
  Sensitivity,
  ServiceError,
  ServiceResponseException,
  ServiceResult,
  StringList,
  WellKnownFolderName,
  type Attachment,
  type ExchangeService,
  type ServiceResponse,
  type ServiceResponseCollection,
} from 'ews-javascript-api';
import { RcError } from '../../errors';
import type { Logger } from '../../log';
import type { JobId } from '../../db/store';
import type { ItemRef, MailboxTarget, OutgoingAttachment, OutgoingMail, WellKnownFolder } from '../gateway';
import type { EwsRun } from './ews-call';
import { JOB_ID_PROPERTY } from './ews-properties';
import { xmlEscape } from './xml-escape';

/** What the mail code needs from the gateway: its guarded call and the job-property lookup. */
export interface EwsMailContext {
  /** Runs one EWS operation on the mailbox's service (fresh credentials) with the gateway's guarded call. */
  run: EwsRun;
  find(mailbox: MailboxTarget, folder: WellKnownFolder, jobId: JobId): Promise<ItemRef | null>;
  logger: Logger;
}

/**
 * Members of ews-javascript-api 0.15.3 that its typings leave out although the library uses them itself
 * (ExchangeService.CreateAttachments, the FileAttachment(owner) constructor that makes the attachment update its
 * owner's ChangeKey from the response, the ServiceResponseException(response) constructor).
 */
interface ServiceInternals {
  CreateAttachments(
    parentItemId: string,
    attachments: Attachment[],
  ): Promise<ServiceResponseCollection<ServiceResponse>>;
}
const FileAttachmentOf = FileAttachment as unknown as new (owner: EmailMessage) => FileAttachment;
/** … and the exception it throws for an error response (typed as Error(message) only). */
const ResponseException = ServiceResponseException as unknown as new (response: ServiceResponse) => Error;

/** Throws the first error response of a ReturnErrors call as the library's own exception (classified later). */
function throwOnError(responses: ServiceResponseCollection<ServiceResponse>): void {
  for (let i = 0; i < responses.Count; i += 1) {
    const response = responses.__thisIndexer(i);
    if (response.Result === ServiceResult.Error) throw new ResponseException(response);
  }
}

/** The message with every field of the mail except attachments, stamped with the job property. */
export function buildMessage(
  service: ExchangeService,
  mail: OutgoingMail,
  jobIdProperty: ExtendedPropertyDefinition,
): EmailMessage {
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
  if (mail.categories.length > 0) message.Categories = new StringList(mail.categories.map(xmlEscape));
  if (mail.readReceipt) message.IsReadReceiptRequested = true;
  if (mail.deliveryReceipt) message.IsDeliveryReceiptRequested = true;
  message.SetExtendedProperty(jobIdProperty, xmlEscape(mail.jobId));
  return message;
}

/**
 * One attachment as a FileAttachment of `draft`, its bytes read and turned into base64 here so that the Buffer
 * is garbage as soon as this returns (only the base64 string lives on, inside the attachment).
 */
async function fileAttachment(draft: EmailMessage, attachment: OutgoingAttachment): Promise<FileAttachment> {
  const base64 = (await attachment.read()).toString('base64');
  const file = new FileAttachmentOf(draft);
  file.Name = xmlEscape(attachment.name);
  file.ContentType = xmlEscape(attachment.contentType ?? 'application/octet-stream');
  if (attachment.contentId !== null) file.ContentId = xmlEscape(attachment.contentId);
  file.IsInline = attachment.isInline;
  file.Base64Content = base64;
  return file;
}

export class EwsMail {
  constructor(private readonly ctx: EwsMailContext) {}

  /** Sends the mail; the saved copy is looked up by the caller. */
  async send(mailbox: MailboxTarget, mail: OutgoingMail): Promise<void> {
    if (mail.attachments.length === 0) await this.sendDirect(mailbox, mail);
    else await this.sendViaDraft(mailbox, mail);
  }

  private async sendDirect(mailbox: MailboxTarget, mail: OutgoingMail): Promise<void> {
    await this.ctx.run(mailbox, `CreateItem (send mail) for ${mailbox.smtpAddress}`, async (service) => {
      const message = buildMessage(service, mail, JOB_ID_PROPERTY);
      if (mail.saveCopy) await message.SendAndSaveCopy(WellKnownFolderName.SentItems);
      else await message.Send();
    });
  }

  private async sendViaDraft(mailbox: MailboxTarget, mail: OutgoingMail): Promise<void> {
    const who = mailbox.smtpAddress;
    const leftover = await this.ctx.find(mailbox, 'drafts', mail.jobId);
    if (leftover) await this.deleteLeftoverDraft(mailbox, mail.jobId, leftover);

    const draft = await this.ctx.run(mailbox, `CreateItem (draft) for ${who}`, async (service) => {
      const message = buildMessage(service, mail, JOB_ID_PROPERTY);
      await message.Save(WellKnownFolderName.Drafts);
      return message;
    });
    for (const [index, attachment] of mail.attachments.entries()) {
      await this.upload(mailbox, draft, attachment, `${index + 1}/${mail.attachments.length}`);
    }
    // run() fetches the mailbox's service first: fresh credentials for the draft's service.
    await this.ctx.run(mailbox, `SendItem for ${who}`, async () => {
      if (mail.saveCopy) await draft.SendAndSaveCopy(WellKnownFolderName.SentItems);
      else await draft.Send();
    });
  }

  /**
   * One attachment: read, encode, CreateAttachment. Its own method on purpose: everything that holds the
   * attachment lives in this call's frame and is garbage when it returns. (Inline in the loop, the closure
   * passed to `call` put the FileAttachment into the loop's context, which the async function kept alive while
   * the next attachment was read: two attachments in memory at once, measured.)
   */
  private async upload(
    mailbox: MailboxTarget,
    draft: EmailMessage,
    attachment: OutgoingAttachment,
    position: string,
  ): Promise<void> {
    // Read outside the EWS call: a SQL or file error is not an Exchange error.
    const file = await fileAttachment(draft, attachment);
    await this.ctx.run(
      mailbox,
      `CreateAttachment ${position} for ${mailbox.smtpAddress}`,
      async (service) => {
        const internals = service as unknown as ServiceInternals;
        throwOnError(await internals.CreateAttachments(draft.Id.UniqueId, [file]));
      },
    );
  }

  private async deleteLeftoverDraft(mailbox: MailboxTarget, jobId: JobId, draft: ItemRef): Promise<void> {
    this.ctx.logger.info('replacing the draft an earlier attempt left behind', { jobId });
    await this.ctx.run(mailbox, `DeleteItem (leftover draft) for ${mailbox.smtpAddress}`, async (service) => {
      const responses = await service.DeleteItems(
        [new ItemId(draft.itemId)],
        DeleteMode.HardDelete,
        SendCancellationsMode.SendToNone,
        AffectedTaskOccurrence.AllOccurrences,
      );
      const response = responses.__thisIndexer(0);
      if (response.Result === ServiceResult.Error && response.ErrorCode === ServiceError.ErrorItemNotFound) {
        throw new RcError(
          'exchange_transient',
          `SendMail job ${jobId}: the draft an earlier attempt left in Drafts disappeared while it was being replaced (that attempt is sending it); checking Sent Items again on the next attempt`,
          { retryable: true },
        );
      }
      throwOnError(responses);
    });
  }
}
