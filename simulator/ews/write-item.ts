/**
 * Renders a stored item as t:Message (or t:CalendarItem / t:Contact / t:Task with ItemType's fields) for GetItem,
 * FindItem and SyncFolderItems, honouring the requested shape.
 */
import { mimeContentXml } from '../mime/mime-content';
import type { Mailbox, Recipient, StoredItem } from '../model';
import {
  meetingTag,
  renderCalendarFields,
  renderMeetingFields,
  renderReminder,
} from '../calendar/render-calendar';
import { contactOrTaskXml } from './contact-task-hooks';
import { renderExtendedProperty } from './extended-property';
import { renderFileAttachment } from './operations/attachment-xml';
import { FIELD_ORDER, type FieldUri, type ItemShape } from './item-shape';
import { escapeXml } from './xml';

export function ewsDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function textToHtml(text: string): string {
  const escaped = escapeXml(text).replace(/\r?\n/g, '<br>\r\n');
  return (
    '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n</head>\r\n' +
    `<body>\r\n<div>${escaped}</div>\r\n</body>\r\n</html>\r\n`
  );
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div)\s*\/?>/gi, '\r\n')
    .replace(/<(style|script|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

function mailboxXml(recipient: Recipient, lookup: (address: string) => Mailbox | undefined): string {
  const known = lookup(recipient.address);
  const name = recipient.name ?? known?.displayName ?? recipient.address;
  return (
    `<t:Mailbox><t:Name>${escapeXml(name)}</t:Name><t:EmailAddress>${escapeXml(recipient.address)}</t:EmailAddress>` +
    `<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${known ? 'Mailbox' : 'OneOff'}</t:MailboxType></t:Mailbox>`
  );
}

export function itemSize(item: StoredItem): number {
  return (
    1024 +
    Buffer.byteLength(item.subject) +
    Buffer.byteLength(item.body) +
    item.attachments.reduce((sum, a) => sum + a.size, 0)
  );
}

export function senderOf(item: StoredItem): Recipient | undefined {
  if (item.isDraft) return item.from;
  return item.from ?? { name: item.mailbox.displayName, address: item.mailbox.address };
}

export function renderMessage(
  item: StoredItem,
  shape: ItemShape,
  lookup: (address: string) => Mailbox | undefined,
): string {
  const parts: string[] = [
    mimeContentXml(item, shape),
    `<t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>`,
  ];
  const has = (field: FieldUri) => shape.fields.has(field);
  const bool = (b: boolean) => (b ? 'true' : 'false');
  const recipients = (tag: string, list: Recipient[]) =>
    list.length ? `<t:${tag}>${list.map((r) => mailboxXml(r, lookup)).join('')}</t:${tag}>` : '';
  const single = (tag: string, r: Recipient | undefined) =>
    r ? `<t:${tag}>${mailboxXml(r, lookup)}</t:${tag}>` : '';
  const sender = senderOf(item);
  for (const field of FIELD_ORDER) {
    parts.push(contactOrTaskXml(item, shape, field));
    if (field === 'item:DisplayCc') parts.push(renderReminder(item, shape));
    if (field === 'item:ExtendedProperty') {
      for (const wanted of shape.extended) {
        const prop = item.extendedProperties.find((p) => p.key === wanted.key);
        if (prop) parts.push(renderExtendedProperty(prop, wanted.path));
      }
      continue;
    }
    if (!has(field)) continue;
    // MessageType's own elements exist only on messages; other kinds render ItemType's part of the shape.
    if (item.kind !== 'Message' && field.startsWith('message:')) continue;
    switch (field) {
      case 'item:ParentFolderId':
        parts.push(`<t:ParentFolderId Id="${item.folder.id}" ChangeKey="${item.folder.changeKey}"/>`);
        break;
      case 'item:ItemClass':
        parts.push(`<t:ItemClass>${escapeXml(item.itemClass)}</t:ItemClass>`);
        break;
      case 'item:Subject':
        parts.push(`<t:Subject>${escapeXml(item.subject)}</t:Subject>`);
        break;
      case 'item:Sensitivity':
        parts.push(`<t:Sensitivity>${item.sensitivity}</t:Sensitivity>`);
        break;
      case 'item:Body': {
        const type = shape.bodyType === 'Best' ? item.bodyType : shape.bodyType;
        const body =
          type === item.bodyType
            ? item.body
            : type === 'HTML'
              ? textToHtml(item.body)
              : htmlToText(item.body);
        parts.push(`<t:Body BodyType="${type}" IsTruncated="false">${escapeXml(body)}</t:Body>`);
        break;
      }
      case 'item:Attachments':
        if (item.attachments.length) {
          const atts = item.attachments.map((a) => renderFileAttachment(item, a));
          parts.push(`<t:Attachments>${atts.join('')}</t:Attachments>`);
        }
        break;
      case 'item:DateTimeReceived':
        parts.push(
          `<t:DateTimeReceived>${ewsDate(item.received ?? item.sent ?? item.created)}</t:DateTimeReceived>`,
        );
        break;
      case 'item:Size':
        parts.push(`<t:Size>${itemSize(item)}</t:Size>`);
        break;
      case 'item:Categories':
        if (item.categories.length) {
          parts.push(
            `<t:Categories>${item.categories.map((c) => `<t:String>${escapeXml(c)}</t:String>`).join('')}</t:Categories>`,
          );
        }
        break;
      case 'item:Importance':
        parts.push(`<t:Importance>${item.importance}</t:Importance>`);
        break;
      case 'item:IsSubmitted':
        parts.push(`<t:IsSubmitted>${bool(!item.isDraft && item.folder.name === 'outbox')}</t:IsSubmitted>`);
        break;
      case 'item:IsDraft':
        parts.push(`<t:IsDraft>${bool(item.isDraft)}</t:IsDraft>`);
        break;
      case 'item:IsFromMe':
        parts.push(`<t:IsFromMe>${bool(item.folder.name === 'sentitems')}</t:IsFromMe>`);
        break;
      case 'item:IsResend':
        parts.push('<t:IsResend>false</t:IsResend>');
        break;
      case 'item:IsUnmodified':
        parts.push(`<t:IsUnmodified>${bool(!item.isDraft)}</t:IsUnmodified>`);
        break;
      case 'item:DateTimeSent':
        if (item.sent) parts.push(`<t:DateTimeSent>${ewsDate(item.sent)}</t:DateTimeSent>`);
        break;
      case 'item:DateTimeCreated':
        parts.push(`<t:DateTimeCreated>${ewsDate(item.created)}</t:DateTimeCreated>`);
        break;
      case 'item:DisplayCc':
        parts.push(
          `<t:DisplayCc>${escapeXml(item.cc.map((r) => r.name ?? r.address).join('; '))}</t:DisplayCc>`,
        );
        break;
      case 'item:DisplayTo':
        parts.push(
          `<t:DisplayTo>${escapeXml(item.to.map((r) => r.name ?? r.address).join('; '))}</t:DisplayTo>`,
        );
        break;
      case 'item:HasAttachments':
        parts.push(`<t:HasAttachments>${bool(item.attachments.length > 0)}</t:HasAttachments>`);
        break;
      case 'item:LastModifiedTime':
        parts.push(`<t:LastModifiedTime>${ewsDate(item.lastModified)}</t:LastModifiedTime>`);
        break;
      case 'message:Sender':
        parts.push(single('Sender', sender));
        break;
      case 'message:ToRecipients':
        parts.push(recipients('ToRecipients', item.to));
        break;
      case 'message:CcRecipients':
        parts.push(recipients('CcRecipients', item.cc));
        break;
      case 'message:BccRecipients':
        parts.push(recipients('BccRecipients', item.bcc));
        break;
      case 'message:IsReadReceiptRequested':
        parts.push(
          `<t:IsReadReceiptRequested>${bool(item.isReadReceiptRequested)}</t:IsReadReceiptRequested>`,
        );
        break;
      case 'message:IsDeliveryReceiptRequested':
        parts.push(
          `<t:IsDeliveryReceiptRequested>${bool(item.isDeliveryReceiptRequested)}</t:IsDeliveryReceiptRequested>`,
        );
        break;
      case 'message:ConversationTopic':
        parts.push(`<t:ConversationTopic>${escapeXml(item.subject)}</t:ConversationTopic>`);
        break;
      case 'message:From':
        parts.push(single('From', sender));
        break;
      case 'message:InternetMessageId':
        parts.push(`<t:InternetMessageId>${escapeXml(item.internetMessageId)}</t:InternetMessageId>`);
        break;
      case 'message:IsRead':
        parts.push(`<t:IsRead>${bool(item.isRead)}</t:IsRead>`);
        break;
      case 'message:ReplyTo':
        parts.push(recipients('ReplyTo', item.replyTo));
        break;
    }
  }
  parts.push(contactOrTaskXml(item, shape, 'end'));
  parts.push(renderCalendarFields(item, shape, lookup), renderMeetingFields(item, shape));
  const tag = meetingTag(item) ?? item.kind;
  return `<t:${tag}>${parts.join('')}</t:${tag}>`;
}
