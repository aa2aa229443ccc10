/**
 * The benchmark's yardstick: the same number of jobs through bare BullMQ (add in bulk, no-op processor, same
 * concurrency) on the same Redis, so rc-exchange's throughput can be printed as a ratio rather than a wall-clock
 * number that depends on the machine.
 */
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

export interface BaselineResult {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

export async function runBullmqBaseline(
  redisUrl: string,
  jobs: number,
  concurrency: number,
): Promise<BaselineResult> {
  const prefix = `rc-bench-baseline-${process.pid}-${Date.now()}`;
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = connection.duplicate();
  const queue = new Queue('noop', { connection, prefix });
  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const worker = new Worker(
    'noop',
    async () => {
      done += 1;
      if (done === jobs) finish();
    },
    { connection: workerConnection, prefix, concurrency, autorun: false },
  );
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < jobs; i += 1000) {
      const size = Math.min(1000, jobs - i);
      await queue.addBulk(
        Array.from({ length: size }, (_, k) => ({
          name: 'noop',
          data: { n: i + k },
          opts: { jobId: `noop-${i + k}`, removeOnComplete: true, removeOnFail: true },
        })),
      );
    }
    void worker.run();
    await allDone;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { jobs, seconds, jobsPerSecond: jobs / seconds };
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    // Connections handed to BullMQ stay ours to close.
    await Promise.all([connection.quit(), workerConnection.quit()]);
  }
}
