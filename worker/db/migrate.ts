/**
 * The dialect-neutral migration runner behind `rcx migrate up|status` and the worker's start-up check.
 *
 * Versioned files (db-migrations/<dialect>/V0001__name.sql) are applied once each, in order, every one in its own
 * transaction under the dialect's migration lock, and recorded in rc.SchemaVersion with their checksum. The
 * SchemaVersion row is inserted first inside that transaction and the applied list is re-read once the lock is
 * held, so concurrent migrators apply each file exactly once. Then every repeatable file in
 * stored-procedures/<dialect>/ is re-applied in one transaction. A recorded file whose checksum changed, or a
 * recorded version this build does not know, stops everything before any SQL runs.
 */
import type { Logger } from '../log';
import { RcError } from '../errors';
import { loadMigrations, loadProcedures, type MigrationFile, type ProcedureFile } from './migration-files';
import type { AppliedMigration, MigrationTarget } from './migration-target';

export interface MigrateOptions {
  /** Folder holding db-migrations/ and stored-procedures/; defaults to the package root. */
  root?: string;
  logger?: Logger;
}

export interface MigrateResult {
  /** Files this call applied (others may have been applied concurrently by another migrator). */
  applied: MigrationFile[];
  procedures: ProcedureFile[];
}

export interface MigrationPlan {
  pending: MigrationFile[];
  procedures: ProcedureFile[];
  /** Everything `migrate up` would run, in order, as one readable script (for --dry-run). */
  sql: string;
}

export interface ChangedMigration {
  applied: AppliedMigration;
  file: MigrationFile;
}

export interface MigrationStatus {
  dialect: MigrationTarget['dialect'];
  applied: AppliedMigration[];
  pending: MigrationFile[];
  /** Applied files whose content changed since (migrate up refuses to run). */
  changed: ChangedMigration[];
  /** Recorded versions this build has no file for: the database is newer than the code. */
  unknown: AppliedMigration[];
  /** True when nothing is pending, changed or unknown. */
  current: boolean;
}

interface Comparison {
  pending: MigrationFile[];
  changed: ChangedMigration[];
  unknown: AppliedMigration[];
}

function compare(files: MigrationFile[], applied: AppliedMigration[]): Comparison {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  const appliedVersions = new Set(applied.map((a) => a.version));
  const changed: ChangedMigration[] = [];
  const unknown: AppliedMigration[] = [];
  for (const row of applied) {
    const file = byVersion.get(row.version);
    if (!file) unknown.push(row);
    else if (file.checksum !== row.checksum) changed.push({ applied: row, file });
  }
  return { pending: files.filter((f) => !appliedVersions.has(f.version)), changed, unknown };
}

function newerSchemaError(unknown: AppliedMigration[], files: MigrationFile[]): RcError {
  const names = unknown.map((u) => `V${String(u.version).padStart(4, '0')}__${u.name}`).join(', ');
  const known = files.length === 0 ? 'none' : `up to V${String(files.length).padStart(4, '0')}`;
  return new RcError(
    'migration_newer_schema',
    `The database has migration(s) ${names} that this rc-exchange build does not know (it has ${known}). ` +
      'A newer rc-exchange migrated this database: run that version (upgrade this one), ' +
      'or point RC_DB_URL at the database meant for this version.',
  );
}

function checksumError(change: ChangedMigration): RcError {
  const { applied, file } = change;
  return new RcError(
    'migration_checksum_mismatch',
    `${file.relativePath} was changed after it was applied on ${applied.appliedAt.toISOString()} ` +
      `(recorded sha256 ${applied.checksum}, file now ${file.checksum}). Applied migrations are never edited: ` +
      `restore the file to its released content (e.g. git checkout -- ${file.relativePath}) and put the change ` +
      'in a new V####__name.sql file; on a throw-away development database you may instead drop it and migrate again.',
  );
}

/** Throws for the first problem that makes migrating unsafe (unknown versions, then changed files). */
function assertComparable(files: MigrationFile[], comparison: Comparison): void {
  if (comparison.unknown.length > 0) throw newerSchemaError(comparison.unknown, files);
  const first = comparison.changed[0];
  if (first) throw checksumError(first);
}

function failed(what: string, err: unknown): RcError {
  const reason = err instanceof Error ? err.message : String(err);
  return new RcError(
    'migration_failed',
    `${what} failed: ${reason}. Its transaction was rolled back, so the database is as before this file. ` +
      'Fix the SQL (or the database state it trips on) and run migrate again.',
    { cause: err },
  );
}

/** Applies pending migrations, then re-applies every procedure/view file. Safe to run from many replicas. */
export async function migrateUp(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const files = loadMigrations(target.dialect, options.root);
  const procedures = loadProcedures(target.dialect, options.root);
  const log = options.logger;

  await target.ensureVersionTable();
  const before = compare(files, await target.readApplied());
  assertComparable(files, before);

  const applied: MigrationFile[] = [];
  for (const file of before.pending) {
    const ran = await target.withLockedTransaction(async (tx) => {
      // Re-check under the lock: another migrator may have applied this file (or a newer build more) meanwhile.
      const now = compare(files, await tx.readApplied());
      assertComparable(files, now);
      if (!now.pending.some((p) => p.version === file.version)) return false;
      await tx.recordApplied({ version: file.version, name: file.name, checksum: file.checksum });
      const started = Date.now();
      try {
        await tx.runScript(file.sql);
      } catch (err) {
        throw failed(`Migration ${file.relativePath}`, err);
      }
      await tx.recordDuration(file.version, Date.now() - started);
      return true;
    });
    if (ran) {
      applied.push(file);
      log?.info('migration applied', { migration: file.fileName, dialect: target.dialect });
    }
  }

  await target.withLockedTransaction(async (tx) => {
    for (const proc of procedures) {
      try {
        await tx.runScript(proc.sql);
      } catch (err) {
        throw failed(`Procedure file ${proc.relativePath} (all procedure files are applied together)`, err);
      }
    }
  });
  log?.info('procedures applied', { count: procedures.length, dialect: target.dialect });
  return { applied, procedures };
}

/** What `migrate up` would run, without running or creating anything (`rcx migrate up --dry-run`). */
export async function planMigrations(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<MigrationPlan> {
  const files = loadMigrations(target.dialect, options.root);
  const procedures = loadProcedures(target.dialect, options.root);
  const comparison = compare(files, await target.readApplied());
  assertComparable(files, comparison);

  const parts: string[] = [
    `-- rc-exchange migrate up (${target.dialect}): ${comparison.pending.length} pending migration(s), ` +
      `${procedures.length} procedure file(s). Nothing below has run.`,
  ];
  for (const file of comparison.pending) {
    parts.push(
      `-- ==== ${file.relativePath} (sha256 ${file.checksum}) — own transaction under the migration lock; ` +
        `recorded in rc.SchemaVersion as version ${file.version}`,
      file.sql.trimEnd(),
    );
  }
  parts.push('-- ==== procedures and views, re-applied in one transaction under the migration lock');
  for (const proc of procedures) parts.push(`-- ---- ${proc.relativePath}`, proc.sql.trimEnd());
  return { pending: comparison.pending, procedures, sql: `${parts.join('\n\n')}\n` };
}

/** Applied, pending, changed and unknown migrations (`rcx migrate status`); never throws for their state. */
export async function migrationStatus(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<MigrationStatus> {
  const files = loadMigrations(target.dialect, options.root);
  const applied = await target.readApplied();
  const { pending, changed, unknown } = compare(files, applied);
  return {
    dialect: target.dialect,
    applied,
    pending,
    changed,
    unknown,
    current: pending.length === 0 && changed.length === 0 && unknown.length === 0,
  };
}

/** Worker start-up: refuses a database that is behind, ahead of, or diverged from this build. */
export async function assertSchemaCurrent(
  target: MigrationTarget,
  options: MigrateOptions = {},
): Promise<void> {
  const files = loadMigrations(target.dialect, options.root);
  const comparison = compare(files, await target.readApplied());
  assertComparable(files, comparison);
  if (comparison.pending.length > 0) {
    const names = comparison.pending.map((p) => p.fileName).join(', ');
    throw new RcError(
      'migration_pending',
      `The database schema is behind this rc-exchange build: ${comparison.pending.length} migration(s) pending ` +
        `(${names}). Run \`rcx migrate up\` (add --dry-run to read the SQL first), then start the worker again.`,
    );
  }
}
