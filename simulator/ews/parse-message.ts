/**
 * Reads a t:Message from CreateItem into MessageContent. Elements that are text-only in the schema must not
 * contain elements: a gateway that forgets to escape an HTML body produces exactly that, and Exchange rejects it
 * with ErrorSchemaValidation, so we do too.
 */
import type { Element } from '@xmldom/xmldom';
import type { BodyType, Importance, MessageContent, Recipient, Sensitivity } from '../model';
import { parseExtendedProperty } from './extended-property';
import { parseAttachmentList } from './operations/attachment-xml';
import { schemaValidationFault } from './soap-fault';
import { attr, childElement, childElements, positionOf, TYPES_NS } from './xml';

const IMPORTANCE: readonly Importance[] = ['Low', 'Normal', 'High'];
const SENSITIVITY: readonly Sensitivity[] = ['Normal', 'Personal', 'Private', 'Confidential'];
const BODY_TYPES: readonly BodyType[] = ['HTML', 'Text'];

/** Text content of an element whose schema type is simple; child elements are a schema violation. */
export function simpleText(el: Element): string {
  const nested = childElements(el)[0];
  if (nested) {
    const at = positionOf(nested);
    throw schemaValidationFault(
      at.line,
      at.column,
      `The element '${el.localName ?? ''}' in namespace '${el.namespaceURI ?? ''}' cannot contain child element ` +
        `'${nested.localName ?? ''}' in namespace '${nested.namespaceURI ?? ''}' because the parent element's content model is text only.`,
    );
  }
  return el.textContent ?? '';
}

function enumText<T extends string>(el: Element, allowed: readonly T[], typeName: string): T {
  const value = simpleText(el);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const at = positionOf(el);
  throw schemaValidationFault(
    at.line,
    at.column,
    `The '${TYPES_NS}:${el.localName ?? ''}' element is invalid - The value '${value}' is invalid according to its ` +
      `datatype '${TYPES_NS}:${typeName}' - The Enumeration constraint failed.`,
  );
}

function booleanText(el: Element): boolean {
  const value = simpleText(el).trim();
  return value === 'true' || value === '1';
}

export function parseMailbox(mailboxEl: Element): Recipient {
  const nameEl = childElement(mailboxEl, 'Name', TYPES_NS);
  const addressEl = childElement(mailboxEl, 'EmailAddress', TYPES_NS);
  const recipient: Recipient = { address: addressEl ? simpleText(addressEl).trim() : '' };
  if (nameEl) recipient.name = simpleText(nameEl);
  return recipient;
}

function parseRecipients(el: Element | undefined): Recipient[] {
  return el ? childElements(el, 'Mailbox', TYPES_NS).map(parseMailbox) : [];
}

export function parseMessage(el: Element): MessageContent {
  const child = (name: string) => childElement(el, name, TYPES_NS);
  const bodyEl = child('Body');
  const categories = child('Categories');
  const fromEl = child('From');
  const fromMailbox = fromEl && childElement(fromEl, 'Mailbox', TYPES_NS);
  const itemClass = child('ItemClass');
  const subject = child('Subject');
  const importance = child('Importance');
  const sensitivity = child('Sensitivity');
  const isRead = child('IsRead');
  const readReceipt = child('IsReadReceiptRequested');
  const deliveryReceipt = child('IsDeliveryReceiptRequested');
  return {
    itemClass: itemClass ? simpleText(itemClass) : 'IPM.Note',
    subject: subject ? simpleText(subject) : '',
    body: bodyEl ? simpleText(bodyEl) : '',
    bodyType: bodyEl ? bodyTypeOf(bodyEl) : 'HTML',
    importance: importance ? enumText(importance, IMPORTANCE, 'ImportanceChoicesType') : 'Normal',
    sensitivity: sensitivity ? enumText(sensitivity, SENSITIVITY, 'SensitivityChoicesType') : 'Normal',
    categories: categories ? childElements(categories, 'String', TYPES_NS).map(simpleText) : [],
    from: fromMailbox ? parseMailbox(fromMailbox) : undefined,
    to: parseRecipients(child('ToRecipients')),
    cc: parseRecipients(child('CcRecipients')),
    bcc: parseRecipients(child('BccRecipients')),
    replyTo: parseRecipients(child('ReplyTo')),
    extendedProperties: childElements(el, 'ExtendedProperty', TYPES_NS).map(parseExtendedProperty),
    attachments: parseAttachmentList(child('Attachments')),
    isRead: isRead ? booleanText(isRead) : true,
    isReadReceiptRequested: readReceipt ? booleanText(readReceipt) : false,
    isDeliveryReceiptRequested: deliveryReceipt ? booleanText(deliveryReceipt) : false,
  };
}

function bodyTypeOf(bodyEl: Element): BodyType {
  const value = attr(bodyEl, 'BodyType') ?? '';
  if ((BODY_TYPES as readonly string[]).includes(value)) return value as BodyType;
  const at = positionOf(bodyEl);
  throw schemaValidationFault(
    at.line,
    at.column,
    `The 'BodyType' attribute is invalid - The value '${value}' is invalid according to its datatype ` +
      `'${TYPES_NS}:BodyTypeType' - The Enumeration constraint failed.`,
  );
}
