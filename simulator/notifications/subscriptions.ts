/**
 * Pull subscriptions like Exchange's: a subscription watches some folders (or all folders) of one mailbox for
 * some event types and queues matching store events; GetEvents hands out what came after a watermark. Watermarks
 * are opaque base64 positions in the store's event sequence. Events are kept per subscription until a later
 * watermark is presented (so a retried GetEvents gets the same events), and the store keeps a bounded history so
 * Subscribe with a Watermark can resume. A subscription nobody polled for Timeout minutes expires.
 */
import { randomUUID } from 'node:crypto';
import type { MailboxStore } from '../mailbox-store';
import type { Mailbox } from '../model';
import type { StoreEvent } from './store-events';

export const EVENT_TYPES = [
  'CopiedEvent',
  'CreatedEvent',
  'DeletedEvent',
  'ModifiedEvent',
  'MovedEvent',
  'NewMailEvent',
  'FreeBusyChangedEvent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Events GetEvents returns at most per call (MoreEvents=true beyond). */
export const EVENTS_PER_CALL = 50;
/** Store events remembered for Subscribe with a Watermark. */
const HISTORY_LIMIT = 10_000;
/** Events queued per subscription before the oldest are dropped. */
const QUEUE_LIMIT = 10_000;

export interface SequencedEvent extends StoreEvent {
  seq: number;
}

export interface Subscription {
  id: string;
  mailbox: Mailbox;
  /** Watched folder ids; undefined = SubscribeToAllFolders. */
  folderIds?: Set<string>;
  eventTypes: Set<EventType>;
  timeoutMinutes: number;
  lastPolled: number;
  /** Lowest watermark GetEvents still accepts (the last one presented). */
  floor: number;
  queue: SequencedEvent[];
}

export type WatermarkCheck = { ok: true; seq: number } | { ok: false };

export class SubscriptionRegistry {
  private seq = 0;
  /** Distinguishes this store's watermarks from another run's. */
  private readonly epoch = randomUUID().slice(0, 8);
  private readonly history: SequencedEvent[] = [];
  private readonly subscriptions = new Map<string, Subscription>();
  /** Overridable clock (ms) so tests can let Timeout minutes pass. */
  now: () => number = () => Date.now();

  constructor(store: MailboxStore) {
    store.onChange((event) => this.record(event));
  }

  /** Sequence number of the latest store event. */
  get position(): number {
    return this.seq;
  }

  watermark(seq = this.seq): string {
    return Buffer.from(`${this.epoch}:${seq}`, 'utf8').toString('base64');
  }

  parseWatermark(value: string): WatermarkCheck {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const match = /^([0-9a-f]{8}):(\d+)$/.exec(decoded);
    if (!match || match[1] !== this.epoch) return { ok: false };
    const seq = Number(match[2]);
    return seq <= this.seq ? { ok: true, seq } : { ok: false };
  }

  /** Events after `seq` from the history; undefined when the history no longer reaches back that far. */
  eventsSince(seq: number): SequencedEvent[] | undefined {
    const oldest = this.history[0]?.seq ?? this.seq + 1;
    if (seq < oldest - 1 && seq < this.seq) return undefined;
    return this.history.filter((e) => e.seq > seq);
  }

  add(spec: Omit<Subscription, 'id' | 'lastPolled' | 'floor' | 'queue'>, fromSeq: number): Subscription {
    const sub: Subscription = {
      ...spec,
      id: newSubscriptionId(),
      lastPolled: this.now(),
      floor: fromSeq,
      queue: [],
    };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  remove(id: string): void {
    this.subscriptions.delete(id);
  }

  isExpired(sub: Subscription): boolean {
    return this.now() - sub.lastPolled > sub.timeoutMinutes * 60_000;
  }

  matches(sub: Subscription, e: StoreEvent): boolean {
    if (e.mailbox !== sub.mailbox) return false;
    if (!sub.eventTypes.has(`${e.kind}Event` as EventType)) return false;
    if (!sub.folderIds) return true;
    return (
      sub.folderIds.has(e.parentFolderId) ||
      (e.oldParentFolderId !== undefined && sub.folderIds.has(e.oldParentFolderId))
    );
  }

  private record(event: StoreEvent): void {
    this.seq += 1;
    const e: SequencedEvent = { ...event, seq: this.seq };
    this.history.push(e);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const sub of this.subscriptions.values()) {
      if (this.isExpired(sub)) {
        sub.queue.length = 0;
        continue;
      }
      if (!this.matches(sub, e)) continue;
      sub.queue.push(e);
      if (sub.queue.length > QUEUE_LIMIT) sub.queue.splice(0, sub.queue.length - QUEUE_LIMIT);
    }
  }
}

/** Exchange's subscription ids are opaque base64 strings too. */
function newSubscriptionId(): string {
  return Buffer.from(`sim-subscription:${randomUUID()}`, 'utf8').toString('base64');
}

export function isWellFormedSubscriptionId(id: string): boolean {
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  return /^sim-subscription:[0-9a-f-]{36}$/.test(decoded);
}

const registries = new WeakMap<MailboxStore, SubscriptionRegistry>();

/** The store's subscriptions (created on first use, listening to the store from then on). */
export function subscriptionsOf(store: MailboxStore): SubscriptionRegistry {
  let registry = registries.get(store);
  if (!registry) registries.set(store, (registry = new SubscriptionRegistry(store)));
  return registry;
}
