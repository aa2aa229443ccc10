/**
 * JSON admin API for tests, the demo and people (no authentication: the simulator is a local test double).
 *   GET  /_sim/mailboxes                         mailboxes with per-folder item counts
 *   POST /_sim/mailboxes {address,password?,displayName?}
 *   GET  /_sim/mailboxes/{address}/items?folder=sentitems   items (all folders without ?folder)
 *   GET  /_sim/mailboxes/{address}/items/{id}/attachments/{n}   attachment bytes (admin-attachments.ts)
 *   GET  /_sim/public-folders/items              items of every public folder (folderPath 'Sales/Customers')
 *   GET  /_sim/outbound                          mail sent to addresses that are not simulator mailboxes
 *   GET  /_sim/stats                             per-mailbox counters: requests (+ by EWS operation), sends,
 *                                                throttled (+ by kind), messageSizeExceeded, concurrent (+ peak),
 *                                                deferredSends
 *   GET|POST /_sim/faults {throttleRate,backOffMs,errorRate,latencyMs,dropRate,tooManyRequestsRate,
 *                          retryAfterSeconds}
 *   (limits and tokens: see limits-admin.ts)
 *   POST /_sim/reset                             clears items, outbound log, counters; keeps mailboxes
 *   POST /_sim/oauth-clients {clientId,clientSecret?}
 *   POST /_sim/grants {principal,right:'impersonation'} | {principal,right:'sendAs'|'fullAccess',mailbox}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isValidSmtpAddress } from './address';
import { type AdminAttachment, handleAttachmentDownload, toAdminAttachment } from './admin-attachments';
import type { OAuthClients } from './auth/oauth-token-endpoint';
import type { FaultSettings } from './faults';
import type { Limits } from './limits';
import { readBody, sendJson } from './http-util';
import type { MailboxStore } from './mailbox-store';
import {
  isDistinguishedFolderName,
  PUBLIC_FOLDERS_ROOT,
  type Folder,
  type Mailbox,
  type StoredItem,
} from './model';

const TOP_FOLDERS = new Set<string>(['root', 'msgfolderroot', PUBLIC_FOLDERS_ROOT]);

export interface AdminDeps {
  store: MailboxStore;
  clients: OAuthClients;
  getFaults: () => FaultSettings;
  setFaults: (patch: Partial<FaultSettings>) => FaultSettings;
  limits: Limits;
}

export interface AdminItem {
  id: string;
  changeKey: string;
  itemClass: string;
  subject: string;
  from: string | null;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  body: string;
  bodyType: string;
  importance: string;
  sensitivity: string;
  categories: string[];
  attachments: AdminAttachment[];
  extendedProperties: Array<Record<string, string | number | undefined>>;
  internetMessageId: string;
  isDraft: boolean;
  isRead: boolean;
  created: string;
  sent: string | null;
  folder: string;
  /** Display names from the top of the mailbox (or public folder tree) down: 'Contacts/Field staff'. */
  folderPath: string;
  /** The folder's FolderClass ('IPF.Contact', …). */
  folderClass: string;
  /** Kind-specific fields (Dates as ISO strings in the JSON): calendar items, contacts, tasks; else null. */
  calendar: StoredItem['calendar'] | null;
  contact: StoredItem['contact'] | null;
  task: StoredItem['task'] | null;
}

export function toAdminItem(item: StoredItem): AdminItem {
  const addresses = (list: Array<{ address: string }>) => list.map((r) => r.address);
  return {
    id: item.id,
    changeKey: item.changeKey,
    itemClass: item.itemClass,
    subject: item.subject,
    from: item.from?.address ?? (item.isDraft ? null : item.mailbox.address),
    to: addresses(item.to),
    cc: addresses(item.cc),
    bcc: addresses(item.bcc),
    replyTo: addresses(item.replyTo),
    body: item.body,
    bodyType: item.bodyType,
    importance: item.importance,
    sensitivity: item.sensitivity,
    categories: [...item.categories],
    attachments: item.attachments.map(toAdminAttachment),
    extendedProperties: item.extendedProperties.map((p) => ({ ...p.path, value: p.value })),
    internetMessageId: item.internetMessageId,
    isDraft: item.isDraft,
    isRead: item.isRead,
    created: item.created.toISOString(),
    sent: item.sent ? item.sent.toISOString() : null,
    folder: item.folder.name,
    folderPath: folderPath(item.folder),
    folderClass: item.folder.folderClass,
    calendar: item.calendar ?? null,
    contact: item.contact ?? null,
    task: item.task ?? null,
  };
}

/** The folder's display names below the top of its tree (root, msgfolderroot, publicfoldersroot left out). */
function folderPath(folder: Folder): string {
  const names: string[] = [];
  for (let f: Folder | undefined = folder; f && !TOP_FOLDERS.has(f.distinguishedId ?? ''); f = f.parent) {
    names.unshift(f.displayName);
  }
  return names.join('/');
}

function mailboxSummary(mailbox: Mailbox) {
  const folders: Record<string, number> = {};
  for (const folder of mailbox.folders.values()) folders[folder.name] = folder.items.size;
  return { address: mailbox.address, displayName: mailbox.displayName, folders };
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req, 1024 * 1024);
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new SyntaxError('body must be a JSON object');
  return value as Record<string, unknown>;
}

function badRequest(res: ServerResponse, message: string): void {
  sendJson(res, 400, { error: message });
}

/** Handles /_sim/… routes; returns false when the path is not an admin route. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: AdminDeps,
): Promise<boolean> {
  const path = url.pathname;
  if (!path.startsWith('/_sim/')) return false;
  const { store } = deps;
  const method = req.method ?? 'GET';
  let body: Record<string, unknown> = {};
  if (method === 'POST') {
    try {
      body = await jsonBody(req);
    } catch (err) {
      badRequest(res, `invalid JSON body: ${(err as Error).message}`);
      return true;
    }
  }
  const route = `${method} ${path}`;

  if (method === 'GET' && handleAttachmentDownload(store, path, res)) return true;
  if (route === 'GET /_sim/mailboxes') {
    sendJson(res, 200, store.listMailboxes().map(mailboxSummary));
  } else if (route === 'POST /_sim/mailboxes') {
    const { address, password, displayName } = body;
    if (typeof address !== 'string' || !isValidSmtpAddress(address))
      return (badRequest(res, 'address must be a valid SMTP address'), true);
    if (password !== undefined && typeof password !== 'string')
      return (badRequest(res, 'password must be a string'), true);
    if (displayName !== undefined && typeof displayName !== 'string')
      return (badRequest(res, 'displayName must be a string'), true);
    sendJson(res, 201, mailboxSummary(store.addMailbox(address, password, displayName)));
  } else if (method === 'GET' && /^\/_sim\/mailboxes\/[^/]+\/items$/.test(path)) {
    const address = decodeURIComponent(path.split('/')[3]);
    const mailbox = store.getMailbox(address);
    if (!mailbox) {
      sendJson(res, 404, { error: `no mailbox ${address}` });
      return true;
    }
    const folderName = url.searchParams.get('folder');
    if (folderName !== null && !isDistinguishedFolderName(folderName))
      return (badRequest(res, `unknown folder ${folderName}`), true);
    const folders = folderName ? [store.folder(mailbox, folderName)] : [...mailbox.folders.values()];
    sendJson(
      res,
      200,
      folders.flatMap((f) => [...f.items.values()].map(toAdminItem)),
    );
  } else if (route === 'GET /_sim/public-folders/items') {
    const folders = [...store.publicFolders.folders.values()];
    sendJson(
      res,
      200,
      folders.flatMap((f) => [...f.items.values()].map(toAdminItem)),
    );
  } else if (route === 'GET /_sim/outbound') {
    sendJson(res, 200, store.outbound());
  } else if (route === 'GET /_sim/stats') {
    const mailboxes: Record<string, Mailbox['stats'] & ReturnType<Limits['countersFor']>> = {};
    for (const m of store.listMailboxes())
      mailboxes[m.address] = { ...m.stats, ...structuredClone(deps.limits.countersFor(m)) };
    sendJson(res, 200, { mailboxes, outbound: store.outbound().length });
  } else if (route === 'GET /_sim/faults') {
    sendJson(res, 200, deps.getFaults());
  } else if (route === 'POST /_sim/faults') {
    try {
      sendJson(res, 200, deps.setFaults(body as Partial<FaultSettings>));
    } catch (err) {
      badRequest(res, (err as Error).message);
    }
  } else if (route === 'POST /_sim/reset') {
    store.reset();
    deps.limits.reset();
    sendJson(res, 200, { reset: true });
  } else if (route === 'POST /_sim/oauth-clients') {
    const { clientId, clientSecret } = body;
    if (typeof clientId !== 'string' || clientId === '')
      return (badRequest(res, 'clientId must be a non-empty string'), true);
    if (clientSecret !== undefined && typeof clientSecret !== 'string')
      return (badRequest(res, 'clientSecret must be a string'), true);
    deps.clients.register(clientId, clientSecret);
    sendJson(res, 201, { clientId });
  } else if (route === 'POST /_sim/grants') {
    const { principal, right, mailbox } = body;
    if (typeof principal !== 'string' || !store.getMailbox(principal))
      return (badRequest(res, 'principal must be an existing mailbox'), true);
    if (right === 'impersonation') store.grantImpersonation(principal);
    else if (right === 'sendAs' && typeof mailbox === 'string' && isValidSmtpAddress(mailbox))
      store.grantSendAs(principal, mailbox);
    else if (right === 'fullAccess' && typeof mailbox === 'string' && store.getMailbox(mailbox))
      store.grantFullAccess(principal, mailbox);
    else
      return (
        badRequest(
          res,
          "right must be 'impersonation', 'sendAs' with a mailbox address, or 'fullAccess' with an existing mailbox",
        ),
        true
      );
    sendJson(res, 201, { principal, right });
  } else {
    sendJson(res, 404, { error: `no admin route ${route}` });
  }
  return true;
}
