/**
 * Everything a worker integration test needs, each test on its own resources: a fresh migrated PostgreSQL
 * database, a unique BullMQ prefix on the shared Redis, and a simulator with a sender mailbox. Mail is
 * enqueued through the public SQL API (rc_addmailbox / rc_grantmailbox / rc_sendmail), as an application would.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { loadConfig, type Config } from '../../worker/config';
import type { ApiParams, ApiProcedure } from '../../worker/db/api-client';
import { callPostgresApi } from '../../worker/db/postgres/postgres-api-client';
import { PostgresStore } from '../../worker/db/postgres/postgres-store';
import type { Store } from '../../worker/db/store';
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import {
  RC_JOB_ID_PROPERTY,
  type ExchangeGateway,
  type UpdateItemRequest,
} from '../../worker/exchange/gateway';
import { silentLogger, type Logger } from '../../worker/log';
import { startWorkerService, type WorkerService } from '../../worker/queue/worker-service';
import { startSimulator, type AdminItem, type RunningSimulator, type FaultSettings } from '../../simulator';
import { createTestDatabase, type TestDatabase } from './pg-test-db';

export const REDIS_URL = process.env.RC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const SENDER = 'sender@contoso.com';
export const PROFILE = 'alerts';
const PASSWORD = 'sim-pass';

export interface JobRow {
  jobid: string;
  status: string;
  attempts: number;
  lasterrorcode: string | null;
  lasterror: string | null;
  resultitemid: string | null;
  resultchangekey: string | null;
}

export interface Harness {
  config: Readonly<Config>;
  db: TestDatabase;
  sql: Client;
  sim: RunningSimulator;
  store: Store;
  gateway: ExchangeGateway;
  redis: Redis;
  logger: Logger;
  startWorker(overrides?: { store?: Store; gateway?: ExchangeGateway }): Promise<WorkerService>;
  sendMail(args: Record<string, string | null>): Promise<string>;
  /** Calls any API procedure as an application would (profile_name is not added: pass it). */
  call(proc: ApiProcedure, params: ApiParams): Promise<string | null>;
  /** Items of a simulator mailbox as the admin API lists them (every folder, or one distinguished folder). */
  items(address: string, folder?: string): Promise<AdminItem[]>;
  job(jobId: string): Promise<JobRow>;
  jobs(jobIds: string[]): Promise<JobRow[]>;
  events(jobId: string): Promise<Array<{ eventtype: string; status: string; code: string | null }>>;
  waitFor(jobIds: string[], statuses: string[], timeoutMs?: number): Promise<JobRow[]>;
  /** Calls `proc` for PROFILE and waits (30 s at most) until its job Succeeded or Failed. */
  run(proc: ApiProcedure, params: ApiParams): Promise<{ id: string; row: JobRow }>;
  /** The items of `address`'s mailbox (every folder, or one) that `jobId` stamped. */
  itemsOfJob(jobId: string, address?: string, folder?: string): Promise<AdminItem[]>;
  /** The one item a create job made, wherever it lives in `address`'s mailbox (SENDER unless given). */
  itemOf(jobId: string, address?: string): Promise<AdminItem>;
  /**
   * Adds `profile` for `address` with the write right for everyone (public), and gives SENDER FullAccess on
   * that mailbox in the simulator: the setup of an item written to another mailbox through @target_profile.
   */
  addTargetProfile(profile: string, address: string): Promise<void>;
  /** Changes an item of SENDER's mailbox behind the worker's back, as a person in Outlook would. */
  editInExchange(
    ref: UpdateItemRequest['ref'],
    item: UpdateItemRequest['item'],
    onConflict: UpdateItemRequest['onConflict'],
  ): Promise<void>;
  sentItems(address?: string): Promise<AdminItem[]>;
  setFaults(patch: Partial<FaultSettings>): void;
  close(): Promise<void>;
}

export async function startHarness(
  env: Record<string, string> = {},
  options: {
    redisUrl?: string;
    /** More simulator mailboxes besides SENDER (attendees, shared calendars). */ mailboxes?: string[];
  } = {},
): Promise<Harness> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const db = await createTestDatabase();
  const sim = await startSimulator({ mailboxes: [SENDER, ...(options.mailboxes ?? [])], password: PASSWORD });
  const prefix = `rct-${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    RC_DB_URL: db.url,
    RC_REDIS_URL: redisUrl,
    RC_QUEUE_PREFIX: prefix,
    RC_WORKER_ID: `test-${prefix}`,
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: SENDER,
    RC_EWS_PASSWORD: PASSWORD,
    RC_EWS_TIMEOUT_MS: '5000',
    RC_POLL_MIN_MS: '10',
    RC_POLL_MAX_MS: '200',
    RC_LEASE_SECONDS: '10',
    RC_RECONCILE_INTERVAL_MS: '1000',
    RC_RETRY_BASE_MS: '50',
    RC_RETRY_MAX_MS: '500',
    RC_SHUTDOWN_TIMEOUT_MS: '10000',
    RC_WORKER_CONCURRENCY: '8',
    ...env,
  });
  const logger = silentLogger();
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(`SELECT rc.rc_addmailbox(profile_name => $1, smtp_address => $2)`, [PROFILE, SENDER]);
  await sql.query(`SELECT rc.rc_grantmailbox(principal => 'public', profile_name => $1)`, [PROFILE]);
  const store = new PostgresStore(db.url, logger);
  const gateway = new EwsGateway({ ews: config.ews, logger, findAfterSendDelaysMs: [0, 100] });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const services: WorkerService[] = [];

  const job = async (jobId: string): Promise<JobRow> => {
    const r = await sql.query<JobRow>(
      `SELECT jobid::text, status, attempts, lasterrorcode, lasterror, resultitemid, resultchangekey
         FROM rc.jobs WHERE jobid = $1`,
      [jobId],
    );
    return r.rows[0] as JobRow;
  };
  /** Several rows in one query, in the order of `jobIds` (one pg Client must not run queries concurrently). */
  const jobs = async (jobIds: string[]): Promise<JobRow[]> => {
    const r = await sql.query<JobRow>(
      `SELECT jobid::text, status, attempts, lasterrorcode, lasterror, resultitemid, resultchangekey
         FROM rc.jobs WHERE jobid = ANY($1::bigint[])`,
      [jobIds],
    );
    const byId = new Map(r.rows.map((row) => [row.jobid, row]));
    return jobIds.map((id) => byId.get(id) as JobRow);
  };

  const items = async (address: string, folder?: string): Promise<AdminItem[]> => {
    const query = folder === undefined ? '' : `?folder=${encodeURIComponent(folder)}`;
    const res = await fetch(`${sim.url}/_sim/mailboxes/${encodeURIComponent(address)}/items${query}`);
    if (!res.ok) throw new Error(`simulator admin API: ${res.status} ${await res.text()}`);
    return (await res.json()) as AdminItem[];
  };

  const waitFor = async (jobIds: string[], statuses: string[], timeoutMs = 20000): Promise<JobRow[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await jobs(jobIds);
      if (rows.every((r) => statuses.includes(r.status))) return rows;
      if (Date.now() > deadline) {
        throw new Error(
          `jobs did not reach ${statuses.join('|')} within ${timeoutMs} ms: ${JSON.stringify(rows.map((r) => [r.jobid, r.status, r.attempts, r.lasterrorcode]))}`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const call = (proc: ApiProcedure, params: ApiParams) => callPostgresApi(sql, proc, params);
  const itemsOfJob = async (jobId: string, address = SENDER, folder?: string) =>
    (await items(address, folder)).filter((i) => jobIdOf(i) === jobId);

  return {
    config,
    db,
    sql,
    sim,
    store,
    gateway,
    redis,
    logger,
    async startWorker(overrides = {}) {
      const service = await startWorkerService({
        config,
        store: overrides.store ?? store,
        gateway: overrides.gateway ?? gateway,
        logger,
        redis,
      });
      services.push(service);
      return service;
    },
    async sendMail(args) {
      const names = Object.keys(args);
      const params = names.map((n, i) => `${n} => $${i + 2}`).join(', ');
      const r = await sql.query<{ id: string }>(
        `SELECT rc.rc_sendmail(profile_name => $1${params ? `, ${params}` : ''})::text AS id`,
        [PROFILE, ...names.map((n) => args[n])],
      );
      return r.rows[0]?.id as string;
    },
    call,
    items,
    job,
    jobs,
    async events(jobId) {
      const r = await sql.query(
        `SELECT eventtype, status, code FROM rc.jobevents WHERE jobid = $1 ORDER BY eventid`,
        [jobId],
      );
      return r.rows;
    },
    waitFor,
    async run(proc, params) {
      const id = (await call(proc, { profile_name: PROFILE, ...params })) as string;
      const [row] = await waitFor([id], ['Succeeded', 'Failed'], 30000);
      return { id, row: row! };
    },
    itemsOfJob,
    async itemOf(jobId, address = SENDER) {
      const found = await itemsOfJob(jobId, address);
      expect(found).toHaveLength(1);
      return found[0]!;
    },
    async addTargetProfile(profile, address) {
      await call('rc_AddMailbox', { profile_name: profile, smtp_address: address });
      await call('rc_GrantMailbox', {
        principal: 'public',
        profile_name: profile,
        can_send: false,
        can_write: true,
        can_read: false,
      });
      const res = await fetch(`${sim.url}/_sim/grants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ principal: SENDER, right: 'fullAccess', mailbox: address }),
      });
      expect(res.status).toBe(201);
    },
    async editInExchange(ref, item, onConflict) {
      const mailbox = { smtpAddress: SENDER, transport: 'ews' as const, ewsUrl: null };
      await gateway.updateItem(mailbox, { jobId: 'outlook', ref, item, onConflict, meetingNotice: 'none' });
    },
    sentItems(address = SENDER) {
      return items(address, 'sentitems');
    },
    setFaults(patch) {
      sim.setFaults(patch);
    },
    async close() {
      for (const s of services) await s.stop({ force: true }).catch(() => undefined);
      await gateway.close();
      await store.close();
      await sql.end();
      const keys = await redis.keys(`${prefix}:*`);
      const tagged = await redis.keys(`{${prefix}:*`);
      if (keys.length + tagged.length > 0) await redis.del(...keys, ...tagged);
      await redis.quit();
      await sim.close();
      await db.drop();
    },
  };
}

/** The job id stamped on an item (the rc extended property), or undefined (also for no item at all). */
export function jobIdOf(item: AdminItem | undefined): string | undefined {
  const prop = item?.extendedProperties.find((p) => p.propertyName === RC_JOB_ID_PROPERTY);
  return prop === undefined ? undefined : String(prop.value);
}
