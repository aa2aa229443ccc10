/**
 * `rcx simulator`: runs the Exchange simulator in the foreground until SIGTERM/SIGINT.
 */
import { type LimitsProfile, type RunningSimulator, startSimulator } from '../../simulator';
import { DataFileError } from '../../simulator/persistence';
import { createLogger } from '../log';
import { onShutdownSignal } from './command-context';

export interface SimulatorCommandOptions {
  host: string;
  port: number;
  tlsPort?: number;
  mailbox: string[];
  password: string;
  throttleRate: number;
  backOffMs: number;
  errorRate: number;
  latencyMs: number;
  dropRate: number;
  tooManyRequestsRate: number;
  retryAfter: number;
  limits: LimitsProfile;
  tokenLifetime: number;
  schemaDir?: string;
  dataFile?: string;
}

export async function runSimulator(opts: SimulatorCommandOptions): Promise<void> {
  const logger = createLogger({ level: 'info', format: 'auto' });
  let sim: RunningSimulator;
  try {
    sim = await startSimulator({
      host: opts.host,
      port: opts.port,
      tls: opts.tlsPort === undefined ? undefined : { port: opts.tlsPort },
      mailboxes: opts.mailbox,
      password: opts.password,
      faults: {
        throttleRate: opts.throttleRate,
        backOffMs: opts.backOffMs,
        errorRate: opts.errorRate,
        latencyMs: opts.latencyMs,
        dropRate: opts.dropRate,
        tooManyRequestsRate: opts.tooManyRequestsRate,
        retryAfterSeconds: opts.retryAfter,
      },
      limits: opts.limits,
      tokenLifetimeSeconds: opts.tokenLifetime,
      schemaDir: opts.schemaDir,
      dataFile: opts.dataFile,
      logger,
    });
  } catch (err) {
    if (!(err instanceof DataFileError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const lines = [
    `Exchange simulator running`,
    `  web view   ${sim.url}/`,
    `  EWS        ${sim.ewsUrl}  (basic auth: mailbox address + password)`,
    `  admin API  ${sim.url}/_sim/mailboxes`,
    `  limits     ${opts.limits}  (change at run time: POST ${sim.url}/_sim/limits)`,
    `  requests   ${sim.requestValidation.description}`,
    `  data file  ${opts.dataFile ?? '(none: state is in memory only)'}`,
  ];
  if (sim.httpsUrl) lines.push(`  HTTPS      ${sim.httpsUrl}  (OAuth authority: ${sim.httpsUrl}/<tenant>)`);
  lines.push(
    `  mailboxes  ${opts.mailbox.length ? opts.mailbox.join(', ') : '(none yet: POST /_sim/mailboxes)'}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => {
    onShutdownSignal(logger, async () => {
      await sim.close();
      resolve();
    });
  });
}
