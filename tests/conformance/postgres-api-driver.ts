/**
 * ApiDatabase for PostgreSQL: the conformance suite's T-SQL-flavoured calls become
 * `SELECT rc.<lower-case name>(param => $1, …)`, SQLSTATE R#### becomes ApiError(50000 + ####), and `?`
 * placeholders become $1, $2 …. Each session is one connection, so explicit transactions work.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../helpers/pg-test-db';
import {
  callPostgresApi,
  selectPostgresApiRows,
  toApiCallError,
} from '../../worker/db/postgres/postgres-api-client';
import type { ApiDatabase, ApiParams, ApiProcedure, ApiSession } from './api-driver';

/** `?` → `$n`, left to right (the suite's SQL never has a literal '?'). */
function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

class PostgresApiSession implements ApiSession {
  constructor(private readonly client: Client) {}

  call(proc: ApiProcedure, params: ApiParams): Promise<string | null> {
    return callPostgresApi(this.client, proc, params);
  }

  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]> {
    return selectPostgresApiRows(this.client, proc, params);
  }

  async select(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    try {
      const result = await this.client.query(numberPlaceholders(sql), params);
      return result.rows.map((row: Record<string, unknown>) =>
        Object.fromEntries(Object.entries(row).map(([key, value]) => [key.toLowerCase(), value])),
      );
    } catch (err) {
      throw toApiCallError(err);
    }
  }

  async inRolledBackTransaction(fn: (session: ApiSession) => Promise<void>): Promise<void> {
    await this.client.query('BEGIN');
    try {
      await fn(this);
    } finally {
      await this.client.query('ROLLBACK');
    }
  }
}

async function connect(url: string, user?: { name: string; password: string }): Promise<Client> {
  const target = new URL(url);
  if (user) {
    target.username = encodeURIComponent(user.name);
    target.password = encodeURIComponent(user.password);
  }
  const client = new Client({
    connectionString: target.toString(),
    application_name: 'rc-exchange conformance',
  });
  await client.connect();
  return client;
}

class PostgresApiDatabase implements ApiDatabase {
  readonly dialect = 'postgres' as const;
  private readonly clients: Client[] = [];
  private readonly sessions = new Map<string, Promise<ApiSession>>();
  private readonly createdRoles: string[] = [];

  private constructor(
    private readonly db: TestDatabase,
    readonly owner: ApiSession,
    readonly ownerPrincipal: string,
    private readonly ownerClient: Client,
  ) {
    this.clients.push(ownerClient);
  }

  static async create(): Promise<PostgresApiDatabase> {
    const db = await createTestDatabase();
    const client = await connect(db.url);
    const who = await client.query<{ principal: string }>('SELECT session_user AS principal');
    return new PostgresApiDatabase(db, new PostgresApiSession(client), who.rows[0]!.principal, client);
  }

  as(principal: string): Promise<ApiSession> {
    let session = this.sessions.get(principal);
    if (!session) {
      session = this.login(principal);
      this.sessions.set(principal, session);
    }
    return session;
  }

  /** A LOGIN role (cluster-wide in PostgreSQL: the suite uses unique names) with API rights in this database. */
  private async login(principal: string): Promise<ApiSession> {
    const password = randomBytes(12).toString('hex');
    const role = `"${principal.replace(/"/g, '""')}"`;
    const admin = await connect(PG_ADMIN_URL);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [principal]);
      if (exists.rowCount === 0) {
        await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
        this.createdRoles.push(principal);
      } else {
        await admin.query(`ALTER ROLE ${role} LOGIN PASSWORD '${password}'`);
      }
    } finally {
      await admin.end();
    }
    for (const grant of [
      `GRANT CONNECT ON DATABASE "${this.db.name}" TO ${role}`,
      `GRANT USAGE ON SCHEMA rc TO ${role}`,
      `GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA rc TO ${role}`,
      `GRANT SELECT ON rc.vw_MailItems, rc.vw_JobQueue TO ${role}`,
    ]) {
      await this.ownerClient.query(grant);
    }
    const client = await connect(this.db.url, { name: principal, password });
    this.clients.push(client);
    return new PostgresApiSession(client);
  }

  async dispose(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    await this.db.drop();
    if (this.createdRoles.length === 0) return;
    const admin = await connect(PG_ADMIN_URL);
    try {
      for (const principal of this.createdRoles) {
        await admin.query(`DROP ROLE IF EXISTS "${principal.replace(/"/g, '""')}"`);
      }
    } finally {
      await admin.end();
    }
  }
}

/** A fresh migrated database (cloned from the test template) with an owner session. */
export function createPostgresApiDatabase(): Promise<ApiDatabase> {
  return PostgresApiDatabase.create();
}
