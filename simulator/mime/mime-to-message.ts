/**
 * MIME message → the simulator's message content (CreateItem with MimeContent): headers become fields, the
 * first text/html (else text/plain) part outside attachments becomes the body, the other leaf parts become
 * file attachments (inline ones with their Content-ID).
 */
import type { AttachmentInfo, Importance, MessageContent, Sensitivity } from '../model';
import { newAttachmentKey } from '../ews/operations/attachment-ids';
import { decodeWords } from './encoded-words';
import { header, parseAddressList, parseDate } from './headers';
import { entityText, type MimeEntity, parseMime } from './parse-mime';

export interface MimeMessage {
  content: MessageContent;
  internetMessageId?: string;
  date?: Date;
}

function importanceOf(entity: MimeEntity): Importance {
  const value = (header(entity.headers, 'Importance') ?? '').toLowerCase();
  if (value === 'high' || value === 'low') return value === 'high' ? 'High' : 'Low';
  const priority = /^\s*(\d)/.exec(header(entity.headers, 'X-Priority') ?? '')?.[1];
  if (priority === '1' || priority === '2') return 'High';
  if (priority === '4' || priority === '5') return 'Low';
  return 'Normal';
}

function sensitivityOf(entity: MimeEntity): Sensitivity {
  const value = (header(entity.headers, 'Sensitivity') ?? '').toLowerCase();
  if (value === 'personal') return 'Personal';
  if (value === 'private') return 'Private';
  if (value === 'company-confidential') return 'Confidential';
  return 'Normal';
}

function isAttachment(entity: MimeEntity): boolean {
  const disposition = entity.disposition?.value;
  if (disposition === 'attachment') return true;
  const named = entity.disposition?.params.has('filename') || entity.contentType.params.has('name');
  if (disposition === 'inline' && named) return true;
  return !entity.contentType.value.startsWith('text/') || (named && disposition !== 'inline');
}

function leaves(entity: MimeEntity): MimeEntity[] {
  return entity.children.length ? entity.children.flatMap(leaves) : [entity];
}

function toAttachment(entity: MimeEntity): AttachmentInfo {
  const name =
    entity.disposition?.params.get('filename') ?? entity.contentType.params.get('name') ?? 'attachment';
  const cid = header(entity.headers, 'Content-ID')?.trim().replace(/^<|>$/g, '');
  return {
    name,
    contentType: entity.contentType.value || 'application/octet-stream',
    size: entity.content.length,
    key: newAttachmentKey(),
    ...(cid ? { contentId: cid } : {}),
    isInline: entity.disposition?.value === 'inline',
    content: entity.content,
    lastModified: new Date(),
  };
}

export function mimeToMessage(raw: Buffer): MimeMessage {
  const root = parseMime(raw);
  const text = (name: string) => {
    const value = header(root.headers, name);
    return value === undefined ? undefined : decodeWords(value);
  };
  const parts = leaves(root);
  const bodies = parts.filter((p) => !isAttachment(p));
  const body =
    bodies.find((p) => p.contentType.value === 'text/html') ??
    bodies.find((p) => p.contentType.value === 'text/plain');
  const addresses = (name: string) => parseAddressList(header(root.headers, name));
  const from = addresses('From')[0];
  const messageId = header(root.headers, 'Message-ID')?.trim();
  const keywords = text('Keywords');
  return {
    content: {
      itemClass: 'IPM.Note',
      subject: text('Subject') ?? '',
      body: body ? entityText(body).replace(/\r?\n/g, '\r\n') : '',
      bodyType: body?.contentType.value === 'text/plain' ? 'Text' : 'HTML',
      importance: importanceOf(root),
      sensitivity: sensitivityOf(root),
      categories: keywords
        ? keywords
            .split(',')
            .map((k) => k.trim())
            .filter(Boolean)
        : [],
      ...(from ? { from } : {}),
      to: addresses('To'),
      cc: addresses('Cc'),
      bcc: addresses('Bcc'),
      replyTo: addresses('Reply-To'),
      extendedProperties: [],
      attachments: parts.filter((p) => p !== body && isAttachment(p)).map(toAttachment),
      isRead: true,
      isReadReceiptRequested: header(root.headers, 'Disposition-Notification-To') !== undefined,
      isDeliveryReceiptRequested: false,
    },
    ...(messageId ? { internetMessageId: messageId } : {}),
    date: parseDate(header(root.headers, 'Date')),
  };
}
