/**
 * One ews-javascript-api ExchangeService per (mailbox, endpoint). A service instance carries per-mailbox state
 * that must not leak between mailboxes: the ImpersonatedUserId SOAP header, the X-AnchorMailbox HTTP header
 * and its credentials. Exchange2013_SP1 is requested (the oldest version with everything rc-exchange uses).
 *
 * Credentials:
 * - basic: WebCredentials (Authorization: Basic on every request).
 * - ntlm:  @ewsjs/xhr's NTLM provider on the transport (ews-xhr.ts); the library still insists on a Credentials
 *          object, so a WebCredentials is set too — the NTLM handshake replaces its Authorization header.
 * - oauth: OAuthCredentials with an app-only token; before each call the current token is fetched from the
 *          provider and the credentials are replaced when it changed (OAuthCredentials rejects strings that are
 *          not JWT-shaped, so tokens are passed `verbatim` only when they are not).
 * Impersonation: when the identity the service authenticates as is not the mailbox itself (always for
 * app-only OAuth), requests carry ExchangeImpersonation (SmtpAddress) and X-AnchorMailbox.
 */
import {
  ConnectingIdType,
  ExchangeService,
  ExchangeVersion,
  ImpersonatedUserId,
  OAuthCredentials,
  Uri,
  WebCredentials,
} from 'ews-javascript-api';
import type { Config } from '../../config';
import { RcError } from '../../errors';
import type { MailboxTarget } from '../gateway';
import type { TokenProvider } from '../auth/oauth-token-provider';
import { EwsXhr } from './ews-xhr';
import { xmlEscape } from './xml-escape';

export interface EwsServicePoolOptions {
  ews: Config['ews'];
  /** Required when ews.auth.kind is 'oauth'. */
  tokenProvider?: TokenProvider;
}

interface Entry {
  service: ExchangeService;
  token: string | null;
}

const JWT_SHAPE = /^[A-Za-z0-9-_]+\.[A-Za-z0-9-_]+\.[A-Za-z0-9-_]*$/;

export class EwsServicePool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: EwsServicePoolOptions) {
    if (options.ews.auth.kind === 'oauth' && !options.tokenProvider) {
      throw new RcError(
        'config_invalid',
        'RC_EWS_AUTH=oauth needs a token provider (see oauth-token-provider.ts)',
      );
    }
  }

  /** The endpoint for a mailbox: its own EwsUrl, else the configured default. */
  urlFor(mailbox: MailboxTarget): string {
    const url = mailbox.ewsUrl ?? this.options.ews.defaultUrl;
    if (!url) {
      throw new RcError(
        'config_invalid',
        `No EWS URL for mailbox ${mailbox.smtpAddress}: set RC_EWS_URL, or give the mailbox an @ews_url in rc_AddMailbox.`,
      );
    }
    return url;
  }

  /** A ready service for the mailbox, with fresh credentials. */
  async get(mailbox: MailboxTarget): Promise<ExchangeService> {
    const url = this.urlFor(mailbox);
    const key = `${mailbox.smtpAddress.toLowerCase()}|${url}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { service: this.create(mailbox, url), token: null };
      this.entries.set(key, entry);
    }
    if (this.options.ews.auth.kind === 'oauth') {
      const token = await (this.options.tokenProvider as TokenProvider).getToken();
      if (token !== entry.token) {
        entry.service.Credentials = new OAuthCredentials(token, !JWT_SHAPE.test(token));
        entry.token = token;
      }
    }
    return entry.service;
  }

  /** Called after Exchange said the token expired: the next get() fetches a new one. */
  invalidateToken(): void {
    this.options.tokenProvider?.invalidate();
  }

  close(): void {
    for (const entry of this.entries.values()) entry.service.XHRApi.disconnect();
    this.entries.clear();
  }

  private create(mailbox: MailboxTarget, url: string): ExchangeService {
    const { auth, timeoutMs } = this.options.ews;
    const service = new ExchangeService(ExchangeVersion.Exchange2013_SP1);
    service.Url = new Uri(url);
    service.Timeout = timeoutMs;
    service.XHRApi = new EwsXhr({
      url,
      timeoutMs,
      ntlm:
        auth.kind === 'ntlm'
          ? { username: auth.username, password: auth.password, domain: auth.domain }
          : undefined,
    });
    if (auth.kind === 'basic' || auth.kind === 'ntlm') {
      service.Credentials = new WebCredentials(auth.username, auth.password);
    }
    if (this.needsImpersonation(mailbox)) {
      service.ImpersonatedUserId = new ImpersonatedUserId(
        ConnectingIdType.SmtpAddress,
        xmlEscape(mailbox.smtpAddress),
      );
      service.HttpHeaders.addUpdate('X-AnchorMailbox', mailbox.smtpAddress);
    }
    return service;
  }

  private needsImpersonation(mailbox: MailboxTarget): boolean {
    const { auth } = this.options.ews;
    if (auth.kind === 'oauth') return true;
    return auth.username.toLowerCase() !== mailbox.smtpAddress.toLowerCase();
  }
}
