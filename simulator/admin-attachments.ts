/**
 * Attachments in the admin API: the JSON form of an item's attachments, and
 *   GET /_sim/mailboxes/{address}/items/{id}/attachments/{n}   the n-th attachment's bytes with its content type
 * (the web view's download link).
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http-util';
import type { MailboxStore } from './mailbox-store';
import type { AttachmentInfo } from './model';

export interface AdminAttachment {
  name: string;
  contentType: string;
  size: number;
  isInline: boolean;
  contentId?: string;
}

export function toAdminAttachment(a: AttachmentInfo): AdminAttachment {
  return {
    name: a.name,
    contentType: a.contentType,
    size: a.size,
    isInline: a.isInline ?? false,
    ...(a.contentId !== undefined ? { contentId: a.contentId } : {}),
  };
}

const DOWNLOAD = /^\/_sim\/mailboxes\/([^/]+)\/items\/([^/]+)\/attachments\/(\d+)$/;

/** Serves an attachment download; false when `path` is not that route. */
export function handleAttachmentDownload(store: MailboxStore, path: string, res: ServerResponse): boolean {
  const match = DOWNLOAD.exec(path);
  if (!match) return false;
  let address: string;
  let itemId: string;
  try {
    address = decodeURIComponent(match[1]);
    itemId = decodeURIComponent(match[2]);
  } catch {
    sendJson(res, 400, { error: 'invalid percent-encoding in the path' });
    return true;
  }
  const mailbox =
    store.getMailbox(address) ?? (address === store.publicFolders.address ? store.publicFolders : undefined);
  const item = store.getItem(itemId);
  const attachment = item && item.mailbox === mailbox ? item.attachments[Number(match[3])] : undefined;
  if (!attachment) {
    sendJson(res, 404, { error: `no attachment ${match[3]} on item ${itemId} of ${address}` });
    return true;
  }
  const content = attachment.content ?? Buffer.alloc(0);
  const ascii = attachment.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'content-type': attachment.contentType,
    'content-length': content.length,
    'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(attachment.name)}`,
    'x-content-type-options': 'nosniff',
  });
  res.end(content);
  return true;
}
