/** Resolves t:AttachmentId to the stored attachment and its root item, with Exchange's error codes. */
import type { Element } from '@xmldom/xmldom';
import { isWellFormedItemId } from '../../ids';
import type { AttachmentInfo, StoredItem } from '../../model';
import { assertMailboxAccess, type EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { attr } from '../xml';
import { keyOf, parseAttachmentId } from './attachment-ids';

export interface ResolvedAttachment {
  item: StoredItem;
  attachment: AttachmentInfo;
  index: number;
}

export function resolveAttachment(ctx: EwsContext, ref: Element): ResolvedAttachment {
  const { itemId, key } = parseAttachmentId(attr(ref, 'Id') ?? '');
  const item = ctx.store.getItem(itemId);
  const notFound = () =>
    new EwsError('ErrorItemNotFound', 'The specified object was not found in the store.');
  if (!item) throw notFound();
  if (!item.mailbox.isPublic) assertMailboxAccess(ctx, item.mailbox);
  const index = item.attachments.findIndex((a) => keyOf(a) === key);
  if (index < 0) throw notFound();
  return { item, attachment: item.attachments[index], index };
}

/** m:ParentItemId of CreateAttachment (an ItemIdType under another name), checked like t:ItemId. */
export function resolveParentItem(ctx: EwsContext, ref: Element): StoredItem {
  const id = attr(ref, 'Id') ?? '';
  if (id === '') throw new EwsError('ErrorInvalidIdEmpty', 'Id is empty.');
  if (!isWellFormedItemId(id)) throw new EwsError('ErrorInvalidIdMalformed', 'Id is malformed.');
  const item = ctx.store.getItem(id);
  if (!item) throw new EwsError('ErrorItemNotFound', 'The specified object was not found in the store.');
  if (!item.mailbox.isPublic) assertMailboxAccess(ctx, item.mailbox);
  return item;
}
