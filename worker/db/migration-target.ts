/**
 * What the dialect-neutral migration runner (migrate.ts) needs from a database. One implementation per dialect:
 * postgres/postgres-migration-target.ts (pg_advisory_xact_lock) and mssql/mssql-migration-target.ts
 * (sp_getapplock, GO batch splitting). The runner decides what to apply; a target only knows how.
 *
 * rc.SchemaVersion (created by ensureVersionTable, not by a migration file):
 *   Version int PK, Name, Checksum char(64) (sha256 hex of the file with \r\n → \n), AppliedAt,
 *   AppliedBy (session_user / ORIGINAL_LOGIN()), ExecutionMs int.
 */
import type { Dialect } from './store';

/** One row of rc.SchemaVersion. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  appliedAt: Date;
  appliedBy: string;
  executionMs: number;
}

/** What recordApplied writes; AppliedAt and AppliedBy come from the database (now, current login). */
export interface MigrationRecord {
  version: number;
  name: string;
  checksum: string;
}

/** Work inside one open transaction that holds the migration lock. */
export interface MigrationTransaction {
  /** rc.SchemaVersion rows ordered by Version, read inside the lock (the re-check after waiting for it). */
  readApplied(): Promise<AppliedMigration[]>;
  /**
   * Runs one migration or procedure file. The dialect splits it into batches (T-SQL: `GO` lines; PostgreSQL:
   * the whole file is one multi-statement query). Errors propagate and roll the transaction back.
   */
  runScript(sql: string): Promise<void>;
  /**
   * Inserts the SchemaVersion row (ExecutionMs 0). The runner calls it BEFORE runScript so that two migrators
   * that somehow both got past the lock collide on the primary key instead of applying a file twice.
   */
  recordApplied(record: MigrationRecord): Promise<void>;
  /** Sets ExecutionMs of the row recordApplied inserted, once the script has run. */
  recordDuration(version: number, executionMs: number): Promise<void>;
}

export interface MigrationTarget {
  readonly dialect: Dialect;
  /**
   * Creates schema rc and rc.SchemaVersion when missing. Idempotent and safe when several processes call it at
   * once (takes the migration lock itself).
   */
  ensureVersionTable(): Promise<void>;
  /** rc.SchemaVersion rows ordered by Version; [] when the table does not exist yet (never creates anything). */
  readApplied(): Promise<AppliedMigration[]>;
  /**
   * Opens a transaction, takes the dialect's migration lock (held until commit/rollback, waiting for other
   * migrators), runs `fn`, commits when it resolves and rolls back when it throws (rethrowing the error).
   */
  withLockedTransaction<T>(fn: (tx: MigrationTransaction) => Promise<T>): Promise<T>;
  /** Releases the connection(s). */
  close(): Promise<void>;
}
