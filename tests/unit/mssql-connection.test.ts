import { RcError } from '../../worker/errors';
import { describeMssqlUrl, parseMssqlUrl, toPoolConfig } from '../../worker/db/mssql/mssql-connection';

function configError(url: string): RcError {
  try {
    parseMssqlUrl(url);
  } catch (err) {
    if (err instanceof RcError) return err;
    throw err;
  }
  throw new Error(`expected ${url} to be rejected`);
}

describe('parseMssqlUrl', () => {
  it('parses the full form with percent-encoded user and password', () => {
    const parts = parseMssqlUrl(
      'mssql://rc%5Cadmin:p%40ss%3Aw%2Frd%23@db.example.com:14330/rc_exchange?encrypt=false&trustServerCertificate=true',
    );
    expect(parts).toEqual({
      user: 'rc\\admin',
      password: 'p@ss:w/rd#',
      host: 'db.example.com',
      port: 14330,
      database: 'rc_exchange',
      encrypt: false,
      trustServerCertificate: true,
      instanceName: undefined,
    });
  });

  it('accepts sqlserver://, defaults port 1433, encrypt on, certificate checked', () => {
    const parts = parseMssqlUrl('sqlserver://sa:secret@127.0.0.1/master');
    expect(parts).toMatchObject({
      port: 1433,
      encrypt: true,
      trustServerCertificate: false,
      database: 'master',
    });
  });

  it('allows no database and a named instance', () => {
    const parts = parseMssqlUrl('mssql://sa:secret@host?instanceName=SQLEXPRESS');
    expect(parts.database).toBe('');
    expect(parts.instanceName).toBe('SQLEXPRESS');
    const config = toPoolConfig(parts);
    expect(config.port).toBeUndefined();
    expect(config.database).toBeUndefined();
    expect(config.options?.instanceName).toBe('SQLEXPRESS');
  });

  it('builds a pool config with the URL parts and options', () => {
    const config = toPoolConfig(parseMssqlUrl('mssql://u:p@h:1500/db?trustServerCertificate=yes'), {
      maxConnections: 3,
      database: 'other',
    });
    expect(config).toMatchObject({
      server: 'h',
      port: 1500,
      user: 'u',
      password: 'p',
      database: 'other',
      pool: { max: 3 },
      options: { encrypt: true, trustServerCertificate: true, appName: 'rc-exchange', useUTC: true },
    });
  });

  it.each([
    ['postgres://u:hunter2@h/db', /must start with mssql:\/\/ or sqlserver:\/\//],
    ['mssql://u:hunter2@/db', /host is missing|cannot be parsed/],
    ['mssql://:hunter2@h/db', /user is missing/],
    ['mssql://u:hunter2@h:99999/db', /port|cannot be parsed/],
    ['mssql://u:hunter2@h/db/extra', /just the database name/],
    ['mssql://u:hunter2@h/db?encrypt=maybe', /encrypt must be true or false/],
    ['mssql://u:hunter2@h/db?ssl=true', /unknown parameter "ssl"/],
    ['mssql://u:hunter2%zz@h/db', /password contains a malformed %-escape/],
    ['mssql://u:hun ter2@h:12a/db', /cannot be parsed|port/],
  ])('rejects %s clearly and without the password', (url, reason) => {
    const err = configError(url);
    expect(err.code).toBe('config_invalid');
    expect(err.message).toMatch(reason);
    expect(err.message).not.toContain('hunter2');
    expect(err.message).toContain('mssql://USER:PASSWORD@HOST:PORT/DATABASE');
  });

  it('describes a URL without its password', () => {
    const text = describeMssqlUrl(parseMssqlUrl('mssql://u:hunter2@h:1433/db'));
    expect(text).toBe('mssql://u@h:1433/db');
  });
});
