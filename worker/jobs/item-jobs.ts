/**
 * The generic item jobs: Create*, Update* and Delete* for appointments, contacts and tasks. One flow for every
 * kind; what differs per kind is only the field schema (item-field-schemas.ts) and, in the gateway, how the
 * fields land on an Exchange item.
 *
 * Exactly-once and retries:
 * - Create: every created item carries the create job's id. An attempt > 1 first looks for that item in the
 *   target folder (an earlier attempt may have created it and died before recording it) and records it.
 * - Update: the target is the payload's itemId, or the item of the job TargetJobId names (store.findTargetItem:
 *   the ItemId/ChangeKey the newest succeeded job on it recorded). A create job that has not succeeded yet makes
 *   the update wait (retryable 'target_pending'); a deleted item or a failed create fails it ('not_found').
 *   Updates carry the recorded ChangeKey, so an edit made in Exchange meanwhile fails the job with 'conflict'
 *   unless the caller asked to overwrite. An attempt > 1 first reads the item: if this job was the last to
 *   write it (rcLastJobId), the earlier attempt's update is recorded instead of being sent again.
 * - Delete: same target rules; an item that is already gone in Exchange counts as deleted (the caller's wish
 *   holds; on a retry the earlier attempt deleted it, on a first attempt someone deleted it in Outlook): the job
 *   succeeds and says so in its succeeded event. The deleted item's id is recorded, which is how
 *   findTargetItem later knows the item is gone.
 */
import { z } from 'zod';
import { RcError } from '../errors';
import type { ExchangeResult, JobKind, StartedJob } from '../db/store';
import type { FolderTarget, ItemKind, ItemRef, MeetingNotice } from '../exchange/gateway';
import type { JobContext, JobHandler } from './job-handler';
import { parseItemFields } from './item-field-schemas';
import { mailboxOf, parseJobPayload } from './job-input';

/** The job kinds of each item kind. */
export const ITEM_JOB_KINDS: Record<ItemKind, { create: JobKind; update: JobKind; delete: JobKind }> = {
  appointment: { create: 'CreateAppointment', update: 'UpdateAppointment', delete: 'DeleteAppointment' },
  contact: { create: 'CreateContact', update: 'UpdateContact', delete: 'DeleteContact' },
  task: { create: 'CreateTask', update: 'UpdateTask', delete: 'DeleteTask' },
};

/**
 * Shortest wait of an update/delete for its create job. Waiting costs attempts (MaxAttempts), and the backoff's
 * full jitter may pick ~0 ms: the floor keeps a job from using them up faster than a create job can finish.
 */
export const TARGET_PENDING_MIN_WAIT_MS = 1000;

const segment = z.string().min(1);

/** FolderTarget as the procedures write it (rc_internal_ResolveFolder / rc.fn_resolvefolder). */
export const folderTargetSchema = z.object({
  owner: z.string().min(1).nullable(),
  location: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('default') }),
    z.object({ kind: z.literal('named'), name: segment }),
    z.object({ kind: z.literal('public'), path: segment }),
  ]),
});

const onConflictSchema = z.enum(['fail', 'overwrite']).default('fail');

const createPayloadSchema = z.object({
  folder: folderTargetSchema,
  fields: z.unknown(),
  meetingNotice: z.enum(['none', 'all']).nullish(),
});

const updatePayloadSchema = z.object({
  itemId: z.string().min(1).nullish(),
  fields: z.unknown(),
  onConflict: onConflictSchema,
  meetingNotice: z.enum(['none', 'all', 'changed']).nullish(),
});

const deletePayloadSchema = z.object({
  itemId: z.string().min(1).nullish(),
  onConflict: onConflictSchema,
  meetingNotice: z.enum(['none', 'all']).nullish(),
});

/** Validates a payload; RcError('payload_invalid') names every problem. */
function parsePayload<T extends z.ZodType>(schema: T, job: StartedJob): z.infer<T> {
  return parseJobPayload(schema, job.payload, job.kind, job.jobId);
}

const recorded = (ref: ItemRef): ExchangeResult => ({ itemId: ref.itemId, changeKey: ref.changeKey });

export function createItemHandler(kind: ItemKind): JobHandler {
  return async ({ job, gateway, logger }: JobContext) => {
    const payload = parsePayload(createPayloadSchema, job);
    const item = parseItemFields(kind, payload.fields, job);
    const folder: FolderTarget = payload.folder;
    const mailbox = mailboxOf(job);
    if (job.attempt > 1) {
      const existing = await gateway.findItemByJobId(mailbox, folder, job.jobId, kind);
      if (existing) {
        logger.info(
          `${kind} was already created by an earlier attempt; recording it instead of creating again`,
        );
        return recorded(existing);
      }
    }
    const created = await gateway.createItem(mailbox, {
      jobId: job.jobId,
      folder,
      item,
      meetingNotice: payload.meetingNotice ?? 'none',
    });
    return recorded(created);
  };
}

/**
 * The item an update/delete addresses: the payload's itemId (no known version: changeKey '') or the item of the
 * TargetJobId's job with the ChangeKey last recorded for it.
 */
export async function resolveTarget(
  context: JobContext,
  kind: ItemKind,
  itemId: string | null | undefined,
): Promise<ItemRef> {
  const { job, store } = context;
  if (itemId) return { itemId, changeKey: '' };
  if (job.targetJobId === null) {
    throw new RcError(
      'payload_invalid',
      `${job.kind} job ${job.jobId} names no item: neither TargetJobId nor a payload itemId is set.`,
    );
  }
  const target = await store.findTargetItem(job.targetJobId);
  const createKind = ITEM_JOB_KINDS[kind].create;
  if (!target) {
    throw new RcError('not_found', `${createKind} job ${job.targetJobId} no longer exists in rc.Jobs.`);
  }
  if (target.targetStatus === 'Failed' || target.targetStatus === 'Cancelled') {
    throw new RcError(
      'not_found',
      `${createKind} job ${target.targetJobId} is ${target.targetStatus}: there is no ${kind} to change. ` +
        'Retry that job first (rc_RetryJob), then this one.',
    );
  }
  if (target.targetStatus !== 'Succeeded') {
    throw new RcError(
      'target_pending',
      `${createKind} job ${target.targetJobId} is ${target.targetStatus}; this job waits until the ${kind} exists.`,
      { retryable: true, retryAfterMs: TARGET_PENDING_MIN_WAIT_MS },
    );
  }
  if (target.deleted) {
    throw new RcError(
      'not_found',
      `The ${kind} created by job ${target.targetJobId} has been deleted by a later job; there is nothing to change.`,
    );
  }
  if (!target.itemId) {
    throw new RcError(
      'not_found',
      `${createKind} job ${target.targetJobId} succeeded without recording an Exchange ItemId; ` +
        `address the ${kind} by its ItemId instead.`,
    );
  }
  return { itemId: target.itemId, changeKey: target.changeKey ?? '' };
}

export function updateItemHandler(kind: ItemKind): JobHandler {
  return async (context: JobContext) => {
    const { job, gateway, logger } = context;
    const payload = parsePayload(updatePayloadSchema, job);
    const item = parseItemFields(kind, payload.fields, job);
    const ref = await resolveTarget(context, kind, payload.itemId);
    const mailbox = mailboxOf(job);
    if (job.attempt > 1) {
      const state = await gateway.getItemState(mailbox, ref.itemId);
      if (state?.lastJobId === job.jobId) {
        logger.info(
          `${kind} was already updated by an earlier attempt; recording it instead of updating again`,
        );
        return recorded(state.ref);
      }
    }
    const meetingNotice: MeetingNotice = payload.meetingNotice ?? 'none';
    try {
      const updated = await gateway.updateItem(mailbox, {
        jobId: job.jobId,
        ref,
        item,
        onConflict: payload.onConflict,
        meetingNotice,
      });
      return recorded(updated);
    } catch (err) {
      throw explainConflict(err, kind, 'update');
    }
  };
}

export function deleteItemHandler(kind: ItemKind): JobHandler {
  return async (context: JobContext) => {
    const { job, gateway, logger } = context;
    const payload = parsePayload(deletePayloadSchema, job);
    const ref = await resolveTarget(context, kind, payload.itemId);
    try {
      await gateway.deleteItem(mailboxOf(job), {
        jobId: job.jobId,
        ref,
        kind,
        onConflict: payload.onConflict,
        meetingNotice: payload.meetingNotice ?? 'none',
      });
    } catch (err) {
      if (!(err instanceof RcError && err.code === 'not_found')) throw explainConflict(err, kind, 'delete');
      const by = job.attempt > 1 ? 'an earlier attempt of this job' : 'someone in Exchange';
      logger.info(`${kind} is gone already; deleted by ${by}`);
      return { itemId: ref.itemId, changeKey: null, summary: `already gone in Exchange (deleted by ${by})` };
    }
    return { itemId: ref.itemId, changeKey: null };
  };
}

/** A ChangeKey conflict, said in the caller's terms (LastErrorCode stays 'conflict'). */
function explainConflict(err: unknown, kind: ItemKind, action: 'update' | 'delete'): unknown {
  if (!(err instanceof RcError) || err.code !== 'conflict') return err;
  return new RcError(
    'conflict',
    `The ${kind} was changed in Exchange after rc-exchange last wrote it, so the ${action} was not applied ` +
      `(${err.message}). Repeat it with @force = 1 to overwrite that change, or leave the ${kind} as it is now.`,
    { cause: err },
  );
}

/** Create/update/delete handlers of every item kind, for defaultHandlers(). */
export function itemHandlers(): Array<[JobKind, JobHandler]> {
  return (Object.keys(ITEM_JOB_KINDS) as ItemKind[]).flatMap((kind): Array<[JobKind, JobHandler]> => [
    [ITEM_JOB_KINDS[kind].create, createItemHandler(kind)],
    [ITEM_JOB_KINDS[kind].update, updateItemHandler(kind)],
    [ITEM_JOB_KINDS[kind].delete, deleteItemHandler(kind)],
  ]);
}
