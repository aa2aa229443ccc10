/**
 * The body of an item page: headers, the body (HTML sanitised and shown in a sandboxed srcdoc frame under its own
 * CSP; text escaped), attachments, extended properties, and the calendar / contact / task fields the model keeps.
 */
import type { ExtendedPropertyPath, Recipient, StoredItem } from '../model';
import { escapeHtml as e, formatTime, hrefs, recipientText } from './html';
import { sanitizeHtml } from './sanitize-html';

/** Policy of the frame document itself (it also inherits the page's): nothing may load but data: images. */
export const BODY_FRAME_CSP = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'";

type Row = [label: string, value: string | undefined];

/** A definition list of the rows that have a value; values are plain text and get escaped here. */
function fields(rows: Row[], id?: string): string {
  const shown = rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
  const items = shown.map(([label, value]) => `<dt>${e(label)}</dt><dd>${e(value)}</dd>`).join('');
  return `<dl class="headers"${id ? ` id="${id}"` : ''}>${items}</dl>`;
}

const list = (rs: Recipient[] | undefined) =>
  rs && rs.length ? rs.map(recipientText).join('; ') : undefined;

function headers(item: StoredItem): string {
  const from = item.from ? recipientText(item.from) : item.isDraft ? undefined : item.mailbox.address;
  return fields(
    [
      ['From', from],
      ['To', list(item.to)],
      ['Cc', list(item.cc)],
      ['Bcc', list(item.bcc)],
      ['Reply-To', list(item.replyTo)],
      ['Importance', item.importance],
      ['Sensitivity', item.sensitivity],
      ['Categories', item.categories.join(', ')],
      ['Item class', item.itemClass],
      ['Received', formatTime(item.received)],
      ['Sent', formatTime(item.sent)],
      ['Created', formatTime(item.created)],
      ['Last modified', formatTime(item.lastModified)],
      ['Internet message id', item.internetMessageId],
      ['Flags', [item.isRead ? 'read' : 'unread', item.isDraft ? 'draft' : ''].filter(Boolean).join(', ')],
      ['Item id', item.id],
      ['Change key', item.changeKey],
    ],
    'headers',
  );
}

function body(item: StoredItem): string {
  if (item.body === '') return '<h2>Body</h2><p class="empty">No body.</p>';
  if (item.bodyType !== 'HTML')
    return `<h2>Body (text)</h2><pre class="body" id="body">${e(item.body)}</pre>`;
  const doc =
    `<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" ` +
    `content="${e(BODY_FRAME_CSP)}"></head><body>${sanitizeHtml(item.body)}</body></html>`;
  // No allow-scripts and no allow-same-origin: the frame is an opaque origin that cannot run anything. Links
  // (target=_blank) may open a new tab on a click, and only then does anything leave the machine.
  return (
    '<h2>Body (HTML, sanitised)</h2><iframe class="body" id="body" title="Message body" ' +
    `sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" srcdoc="${e(doc)}"></iframe>`
  );
}

function attachments(item: StoredItem): string {
  if (!item.attachments.length) return '';
  const rows = item.attachments
    .map(
      (a, n) =>
        `<tr><td><a href="${e(hrefs.attachment(item.mailbox.address, item.id, n))}" download>${e(a.name)}</a>` +
        `</td><td>${e(a.contentType)}</td><td class="count">${a.size}</td></tr>`,
    )
    .join('');
  return (
    `<h2>Attachments (${item.attachments.length})</h2>` +
    `<table id="attachments"><tr><th>Name</th><th>Content type</th><th>Size (bytes)</th></tr>${rows}</table>`
  );
}

function propertyName(p: ExtendedPropertyPath): string {
  if (p.propertyTag !== undefined) return `tag ${p.propertyTag}`;
  if (p.propertyName !== undefined) return p.propertyName;
  return p.propertyId !== undefined ? `id ${p.propertyId}` : '';
}

function extendedProperties(item: StoredItem): string {
  if (!item.extendedProperties.length) return '';
  const rows = item.extendedProperties
    .map(({ path, value }) => {
      const set = path.distinguishedPropertySetId ?? path.propertySetId ?? '';
      return (
        `<tr><td>${e(set)}</td><td>${e(propertyName(path))}</td><td>${e(path.propertyType)}</td>` +
        `<td>${e(value)}</td></tr>`
      );
    })
    .join('');
  return (
    `<h2>Extended properties (${item.extendedProperties.length})</h2><table id="extended-properties">` +
    `<tr><th>Property set</th><th>Name / id / tag</th><th>Type</th><th>Value</th></tr>${rows}</table>`
  );
}

function kindFields(item: StoredItem): string {
  const { calendar, contact, task } = item;
  let out = '';
  if (calendar) {
    out +=
      '<h2>Meeting</h2>' +
      fields(
        [
          ['Start', formatTime(calendar.start)],
          ['End', formatTime(calendar.end)],
          ['All day', calendar.isAllDayEvent ? 'yes' : 'no'],
          ['Location', calendar.location],
          ['Organizer', calendar.organizer && recipientText(calendar.organizer)],
          ['Required attendees', list(calendar.requiredAttendees)],
          ['Optional attendees', list(calendar.optionalAttendees)],
        ],
        'meeting',
      );
  }
  if (contact) {
    out +=
      '<h2>Contact</h2>' +
      fields([
        ['Display name', contact.displayName],
        ['Given name', contact.givenName],
        ['Surname', contact.surname],
        ['Company', contact.companyName],
        ['Email addresses', contact.emailAddresses.join('; ')],
      ]);
  }
  if (task) {
    out +=
      '<h2>Task</h2>' +
      fields([
        ['Status', task.status],
        ['Percent complete', String(task.percentComplete)],
        ['Start', formatTime(task.startDate)],
        ['Due', formatTime(task.dueDate)],
        ['Completed', formatTime(task.completeDate)],
      ]);
  }
  return out;
}

export function itemDetails(item: StoredItem): string {
  return headers(item) + kindFields(item) + body(item) + attachments(item) + extendedProperties(item);
}
