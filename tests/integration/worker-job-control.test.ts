/**
 * Job control end to end (worker + simulator): a cancelled job is never carried out — whether it was still
 * Pending, already handed to the queue (Queued) or waiting for its next attempt (Retrying) — and a failed job
 * retried with rc_RetryJob is carried out exactly once.
 */
import { createJobQueue, enqueueClaimed } from '../../worker/queue/job-queue';
import { jobIdOf, startHarness, type Harness } from '../helpers/worker-harness';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sentJobIds(harness: Harness): Promise<string[]> {
  return (await harness.sentItems()).map((i) => jobIdOf(i) ?? '');
}

describe('job control through the worker', () => {
  it('a job cancelled while Pending, or while Queued with its queue entry already in Redis, is never sent', async () => {
    h = await startHarness();
    const queued = await h.sendMail({ recipients: 'a@example.org', subject: 'cancelled while queued' });
    // Hand `queued` to BullMQ the way the dispatcher does (Pending → Queued, then addBulk), no worker running.
    const claimed = await h.store.claimDueJobs(10, 'test-dispatcher', 30);
    expect(claimed.map((c) => c.jobId)).toEqual([queued]);
    const pending = await h.sendMail({ recipients: 'a@example.org', subject: 'cancelled while pending' });
    await h.call('rc_CancelJob', { job_id: pending });
    await h.call('rc_CancelJob', { job_id: queued });
    const queue = createJobQueue(h.redis, h.config.redis.queuePrefix);
    try {
      await enqueueClaimed(queue, claimed);
      expect(await queue.getJobCounts('wait', 'delayed', 'active')).toMatchObject({ wait: 1 });

      const service = await h.startWorker();
      const control = await h.sendMail({ recipients: 'a@example.org', subject: 'sent after the cancels' });
      await h.waitFor([control], ['Succeeded']);
      // The queue entry was taken and dropped: the guarded start found the row Cancelled. The Pending one
      // was never claimed.
      const deadline = Date.now() + 10000;
      while (service.stats().jobs.dropped < 1 && Date.now() < deadline) await sleep(20);
      expect(service.stats().jobs).toMatchObject({ dropped: 1, started: 1, succeeded: 1 });
      expect(await queue.getJobCounts('wait', 'delayed', 'active')).toEqual({
        wait: 0,
        delayed: 0,
        active: 0,
      });
    } finally {
      await queue.close();
    }
    expect(await h.jobs([pending, queued])).toEqual([
      expect.objectContaining({ status: 'Cancelled', attempts: 0 }),
      expect.objectContaining({ status: 'Cancelled', attempts: 0 }),
    ]);
    const sent = await sentJobIds(h);
    expect(sent).not.toContain(pending);
    expect(sent).not.toContain(queued);
    expect((await h.events(queued)).map((e) => e.eventtype)).toEqual(['enqueued', 'cancelled']);
    expect((await h.events(pending)).map((e) => e.eventtype)).toEqual(['enqueued', 'cancelled']);
  }, 45000);

  it('a job cancelled while Retrying gets no further attempt', async () => {
    h = await startHarness({ RC_RETRY_BASE_MS: '2500', RC_RETRY_MAX_MS: '3000' });
    h.setFaults({ errorRate: 1 });
    await h.startWorker();
    const id = await h.sendMail({ recipients: 'a@example.org', subject: 'cancelled while retrying' });
    await h.waitFor([id], ['Retrying']);
    await h.call('rc_CancelJob', { job_id: id });
    h.setFaults({ errorRate: 0 });
    const control = await h.sendMail({ recipients: 'a@example.org', subject: 'control' });
    await h.waitFor([control], ['Succeeded']);
    // Past the retry delay: the delayed queue entry came up and was dropped.
    await sleep(4000);
    const [row] = await h.jobs([id]);
    expect(row).toMatchObject({ status: 'Cancelled', attempts: 1, lasterrorcode: expect.any(String) });
    expect(await sentJobIds(h)).not.toContain(id);
    expect((await h.events(id)).map((e) => e.eventtype)).toEqual([
      'enqueued',
      'started',
      'retrying',
      'cancelled',
    ]);
  }, 45000);

  it('a failed job retried with rc_RetryJob is sent exactly once', async () => {
    h = await startHarness();
    const id = await h.sendMail({ recipients: 'a@example.org', subject: 'failed, then retried' });
    // One attempt only, against an Exchange that answers 503: the job fails for good.
    await h.sql.query('UPDATE rc.Jobs SET MaxAttempts = 1 WHERE JobId = $1', [id]);
    h.setFaults({ errorRate: 1 });
    await h.startWorker();
    const [failed] = await h.waitFor([id], ['Failed']);
    expect(failed).toMatchObject({ attempts: 1, lasterrorcode: expect.any(String) });
    expect(await sentJobIds(h)).not.toContain(id);

    h.setFaults({ errorRate: 0 });
    await h.call('rc_RetryJob', { job_id: id });
    const [done] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(done).toMatchObject({ status: 'Succeeded', attempts: 2 });
    const mine = (await h.sentItems()).filter((i) => jobIdOf(i) === id);
    expect(mine).toHaveLength(1);
    expect(done?.resultitemid).toBe(mine[0]?.id);
    expect((await h.events(id)).map((e) => e.eventtype)).toEqual([
      'enqueued',
      'started',
      'failed',
      'requeued',
      'started',
      'succeeded',
    ]);
  }, 45000);
});
