/**
 * Runs the simulator in its own process for the benchmark, so Exchange's side does not share the worker's event
 * loop (as it would not in production). Resolves once the child printed its EWS URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface SimulatorChild {
  url: string;
  ewsUrl: string;
  stop(): Promise<void>;
}

export function startSimulatorChild(
  cliPath: string,
  mailboxes: string[],
  password: string,
): Promise<SimulatorChild> {
  const args = [cliPath, 'simulator', '--port', '0', '--password', password];
  for (const m of mailboxes) args.push('--mailbox', m);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`simulator did not start: ${why}\n${output}`));
    };
    const timer = setTimeout(() => fail('no EWS URL within 15 s'), 15_000);
    child.once('exit', (code) => fail(`exited with code ${code}`));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /EWS\s+(http:\/\/\S+\/EWS\/Exchange\.asmx)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const ewsUrl = match[1];
      resolve({
        ewsUrl,
        url: ewsUrl.replace(/\/EWS\/Exchange\.asmx$/, ''),
        stop: () =>
          new Promise<void>((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  });
}
