/**
 * The benchmark's own PostgreSQL database: created fresh next to RC_DB_URL's database, migrated, dropped at the
 * end, so a run never touches real data and every run starts from the same state.
 */
import { Client, Pool } from 'pg';
import { RcError } from '../errors';
import { migrateUp } from '../db/migrate';
import { dialectOf, openMigrationTarget } from '../db/open-store';

export interface BenchDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  if (dialectOf(serverUrl) !== 'postgres') {
    throw new RcError(
      'config_invalid',
      'rcx bench runs on PostgreSQL (RC_DB_URL=postgres://…): it creates and drops its own database there.',
    );
  }
  const name = `rc_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const target = await openMigrationTarget(url.toString());
  try {
    await migrateUp(target);
  } finally {
    await target.close();
  }
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
