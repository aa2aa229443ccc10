/**
 * The generic item job flow (worker/jobs/item-jobs.ts) with an in-memory gateway and store: payload checks,
 * target resolution, exactly-once on retries, conflict handling and the delete rules. The EWS side of the same
 * rules runs against the simulator in tests/integration/ews-items.test.ts and worker-items.test.ts.
 */
import { RcError } from '../../worker/errors';
import { silentLogger } from '../../worker/log';
import type { JobKind, StartedJob, TargetItemRecord } from '../../worker/db/store';
import type {
  CreateItemRequest,
  DeleteItemRequest,
  ExchangeGateway,
  FolderTarget,
  ItemKind,
  ItemRef,
  ItemState,
  UpdateItemRequest,
} from '../../worker/exchange/gateway';
import { defaultHandlers, type JobContext, type JobStore } from '../../worker/jobs/job-handler';
import { ITEM_JOB_KINDS } from '../../worker/jobs/item-jobs';

const FOLDER: FolderTarget = { owner: null, location: { kind: 'named', name: 'Plan' } };

/** An in-memory Exchange: items by id with a ChangeKey that changes on every write. */
class FakeExchange implements ExchangeGateway {
  readonly items = new Map<
    string,
    { changeKey: number; jobId: string; lastJobId: string | null; fields: unknown }
  >();
  readonly calls: string[] = [];
  private next = 1;

  ref(id: string): ItemRef {
    return { itemId: id, changeKey: `ck${this.items.get(id)!.changeKey}` };
  }

  async sendMail(): Promise<ItemRef | null> {
    throw new Error('not used');
  }

  async findItemByJobId(
    _m: unknown,
    folder: unknown,
    jobId: string,
    kind?: ItemKind,
  ): Promise<ItemRef | null> {
    this.calls.push(`find:${kind}:${jobId}:${JSON.stringify(folder)}`);
    for (const [id, item] of this.items) if (item.jobId === jobId) return this.ref(id);
    return null;
  }

  async createItem(_m: unknown, request: CreateItemRequest): Promise<ItemRef> {
    this.calls.push(`create:${request.item.kind}:${request.meetingNotice}`);
    const id = `item${this.next++}`;
    this.items.set(id, { changeKey: 1, jobId: request.jobId, lastJobId: null, fields: request.item.fields });
    return this.ref(id);
  }

  async updateItem(_m: unknown, request: UpdateItemRequest): Promise<ItemRef> {
    this.calls.push(
      `update:${request.ref.itemId}:${request.ref.changeKey}:${request.onConflict}:${request.meetingNotice}`,
    );
    const item = this.items.get(request.ref.itemId);
    if (!item) throw new RcError('not_found', 'gone', { remoteCode: 'ErrorItemNotFound' });
    if (
      request.onConflict === 'fail' &&
      request.ref.changeKey !== '' &&
      request.ref.changeKey !== `ck${item.changeKey}`
    ) {
      throw new RcError(
        'conflict',
        'Exchange reports a conflicting change of the item (ErrorIrresolvableConflict)',
      );
    }
    item.changeKey += 1;
    item.lastJobId = request.jobId;
    item.fields = { ...(item.fields as object), ...(request.item.fields as object) };
    return this.ref(request.ref.itemId);
  }

  async deleteItem(_m: unknown, request: DeleteItemRequest): Promise<void> {
    this.calls.push(`delete:${request.kind}:${request.ref.itemId}:${request.meetingNotice}`);
    if (!this.items.delete(request.ref.itemId)) {
      throw new RcError('not_found', 'gone', { remoteCode: 'ErrorItemNotFound' });
    }
  }

  async getItemState(_m: unknown, itemId: string): Promise<ItemState | null> {
    this.calls.push(`state:${itemId}`);
    const item = this.items.get(itemId);
    return item ? { ref: this.ref(itemId), lastJobId: item.lastJobId } : null;
  }

  async listMarkedItems(): Promise<never[]> {
    return [];
  }

  async close(): Promise<void> {}

  /** Someone edits the item in Outlook. */
  edit(id: string): void {
    this.items.get(id)!.changeKey += 1;
  }
}

const targets = new Map<string, TargetItemRecord>();
const store: JobStore = {
  listAttachments: async () => [],
  readAttachmentContent: async () => Buffer.alloc(0),
  findTargetItem: async (id) => targets.get(id) ?? null,
  findNewerSyncJob: async () => null,
};

function job(kind: JobKind, payload: unknown, patch: Partial<StartedJob> = {}): StartedJob {
  return {
    jobId: '100',
    kind,
    payload,
    attempt: 1,
    maxAttempts: 10,
    mailbox: {
      mailboxId: 1,
      profileName: 'p',
      smtpAddress: 'a@contoso.com',
      transport: 'ews',
      ewsUrl: null,
      enabled: true,
    },
    targetJobId: null,
    attachmentCount: 0,
    ...patch,
  };
}

let gateway: FakeExchange;
const handlers = defaultHandlers();

function run(started: StartedJob) {
  const handler = handlers.get(started.kind);
  if (!handler) throw new Error(`no handler for ${started.kind}`);
  const context: JobContext = {
    job: started,
    gateway,
    store,
    logger: silentLogger(),
    settings: { saveSentCopy: true, fileAttachmentDir: null },
  };
  return handler(context);
}

function target(patch: Partial<TargetItemRecord> & { targetJobId: string }): void {
  targets.set(patch.targetJobId, {
    targetKind: 'CreateTask',
    targetStatus: 'Succeeded',
    itemId: null,
    changeKey: null,
    deleted: false,
    ...patch,
  });
}

beforeEach(() => {
  gateway = new FakeExchange();
  targets.clear();
});

describe('registration', () => {
  it('registers create, update and delete for every item kind', () => {
    for (const kinds of Object.values(ITEM_JOB_KINDS)) {
      for (const kind of Object.values(kinds)) expect(handlers.has(kind)).toBe(true);
    }
    expect(handlers.has('SendMail')).toBe(true);
  });
});

describe('create', () => {
  const payload = { folder: FOLDER, fields: { subject: 'Plan', percentComplete: 0 } };

  it('creates the item in the target folder and records its id', async () => {
    await expect(run(job('CreateTask', payload))).resolves.toEqual({ itemId: 'item1', changeKey: 'ck1' });
    expect(gateway.calls).toEqual(['create:task:none']);
    expect(gateway.items.get('item1')).toMatchObject({ jobId: '100', fields: payload.fields });
  });

  it('passes the meeting notice of an appointment', async () => {
    const fields = { subject: 'Meet', requiredAttendees: ['b@contoso.com'] };
    await run(job('CreateAppointment', { folder: FOLDER, fields, meetingNotice: 'all' }));
    expect(gateway.calls).toEqual(['create:appointment:all']);
  });

  it('a retry records the item an earlier attempt created instead of creating a second one', async () => {
    await run(job('CreateTask', payload));
    await expect(run(job('CreateTask', payload, { attempt: 2 }))).resolves.toEqual({
      itemId: 'item1',
      changeKey: 'ck1',
    });
    expect(gateway.items.size).toBe(1);
    expect(gateway.calls[1]).toBe(`find:task:100:${JSON.stringify(FOLDER)}`);
  });

  it('a retry whose earlier attempt never reached Exchange creates the item', async () => {
    await run(job('CreateTask', payload, { attempt: 3 }));
    expect(gateway.calls.map((c) => c.split(':')[0])).toEqual(['find', 'create']);
  });

  it.each([
    [{ fields: {} }, 'folder'],
    [{ folder: { owner: null, location: { kind: 'elsewhere' } }, fields: {} }, 'folder.location'],
    [{ folder: FOLDER, fields: { subject: 'x', colour: 'red' } }, 'fields'],
    [{ folder: FOLDER, fields: { percentComplete: 'half' } }, 'fields.percentComplete'],
    [{ folder: FOLDER, fields: {}, meetingNotice: 'some' }, 'meetingNotice'],
  ])('payload %j is refused permanently, naming %s', async (bad, path) => {
    const err = await run(job('CreateTask', bad)).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'payload_invalid', retryable: false });
    expect((err as RcError).message).toContain(path);
    expect(gateway.calls).toEqual([]);
  });
});

describe('update', () => {
  async function created(): Promise<string> {
    await run(job('CreateTask', { folder: FOLDER, fields: { subject: 'a' } }, { jobId: '50' }));
    target({ targetJobId: '50', itemId: 'item1', changeKey: 'ck1' });
    return 'item1';
  }
  const update = (patch: Partial<StartedJob> = {}, payload: object = {}) =>
    job(
      'UpdateTask',
      { itemId: null, fields: { subject: 'b' }, onConflict: 'fail', ...payload },
      {
        targetJobId: '50',
        ...patch,
      },
    );

  it('updates the item of the target job with its recorded ChangeKey', async () => {
    await created();
    await expect(run(update())).resolves.toEqual({ itemId: 'item1', changeKey: 'ck2' });
    expect(gateway.calls.at(-1)).toBe('update:item1:ck1:fail:none');
    expect(gateway.items.get('item1')).toMatchObject({ lastJobId: '100', fields: { subject: 'b' } });
  });

  it('an item changed in Exchange meanwhile fails the job with conflict, unless asked to overwrite', async () => {
    await created();
    gateway.edit('item1');
    const err = await run(update()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcError);
    expect(err).toMatchObject({ code: 'conflict', retryable: false, statusCode: 'conflict' });
    expect((err as RcError).message).toContain('@force = 1');
    await expect(run(update({}, { onConflict: 'overwrite' }))).resolves.toEqual({
      itemId: 'item1',
      changeKey: 'ck3',
    });
  });

  it('by payload itemId: no recorded version, so no ChangeKey', async () => {
    await created();
    await run(update({ targetJobId: null }, { itemId: 'item1' }));
    expect(gateway.calls.at(-1)).toBe('update:item1::fail:none');
  });

  it('a retry recognises its own earlier write (rcLastJobId) and records it', async () => {
    await created();
    await run(update());
    const calls = gateway.calls.length;
    // The earlier attempt's result never reached SQL: the target still has the old ChangeKey.
    await expect(run(update({ attempt: 2 }))).resolves.toEqual({ itemId: 'item1', changeKey: 'ck2' });
    expect(gateway.calls.slice(calls)).toEqual(['state:item1']);
  });

  it('a retry after an attempt that never wrote updates normally', async () => {
    await created();
    await expect(run(update({ attempt: 2 }))).resolves.toEqual({ itemId: 'item1', changeKey: 'ck2' });
    expect(gateway.calls.slice(-2)).toEqual(['state:item1', 'update:item1:ck1:fail:none']);
  });

  it('waits (retryable target_pending) while the create job has not succeeded', async () => {
    for (const status of ['Pending', 'Queued', 'Running', 'Retrying'] as const) {
      target({ targetJobId: '50', targetStatus: status });
      const err = await run(update()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'target_pending', retryable: true, retryAfterMs: 1000 });
      expect((err as RcError).message).toContain(status);
    }
    expect(gateway.calls).toEqual([]);
  });

  it.each([
    [{ targetStatus: 'Failed' as const }, 'Failed'],
    [{ targetStatus: 'Cancelled' as const }, 'Cancelled'],
    [{ deleted: true, itemId: 'item1' }, 'deleted'],
    [{ itemId: null }, 'without recording'],
  ])('target %j fails permanently with not_found (%s)', async (patch, text) => {
    target({ targetJobId: '50', ...patch });
    const err = await run(update()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not_found', retryable: false });
    expect((err as RcError).message).toContain(text);
  });

  it('a target job that no longer exists, or no target at all, fails permanently', async () => {
    await expect(run(update())).rejects.toMatchObject({ code: 'not_found' });
    await expect(run(update({ targetJobId: null }))).rejects.toMatchObject({ code: 'payload_invalid' });
  });

  it('passes the meeting notice of an appointment update, including "changed"', async () => {
    await run(job('CreateAppointment', { folder: FOLDER, fields: { subject: 'm' } }, { jobId: '50' }));
    target({ targetJobId: '50', targetKind: 'CreateAppointment', itemId: 'item1', changeKey: 'ck1' });
    await run(
      job(
        'UpdateAppointment',
        { fields: { location: 'B' }, meetingNotice: 'changed' },
        { targetJobId: '50' },
      ),
    );
    expect(gateway.calls.at(-1)).toBe('update:item1:ck1:fail:changed');
  });
});

describe('delete', () => {
  const remove = (patch: Partial<StartedJob> = {}, payload: object = {}) =>
    job('DeleteTask', { itemId: null, onConflict: 'fail', ...payload }, { targetJobId: '50', ...patch });

  beforeEach(async () => {
    await run(job('CreateTask', { folder: FOLDER, fields: { subject: 'a' } }, { jobId: '50' }));
    target({ targetJobId: '50', itemId: 'item1', changeKey: 'ck1' });
  });

  it('deletes the item and records its id (so findTargetItem knows it is gone)', async () => {
    await expect(run(remove())).resolves.toEqual({ itemId: 'item1', changeKey: null });
    expect(gateway.items.size).toBe(0);
    expect(gateway.calls.at(-1)).toBe('delete:task:item1:none');
  });

  it('an item already gone counts as deleted, and the succeeded event says by whom', async () => {
    await run(remove());
    await expect(run(remove())).resolves.toEqual({
      itemId: 'item1',
      changeKey: null,
      summary: 'already gone in Exchange (deleted by someone in Exchange)',
    });
    await expect(run(remove({ attempt: 2 }))).resolves.toEqual({
      itemId: 'item1',
      changeKey: null,
      summary: 'already gone in Exchange (deleted by an earlier attempt of this job)',
    });
  });

  it('waits for a pending create job, and fails for a deleted target', async () => {
    target({ targetJobId: '50', targetStatus: 'Running' });
    await expect(run(remove())).rejects.toMatchObject({ code: 'target_pending', retryable: true });
    target({ targetJobId: '50', itemId: 'item1', deleted: true });
    await expect(run(remove())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('passes onConflict and the cancellation notice on', async () => {
    await run(job('CreateAppointment', { folder: FOLDER, fields: {} }, { jobId: '60' }));
    target({ targetJobId: '60', targetKind: 'CreateAppointment', itemId: 'item2', changeKey: 'ck1' });
    await run(
      job('DeleteAppointment', { meetingNotice: 'all', onConflict: 'overwrite' }, { targetJobId: '60' }),
    );
    expect(gateway.calls.at(-1)).toBe('delete:appointment:item2:all');
  });

  it('a conflict from Exchange keeps the code conflict', async () => {
    const conflicting = Object.assign(new FakeExchange(), {
      deleteItem: async () => {
        throw new RcError('conflict', 'changed meanwhile');
      },
    });
    gateway = conflicting;
    await expect(run(remove({}, { itemId: 'x' }))).rejects.toMatchObject({
      code: 'conflict',
      statusCode: 'conflict',
    });
  });
});
