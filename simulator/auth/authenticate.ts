/**
 * Turns the Authorization header of an EWS request into a Caller, or says why not (→ HTTP 401), and applies
 * the ExchangeImpersonation header the way Exchange does (faults for missing/invalid/denied impersonation).
 */
import type { MailboxStore } from '../mailbox-store';
import type { Mailbox } from '../model';
import type { Caller } from '../ews/context';
import { EwsFault } from '../ews/ews-error';
import type { ImpersonationHeader } from '../ews/parse-request';
import { messageXmlValue } from '../ews/response-writer';
import { authenticateBasic } from './basic';
import { verifyJwt } from './jwt';
import type { TokenPolicy } from './token-policy';

/** `bearer` says a bearer token was presented and rejected (Exchange then adds error="invalid_token"). */
export type AuthResult = { ok: true; caller: Caller } | { ok: false; reason: string; bearer?: boolean };

export function authenticate(
  store: MailboxStore,
  signingKey: Buffer,
  header: string | undefined,
  tokens?: TokenPolicy,
): AuthResult {
  if (!header) return { ok: false, reason: 'No credentials were supplied.' };
  if (/^Basic\s/i.test(header)) {
    const mailbox = authenticateBasic(store, header);
    return mailbox
      ? { ok: true, caller: { kind: 'user', mailbox } }
      : { ok: false, reason: 'The user name or password is incorrect.' };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!bearer) return { ok: false, reason: 'The authorization scheme is not supported.' };
  const verified = verifyJwt(bearer[1], signingKey);
  if (!verified.ok) return { ok: false, reason: verified.reason, bearer: true };
  if (tokens?.isExpired(verified.claims.uti)) {
    return { ok: false, reason: 'The token has expired.', bearer: true };
  }
  const roles = verified.claims.roles;
  if (!Array.isArray(roles) || !roles.includes('full_access_as_app')) {
    return { ok: false, reason: 'The token does not contain the full_access_as_app role.', bearer: true };
  }
  return { ok: true, caller: { kind: 'app', appId: String(verified.claims.appid ?? '') } };
}

function nonExistent(value: string): EwsFault {
  return new EwsFault('ErrorNonExistentMailbox', 'The SMTP address has no mailbox associated with it.', {
    messageXml: messageXmlValue('SmtpAddress', value),
  });
}

/** The mailbox the request acts as, after ExchangeImpersonation. */
export function actingMailbox(
  store: MailboxStore,
  caller: Caller,
  impersonation?: ImpersonationHeader,
): Mailbox {
  if (!impersonation) {
    if (caller.kind === 'user') return caller.mailbox;
    throw new EwsFault(
      'ErrorInvalidExchangeImpersonationHeaderData',
      'ExchangeImpersonation SOAP header must be present for this type of OAuth token.',
    );
  }
  if (!['SmtpAddress', 'PrimarySmtpAddress', 'PrincipalName'].includes(impersonation.kind)) {
    throw new EwsFault(
      'ErrorInvalidExchangeImpersonationHeaderData',
      `The Exchange simulator identifies impersonated accounts by SMTP address or principal name, not ${impersonation.kind}.`,
    );
  }
  const target = store.getMailbox(impersonation.value);
  if (!target) throw nonExistent(impersonation.value);
  if (caller.kind === 'app' || caller.mailbox === target || store.mayImpersonate(caller.mailbox.address))
    return target;
  throw new EwsFault(
    'ErrorImpersonateUserDenied',
    'The account does not have permission to impersonate the requested user.',
  );
}
