/**
 * What every long-running subcommand starts with: the validated configuration and a logger built from it.
 */
import { loadConfig, type Config, type LoadConfigOptions } from '../config';
import { createLogger, type Logger } from '../log';

export interface CommandContext {
  config: Readonly<Config>;
  logger: Logger;
}

export function commandContext(
  options: LoadConfigOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): CommandContext {
  const config = loadConfig(env, options);
  return { config, logger: createLogger(config.log) };
}

/**
 * Runs `stop` on the first SIGTERM/SIGINT (graceful) and exits at once on the second (forceful), like
 * Graphile Worker. Returns a function that removes the handlers.
 */
export function onShutdownSignal(logger: Logger, stop: (signal: string) => Promise<void>): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: exiting without waiting for in-flight jobs', { signal });
      process.exit(130);
    }
    stopping = true;
    logger.info('shutting down gracefully (send the signal again to force)', { signal });
    stop(signal).then(
      () => process.exit(process.exitCode ?? 0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
