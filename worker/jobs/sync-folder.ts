/**
 * SyncFolder: make one folder hold exactly the desired items rc_SyncFolder queued (payload {folder, kind, setKey,
 * items: [{externalKey, fields}]}).
 *
 * 0. Skip when a newer SyncFolder job of the same mailbox addresses the same folder (store.findNewerSyncJob): an
 *    older set must not overwrite a newer one, e.g. when a job that was running while the newer set was queued
 *    retries later. The job succeeds with the summary 'skipped: job <id> holds a newer set for this folder'.
 * 1. List the folder's items carrying this set's marker (gateway.listMarkedItems; unmarked items and other sets'
 *    items are never listed, so never touched).
 * 2. Plan (sync-plan.ts): create the missing, update only the fields whose marker entry differs, delete the marked
 *    items whose key left the set (and duplicates of a key). A repeated set plans nothing: no write to Exchange.
 * 3. Carry the plan out, SYNC_CONCURRENCY requests at a time, logging progress every PROGRESS_EVERY_MS.
 *
 * Every created or updated item gets the marker with the applied fields of its whole desired state; creates carry
 * the job id, updates stamp it as rcLastJobId. Retries and crashes are safe without a look-up by job id: an
 * earlier attempt's items carry the marker, so the next attempt finds them and compares instead of creating again.
 * Desired state wins: updates and deletes overwrite edits made in Exchange (onConflict 'overwrite'); an item
 * deleted in Exchange before its update is created again. No meeting requests or cancellations are sent
 * (meetingNotice 'none': a synced calendar is a published plan, not a meeting organiser).
 *
 * Outcome: the counts ('created 2, updated 1, deleted 0, unchanged 97') become the succeeded event's Message.
 * A throttling/transient error stops starting new requests, lets the running ones finish and makes the job retry
 * (the next attempt plans again from what Exchange then holds). Permanent errors of single items do not stop the
 * others; afterwards the job fails naming them (LastErrorCode = the first one's code), and the next run — or
 * rc_RetryJob — tries them again.
 */
import { z } from 'zod';
import { RcError, toRcError } from '../errors';
import type { ExchangeResult, StartedJob } from '../db/store';
import type { ItemFields, ItemKind, SyncMarker } from '../exchange/gateway';
import type { Logger } from '../log';
import type { JobContext } from './job-handler';
import { parseItemFields } from './item-field-schemas';
import { folderTargetSchema } from './item-jobs';
import { mailboxOf, parseJobPayload } from './job-input';
import { encodeAppliedFields } from './sync-marker';
import { planSync, type DesiredItem, type SyncAction } from './sync-plan';

/** rc_SyncFolder's @kind → the gateway's item kind. */
export const SYNC_ITEM_KINDS = {
  contacts: 'contact',
  calendar: 'appointment',
  tasks: 'task',
} as const satisfies Record<string, ItemKind>;

/** Requests in flight at once for one sync job (Exchange allows few concurrent requests per mailbox). */
export const SYNC_CONCURRENCY = 4;
/** How often a long sync logs its progress. */
export const PROGRESS_EVERY_MS = 5000;
/** Failed items named in the job's LastError. */
const FAILURES_NAMED = 5;

export const syncFolderPayloadSchema = z.object({
  folder: folderTargetSchema,
  kind: z.enum(['contacts', 'calendar', 'tasks']),
  setKey: z.string().min(1),
  items: z.array(z.object({ externalKey: z.string().min(1), fields: z.unknown() })),
});

export interface SyncCounts {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
}

export function summarise(counts: SyncCounts): string {
  return `created ${counts.created}, updated ${counts.updated}, deleted ${counts.deleted}, unchanged ${counts.unchanged}`;
}

function parsePayload(job: StartedJob) {
  const payload = parseJobPayload(syncFolderPayloadSchema, job.payload, 'SyncFolder', job.jobId);
  const keys = new Set<string>();
  for (const item of payload.items) {
    if (keys.has(item.externalKey)) {
      throw new RcError(
        'payload_invalid',
        `SyncFolder payload of job ${job.jobId} has the external key "${item.externalKey}" twice`,
      );
    }
    keys.add(item.externalKey);
  }
  return payload;
}

/** Runs `work` over `actions`, at most `concurrency` at a time, until done or `stopped()`. */
async function runPool<T>(
  actions: readonly T[],
  concurrency: number,
  work: (action: T) => Promise<void>,
  stopped: () => boolean,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < actions.length && !stopped()) await work(actions[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, actions.length) }, lane));
}

export async function syncFolderHandler(context: JobContext): Promise<ExchangeResult> {
  const { job, gateway } = context;
  const payload = parsePayload(job);
  const kind = SYNC_ITEM_KINDS[payload.kind];
  const desired: DesiredItem[] = payload.items.map((item) => ({
    externalKey: item.externalKey,
    fields: parseItemFields(kind, item.fields, job).fields as Record<string, unknown>,
  }));
  const mailbox = mailboxOf(job);
  const logger = context.logger.child({ setKey: payload.setKey });

  // An older set never overwrites a newer one: rc_SyncFolder cancels older sets that have not started, but one
  // that was running then (and now retries) or is picked up late may still come here.
  const newer = await context.store.findNewerSyncJob(job.jobId, payload.setKey);
  if (newer !== null) {
    logger.info('sync skipped: a newer set exists for this folder', { newerJobId: newer });
    return {
      itemId: null,
      changeKey: null,
      summary: `skipped: job ${newer} holds a newer set for this folder`,
    };
  }

  const marked = await gateway.listMarkedItems(mailbox, payload.folder, kind, payload.setKey);
  const plan = planSync(desired, marked);
  const counts: SyncCounts = { created: 0, updated: 0, deleted: 0, unchanged: plan.unchanged };
  const planned = (op: SyncAction['op']) => plan.actions.filter((a) => a.op === op).length;
  logger.info('sync planned', {
    desired: desired.length,
    marked: marked.length,
    create: planned('create'),
    update: planned('update'),
    delete: planned('delete'),
    unchanged: plan.unchanged,
  });

  const marker = (action: { externalKey: string; fields: Record<string, unknown> }): SyncMarker => ({
    setKey: payload.setKey,
    externalKey: action.externalKey,
    appliedFields: encodeAppliedFields(action.fields),
  });
  const itemOf = (fields: Record<string, unknown>) => ({ kind, fields }) as ItemFields;
  const create = async (action: { externalKey: string; fields: Record<string, unknown> }) => {
    await gateway.createItem(mailbox, {
      jobId: job.jobId,
      folder: payload.folder,
      item: itemOf(action.fields),
      meetingNotice: 'none',
      marker: marker(action),
    });
    counts.created++;
  };

  const perform = async (action: SyncAction): Promise<void> => {
    if (action.op === 'create') return create(action);
    if (action.op === 'update') {
      try {
        await gateway.updateItem(mailbox, {
          jobId: job.jobId,
          ref: action.ref,
          item: itemOf(action.changes),
          onConflict: 'overwrite',
          meetingNotice: 'none',
          marker: marker(action),
        });
        counts.updated++;
      } catch (err) {
        // Deleted in Exchange since the listing: the desired state wants it, so it is created again.
        if (!(err instanceof RcError && err.code === 'not_found')) throw err;
        await create(action);
      }
      return;
    }
    try {
      await gateway.deleteItem(mailbox, {
        jobId: job.jobId,
        ref: action.ref,
        kind,
        onConflict: 'overwrite',
        meetingNotice: 'none',
      });
    } catch (err) {
      if (!(err instanceof RcError && err.code === 'not_found')) throw err; // gone already: as good as deleted
    }
    counts.deleted++;
  };

  const failures: Array<{ action: SyncAction; error: RcError }> = [];
  let stopError: RcError | null = null;
  const progress = new ProgressLog(logger, plan.actions.length, counts);
  await runPool(
    plan.actions,
    SYNC_CONCURRENCY,
    async (action) => {
      try {
        await perform(action);
      } catch (err) {
        const error = toRcError(err);
        if (error.retryable) stopError ??= error;
        else failures.push({ action, error });
      }
      progress.step();
    },
    () => stopError !== null,
  );
  progress.done();

  if (stopError !== null) {
    const error: RcError = stopError;
    throw new RcError(
      error.code,
      `SyncFolder stopped after ${progress.finished} of ${plan.actions.length} changes (${summarise(counts)}) ` +
        `and will continue on its next attempt: ${error.message}`,
      { retryable: true, retryAfterMs: error.retryAfterMs, remoteCode: error.remoteCode, cause: error },
    );
  }
  if (failures.length > 0) {
    const first = failures[0]!.error;
    const named = failures
      .slice(0, FAILURES_NAMED)
      .map((f) => `${f.action.op} "${f.action.externalKey}": ${f.error.message}`)
      .join('; ');
    const more = failures.length > FAILURES_NAMED ? `; and ${failures.length - FAILURES_NAMED} more` : '';
    throw new RcError(
      first.code,
      `SyncFolder: ${failures.length} of ${plan.actions.length} changes failed (${summarise(counts)} done): ` +
        `${named}${more}`,
      { remoteCode: first.remoteCode, cause: first },
    );
  }
  logger.info('sync done', { ...counts });
  return { itemId: null, changeKey: null, summary: summarise(counts) };
}

/** Progress of a long sync in the log: at most one line per PROGRESS_EVERY_MS, none for a short one. */
class ProgressLog {
  finished = 0;
  private lastAt = Date.now();

  constructor(
    private readonly logger: Logger,
    private readonly total: number,
    private readonly counts: SyncCounts,
  ) {}

  step(): void {
    this.finished++;
    if (Date.now() - this.lastAt < PROGRESS_EVERY_MS) return;
    this.lastAt = Date.now();
    this.logger.info('sync progress', { finished: this.finished, total: this.total, ...this.counts });
  }

  done(): void {
    if (this.finished < this.total) {
      this.logger.info('sync interrupted', { finished: this.finished, total: this.total, ...this.counts });
    }
  }
}
