/**
 * MigrationTarget for SQL Server / Azure SQL / Babelfish. Each withLockedTransaction call is one transaction on
 * one pooled connection that first takes an exclusive application lock (sp_getapplock, owner 'Transaction', so
 * it is released by COMMIT/ROLLBACK and never outlives the transaction); two replicas migrating at once take
 * turns. Scripts are split on GO lines (tsql-batches.ts) and sent batch by batch as SQL batches (not
 * sp_executesql), so CREATE PROCEDURE / ALTER FUNCTION / CREATE VIEW start their own batch as T-SQL requires.
 * Errors name the script line: the server reports lines relative to the batch.
 */
import sql from 'mssql';
import { RcError } from '../../errors';
import type { Logger } from '../../log';
import type {
  AppliedMigration,
  MigrationRecord,
  MigrationTarget,
  MigrationTransaction,
} from '../migration-target';
import { openMssqlPool } from './mssql-connection';
import { splitTsqlBatches } from './tsql-batches';
import { toMssqlRcError } from './transient-errors';

/** The application lock every rc-exchange version takes while migrating (sp_getapplock @Resource). */
export const MIGRATION_LOCK_RESOURCE = 'rc-exchange-migrate';

const TAKE_LOCK = `
SET XACT_ABORT ON;
DECLARE @result int;
EXEC @result = sys.sp_getapplock @Resource = N'${MIGRATION_LOCK_RESOURCE}', @LockMode = 'Exclusive',
  @LockOwner = 'Transaction', @LockTimeout = -1;
SELECT @result AS [Result];`;

const CREATE_SCHEMA = `IF SCHEMA_ID(N'rc') IS NULL EXEC(N'CREATE SCHEMA rc;');`;

const CREATE_VERSION_TABLE = `
IF OBJECT_ID(N'rc.SchemaVersion', N'U') IS NULL
  CREATE TABLE rc.SchemaVersion (
    Version     int NOT NULL CONSTRAINT PK_SchemaVersion PRIMARY KEY,
    Name        nvarchar(200) NOT NULL,
    Checksum    char(64) NOT NULL,
    AppliedAt   datetime2(3) NOT NULL CONSTRAINT DF_SchemaVersion_AppliedAt DEFAULT (SYSUTCDATETIME()),
    AppliedBy   nvarchar(128) NOT NULL CONSTRAINT DF_SchemaVersion_AppliedBy DEFAULT (ORIGINAL_LOGIN()),
    ExecutionMs int NOT NULL CONSTRAINT DF_SchemaVersion_ExecutionMs DEFAULT (0)
  );`;

const READ_APPLIED = `
SELECT v.Version AS [Version], v.Name AS [Name], v.Checksum AS [Checksum], v.AppliedAt AS [AppliedAt],
       v.AppliedBy AS [AppliedBy], v.ExecutionMs AS [ExecutionMs]
FROM rc.SchemaVersion AS v
ORDER BY v.Version;`;

interface AppliedRow {
  Version: number;
  Name: string;
  Checksum: string;
  AppliedAt: Date;
  AppliedBy: string;
  ExecutionMs: number;
}

function toApplied(row: AppliedRow): AppliedMigration {
  return {
    version: row.Version,
    name: row.Name,
    checksum: row.Checksum.trim(),
    appliedAt: row.AppliedAt,
    appliedBy: row.AppliedBy,
    executionMs: row.ExecutionMs,
  };
}

/** sp_getapplock's return code: 0 granted, 1 granted after waiting, negative = not granted. */
export function assertLockGranted(result: number | undefined): void {
  if (result === 0 || result === 1) return;
  const reasons: Record<number, string> = {
    [-1]: 'the request timed out',
    [-2]: 'the request was cancelled',
    [-3]: 'the request was chosen as a deadlock victim',
    [-999]: 'the call was invalid',
  };
  const reason = (result !== undefined && reasons[result]) || `sp_getapplock returned ${String(result)}`;
  throw new RcError(
    'migration_failed',
    `Could not take the migration lock "${MIGRATION_LOCK_RESOURCE}": ${reason}. Another rcx migrate may be ` +
      'stuck; check sys.dm_tran_locks for resource_type APPLICATION and run migrate again.',
    { retryable: result === -1 || result === -3 },
  );
}

class MssqlMigrationTransaction implements MigrationTransaction {
  constructor(
    private readonly transaction: sql.Transaction,
    private readonly logger?: Logger,
  ) {}

  private request(): sql.Request {
    return new sql.Request(this.transaction);
  }

  async readApplied(): Promise<AppliedMigration[]> {
    const result = await this.request().query<AppliedRow>(READ_APPLIED);
    return result.recordset.map(toApplied);
  }

  async runScript(script: string): Promise<void> {
    for (const batch of splitTsqlBatches(script)) {
      for (let run = 0; run < batch.count; run += 1) {
        this.logger?.debug('running T-SQL batch', { line: batch.startLine });
        try {
          await this.request().batch(batch.sql);
        } catch (err) {
          const batchLine = (err as { lineNumber?: unknown }).lineNumber;
          const line =
            typeof batchLine === 'number' && batchLine > 0
              ? batch.startLine + batchLine - 1
              : batch.startLine;
          throw toMssqlRcError(
            err,
            `running the batch starting at line ${batch.startLine} (error at script line ${line})`,
          );
        }
      }
    }
  }

  async recordApplied(record: MigrationRecord): Promise<void> {
    await this.request()
      .input('version', sql.Int, record.version)
      .input('name', sql.NVarChar(200), record.name)
      .input('checksum', sql.Char(64), record.checksum)
      .query(
        'INSERT INTO rc.SchemaVersion (Version, Name, Checksum, ExecutionMs) VALUES (@version, @name, @checksum, 0);',
      );
  }

  async recordDuration(version: number, executionMs: number): Promise<void> {
    await this.request()
      .input('version', sql.Int, version)
      .input('ms', sql.Int, Math.min(Math.max(0, Math.round(executionMs)), 2147483647))
      .query('UPDATE rc.SchemaVersion SET ExecutionMs = @ms WHERE Version = @version;');
  }
}

export class MssqlMigrationTarget implements MigrationTarget {
  readonly dialect = 'mssql' as const;
  private pool: Promise<sql.ConnectionPool> | null = null;

  constructor(
    private readonly url: string,
    private readonly logger?: Logger,
  ) {}

  /** One small pool, opened on first use; no request timeout (an index build may take long). */
  private connect(): Promise<sql.ConnectionPool> {
    if (!this.pool) {
      const opening = openMssqlPool(this.url, {
        maxConnections: 2,
        appName: 'rc-exchange migrate',
        requestTimeoutMs: 0,
      });
      // A failed connect must not be cached: the next call tries again.
      opening.catch(() => {
        if (this.pool === opening) this.pool = null;
      });
      this.pool = opening;
    }
    return this.pool;
  }

  async ensureVersionTable(): Promise<void> {
    await this.withLockedTransaction(async (tx) => {
      await tx.runScript(`${CREATE_SCHEMA}\nGO\n${CREATE_VERSION_TABLE}\n`);
    });
  }

  async readApplied(): Promise<AppliedMigration[]> {
    const pool = await this.connect();
    try {
      const exists = await pool
        .request()
        .query<{ Present: number }>(
          "SELECT CASE WHEN OBJECT_ID(N'rc.SchemaVersion', N'U') IS NULL THEN 0 ELSE 1 END AS [Present];",
        );
      if (exists.recordset[0]?.Present !== 1) return [];
      const result = await pool.request().query<AppliedRow>(READ_APPLIED);
      return result.recordset.map(toApplied);
    } catch (err) {
      throw toMssqlRcError(err, 'reading rc.SchemaVersion');
    }
  }

  async withLockedTransaction<T>(fn: (tx: MigrationTransaction) => Promise<T>): Promise<T> {
    const pool = await this.connect();
    const transaction = new sql.Transaction(pool);
    try {
      await transaction.begin();
    } catch (err) {
      throw toMssqlRcError(err, 'beginning the migration transaction');
    }
    try {
      const lock = await new sql.Request(transaction).query<{ Result: number }>(TAKE_LOCK);
      assertLockGranted(lock.recordset[0]?.Result);
      const result = await fn(new MssqlMigrationTransaction(transaction, this.logger));
      await transaction.commit();
      return result;
    } catch (err) {
      // XACT_ABORT may already have ended the transaction on the server; a failing rollback adds nothing.
      await transaction.rollback().catch(() => undefined);
      throw toMssqlRcError(err, 'running the migration transaction');
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    if (pool) await (await pool.catch(() => null))?.close();
  }
}
