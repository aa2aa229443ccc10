/**
 * SendMail: the payload rc_SendMail wrote (+ its rc.JobAttachments rows) → an OutgoingMail → Exchange.
 *
 * Exactly-once: every sent mail carries its JobId as an extended property. On attempt > 1 an earlier attempt
 * may have reached Exchange before the worker died or lost its connection, so the handler first looks for the
 * job's item in Sent Items and records that one instead of sending again; an item still in the Outbox was
 * submitted already (with a saved copy: wait until Exchange files it; without one: done). A mail with
 * attachments goes through a draft (see the gateway); the gateway replaces a draft an earlier attempt left
 * behind, so a crash between draft and send never yields two mails. With save_to_sent = 0 there is no copy to
 * find: a crash between Exchange accepting the mail and SQL recording it sends it again (at least once).
 */
import { z } from 'zod';
import { RcError } from '../errors';
import type { OutgoingAttachment, OutgoingMail } from '../exchange/gateway';
import type { ExchangeResult, JobId } from '../db/store';
import type { JobContext } from './job-handler';
import { mailboxOf, parseJobPayload } from './job-input';
import { loadMailAttachments } from './mail-attachments';

/** How long a retry waits for a submitted mail to move from the Outbox to Sent Items. */
const OUTBOX_RECHECK_MS = 5000;

const optionalText = z.string().nullable().optional();

/** The payload contract (notes/spec.md, "SendMail payload"). */
export const sendMailPayloadSchema = z.object({
  recipients: optionalText,
  copyRecipients: optionalText,
  blindCopyRecipients: optionalText,
  fromAddress: optionalText,
  replyTo: optionalText,
  subject: z.string().default(''),
  body: z.string().default(''),
  bodyFormat: z.enum(['TEXT', 'HTML']).default('TEXT'),
  importance: z.enum(['Low', 'Normal', 'High']).default('Normal'),
  sensitivity: z.enum(['Normal', 'Personal', 'Private', 'Confidential']).default('Normal'),
  // Issue 4; absent in payloads written before, hence the defaults.
  categories: z
    .array(z.string())
    .nullable()
    .default([])
    .transform((c) => c ?? []),
  readReceipt: z.boolean().default(false),
  deliveryReceipt: z.boolean().default(false),
  /** null → the worker's RC_EWS_SAVE_SENT_COPY. */
  saveToSent: z.boolean().nullable().default(null),
});

export type SendMailPayload = z.infer<typeof sendMailPayloadSchema>;

/** 'a@x.com; b@y.com' → ['a@x.com', 'b@y.com'] (';' is the contract, ',' tolerated). */
export function splitAddressList(list: string | null | undefined): string[] {
  if (!list) return [];
  return list
    .split(/[;,]/)
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/**
 * Validates and maps a payload; throws RcError('payload_invalid') naming every problem. `saveCopyDefault` is the
 * worker's RC_EWS_SAVE_SENT_COPY, used when the payload's saveToSent is null.
 */
export function toOutgoingMail(
  jobId: JobId,
  payload: unknown,
  saveCopyDefault: boolean,
  attachments: OutgoingAttachment[] = [],
): OutgoingMail {
  const p = parseJobPayload(sendMailPayloadSchema, payload, 'SendMail', jobId);
  const to = splitAddressList(p.recipients);
  const cc = splitAddressList(p.copyRecipients);
  const bcc = splitAddressList(p.blindCopyRecipients);
  if (to.length + cc.length + bcc.length === 0) {
    throw new RcError('payload_invalid', `SendMail payload of job ${jobId} has no recipient at all`);
  }
  const from = p.fromAddress?.trim() ? p.fromAddress.trim() : null;
  return {
    jobId,
    to,
    cc,
    bcc,
    replyTo: splitAddressList(p.replyTo),
    from,
    subject: p.subject,
    body: p.body,
    bodyType: p.bodyFormat === 'HTML' ? 'HTML' : 'Text',
    importance: p.importance,
    sensitivity: p.sensitivity,
    categories: p.categories,
    readReceipt: p.readReceipt,
    deliveryReceipt: p.deliveryReceipt,
    saveCopy: p.saveToSent ?? saveCopyDefault,
    attachments,
  };
}

export async function sendMailHandler(context: JobContext): Promise<ExchangeResult> {
  const { job, gateway, logger, settings, store } = context;
  const mail = toOutgoingMail(job.jobId, job.payload, settings.saveSentCopy);
  const mailbox = mailboxOf(job);
  if (job.attempt > 1) {
    const existing = await gateway.findItemByJobId(mailbox, 'sentitems', job.jobId);
    if (existing) {
      logger.info('mail was already sent by an earlier attempt; recording it instead of sending again', {
        attempt: job.attempt,
      });
      return { itemId: existing.itemId, changeKey: existing.changeKey };
    }
    const submitted = await gateway.findItemByJobId(mailbox, 'outbox', job.jobId);
    if (submitted) {
      if (!mail.saveCopy) {
        logger.info('mail of an earlier attempt is in the Outbox already; not sending it again');
        return { itemId: null, changeKey: null };
      }
      throw new RcError(
        'exchange_transient',
        `SendMail job ${job.jobId}: an earlier attempt's mail is still in the Outbox; waiting for Exchange to file it in Sent Items`,
        { retryable: true, retryAfterMs: OUTBOX_RECHECK_MS },
      );
    }
  }
  // Files are checked (inside RC_FILE_ATTACHMENT_DIR, sizes) before anything reaches Exchange.
  const loaded =
    job.attachmentCount === 0
      ? { attachments: [], totalBytes: 0 }
      : await loadMailAttachments(store, job.jobId, settings.fileAttachmentDir, mail.body.length);
  if (loaded.attachments.length > 0) {
    logger.debug('sending with attachments', {
      attachments: loaded.attachments.length,
      bytes: loaded.totalBytes,
    });
  }
  const sent = await gateway.sendMail(mailbox, { ...mail, attachments: loaded.attachments });
  return { itemId: sent?.itemId ?? null, changeKey: sent?.changeKey ?? null };
}
