/**
 * `rcx worker`: one replica in the foreground until SIGTERM/SIGINT (first = drain and exit, second = exit now).
 */
import { startWorkerProcess } from '../worker-process';
import { commandContext, onShutdownSignal } from './command-context';

export async function runWorker(): Promise<void> {
  const { config, logger } = commandContext();
  const worker = await startWorkerProcess(config, logger);
  onShutdownSignal(logger, () => worker.stop());
}
