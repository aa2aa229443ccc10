import { startOpsServer } from '../../worker/http/http-server';
import { createWorkerMetrics } from '../../worker/http/metrics';
import { silentLogger } from '../../worker/log';

describe('ops HTTP endpoints', () => {
  it('serves health, readiness with failing checks named, and Prometheus metrics', async () => {
    const registry = createWorkerMetrics(
      () => ({
        jobs: { started: 4, succeeded: 3, failed: 1, retried: 0, dropped: 0, deferred: 0, inFlight: 2 },
        dispatcher: { dispatched: 4, errors: 0 },
        reconciler: { requeued: 1, extended: 0, errors: 0 },
      }),
      { processMetrics: false },
    );
    let dbUp = true;
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      logger: silentLogger(),
      checks: [
        {
          name: 'sql',
          check: async () => {
            if (!dbUp) throw new Error('connection refused');
          },
        },
        { name: 'redis', check: async () => undefined },
      ],
    });
    try {
      expect(await (await fetch(`${server.url}/healthz`)).text()).toBe('ok\n');
      let ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ sql: 'ok', redis: 'ok' });
      dbUp = false;
      ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ sql: 'connection refused', redis: 'ok' });
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toContain('rc_job_attempts_total{outcome="succeeded"} 3');
      expect(text).toContain('rc_job_attempts_total{outcome="failed"} 1');
      expect(text).toContain('rc_jobs_dispatched_total 4');
      expect(text).toContain('rc_jobs_requeued_total 1');
      expect(text).toContain('rc_jobs_in_flight 2');
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
