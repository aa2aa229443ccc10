/**
 * MigrationTarget for PostgreSQL: one transaction per call holding a transaction-scoped advisory lock, so two
 * replicas running `rcx migrate up` at once take turns. A migration file runs as one multi-statement query
 * (PostgreSQL needs no batch splitting; DDL is transactional).
 */
import { Pool, type PoolClient } from 'pg';
import type {
  AppliedMigration,
  MigrationRecord,
  MigrationTarget,
  MigrationTransaction,
} from '../migration-target';
import { toPgRcError } from './pg-errors';

/** Fixed advisory lock key for migrations ('rcmi'); the same in every rc-exchange version. */
export const MIGRATION_LOCK_KEY = 0x72636d69;

const READ_APPLIED = `
  SELECT Version, Name, Checksum, AppliedAt, AppliedBy, ExecutionMs
  FROM rc.SchemaVersion ORDER BY Version`;

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
  appliedat: Date;
  appliedby: string;
  executionms: number;
}

function toApplied(row: AppliedRow): AppliedMigration {
  return {
    version: row.version,
    name: row.name,
    checksum: row.checksum.trim(),
    appliedAt: row.appliedat,
    appliedBy: row.appliedby,
    executionMs: row.executionms,
  };
}

class PostgresMigrationTransaction implements MigrationTransaction {
  constructor(private readonly client: PoolClient) {}

  async readApplied(): Promise<AppliedMigration[]> {
    const result = await this.client.query<AppliedRow>(READ_APPLIED);
    return result.rows.map(toApplied);
  }

  async runScript(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async recordApplied(record: MigrationRecord): Promise<void> {
    await this.client.query('INSERT INTO rc.SchemaVersion (Version, Name, Checksum) VALUES ($1, $2, $3)', [
      record.version,
      record.name,
      record.checksum,
    ]);
  }

  async recordDuration(version: number, executionMs: number): Promise<void> {
    await this.client.query('UPDATE rc.SchemaVersion SET ExecutionMs = $2 WHERE Version = $1', [
      version,
      executionMs,
    ]);
  }
}

export class PostgresMigrationTarget implements MigrationTarget {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(url: string) {
    this.pool = new Pool({ connectionString: url, max: 2, application_name: 'rc-exchange migrate' });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  async ensureVersionTable(): Promise<void> {
    await this.withLockedTransaction(async (tx) => {
      await tx.runScript(`
        CREATE SCHEMA IF NOT EXISTS rc;
        CREATE TABLE IF NOT EXISTS rc.SchemaVersion (
          Version     int NOT NULL CONSTRAINT PK_SchemaVersion PRIMARY KEY,
          Name        varchar(200) NOT NULL,
          Checksum    char(64) NOT NULL,
          AppliedAt   timestamptz NOT NULL DEFAULT now(),
          AppliedBy   varchar(128) NOT NULL DEFAULT session_user,
          ExecutionMs int NOT NULL DEFAULT 0
        );`);
    });
  }

  async readApplied(): Promise<AppliedMigration[]> {
    try {
      const exists = await this.pool.query<{ present: boolean }>(
        "SELECT to_regclass('rc.schemaversion') IS NOT NULL AS present",
      );
      if (!exists.rows[0]?.present) return [];
      const result = await this.pool.query<AppliedRow>(READ_APPLIED);
      return result.rows.map(toApplied);
    } catch (err) {
      throw toPgRcError(err, 'Reading rc.SchemaVersion');
    }
  }

  async withLockedTransaction<T>(fn: (tx: MigrationTransaction) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toPgRcError(err, 'Connecting to migrate');
    }
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const result = await fn(new PostgresMigrationTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toPgRcError(err, 'Migration transaction');
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
