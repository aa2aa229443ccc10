/**
 * Opaque AttachmentIds like Exchange's: base64 of the owning item's id bytes followed by a per-attachment key, so
 * an id names its root item (moving the item, e.g. on send, gives its attachments new ids too).
 */
import { randomBytes } from 'node:crypto';
import { isWellFormedItemId } from '../../ids';
import type { AttachmentInfo, StoredItem } from '../../model';
import { EwsError } from '../ews-error';

const KEY_MARKER = Buffer.from([0x01, 0x10]);
const KEY_BYTES = 16;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function newAttachmentKey(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/** The attachment's key, assigned on first use for attachments recorded without one. */
export function keyOf(attachment: AttachmentInfo): string {
  attachment.key ??= newAttachmentKey();
  return attachment.key;
}

export function attachmentId(item: StoredItem, attachment: AttachmentInfo): string {
  return Buffer.concat([
    Buffer.from(item.id, 'base64'),
    KEY_MARKER,
    Buffer.from(keyOf(attachment), 'hex'),
  ]).toString('base64');
}

/** Splits an AttachmentId into root ItemId and attachment key; ErrorInvalidIdMalformed when it is not one. */
export function parseAttachmentId(id: string): { itemId: string; key: string } {
  const malformed = () => new EwsError('ErrorInvalidIdMalformed', 'Id is malformed.');
  if (id === '') throw new EwsError('ErrorInvalidIdEmpty', 'Id is empty.');
  if (!BASE64.test(id)) throw malformed();
  const bytes = Buffer.from(id, 'base64');
  const split = bytes.length - KEY_BYTES - KEY_MARKER.length;
  if (split <= 0 || !bytes.subarray(split, split + KEY_MARKER.length).equals(KEY_MARKER)) throw malformed();
  const itemId = bytes.subarray(0, split).toString('base64');
  if (!isWellFormedItemId(itemId)) throw malformed();
  return { itemId, key: bytes.subarray(split + KEY_MARKER.length).toString('hex') };
}
