/**
 * A stored message as an RFC 5322 / MIME message, the way Exchange writes MimeContent: headers, then the body as
 * text/plain or text/html (quoted-printable, UTF-8); inline attachments of an HTML body go in multipart/related
 * with it, and the other attachments make the whole multipart/mixed. Attachments are base64 parts with
 * Content-Disposition (attachment or inline, with filename) and Content-ID for inline ones.
 */
import { createHash } from 'node:crypto';
import type { AttachmentInfo, Recipient, StoredItem } from '../model';
import { encodeWords } from './encoded-words';
import { foldHeader, formatAddressList, formatDate } from './headers';
import { encodeQuotedPrintable } from './quoted-printable';

const SENSITIVITY_HEADER: Record<string, string> = {
  Personal: 'Personal',
  Private: 'Private',
  Confidential: 'Company-Confidential',
};

interface Part {
  headers: Array<[string, string]>;
  body: string;
}

function render(part: Part): string {
  return `${part.headers.map(([n, v]) => foldHeader(n, v)).join('\r\n')}\r\n\r\n${part.body}`;
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

function quotedParam(text: string): string {
  const encoded = encodeWords(text);
  return `"${encoded.replace(/(["\\])/g, '\\$1')}"`;
}

function bodyPart(item: StoredItem): Part {
  const type = item.bodyType === 'HTML' ? 'text/html' : 'text/plain';
  return {
    headers: [
      ['Content-Type', `${type}; charset="utf-8"`],
      ['Content-Transfer-Encoding', 'quoted-printable'],
    ],
    body: encodeQuotedPrintable(item.body),
  };
}

function attachmentPart(a: AttachmentInfo): Part {
  const name = quotedParam(a.name);
  const headers: Array<[string, string]> = [
    ['Content-Type', `${a.contentType}; name=${name}`],
    ['Content-Description', encodeWords(a.name)],
    ['Content-Disposition', `${a.isInline ? 'inline' : 'attachment'}; filename=${name}; size=${a.size}`],
  ];
  if (a.contentId !== undefined) headers.push(['Content-ID', `<${a.contentId.replace(/^<|>$/g, '')}>`]);
  headers.push(['Content-Transfer-Encoding', 'base64']);
  return { headers, body: base64Lines(a.content ?? Buffer.alloc(0)) };
}

function boundaryFor(item: StoredItem, level: number): string {
  const hash = createHash('sha1').update(`${item.id}/${level}`).digest('hex').slice(0, 24);
  return `_00${level}_${hash}_`;
}

function multipart(subtype: string, boundary: string, parts: Part[], extra = ''): Part {
  const body = parts.map((p) => `--${boundary}\r\n${render(p)}\r\n`).join('') + `--${boundary}--\r\n`;
  return { headers: [['Content-Type', `multipart/${subtype};${extra} boundary="${boundary}"`]], body };
}

function addressHeader(headers: Array<[string, string]>, name: string, list: Recipient[]): void {
  if (list.length) headers.push([name, formatAddressList(list)]);
}

/** The RFC 5322 text of a message (CRLF line ends). */
export function buildMime(item: StoredItem, sender: Recipient | undefined): string {
  const headers: Array<[string, string]> = [];
  if (sender) addressHeader(headers, 'From', [sender]);
  addressHeader(headers, 'To', item.to);
  addressHeader(headers, 'CC', item.cc);
  if (item.isDraft || item.folder.name === 'sentitems') addressHeader(headers, 'BCC', item.bcc);
  addressHeader(headers, 'Reply-To', item.replyTo);
  headers.push(['Subject', encodeWords(item.subject)]);
  headers.push(['Date', formatDate(item.sent ?? item.created)]);
  headers.push(['Message-ID', item.internetMessageId]);
  if (item.importance !== 'Normal') headers.push(['Importance', item.importance.toLowerCase()]);
  const sensitivity = SENSITIVITY_HEADER[item.sensitivity];
  if (sensitivity) headers.push(['Sensitivity', sensitivity]);
  if (item.categories.length) headers.push(['Keywords', item.categories.map(encodeWords).join(', ')]);
  headers.push(['Content-Language', 'en-US']);
  headers.push(['X-MS-Has-Attach', item.attachments.some((a) => !a.isInline) ? 'yes' : '']);

  const related = item.bodyType === 'HTML' ? item.attachments.filter((a) => a.isInline) : [];
  const mixed = item.attachments.filter((a) => !related.includes(a));
  let content = bodyPart(item);
  if (related.length) {
    content = multipart(
      'related',
      boundaryFor(item, 1),
      [content, ...related.map(attachmentPart)],
      ' type="text/html";',
    );
  }
  if (mixed.length) {
    content = multipart('mixed', boundaryFor(item, 2), [content, ...mixed.map(attachmentPart)]);
  }
  return render({ headers: [...headers, ...content.headers, ['MIME-Version', '1.0']], body: content.body });
}
