/**
 * What every job handler reads from its started job the same way: the payload (or a part of it) checked against
 * its zod schema, and the job's mailbox as the gateway addresses it.
 */
import type { z } from 'zod';
import { RcError } from '../errors';
import type { JobId, StartedJob } from '../db/store';
import type { MailboxTarget } from '../exchange/gateway';

/**
 * `value` parsed with `schema`; otherwise RcError('payload_invalid') naming every problem, each by its path
 * below `prefix` ('fields.subject') or, without a prefix, below the payload ('(payload)' for the payload itself).
 */
export function parseJobPayload<T extends z.ZodType>(
  schema: T,
  value: unknown,
  kind: string,
  jobId: JobId,
  prefix?: string,
): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => {
        const path = prefix === undefined ? i.path : [prefix, ...i.path];
        return `${path.map(String).join('.') || '(payload)'} ${i.message}`;
      })
      .join('; ');
    throw new RcError('payload_invalid', `${kind} payload of job ${jobId} is invalid: ${problems}`);
  }
  return parsed.data;
}

/** The job's mailbox as the ExchangeGateway addresses it. */
export function mailboxOf(job: StartedJob): MailboxTarget {
  return {
    smtpAddress: job.mailbox.smtpAddress,
    transport: job.mailbox.transport,
    ewsUrl: job.mailbox.ewsUrl,
  };
}
