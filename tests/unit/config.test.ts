import { DEFAULT_DB_URL, loadConfig } from '../../worker/config';
import { RcError } from '../../worker/errors';

const basic = { RC_EWS_USERNAME: 'svc@example.com', RC_EWS_PASSWORD: 'pw' };

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(basic);
    expect(config.db.url).toBe(DEFAULT_DB_URL);
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.http.port).toBe(8080);
    expect(config.worker.concurrency).toBe(32);
    expect(config.ews.auth).toEqual({
      kind: 'basic',
      username: 'svc@example.com',
      password: 'pw',
      domain: undefined,
    });
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig(basic);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.worker)).toBe(true);
    expect(Object.isFrozen(config.ews.auth)).toBe(true);
  });

  it('lists every bad variable at once, naming each', () => {
    let error: unknown;
    try {
      loadConfig({
        RC_DB_URL: 'mysql://x',
        RC_HTTP_PORT: 'eighty',
        RC_LOG_LEVEL: 'loud',
        RC_EWS_AUTH: 'basic',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RcError);
    const message = (error as RcError).message;
    expect((error as RcError).code).toBe('config_invalid');
    for (const key of ['RC_DB_URL', 'RC_HTTP_PORT', 'RC_LOG_LEVEL', 'RC_EWS_USERNAME', 'RC_EWS_PASSWORD']) {
      expect(message).toContain(key);
    }
    expect(message).toContain('.env.example');
  });

  it('never echoes a secret value in its message', () => {
    expect(() =>
      loadConfig({
        RC_EWS_AUTH: 'oauth',
        RC_OAUTH_TENANT_ID: 't',
        RC_OAUTH_CLIENT_ID: 'c',
        RC_OAUTH_CLIENT_SECRET: 'S3cr3t!',
        RC_OAUTH_CERT_PRIVATE_KEY_FILE: '/k',
      }),
    ).toThrow(/exactly one of RC_OAUTH_CLIENT_SECRET/);
    try {
      loadConfig({
        RC_EWS_AUTH: 'oauth',
        RC_OAUTH_TENANT_ID: 't',
        RC_OAUTH_CLIENT_ID: 'c',
        RC_OAUTH_CLIENT_SECRET: 'S3cr3t!',
        RC_OAUTH_CERT_PRIVATE_KEY_FILE: '/k',
      });
    } catch (e) {
      expect((e as Error).message).not.toContain('S3cr3t!');
    }
  });

  it('accepts oauth with a client secret', () => {
    const config = loadConfig({
      RC_EWS_AUTH: 'oauth',
      RC_OAUTH_TENANT_ID: 't',
      RC_OAUTH_CLIENT_ID: 'c',
      RC_OAUTH_CLIENT_SECRET: 's',
    });
    expect(config.ews.auth).toMatchObject({ kind: 'oauth', tenantId: 't', clientId: 'c', clientSecret: 's' });
  });

  it('treats empty variables as unset and parses booleans', () => {
    const config = loadConfig({ ...basic, RC_HTTP_PORT: '', RC_EWS_SAVE_SENT_COPY: 'false' });
    expect(config.http.port).toBe(8080);
    expect(config.ews.saveSentCopy).toBe(false);
  });

  it('does not ask for Exchange credentials when the command does not need them', () => {
    expect(loadConfig({}, { requireExchange: false }).db.url).toBe(DEFAULT_DB_URL);
    expect(() => loadConfig({})).toThrow(/RC_EWS_USERNAME is required/);
  });

  it('refuses a poll maximum below the minimum', () => {
    expect(() => loadConfig({ ...basic, RC_POLL_MIN_MS: '500', RC_POLL_MAX_MS: '100' })).toThrow(
      /RC_POLL_MAX_MS/,
    );
  });
});
