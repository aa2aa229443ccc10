/**
 * The EWS side of MimeContent: GetItem's t:MimeContent (base64 of the RFC 5322 message, CharacterSet="UTF-8")
 * when the shape asks for it, and CreateItem from a t:Message carrying t:MimeContent, where elements given
 * beside it override what the MIME headers say.
 */
import type { Element } from '@xmldom/xmldom';
import type { MessageContent, StoredItem } from '../model';
import { EwsError } from '../ews/ews-error';
import { simpleText } from '../ews/parse-message';
import { senderOf } from '../ews/write-item';
import { childElement, TYPES_NS } from '../ews/xml';
import { buildMime } from './build-mime';
import { mimeToMessage } from './mime-to-message';

/** t:MimeContent when the shape has IncludeMimeContent or names item:MimeContent; '' otherwise. */
export function mimeContentXml(
  item: StoredItem,
  shape: { includeMimeContent?: boolean; explicit: string[] },
): string {
  const wanted = shape.includeMimeContent || shape.explicit.includes('item:MimeContent');
  if (!wanted || item.kind !== 'Message') return '';
  const mime = Buffer.from(buildMime(item, senderOf(item)), 'utf8').toString('base64');
  return `<t:MimeContent CharacterSet="UTF-8">${mime}</t:MimeContent>`;
}

/** Request elements of t:Message → the MessageContent fields they set. */
const OVERRIDES: ReadonlyArray<[string, Array<keyof MessageContent>]> = [
  ['ItemClass', ['itemClass']],
  ['Subject', ['subject']],
  ['Sensitivity', ['sensitivity']],
  ['Body', ['body', 'bodyType']],
  ['Categories', ['categories']],
  ['Importance', ['importance']],
  ['ExtendedProperty', ['extendedProperties']],
  ['ToRecipients', ['to']],
  ['CcRecipients', ['cc']],
  ['BccRecipients', ['bcc']],
  ['IsReadReceiptRequested', ['isReadReceiptRequested']],
  ['IsDeliveryReceiptRequested', ['isDeliveryReceiptRequested']],
  ['From', ['from']],
  ['IsRead', ['isRead']],
  ['ReplyTo', ['replyTo']],
];

/** `parsed` (from the t:Message elements) merged over its MimeContent, if it has one. */
export function applyMimeContent(
  itemEl: Element,
  parsed: MessageContent,
): { content: MessageContent; internetMessageId?: string } {
  const mimeEl = childElement(itemEl, 'MimeContent', TYPES_NS);
  if (!mimeEl) return { content: parsed };
  const raw = Buffer.from(simpleText(mimeEl).replace(/\s+/g, ''), 'base64');
  if (raw.length === 0) throw new EwsError('ErrorMimeContentInvalid', 'The MIME content is not valid.');
  const fromMime = mimeToMessage(raw);
  const content: MessageContent = { ...fromMime.content };
  const target = content as unknown as Record<string, unknown>;
  const source = parsed as unknown as Record<string, unknown>;
  for (const [element, fields] of OVERRIDES) {
    if (!childElement(itemEl, element, TYPES_NS)) continue;
    for (const field of fields) target[field] = source[field];
  }
  content.attachments = [...fromMime.content.attachments, ...parsed.attachments];
  return { content, internetMessageId: fromMime.internetMessageId };
}
