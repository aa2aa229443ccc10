/**
 * ApiDatabase for SQL Server / Azure SQL Managed Instance / Babelfish, used by sql-api.test.ts when
 * RC_TEST_MSSQL_URL is set (an admin URL, e.g. mssql://sa:Secret@127.0.0.1:1433/master?trustServerCertificate=true;
 * the login must be allowed to create databases and logins).
 *
 * Each ApiDatabase creates a fresh database rc_conf_<random>, migrates it with the real runner
 * (migrateUp + MssqlMigrationTarget), and calls procedures as RPC (request.execute) with typed parameters and
 * the OUTPUT id — the way an application would. THROW 50000–50999 becomes ApiError(number, message). Each session
 * is a pool of exactly one connection, so an explicit transaction spans every call made through it.
 */
import { randomBytes } from 'node:crypto';
import sql from 'mssql';
import { migrateUp } from '../../worker/db/migrate';
import { openMssqlPool } from '../../worker/db/mssql/mssql-connection';
import { MssqlMigrationTarget } from '../../worker/db/mssql/mssql-migration-target';
import {
  callMssqlApi,
  inferSqlType,
  selectMssqlApiRows,
  toApiCallError,
} from '../../worker/db/mssql/mssql-api-client';
import type { ApiDatabase, ApiParams, ApiProcedure, ApiSession } from './api-driver';

/** `?` → `@p1`, `@p2` … left to right (the suite's SQL never has a literal '?'). */
export function namePlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `@p${++n}`);
}

function lowerKeys(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key.toLowerCase(), value]));
}

/** Brackets for an identifier built by this driver (names are generated or come from the suite). */
function quoteName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** A literal for DDL that takes no parameters (CREATE LOGIN … PASSWORD). */
function quoteString(value: string): string {
  return `N'${value.replace(/'/g, "''")}'`;
}

class MssqlApiSession implements ApiSession {
  constructor(private readonly newRequest: () => sql.Request) {}

  call(proc: ApiProcedure, params: ApiParams): Promise<string | null> {
    return callMssqlApi(this.newRequest, proc, params);
  }

  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]> {
    return selectMssqlApiRows(this.newRequest, proc, params);
  }

  async select(text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    const request = this.newRequest();
    params.forEach((value, i) => request.input(`p${i + 1}`, inferSqlType(value), value));
    try {
      const result = await request.query(namePlaceholders(text));
      return (result.recordset ?? []).map((row: Record<string, unknown>) => lowerKeys(row));
    } catch (err) {
      throw toApiCallError(err);
    }
  }

  /** A session already inside a transaction: nesting would need savepoints, which the suite never uses. */
  async inRolledBackTransaction(_fn: (session: ApiSession) => Promise<void>): Promise<void> {
    throw new Error(
      'inRolledBackTransaction: this session is already inside a transaction (nesting unsupported)',
    );
  }
}

/** A session over a one-connection pool: explicit transactions hold that connection. */
class PooledSession extends MssqlApiSession {
  constructor(readonly pool: sql.ConnectionPool) {
    super(() => pool.request());
  }

  override async inRolledBackTransaction(fn: (session: ApiSession) => Promise<void>): Promise<void> {
    const transaction = new sql.Transaction(this.pool);
    await transaction.begin();
    try {
      await fn(new MssqlApiSession(() => new sql.Request(transaction)));
    } finally {
      // XACT_ABORT in a procedure may already have ended it on the server.
      await transaction.rollback().catch(() => undefined);
    }
  }
}

function urlFor(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

class MssqlApiDatabase implements ApiDatabase {
  readonly dialect = 'mssql' as const;
  private readonly pools: sql.ConnectionPool[] = [];
  private readonly sessions = new Map<string, Promise<ApiSession>>();
  private readonly createdLogins: string[] = [];

  private constructor(
    private readonly adminUrl: string,
    private readonly admin: sql.ConnectionPool,
    private readonly database: string,
    readonly owner: PooledSession,
    readonly ownerPrincipal: string,
  ) {
    this.pools.push(owner.pool);
  }

  static async create(adminUrl: string): Promise<MssqlApiDatabase> {
    const database = `rc_conf_${randomBytes(6).toString('hex')}`;
    const admin = await openMssqlPool(adminUrl, { maxConnections: 1, appName: 'rc-exchange conformance' });
    try {
      await admin.request().batch(`CREATE DATABASE ${quoteName(database)};`);
      const target = new MssqlMigrationTarget(urlFor(adminUrl, database));
      try {
        await migrateUp(target);
      } finally {
        await target.close();
      }
      const pool = await openMssqlPool(adminUrl, {
        maxConnections: 1,
        database,
        appName: 'rc-exchange conformance',
        requestTimeoutMs: 120000,
      });
      const who = await pool
        .request()
        .query<{ Principal: string }>('SELECT ORIGINAL_LOGIN() AS [Principal];');
      return new MssqlApiDatabase(
        adminUrl,
        admin,
        database,
        new PooledSession(pool),
        who.recordset[0]!.Principal,
      );
    } catch (err) {
      await dropDatabase(admin, database).catch(() => undefined);
      await admin.close();
      throw err;
    }
  }

  as(principal: string): Promise<ApiSession> {
    let session = this.sessions.get(principal);
    if (!session) {
      session = this.login(principal);
      this.sessions.set(principal, session);
    }
    return session;
  }

  /**
   * A SQL login (server-wide: the suite uses unique names) mapped to a user in the test database with EXECUTE on
   * schema rc and SELECT on the two views — nothing on the tables (ownership chaining does the rest).
   */
  private async login(principal: string): Promise<ApiSession> {
    // Complex enough for CHECK_POLICY on any platform; random per run.
    const password = `Rc!${randomBytes(12).toString('hex')}aA9`;
    const login = quoteName(principal);
    const exists = await this.admin
      .request()
      .input('name', sql.NVarChar(128), principal)
      .query<{ Present: number }>(
        'SELECT COUNT(*) AS [Present] FROM sys.server_principals WHERE name = @name;',
      );
    if ((exists.recordset[0]?.Present ?? 0) === 0) {
      await this.admin.request().batch(`CREATE LOGIN ${login} WITH PASSWORD = ${quoteString(password)};`);
      this.createdLogins.push(principal);
    } else {
      await this.admin.request().batch(`ALTER LOGIN ${login} WITH PASSWORD = ${quoteString(password)};`);
    }
    await this.owner.pool.request().batch(`
      IF DATABASE_PRINCIPAL_ID(${quoteString(principal)}) IS NULL CREATE USER ${login} FOR LOGIN ${login};
      GRANT EXECUTE ON SCHEMA::rc TO ${login};
      GRANT SELECT ON rc.vw_MailItems TO ${login};
      GRANT SELECT ON rc.vw_JobQueue TO ${login};`);
    const url = new URL(urlFor(this.adminUrl, this.database));
    url.username = encodeURIComponent(principal);
    url.password = encodeURIComponent(password);
    const pool = await openMssqlPool(url.toString(), {
      maxConnections: 1,
      appName: 'rc-exchange conformance',
      requestTimeoutMs: 120000,
    });
    this.pools.push(pool);
    return new PooledSession(pool);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.pools.map((p) => p.close().catch(() => undefined)));
    try {
      await dropDatabase(this.admin, this.database);
      for (const principal of this.createdLogins) {
        await this.admin
          .request()
          .batch(`IF SUSER_ID(${quoteString(principal)}) IS NOT NULL DROP LOGIN ${quoteName(principal)};`);
      }
    } finally {
      await this.admin.close();
    }
  }
}

async function dropDatabase(admin: sql.ConnectionPool, database: string): Promise<void> {
  // Close other sessions first where the platform allows it (not on Azure SQL Database / Babelfish).
  await admin
    .request()
    .batch(`ALTER DATABASE ${quoteName(database)} SET SINGLE_USER WITH ROLLBACK IMMEDIATE;`)
    .catch(() => undefined);
  await admin.request().batch(`DROP DATABASE IF EXISTS ${quoteName(database)};`);
}

/** Creates a fresh, migrated database for one test file on the server `adminUrl` points at. */
export function createMssqlApiDatabase(adminUrl: string): Promise<ApiDatabase> {
  return MssqlApiDatabase.create(adminUrl);
}
