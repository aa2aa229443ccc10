/** HTML escaping, text formatting and the web view's URLs: every dynamic string in a page goes through these. */
import type { Recipient } from '../model';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and (quoted) attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ENTITIES[ch] as string);
}

const enc = encodeURIComponent;

export const hrefs = {
  home: (): string => '/',
  mailbox: (address: string): string => `/mailboxes/${enc(address)}`,
  folder: (address: string, folderId: string): string =>
    `/mailboxes/${enc(address)}/folders/${enc(folderId)}`,
  item: (address: string, itemId: string): string => `/mailboxes/${enc(address)}/items/${enc(itemId)}`,
  attachment: (address: string, itemId: string, index: number): string =>
    `/_sim/mailboxes/${enc(address)}/items/${enc(itemId)}/attachments/${index}`,
};

/** Splits a request path into decoded segments; undefined when a segment is not valid percent-encoding. */
export function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/** A timestamp as the pages show it: `2025-01-31 14:05:09 UTC`. */
export function formatTime(date: Date | undefined): string {
  return date
    ? date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')
    : '';
}

export function recipientText(r: Recipient): string {
  return r.name && r.name !== r.address ? `${r.name} <${r.address}>` : r.address;
}
