/**
 * rc_CreateAppointment, rc_UpdateAppointment, rc_DeleteAppointment and their field helper, one suite for every
 * configured database: every parameter (valid, each invalid form, the boundaries), the payload the worker reads
 * (parsed with the worker's own zod schema, so SQL and worker cannot drift apart), idempotency, that a refused
 * call writes nothing, and the helper's JSON-item contract rc_SyncFolder relies on (wall-clock times, types).
 */
import { appointmentFieldsSchema } from '../../worker/jobs/appointment-fields-schema';
import type { ApiParams, ApiSession } from './api-driver';
import { expectApiError, factories, useApiFixture, type Profile } from './conformance-fixture';

const START = '2026-05-04T09:00:00+02:00';
const END = '2026-05-04T10:00:00+02:00';
const MAX_BODY = 35 * 1024 * 1024;

/** The fields of a create call with only the times given (the defaults). */
const DEFAULT_FIELDS = {
  subject: '',
  body: '',
  bodyType: 'Text',
  start: '2026-05-04T07:00:00Z',
  end: '2026-05-04T08:00:00Z',
  timeZone: 'UTC',
  isAllDay: false,
  location: null,
  showAs: 'Busy',
  sensitivity: 'Normal',
  reminderMinutes: null,
  categories: [],
  requiredAttendees: [],
  optionalAttendees: [],
  resources: [],
  recurrence: null,
};

const addresses = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@example.com`).join(';');

describe.each(factories)('appointments API on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  const { refused, job } = fx;
  let profile: Profile;

  beforeAll(async () => {
    profile = await fx.newProfile();
  });

  const create = (params: ApiParams, session?: ApiSession) =>
    (session ?? fx.owner).call('rc_CreateAppointment', {
      profile_name: profile.name,
      start_time: START,
      end_time: END,
      ...params,
    }) as Promise<string>;
  const update = (params: ApiParams) =>
    fx.owner.call('rc_UpdateAppointment', { profile_name: profile.name, ...params }) as Promise<string>;
  const remove = (params: ApiParams) =>
    fx.owner.call('rc_DeleteAppointment', { profile_name: profile.name, ...params }) as Promise<string>;

  /** The payload's fields, checked against the worker's schema first. */
  const fieldsOf = async (jobId: string) => {
    const fields = (await fx.payloadOf(jobId)).fields;
    expect(appointmentFieldsSchema.safeParse(fields).error).toBeUndefined();
    return fields as Record<string, unknown>;
  };

  describe('rc_CreateAppointment: the job and its payload', () => {
    test('queues one Pending CreateAppointment job with an enqueued event and every field at its default', async () => {
      const id = await create({});
      expect(id).toMatch(/^\d+$/);
      expect(await job(id)).toEqual(fx.pendingJob('CreateAppointment', profile));
      expect(await fx.payloadOf(id)).toEqual({
        folder: { owner: null, location: { kind: 'default' } },
        fields: DEFAULT_FIELDS,
        meetingNotice: 'all',
      });
      await fieldsOf(id);
      const events = await fx.owner.select(
        'SELECT EventType, Status, Attempt, Code FROM rc.JobEvents WHERE JobId = ?',
        [id],
      );
      expect(events).toEqual([{ eventtype: 'enqueued', status: 'Pending', attempt: null, code: null }]);
    });

    test('stores every parameter normalised', async () => {
      const id = await create({
        profile_name: `  ${profile.name.toUpperCase()} `,
        subject: '  Plan & <review> ',
        body: '<p>Agenda</p>',
        body_format: 'html',
        start_time: '2026-03-28T09:00:00+01:00',
        end_time: '2026-03-30T17:30:00.250+02:00',
        time_zone: ' europe/BERLIN ',
        location: 'Hall 3',
        required_attendees: ' a@example.com ; b@example.org,',
        optional_attendees: 'c@example.net',
        resources: 'room1@example.com',
        recurrence:
          '{"Pattern": {"TYPE": "Weekly", "interval": 2, "daysOfWeek": ["monday", "FRIDAY"], "firstDayOfWeek": "monday"}, "range": {"type": "ENDDATE", "endDate": "2026-06-30"}}',
        send_invitations: ' NONE ',
        reminder_minutes: 30,
        categories: 'Plan; Red,plan',
        show_as: 'oof',
        sensitivity: 'private',
        calendar_name: ' Production plan ',
        correlation_key: `plan-${fx.run}`,
      });
      expect(await fx.payloadOf(id)).toEqual({
        folder: { owner: null, location: { kind: 'named', name: 'Production plan' } },
        fields: {
          subject: '  Plan & <review> ',
          body: '<p>Agenda</p>',
          bodyType: 'HTML',
          start: '2026-03-28T08:00:00Z',
          end: '2026-03-30T15:30:00.250Z',
          timeZone: 'W. Europe Standard Time',
          isAllDay: false,
          location: 'Hall 3',
          showAs: 'OOF',
          sensitivity: 'Private',
          reminderMinutes: 30,
          categories: ['Plan', 'Red'],
          requiredAttendees: ['a@example.com', 'b@example.org'],
          optionalAttendees: ['c@example.net'],
          resources: ['room1@example.com'],
          recurrence: {
            pattern: {
              type: 'weekly',
              interval: 2,
              daysOfWeek: ['Monday', 'Friday'],
              firstDayOfWeek: 'Monday',
            },
            range: { type: 'endDate', startDate: '2026-03-28', endDate: '2026-06-30' },
          },
        },
        meetingNotice: 'none',
      });
      await fieldsOf(id);
      expect((await job(id))?.correlationkey).toBe(`plan-${fx.run}`);
    });

    test('joins the caller’s transaction: a rolled-back caller enqueues nothing', async () => {
      const before = await fx.totals();
      await fx.owner.inRolledBackTransaction(async (session) => {
        expect(await create({ subject: 'rolled back' }, session)).toMatch(/^\d+$/);
      });
      expect(await fx.totals()).toEqual(before);
    });

    test('the same correlation key for the profile returns the first job and writes nothing', async () => {
      const key = `same-${fx.run}`;
      const first = await create({ subject: 'first', correlation_key: key });
      const before = await fx.totals();
      expect(await create({ subject: 'second', correlation_key: key })).toBe(first);
      expect(await fx.totals()).toEqual(before);
      expect((await fieldsOf(first)).subject).toBe('first');
      // '' is no key; 200 characters are fine; another profile may use the same key.
      const none = await create({ correlation_key: '' });
      expect((await job(none))?.correlationkey).toBeNull();
      const long = 'k'.repeat(199) + fx.run.slice(0, 1);
      expect(await create({ correlation_key: long })).toMatch(/^\d+$/);
      const other = await fx.newProfile();
      expect(await create({ profile_name: other.name, correlation_key: key })).not.toBe(first);
    });
  });

  describe('rc_CreateAppointment: times and time zones', () => {
    test.each([
      ['a Windows id in any case', 'w. EUROPE standard time', 'W. Europe Standard Time'],
      ['an IANA id', 'Europe/Zurich', 'W. Europe Standard Time'],
      ['a renamed IANA id', 'Asia/Kolkata', 'India Standard Time'],
      ['CLDR’s old spelling', 'Asia/Calcutta', 'India Standard Time'],
      ['Etc/UTC', 'Etc/UTC', 'UTC'],
      ['NULL', null, 'UTC'],
    ])('@time_zone as %s → %s', async (_what, given, windowsId) => {
      const id = await create({ time_zone: given });
      expect((await fieldsOf(id)).timeZone).toBe(windowsId);
    });

    test.each([
      ['unknown', 'Mars/Olympus_Mons'],
      ['a display name', 'W. Europe'],
      ['empty', ''],
    ])('50206 for a time zone that is %s', async (_what, zone) => {
      await refused(() => create({ time_zone: zone }), 50206, `"${zone}"`, 'rc.TimeZones');
    });

    test('instants survive exactly across the DST change, to the millisecond, in either spelling', async () => {
      for (const zone of ['W. Europe Standard Time', 'Europe/Berlin']) {
        const before = await create({
          time_zone: zone,
          start_time: '2026-03-28T09:00:00+01:00',
          end_time: '2026-03-28T09:30:00.123+01:00',
        });
        expect(await fieldsOf(before)).toMatchObject({
          start: '2026-03-28T08:00:00Z',
          end: '2026-03-28T08:30:00.123Z',
        });
        const after = await create({
          time_zone: zone,
          start_time: '2026-03-30T09:00:00+02:00',
          end_time: '2026-03-30T09:00:00.001+02:00',
        });
        expect(await fieldsOf(after)).toMatchObject({
          start: '2026-03-30T07:00:00Z',
          end: '2026-03-30T07:00:00.001Z',
        });
      }
      // Below a millisecond is cut, not rounded.
      const cut = await create({ end_time: '2026-05-04T10:00:00.9999+02:00' });
      expect((await fieldsOf(cut)).end).toBe('2026-05-04T08:00:00.999Z');
    });

    test('50203 / 50204 when a time is missing', async () => {
      await refused(() => create({ start_time: null }), 50203, '@start_time is missing');
      await refused(
        () => fx.owner.call('rc_CreateAppointment', { profile_name: profile.name, end_time: END }),
        50203,
      );
      await refused(() => create({ end_time: null }), 50204, '@end_time is missing');
    });

    test('50207 unless the end is after the start (1 ms later is enough)', async () => {
      await refused(() => create({ end_time: START }), 50207, 'is not after @start_time');
      await refused(() => create({ end_time: '2026-05-04T08:59:59+02:00' }), 50207);
      const id = await create({ end_time: '2026-05-04T09:00:00.001+02:00' });
      expect((await fieldsOf(id)).end).toBe('2026-05-04T07:00:00.001Z');
    });

    test('50205 outside the years 1601 to 4500', async () => {
      await refused(
        () => create({ start_time: '1600-12-31T23:59:59Z' }),
        50205,
        '@start_time',
        'years 1601 to 4500',
      );
      await refused(() => create({ end_time: '4501-01-01T00:00:00Z' }), 50205, '@end_time');
      const id = await create({ start_time: '1601-01-01T00:00:00Z', end_time: '4500-12-31T23:00:00Z' });
      expect(await fieldsOf(id)).toMatchObject({
        start: '1601-01-01T00:00:00Z',
        end: '4500-12-31T23:00:00Z',
      });
    });

    test('an all-day event is whole days in its zone, also over the DST change', async () => {
      const id = await create({
        is_all_day: true,
        time_zone: 'Europe/Berlin',
        start_time: '2026-03-29T00:00:00+01:00',
        end_time: '2026-03-31T00:00:00+02:00',
      });
      expect(await fieldsOf(id)).toMatchObject({
        isAllDay: true,
        start: '2026-03-28T23:00:00Z',
        end: '2026-03-30T22:00:00Z',
        timeZone: 'W. Europe Standard Time',
      });
      const utc = await create({
        is_all_day: true,
        start_time: '2026-05-04T00:00:00Z',
        end_time: '2026-05-05T00:00:00Z',
      });
      expect(await fieldsOf(utc)).toMatchObject({ isAllDay: true, timeZone: 'UTC' });
      const notAllDay = await create({ is_all_day: null });
      expect((await fieldsOf(notAllDay)).isAllDay).toBe(false);
    });

    test('50208 when an all-day event does not start and end at midnight in its zone', async () => {
      await refused(() => create({ is_all_day: true }), 50208, 'in its time zone UTC', '2026-05-04T07:00:00');
      await refused(
        () =>
          create({
            is_all_day: true,
            time_zone: 'Europe/Berlin',
            start_time: '2026-05-04T00:00:00Z',
            end_time: '2026-05-05T00:00:00Z',
          }),
        50208,
        'W. Europe Standard Time',
        '2026-05-04T02:00:00',
      );
      await refused(
        () =>
          create({
            is_all_day: true,
            time_zone: 'Europe/Berlin',
            start_time: '2026-05-04T00:00:00+02:00',
            end_time: '2026-05-04T12:00:00+02:00',
          }),
        50208,
      );
    });
  });

  describe('rc_CreateAppointment: the other fields', () => {
    test('subject: 255 characters are fine, 256 → 50023; body: 35 MB fine, one more → 50025', async () => {
      const ok = await create({ subject: 's'.repeat(255) });
      expect(((await fieldsOf(ok)).subject as string).length).toBe(255);
      await refused(() => create({ subject: 's'.repeat(256) }), 50023, '256 characters');
      const body = await create({ body: 'b'.repeat(MAX_BODY) });
      expect(((await fieldsOf(body)).body as string).length).toBe(MAX_BODY);
      await refused(() => create({ body: 'b'.repeat(MAX_BODY + 1) }), 50025, String(MAX_BODY + 1));
    });

    test.each([
      ['body_format', 'text', 'bodyType', 'Text'],
      ['body_format', null, 'bodyType', 'Text'],
      ['show_as', 'FREE', 'showAs', 'Free'],
      ['show_as', 'tentative', 'showAs', 'Tentative'],
      ['show_as', 'Busy', 'showAs', 'Busy'],
      ['show_as', 'workingElsewhere', 'showAs', 'WorkingElsewhere'],
      ['show_as', null, 'showAs', 'Busy'],
      ['sensitivity', 'PERSONAL', 'sensitivity', 'Personal'],
      ['sensitivity', 'confidential', 'sensitivity', 'Confidential'],
      ['sensitivity', null, 'sensitivity', 'Normal'],
      ['reminder_minutes', 0, 'reminderMinutes', 0],
      ['reminder_minutes', 40320, 'reminderMinutes', 40320],
      ['reminder_minutes', -1, 'reminderMinutes', null],
      ['reminder_minutes', null, 'reminderMinutes', null],
      ['location', '', 'location', null],
      ['location', 'l'.repeat(255), 'location', 'l'.repeat(255)],
      ['send_invitations', 'All', 'meetingNotice', 'all'],
      ['send_invitations', null, 'meetingNotice', 'all'],
    ])('@%s %j → %s %j', async (param, value, key, stored) => {
      const id = await create({ [param]: value });
      const payload = await fx.payloadOf(id);
      const fields = await fieldsOf(id);
      expect(key === 'meetingNotice' ? payload.meetingNotice : fields[key]).toEqual(stored);
    });

    test.each([
      ['body_format', 'markdown', 50020, 'Use TEXT or HTML'],
      ['body_format', '', 50020, 'Use TEXT or HTML'],
      ['show_as', 'away', 50214, 'Use Free, Tentative, Busy, OOF or WorkingElsewhere'],
      ['show_as', '', 50214, '@show_as ""'],
      ['sensitivity', 'secret', 50022, 'Use Normal, Personal, Private or Confidential'],
      ['reminder_minutes', 40321, 50213, '40321'],
      ['reminder_minutes', -2, 50213, '-2'],
      ['location', 'l'.repeat(256), 50210, '256 characters'],
      ['send_invitations', 'changed', 50230, 'Use none or all'],
      ['send_invitations', 'some', 50230, '"some"'],
    ])('@%s %j → %d', async (param, value, number, mention) => {
      await refused(() => create({ [param]: value as string | number }), number, mention);
    });

    test('attendee lists: normalised, each address checked (50211 names it and its list), 500 in all', async () => {
      const id = await create({
        required_attendees: addresses(300, 'r'),
        optional_attendees: addresses(150, 'o'),
        resources: addresses(50, 'room'),
      });
      const fields = await fieldsOf(id);
      expect((fields.requiredAttendees as string[]).length).toBe(300);
      expect((fields.resources as string[])[49]).toBe('room49@example.com');
      await refused(
        () =>
          create({
            required_attendees: addresses(300, 'r'),
            optional_attendees: addresses(200, 'o'),
            resources: 'x@example.com',
          }),
        50212,
        '501 attendees',
      );
      await refused(
        () => create({ required_attendees: 'a@example.com;Bob <b@example.com>' }),
        50211,
        '"Bob <b@example.com>"',
        '@required_attendees',
      );
      await refused(() => create({ optional_attendees: 'nope' }), 50211, '"nope"', '@optional_attendees');
      await refused(() => create({ resources: 'room@' }), 50211, '"room@"', '@resources');
      const blank = await create({ required_attendees: ' ; , ' });
      expect((await fieldsOf(blank)).requiredAttendees).toEqual([]);
    });

    test('categories: split, trimmed, duplicates dropped; rule breaks are 50055', async () => {
      const id = await create({ categories: ' Red ;blue,RED,, Green' });
      expect((await fieldsOf(id)).categories).toEqual(['Red', 'blue', 'Green']);
      await refused(() => create({ categories: 'c'.repeat(256) }), 50055, '256 characters');
      await refused(() => create({ categories: addresses(51, 'c') }), 50055, '51 different categories');
    });

    test('the calendar: a named one, a public one, another profile’s one', async () => {
      const target = await fx.newProfile();
      const named = await create({ calendar_name: 'Plans/Production' });
      expect((await fx.payloadOf(named)).folder).toEqual({
        owner: null,
        location: { kind: 'named', name: 'Plans/Production' },
      });
      const pub = await create({ calendar_name: 'PUBLIC:Company/Holidays' });
      expect((await fx.payloadOf(pub)).folder).toEqual({
        owner: null,
        location: { kind: 'public', path: 'Company/Holidays' },
      });
      const other = await create({ target_profile: target.name, calendar_name: 'Production plan' });
      expect((await fx.payloadOf(other)).folder).toEqual({
        owner: target.smtpAddress,
        location: { kind: 'named', name: 'Production plan' },
      });
      expect((await job(other))?.mailboxid).toBe(Number(profile.id));
    });

    test('calendar errors come from the shared folder helper and name @calendar_name', async () => {
      await refused(() => create({ calendar_name: 'a//b' }), 50050, '@calendar_name', 'segment 2 is empty');
      await refused(() => create({ target_profile: `nope_${fx.run}` }), 50051, `nope_${fx.run}`);
      const disabled = await fx.newProfile();
      await fx.owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [
        false,
        Number(disabled.id),
      ]);
      await refused(() => create({ target_profile: disabled.name }), 50052, disabled.name);
      const foreign = await fx.newProfile();
      const session = await fx.principal(profile, { can_send: false, can_write: true, can_read: false });
      await refused(() => create({ target_profile: foreign.name }, session), 50053, foreign.name);
      await refused(
        () => create({ target_profile: foreign.name, calendar_name: 'public:Cal' }),
        50054,
        'public',
      );
    });

    test('profile checks: missing 50001, unknown 50002, disabled 50003, no write right 50004', async () => {
      await refused(() => fx.owner.call('rc_CreateAppointment', { start_time: START, end_time: END }), 50001);
      await refused(() => create({ profile_name: '  ' }), 50001);
      await refused(() => create({ profile_name: `nope_${fx.run}` }), 50002, `nope_${fx.run}`);
      const off = await fx.newProfile();
      await fx.owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [
        false,
        Number(off.id),
      ]);
      await refused(() => create({ profile_name: off.name }), 50003);
      const sender = await fx.principal(profile, { can_send: true, can_write: false, can_read: true });
      await refused(() => create({}, sender), 50004, 'can_write');
      const writer = await fx.principal(profile, { can_send: false, can_write: true, can_read: false });
      expect(await create({}, writer)).toMatch(/^\d+$/);
    });

    test('50024 for a correlation key over 200 characters', async () => {
      await refused(() => create({ correlation_key: 'k'.repeat(201) }), 50024, '201 characters');
    });
  });

  describe('rc_CreateAppointment: @recurrence', () => {
    const withRecurrence = (recurrence: unknown) =>
      create({ recurrence: typeof recurrence === 'string' ? recurrence : JSON.stringify(recurrence) });
    const noEnd = { type: 'noEnd' };

    test.each([
      [
        'daily every 3 days, 10 times',
        { pattern: { type: 'daily', interval: 3 }, range: { type: 'numbered', numberOfOccurrences: 10 } },
        {
          pattern: { type: 'daily', interval: 3 },
          range: { type: 'numbered', startDate: '2026-05-04', numberOfOccurrences: 10 },
        },
      ],
      [
        'weekly without interval (1) and first day (Sunday)',
        { pattern: { type: 'weekly', daysOfWeek: ['Tuesday'] }, range: noEnd },
        {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['Tuesday'], firstDayOfWeek: 'Sunday' },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      ],
      [
        'absolute monthly on the 31st',
        {
          pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
          range: { type: 'endDate', startDate: '2026-05-04', endDate: '2026-05-04' },
        },
        {
          pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 },
          range: { type: 'endDate', startDate: '2026-05-04', endDate: '2026-05-04' },
        },
      ],
      [
        'relative monthly, last Friday',
        {
          pattern: { type: 'relativeMonthly', interval: 999, daysOfWeek: ['friday'], index: 'LAST' },
          range: noEnd,
        },
        {
          pattern: { type: 'relativeMonthly', interval: 999, daysOfWeek: ['Friday'], index: 'Last' },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      ],
      [
        'absolute yearly on 29 February, interval 1',
        { pattern: { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 }, range: noEnd },
        {
          pattern: { type: 'absoluteYearly', month: 2, dayOfMonth: 29 },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      ],
      [
        'relative yearly, first Monday of September',
        {
          pattern: { type: 'relativeYearly', month: 9, daysOfWeek: ['Monday'], index: 'first' },
          range: noEnd,
        },
        {
          pattern: { type: 'relativeYearly', month: 9, daysOfWeek: ['Monday'], index: 'First' },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      ],
    ])('%s', async (_what, given, stored) => {
      const id = await withRecurrence(given);
      expect((await fieldsOf(id)).recurrence).toEqual(stored);
    });

    test('startDate defaults to the start’s date in the appointment’s zone, and must be that date when given', async () => {
      const late = await create({
        time_zone: 'Pacific/Auckland',
        start_time: '2026-05-04T20:00:00Z',
        end_time: '2026-05-04T21:00:00Z',
        recurrence: JSON.stringify({ pattern: { type: 'daily' }, range: noEnd }),
      });
      expect((await fieldsOf(late)).recurrence).toMatchObject({ range: { startDate: '2026-05-05' } });
      await refused(
        () =>
          withRecurrence({ pattern: { type: 'daily' }, range: { type: 'noEnd', startDate: '2026-05-05' } }),
        50227,
        '2026-05-05',
        '2026-05-04',
      );
      const blank = await create({ recurrence: '  ' });
      expect((await fieldsOf(blank)).recurrence).toBeNull();
    });

    const daily = { type: 'daily' };
    test.each([
      ['not JSON', 50215, '{pattern'],
      ['a JSON array', 50215, '[]'],
      ['a JSON string', 50215, '"daily"'],
      ['without range', 50215, { pattern: daily }],
      ['a range that is no object', 50215, { pattern: daily, range: 'noEnd' }],
      ['an extra key', 50216, { pattern: daily, range: noEnd, timeZone: 'UTC' }],
      [
        'a key twice',
        50216,
        '{"pattern": {"type": "daily"}, "PATTERN": {"type": "daily"}, "range": {"type": "noEnd"}}',
      ],
      ['an unknown pattern key', 50216, { pattern: { type: 'daily', every: 2 }, range: noEnd }],
      [
        'a key the pattern type does not use',
        50216,
        { pattern: { type: 'daily', dayOfMonth: 3 }, range: noEnd },
      ],
      [
        'an unknown range key',
        50216,
        { pattern: daily, range: { type: 'noEnd', recurrenceTimeZone: 'UTC' } },
      ],
      [
        'a key the range type does not use',
        50216,
        { pattern: daily, range: { type: 'noEnd', endDate: '2026-06-01' } },
      ],
      ['no pattern type', 50217, { pattern: { interval: 1 }, range: noEnd }],
      ['an unknown pattern type', 50217, { pattern: { type: 'hourly' }, range: noEnd }],
      ['interval 0', 50218, { pattern: { type: 'daily', interval: 0 }, range: noEnd }],
      ['interval 1000', 50218, { pattern: { type: 'daily', interval: 1000 }, range: noEnd }],
      ['interval 1.5', 50218, { pattern: { type: 'daily', interval: 1.5 }, range: noEnd }],
      ['interval as a string', 50218, { pattern: { type: 'daily', interval: '2' }, range: noEnd }],
      [
        'yearly interval 2',
        50218,
        { pattern: { type: 'absoluteYearly', interval: 2, month: 1, dayOfMonth: 1 }, range: noEnd },
      ],
      ['weekly without days', 50219, { pattern: { type: 'weekly' }, range: noEnd }],
      ['weekly with no day', 50219, { pattern: { type: 'weekly', daysOfWeek: [] }, range: noEnd }],
      ['a day that is none', 50219, { pattern: { type: 'weekly', daysOfWeek: ['Funday'] }, range: noEnd }],
      ['a day twice', 50219, { pattern: { type: 'weekly', daysOfWeek: ['monday', 'Monday'] }, range: noEnd }],
      [
        'two days in a relative pattern',
        50219,
        {
          pattern: { type: 'relativeMonthly', daysOfWeek: ['monday', 'friday'], index: 'first' },
          range: noEnd,
        },
      ],
      ['yearly without month', 50222, { pattern: { type: 'absoluteYearly', dayOfMonth: 1 }, range: noEnd }],
      [
        'month 13',
        50222,
        {
          pattern: { type: 'relativeYearly', month: 13, daysOfWeek: ['monday'], index: 'first' },
          range: noEnd,
        },
      ],
      ['monthly without day', 50220, { pattern: { type: 'absoluteMonthly' }, range: noEnd }],
      ['day 32', 50220, { pattern: { type: 'absoluteMonthly', dayOfMonth: 32 }, range: noEnd }],
      ['day 0', 50220, { pattern: { type: 'absoluteMonthly', dayOfMonth: 0 }, range: noEnd }],
      ['30 February', 50220, { pattern: { type: 'absoluteYearly', month: 2, dayOfMonth: 30 }, range: noEnd }],
      ['no index', 50221, { pattern: { type: 'relativeMonthly', daysOfWeek: ['monday'] }, range: noEnd }],
      [
        'index fifth',
        50221,
        { pattern: { type: 'relativeMonthly', daysOfWeek: ['monday'], index: 'fifth' }, range: noEnd },
      ],
      [
        'firstDayOfWeek none',
        50223,
        { pattern: { type: 'weekly', daysOfWeek: ['monday'], firstDayOfWeek: 'x' }, range: noEnd },
      ],
      ['no range type', 50224, { pattern: daily, range: {} }],
      ['an unknown range type', 50224, { pattern: daily, range: { type: 'forever' } }],
      ['startDate not a date', 50225, { pattern: daily, range: { type: 'noEnd', startDate: '2026-5-4' } }],
      ['startDate 30 February', 50225, { pattern: daily, range: { type: 'noEnd', startDate: '2026-02-30' } }],
      ['no endDate', 50225, { pattern: daily, range: { type: 'endDate' } }],
      [
        'endDate before the start',
        50225,
        { pattern: daily, range: { type: 'endDate', endDate: '2026-05-03' } },
      ],
      ['no numberOfOccurrences', 50226, { pattern: daily, range: { type: 'numbered' } }],
      ['1000 occurrences', 50226, { pattern: daily, range: { type: 'numbered', numberOfOccurrences: 1000 } }],
      ['0 occurrences', 50226, { pattern: daily, range: { type: 'numbered', numberOfOccurrences: 0 } }],
    ])('%s → %d', async (_what, number, recurrence) => {
      await refused(() => withRecurrence(recurrence), number, 'rc_CreateAppointment: ');
    });

    test('the boundaries that pass: interval 999, 999 occurrences, all seven days', async () => {
      const id = await withRecurrence({
        pattern: {
          type: 'weekly',
          interval: 999,
          daysOfWeek: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
        },
        range: { type: 'numbered', numberOfOccurrences: 999 },
      });
      expect((await fieldsOf(id)).recurrence).toMatchObject({
        pattern: {
          interval: 999,
          daysOfWeek: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
        },
        range: { numberOfOccurrences: 999 },
      });
    });
  });

  describe('rc_UpdateAppointment', () => {
    let created: string;
    const key = () => `upd-${fx.run}`;

    beforeAll(async () => {
      created = await create({ subject: 'Original', correlation_key: key() });
    });

    test('by job id: TargetJobId set, only the given fields, onConflict fail, meetingNotice all', async () => {
      const id = await update({ target_job_id: created, subject: 'Changed', location: 'Hall 9' });
      expect(await job(id)).toMatchObject({
        kind: 'UpdateAppointment',
        mailboxid: Number(profile.id),
        status: 'Pending',
        correlationkey: null,
        targetjobid: created,
      });
      expect(await fx.payloadOf(id)).toEqual({
        itemId: null,
        fields: { subject: 'Changed', location: 'Hall 9' },
        onConflict: 'fail',
        meetingNotice: 'all',
      });
      await fieldsOf(id);
      const events = await fx.owner.select('SELECT EventType FROM rc.JobEvents WHERE JobId = ?', [id]);
      expect(events).toEqual([{ eventtype: 'enqueued' }]);
    });

    test('by correlation key and by Exchange ItemId (trimmed); @force means overwrite', async () => {
      const byKey = await update({ correlation_key: key(), sensitivity: 'PRIVATE', force: true });
      expect((await job(byKey))?.targetjobid).toBe(created);
      expect(await fx.payloadOf(byKey)).toMatchObject({
        itemId: null,
        fields: { sensitivity: 'Private' },
        onConflict: 'overwrite',
      });
      const byItem = await update({ item_id: '  AAMkAD=  ', show_as: 'free', send_invitations: 'Changed' });
      expect((await job(byItem))?.targetjobid).toBeNull();
      expect(await fx.payloadOf(byItem)).toEqual({
        itemId: 'AAMkAD=',
        fields: { showAs: 'Free' },
        onConflict: 'fail',
        meetingNotice: 'changed',
      });
      const notForced = await update({
        target_job_id: created,
        subject: 'x',
        force: null,
        send_invitations: 'none',
      });
      expect(await fx.payloadOf(notForced)).toMatchObject({ onConflict: 'fail', meetingNotice: 'none' });
    });

    test("'' clears, -1 removes the reminder, the time block goes together", async () => {
      const id = await update({
        target_job_id: created,
        subject: '',
        body: '',
        location: '',
        required_attendees: '',
        optional_attendees: 'new@example.com',
        resources: '',
        categories: '',
        recurrence: '',
        reminder_minutes: -1,
      });
      expect(await fieldsOf(id)).toEqual({
        subject: '',
        body: '',
        bodyType: 'Text',
        location: null,
        requiredAttendees: [],
        optionalAttendees: ['new@example.com'],
        resources: [],
        categories: [],
        recurrence: null,
        reminderMinutes: null,
      });
      const moved = await update({
        target_job_id: created,
        start_time: '2026-10-24T09:00:00+02:00',
        end_time: '2026-10-26T09:00:00+01:00',
        time_zone: 'Europe/Berlin',
        is_all_day: false,
      });
      expect(await fieldsOf(moved)).toEqual({
        start: '2026-10-24T07:00:00Z',
        end: '2026-10-26T08:00:00Z',
        timeZone: 'W. Europe Standard Time',
        isAllDay: false,
      });
      const inUtc = await update({ target_job_id: created, start_time: START, end_time: END });
      expect(await fieldsOf(inUtc)).toEqual({
        start: '2026-05-04T07:00:00Z',
        end: '2026-05-04T08:00:00Z',
        timeZone: 'UTC',
        isAllDay: false,
      });
      const html = await update({ target_job_id: created, body: '<b>x</b>', body_format: 'HTML' });
      expect(await fieldsOf(html)).toEqual({ body: '<b>x</b>', bodyType: 'HTML' });
    });

    test('a recurrence without new times needs its startDate; with the times it defaults', async () => {
      const rec = JSON.stringify({
        pattern: { type: 'daily' },
        range: { type: 'numbered', numberOfOccurrences: 3 },
      });
      await refused(() => update({ target_job_id: created, recurrence: rec }), 50227, 'startDate');
      const dated = JSON.stringify({
        pattern: { type: 'daily' },
        range: { type: 'numbered', startDate: '2026-06-01', numberOfOccurrences: 3 },
      });
      const id = await update({ target_job_id: created, recurrence: dated });
      expect((await fieldsOf(id)).recurrence).toMatchObject({ range: { startDate: '2026-06-01' } });
      const withTimes = await update({
        target_job_id: created,
        recurrence: rec,
        start_time: START,
        end_time: END,
      });
      expect((await fieldsOf(withTimes)).recurrence).toMatchObject({ range: { startDate: '2026-05-04' } });
    });

    test.each([
      ['nothing to change', 50229, {}, 'nothing to change'],
      ['only @send_invitations', 50229, { send_invitations: 'none' }, 'nothing to change'],
      ['@body_format without @body', 50228, { body_format: 'HTML' }, '@body_format is given without @body'],
      ['only @start_time', 50209, { start_time: START }, 'change together'],
      ['only @end_time', 50209, { end_time: END }, 'change together'],
      ['only @time_zone', 50209, { time_zone: 'Europe/Berlin' }, 'change together'],
      ['only @is_all_day', 50209, { is_all_day: true }, 'change together'],
      ['end before start', 50207, { start_time: END, end_time: START }, 'is not after'],
      ['a bad time zone', 50206, { start_time: START, end_time: END, time_zone: 'Nowhere' }, '"Nowhere"'],
      ['@subject of 256', 50023, { subject: 's'.repeat(256) }, '256'],
      ['a bad attendee', 50211, { resources: 'room' }, '@resources'],
      ['@send_invitations x', 50230, { subject: 'x', send_invitations: 'x' }, 'Use none, all or changed'],
    ])('%s → %d', async (_what, number, params, mention) => {
      await refused(
        () => update({ target_job_id: created, ...params }),
        number,
        'rc_UpdateAppointment: ',
        mention,
      );
    });

    test('item reference errors come from the shared helper', async () => {
      await refused(() => update({ subject: 'x' }), 50060);
      await refused(() => update({ target_job_id: created, item_id: 'AAMk', subject: 'x' }), 50060);
      const mail = await fx.owner.call('rc_SendMail', {
        profile_name: profile.name,
        recipients: 'a@example.com',
      });
      await refused(() => update({ target_job_id: mail as string, subject: 'x' }), 50061);
      await refused(() => update({ correlation_key: 'k'.repeat(201), subject: 'x' }), 50024);
      await refused(() => update({ correlation_key: `unknown-${fx.run}`, subject: 'x' }), 50062);
      await refused(() => update({ item_id: '   ', subject: 'x' }), 50063);
      await refused(() => update({ item_id: 'i'.repeat(513), subject: 'x' }), 50063);
      const failed = await create({ subject: 'will fail' });
      await fx.owner.select("UPDATE rc.Jobs SET Status = 'Failed' WHERE JobId = ?", [failed]);
      await refused(() => update({ target_job_id: failed, subject: 'x' }), 50064);
    });
  });

  describe('rc_DeleteAppointment', () => {
    test('by job id, key or item id; cancellations all by default; a second delete is 50065', async () => {
      const key = `del-${fx.run}`;
      const created = await create({ correlation_key: key });
      const id = await remove({ correlation_key: key });
      expect(await job(id)).toMatchObject({ kind: 'DeleteAppointment', targetjobid: created });
      expect(await fx.payloadOf(id)).toEqual({ itemId: null, onConflict: 'fail', meetingNotice: 'all' });
      await refused(() => remove({ target_job_id: created }), 50065);
      await refused(() => update({ target_job_id: created, subject: 'x' }), 50065);

      const other = await create({});
      const silent = await remove({ target_job_id: other, send_cancellations: ' NONE ', force: true });
      expect(await fx.payloadOf(silent)).toEqual({
        itemId: null,
        onConflict: 'overwrite',
        meetingNotice: 'none',
      });

      const byItem = await remove({ item_id: 'AAMkXYZ', send_cancellations: null });
      expect(await fx.payloadOf(byItem)).toEqual({
        itemId: 'AAMkXYZ',
        onConflict: 'fail',
        meetingNotice: 'all',
      });
      await refused(() => remove({ item_id: 'AAMkXYZ' }), 50065);
    });

    test('errors: profile, reference, @send_cancellations', async () => {
      const created = await create({});
      await refused(() => fx.owner.call('rc_DeleteAppointment', { target_job_id: created }), 50001);
      await refused(() => remove({}), 50060);
      await refused(
        () => remove({ target_job_id: created, send_cancellations: 'changed' }),
        50230,
        'Use none or all',
      );
      const reader = await fx.principal(profile, { can_send: true, can_write: false, can_read: true });
      await refused(
        () => reader.call('rc_DeleteAppointment', { profile_name: profile.name, target_job_id: created }),
        50004,
      );
    });
  });

  describe('the field helper with JSON items (rc_SyncFolder’s contract)', () => {
    /** Calls the helper directly, as rc_SyncFolder does. */
    const fields = async (item: unknown, partial = false) => {
      const text = typeof item === 'string' ? item : JSON.stringify(item);
      const rows =
        fx.db.dialect === 'postgres'
          ? await fx.owner.select('SELECT rc.fn_appointmentfields(?, ?::jsonb, ?) AS f', [
              'rc_SyncFolder: item "k1"',
              text,
              partial,
            ])
          : await fx.owner.select(
              'DECLARE @f nvarchar(max); EXEC rc.rc_internal_AppointmentFields @proc_name = ?, @item = ?, @partial = ?, @fields = @f OUTPUT; SELECT @f AS f;',
              ['rc_SyncFolder: item "k1"', text, partial],
            );
      const value = rows[0]?.f;
      const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
      expect(appointmentFieldsSchema.safeParse(parsed).error).toBeUndefined();
      return parsed;
    };
    const times = { start_time: '2026-05-04T06:00:00Z', end_time: '2026-05-04T14:00:00Z' };

    test('a whole item: every key, defaults applied', async () => {
      expect(await fields({ subject: 'Shift', ...times })).toEqual({
        ...DEFAULT_FIELDS,
        subject: 'Shift',
        start: '2026-05-04T06:00:00Z',
        end: '2026-05-04T14:00:00Z',
      });
    });

    test('wall-clock times without an offset are in the item’s zone, across DST changes', async () => {
      expect(
        await fields({
          start_time: '2026-03-28T06:00:00',
          end_time: '2026-03-30T06:00',
          time_zone: 'Europe/Berlin',
        }),
      ).toMatchObject({ start: '2026-03-28T05:00:00Z', end: '2026-03-30T04:00:00Z' });
      // 02:30 does not exist on 29 March: it is 03:30 summer time; on 25 October it exists twice: the first.
      expect(
        await fields({
          start_time: '2026-03-29T02:30:00',
          end_time: '2026-10-25T02:30:00',
          time_zone: 'Europe/Berlin',
        }),
      ).toMatchObject({ start: '2026-03-29T01:30:00Z', end: '2026-10-25T00:30:00Z' });
      // Without a zone: UTC. Date-only values are midnights, so all-day items are just dates.
      expect(
        await fields({ start_time: '2026-05-04T06:00', end_time: '2026-05-04T07:00:00.5' }),
      ).toMatchObject({
        start: '2026-05-04T06:00:00Z',
        end: '2026-05-04T07:00:00.500Z',
      });
      expect(
        await fields({
          start_time: '2026-05-04',
          end_time: '2026-05-06',
          is_all_day: 1,
          time_zone: 'Tokyo Standard Time',
        }),
      ).toMatchObject({ start: '2026-05-03T15:00:00Z', end: '2026-05-05T15:00:00Z', isAllDay: true });
    });

    test.each([
      '2026-05-04 06:00:00',
      '2026-05-04t06:00:00Z',
      '2026-05-04T06:00:00z',
      '2026-05-04T6:00',
      '2026-05-04T06',
      '2026-05-04Z',
      '2026-05-04T06:00:00.12345678Z',
      '2026-02-30T06:00:00Z',
      '2026-05-04T06:00:00+0200',
      '2026-05-04T24:00:00',
      '2026-05-04T06:60:00',
      '2026-05-04T06:00:60Z',
      '2026-05-04T06:00:00+14:01',
      '2026-05-04T06:00:00-15:00',
      '',
    ])('50205 for the start %j', async (start) => {
      await expectApiError(
        fields({ ...times, start_time: start }),
        50205,
        'rc_SyncFolder: item "k1": @start_time',
      );
    });

    test.each([
      ['an array', 50200, '[{"subject": "x"}]'],
      ['a string', 50200, '"x"'],
      ['an unknown key', 50201, { ...times, calendar_name: 'x' }],
      ['a key twice in two spellings', 50201, { ...times, Subject: 'a', subject: 'b' }],
      ['a number for a string field', 50202, { ...times, subject: 5 }],
      ['a string for is_all_day', 50202, { ...times, is_all_day: 'true' }],
      ['2 for is_all_day', 50202, { ...times, is_all_day: 2 }],
      ['a string for reminder_minutes', 50202, { ...times, reminder_minutes: '15' }],
      ['an array for recurrence', 50202, { ...times, recurrence: [] }],
      ['a fraction for reminder_minutes', 50213, { ...times, reminder_minutes: 1.5 }],
      ['no start', 50203, { end_time: times.end_time }],
    ])('%s → %d', async (_what, number, item) => {
      await expectApiError(fields(item), number, 'rc_SyncFolder: item "k1": ');
    });

    test('keys in any case; recurrence as an object; JSON null is "not given"', async () => {
      const result = await fields({
        SUBJECT: 'Shift',
        Start_Time: times.start_time,
        end_time: times.end_time,
        location: null,
        recurrence: { pattern: { type: 'daily' }, range: { type: 'noEnd' } },
        reminder_minutes: 10,
        is_all_day: false,
      });
      expect(result).toMatchObject({
        subject: 'Shift',
        location: null,
        reminderMinutes: 10,
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      });
    });

    test('partial: only the given keys; nulls are "unchanged"', async () => {
      expect(await fields({ location: 'Hall', subject: null }, true)).toEqual({ location: 'Hall' });
      await expectApiError(fields({ subject: null }, true), 50229);
    });
  });
});
