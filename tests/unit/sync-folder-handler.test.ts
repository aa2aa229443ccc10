/**
 * The SyncFolder handler against a fake gateway: what it asks Exchange for, with which markers, how many requests
 * at once, and how errors of single items, throttling and items vanished meanwhile end the job.
 */
import type { StartedJob } from '../../worker/db/store';
import { RcError } from '../../worker/errors';
import type {
  CreateItemRequest,
  DeleteItemRequest,
  ExchangeGateway,
  MarkedItem,
  UpdateItemRequest,
} from '../../worker/exchange/gateway';
import type { JobContext } from '../../worker/jobs/job-handler';
import { SYNC_CONCURRENCY, syncFolderHandler } from '../../worker/jobs/sync-folder';
import { decodeAppliedFields, encodeAppliedFields } from '../../worker/jobs/sync-marker';
import { silentLogger } from '../../worker/log';

const SET = 'contacts:sales@example.com:named:customers';
const FOLDER = { owner: null, location: { kind: 'named', name: 'Customers' } } as const;

const contact = (surname: string) => ({
  givenName: null,
  surname,
  displayName: surname,
  emailAddress1: null,
  categories: [],
});

function job(
  items: Array<{ externalKey: string; fields: unknown }>,
  payload: Record<string, unknown> = {},
): StartedJob {
  return {
    jobId: '77',
    kind: 'SyncFolder',
    payload: { folder: FOLDER, kind: 'contacts', setKey: SET, items, ...payload },
    attempt: 1,
    maxAttempts: 10,
    mailbox: {
      mailboxId: 1,
      profileName: 'sales',
      smtpAddress: 'sales@example.com',
      transport: 'ews',
      ewsUrl: null,
      enabled: true,
    },
    targetJobId: null,
    attachmentCount: 0,
  };
}

const marked = (id: string, key: string, fields: Record<string, unknown>): MarkedItem => ({
  ref: { itemId: id, changeKey: `ck-${id}` },
  marker: { setKey: SET, externalKey: key, appliedFields: encodeAppliedFields(fields) },
});

class FakeGateway {
  creates: CreateItemRequest[] = [];
  updates: UpdateItemRequest[] = [];
  deletes: DeleteItemRequest[] = [];
  listed: unknown[] = [];
  inFlight = 0;
  peak = 0;
  failOn = new Map<string, RcError>();

  constructor(private readonly marked: MarkedItem[] = []) {}

  private async request(key: string): Promise<void> {
    this.inFlight++;
    this.peak = Math.max(this.peak, this.inFlight);
    await new Promise((r) => setTimeout(r, 2));
    this.inFlight--;
    const error = this.failOn.get(key);
    if (error) throw error;
  }

  gateway(): ExchangeGateway {
    return {
      listMarkedItems: async (...args) => {
        this.listed.push(args);
        return this.marked;
      },
      createItem: async (_m, request) => {
        await this.request(`create:${request.marker?.externalKey}`);
        this.creates.push(request);
        return { itemId: `new-${request.marker?.externalKey}`, changeKey: 'ck' };
      },
      updateItem: async (_m, request) => {
        await this.request(`update:${request.marker?.externalKey}`);
        this.updates.push(request);
        return { itemId: request.ref.itemId, changeKey: 'ck2' };
      },
      deleteItem: async (_m, request) => {
        await this.request(`delete:${request.ref.itemId}`);
        this.deletes.push(request);
      },
    } as Partial<ExchangeGateway> as ExchangeGateway;
  }
}

function contextFor(startedJob: StartedJob, fake: FakeGateway, newer: string | null = null): JobContext {
  return {
    job: startedJob,
    gateway: fake.gateway(),
    store: {
      findNewerSyncJob: async (jobId: string, setKey: string) => {
        expect([jobId, setKey]).toEqual([startedJob.jobId, SET]);
        return newer;
      },
    } as Partial<JobContext['store']> as JobContext['store'],
    logger: silentLogger(),
    settings: { saveSentCopy: true, fileAttachmentDir: null },
  };
}

describe('syncFolderHandler', () => {
  it('creates, updates only changed fields, deletes, and reports the counts as the summary', async () => {
    const fake = new FakeGateway([
      marked('1', 'same', contact('Same')),
      marked('2', 'changed', contact('Old')),
      marked('3', 'removed', contact('Removed')),
    ]);
    const result = await syncFolderHandler(
      contextFor(
        job([
          { externalKey: 'same', fields: contact('Same') },
          { externalKey: 'changed', fields: contact('New') },
          { externalKey: 'added', fields: contact('Added') },
        ]),
        fake,
      ),
    );
    expect(result).toEqual({
      itemId: null,
      changeKey: null,
      summary: 'created 1, updated 1, deleted 1, unchanged 1',
    });
    expect(fake.listed).toEqual([[expect.any(Object), FOLDER, 'contact', SET]]);

    expect(fake.creates).toEqual([
      {
        jobId: '77',
        folder: FOLDER,
        item: { kind: 'contact', fields: contact('Added') },
        meetingNotice: 'none',
        marker: { setKey: SET, externalKey: 'added', appliedFields: encodeAppliedFields(contact('Added')) },
      },
    ]);
    expect(fake.updates).toEqual([
      {
        jobId: '77',
        ref: { itemId: '2', changeKey: 'ck-2' },
        item: { kind: 'contact', fields: { surname: 'New', displayName: 'New' } },
        onConflict: 'overwrite',
        meetingNotice: 'none',
        marker: { setKey: SET, externalKey: 'changed', appliedFields: encodeAppliedFields(contact('New')) },
      },
    ]);
    expect(decodeAppliedFields(fake.updates[0]!.marker!.appliedFields)).toMatchObject({ surname: '"New"' });
    expect(fake.deletes).toEqual([
      {
        jobId: '77',
        ref: { itemId: '3', changeKey: 'ck-3' },
        kind: 'contact',
        onConflict: 'overwrite',
        meetingNotice: 'none',
      },
    ]);
  });

  it('a newer set for the same folder exists: nothing is listed or written, the job succeeds as skipped', async () => {
    const fake = new FakeGateway([marked('1', 'a', contact('A'))]);
    const result = await syncFolderHandler(
      contextFor(job([{ externalKey: 'b', fields: contact('B') }]), fake, '99'),
    );
    expect(result).toEqual({
      itemId: null,
      changeKey: null,
      summary: 'skipped: job 99 holds a newer set for this folder',
    });
    expect([fake.listed, fake.creates, fake.updates, fake.deletes]).toEqual([[], [], [], []]);
  });

  it('the same set again makes no request but the listing', async () => {
    const fake = new FakeGateway([marked('1', 'a', contact('A'))]);
    const result = await syncFolderHandler(
      contextFor(job([{ externalKey: 'a', fields: contact('A') }]), fake),
    );
    expect(result.summary).toBe('created 0, updated 0, deleted 0, unchanged 1');
    expect([fake.creates, fake.updates, fake.deletes]).toEqual([[], [], []]);
  });

  it(`never has more than ${SYNC_CONCURRENCY} requests in flight`, async () => {
    const fake = new FakeGateway();
    const items = Array.from({ length: 40 }, (_, i) => ({ externalKey: `k${i}`, fields: contact(`S${i}`) }));
    const result = await syncFolderHandler(contextFor(job(items), fake));
    expect(result.summary).toBe('created 40, updated 0, deleted 0, unchanged 0');
    expect(fake.peak).toBe(SYNC_CONCURRENCY);
  });

  it('calendar and tasks map to the appointment and task item kinds', async () => {
    for (const [kind, itemKind, fields] of [
      ['tasks', 'task', { subject: 'Call', status: 'NotStarted', percentComplete: 0 }],
      ['calendar', 'appointment', { subject: 'Shift' }],
    ] as const) {
      const fake = new FakeGateway();
      await syncFolderHandler(contextFor(job([{ externalKey: 'a', fields }], { kind }), fake));
      expect(fake.listed).toEqual([[expect.any(Object), FOLDER, itemKind, SET]]);
      expect(fake.creates[0]?.item.kind).toBe(itemKind);
    }
  });

  it('an item deleted in Exchange before its update is created again; one gone before its delete counts as deleted', async () => {
    const fake = new FakeGateway([marked('1', 'a', contact('Old')), marked('2', 'b', contact('B'))]);
    fake.failOn.set('update:a', new RcError('not_found', 'gone'));
    fake.failOn.set('delete:2', new RcError('not_found', 'gone'));
    const result = await syncFolderHandler(
      contextFor(job([{ externalKey: 'a', fields: contact('New') }]), fake),
    );
    expect(result.summary).toBe('created 1, updated 0, deleted 1, unchanged 0');
    expect(fake.creates[0]).toMatchObject({ item: { fields: contact('New') }, marker: { externalKey: 'a' } });
  });

  it('a permanent error of one item: the others are done, the job fails naming it', async () => {
    const fake = new FakeGateway();
    fake.failOn.set(
      'create:b',
      new RcError('exchange_permanent', 'ErrorInvalidPropertySet', { remoteCode: 'ErrorInvalidPropertySet' }),
    );
    const items = ['a', 'b', 'c'].map((k) => ({ externalKey: k, fields: contact(k) }));
    const error = await syncFolderHandler(contextFor(job(items), fake)).catch((e: RcError) => e);
    expect(error).toBeInstanceOf(RcError);
    expect(error).toMatchObject({
      code: 'exchange_permanent',
      retryable: false,
      remoteCode: 'ErrorInvalidPropertySet',
    });
    expect((error as RcError).message).toBe(
      'SyncFolder: 1 of 3 changes failed (created 2, updated 0, deleted 0, unchanged 0 done): create "b": ErrorInvalidPropertySet',
    );
    expect(fake.creates.map((c) => c.marker?.externalKey).sort()).toEqual(['a', 'c']);
  });

  it('throttling stops new requests and makes the job retry with Exchange’s back-off', async () => {
    const fake = new FakeGateway();
    fake.failOn.set(
      'create:k0',
      new RcError('exchange_throttled', 'ErrorServerBusy', {
        retryable: true,
        retryAfterMs: 30000,
        remoteCode: 'ErrorServerBusy',
      }),
    );
    const items = Array.from({ length: 50 }, (_, i) => ({ externalKey: `k${i}`, fields: contact(`S${i}`) }));
    const error = (await syncFolderHandler(contextFor(job(items), fake)).catch((e: RcError) => e)) as RcError;
    expect(error).toMatchObject({ code: 'exchange_throttled', retryable: true, retryAfterMs: 30000 });
    expect(error.message).toMatch(
      /^SyncFolder stopped after \d+ of 50 changes \(created \d+, .*\) and will continue/,
    );
    // The requests already running finished; no new one started after the error.
    expect(fake.creates.length).toBeLessThan(SYNC_CONCURRENCY);
  });

  it.each([
    ['no set key', { setKey: '' }, 'setKey'],
    ['an unknown kind', { kind: 'notes' }, 'kind'],
    ['a folder without location', { folder: { owner: null } }, 'folder.location'],
  ])('a payload with %s is invalid', async (_case, patch, path) => {
    const error = await syncFolderHandler(contextFor(job([], patch), new FakeGateway())).catch(
      (e: RcError) => e,
    );
    expect(error).toMatchObject({ code: 'payload_invalid', message: expect.stringContaining(path) });
  });

  it('a payload with a duplicated key or fields of another kind is invalid', async () => {
    const twice = job([
      { externalKey: 'a', fields: contact('A') },
      { externalKey: 'a', fields: contact('B') },
    ]);
    await expect(syncFolderHandler(contextFor(twice, new FakeGateway()))).rejects.toMatchObject({
      code: 'payload_invalid',
      message: expect.stringContaining('"a" twice'),
    });
    await expect(
      syncFolderHandler(contextFor(job([{ externalKey: 'a', fields: { subject: 'x' } }]), new FakeGateway())),
    ).rejects.toMatchObject({ code: 'payload_invalid' });
  });
});
