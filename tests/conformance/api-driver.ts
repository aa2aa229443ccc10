/**
 * The conformance suite's view of a database: call the public SQL API the way an application would, in either
 * dialect, and read tables back. One implementation per dialect (postgres-api-driver.ts, mssql-api-driver.ts);
 * the test cases are written once against this interface and run against every configured database.
 */

import type { ApiParams, ApiProcedure } from '../../worker/db/api-client';

/**
 * A procedure error as the application sees it: the documented number (50000–50999) and the message. It is the
 * production client's error class, so the suite also proves what the demo and applications rely on.
 */
export { ApiCallError as ApiError } from '../../worker/db/api-client';
export type { ApiParams, ApiProcedure };

export interface ApiSession {
  /** Calls a procedure; resolves to its id result (@mailitem_id / @mailbox_id / function result) or null. */
  call(proc: ApiProcedure, params: ApiParams): Promise<string | null>;
  /** Calls a procedure that returns rows (rc_GetJob); column names lower-cased. */
  rows(proc: ApiProcedure, params: ApiParams): Promise<Record<string, unknown>[]>;
  /**
   * Runs a SELECT written in the common subset of both dialects (unquoted identifiers, `rc.` prefix, `?` for
   * parameters in order). Column names come back lower-cased so both dialects compare equal.
   */
  select(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `fn` in an explicit transaction that is rolled back at the end (to prove calls join the caller's). */
  inRolledBackTransaction(fn: (session: ApiSession) => Promise<void>): Promise<void>;
}

export interface ApiDatabase {
  readonly dialect: 'postgres' | 'mssql';
  /** A session as the database owner (who created the database and ran the migrations). */
  owner: ApiSession;
  /** The login name of the owner, as ORIGINAL_LOGIN() / session_user reports it. */
  ownerPrincipal: string;
  /** A session as another login, created on first use with rights to execute the API (not an owner). */
  as(principal: string): Promise<ApiSession>;
  /** Drops the fresh database this instance created. */
  dispose(): Promise<void>;
}

/** Creates a fresh, migrated database for one test file. */
export type ApiDatabaseFactory = () => Promise<ApiDatabase>;
