import { startOpsServer } from '../../worker/http/http-server';
import { createWorkerMetrics } from '../../worker/http/metrics';
import { silentLogger } from '../../worker/log';

describe('ops HTTP endpoints', () => {
  it('serves health, readiness with failing checks named, and Prometheus metrics', async () => {
    const metrics = createWorkerMetrics({ processMetrics: false });
    metrics.jobsFinished.inc({ kind: 'SendMail', outcome: 'succeeded' }, 3);
    let dbUp = true;
    const server = await startOpsServer({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
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
      expect(text).toContain('rc_jobs_finished_total{kind="SendMail",outcome="succeeded"} 3');
      expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
