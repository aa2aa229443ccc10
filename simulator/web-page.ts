/** GET / : a small self-refreshing HTML page listing mailboxes → folders → newest items. All text is escaped. */
import type { MailboxStore } from './mailbox-store';
import type { StoredItem } from './model';
import { escapeXml as escapeHtml } from './ews/xml';

const ITEMS_PER_FOLDER = 25;

function itemRow(item: StoredItem): string {
  const from = item.from?.address ?? (item.isDraft ? '' : item.mailbox.address);
  const to = item.to.map((r) => r.address).join('; ');
  return (
    `<tr><td>${escapeHtml(item.created.toISOString())}</td><td>${escapeHtml(from)}</td><td>${escapeHtml(to)}</td>` +
    `<td>${escapeHtml(item.subject)}</td></tr>`
  );
}

export function renderWebPage(store: MailboxStore): string {
  const sections = store.listMailboxes().map((mailbox) => {
    const folders = [...mailbox.folders.values()]
      .filter((f) => f.name !== 'root' && f.name !== 'msgfolderroot')
      .map((folder) => {
        const newest = [...folder.items.values()].slice(-ITEMS_PER_FOLDER).reverse();
        const rows = newest.map(itemRow).join('');
        const table = rows
          ? `<table><tr><th>Created</th><th>From</th><th>To</th><th>Subject</th></tr>${rows}</table>`
          : '';
        return `<details${rows ? ' open' : ''}><summary>${escapeHtml(folder.displayName)} (${folder.items.size})</summary>${table}</details>`;
      })
      .join('');
    return `<section><h2>${escapeHtml(mailbox.displayName)} &lt;${escapeHtml(mailbox.address)}&gt;</h2>${folders}</section>`;
  });
  const outbound = store.outbound().length;
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">' +
    '<title>rc-exchange simulator</title><style>body{font-family:sans-serif;margin:1em}table{border-collapse:collapse}' +
    'td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}section{margin-bottom:1.5em}</style></head><body>' +
    `<h1>rc-exchange Exchange simulator</h1><p>${outbound} message(s) sent to external addresses ` +
    '(<a href="/_sim/outbound">outbound log</a>, <a href="/_sim/stats">stats</a>).</p>' +
    `${sections.join('') || '<p>No mailboxes.</p>'}</body></html>`
  );
}
