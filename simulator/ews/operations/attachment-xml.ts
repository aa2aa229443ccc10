/** Reads t:FileAttachment from requests and writes it back as Exchange does (GetItem lists, GetAttachment bodies). */
import type { Element } from '@xmldom/xmldom';
import type { AttachmentInfo, StoredItem } from '../../model';
import { EwsError } from '../ews-error';
import { simpleText } from '../parse-message';
import { ewsDate } from '../write-item';
import { childElement, childElements, escapeXml, TYPES_NS } from '../xml';
import { attachmentId, newAttachmentKey } from './attachment-ids';

const ATTACHMENT_KINDS = ['FileAttachment', 'ItemAttachment', 'ReferenceAttachment'];

function requiredPropertyMissing(field: string): EwsError {
  return new EwsError(
    'ErrorRequiredPropertyMissing',
    'Required property is missing.',
    `<t:ExceptionFieldURI FieldURI="${field}"/>`,
  );
}

/** One t:FileAttachment of a request; Name and Content are required like in Exchange. */
export function parseFileAttachment(el: Element): AttachmentInfo {
  if (el.localName !== 'FileAttachment') {
    throw new EwsError(
      'ErrorInvalidOperation',
      `The Exchange simulator stores file attachments only, not ${el.localName ?? 'this attachment type'}.`,
    );
  }
  const text = (name: string) => {
    const child = childElement(el, name, TYPES_NS);
    return child ? simpleText(child) : undefined;
  };
  const name = text('Name');
  if (name === undefined || name === '') throw requiredPropertyMissing('attachment:Name');
  const contentText = text('Content');
  if (contentText === undefined) throw requiredPropertyMissing('attachment:Content');
  const content = Buffer.from(contentText.replace(/\s+/g, ''), 'base64');
  const isInline = text('IsInline')?.trim();
  const contentId = text('ContentId');
  return {
    name,
    contentType: text('ContentType') || 'application/octet-stream',
    size: content.length,
    key: newAttachmentKey(),
    ...(contentId !== undefined && contentId !== '' ? { contentId } : {}),
    isInline: isInline === 'true' || isInline === '1',
    content,
    lastModified: new Date(),
  };
}

/** The attachment elements of t:Attachments / m:Attachments in a request. */
export function parseAttachmentList(el: Element | undefined): AttachmentInfo[] {
  if (!el) return [];
  return childElements(el, undefined, TYPES_NS)
    .filter((att) => ATTACHMENT_KINDS.includes(att.localName ?? ''))
    .map(parseFileAttachment);
}

/**
 * t:FileAttachment in schema order. `withContent` adds the bytes (GetAttachment); `rootIds` adds RootItemId and
 * RootItemChangeKey to the AttachmentId (CreateAttachment).
 */
export function renderFileAttachment(
  item: StoredItem,
  a: AttachmentInfo,
  options: { withContent?: boolean; rootIds?: boolean; idOnly?: boolean } = {},
): string {
  const root = options.rootIds ? ` RootItemId="${item.id}" RootItemChangeKey="${item.changeKey}"` : '';
  const id = `<t:AttachmentId Id="${attachmentId(item, a)}"${root}/>`;
  if (options.idOnly) return `<t:FileAttachment>${id}</t:FileAttachment>`;
  const parts = [
    id,
    `<t:Name>${escapeXml(a.name)}</t:Name>`,
    `<t:ContentType>${escapeXml(a.contentType)}</t:ContentType>`,
    a.contentId !== undefined ? `<t:ContentId>${escapeXml(a.contentId)}</t:ContentId>` : '',
    `<t:Size>${a.size}</t:Size>`,
    `<t:LastModifiedTime>${ewsDate(a.lastModified ?? item.lastModified)}</t:LastModifiedTime>`,
    `<t:IsInline>${a.isInline ? 'true' : 'false'}</t:IsInline>`,
    '<t:IsContactPhoto>false</t:IsContactPhoto>',
    options.withContent ? `<t:Content>${(a.content ?? Buffer.alloc(0)).toString('base64')}</t:Content>` : '',
  ];
  return `<t:FileAttachment>${parts.join('')}</t:FileAttachment>`;
}

/** t:Attachments with only the AttachmentIds, as Exchange returns them from CreateItem; '' without attachments. */
export function attachmentIdsXml(item: StoredItem): string {
  if (!item.attachments.length) return '';
  const atts = item.attachments.map((a) => renderFileAttachment(item, a, { idOnly: true }));
  return `<t:Attachments>${atts.join('')}</t:Attachments>`;
}
