/**
 * A fresh PostgreSQL database per test file, cloned from a template that is migrated once.
 *
 * The template's name carries a hash of every migration and procedure file (rc_tpl_<hash>), so editing SQL
 * gives a new template and an unchanged tree reuses the existing one (CREATE DATABASE … TEMPLATE takes tens of
 * milliseconds). It is built under a temporary name and renamed when complete, so concurrent jest runs never
 * clone a half-migrated template, and marked ALLOW_CONNECTIONS false so no session blocks cloning.
 * Admin URL: RC_TEST_PG_URL (default postgres://rc:rc@127.0.0.1:5432/postgres; the role must be allowed to
 * create databases and roles).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrateUp } from '../../worker/db/migrate';
import { findPackageRoot, loadMigrations, loadProcedures } from '../../worker/db/migration-files';
import { PostgresMigrationTarget } from '../../worker/db/postgres/postgres-migration-target';

export const PG_ADMIN_URL = process.env.RC_TEST_PG_URL ?? 'postgres://rc:rc@127.0.0.1:5432/postgres';

const TEST_DB_PREFIX = 'rc_t_';
const TEMPLATE_PREFIX = 'rc_tpl_';
/** Test databases left behind by a killed run are dropped after this long. */
const STALE_AFTER_MS = 2 * 60 * 60 * 1000;

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** The admin URL with another database name. */
export function pgUrlFor(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: PG_ADMIN_URL, application_name: 'rc-exchange tests' });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `Cannot reach PostgreSQL for the tests at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')}: ` +
        `${(err as Error).message}. Start it with \`bash scripts/services.sh\` or set RC_TEST_PG_URL.`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** rc_tpl_ + 16 hex of sha256 over every postgres migration and procedure file (paths and contents). */
export function templateName(): string {
  const root = findPackageRoot();
  const hash = createHash('sha256');
  for (const f of loadMigrations('postgres', root)) hash.update(`${f.relativePath}\0${f.sql}\0`);
  for (const f of loadProcedures('postgres', root)) hash.update(`${f.relativePath}\0${f.sql}\0`);
  return `${TEMPLATE_PREFIX}${hash.digest('hex').slice(0, 16)}`;
}

async function databaseExists(client: Client, name: string): Promise<boolean> {
  const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return r.rowCount === 1;
}

async function dropDatabase(client: Client, name: string): Promise<void> {
  await client.query(`ALTER DATABASE ${ident(name)} WITH IS_TEMPLATE false`).catch(() => undefined);
  await client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
}

/** Makes sure the migrated template for the current SQL files exists; returns its name. Idempotent. */
export async function ensureTemplate(): Promise<string> {
  const template = templateName();
  const exists = await withAdmin((c) => databaseExists(c, template));
  if (exists) return template;

  const building = `rc_tplb_${randomBytes(6).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${ident(building)} TEMPLATE template0`));
  try {
    const target = new PostgresMigrationTarget(pgUrlFor(building));
    try {
      await migrateUp(target);
    } finally {
      await target.close();
    }
    await withAdmin(async (c) => {
      await c.query(`ALTER DATABASE ${ident(building)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      try {
        await c.query(`ALTER DATABASE ${ident(building)} RENAME TO ${ident(template)}`);
      } catch (err) {
        // 42P04: a concurrent run finished the same template first; use theirs.
        if ((err as { code?: string }).code !== '42P04') throw err;
        await dropDatabase(c, building);
      }
    });
  } catch (err) {
    await withAdmin((c) => dropDatabase(c, building)).catch(() => undefined);
    throw err;
  }
  return template;
}

/**
 * Drops what earlier runs left: test databases older than two hours and templates of older SQL trees (the three
 * newest are kept, so a concurrent run on a slightly different tree keeps its template).
 */
export async function dropStaleDatabases(): Promise<void> {
  const current = templateName();
  await withAdmin(async (c) => {
    const r = await c.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'rc\\_t\\_%' OR datname LIKE 'rc\\_tpl\\_%' ORDER BY oid DESC`,
    );
    let templatesKept = 0;
    for (const { datname } of r.rows) {
      let stale: boolean;
      if (datname.startsWith(TEMPLATE_PREFIX)) {
        stale = datname !== current && ++templatesKept > 3;
      } else {
        const created = parseInt(datname.slice(TEST_DB_PREFIX.length).split('_')[0] ?? '', 36);
        stale = !Number.isFinite(created) || Date.now() - created > STALE_AFTER_MS;
      }
      if (stale) await dropDatabase(c, datname).catch(() => undefined);
    }
  });
}

/**
 * A new database for one test file: a clone of the migrated template, or an empty one (`empty: true`, for the
 * migration tests). Call drop() in afterAll.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = options.empty ? 'template0' : await ensureTemplate();
  const name = `${TEST_DB_PREFIX}${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin((c) => c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
  return {
    name,
    url: pgUrlFor(name),
    drop: () => withAdmin((c) => dropDatabase(c, name)),
  };
}
