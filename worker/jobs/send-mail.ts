/**
 * SendMail: the payload rc_SendMail wrote → an OutgoingMail → Exchange.
 *
 * Exactly-once: every sent mail carries its JobId as an extended property. On attempt > 1 an earlier attempt
 * may have reached Exchange before the worker died or lost its connection, so the handler first looks for
 * the job's item in Sent Items and records that one instead of sending again.
 */
import { z } from 'zod';
import { RcError } from '../errors';
import type { OutgoingMail } from '../exchange/gateway';
import type { ExchangeResult, JobId } from '../db/store';
import type { JobContext } from './job-handler';

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

/** Validates and maps a payload; throws RcError('payload_invalid') naming every problem. */
export function toOutgoingMail(jobId: JobId, payload: unknown, saveCopy: boolean): OutgoingMail {
  const parsed = sendMailPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(payload)'} ${i.message}`)
      .join('; ');
    throw new RcError('payload_invalid', `SendMail payload of job ${jobId} is invalid: ${problems}`);
  }
  const p = parsed.data;
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
    saveCopy,
  };
}

export async function sendMailHandler(context: JobContext): Promise<ExchangeResult> {
  const { job, gateway, logger, settings } = context;
  const mail = toOutgoingMail(job.jobId, job.payload, settings.saveSentCopy);
  const mailbox = {
    smtpAddress: job.mailbox.smtpAddress,
    transport: job.mailbox.transport,
    ewsUrl: job.mailbox.ewsUrl,
  };
  if (job.attempt > 1) {
    const existing = await gateway.findItemByJobId(mailbox, 'sentitems', job.jobId);
    if (existing) {
      logger.info('mail was already sent by an earlier attempt; recording it instead of sending again', {
        attempt: job.attempt,
      });
      return { itemId: existing.itemId, changeKey: existing.changeKey };
    }
  }
  const sent = await gateway.sendMail(mailbox, mail);
  return { itemId: sent?.itemId ?? null, changeKey: sent?.changeKey ?? null };
}
