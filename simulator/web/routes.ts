/**
 * Routes of the simulator's web view (people, not programs, are its audience; programs use /_sim):
 *   GET /                                         mailboxes
 *   GET /mailboxes/{address}                      the mailbox's folder tree with item counts
 *   GET /mailboxes/{address}/folders/{folderId}   the folder's newest items
 *   GET /mailboxes/{address}/items/{itemId}       one item
 *   GET /_web/live?path={page path}               {version} of that page's content (the pages poll it)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { send, sendJson } from '../http-util';
import type { MailboxStore } from '../mailbox-store';
import { pathSegments } from './html';
import { LIVE_PATH, PAGE_HEADERS, renderLayout, versionOf } from './layout';
import { folderPage, homePage, itemPage, mailboxPage, type PageContent } from './pages';

/** The page at `pathname`, or undefined when no web-view page lives there. */
function resolvePage(store: MailboxStore, pathname: string): PageContent | undefined {
  if (pathname === '/') return homePage(store);
  const s = pathSegments(pathname);
  if (!s || s[0] !== 'mailboxes' || s.length < 2) return undefined;
  const address = s[1] as string;
  if (s.length === 2) return mailboxPage(store, address);
  if (s.length === 4 && s[2] === 'folders') return folderPage(store, address, s[3] as string);
  if (s.length === 4 && s[2] === 'items') return itemPage(store, address, s[3] as string);
  return undefined;
}

/** Serves web-view routes; returns false when `url` is not one of them. */
export function handleWeb(req: IncomingMessage, res: ServerResponse, url: URL, store: MailboxStore): boolean {
  if (req.method !== 'GET') return false;
  if (url.pathname === LIVE_PATH) {
    const page = resolvePage(store, url.searchParams.get('path') ?? '/');
    if (!page) sendJson(res, 404, { error: 'no web-view page at that path' });
    else sendJson(res, 200, { version: versionOf(page.main) });
    return true;
  }
  const page = resolvePage(store, url.pathname);
  if (!page) return false;
  const html = renderLayout(page.title, page.crumbs, page.main, versionOf(page.main));
  send(res, page.status, 'text/html; charset=utf-8', html, PAGE_HEADERS);
  return true;
}
