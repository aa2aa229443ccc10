/**
 * jest globalSetup: builds (or reuses) the migrated PostgreSQL template every test database is cloned from, and
 * drops databases earlier runs left behind. Idempotent and fast when nothing changed (one catalog query).
 * When PostgreSQL is not reachable it only warns, so unit tests still run; database tests then fail with the
 * same message and how to fix it.
 */
import { dropStaleDatabases, ensureTemplate } from './pg-test-db';

export default async function globalSetup(): Promise<void> {
  try {
    await ensureTemplate();
    await dropStaleDatabases();
  } catch (err) {
    process.stderr.write(`[global-setup] PostgreSQL template not prepared: ${(err as Error).message}\n`);
  }
}
