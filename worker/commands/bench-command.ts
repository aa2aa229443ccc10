/**
 * `rcx bench`: mails through the whole pipeline (rc_sendmail → dispatcher → BullMQ → EWS → simulator → status
 * columns) on a fresh PostgreSQL database, compared with bare BullMQ moving the same number of no-op jobs with
 * the same concurrency in the same run. Throughput comes from a bulk enqueue; pickup and end-to-end latency from
 * mails enqueued one at a time at a steady rate below capacity. Prints a table, then one JSON line (last line).
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_DB_URL, loadConfig } from '../config';
import { createBenchDatabase, type BenchDatabase } from '../bench/bench-database';
import { runBullmqBaseline } from '../bench/bullmq-baseline';
import { startSimulatorChild, type SimulatorChild } from '../bench/simulator-child';
import { callPostgresApi } from '../db/postgres/postgres-api-client';
import { createLogger } from '../log';
import { startWorkerProcess, type WorkerProcess } from '../worker-process';

export interface BenchOptions {
  jobs: number;
  concurrency: number;
  latencyJobs: number;
}

const SERVICE = 'svc@bench.local';
const PASSWORD = 'bench';
const PROFILES = ['b1', 'b2', 'b3', 'b4'];
const BODY = '<p>Benchmark mail with a little HTML body &amp; some text to make it realistic.</p>'.repeat(4);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitUntilFinished(
  db: BenchDatabase,
  minId: string,
  count: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM rc.Jobs WHERE JobId >= $1 AND Status IN ('Succeeded','Failed')`,
      [minId],
    );
    if (Number(rows[0].n) >= count) return;
    if (Date.now() > deadline) throw new Error(`benchmark jobs not finished within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

interface Latency {
  p50: number;
  p99: number;
}

async function latencies(
  db: BenchDatabase,
  minId: string,
  column: 'StartedAt' | 'CompletedAt',
): Promise<Latency> {
  const { rows } = await db.pool.query<{ p50: number; p99: number }>(
    `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99
       FROM (SELECT extract(epoch FROM (${column} - CreatedAt)) * 1000 AS ms FROM rc.Jobs WHERE JobId >= $1) t`,
    [minId],
  );
  return { p50: Number(rows[0].p50), p99: Number(rows[0].p99) };
}

function startRssSampler(): { peakMb(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return { peakMb: () => peak / 1024 / 1024, stop: () => clearInterval(timer) };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runBench(options: BenchOptions): Promise<void> {
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const logger = createLogger({ level: 'warn', format: 'auto' });
  const db = await createBenchDatabase(process.env.RC_DB_URL ?? DEFAULT_DB_URL);
  let sim: SimulatorChild | null = null;
  let worker: WorkerProcess | null = null;
  try {
    sim = await startSimulatorChild(
      process.argv[1],
      [SERVICE, ...PROFILES.map((p) => `${p}@bench.local`)],
      PASSWORD,
    );
    const grant = await fetch(`${sim.url}/_sim/grants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ principal: SERVICE, right: 'impersonation' }),
    });
    if (!grant.ok) throw new Error(`simulator refused the impersonation grant: ${await grant.text()}`);
    for (const p of PROFILES) {
      await callPostgresApi(db.pool, 'rc_AddMailbox', { profile_name: p, smtp_address: `${p}@bench.local` });
      await callPostgresApi(db.pool, 'rc_GrantMailbox', { principal: 'public', profile_name: p });
    }
    const config = loadConfig({
      ...process.env,
      RC_DB_URL: db.url,
      RC_QUEUE_PREFIX: `rc-bench-${randomBytes(4).toString('hex')}`,
      RC_EWS_URL: sim.ewsUrl,
      RC_EWS_AUTH: 'basic',
      RC_EWS_USERNAME: SERVICE,
      RC_EWS_PASSWORD: PASSWORD,
      RC_WORKER_CONCURRENCY: String(options.concurrency),
      RC_MAILBOX_CONCURRENCY: '100',
      RC_DISPATCH_BATCH: '1000',
      RC_LOG_LEVEL: 'warn',
    });
    worker = await startWorkerProcess(config, logger, { opsServer: false });
    const rss = startRssSampler();

    const enqueueBulk = async (count: number): Promise<string> => {
      const { rows } = await db.pool.query<{ id: string }>(
        `SELECT min(rc.rc_sendmail(profile_name => 'b' || (1 + g % ${PROFILES.length}), recipients => 'customer' || g || '@example.com',
                 subject => 'Bench ' || g, body => $1, body_format => 'HTML')) AS id
           FROM generate_series(1, $2::int) AS g`,
        [BODY, count],
      );
      return rows[0].id;
    };

    say(`warming up …`);
    await waitUntilFinished(db, await enqueueBulk(100), 100, 60_000);

    say(`throughput: ${options.jobs} mails enqueued in one statement …`);
    const bulkStart = Date.now();
    const firstBulkId = await enqueueBulk(options.jobs);
    await waitUntilFinished(db, firstBulkId, options.jobs, 30 * 60_000);
    const bulkSeconds = (Date.now() - bulkStart) / 1000;
    const e2eRate = options.jobs / bulkSeconds;
    const { rows: outcome } = await db.pool.query<{ failed: string }>(
      `SELECT count(*) FILTER (WHERE Status <> 'Succeeded') AS failed FROM rc.Jobs WHERE JobId >= $1`,
      [firstBulkId],
    );

    const rate = Math.max(10, Math.min(200, e2eRate / 2));
    say(`latency: ${options.latencyJobs} mails enqueued one by one at ${round(rate, 0)}/s …`);
    let firstTrickleId: string | null = null;
    const trickleStart = Date.now();
    for (let i = 0; i < options.latencyJobs; i++) {
      const due = trickleStart + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const id = await callPostgresApi(db.pool, 'rc_SendMail', {
        profile_name: PROFILES[i % PROFILES.length],
        recipients: `trickle${i}@example.com`,
        subject: `Latency ${i}`,
        body: BODY,
        body_format: 'HTML',
      });
      firstTrickleId ??= id;
    }
    await waitUntilFinished(db, firstTrickleId as string, options.latencyJobs, 5 * 60_000);
    const pickup = await latencies(db, firstTrickleId as string, 'StartedAt');
    const e2e = await latencies(db, firstTrickleId as string, 'CompletedAt');
    rss.stop();
    const workerRssMb = rss.peakMb();
    const jobStats = worker.service.stats().jobs;
    await worker.stop();
    worker = null;

    say(`baseline: ${options.jobs} no-op jobs through bare BullMQ …`);
    const baseline = await runBullmqBaseline(config.redis.url, options.jobs, options.concurrency);

    const result = {
      jobs: options.jobs,
      e2e_jobs_per_s: round(e2eRate),
      pickup_p50_ms: round(pickup.p50),
      pickup_p99_ms: round(pickup.p99),
      e2e_p50_ms: round(e2e.p50),
      e2e_p99_ms: round(e2e.p99),
      bullmq_noop_jobs_per_s: round(baseline.jobsPerSecond),
      ratio_vs_bullmq: round(e2eRate / baseline.jobsPerSecond, 3),
      worker_rss_mb: round(workerRssMb),
    };
    const table = [
      [
        'mails sent end to end',
        `${options.jobs} in ${round(bulkSeconds, 2)} s (${Number(outcome[0].failed)} not succeeded)`,
      ],
      ['end-to-end throughput', `${result.e2e_jobs_per_s} mails/s`],
      ['bare BullMQ no-op', `${result.bullmq_noop_jobs_per_s} jobs/s`],
      ['ratio vs BullMQ', `${result.ratio_vs_bullmq}`],
      [
        'pickup p50 / p99',
        `${result.pickup_p50_ms} / ${result.pickup_p99_ms} ms (at ${round(rate, 0)} mails/s)`,
      ],
      ['end to end p50 / p99', `${result.e2e_p50_ms} / ${result.e2e_p99_ms} ms`],
      ['worker peak RSS', `${result.worker_rss_mb} MB`],
      ['concurrency', `${options.concurrency}`],
      [
        'worker attempts',
        `${jobStats.started} started, ${jobStats.retried} retried, ${jobStats.deferred} deferred by mailbox limits`,
      ],
    ];
    for (const [k, v] of table) process.stdout.write(`${k.padEnd(24)} ${v}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await worker?.stop({ force: true });
    await sim?.stop();
    await db.drop();
  }
}
