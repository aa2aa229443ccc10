/**
 * rc_CreateTask, rc_UpdateTask, rc_DeleteTask, one suite for every configured database: every parameter (valid,
 * each invalid form, the boundaries), the status / percent-complete rule, the payload the worker reads,
 * idempotency, item references, and that a refused call writes nothing. The field helper's JSON-only rules (keys,
 * JSON types, dates and instants as text, percent as a number) are reached through rc_SyncFolder's items.
 */
import { factories, useApiFixture, type Profile } from './conformance-fixture';
import * as itemCases from './item-reference-cases';

const MAX_BODY = 35 * 1024 * 1024;

const DEFAULT_FIELDS = {
  subject: 'Call back',
  body: '',
  bodyType: 'Text',
  startDate: null,
  dueDate: null,
  status: 'NotStarted',
  percentComplete: 0,
  importance: 'Normal',
  reminderAt: null,
  categories: [],
};

describe.each(factories)('tasks on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  const { refused, job, fieldsOf } = fx;
  let profile: Profile;

  beforeAll(async () => {
    profile = await fx.newProfile();
  });

  const suite: itemCases.ItemSuite = {
    fx,
    kind: itemCases.TASK,
    other: itemCases.CONTACT,
    profile: () => profile,
  };
  const { create, update } = itemCases.itemCalls(suite);

  describe('rc_CreateTask', () => {
    test('queues one Pending CreateTask job with the default fields and an enqueued event', async () => {
      await itemCases.expectQueuedCreate(suite, await create({ subject: 'Call back' }), DEFAULT_FIELDS);
    });

    test('stores every parameter: enums in canonical case, subject and body as given, reminder in UTC', async () => {
      const id = await create({
        subject: '  Call <Anna>  ',
        body: '<p>Agenda</p>\r\n',
        body_format: ' html ',
        start_date: '2026-05-01',
        due_date: '2026-05-04',
        status: 'inprogress',
        percent_complete: 40,
        importance: 'HIGH',
        reminder_time: '2026-05-03T09:30:15.750+02:00',
        categories: 'Follow-up, follow-up; Sales',
      });
      expect(await fieldsOf(id)).toEqual({
        subject: '  Call <Anna>  ',
        body: '<p>Agenda</p>\r\n',
        bodyType: 'HTML',
        startDate: '2026-05-01',
        dueDate: '2026-05-04',
        status: 'InProgress',
        percentComplete: 40,
        importance: 'High',
        reminderAt: '2026-05-03T07:30:15Z',
        categories: ['Follow-up', 'Sales'],
      });
    });

    test.each([
      ['body_format', 'text', 'bodyType', 'Text'],
      ['body_format', 'HTML', 'bodyType', 'HTML'],
      ['importance', 'low', 'importance', 'Low'],
      ['importance', 'Normal', 'importance', 'Normal'],
      ['importance', 'high', 'importance', 'High'],
      ['status', 'notstarted', 'status', 'NotStarted'],
      ['status', 'INPROGRESS', 'status', 'InProgress'],
      ['status', 'Completed', 'status', 'Completed'],
      ['status', 'waitingonothers', 'status', 'WaitingOnOthers'],
      ['status', ' deferred ', 'status', 'Deferred'],
    ])('%s %j → %s %j', async (param, value, key, expected) => {
      expect((await fieldsOf(await create({ subject: 'S', [param]: value })))[key]).toBe(expected);
    });

    test.each([
      ['body_format', 50020, 'Use TEXT or HTML'],
      ['importance', 50021, 'Use Low, Normal or High'],
      ['status', 50406, 'Use NotStarted, InProgress, Completed, WaitingOnOthers or Deferred'],
    ])('%s: an unknown value or an empty string is refused (%i)', async (param, number, hint) => {
      for (const bad of ['bogus', '', 'Not Started']) {
        await refused(
          () => create({ subject: 'S', [param]: bad }),
          number,
          `rc_CreateTask: @${param} "${bad}" is not valid`,
          hint,
        );
      }
    });

    test('subject is required (50403) and at most 255 characters (50023)', async () => {
      await refused(() => create({}), 50403, 'rc_CreateTask: @subject is missing');
      await refused(() => create({ subject: '' }), 50403);
      await refused(() => create({ subject: ' \t\r\n' }), 50403);
      expect((await fieldsOf(await create({ subject: 's'.repeat(255) }))).subject).toBe('s'.repeat(255));
      await refused(
        () => create({ subject: 's'.repeat(256) }),
        50023,
        'rc_CreateTask: @subject is 256 characters long',
      );
    });

    test('body: 35 MB stored, one character more refused (50025)', async () => {
      expect(
        ((await fieldsOf(await create({ subject: 'S', body: 'b'.repeat(MAX_BODY) }))).body as string).length,
      ).toBe(MAX_BODY);
      await refused(
        () => create({ subject: 'S', body: 'b'.repeat(MAX_BODY + 1) }),
        50025,
        '@body is 36700161',
      );
    });

    test('start_date and due_date: 1601-01-01 … 4500-12-31; due before start refused (50405), same day fine', async () => {
      const fields = await fieldsOf(
        await create({ subject: 'S', start_date: '1601-01-01', due_date: '4500-12-31' }),
      );
      expect(fields).toMatchObject({ startDate: '1601-01-01', dueDate: '4500-12-31' });
      expect(
        await fieldsOf(await create({ subject: 'S', start_date: '2026-05-04', due_date: '2026-05-04' })),
      ).toMatchObject({ startDate: '2026-05-04', dueDate: '2026-05-04' });
      expect((await fieldsOf(await create({ subject: 'S', due_date: '2026-05-04' }))).startDate).toBeNull();
      for (const param of ['start_date', 'due_date']) {
        await refused(
          () => create({ subject: 'S', [param]: '1600-12-31' }),
          50404,
          `rc_CreateTask: @${param} "1600-12-31"`,
        );
        await refused(
          () => create({ subject: 'S', [param]: '4501-01-01' }),
          50404,
          `@${param} "4501-01-01" is not a date`,
        );
      }
      await refused(
        () => create({ subject: 'S', start_date: '2026-05-05', due_date: '2026-05-04' }),
        50405,
        'rc_CreateTask: @due_date 2026-05-04 is before @start_date 2026-05-05',
      );
    });

    test('percent_complete: 0 … 100 (50407 outside)', async () => {
      for (const [percent, status] of [
        [0, 'NotStarted'],
        [1, 'InProgress'],
        [99, 'InProgress'],
        [100, 'Completed'],
      ] as const) {
        expect(await fieldsOf(await create({ subject: 'S', percent_complete: percent }))).toMatchObject({
          percentComplete: percent,
          status,
        });
      }
      for (const bad of [-1, 101, 1000]) {
        await refused(
          () => create({ subject: 'S', percent_complete: bad }),
          50407,
          `rc_CreateTask: @percent_complete "${bad}" is not valid`,
        );
      }
    });

    test.each([
      ['Completed', null, 'Completed', 100],
      ['NotStarted', null, 'NotStarted', 0],
      ['InProgress', null, 'InProgress', 0],
      ['WaitingOnOthers', null, 'WaitingOnOthers', 0],
      ['Deferred', null, 'Deferred', 0],
      ['Completed', 100, 'Completed', 100],
      ['InProgress', 0, 'InProgress', 0],
      ['Deferred', 60, 'Deferred', 60],
      ['NotStarted', 0, 'NotStarted', 0],
    ])('status %s with percent %s → %s, %i', async (status, percent, expectedStatus, expectedPercent) => {
      const fields = await fieldsOf(await create({ subject: 'S', status, percent_complete: percent }));
      expect(fields).toMatchObject({ status: expectedStatus, percentComplete: expectedPercent });
    });

    test.each([
      ['Completed', 99],
      ['Completed', 0],
      ['InProgress', 100],
      ['WaitingOnOthers', 100],
      ['NotStarted', 1],
      ['NotStarted', 100],
    ])('status %s with percent %i contradict each other (50408)', async (status, percent) => {
      await refused(
        () => create({ subject: 'S', status, percent_complete: percent }),
        50408,
        `rc_CreateTask: @status "${status}" and @percent_complete ${percent} contradict each other`,
      );
    });

    test('reminder_time: kept to the second in UTC, years 1601 … 4500 (50409 outside)', async () => {
      for (const [input, stored] of [
        ['2026-03-29T01:59:59.999Z', '2026-03-29T01:59:59Z'],
        ['2026-10-25T02:30:00+01:00', '2026-10-25T01:30:00Z'],
        ['2026-01-01T00:00:00-14:00', '2026-01-01T14:00:00Z'],
        ['1601-01-01T00:00:00Z', '1601-01-01T00:00:00Z'],
        ['4500-12-31T23:59:59Z', '4500-12-31T23:59:59Z'],
      ]) {
        expect((await fieldsOf(await create({ subject: 'S', reminder_time: input }))).reminderAt).toBe(
          stored,
        );
      }
      for (const bad of ['1600-12-31T23:59:59Z', '4501-01-01T00:00:00Z']) {
        await refused(
          () => create({ subject: 'S', reminder_time: bad }),
          50409,
          'rc_CreateTask: @reminder_time "',
        );
      }
    });

    test('categories: the shared rules (50055)', async () => {
      await refused(
        () => create({ subject: 'S', categories: 'c'.repeat(256) }),
        50055,
        'rc_CreateTask: the category',
      );
      expect((await fieldsOf(await create({ subject: 'S', categories: ' ; ' }))).categories).toEqual([]);
    });

    test('folder_name and target_profile: named, public, another mailbox; their errors', async () => {
      expect((await fx.payloadOf(await create({ subject: 'S', folder_name: 'Production' }))).folder).toEqual({
        owner: null,
        location: { kind: 'named', name: 'Production' },
      });
      expect(
        (await fx.payloadOf(await create({ subject: 'S', folder_name: 'public:Shop floor' }))).folder,
      ).toEqual({
        owner: null,
        location: { kind: 'public', path: 'Shop floor' },
      });
      const target = await fx.newProfile();
      expect(
        (await fx.payloadOf(await create({ subject: 'S', target_profile: target.name }))).folder,
      ).toEqual({
        owner: target.smtpAddress,
        location: { kind: 'default' },
      });
      await refused(() => create({ subject: 'S', folder_name: '/x' }), 50050, 'rc_CreateTask: @folder_name');
      await refused(
        () => create({ subject: 'S', folder_name: 'public:x', target_profile: target.name }),
        50054,
      );
      await refused(() => create({ subject: 'S', target_profile: `nobody_${fx.run}` }), 50051);
    });

    itemCases.createCallCases(suite);
  });

  describe('rc_UpdateTask', () => {
    let created: string;
    const createKey = `updt-${Math.random().toString(36).slice(2)}`;

    beforeAll(async () => {
      created = await create({ subject: 'Call', correlation_key: createKey });
    });

    test('only the given fields; TargetJobId by job or key; itemId by item_id; force → overwrite', async () => {
      const id = await update({ target_job_id: created, importance: 'low' });
      expect(await job(id)).toEqual(fx.pendingJob('UpdateTask', profile, created));
      expect(await fx.payloadOf(id)).toEqual({
        itemId: null,
        fields: { importance: 'Low' },
        onConflict: 'fail',
      });
      const byKey = await update({ correlation_key: createKey, subject: 'New', force: true });
      expect((await job(byKey))?.targetjobid).toBe(created);
      expect(await fx.payloadOf(byKey)).toEqual({
        itemId: null,
        fields: { subject: 'New' },
        onConflict: 'overwrite',
      });
      const byItem = await update({ item_id: 'AAMkTask=', due_date: '2026-06-01' });
      expect(await fx.payloadOf(byItem)).toEqual({
        itemId: 'AAMkTask=',
        fields: { dueDate: '2026-06-01' },
        onConflict: 'fail',
      });
    });

    test('body carries its format; body_format alone is refused (50410)', async () => {
      expect(
        await fieldsOf(await update({ target_job_id: created, body: '<b>x</b>', body_format: 'html' })),
      ).toEqual({
        body: '<b>x</b>',
        bodyType: 'HTML',
      });
      expect(await fieldsOf(await update({ target_job_id: created, body: 'plain' }))).toEqual({
        body: 'plain',
        bodyType: 'Text',
      });
      expect(await fieldsOf(await update({ target_job_id: created, body: '' }))).toEqual({
        body: '',
        bodyType: 'Text',
      });
      await refused(
        () => update({ target_job_id: created, body_format: 'HTML' }),
        50410,
        'rc_UpdateTask: @body_format without @body',
      );
    });

    test('status and percent: Completed adds 100, NotStarted adds 0, 100 adds Completed; others alone stay alone', async () => {
      expect(await fieldsOf(await update({ target_job_id: created, status: 'completed' }))).toEqual({
        status: 'Completed',
        percentComplete: 100,
      });
      expect(await fieldsOf(await update({ target_job_id: created, status: 'NotStarted' }))).toEqual({
        status: 'NotStarted',
        percentComplete: 0,
      });
      expect(await fieldsOf(await update({ target_job_id: created, percent_complete: 100 }))).toEqual({
        status: 'Completed',
        percentComplete: 100,
      });
      expect(await fieldsOf(await update({ target_job_id: created, percent_complete: 30 }))).toEqual({
        percentComplete: 30,
      });
      expect(await fieldsOf(await update({ target_job_id: created, status: 'Deferred' }))).toEqual({
        status: 'Deferred',
      });
      await refused(
        () => update({ target_job_id: created, status: 'Completed', percent_complete: 50 }),
        50408,
      );
      await refused(() => update({ target_job_id: created, percent_complete: 101 }), 50407);
      await refused(() => update({ target_job_id: created, status: '' }), 50406);
    });

    test("clearing: '' for body and categories, clear_fields for dates and reminder; not for the rest (50412)", async () => {
      expect(
        await fieldsOf(
          await update({
            target_job_id: created,
            categories: '',
            clear_fields: 'start_date,@due_date;REMINDER_TIME',
          }),
        ),
      ).toEqual({ categories: [], startDate: null, dueDate: null, reminderAt: null });
      expect(await fieldsOf(await update({ target_job_id: created, clear_fields: 'body' }))).toEqual({
        body: '',
        bodyType: 'Text',
      });
      for (const name of ['subject', 'status', 'percent_complete', 'importance', 'body_format', 'nothing']) {
        await refused(
          () => update({ target_job_id: created, clear_fields: name }),
          50412,
          `rc_UpdateTask: @clear_fields names "${name}", which is not a task field that can be cleared`,
        );
      }
      await refused(
        () => update({ target_job_id: created, due_date: '2026-01-01', clear_fields: 'due_date' }),
        50412,
        'which is also given a value',
      );
      await refused(
        () => update({ target_job_id: created, subject: '' }),
        50403,
        'rc_UpdateTask: @subject is missing',
      );
      await refused(() => update({ target_job_id: created, subject: '   ' }), 50403);
      await refused(() => update({ target_job_id: created }), 50411, 'rc_UpdateTask: nothing to change');
    });

    test('the create rules apply to every given field', async () => {
      expect(
        await fieldsOf(
          await update({
            target_job_id: created,
            start_date: '2026-05-01',
            due_date: '2026-05-02',
            reminder_time: '2026-05-01T08:00:00+02:00',
            importance: 'High',
          }),
        ),
      ).toEqual({
        startDate: '2026-05-01',
        dueDate: '2026-05-02',
        reminderAt: '2026-05-01T06:00:00Z',
        importance: 'High',
      });
      await refused(() => update({ target_job_id: created, subject: 's'.repeat(256) }), 50023);
      await refused(() => update({ target_job_id: created, body: 'b'.repeat(MAX_BODY + 1) }), 50025);
      await refused(() => update({ target_job_id: created, body: 'x', body_format: 'rtf' }), 50020);
      await refused(() => update({ target_job_id: created, importance: 'urgent' }), 50021);
      await refused(() => update({ target_job_id: created, start_date: '1500-01-01' }), 50404);
      await refused(
        () => update({ target_job_id: created, start_date: '2026-05-03', due_date: '2026-05-02' }),
        50405,
      );
      await refused(() => update({ target_job_id: created, reminder_time: '1500-01-01T00:00:00Z' }), 50409);
      await refused(() => update({ target_job_id: created, categories: 'c'.repeat(256) }), 50055);
    });

    itemCases.updateReferenceCases(suite);
  });

  describe('rc_DeleteTask', () => {
    itemCases.deleteCases(suite);
  });

  describe('the field helper through rc_SyncFolder items (JSON-only rules)', () => {
    const sync = (item: unknown) =>
      fx.owner.call('rc_SyncFolder', {
        profile_name: profile.name,
        kind: 'tasks',
        items: [{ external_key: 't1', item: item as Record<string, unknown> }],
      });
    const fieldsOfSync = async (id: string) =>
      ((await fx.payloadOf(id)).items as Array<{ fields: Record<string, unknown> }>)[0]!.fields;

    test('percent as a JSON number or digits, dates and instants as text, keys in any case', async () => {
      const id = (await sync({
        SUBJECT: 'S',
        percent_complete: 50,
        due_date: '2026-05-04',
        reminder_time: '2026-05-03t07:30:00z',
      })) as string;
      expect(await fieldsOfSync(id)).toMatchObject({
        subject: 'S',
        percentComplete: 50,
        status: 'InProgress',
        dueDate: '2026-05-04',
        reminderAt: '2026-05-03T07:30:00Z',
      });
      expect(
        await fieldsOfSync((await sync({ subject: 'S', percent_complete: ' 100 ' })) as string),
      ).toMatchObject({
        percentComplete: 100,
        status: 'Completed',
      });
    });

    test('JSON-only errors: 50401 key, 50402 type, 50404 date text, 50407 percent form, 50409 instant text', async () => {
      await refused(
        () => sync({ subject: 'S', owner: 'x' }),
        50401,
        'the key "owner", which is not a task field',
      );
      await refused(() => sync({ subject: 'S', Subject: 'T' }), 50401, 'twice');
      await refused(() => sync({ subject: 1 }), 50402, 'the value of "subject" is a JSON number');
      await refused(
        () => sync({ subject: 'S', status: null, importance: false }),
        50402,
        'is a JSON boolean',
      );
      for (const bad of ['2026-02-30', '2026-5-4', '04.05.2026']) {
        await refused(() => sync({ subject: 'S', due_date: bad }), 50404, `@due_date "${bad}" is not a date`);
      }
      for (const bad of [50.5, -1, '1e2', 'fifty', '']) {
        await refused(() => sync({ subject: 'S', percent_complete: bad }), 50407, '@percent_complete');
      }
      for (const bad of [
        '2026-05-03T07:30:00',
        '2026-05-03 07:30:00Z',
        '2026-05-03T07:30Z',
        '2026-05-03T24:00:00Z',
        '2026-05-03T07:30:00+15:00',
        '2026-02-30T07:30:00Z',
        '2026-05-03T07:30:00.12345678Z',
      ]) {
        await refused(
          () => sync({ subject: 'S', reminder_time: bad }),
          50409,
          `@reminder_time "${bad}" is not a point in time`,
        );
      }
    });
  });
});
