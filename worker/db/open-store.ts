/**
 * Picks the database adapter from the URL scheme: postgres:// | postgresql:// → PostgreSQL (pg),
 * mssql:// | sqlserver:// → SQL Server / Azure SQL / Babelfish (mssql). Adapters are loaded lazily so a
 * deployment only loads the driver it uses.
 */
import { RcError } from '../errors';
import type { Logger } from '../log';
import type { ApiClient } from './api-client';
import type { MigrationTarget } from './migration-target';
import type { Dialect, Store } from './store';

/** The dialect a database URL speaks; throws config_invalid for anything else. */
export function dialectOf(url: string): Dialect {
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (/^(mssql|sqlserver):\/\//i.test(url)) return 'mssql';
  throw new RcError(
    'config_invalid',
    `RC_DB_URL must start with postgres:// (or postgresql://) or mssql:// (or sqlserver://); got "${url.split(':')[0]}:…". ` +
      'See .env.example for the full form of each.',
  );
}

export async function openStore(url: string, logger: Logger): Promise<Store> {
  if (dialectOf(url) === 'postgres') {
    const { PostgresStore } = await import('./postgres/postgres-store');
    return new PostgresStore(url, logger);
  }
  const { MssqlStore } = await import('./mssql/mssql-store');
  return new MssqlStore(url, logger);
}

export async function openMigrationTarget(url: string): Promise<MigrationTarget> {
  if (dialectOf(url) === 'postgres') {
    const { PostgresMigrationTarget } = await import('./postgres/postgres-migration-target');
    return new PostgresMigrationTarget(url);
  }
  const { MssqlMigrationTarget } = await import('./mssql/mssql-migration-target');
  return new MssqlMigrationTarget(url);
}

/** A client of the public SQL API (demo, benchmark, tests): loads only the driver the URL needs. */
export async function openApiClient(url: string): Promise<ApiClient> {
  if (dialectOf(url) === 'mssql') {
    const { MssqlApiClient } = await import('./mssql/mssql-api-client');
    return MssqlApiClient.open(url);
  }
  const { PostgresApiClient } = await import('./postgres/postgres-api-client');
  return new PostgresApiClient(url);
}
