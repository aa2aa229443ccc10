/**
 * How the EwsGateway modules (ews-items.ts, ews-folders.ts) run an EWS operation: on the mailbox's service
 * (ews-service-pool.ts) inside the gateway's guarded call (HTTP probe, safety timer, classify-ews-error.ts), so
 * they never see credentials or the pool and every failure leaves them as an RcError.
 */
import type { ExchangeService } from 'ews-javascript-api';
import type { MailboxTarget } from '../gateway';

/** Runs one EWS operation (`what` names it for messages) on a mailbox's service. */
export type EwsRun = <T>(
  mailbox: MailboxTarget,
  what: string,
  fn: (service: ExchangeService) => Promise<T>,
) => Promise<T>;
