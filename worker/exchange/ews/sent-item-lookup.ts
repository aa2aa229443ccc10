/**
 * Batches the post-send lookup of saved copies in Sent Items, per mailbox.
 *
 * Why: EWS returns no ItemId for SendAndSaveCopy, so every sent mail needs a FindItem by its job property, and
 * each EWS request costs the worker ~3.5 ms of CPU in ews-javascript-api. Sends to one mailbox that finish
 * close together share one FindItem (an Or of IsEqualTo on the job property) instead.
 *
 * Batching rule, per lane (mailbox address + its own EWS URL, as the service pool keys them): a lookup joins the
 * lane's open batch, which is sent as ONE request as soon as
 *   - it holds `maxBatch` distinct job ids, or
 *   - `windowMs` passed since its first lookup, or
 *   - no send of the lane is still inside CreateItem (announced with `announce`) — nobody else can join
 *     soon, so waiting would only add latency (a lone mail is looked up at once, as before batching).
 * Each waiter gets the ref found for its own job id, or null; the caller decides about retries. When the batch's
 * request fails, every waiter is rejected with that same error (the gateway classified it already).
 */
import type { JobId } from '../../db/store';
import type { ItemRef, MailboxTarget } from '../gateway';

/** Looks up many job ids in one request; returns the refs found, keyed by job id (missing = not found). */
export type FindByJobIds = (mailbox: MailboxTarget, jobIds: JobId[]) => Promise<Map<JobId, ItemRef>>;

export interface SentItemLookupOptions {
  find: FindByJobIds;
  /**
   * Longest time a lookup waits for others to join its batch (default 25 ms). A busy worker finishes its
   * CreateItems one after another, a few ms of CPU apart, so the batch size is about window / that gap: 10 ms gave
   * batches of ~2, 25 ms of ~4 in the benchmark; waiting only happens while other sends are in flight.
   */
  windowMs?: number;
  /** Batch size that is sent at once (also bounds the request's restriction and view). */
  maxBatch?: number;
}

/** A send announced before its CreateItem: `lookup` joins the batch, `withdraw` is for a send that failed. */
export interface AnnouncedSend {
  lookup(jobId: JobId): Promise<ItemRef | null>;
  withdraw(): void;
}

interface Waiter {
  resolve: (ref: ItemRef | null) => void;
  reject: (error: unknown) => void;
}

interface Batch {
  mailbox: MailboxTarget;
  waiters: Map<JobId, Waiter[]>;
  timer: NodeJS.Timeout;
}

interface Lane {
  /** Announced sends not yet looked up or withdrawn. */
  sending: number;
  open?: Batch;
}

export class SentItemLookup {
  private readonly lanes = new Map<string, Lane>();
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(private readonly options: SentItemLookupOptions) {
    this.windowMs = options.windowMs ?? 25;
    this.maxBatch = Math.max(1, options.maxBatch ?? 50);
  }

  /** Call before CreateItem, so a batch waits for this send instead of leaving without it. */
  announce(mailbox: MailboxTarget): AnnouncedSend {
    const key = laneKey(mailbox);
    const lane = this.lane(key);
    lane.sending += 1;
    let settled = false;
    const leave = () => {
      if (settled) return false;
      settled = true;
      lane.sending -= 1;
      return true;
    };
    return {
      lookup: (jobId) => {
        // Join first, then leave: the batch must not flush between the two without this job id.
        const result = this.join(key, lane, mailbox, jobId);
        leave();
        this.flushIfDue(key, lane);
        return result;
      },
      withdraw: () => {
        if (leave()) this.flushIfDue(key, lane);
      },
    };
  }

  /** A lookup that was not announced (a retry after a delay): joins an open batch or starts one. */
  lookup(mailbox: MailboxTarget, jobId: JobId): Promise<ItemRef | null> {
    const key = laneKey(mailbox);
    const lane = this.lane(key);
    const result = this.join(key, lane, mailbox, jobId);
    this.flushIfDue(key, lane);
    return result;
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { sending: 0 }));
    return lane;
  }

  private join(key: string, lane: Lane, mailbox: MailboxTarget, jobId: JobId): Promise<ItemRef | null> {
    let batch = lane.open;
    if (!batch) {
      batch = {
        mailbox,
        waiters: new Map(),
        timer: setTimeout(() => this.flush(key, lane), this.windowMs),
      };
      lane.open = batch;
    }
    const open = batch;
    return new Promise((resolve, reject) => {
      const waiters = open.waiters.get(jobId);
      if (waiters) waiters.push({ resolve, reject });
      else open.waiters.set(jobId, [{ resolve, reject }]);
    });
  }

  private flushIfDue(key: string, lane: Lane): void {
    const batch = lane.open;
    if (!batch) {
      if (lane.sending === 0) this.lanes.delete(key);
      return;
    }
    if (lane.sending === 0 || batch.waiters.size >= this.maxBatch) this.flush(key, lane);
  }

  private flush(key: string, lane: Lane): void {
    const batch = lane.open;
    if (!batch) return;
    lane.open = undefined;
    clearTimeout(batch.timer);
    if (lane.sending === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
    const jobIds = [...batch.waiters.keys()];
    let request: Promise<Map<JobId, ItemRef>>;
    try {
      request = this.options.find(batch.mailbox, jobIds);
    } catch (err) {
      request = Promise.reject(err);
    }
    request.then(
      (found) => {
        for (const [jobId, waiters] of batch.waiters) {
          for (const w of waiters) w.resolve(found.get(jobId) ?? null);
        }
      },
      (error: unknown) => {
        for (const waiters of batch.waiters.values()) for (const w of waiters) w.reject(error);
      },
    );
  }
}

function laneKey(mailbox: MailboxTarget): string {
  return `${mailbox.smtpAddress.toLowerCase()}|${mailbox.ewsUrl ?? ''}`;
}
