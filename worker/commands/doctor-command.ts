/**
 * `rcx doctor`: checks, in order, configuration, SQL (reachable, schema current), Redis, the OAuth authority
 * (when used) and every enabled mailbox's EWS endpoint and credentials. One line per check; a failing check says
 * how to fix it. Exit code 1 when anything failed.
 */
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../config';
import { migrationStatus } from '../db/migrate';
import { openMigrationTarget, openStore } from '../db/open-store';
import { toRcError } from '../errors';
import { OAuthTokenProvider, oauthOptionsFromConfig } from '../exchange/auth/oauth-token-provider';
import { EwsGateway } from '../exchange/ews/ews-gateway';
import { TransportRouter } from '../exchange/transport-router';
import { redactText, silentLogger } from '../log';

interface CheckResult {
  ok: boolean;
  detail: string;
}

const line = (name: string, result: CheckResult) =>
  process.stdout.write(`${result.ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(28)} ${redactText(result.detail)}\n`);

async function attempt(name: string, fn: () => Promise<string>, fix: string): Promise<boolean> {
  try {
    line(name, { ok: true, detail: await fn() });
    return true;
  } catch (err) {
    line(name, { ok: false, detail: `${toRcError(err).message}\n      fix: ${fix}` });
    return false;
  }
}

async function checkExchange(config: Readonly<Config>): Promise<boolean> {
  let ok = true;
  const auth = config.ews.auth;
  const tokenProvider =
    auth.kind === 'oauth' ? new OAuthTokenProvider(oauthOptionsFromConfig(auth)) : undefined;
  if (auth.kind === 'oauth' && tokenProvider) {
    ok = await attempt(
      'oauth token',
      async () => {
        await tokenProvider.getToken();
        return `app-only token issued by ${auth.authorityUrl}/${auth.tenantId}`;
      },
      'check RC_OAUTH_TENANT_ID, RC_OAUTH_CLIENT_ID and the secret/certificate; the app needs full_access_as_app',
    );
  }
  const store = await openStore(config.db.url, silentLogger());
  const gateway = new TransportRouter({
    ews: new EwsGateway({ ews: config.ews, tokenProvider, logger: silentLogger() }),
  });
  try {
    const mailboxes = (await store.listMailboxes()).filter((m) => m.enabled);
    if (mailboxes.length === 0) {
      line('exchange mailboxes', {
        ok: true,
        detail: 'no enabled profile yet (EXEC rc.rc_AddMailbox …)',
      });
    }
    for (const mailbox of mailboxes) {
      const url = mailbox.ewsUrl ?? config.ews.defaultUrl;
      ok =
        (await attempt(
          `mailbox ${mailbox.profileName}`,
          async () => {
            if (mailbox.transport === 'ews' && !url) {
              throw new Error('no EWS URL: the profile has no EwsUrl and RC_EWS_URL is not set');
            }
            await gateway.findItemByJobId(mailbox, 'sentitems', '0');
            return `${mailbox.smtpAddress} reachable at ${url}`;
          },
          'check the EWS URL, the service account (RC_EWS_*) and its impersonation right on this mailbox',
        )) && ok;
    }
  } finally {
    await Promise.allSettled([gateway.close(), store.close()]);
  }
  return ok;
}

export async function runDoctor(): Promise<number> {
  let config: Readonly<Config>;
  try {
    config = loadConfig();
    line('configuration', { ok: true, detail: 'all variables valid' });
  } catch (err) {
    line('configuration', { ok: false, detail: toRcError(err).message });
    return 1;
  }
  let ok = true;
  let schemaCurrent = false;
  ok =
    (await attempt(
      'sql',
      async () => {
        const target = await openMigrationTarget(config.db.url);
        try {
          const status = await migrationStatus(target);
          schemaCurrent = status.current;
          if (!status.current) {
            throw new Error(
              `schema not current: ${status.pending.length} pending, ${status.changed.length} changed, ${status.unknown.length} newer`,
            );
          }
          return `${status.dialect} reachable, schema current (${status.applied.length} migrations)`;
        } finally {
          await target.close();
        }
      },
      'check RC_DB_URL; run `rcx migrate up` when the schema is not current',
    )) && ok;
  ok =
    (await attempt(
      'redis',
      async () => {
        const redis = new Redis(config.redis.url, {
          lazyConnect: true,
          connectTimeout: 3000,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        let lastError: Error | null = null;
        redis.on('error', (err: Error) => (lastError = err));
        try {
          await redis.connect().catch((err: Error) => {
            throw lastError ?? err;
          });
          const info = await redis.info('server');
          const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
          return `reachable, Redis ${version}`;
        } finally {
          redis.disconnect();
        }
      },
      'check RC_REDIS_URL and that Redis is running (scripts/services.sh starts a local one)',
    )) && ok;
  if (schemaCurrent) ok = (await checkExchange(config)) && ok;
  process.stdout.write(ok ? 'Everything looks right.\n' : 'Some checks failed; see the fixes above.\n');
  return ok ? 0 : 1;
}
