/**
 * What every conformance test file shares: the databases to run against (PostgreSQL always, SQL Server when
 * RC_TEST_MSSQL_URL is set; driver loaded lazily from ./mssql-api-driver), the documented-error assertion and a
 * per-file fixture (a fresh migrated database, fresh profiles the owner may use, counting helpers).
 */
import { randomBytes } from 'node:crypto';
import { ApiError, type ApiDatabase, type ApiDatabaseFactory, type ApiSession } from './api-driver';
import { createPostgresApiDatabase } from './postgres-api-driver';

interface MssqlDriverModule {
  createMssqlApiDatabase(url: string): Promise<ApiDatabase>;
}

export const factories: Array<[string, ApiDatabaseFactory]> = [['postgres', createPostgresApiDatabase]];
const mssqlUrl = process.env.RC_TEST_MSSQL_URL;
if (mssqlUrl) {
  // A variable specifier keeps the import lazy and untyped: the suite compiles and runs without that file.
  const driverPath = './mssql-api-driver';
  factories.push([
    'mssql',
    async () => ((await import(driverPath)) as MssqlDriverModule).createMssqlApiDatabase(mssqlUrl),
  ]);
}

/** Awaits `promise`, expects the documented error `number` and every `mentions` text in its message. */
export async function expectApiError(
  promise: Promise<unknown>,
  number: number,
  ...mentions: string[]
): Promise<ApiError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ApiError);
  const error = caught as ApiError;
  expect({ number: error.number, message: error.message }).toEqual({ number, message: expect.any(String) });
  for (const text of mentions) expect(error.message).toContain(text);
  return error;
}

export interface Profile {
  name: string;
  id: string;
  smtpAddress: string;
}

export interface ApiFixture {
  /** A random tag unique to this test file's run, for names that must not collide. */
  readonly run: string;
  readonly db: ApiDatabase;
  readonly owner: ApiSession;
  /** A fresh enabled profile the owner is granted every right on. */
  newProfile(): Promise<Profile>;
  /** The first column `n` of the first row, as a number. */
  count(sql: string, params?: unknown[]): Promise<number>;
  /** rc.Jobs.Payload of a job, parsed. */
  payloadOf(jobId: string): Promise<Record<string, unknown>>;
  /** Rows in rc.Jobs and rc.JobEvents: a refused call must leave both unchanged. */
  totals(): Promise<{ jobs: number; events: number }>;
}

/**
 * Registers beforeAll/afterAll for one database of `factory` and returns the fixture (usable inside tests and
 * hooks declared after this call).
 */
export function useApiFixture(factory: ApiDatabaseFactory): ApiFixture {
  const run = randomBytes(4).toString('hex');
  let profileCounter = 0;
  let db: ApiDatabase | undefined;

  beforeAll(async () => {
    db = await factory();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  const ready = (): ApiDatabase => {
    if (!db) throw new Error('conformance database not created yet (use the fixture inside tests or hooks)');
    return db;
  };
  const fixture: ApiFixture = {
    run,
    get db() {
      return ready();
    },
    get owner() {
      return ready().owner;
    },
    async newProfile() {
      const name = `p${++profileCounter}_${run}`;
      const smtpAddress = `${name}@example.com`;
      const { owner, ownerPrincipal } = ready();
      const id = await owner.call('rc_AddMailbox', { profile_name: name, smtp_address: smtpAddress });
      await owner.call('rc_GrantMailbox', { principal: ownerPrincipal, profile_name: name });
      return { name, id: id as string, smtpAddress };
    },
    async count(sql, params = []) {
      const rows = await ready().owner.select(sql, params);
      return Number(rows[0]?.n);
    },
    async payloadOf(jobId) {
      const rows = await ready().owner.select('SELECT Payload FROM rc.Jobs WHERE JobId = ?', [jobId]);
      const payload = rows[0]?.payload;
      return (typeof payload === 'string' ? JSON.parse(payload) : payload) as Record<string, unknown>;
    },
    async totals() {
      return {
        jobs: await fixture.count('SELECT COUNT(*) AS n FROM rc.Jobs'),
        events: await fixture.count('SELECT COUNT(*) AS n FROM rc.JobEvents'),
      };
    },
  };
  return fixture;
}
