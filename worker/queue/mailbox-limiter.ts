/**
 * Per-mailbox limits shared by all worker replicas through Redis:
 * - concurrency: at most N jobs of one mailbox in flight (Exchange allows few concurrent requests per mailbox).
 *   A semaphore as a sorted set of holders scored by their expiry time: a worker that crashes without
 *   releasing loses its slot when the expiry passes; live holders refresh theirs while the job runs.
 * - rate (optional): at most M sends per sliding minute, a sorted set of send timestamps.
 * Both checks and the take happen in one Lua script, so two replicas can never both take the last slot.
 * Times come from the Redis server clock (TIME), so replicas with skewed clocks agree.
 */
import type { Redis } from 'ioredis';

/**
 * Takes a slot.
 *   KEYS[1] holders  sorted set: member = holder id, score = expiry (ms)
 *   KEYS[2] sends    sorted set: member = holder id, score = send time (ms); only used when ARGV[4] > 0
 *   ARGV[1] holder id (unique per job run)
 *   ARGV[2] concurrency limit
 *   ARGV[3] holder time-to-live (ms)
 *   ARGV[4] sends per minute (0 = no rate limit)
 * Returns { code, waitMs }:
 *   { 1, 0 }       slot taken (or refreshed, when the holder already had one)
 *   { 0, waitMs }  all slots held; waitMs = until the earliest holder expires (upper bound)
 *   { -1, waitMs } rate limit reached; waitMs = until the oldest send leaves the window
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
local perMinute = tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ttl)
  return {1, 0}
end
if redis.call('ZCARD', KEYS[1]) >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(first[2]) - now)}
end
if perMinute > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[2]) >= perMinute then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return {-1, math.max(1, tonumber(oldest[2]) + 60000 - now)}
  end
  redis.call('ZADD', KEYS[2], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], 60000)
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return {1, 0}
`;

/**
 * Extends a held slot.
 *   KEYS[1] holders sorted set   ARGV[1] holder id   ARGV[2] time-to-live (ms)
 * Returns 1 when the holder still had its slot (now extended), 0 when it had expired (nothing changed).
 */
const REFRESH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) <= now then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

export type Acquired =
  { ok: true; release: () => Promise<void> } | { ok: false; reason: 'concurrency' | 'rate'; waitMs: number };

export interface MailboxLimiterOptions {
  /** Key prefix (the queue prefix). */
  prefix: string;
  concurrency: number;
  /** 0 = unlimited. */
  sendsPerMinute: number;
  /** Expiry of a holder that stops refreshing (crashed worker); refreshed every third of it. */
  holderTtlMs?: number;
}

export class MailboxLimiter {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: MailboxLimiterOptions,
  ) {
    this.ttlMs = options.holderTtlMs ?? 60000;
  }

  private keys(mailboxId: number): [string, string] {
    // One hash tag per mailbox: both keys land in the same Redis Cluster slot.
    const tag = `{${this.options.prefix}:mbx:${mailboxId}}`;
    return [`${tag}:holders`, `${tag}:sends`];
  }

  /** Tries to take a slot for one job run. `countsAsSend` applies the sends-per-minute limit. */
  async acquire(mailboxId: number, holderId: string, countsAsSend: boolean): Promise<Acquired> {
    const [holders, sends] = this.keys(mailboxId);
    const perMinute = countsAsSend ? this.options.sendsPerMinute : 0;
    const [code, waitMs] = (await this.redis.eval(
      ACQUIRE,
      2,
      holders,
      sends,
      holderId,
      this.options.concurrency,
      this.ttlMs,
      perMinute,
    )) as [number, number];
    if (code !== 1) return { ok: false, reason: code === 0 ? 'concurrency' : 'rate', waitMs: Number(waitMs) };
    const refresher = setInterval(
      () => {
        this.redis.eval(REFRESH, 1, holders, holderId, this.ttlMs).catch(() => undefined);
      },
      Math.max(100, Math.floor(this.ttlMs / 3)),
    );
    refresher.unref();
    let released = false;
    return {
      ok: true,
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(refresher);
        await this.redis.zrem(holders, holderId);
      },
    };
  }

  /** Slots currently held for a mailbox (for stats and tests). */
  async inFlight(mailboxId: number): Promise<number> {
    const [holders] = this.keys(mailboxId);
    return this.redis.zcount(holders, `(${Date.now()}`, '+inf');
  }
}
