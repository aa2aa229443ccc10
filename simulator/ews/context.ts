/** Who is asking and on whose behalf: what every EWS operation receives. */
import type { Logger } from 'winston';
import type { Limits } from '../limits';
import type { MailboxStore } from '../mailbox-store';
import type { Mailbox } from '../model';
import { EwsError } from './ews-error';

export type Caller =
  /** Basic auth: a mailbox user (possibly an on-premises service account allowed to impersonate). */
  | { kind: 'user'; mailbox: Mailbox }
  /** App-only OAuth token with full_access_as_app. */
  | { kind: 'app'; appId: string };

export interface EwsContext {
  store: MailboxStore;
  caller: Caller;
  /** The mailbox the request acts as: the impersonated one, or the Basic user's own. */
  acting: Mailbox;
  /** Exchange Online limits (message rate, message size); absent = no limits. */
  limits?: Limits;
  logger: Logger;
}

/**
 * Explicit access to another mailbox (DistinguishedFolderId/Mailbox): app tokens may; users their own and those
 * they hold FullAccess on (POST /_sim/grants right 'fullAccess').
 */
export function assertMailboxAccess(ctx: EwsContext, mailbox: Mailbox): void {
  if (ctx.caller.kind === 'app' || mailbox === ctx.acting) return;
  if (ctx.store.hasFullAccess(ctx.acting.address, mailbox.address)) return;
  throw new EwsError(
    'ErrorAccessDenied',
    `Access is denied. Check credentials and try again. ${ctx.acting.address} has no rights on ${mailbox.address}.`,
  );
}
