#!/usr/bin/env node
/**
 * rcx — the one command-line entry point: migrate, worker, simulator, doctor, demo, bench.
 * Each subcommand lives in worker/commands/ and is loaded only when used, so `rcx migrate` never loads BullMQ.
 */
import { existsSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { RcError } from './errors';

/** A .env file in the working directory fills in variables not already set (real environment wins). */
function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('must be a number from 0 to 1');
  return n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function buildCli(): Command {
  const program = new Command('rcx')
    .description('rc-exchange: SQL stored procedures in, Microsoft Exchange out, status back in SQL.')
    .showHelpAfterError('(run with --help for usage)');

  const migrate = program.command('migrate').description('create or upgrade the rc schema in RC_DB_URL');
  migrate
    .command('up')
    .description('apply pending migrations, then re-apply every stored procedure')
    .option('--dry-run', 'print the SQL that would run, change nothing')
    .action(async (opts: { dryRun?: boolean }) => {
      const { runMigrateUp } = await import('./commands/migrate-command');
      await runMigrateUp({ dryRun: opts.dryRun === true });
    });
  migrate
    .command('status')
    .description('list applied and pending migrations')
    .action(async () => {
      const { runMigrateStatus } = await import('./commands/migrate-command');
      await runMigrateStatus();
    });

  program
    .command('worker')
    .description('run a worker replica: dispatcher, reconciler, job handlers and the ops HTTP endpoints')
    .action(async () => {
      const { runWorker } = await import('./commands/worker-command');
      await runWorker();
    });

  program
    .command('simulator')
    .description('run the Exchange simulator (EWS SOAP, OAuth token endpoint, admin API, web view)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0 = any free port)', positiveInt, 5080)
    .option(
      '--tls-port <port>',
      'also serve HTTPS (self-signed) on this port, e.g. for OAuth via msal-node',
      positiveInt,
    )
    .option('--mailbox <address>', 'create a mailbox (repeatable)', collect, [] as string[])
    .option('--password <password>', 'password of the mailboxes created with --mailbox', 'simulator')
    .option('--throttle-rate <0..1>', 'share of EWS requests answered with ErrorServerBusy', fraction, 0)
    .option('--back-off-ms <ms>', 'BackOffMilliseconds sent with ErrorServerBusy', positiveInt, 1000)
    .option('--error-rate <0..1>', 'share of EWS requests answered with HTTP 503', fraction, 0)
    .option('--latency-ms <ms>', 'added latency per EWS request', positiveInt, 0)
    .option('--drop-rate <0..1>', 'share of EWS requests whose connection is dropped', fraction, 0)
    .option(
      '--too-many-requests-rate <0..1>',
      'share of EWS requests answered with HTTP 429 and Retry-After',
      fraction,
      0,
    )
    .option('--retry-after <seconds>', 'Retry-After sent with HTTP 429', positiveInt, 1)
    .addOption(
      new Option(
        '--limits <profile>',
        'per-mailbox limits: exchange-online (27 concurrent requests, 30 messages/minute, 35 MB) or none',
      )
        .choices(['exchange-online', 'none'])
        .default('none'),
    )
    .option(
      '--token-lifetime <seconds>',
      'lifetime of OAuth access tokens from the token endpoint',
      positiveInt,
      3600,
    )
    .option(
      '--schema-dir <dir>',
      "folder with Exchange's messages.xsd and types.xsd: validate every EWS request against them and answer " +
        'violations with ErrorSchemaValidation (default $RC_EWS_SCHEMA_DIR; without schemas only well-formedness)',
    )
    .option(
      '--data-file <path>',
      'keep the whole store (mailboxes, folders, items with their ids, sync positions, grants, outbound log) in ' +
        'this JSON file: loaded at start, saved shortly after every change and on exit (default: memory only)',
    )
    .action(async (opts) => {
      const { runSimulator } = await import('./commands/simulator-command');
      await runSimulator(opts);
    });

  program
    .command('doctor')
    .description('check configuration, SQL, schema, Redis and Exchange, and say what is wrong')
    .action(async () => {
      const { runDoctor } = await import('./commands/doctor-command');
      process.exitCode = await runDoctor();
    });

  program
    .command('demo')
    .description('try rc-exchange end to end on local PostgreSQL, Redis and the simulator')
    .option('--sim-port <port>', 'port of the demo simulator', positiveInt, 5080)
    .option('--exit', 'exit when the demo mails are done instead of keeping the simulator running')
    .action(async (opts: { simPort: number; exit?: boolean }) => {
      const { runDemo } = await import('./commands/demo-command');
      await runDemo({ simulatorPort: opts.simPort, exitWhenDone: opts.exit === true });
    });

  program
    .command('bench')
    .description('measure mails/s and latency through the whole pipeline against bare BullMQ')
    .option('--jobs <n>', 'mails to send (and no-op jobs for the BullMQ baseline)', positiveInt, 5000)
    .option('--concurrency <n>', 'worker concurrency (same for both runs)', positiveInt, 64)
    .option('--latency-jobs <n>', 'mails sent at a steady rate to measure pickup latency', positiveInt, 300)
    .action(async (opts: { jobs: number; concurrency: number; latencyJobs: number }) => {
      const { runBench } = await import('./commands/bench-command');
      await runBench(opts);
    });

  return program;
}

async function main(): Promise<void> {
  loadDotEnv();
  try {
    await buildCli().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof RcError) {
      process.stderr.write(`rcx: ${err.message}\n`);
    } else {
      process.stderr.write(
        `rcx: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    }
    process.exitCode = 1;
  }
}

if (require.main === module) void main();
