/**
 * The promises that make rc-exchange trustworthy, each provoked for real: a crash between "Exchange sent it"
 * and "SQL recorded it" sends no second mail; a Redis FLUSHALL loses no job; a graceful stop drains in-flight
 * jobs; the per-mailbox limit holds and waiting for a slot costs no attempt.
 */
import { Client } from 'pg';
import type { Store } from '../../worker/db/store';
import { jobIdOf, startHarness, type Harness } from '../helpers/worker-harness';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis';

let h: Harness | undefined;
let privateRedis: PrivateRedis | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
  await privateRedis?.stop();
  privateRedis = undefined;
});

/** A Store whose first completeJob "crashes": the mail went out, SQL never heard of it. */
function crashOnFirstComplete(store: Store): { store: Store; crashed: () => boolean } {
  let crashed = false;
  const wrapped = Object.create(store) as Store;
  wrapped.completeJob = async (...args) => {
    if (!crashed) {
      crashed = true;
      throw new Error('simulated crash after Exchange accepted the mail');
    }
    return store.completeJob(...args);
  };
  return { store: wrapped, crashed: () => crashed };
}

describe('worker service: reliability', () => {
  it('crash between send and record: the retry finds the sent item and sends no second mail', async () => {
    h = await startHarness();
    const crash = crashOnFirstComplete(h.store);
    await h.startWorker({ store: crash.store });
    const id = await h.sendMail({ recipients: 'a@example.org', subject: 'exactly once' });
    // Attempt 1 sends, then "crashes"; the row stays Running until its 10 s lease expires and the reconciler
    // requeues it; attempt 2 must find the item instead of sending.
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed'], 30000);
    expect(crash.crashed()).toBe(true);
    expect(row).toMatchObject({ status: 'Succeeded', attempts: 2 });
    const mine = (await h.sentItems()).filter((i) => jobIdOf(i) === id);
    expect(mine).toHaveLength(1);
    expect(row?.resultitemid).toBe(mine[0]?.id);
    const events = (await h.events(id)).map((e) => e.eventtype);
    expect(events).toContain('requeued');
  }, 45000);

  it('Redis FLUSHALL mid-run: the reconciler re-enqueues, every job ends Succeeded exactly once', async () => {
    privateRedis = await startPrivateRedis();
    h = await startHarness({ RC_MAILBOX_CONCURRENCY: '2' }, { redisUrl: privateRedis.url });
    h.setFaults({ latencyMs: 150 });
    await h.startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++)
      ids.push(await h.sendMail({ recipients: 'a@example.org', subject: `flush ${i}` }));
    // Let a few go out, then wipe Redis while the rest are queued or running.
    const deadline = Date.now() + 10000;
    const succeeded = async () =>
      Number(
        (
          await h!.sql.query<{ n: string }>(
            `SELECT count(*) AS n FROM rc.Jobs WHERE JobId = ANY($1::bigint[]) AND Status = 'Succeeded'`,
            [ids],
          )
        ).rows[0].n,
      );
    while ((await succeeded()) < 2) {
      if (Date.now() > deadline) throw new Error('no job succeeded before the flush');
      await new Promise((r) => setTimeout(r, 20));
    }
    await h.redis.flushall();
    const rows = await h.waitFor(ids, ['Succeeded', 'Failed'], 40000);
    expect(rows.every((r) => r.status === 'Succeeded')).toBe(true);
    const sent = (await h.sentItems()).map(jobIdOf);
    for (const id of ids) expect(sent.filter((s) => s === id)).toHaveLength(1);
    const requeued = await h.sql.query(
      `SELECT count(*)::int AS n FROM rc.jobevents WHERE eventtype = 'requeued'`,
    );
    expect(requeued.rows[0].n).toBeGreaterThan(0);
  }, 60000);

  it('graceful stop drains in-flight jobs before resolving', async () => {
    h = await startHarness();
    h.setFaults({ latencyMs: 800 });
    const service = await h.startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(await h.sendMail({ recipients: 'a@example.org', subject: `drain ${i}` }));
    await h.waitFor(ids, ['Running', 'Succeeded'], 10000);
    await service.stop();
    const rows = await h.jobs(ids);
    expect(rows.map((r) => r.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded']);
    expect(service.stats().jobs.inFlight).toBe(0);
  }, 30000);

  it('per-mailbox concurrency holds across the pool, and waiting for a slot costs no attempt', async () => {
    h = await startHarness({ RC_MAILBOX_CONCURRENCY: '2', RC_WORKER_CONCURRENCY: '8' });
    h.setFaults({ latencyMs: 250 });
    const service = await h.startWorker();
    const ids: string[] = [];
    for (let i = 0; i < 8; i++)
      ids.push(await h.sendMail({ recipients: 'a@example.org', subject: `limit ${i}` }));
    let maxRunning = 0;
    let done = false;
    const probe = new Client({ connectionString: h.db.url });
    await probe.connect();
    const sampler = (async () => {
      while (!done) {
        const r = await probe.query(`SELECT count(*)::int AS n FROM rc.jobs WHERE status = 'Running'`);
        maxRunning = Math.max(maxRunning, r.rows[0].n);
        await new Promise((res) => setTimeout(res, 15));
      }
    })();
    const rows = await h.waitFor(ids, ['Succeeded', 'Failed'], 30000);
    done = true;
    await sampler;
    await probe.end();
    expect(rows.every((r) => r.status === 'Succeeded' && r.attempts === 1)).toBe(true);
    expect(maxRunning).toBeLessThanOrEqual(2);
    expect(maxRunning).toBeGreaterThan(0);
    expect(service.stats().jobs.deferred).toBeGreaterThan(0);
  }, 40000);
});
