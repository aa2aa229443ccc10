/**
 * Reads the SQL the migration runner applies: versioned files from db-migrations/<dialect>/ and repeatable
 * procedure/view files from stored-procedures/<dialect>/. Pure file work, no database.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { RcError } from '../errors';
import type { Dialect } from './store';

export const MIGRATION_FILE = /^V(\d{4})__([A-Za-z0-9_]+)\.sql$/;

export interface MigrationFile {
  version: number;
  /** Descriptive part of the file name, e.g. 'create_core_tables'. */
  name: string;
  fileName: string;
  /** Path relative to the root, for messages: 'db-migrations/postgres/V0001__create_core_tables.sql'. */
  relativePath: string;
  /** File text with \r\n normalised to \n (what runs and what is checksummed). */
  sql: string;
  /** sha256 hex of `sql`. */
  checksum: string;
}

export interface ProcedureFile {
  fileName: string;
  relativePath: string;
  sql: string;
}

/**
 * The folder holding package.json (and db-migrations/, stored-procedures/): found by walking up from this file,
 * so it works from the TypeScript sources (worker/db) and from the compiled dist/worker/db alike.
 */
export function findPackageRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'db-migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new RcError(
        'migration_failed',
        `Cannot find the rc-exchange package root (a folder with package.json and db-migrations/) above ${start}. ` +
          'Run rcx from an installed package or a checkout; the SQL files ship in db-migrations/ and stored-procedures/.',
      );
    }
    dir = parent;
  }
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

function readSql(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
}

function listSqlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** Versioned migrations in version order; rejects badly named files, duplicate versions and gaps. */
export function loadMigrations(dialect: Dialect, root: string = findPackageRoot()): MigrationFile[] {
  const folder = path.join('db-migrations', dialect);
  const files: MigrationFile[] = [];
  for (const fileName of listSqlFiles(path.join(root, folder))) {
    const match = MIGRATION_FILE.exec(fileName);
    const relativePath = `${folder}/${fileName}`;
    if (!match) {
      throw new RcError(
        'migration_failed',
        `${relativePath} is not named like a migration. Name versioned files V<4 digits>__<name>.sql ` +
          '(e.g. V0002__add_sync_tables.sql), or move the file out of the folder.',
      );
    }
    const sql = readSql(path.join(root, folder, fileName));
    files.push({
      version: Number(match[1]),
      name: match[2] as string,
      fileName,
      relativePath,
      sql,
      checksum: checksumOf(sql),
    });
  }
  files.sort((a, b) => a.version - b.version);
  files.forEach((file, index) => {
    const previous = files[index - 1];
    if (previous && previous.version === file.version) {
      throw new RcError(
        'migration_failed',
        `${previous.relativePath} and ${file.relativePath} share version ${file.version}. ` +
          'Give the newer file the next free number.',
      );
    }
    if (file.version !== index + 1) {
      throw new RcError(
        'migration_failed',
        `${file.relativePath} leaves a gap: expected version ${index + 1} next. ` +
          'Versions start at V0001 and go up by one; renumber the file (only if it was never applied anywhere).',
      );
    }
  });
  return files;
}

/**
 * Repeatable files: `_fn_` helper functions first (other helpers call them; T-SQL resolves a function when the
 * calling procedure is created), then the other `_`-prefixed helpers, then the rest, each group sorted by file
 * name.
 */
export function loadProcedures(dialect: Dialect, root: string = findPackageRoot()): ProcedureFile[] {
  const folder = path.join('stored-procedures', dialect);
  const names = listSqlFiles(path.join(root, folder));
  const rank = (f: string) => (f.startsWith('_fn_') ? 0 : f.startsWith('_') ? 1 : 2);
  const ordered = [0, 1, 2].flatMap((group) => names.filter((f) => rank(f) === group));
  return ordered.map((fileName) => ({
    fileName,
    relativePath: `${folder}/${fileName}`,
    sql: readSql(path.join(root, folder, fileName)),
  }));
}
