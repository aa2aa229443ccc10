/**
 * One worker replica assembled from configuration: SQL store (schema checked), Exchange gateway, the job
 * machinery and the ops HTTP endpoints. `rcx worker`, `rcx demo` and `rcx bench` all run this.
 */
import { Redis } from 'ioredis';
import type { Config } from './config';
import { assertSchemaCurrent } from './db/migrate';
import { openMigrationTarget, openStore } from './db/open-store';
import type { Store } from './db/store';
import { OAuthTokenProvider, oauthOptionsFromConfig } from './exchange/auth/oauth-token-provider';
import { EwsGateway } from './exchange/ews/ews-gateway';
import { TransportRouter } from './exchange/transport-router';
import { startOpsServer, type OpsServer } from './http/http-server';
import { createWorkerMetrics } from './http/metrics';
import type { Logger } from './log';
import { startWorkerService, type WorkerService } from './queue/worker-service';

export interface WorkerProcess {
  service: WorkerService;
  store: Store;
  ops: OpsServer | null;
  /** Graceful unless `force`: stop claiming, drain in-flight jobs, close every connection. */
  stop(options?: { force?: boolean }): Promise<void>;
}

export interface WorkerProcessOptions {
  /** Serve /healthz, /readyz, /metrics (default true). */
  opsServer?: boolean;
}

export async function startWorkerProcess(
  config: Readonly<Config>,
  logger: Logger,
  options: WorkerProcessOptions = {},
): Promise<WorkerProcess> {
  const target = await openMigrationTarget(config.db.url);
  try {
    await assertSchemaCurrent(target);
  } finally {
    await target.close();
  }

  const store = await openStore(config.db.url, logger);
  const auth = config.ews.auth;
  const tokenProvider =
    auth.kind === 'oauth' ? new OAuthTokenProvider(oauthOptionsFromConfig(auth)) : undefined;
  // Microsoft Graph (Exchange Online) gets its own gateway later; until then 'graph' profiles fail clearly.
  const gateway = new TransportRouter({ ews: new EwsGateway({ ews: config.ews, tokenProvider, logger }) });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  redis.on('error', (err) => logger.warn('redis connection error', { error: err.message }));

  let service: WorkerService;
  try {
    service = await startWorkerService({ config, store, gateway, logger, redis });
  } catch (err) {
    await Promise.allSettled([gateway.close(), store.close(), redis.quit()]);
    throw err;
  }

  let ops: OpsServer | null = null;
  if (options.opsServer !== false) {
    ops = await startOpsServer({
      host: config.http.host,
      port: config.http.port,
      registry: createWorkerMetrics(() => service.stats()),
      logger,
      checks: [
        { name: 'sql', check: () => store.ping() },
        { name: 'redis', check: async () => void (await redis.ping()) },
      ],
    });
  }
  logger.info('worker started', { workerId: config.worker.id, concurrency: config.worker.concurrency });

  return {
    service,
    store,
    ops,
    async stop(stopOptions = {}) {
      await ops?.close();
      await service.stop(stopOptions);
      await Promise.allSettled([gateway.close(), store.close(), redis.quit()]);
      logger.info('worker stopped', { workerId: config.worker.id });
    },
  };
}
