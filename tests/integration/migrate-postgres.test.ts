/**
 * The migration runner on real, empty PostgreSQL databases: first apply, idempotent re-run, refusal of changed
 * or unknown migrations, pending detection, dry-run plan, failure rollback, and concurrent migrators.
 * Scenarios that need other SQL files run against a temporary copy of the SQL folders (`root`).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { RcError } from '../../worker/errors';
import {
  assertSchemaCurrent,
  migrateUp,
  migrationStatus,
  planMigrations,
  type MigrateOptions,
} from '../../worker/db/migrate';
import { checksumOf, findPackageRoot, loadMigrations, loadProcedures } from '../../worker/db/migration-files';
import { PostgresMigrationTarget } from '../../worker/db/postgres/postgres-migration-target';
import { createTestDatabase, type TestDatabase } from '../helpers/pg-test-db';

const repoRoot = findPackageRoot();
const shipped = loadMigrations('postgres', repoRoot);
const databases: TestDatabase[] = [];
const targets: PostgresMigrationTarget[] = [];
const tempRoots: string[] = [];

async function emptyDatabase(): Promise<{ db: TestDatabase; target: PostgresMigrationTarget }> {
  const db = await createTestDatabase({ empty: true });
  databases.push(db);
  return { db, target: newTarget(db) };
}

function newTarget(db: TestDatabase): PostgresMigrationTarget {
  const target = new PostgresMigrationTarget(db.url);
  targets.push(target);
  return target;
}

/** A copy of the repository's SQL folders that a test may change. */
function sqlCopy(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'rc-migrate-'));
  tempRoots.push(root);
  for (const folder of ['db-migrations/postgres', 'stored-procedures/postgres']) {
    cpSync(path.join(repoRoot, folder), path.join(root, folder), { recursive: true });
  }
  return root;
}

async function query<T extends Record<string, unknown>>(db: TestDatabase, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<RcError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RcError);
  return err as RcError;
}

afterAll(async () => {
  await Promise.all(targets.map((t) => t.close()));
  await Promise.all(databases.map((d) => d.drop()));
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true });
});

test('the shipped migrations are numbered from V0001 without gaps', () => {
  expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
  expect(shipped[0]?.fileName).toBe('V0001__create_core_tables.sql');
  const procedures = loadProcedures('postgres', repoRoot).map((p) => p.fileName);
  // Helper functions first (other helpers call them), then the other helpers, then the procedures and views.
  const functions = procedures.filter((f) => f.startsWith('_fn_'));
  const helpers = procedures.filter((f) => f.startsWith('_') && !f.startsWith('_fn_'));
  expect(functions).toEqual(expect.arrayContaining(['_fn_IsValidAddress.sql', '_fn_SplitAddressList.sql']));
  expect(helpers).toEqual(expect.arrayContaining(['_ResolveProfile.sql', '_Categories.sql']));
  expect(procedures.slice(0, functions.length + helpers.length)).toEqual([...functions, ...helpers]);
  expect(procedures).toEqual(expect.arrayContaining(['rc_SendMail.sql', 'vw_MailItems.sql']));
});

test('checksums ignore CRLF line endings', () => {
  const root = sqlCopy();
  const file = path.join(root, 'db-migrations/postgres', shipped[0]!.fileName);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
  expect(loadMigrations('postgres', root)[0]?.checksum).toBe(shipped[0]?.checksum);
  expect(shipped[0]?.checksum).toBe(checksumOf(shipped[0]!.sql));
});

test('status on an empty database lists everything as pending and creates nothing', async () => {
  const { db, target } = await emptyDatabase();
  const status = await migrationStatus(target);
  expect(status).toMatchObject({
    dialect: 'postgres',
    applied: [],
    changed: [],
    unknown: [],
    current: false,
  });
  expect(status.pending.map((p) => p.version)).toEqual(shipped.map((m) => m.version));
  expect(await query(db, "SELECT 1 FROM pg_namespace WHERE nspname = 'rc'")).toEqual([]);
  const err = await rejection(assertSchemaCurrent(target));
  expect(err.code).toBe('migration_pending');
  expect(err.message).toContain('rcx migrate up');
});

test('dry run prints the SQL it would run without running it', async () => {
  const { db, target } = await emptyDatabase();
  const plan = await planMigrations(target);
  expect(plan.pending.map((p) => p.fileName)).toEqual(shipped.map((m) => m.fileName));
  expect(plan.sql).toContain('CREATE TABLE rc.Jobs');
  expect(plan.sql).toContain('CREATE OR REPLACE FUNCTION rc.rc_sendmail(');
  expect(plan.sql.indexOf('V0001__create_core_tables.sql')).toBeLessThan(plan.sql.indexOf('rc_SendMail.sql'));
  expect(await query(db, "SELECT 1 FROM pg_namespace WHERE nspname = 'rc'")).toEqual([]);
});

test('migrate up applies and records every file, then a re-run applies nothing new', async () => {
  const { db, target } = await emptyDatabase();
  const first = await migrateUp(target);
  expect(first.applied.map((m) => m.fileName)).toEqual(shipped.map((m) => m.fileName));
  expect(first.procedures.length).toBeGreaterThanOrEqual(8);

  const rows = await query<{ version: number; name: string; checksum: string; appliedby: string }>(
    db,
    'SELECT Version, Name, Checksum, AppliedBy, ExecutionMs FROM rc.SchemaVersion ORDER BY Version',
  );
  expect(rows).toEqual(
    shipped.map((m) => ({
      version: m.version,
      name: m.name,
      checksum: m.checksum,
      appliedby: 'rc',
      executionms: expect.any(Number),
    })),
  );
  const functions = await query<{ proname: string }>(
    db,
    "SELECT proname FROM pg_proc WHERE pronamespace = 'rc'::regnamespace AND proname LIKE 'rc\\_%' ORDER BY proname",
  );
  expect(functions.map((f) => f.proname)).toEqual([
    'rc_addmailbox',
    'rc_canceljob',
    'rc_createappointment',
    'rc_createcontact',
    'rc_createtask',
    'rc_deleteappointment',
    'rc_deletecontact',
    'rc_deletetask',
    'rc_getjob',
    'rc_grantmailbox',
    'rc_retryjob',
    'rc_revokemailbox',
    'rc_sendmail',
    'rc_syncfolder',
    'rc_updateappointment',
    'rc_updatecontact',
    'rc_updatetask',
  ]);
  await expect(assertSchemaCurrent(target)).resolves.toBeUndefined();
  expect((await migrationStatus(target)).current).toBe(true);

  const second = await migrateUp(target);
  expect(second.applied).toEqual([]);
  expect(second.procedures).toHaveLength(first.procedures.length);
  expect(await query(db, 'SELECT Version FROM rc.SchemaVersion')).toHaveLength(shipped.length);
  expect((await planMigrations(target)).pending).toEqual([]);
});

test('an applied file that changed is refused by up, plan and start-up, and reported by status', async () => {
  const { target } = await emptyDatabase();
  await migrateUp(target);
  const root = sqlCopy();
  const file = path.join(root, 'db-migrations/postgres', shipped[0]!.fileName);
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- an edit after release\n`);
  const options: MigrateOptions = { root };

  for (const attempt of [
    migrateUp(target, options),
    planMigrations(target, options),
    assertSchemaCurrent(target, options),
  ]) {
    const err = await rejection(attempt);
    expect(err.code).toBe('migration_checksum_mismatch');
    expect(err.message).toContain('db-migrations/postgres/V0001__create_core_tables.sql');
    expect(err.message).toContain('new V####__name.sql');
  }
  const status = await migrationStatus(target, options);
  expect(status.current).toBe(false);
  expect(status.changed.map((c) => c.file.fileName)).toEqual([shipped[0]!.fileName]);
});

test('a new file is pending until applied; a database with a version this build lacks is refused', async () => {
  const { db, target } = await emptyDatabase();
  await migrateUp(target);
  const root = sqlCopy();
  const next = `V${String(shipped.length + 1).padStart(4, '0')}__add_probe.sql`;
  writeFileSync(
    path.join(root, 'db-migrations/postgres', next),
    'CREATE TABLE rc.Probe (ProbeId int PRIMARY KEY);\n',
  );

  expect((await rejection(assertSchemaCurrent(target, { root }))).code).toBe('migration_pending');
  const plan = await planMigrations(target, { root });
  expect(plan.pending.map((p) => p.fileName)).toEqual([next]);
  expect(plan.sql).toContain('CREATE TABLE rc.Probe');
  expect(plan.sql).not.toContain('CREATE TABLE rc.Jobs');

  expect((await migrateUp(target, { root })).applied.map((m) => m.fileName)).toEqual([next]);
  expect(await query(db, 'SELECT * FROM rc.Probe')).toEqual([]);
  await expect(assertSchemaCurrent(target, { root })).resolves.toBeUndefined();

  // The repository build does not know the probe migration: the database is newer than it.
  for (const attempt of [migrateUp(target), assertSchemaCurrent(target), planMigrations(target)]) {
    const err = await rejection(attempt);
    expect(err.code).toBe('migration_newer_schema');
    expect(err.message).toContain(next.replace('.sql', ''));
  }
  expect((await migrationStatus(target)).unknown.map((u) => u.name)).toEqual(['add_probe']);
});

test('a failing migration rolls back completely and is not recorded', async () => {
  const { db, target } = await emptyDatabase();
  await migrateUp(target);
  const root = sqlCopy();
  const next = `V${String(shipped.length + 1).padStart(4, '0')}__broken.sql`;
  writeFileSync(
    path.join(root, 'db-migrations/postgres', next),
    'CREATE TABLE rc.Half (Id int);\nSELECT no_such_function();\n',
  );
  const err = await rejection(migrateUp(target, { root }));
  expect(err.code).toBe('migration_failed');
  expect(err.message).toContain(next);
  expect(err.message).toContain('no_such_function');
  expect(await query(db, "SELECT to_regclass('rc.half') AS t")).toEqual([{ t: null }]);
  expect(await query(db, 'SELECT Version FROM rc.SchemaVersion')).toHaveLength(shipped.length);
});

test('a broken procedure file rolls back every procedure file of that run', async () => {
  const { db, target } = await emptyDatabase();
  await migrateUp(target);
  const root = sqlCopy();
  writeFileSync(
    path.join(root, 'stored-procedures/postgres', 'rc_SendMail.sql'),
    'CREATE OR REPLACE FUNCTION rc.rc_probe() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;\n',
  );
  writeFileSync(
    path.join(root, 'stored-procedures/postgres', 'zz_broken.sql'),
    'CREATE VIEW rc.v AS SELECT nope;\n',
  );
  const err = await rejection(migrateUp(target, { root }));
  expect(err.code).toBe('migration_failed');
  expect(err.message).toContain('stored-procedures/postgres/zz_broken.sql');
  expect(await query(db, "SELECT to_regproc('rc.rc_probe') AS p")).toEqual([{ p: null }]);
});

test('badly named, duplicate and gapped migration files are rejected with the file named', () => {
  // Numbered after the shipped files, so the cases hold whatever migrations ship.
  const version = (n: number) => `V${String(n).padStart(4, '0')}`;
  const next = shipped.length + 1;
  const cases: Array<[string[], string]> = [
    [['create_things.sql'], 'create_things.sql is not named like a migration'],
    [[`${version(next)}__second.sql`, `${version(next)}__again.sql`], `share version ${next}`],
    [
      [`${version(next + 1)}__third.sql`],
      `${version(next + 1)}__third.sql leaves a gap: expected version ${next}`,
    ],
  ];
  for (const [extra, message] of cases) {
    const root = sqlCopy();
    for (const name of extra) writeFileSync(path.join(root, 'db-migrations/postgres', name), 'SELECT 1;\n');
    let caught: unknown;
    try {
      loadMigrations('postgres', root);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RcError);
    expect((caught as RcError).message).toContain(message);
  }
});

test('concurrent migrators apply each file exactly once', async () => {
  const { db } = await emptyDatabase();
  const migrators = Array.from({ length: 4 }, () => newTarget(db));
  const results = await Promise.all(migrators.map((t) => migrateUp(t)));
  const applied = results.flatMap((r) => r.applied.map((m) => m.fileName)).sort();
  expect(applied).toEqual(shipped.map((m) => m.fileName).sort());
  expect(await query(db, 'SELECT Version FROM rc.SchemaVersion')).toHaveLength(shipped.length);
  await expect(assertSchemaCurrent(migrators[0]!)).resolves.toBeUndefined();
});
