/**
 * Sending: validates recipients and Send As, delivers a copy to every recipient that is a simulator mailbox
 * (its Inbox, without Bcc and without the sender's extended properties), logs external recipients as outbound
 * mail, and optionally keeps the sender's copy (with its extended properties) in a folder.
 * With limits on (limits.ts): a message over the size limit fails with ErrorMessageSizeExceeded; beyond the
 * message rate the send succeeds but the message waits in the Outbox until the rate window has room.
 */
import { randomBytes } from 'node:crypto';
import { isValidSmtpAddress, normaliseAddress } from '../address';
import { estimatedMessageBytes, type Limits } from '../limits';
import type { Folder, MessageContent, StoredItem } from '../model';
import type { EwsContext } from './context';
import { EwsError } from './ews-error';
import { messageSizeExceededError } from './limit-responses';
import { messageXmlValue } from './response-writer';

export function newInternetMessageId(address: string): string {
  const domain = address.split('@')[1] ?? 'simulator.invalid';
  return `<${randomBytes(12).toString('hex').toUpperCase()}@${domain}>`;
}

/** Throws the error Exchange gives when a message cannot be submitted; returns nothing on success. */
export function validateForSend(ctx: EwsContext, content: MessageContent): void {
  const all = [...content.to, ...content.cc, ...content.bcc];
  if (all.length === 0) {
    throw new EwsError('ErrorMissingRecipients', 'The message must have at least one recipient.');
  }
  const invalid = all.find((r) => !isValidSmtpAddress(r.address));
  if (invalid) {
    throw new EwsError(
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid.",
      messageXmlValue('InvalidRecipient', invalid.address),
    );
  }
  if (content.from && !ctx.store.maySendAs(ctx.acting.address, content.from.address)) {
    throw new EwsError(
      'ErrorSendAsDenied',
      'The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.',
    );
  }
}

/**
 * Submits `content` as `ctx.acting`. `saveTo` receives the sender's copy (a new item), unless `existing` (a
 * draft being sent) is given, which is then moved there or deleted.
 */
export function submitMessage(
  ctx: EwsContext,
  content: MessageContent,
  saveTo: Folder | undefined,
  existing?: StoredItem,
): void {
  validateForSend(ctx, content);
  const { limits } = ctx;
  if (limits?.exceedsMessageSize(estimatedMessageBytes(content))) {
    limits.recordMessageSizeExceeded(ctx.acting);
    throw messageSizeExceededError();
  }
  const waitMs = limits?.reserveSubmission(ctx.acting) ?? 0;
  if (limits && waitMs > 0) deferSubmission(ctx, limits, waitMs, content, saveTo, existing);
  else submitNow(ctx, content, saveTo, existing);
}

/** Parks the message in the Outbox and submits it after `waitMs`, unless it was deleted from there meanwhile. */
function deferSubmission(
  ctx: EwsContext,
  limits: Limits,
  waitMs: number,
  content: MessageContent,
  saveTo: Folder | undefined,
  existing: StoredItem | undefined,
): void {
  const { store, acting } = ctx;
  const outbox = store.folder(acting, 'outbox');
  const pending = existing
    ? store.moveItem(existing, outbox)
    : store.createItem(
        outbox,
        { ...content, isRead: true },
        { isDraft: false, internetMessageId: newInternetMessageId(acting.address) },
      );
  pending.isDraft = false;
  limits.recordThrottle(acting, 'messageRateDeferred');
  limits.defer(acting, waitMs, () => {
    if (store.getItem(pending.id) !== pending) return;
    const target = saveTo && !store.folderById(saveTo.id) ? store.folder(acting, 'sentitems') : saveTo;
    try {
      submitNow(ctx, pending, target, pending);
    } catch (err) {
      ctx.logger.warn('simulator: deferred send failed; the message stays in the Outbox', {
        mailbox: acting.address,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  });
}

function submitNow(
  ctx: EwsContext,
  content: MessageContent,
  saveTo: Folder | undefined,
  existing?: StoredItem,
): void {
  validateForSend(ctx, content);
  const { store, acting } = ctx;
  const sent = new Date();
  const internetMessageId = existing?.internetMessageId ?? newInternetMessageId(acting.address);
  const from = content.from ?? { name: acting.displayName, address: acting.address };

  const external: string[] = [];
  const delivered = new Set<string>();
  for (const recipient of [...content.to, ...content.cc, ...content.bcc]) {
    const key = normaliseAddress(recipient.address);
    if (delivered.has(key)) continue;
    delivered.add(key);
    const mailbox = store.getMailbox(recipient.address);
    if (!mailbox) {
      external.push(recipient.address);
      continue;
    }
    store.createItem(
      store.folder(mailbox, 'inbox'),
      { ...content, from, bcc: [], extendedProperties: [], isRead: false },
      { isDraft: false, internetMessageId, sent, received: new Date() },
    );
  }
  if (external.length) {
    store.recordOutbound({
      at: sent.toISOString(),
      from: from.address,
      to: external,
      subject: content.subject,
      internetMessageId,
    });
  }

  if (existing) {
    if (saveTo) {
      existing.isDraft = false;
      existing.sent = sent;
      existing.received = sent;
      store.moveItem(existing, saveTo);
    } else {
      store.deleteItem(existing);
    }
  } else if (saveTo) {
    store.createItem(
      saveTo,
      { ...content, isRead: true },
      { isDraft: false, internetMessageId, sent, received: sent },
    );
  }
  acting.stats.sends += 1;
}
