/**
 * `rcx migrate up [--dry-run]` and `rcx migrate status`: the schema commands a DBA runs. They need only
 * RC_DB_URL (no Exchange or Redis settings).
 */
import { migrateUp, migrationStatus, planMigrations } from '../db/migrate';
import { dialectOf, openMigrationTarget } from '../db/open-store';
import { redactText } from '../log';
import { commandContext } from './command-context';

export async function runMigrateUp(options: { dryRun: boolean }): Promise<void> {
  const { config, logger } = commandContext({ requireExchange: false });
  const target = await openMigrationTarget(config.db.url);
  try {
    if (options.dryRun) {
      const plan = await planMigrations(target);
      process.stdout.write(plan.sql);
      return;
    }
    const result = await migrateUp(target, { logger });
    const where = `${dialectOf(config.db.url)} ${redactText(config.db.url)}`;
    process.stdout.write(
      result.applied.length === 0
        ? `Schema is up to date (${where}).\n`
        : `Applied ${result.applied.length} migration(s) to ${where}: ${result.applied.map((m) => m.fileName).join(', ')}\n`,
    );
    process.stdout.write(`Re-applied ${result.procedures.length} procedure/view file(s).\n`);
  } finally {
    await target.close();
  }
}

export async function runMigrateStatus(): Promise<void> {
  const { config } = commandContext({ requireExchange: false });
  const target = await openMigrationTarget(config.db.url);
  try {
    const status = await migrationStatus(target);
    const lines = [`Database: ${status.dialect} ${redactText(config.db.url)}`];
    for (const m of status.applied) {
      lines.push(
        `  applied  V${String(m.version).padStart(4, '0')} ${m.name}  ${m.appliedAt.toISOString()} by ${m.appliedBy}`,
      );
    }
    for (const m of status.pending) lines.push(`  pending  ${m.fileName}`);
    for (const m of status.changed)
      lines.push(`  CHANGED  ${m.file.fileName} (applied file was edited: restore it)`);
    for (const m of status.unknown)
      lines.push(`  UNKNOWN  V${String(m.version).padStart(4, '0')} ${m.name} (applied by a newer build)`);
    lines.push(status.current ? 'Schema is current.' : 'Schema is NOT current: run `rcx migrate up`.');
    process.stdout.write(`${lines.join('\n')}\n`);
    if (!status.current) process.exitCode = 1;
  } finally {
    await target.close();
  }
}
