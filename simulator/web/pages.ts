/**
 * The web view's pages: mailboxes → a mailbox's folder tree → a folder's items → one item. Each function returns
 * the page's <main> markup (every dynamic value escaped, every URL from `hrefs`) plus its title and breadcrumb;
 * routes.ts wraps it in the layout and the live endpoint hashes it.
 */
import type { MailboxStore } from '../mailbox-store';
import type { Folder, Mailbox, StoredItem } from '../model';
import { escapeHtml as e, formatTime, hrefs, recipientText } from './html';
import type { Crumb } from './layout';
import { itemDetails } from './item-details';

export interface PageContent {
  status: number;
  title: string;
  crumbs: Crumb[];
  main: string;
}

/** Newest items shown in a folder listing; the page says when there are more. */
const FOLDER_PAGE_SIZE = 200;

function mailboxCrumbs(mailbox: Mailbox): Crumb[] {
  return [{ label: mailbox.address, href: hrefs.mailbox(mailbox.address) }];
}

function notFound(what: string): PageContent {
  return {
    status: 404,
    title: 'Not found',
    crumbs: [],
    main: `<h1>Not found</h1><p class="empty">${e(what)}</p>`,
  };
}

function itemCount(mailbox: Mailbox): number {
  let n = 0;
  for (const folder of mailbox.folders.values()) n += folder.items.size;
  return n;
}

export function homePage(store: MailboxStore): PageContent {
  const rows = store
    .listMailboxes()
    .map(
      (m) =>
        `<tr><td><a href="${e(hrefs.mailbox(m.address))}">${e(m.address)}</a></td><td>${e(m.displayName)}</td>` +
        `<td class="count">${itemCount(m)}</td><td class="count">${m.stats.requests}</td>` +
        `<td class="count">${m.stats.sends}</td><td class="count">${m.stats.throttled}</td></tr>`,
    )
    .join('');
  const table = rows
    ? '<table><tr><th>Mailbox</th><th>Display name</th><th>Items</th><th>EWS requests</th><th>Sends</th>' +
      `<th>Throttled</th></tr>${rows}</table>`
    : '<p class="empty">No mailboxes. Start the simulator with --mailbox, or POST /_sim/mailboxes.</p>';
  const outbound = store.outbound().length;
  return {
    status: 200,
    title: 'Mailboxes',
    crumbs: [],
    main:
      `<h1>Mailboxes</h1>${table}<p class="muted">${outbound} message(s) relayed to external addresses ` +
      '(<a href="/_sim/outbound">outbound log</a>).</p>',
  };
}

/** Folders below msgfolderroot in tree order, with their depth under it. */
function folderTree(mailbox: Mailbox): Array<{ folder: Folder; depth: number }> {
  const out: Array<{ folder: Folder; depth: number }> = [];
  const visit = (folder: Folder, depth: number) => {
    if (depth > 0) out.push({ folder, depth });
    for (const child of folder.children.values()) visit(child, depth + 1);
  };
  const top = mailbox.folders.get('msgfolderroot');
  if (top) visit(top, 0);
  return out;
}

export function mailboxPage(store: MailboxStore, address: string): PageContent {
  const mailbox = store.getMailbox(address);
  if (!mailbox) return notFound(`There is no mailbox ${address}.`);
  const rows = folderTree(mailbox)
    .map(({ folder, depth }) => {
      const indent = `padding-left:${depth * 1.2}em`;
      return (
        `<tr><td style="${indent}"><a href="${e(hrefs.folder(mailbox.address, folder.id))}">` +
        `${e(folder.displayName)}</a></td><td class="muted">${e(folder.folderClass)}</td>` +
        `<td class="count">${folder.items.size}</td></tr>`
      );
    })
    .join('');
  return {
    status: 200,
    title: mailbox.address,
    crumbs: [{ label: mailbox.address }],
    main:
      `<h1>${e(mailbox.displayName)} &lt;${e(mailbox.address)}&gt;</h1>` +
      `<table><tr><th>Folder</th><th>Class</th><th>Items</th></tr>${rows}</table>`,
  };
}

function itemRow(item: StoredItem): string {
  const from = item.from ? recipientText(item.from) : item.isDraft ? '' : item.mailbox.address;
  const when = item.received ?? item.sent ?? item.created;
  const subject = item.subject === '' ? '(no subject)' : item.subject;
  const n = item.attachments.length;
  const clip = n ? ` <span class="muted">· ${n} attachment${n === 1 ? '' : 's'}</span>` : '';
  return (
    `<tr><td><a href="${e(hrefs.item(item.mailbox.address, item.id))}">${e(subject)}</a>${clip}</td>` +
    `<td>${e(from)}</td><td>${e(item.to.map(recipientText).join('; '))}</td>` +
    `<td>${e(formatTime(when))}</td><td class="muted">${e(item.itemClass)}</td></tr>`
  );
}

export function folderPage(store: MailboxStore, address: string, folderId: string): PageContent {
  const found = store.folderById(folderId);
  const mailbox = store.getMailbox(address);
  if (!found || !mailbox || found.mailbox !== mailbox)
    return notFound(`There is no such folder in ${address}.`);
  const { folder } = found;
  const items = [...folder.items.values()];
  const newest = items.slice(-FOLDER_PAGE_SIZE).reverse();
  const more =
    items.length > newest.length
      ? `<p class="muted">Showing the newest ${newest.length} of ${items.length} items.</p>`
      : '';
  const table = newest.length
    ? '<table><tr><th>Subject</th><th>From</th><th>To</th><th>Received / created</th><th>Item class</th></tr>' +
      `${newest.map(itemRow).join('')}</table>`
    : '<p class="empty">This folder is empty.</p>';
  return {
    status: 200,
    title: `${folder.displayName} · ${mailbox.address}`,
    crumbs: [...mailboxCrumbs(mailbox), { label: folder.displayName }],
    main: `<h1>${e(folder.displayName)} <span class="count">(${items.length})</span></h1>${more}${table}`,
  };
}

export function itemPage(store: MailboxStore, address: string, itemId: string): PageContent {
  const item = store.getItem(itemId);
  const mailbox = store.getMailbox(address);
  if (!item || !mailbox || item.mailbox !== mailbox)
    return notFound(
      `There is no such item in ${address} (it may have been moved or deleted; moving changes its id).`,
    );
  const subject = item.subject === '' ? '(no subject)' : item.subject;
  return {
    status: 200,
    title: subject,
    crumbs: [
      ...mailboxCrumbs(mailbox),
      { label: item.folder.displayName, href: hrefs.folder(mailbox.address, item.folder.id) },
      { label: subject },
    ],
    main: `<h1 id="subject">${e(subject)}</h1>${itemDetails(item)}`,
  };
}
