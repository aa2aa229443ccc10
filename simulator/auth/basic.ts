/** HTTP Basic credentials: user = mailbox address, password = that mailbox's simulator password. */
import { timingSafeEqual } from 'node:crypto';
import type { MailboxStore } from '../mailbox-store';
import type { Mailbox } from '../model';

export function parseBasic(header: string): { user: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

export function authenticateBasic(store: MailboxStore, header: string): Mailbox | undefined {
  const creds = parseBasic(header);
  if (!creds) return undefined;
  // Accept DOMAIN\user and user@domain the way Exchange does for UPN logons; the simulator knows only addresses.
  const user = creds.user.includes('\\') ? creds.user.slice(creds.user.indexOf('\\') + 1) : creds.user;
  const mailbox = store.getMailbox(user);
  return mailbox && sameSecret(mailbox.password, creds.password) ? mailbox : undefined;
}
