/** simulator/mime: building RFC 5322 messages from stored items and parsing them back. */
import { MailboxStore } from '../../../simulator/mailbox-store';
import { buildMime } from '../../../simulator/mime/build-mime';
import { decodeWords, encodeWords } from '../../../simulator/mime/encoded-words';
import { parseAddressList, parseStructured } from '../../../simulator/mime/headers';
import { mimeToMessage } from '../../../simulator/mime/mime-to-message';
import { parseMime } from '../../../simulator/mime/parse-mime';
import { decodeQuotedPrintable, encodeQuotedPrintable } from '../../../simulator/mime/quoted-printable';
import type { AttachmentInfo, MessageContent, StoredItem } from '../../../simulator/model';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200ff00fe', 'hex');

function attachment(name: string, contentType: string, content: Buffer, extra: Partial<AttachmentInfo> = {}) {
  return { name, contentType, content, size: content.length, isInline: false, ...extra };
}

function storedItem(overrides: Partial<MessageContent>): StoredItem {
  const store = new MailboxStore('pw');
  const mailbox = store.addMailbox('sender@sim.test', undefined, 'Sender');
  const content: MessageContent = {
    itemClass: 'IPM.Note',
    subject: 'Hello',
    body: 'Hi there',
    bodyType: 'Text',
    importance: 'Normal',
    sensitivity: 'Normal',
    categories: [],
    to: [{ name: 'Anne Example', address: 'anne@example.com' }],
    cc: [],
    bcc: [],
    replyTo: [],
    extendedProperties: [],
    attachments: [],
    isRead: true,
    isReadReceiptRequested: false,
    isDeliveryReceiptRequested: false,
    ...overrides,
  };
  return store.createItem(store.folder(mailbox, 'drafts'), content, {
    isDraft: true,
    internetMessageId: '<ABC123@sim.test>',
  });
}

test('encoded-words and quoted-printable round trip non-ASCII text', () => {
  const text = 'Grüße aus Köln — 東京 📎 and a long tail to force several encoded words in one header line';
  const encoded = encodeWords(text);
  expect(encoded).toMatch(/^[\x20-\x7e]+$/);
  expect(encoded.split(' ').every((w) => w.length <= 75)).toBe(true);
  expect(decodeWords(encoded)).toBe(text);
  expect(encodeWords('plain ascii')).toBe('plain ascii');
  expect(decodeWords('=?ISO-8859-1?Q?Caf=E9_cr=E8me?=')).toBe('Café crème');

  const body = `${'x'.repeat(100)} = café\r\nsecond line \r\n`;
  const qp = encodeQuotedPrintable(body);
  expect(qp.split('\r\n').every((l) => l.length <= 76)).toBe(true);
  expect(decodeQuotedPrintable(qp).toString('utf8')).toBe(body);
});

test('headers: address lists with quoted and encoded names, RFC 2231 parameters', () => {
  expect(
    parseAddressList(
      '"Doe, John" <john@example.com>, =?UTF-8?B?w4Rrw7Y=?= <ako@example.com>, bare@example.com',
    ),
  ).toEqual([
    { name: 'Doe, John', address: 'john@example.com' },
    { name: 'Äkö', address: 'ako@example.com' },
    { address: 'bare@example.com' },
  ]);
  const cd = parseStructured("attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf; size=10");
  expect(cd.value).toBe('attachment');
  expect(cd.params.get('filename')).toBe('Résumé.pdf');
  expect(parseStructured('text/plain; charset="utf-8"').params.get('charset')).toBe('utf-8');
});

test('a plain message: single text part with RFC 5322 headers', () => {
  const item = storedItem({ subject: 'Quarterly report', importance: 'High', sensitivity: 'Private' });
  const mime = buildMime(item, { name: 'Sender', address: 'sender@sim.test' });
  const [head] = mime.split('\r\n\r\n');
  expect(head).toContain('From: Sender <sender@sim.test>');
  expect(head).toContain('To: Anne Example <anne@example.com>');
  expect(head).toContain('Subject: Quarterly report');
  expect(head).toContain('Message-ID: <ABC123@sim.test>');
  expect(head).toMatch(/Date: \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000/);
  expect(head).toContain('Importance: high');
  expect(head).toContain('Sensitivity: Private');
  expect(head).toContain('MIME-Version: 1.0');
  expect(head).toContain('Content-Type: text/plain; charset="utf-8"');
  expect(mime.split('\r\n').every((l) => l.length <= 998)).toBe(true);
});

test('round trip: non-ASCII subject and names, HTML body with an inline image and a file attachment', () => {
  const item = storedItem({
    subject: 'Übersicht — 報告',
    body: '<html><body><p>Grüße</p><img src="cid:logo@rc"></body></html>',
    bodyType: 'HTML',
    to: [{ name: 'Zoë Ünal', address: 'zoe@example.com' }],
    cc: [{ name: 'Doe, John', address: 'john@example.com' }],
    categories: ['Blue'],
    attachments: [
      attachment('logo.png', 'image/png', PNG, { isInline: true, contentId: 'logo@rc' }),
      attachment('Résumé.pdf', 'application/pdf', Buffer.from([0, 1, 2, 250, 251, 252])),
    ],
  });
  const mime = buildMime(item, { name: 'Sender', address: 'sender@sim.test' });
  expect(mime).toMatch(/^[\t\r\n -~]*$/);
  const tree = parseMime(Buffer.from(mime));
  expect(tree.contentType.value).toBe('multipart/mixed');
  expect(tree.children.map((c) => c.contentType.value)).toEqual(['multipart/related', 'application/pdf']);
  expect(tree.children[0].children.map((c) => c.contentType.value)).toEqual(['text/html', 'image/png']);
  expect(tree.children[1].disposition?.value).toBe('attachment');

  const back = mimeToMessage(Buffer.from(mime));
  expect(back.internetMessageId).toBe('<ABC123@sim.test>');
  expect(back.content).toMatchObject({
    subject: 'Übersicht — 報告',
    bodyType: 'HTML',
    body: item.body,
    from: { name: 'Sender', address: 'sender@sim.test' },
    to: [{ name: 'Zoë Ünal', address: 'zoe@example.com' }],
    cc: [{ name: 'Doe, John', address: 'john@example.com' }],
    categories: ['Blue'],
  });
  const atts = back.content.attachments;
  expect(atts.map((a) => [a.name, a.contentType, a.isInline, a.contentId ?? null])).toEqual([
    ['logo.png', 'image/png', true, 'logo@rc'],
    ['Résumé.pdf', 'application/pdf', false, null],
  ]);
  expect(atts[0].content?.equals(PNG)).toBe(true);
  expect(atts[1].content?.equals(Buffer.from([0, 1, 2, 250, 251, 252]))).toBe(true);
});

test('parses a typical client message: multipart/alternative, 8-bit header, base64 text', () => {
  const raw = [
    'From: =?utf-8?Q?J=C3=BCrgen?= <j@example.com>',
    'To: a@example.com, "B, Person" <b@example.com>',
    'Subject: =?utf-8?B?VGVzdCDinJM=?=',
    'Date: Tue, 3 Mar 2026 10:00:00 +0100',
    'X-Priority: 1',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary=alt',
    '',
    '--alt',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('plain text').toString('base64'),
    '--alt',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>html</p>',
    '--alt--',
    '',
  ].join('\r\n');
  const back = mimeToMessage(Buffer.from(raw));
  expect(back.content).toMatchObject({
    subject: 'Test ✓',
    from: { name: 'Jürgen', address: 'j@example.com' },
    to: [{ address: 'a@example.com' }, { name: 'B, Person', address: 'b@example.com' }],
    importance: 'High',
    body: '<p>html</p>',
    bodyType: 'HTML',
    attachments: [],
  });
  expect(back.date?.toISOString()).toBe('2026-03-03T09:00:00.000Z');
});
