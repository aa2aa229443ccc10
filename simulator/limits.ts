/**
 * Exchange Online's per-mailbox limits, switchable as a profile ('exchange-online' | 'none') at start and at run
 * time, plus the per-mailbox throttling counters behind GET /_sim/stats.
 *
 * What each limit does, as Exchange Online does it (../shared/reference/ews-docs/ews-throttling-in-exchange.md):
 * - EWSMaxConcurrency = 27: a request is "a connection held from the moment a request is received until a
 *   response is sent"; the 28th concurrent request for one mailbox fails at once (the others carry on) with the
 *   SOAP fault ErrorExceededConnectionCount, HTTP 500.
 * - MessageRateLimit = 30 messages per minute: "when this policy limit is exceeded, message delivery for the
 *   mailbox is delayed … messages will appear in the Outbox … for longer periods of time". So a send beyond the
 *   rate is NOT refused: the request succeeds, the message waits in the Outbox and is submitted when the
 *   one-minute window has room again (see submit-message.ts). Refusing it with ErrorServerBusy would teach a
 *   client a retry that Exchange Online never asks for.
 * - Message size 35 MB (MaxSendSize): a CreateItem request larger than that, or sending a stored message
 *   estimated larger, fails per item with ErrorMessageSizeExceeded (HTTP 200, ResponseClass="Error").
 * Counting uses the mailbox the request acts as (after ExchangeImpersonation), like Exchange Online's budgets
 * for impersonated mailboxes.
 */
import { normaliseAddress } from './address';
import type { Mailbox, MessageContent } from './model';

export type LimitsProfile = 'exchange-online' | 'none';
export const LIMITS_PROFILES: readonly LimitsProfile[] = ['exchange-online', 'none'];

export interface LimitSettings {
  /** The profile the values came from; 'custom' once a single value was changed. */
  profile: LimitsProfile | 'custom';
  /** EWSMaxConcurrency: concurrent EWS requests per mailbox; 0 = unlimited. */
  maxConcurrentRequests: number;
  /** MessageRateLimit: messages submitted per window per mailbox; 0 = unlimited. */
  messagesPerWindow: number;
  /** Length of the message-rate window (Exchange: one minute; shorter only to make tests fast). */
  messageRateWindowMs: number;
  /** MaxSendSize in bytes; 0 = unlimited. */
  maxMessageBytes: number;
}

const MB = 1024 * 1024;

const PROFILES: Record<LimitsProfile, Omit<LimitSettings, 'profile'>> = {
  'exchange-online': {
    maxConcurrentRequests: 27,
    messagesPerWindow: 30,
    messageRateWindowMs: 60_000,
    maxMessageBytes: 35 * MB,
  },
  none: { maxConcurrentRequests: 0, messagesPerWindow: 0, messageRateWindowMs: 60_000, maxMessageBytes: 0 },
};

export function limitsProfile(profile: LimitsProfile): LimitSettings {
  return { profile, ...PROFILES[profile] };
}

const VALUES = [
  'maxConcurrentRequests',
  'messagesPerWindow',
  'messageRateWindowMs',
  'maxMessageBytes',
] as const;

/**
 * Applies `patch` to `base`: `profile` first (resetting every value to that profile's), then single values
 * (which make the profile 'custom'). All problems are reported at once.
 */
export function mergeLimits(base: LimitSettings, patch: Record<string, unknown>): LimitSettings {
  const problems: string[] = [];
  let next: LimitSettings = { ...base };
  if (patch.profile !== undefined) {
    if (typeof patch.profile === 'string' && (LIMITS_PROFILES as readonly string[]).includes(patch.profile))
      next = limitsProfile(patch.profile as LimitsProfile);
    else problems.push(`profile must be one of ${LIMITS_PROFILES.join(', ')}`);
  }
  for (const key of VALUES) {
    const value = patch[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      problems.push(`${key} must be a whole number ≥ 0`);
    else if (key === 'messageRateWindowMs' && value === 0) problems.push('messageRateWindowMs must be > 0');
    else if (next[key] !== value) next = { ...next, [key]: value, profile: 'custom' };
  }
  const unknown = Object.keys(patch).filter(
    (k) => k !== 'profile' && !(VALUES as readonly string[]).includes(k),
  );
  if (unknown.length) problems.push(`unknown limit setting(s): ${unknown.join(', ')}`);
  if (problems.length) throw new RangeError(`invalid limit settings: ${problems.join('; ')}`);
  return next;
}

export type ThrottleKind =
  'serverBusy' | 'exceededConnectionCount' | 'tooManyRequests' | 'messageRateDeferred';

export interface LimitCounters {
  throttledByKind: Record<ThrottleKind, number>;
  messageSizeExceeded: number;
  /** EWS requests of this mailbox being processed right now, and the highest number seen. */
  concurrent: number;
  concurrentPeak: number;
  /** Messages waiting in the Outbox for the message-rate window. */
  deferredSends: number;
}

function newCounters(): LimitCounters {
  return {
    throttledByKind: {
      serverBusy: 0,
      exceededConnectionCount: 0,
      tooManyRequests: 0,
      messageRateDeferred: 0,
    },
    messageSizeExceeded: 0,
    concurrent: 0,
    concurrentPeak: 0,
    deferredSends: 0,
  };
}

/** Rough size of a message as MIME: headers, body and base64-encoded attachments. */
export function estimatedMessageBytes(content: MessageContent): number {
  const recipients = [...content.to, ...content.cc, ...content.bcc].reduce(
    (n, r) => n + r.address.length + (r.name?.length ?? 0) + 4,
    0,
  );
  const attachments = content.attachments.reduce((n, a) => n + Math.ceil(a.size / 3) * 4 + 300, 0);
  return (
    1024 + recipients + Buffer.byteLength(content.subject) + Buffer.byteLength(content.body) + attachments
  );
}

/** Live limit state of one simulator: settings, concurrency slots, message-rate windows, deferred sends. */
export class Limits {
  private current: LimitSettings;
  private readonly counters = new Map<string, LimitCounters>();
  /** Per mailbox: submission times (ms, ascending, some possibly in the future for deferred sends). */
  private readonly submissions = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(settings: LimitSettings = limitsProfile('none')) {
    this.current = settings;
  }

  settings(): LimitSettings {
    return this.current;
  }

  update(patch: Record<string, unknown>): LimitSettings {
    this.current = mergeLimits(this.current, patch);
    return this.current;
  }

  countersFor(mailbox: Mailbox): LimitCounters {
    const key = normaliseAddress(mailbox.address);
    let c = this.counters.get(key);
    if (!c) this.counters.set(key, (c = newCounters()));
    return c;
  }

  recordThrottle(mailbox: Mailbox, kind: ThrottleKind): void {
    mailbox.stats.throttled += 1;
    this.countersFor(mailbox).throttledByKind[kind] += 1;
  }

  recordMessageSizeExceeded(mailbox: Mailbox): void {
    this.countersFor(mailbox).messageSizeExceeded += 1;
  }

  /**
   * Takes a concurrency slot for one request of `mailbox`; returns its release function, or undefined when the
   * mailbox already has maxConcurrentRequests in flight (the caller answers ErrorExceededConnectionCount).
   */
  acquire(mailbox: Mailbox): (() => void) | undefined {
    const c = this.countersFor(mailbox);
    const max = this.current.maxConcurrentRequests;
    if (max > 0 && c.concurrent >= max) {
      this.recordThrottle(mailbox, 'exceededConnectionCount');
      return undefined;
    }
    c.concurrent += 1;
    c.concurrentPeak = Math.max(c.concurrentPeak, c.concurrent);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      c.concurrent -= 1;
    };
  }

  /** True when a request body of `bytes` is larger than the message size limit. */
  exceedsMessageSize(bytes: number): boolean {
    return this.current.maxMessageBytes > 0 && bytes > this.current.maxMessageBytes;
  }

  /**
   * Reserves the submission of one message of `mailbox` and returns how long it must wait (0 = submit now).
   * Reservations keep every window of messageRateWindowMs to at most messagesPerWindow submissions.
   */
  reserveSubmission(mailbox: Mailbox, now: number = Date.now()): number {
    const { messagesPerWindow: max, messageRateWindowMs: window } = this.current;
    if (max === 0) return 0;
    const key = normaliseAddress(mailbox.address);
    let times = this.submissions.get(key);
    if (!times) this.submissions.set(key, (times = []));
    let stale = 0;
    while (stale < times.length && times[stale] <= now - window) stale += 1;
    if (stale) times.splice(0, stale);
    const at = times.length < max ? now : Math.max(now, times[times.length - max] + window);
    times.push(at);
    return at - now;
  }

  /** Runs `task` after `delayMs` unless the simulator closes or resets first. */
  defer(mailbox: Mailbox, delayMs: number, task: () => void): void {
    const c = this.countersFor(mailbox);
    c.deferredSends += 1;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      c.deferredSends = Math.max(0, c.deferredSends - 1);
      task();
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Clears counters, message-rate windows and pending deferred sends (their Outbox items stay). */
  reset(): void {
    this.cancelDeferred();
    this.submissions.clear();
    for (const c of this.counters.values()) {
      const fresh = newCounters();
      fresh.concurrent = c.concurrent;
      Object.assign(c, fresh);
    }
  }

  close(): void {
    this.cancelDeferred();
  }

  private cancelDeferred(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
