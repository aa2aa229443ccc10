/**
 * rc_SyncFolder, one suite for every configured database: every parameter (valid, each invalid form, the
 * boundaries), the payload the worker reads, idempotency by correlation key, superseding older sets, and that a
 * refused call writes nothing. The items' field rules belong to the kinds' helpers (tested with
 * rc_CreateContact / rc_CreateTask / rc_CreateAppointment); here: that they are applied per item, with the item
 * named in the message.
 */
import type { SyncItemParam } from '../../worker/db/api-client';
import type { ApiParams } from './api-driver';
import { expectApiError, factories, useApiFixture, type Profile } from './conformance-fixture';

const contact = (key: string, fields: Record<string, unknown> = { company_name: `Company ${key}` }) => ({
  external_key: key,
  item: fields,
});

describe.each(factories)('rc_SyncFolder on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  let profile: Profile;
  let principalCounter = 0;

  beforeAll(async () => {
    profile = await fx.newProfile();
  });

  const sync = (params: ApiParams) =>
    fx.owner.call('rc_SyncFolder', { profile_name: profile.name, kind: 'contacts', ...params });

  /** A refused call: the documented error, and not one row written. */
  const refused = async (params: ApiParams, number: number, ...mentions: string[]) => {
    const before = await fx.totals();
    const error = await expectApiError(sync(params), number, ...mentions);
    expect(await fx.totals()).toEqual(before);
    return error;
  };

  const status = async (jobId: string) =>
    (await fx.owner.select('SELECT Status FROM rc.Jobs WHERE JobId = ?', [jobId]))[0]?.status;

  const itemsOf = async (jobId: string) =>
    (await fx.payloadOf(jobId)).items as Array<{ externalKey: string; fields: Record<string, unknown> }>;

  describe('the job and its payload', () => {
    test('queues one Pending SyncFolder job with folder, kind, setKey and every item with all its fields', async () => {
      const id = (await sync({
        items: [
          contact('cust-2', { given_name: 'Bob', surname: 'Berg', email_address1: 'bob@example.com' }),
          contact('cust-1', { company_name: 'ACME' }),
        ],
      })) as string;
      expect(id).toMatch(/^\d+$/);
      const [job] = await fx.owner.select(
        'SELECT Kind, MailboxId, Status, CreatedBy, CorrelationKey, TargetJobId FROM rc.Jobs WHERE JobId = ?',
        [id],
      );
      expect(job).toEqual({
        kind: 'SyncFolder',
        mailboxid: Number(profile.id),
        status: 'Pending',
        createdby: fx.db.ownerPrincipal,
        correlationkey: null,
        targetjobid: null,
      });
      const payload = await fx.payloadOf(id);
      expect(Object.keys(payload).sort()).toEqual(['folder', 'items', 'kind', 'setKey']);
      expect(payload).toMatchObject({
        folder: { owner: null, location: { kind: 'default' } },
        kind: 'contacts',
        setKey: `contacts:${profile.smtpAddress}:default`,
      });
      const items = await itemsOf(id);
      expect(items.map((i) => i.externalKey)).toEqual(['cust-1', 'cust-2']);
      expect(items[0]!.fields).toMatchObject({ companyName: 'ACME', displayName: 'ACME', givenName: null });
      expect(items[1]!.fields).toMatchObject({
        givenName: 'Bob',
        surname: 'Berg',
        displayName: 'Bob Berg',
        emailAddress1: 'bob@example.com',
        categories: [],
      });
      // Create semantics: every key of ContactFields is present.
      expect(Object.keys(items[0]!.fields).sort()).toEqual(Object.keys(items[1]!.fields).sort());
      expect(Object.keys(items[0]!.fields)).toHaveLength(20);
      const events = await fx.owner.select('SELECT EventType, Status FROM rc.JobEvents WHERE JobId = ?', [
        id,
      ]);
      expect(events).toEqual([{ eventtype: 'enqueued', status: 'Pending' }]);
    });

    test.each([
      ['contacts', ' Contacts '],
      ['calendar', 'CALENDAR'],
      ['tasks', 'Tasks'],
    ])('@kind %s in any case and with spaces (%j)', async (canonical, given) => {
      const item =
        canonical === 'contacts'
          ? { company_name: 'ACME' }
          : canonical === 'tasks'
            ? { subject: 'Call back' }
            : { subject: 'Shift', start_time: '2026-05-04T06:00:00Z', end_time: '2026-05-04T14:00:00Z' };
      const id = (await sync({ kind: given, items: [{ external_key: 'k1', item }] })) as string;
      const payload = await fx.payloadOf(id);
      expect(payload.kind).toBe(canonical);
      expect(payload.setKey).toBe(`${canonical}:${profile.smtpAddress}:default`);
      expect((payload.items as unknown[]).length).toBe(1);
    });

    test('a named folder, a public folder and another profile’s folder each get their own setKey', async () => {
      const target = await fx.newProfile();
      const named = (await sync({ folder_name: ' Customers / North ', items: [contact('a')] })) as string;
      expect(await fx.payloadOf(named)).toMatchObject({
        folder: { owner: null, location: { kind: 'named', name: 'Customers/North' } },
        setKey: `contacts:${profile.smtpAddress}:named:customers/north`,
      });
      const pub = (await sync({ folder_name: 'public:Sales/Customers', items: [contact('a')] })) as string;
      expect(await fx.payloadOf(pub)).toMatchObject({
        folder: { owner: null, location: { kind: 'public', path: 'Sales/Customers' } },
        setKey: 'contacts:public:sales/customers',
      });
      const other = (await sync({ target_profile: target.name, items: [contact('a')] })) as string;
      expect(await fx.payloadOf(other)).toMatchObject({
        folder: { owner: target.smtpAddress, location: { kind: 'default' } },
        setKey: `contacts:${target.smtpAddress}:default`,
      });
      // The owner's own profile as target is the own mailbox: the same set as no target.
      const own = (await sync({ target_profile: profile.name, items: [contact('a')] })) as string;
      expect((await fx.payloadOf(own)).setKey).toBe(`contacts:${profile.smtpAddress}:default`);
    });

    test('@folder is accepted for @folder_name (the issue’s spelling); both given → 50501', async () => {
      const id = (await sync({ folder: 'Customers', items: [contact('a')] })) as string;
      expect((await fx.payloadOf(id)).folder).toEqual({
        owner: null,
        location: { kind: 'named', name: 'Customers' },
      });
      await refused(
        { folder: 'Customers', folder_name: 'Customers', items: [contact('a')] },
        50501,
        'rc_SyncFolder: @folder and @folder_name are both given.',
      );
    });

    test('external keys are exact: case and spaces make different keys; order in the payload is binary', async () => {
      const id = (await sync({
        items: [contact('a'), contact('A'), contact('a '), contact(' a'), contact('b')],
      })) as string;
      expect((await itemsOf(id)).map((i) => i.externalKey)).toEqual([' a', 'A', 'a', 'a ', 'b']);
    });

    test('5000 items are accepted; 200-character keys are accepted', async () => {
      const items: SyncItemParam[] = Array.from({ length: 5000 }, (_, i) =>
        contact(`k${String(i).padStart(5, '0')}`),
      );
      items[0] = contact('x'.repeat(200));
      const id = (await sync({ items })) as string;
      const stored = await itemsOf(id);
      expect(stored).toHaveLength(5000);
      expect(stored.some((i) => i.externalKey === 'x'.repeat(200))).toBe(true);
    }, 120000);

    test('an empty set with @allow_empty = 1 is queued (it empties the set in the folder)', async () => {
      const id = (await sync({ items: [], allow_empty: true })) as string;
      expect(await itemsOf(id)).toEqual([]);
    });
  });

  // PostgreSQL takes @items as jsonb: the shapes jsonb allows beyond T-SQL's table rows.
  (_dialect === 'postgres' ? describe : describe.skip)('jsonb @items (PostgreSQL)', () => {
    const raw = (items: string) =>
      fx.owner.select(
        "SELECT rc.rc_syncfolder(profile_name => ?, kind => 'contacts', items => ?::jsonb) AS id",
        [profile.name, items],
      );

    test('a single object is a one-element set; an item given as a string holding an object is that object', async () => {
      const [one] = await raw('{"external_key": "k1", "item": {"company_name": "Solo"}}');
      expect((await itemsOf(String(one!.id))).map((i) => i.externalKey)).toEqual(['k1']);
      const [text] = await raw('[{"external_key": "k2", "item": "{\\"company_name\\": \\"Quoted\\"}"}]');
      expect((await itemsOf(String(text!.id)))[0]!.fields).toMatchObject({ companyName: 'Quoted' });
    });

    test('JSON null is no set; an element that is not an object has no key; a string that is not JSON is no object', async () => {
      await expectApiError(raw('null'), 50507);
      await expectApiError(raw('[{"external_key": "k1", "item": {"company_name": "A"}}, "k2"]'), 50502);
      await expectApiError(
        raw('[{"external_key": "k1", "item": "not json"}]'),
        50300,
        'rc_SyncFolder: item "k1": ',
      );
      // A number as key is its text, as in a T-SQL nvarchar column.
      const [num] = await raw('[{"external_key": 17, "item": {"company_name": "N"}}]');
      expect((await itemsOf(String(num!.id))).map((i) => i.externalKey)).toEqual(['17']);
    });
  });

  describe('correlation key and superseded sets', () => {
    test('the same correlation key returns the first job and writes nothing; 200 characters are fine', async () => {
      const key = `sync-${fx.run}-${'k'.repeat(180)}`.slice(0, 200);
      const first = await sync({ items: [contact('a')], correlation_key: key });
      const before = await fx.totals();
      const again = await sync({ items: [contact('b')], correlation_key: key });
      expect(again).toBe(first);
      expect(await fx.totals()).toEqual(before);
    });

    test('@correlation_key longer than 200 → 50024', async () => {
      await refused(
        { items: [contact('a')], correlation_key: 'k'.repeat(201) },
        50024,
        'rc_SyncFolder: @correlation_key is 201 characters long',
      );
    });

    test('a new set cancels the not yet started older jobs of the same folder, and only those', async () => {
      const p = await fx.newProfile();
      const setKey = `contacts:${p.smtpAddress}:default`;
      /** An older SyncFolder job in a given state, inserted directly. */
      const older = async (state: string, key = setKey, mailbox = p) => {
        await fx.owner.select(
          'INSERT INTO rc.Jobs (Kind, MailboxId, Payload, CreatedBy, Status, Attempts) VALUES (?, ?, ?, ?, ?, ?)',
          [
            'SyncFolder',
            Number(mailbox.id),
            JSON.stringify({ setKey: key }),
            'conformance',
            state,
            state === 'Retrying' ? 1 : 0,
          ],
        );
        return String(await fx.count('SELECT MAX(JobId) AS n FROM rc.Jobs'));
      };
      const pending = await older('Pending');
      const queued = await older('Queued');
      const retrying = await older('Retrying');
      const running = await older('Running');
      const failed = await older('Failed');
      const otherFolder = await older('Pending', `contacts:${p.smtpAddress}:named:elsewhere`);
      const otherKind = await older('Pending', `tasks:${p.smtpAddress}:default`);
      const otherProfile = await older('Pending', setKey, profile);
      const newest = (await fx.owner.call('rc_SyncFolder', {
        profile_name: p.name,
        kind: 'contacts',
        items: [contact('a')],
      })) as string;
      const ids = [pending, queued, retrying, running, failed, otherFolder, otherKind, otherProfile, newest];
      expect(await Promise.all(ids.map(status))).toEqual([
        'Cancelled',
        'Cancelled',
        'Cancelled',
        'Running',
        'Failed',
        'Pending',
        'Pending',
        'Pending',
        'Pending',
      ]);
      const events = await fx.owner.select(
        "SELECT JobId, Attempt, Status, Message FROM rc.JobEvents WHERE EventType = 'cancelled' AND JobId IN (?, ?, ?, ?, ?, ?, ?, ?) ORDER BY JobId",
        ids.slice(0, 8),
      );
      expect(events.map((e) => [String(e.jobid), e.attempt, e.status, e.message])).toEqual([
        [pending, 0, 'Cancelled', `superseded by rc_SyncFolder job ${newest} (was Pending)`],
        [queued, 0, 'Cancelled', `superseded by rc_SyncFolder job ${newest} (was Queued)`],
        [retrying, 1, 'Cancelled', `superseded by rc_SyncFolder job ${newest} (was Retrying)`],
      ]);
      // Neither the superseded nor the failed older job can be retried over the newer set.
      await expectApiError(
        fx.owner.call('rc_RetryJob', { job_id: failed }),
        50605,
        `newer SyncFolder job ${newest}`,
      );
      await expectApiError(
        fx.owner.call('rc_RetryJob', { job_id: pending }),
        50605,
        `newer SyncFolder job ${newest}`,
      );
    });

    test("joins the caller's transaction: a rollback leaves neither the job nor the cancel of an older set", async () => {
      const p = await fx.newProfile();
      const older = (await fx.owner.call('rc_SyncFolder', {
        profile_name: p.name,
        kind: 'contacts',
        items: [contact('a')],
      })) as string;
      const before = await fx.totals();
      await fx.owner.inRolledBackTransaction(async (tx) => {
        await tx.call('rc_SyncFolder', { profile_name: p.name, kind: 'contacts', items: [contact('b')] });
      });
      expect(await fx.totals()).toEqual(before);
      expect(await status(older)).toBe('Pending');
    });
  });

  describe('refused calls write nothing', () => {
    test.each([
      ['missing', 50001, {}, 'rc_SyncFolder: @profile_name is missing'],
      ['unknown', 50002, { profile_name: 'no such profile' }, 'does not exist'],
    ])('@profile_name %s → %d', async (_case, number, params, text) => {
      const before = await fx.totals();
      await expectApiError(
        fx.owner.call('rc_SyncFolder', { kind: 'contacts', items: [contact('a')], ...params }),
        number,
        text,
      );
      expect(await fx.totals()).toEqual(before);
    });

    test('a disabled profile → 50003; the send right alone → 50004 (write is needed)', async () => {
      const p = await fx.newProfile();
      await fx.owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [false, Number(p.id)]);
      await expectApiError(
        fx.owner.call('rc_SyncFolder', { profile_name: p.name, kind: 'contacts', items: [contact('a')] }),
        50003,
      );
      const name = `sf${++principalCounter}_${fx.run}`;
      await fx.owner.call('rc_GrantMailbox', {
        principal: name,
        profile_name: profile.name,
        can_send: true,
        can_write: false,
        can_read: true,
      });
      const session = await fx.db.as(name);
      await expectApiError(
        session.call('rc_SyncFolder', {
          profile_name: profile.name,
          kind: 'contacts',
          items: [contact('a')],
        }),
        50004,
        'has no write right (can_write)',
      );
    });

    test.each([
      ['not passed', {}, 'rc_SyncFolder: @kind is missing. Pass contacts, calendar or tasks.'],
      ['NULL', { kind: null }, '@kind is missing'],
      ['blank', { kind: '  ' }, '@kind is missing'],
      [
        'singular',
        { kind: 'contact' },
        'rc_SyncFolder: @kind "contact" is not valid. Use contacts, calendar or tasks.',
      ],
      ['another word', { kind: 'appointments' }, '@kind "appointments" is not valid'],
    ])('@kind %s → 50500', async (_case, params, text) => {
      const before = await fx.totals();
      await expectApiError(
        fx.owner.call('rc_SyncFolder', { profile_name: profile.name, items: [contact('a')], ...params }),
        50500,
        text,
      );
      expect(await fx.totals()).toEqual(before);
    });

    test.each([
      ['@folder_name', { folder_name: 'a//b' }],
      ['@folder', { folder: 'a//b' }],
    ])('an invalid folder name in %s → 50050 naming that parameter', async (param, params) => {
      await refused(
        { items: [contact('a')], ...params },
        50050,
        `rc_SyncFolder: ${param} "a//b" is not a valid folder name`,
      );
    });

    test('folder target errors pass through: public folder with a target 50054, unknown target 50051', async () => {
      const target = await fx.newProfile();
      await refused(
        { folder_name: 'public:Sales', target_profile: target.name, items: [contact('a')] },
        50054,
      );
      await refused({ target_profile: `nope_${fx.run}`, items: [contact('a')] }, 50051);
    });

    test.each([
      ['not passed', {}],
      ['empty', { items: [] }],
      ['empty with @allow_empty NULL', { items: [], allow_empty: null }],
      ['empty with @allow_empty 0', { items: [], allow_empty: false }],
    ])('@items %s → 50507', async (_case, params) => {
      await refused(params, 50507, 'rc_SyncFolder: @items is empty, which would delete every item');
    });

    test('5001 items → 50506 (checked before any item is validated)', async () => {
      const items = Array.from({ length: 5001 }, (_, i) => contact(`k${i}`, { surname: 123 }));
      await refused({ items }, 50506, 'rc_SyncFolder: @items holds 5001 items, at most 5000 are allowed.');
    }, 60000);

    test.each([
      ['NULL', null],
      ['empty', ''],
      ['blank', '   '],
    ])('an external_key %s → 50502', async (_case, key) => {
      await refused(
        { items: [contact('a'), { external_key: key, item: { company_name: 'X' } }] },
        50502,
        'rc_SyncFolder: an @items row has no external_key (NULL or blank).',
      );
    });

    test('an external_key of 201 characters → 50503 naming its start', async () => {
      const key = `${'y'.repeat(50)}${'z'.repeat(151)}`;
      await refused(
        { items: [contact('a'), contact(key)] },
        50503,
        `rc_SyncFolder: the external_key "${'y'.repeat(40)}…" is 201 characters long, at most 200 are allowed.`,
      );
    });

    test('the same external_key twice → 50504 naming it and the count', async () => {
      await refused(
        { items: [contact('b'), contact('dup'), contact('a'), contact('dup'), contact('dup')] },
        50504,
        'rc_SyncFolder: the external_key "dup" occurs 3 times in @items.',
      );
    });

    test('an item that breaks a field rule → the helper’s number, the message naming the item; the first key in order wins', async () => {
      await refused(
        {
          items: [
            contact('k3', { given_name: 'A', email_address1: 'not-an-address' }),
            contact('k2', { given_name: 'B', email_address1: 'also wrong' }),
            contact('k1', { given_name: 'C' }),
          ],
        },
        50305,
        'rc_SyncFolder: item "k2": ',
        'also wrong',
      );
      await refused({ items: [contact('k1', { nickname: 'x' })] }, 50301, 'rc_SyncFolder: item "k1": ');
      await refused({ items: [contact('k1', {})] }, 50303, 'rc_SyncFolder: item "k1": ');
      await refused(
        { items: [{ external_key: 'k1', item: null }] },
        50300,
        'rc_SyncFolder: item "k1": the item is not a JSON object',
      );
    });

    test('items of the other kinds are validated by their kind’s rules', async () => {
      await refused(
        { kind: 'tasks', items: [{ external_key: 't1', item: { subject: 'x', percent_complete: '150' } }] },
        50407,
        'rc_SyncFolder: item "t1": ',
      );
      await refused(
        {
          kind: 'calendar',
          items: [{ external_key: 'c1', item: { subject: 'x', end_time: '2026-05-04T14:00:00Z' } }],
        },
        50203,
        'rc_SyncFolder: item "c1": ',
      );
      // A contact's keys are not a task's.
      await refused(
        { kind: 'tasks', items: [contact('t1', { given_name: 'Ann' })] },
        50401,
        'rc_SyncFolder: item "t1": ',
      );
    });
  });
});
