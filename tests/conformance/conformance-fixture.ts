/**
 * What every conformance test file shares: the databases to run against (PostgreSQL always, SQL Server when
 * RC_TEST_MSSQL_URL is set; driver loaded lazily from ./mssql-api-driver), the documented-error assertion and a
 * per-file fixture (a fresh migrated database, fresh profiles the owner may use, fresh logins with given rights,
 * counting helpers, the job row and the refused-call check).
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
  /** The `fields` of a job's payload. */
  fieldsOf(jobId: string): Promise<Record<string, unknown>>;
  /** Rows in rc.Jobs and rc.JobEvents: a refused call must leave both unchanged. */
  totals(): Promise<{ jobs: number; events: number }>;
  /**
   * A refused call: the documented error (see expectApiError), and not one row written. `call` is started only
   * after the row counts are read (a call already under way would be counted in "before").
   */
  refused(call: () => Promise<unknown>, number: number, ...mentions: string[]): Promise<ApiError>;
  /**
   * The job's row (Kind, MailboxId, Status, CreatedBy, CorrelationKey, TargetJobId; undefined when there is
   * none), TargetJobId as text (bigint comes back as a string from pg, a number from tedious).
   */
  job(jobId: string): Promise<Record<string, unknown> | undefined>;
  /** The row job() reads for a job of `kind` for `p` the owner just queued (no correlation key). */
  pendingJob(kind: string, p: Profile, targetJobId?: string | null): Record<string, unknown>;
  /**
   * A session of a fresh login with these rights on `p` (each right not named: granted), or with no grant at
   * all (null).
   */
  principal(p: Profile, rights: PrincipalRights | null): Promise<ApiSession>;
}

export interface PrincipalRights {
  can_send?: boolean;
  can_write?: boolean;
  can_read?: boolean;
}

/**
 * Registers beforeAll/afterAll for one database of `factory` and returns the fixture (usable inside tests and
 * hooks declared after this call).
 */
export function useApiFixture(factory: ApiDatabaseFactory): ApiFixture {
  const run = randomBytes(4).toString('hex');
  let profileCounter = 0;
  let principalCounter = 0;
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
    async fieldsOf(jobId) {
      return (await fixture.payloadOf(jobId)).fields as Record<string, unknown>;
    },
    async totals() {
      return {
        jobs: await fixture.count('SELECT COUNT(*) AS n FROM rc.Jobs'),
        events: await fixture.count('SELECT COUNT(*) AS n FROM rc.JobEvents'),
      };
    },
    async refused(call, number, ...mentions) {
      const before = await fixture.totals();
      const error = await expectApiError(call(), number, ...mentions);
      expect(await fixture.totals()).toEqual(before);
      return error;
    },
    async job(jobId) {
      const [row] = await ready().owner.select(
        'SELECT Kind, MailboxId, Status, CreatedBy, CorrelationKey, TargetJobId FROM rc.Jobs WHERE JobId = ?',
        [jobId],
      );
      if (!row) return undefined;
      return { ...row, targetjobid: row.targetjobid === null ? null : String(row.targetjobid) };
    },
    pendingJob(kind, p, targetJobId = null) {
      return {
        kind,
        mailboxid: Number(p.id),
        status: 'Pending',
        createdby: ready().ownerPrincipal,
        correlationkey: null,
        targetjobid: targetJobId,
      };
    },
    async principal(p, rights) {
      const name = `u${++principalCounter}_${run}`;
      const session = await ready().as(name);
      if (rights) {
        await ready().owner.call('rc_GrantMailbox', {
          principal: name,
          profile_name: p.name,
          can_send: rights.can_send ?? true,
          can_write: rights.can_write ?? true,
          can_read: rights.can_read ?? true,
        });
      }
      return session;
    },
  };
  return fixture;
}
