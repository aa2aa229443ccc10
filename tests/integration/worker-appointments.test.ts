/**
 * Appointments end to end: rc_CreateAppointment / rc_UpdateAppointment / rc_DeleteAppointment → PostgreSQL →
 * worker → simulator, checked in what the simulator's Exchange holds (admin API, and CalendarView through
 * ews-javascript-api for recurring series): instants across DST changes in both time-zone spellings, all-day
 * dates, every field, meeting requests and cancellations in attendee mailboxes, recurrence, a named calendar
 * created on first use, another mailbox's calendar through @target_profile, updates by job id / ItemId /
 * correlation key, and the conflict rule.
 */
import * as ews from 'ews-javascript-api';
import type { AdminItem } from '../../simulator';
import type { ApiParams } from '../../worker/db/api-client';
import { createEwsService } from '../helpers/simulator-ews-client';
import { SENDER, startHarness, type Harness } from '../helpers/worker-harness';

const ALICE = 'alice@contoso.com';
const BOB = 'bob@contoso.com';
const ROOM = 'room.hall3@contoso.com';
const PLAN = 'plan@contoso.com';
const PLAN_PROFILE = 'production-plan';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { mailboxes: [ALICE, BOB, ROOM, PLAN] });
  await h.startWorker();
}, 60000);

afterAll(async () => {
  await h?.close();
});

type CalendarOf = NonNullable<AdminItem['calendar']> & {
  details?: {
    timeZone?: string;
    legacyFreeBusyStatus: string;
    reminderIsSet: boolean;
    reminderMinutesBeforeStart: number;
    resources: Array<{ address: string }>;
    recurrence?: unknown;
    isCancelled: boolean;
  };
};

type Proc = 'rc_CreateAppointment' | 'rc_UpdateAppointment' | 'rc_DeleteAppointment';
const run = (proc: Proc, params: ApiParams) => h.run(proc, params);

async function created(params: ApiParams) {
  const result = await run('rc_CreateAppointment', params);
  expect({
    ...result.row,
    lasterror: result.row.status === 'Succeeded' ? null : result.row.lasterror,
  }).toMatchObject({ status: 'Succeeded', lasterrorcode: null, lasterror: null });
  return result;
}

/** The calendar item a create job made, wherever it lives in `address`'s mailbox. */
async function itemOf(jobId: string, address = SENDER): Promise<AdminItem & { calendar: CalendarOf }> {
  return (await h.itemOf(jobId, address)) as AdminItem & { calendar: CalendarOf };
}

const iso = (value: unknown) => new Date(value as string).toISOString();

describe('appointments through the worker', () => {
  it('keeps the instants exactly across the DST change, for the Windows and the IANA spelling', async () => {
    for (const zone of ['W. Europe Standard Time', 'Europe/Berlin']) {
      const winter = await created({
        subject: `Winter ${zone}`,
        start_time: '2026-03-28T09:00:00+01:00',
        end_time: '2026-03-28T10:30:00.250+01:00',
        time_zone: zone,
      });
      const summer = await created({
        subject: `Summer ${zone}`,
        start_time: '2026-03-30T09:00:00+02:00',
        end_time: '2026-03-30T10:00:00+02:00',
        time_zone: zone,
      });
      const w = await itemOf(winter.id);
      expect(w.folder).toBe('calendar');
      expect(iso(w.calendar.start)).toBe('2026-03-28T08:00:00.000Z');
      expect(iso(w.calendar.end)).toBe('2026-03-28T09:30:00.250Z');
      expect(w.calendar.details?.timeZone).toBe('W. Europe Standard Time');
      const s = await itemOf(summer.id);
      expect(iso(s.calendar.start)).toBe('2026-03-30T07:00:00.000Z');
      expect(iso(s.calendar.end)).toBe('2026-03-30T08:00:00.000Z');
      expect(winter.row.resultitemid).toBe(w.id);
    }
  });

  it('zones ews-javascript-api has no data for still reach Exchange by their Windows id', async () => {
    // CLDR ids missing from the library's table (the worker sends a custom zone carrying just the id).
    for (const [zone, iana] of [
      ['Yukon Standard Time', 'America/Whitehorse'],
      ['Volgograd Standard Time', 'Europe/Volgograd'],
      ['Qyzylorda Standard Time', 'Asia/Qyzylorda'],
    ]) {
      const { id } = await created({
        subject: `In ${zone}`,
        start_time: '2026-08-03T08:00:00Z',
        end_time: '2026-08-03T09:00:00Z',
        time_zone: iana,
      });
      const item = await itemOf(id);
      expect(item.calendar.details?.timeZone).toBe(zone);
      expect(iso(item.calendar.start)).toBe('2026-08-03T08:00:00.000Z');
    }
  });

  it('a weekly series at 09:00 Berlin time stays at 09:00 local after the change (CalendarView)', async () => {
    const { id } = await created({
      subject: 'Line check',
      start_time: '2026-03-23T09:00:00+01:00',
      end_time: '2026-03-23T09:15:00+01:00',
      time_zone: 'Europe/Berlin',
      recurrence: JSON.stringify({
        pattern: { type: 'weekly', daysOfWeek: ['monday'] },
        range: { type: 'numbered', numberOfOccurrences: 3 },
      }),
    });
    const item = await itemOf(id);
    expect(item.calendar.details?.recurrence).toMatchObject({
      pattern: { type: 'WeeklyRecurrence', interval: 1, daysOfWeek: ['Monday'] },
      range: { type: 'NumberedRecurrence', startDate: '2026-03-23', numberOfOccurrences: 3 },
    });
    const { service } = createEwsService(h.sim.ewsUrl, { user: SENDER, password: 'sim-pass' });
    const view = new ews.CalendarView(
      new ews.DateTime('2026-03-20T00:00:00Z'),
      new ews.DateTime('2026-04-20T00:00:00Z'),
    );
    const found = await service.FindAppointments(ews.WellKnownFolderName.Calendar, view);
    const starts = found.Items.filter((a) => a.Subject === 'Line check').map((a) => a.Start.ToISOString());
    expect(starts).toEqual([
      '2026-03-23T08:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
      '2026-04-06T07:00:00.000Z',
    ]);
  });

  it('an all-day event stays on its dates in its zone; every other field lands on the item', async () => {
    const { id } = await created({
      subject: 'Plant holiday',
      body: '<p>Closed &amp; quiet</p>',
      body_format: 'HTML',
      start_time: '2026-05-01T00:00:00+09:00',
      end_time: '2026-05-03T00:00:00+09:00',
      time_zone: 'Asia/Tokyo',
      is_all_day: true,
      location: 'Plant <2>',
      show_as: 'oof',
      sensitivity: 'private',
      reminder_minutes: 120,
      categories: 'Holiday;Plant',
      send_invitations: 'none',
    });
    const item = await itemOf(id);
    expect(item).toMatchObject({
      subject: 'Plant holiday',
      body: '<p>Closed &amp; quiet</p>',
      bodyType: 'HTML',
      sensitivity: 'Private',
      categories: ['Holiday', 'Plant'],
    });
    expect(item.calendar).toMatchObject({ isAllDayEvent: true, location: 'Plant <2>' });
    expect(iso(item.calendar.start)).toBe('2026-04-30T15:00:00.000Z');
    expect(iso(item.calendar.end)).toBe('2026-05-02T15:00:00.000Z');
    expect(item.calendar.details).toMatchObject({
      timeZone: 'Tokyo Standard Time',
      legacyFreeBusyStatus: 'OOF',
      reminderIsSet: true,
      reminderMinutesBeforeStart: 120,
    });
    // In its own zone the event covers 1 and 2 May exactly.
    const local = (value: unknown) =>
      new Date(value as string).toLocaleString('sv-SE', { timeZone: 'Asia/Tokyo' });
    expect([local(item.calendar.start), local(item.calendar.end)]).toEqual([
      '2026-05-01 00:00:00',
      '2026-05-03 00:00:00',
    ]);

    const plain = await created({
      subject: 'No reminder',
      start_time: '2026-05-04T09:00:00Z',
      end_time: '2026-05-04T10:00:00Z',
    });
    expect((await itemOf(plain.id)).calendar.details).toMatchObject({
      reminderIsSet: false,
      legacyFreeBusyStatus: 'Busy',
    });
  });

  it('meeting requests reach the attendees’ Inboxes; resources are booked; a delete sends cancellations', async () => {
    const { id } = await created({
      subject: 'Shift handover',
      start_time: '2026-06-02T14:00:00+02:00',
      end_time: '2026-06-02T14:30:00+02:00',
      time_zone: 'W. Europe Standard Time',
      required_attendees: ALICE,
      optional_attendees: BOB,
      resources: ROOM,
    });
    const organizer = await itemOf(id);
    expect(organizer.calendar.requiredAttendees.map((a) => a.address)).toEqual([ALICE]);
    expect(organizer.calendar.optionalAttendees.map((a) => a.address)).toEqual([BOB]);
    expect(organizer.calendar.details?.resources.map((a) => a.address)).toEqual([ROOM]);
    for (const attendee of [ALICE, BOB]) {
      const requests = (await h.items(attendee, 'inbox')).filter((i) => i.subject === 'Shift handover');
      expect(requests.map((i) => i.itemClass)).toEqual(['IPM.Schedule.Meeting.Request']);
      expect(iso(requests[0]!.calendar?.start)).toBe('2026-06-02T12:00:00.000Z');
    }

    const silent = await created({
      subject: 'Quiet meeting',
      start_time: '2026-06-03T14:00:00Z',
      end_time: '2026-06-03T15:00:00Z',
      required_attendees: ALICE,
      send_invitations: 'none',
    });
    expect((await h.items(ALICE, 'inbox')).filter((i) => i.subject === 'Quiet meeting')).toEqual([]);
    expect((await itemOf(silent.id)).calendar.requiredAttendees.map((a) => a.address)).toEqual([ALICE]);

    const deleted = await run('rc_DeleteAppointment', { target_job_id: id });
    expect(deleted.row.status).toBe('Succeeded');
    expect(await h.itemsOfJob(id, SENDER, 'calendar')).toEqual([]);
    expect(await h.itemsOfJob(id, SENDER, 'deleteditems')).toHaveLength(1);
    for (const attendee of [ALICE, BOB]) {
      const classes = (await h.items(attendee, 'inbox'))
        .filter((i) => i.subject.endsWith('Shift handover'))
        .map((i) => i.itemClass)
        .sort();
      expect(classes).toEqual(['IPM.Schedule.Meeting.Canceled', 'IPM.Schedule.Meeting.Request']);
    }
  });

  it('each recurrence pattern and range reaches Exchange as written', async () => {
    const cases: Array<[unknown, unknown]> = [
      [
        { pattern: { type: 'daily', interval: 2 }, range: { type: 'endDate', endDate: '2026-07-31' } },
        {
          pattern: { type: 'DailyRecurrence', interval: 2 },
          range: { type: 'EndDateRecurrence', startDate: '2026-07-01', endDate: '2026-07-31' },
        },
      ],
      [
        { pattern: { type: 'absoluteMonthly', dayOfMonth: 1 }, range: { type: 'noEnd' } },
        {
          pattern: { type: 'AbsoluteMonthlyRecurrence', interval: 1, dayOfMonth: 1 },
          range: { type: 'NoEndRecurrence', startDate: '2026-07-01' },
        },
      ],
      [
        {
          pattern: { type: 'relativeMonthly', interval: 3, daysOfWeek: ['wednesday'], index: 'first' },
          range: { type: 'numbered', numberOfOccurrences: 4 },
        },
        {
          pattern: {
            type: 'RelativeMonthlyRecurrence',
            interval: 3,
            daysOfWeek: ['Wednesday'],
            dayOfWeekIndex: 'First',
          },
          range: { type: 'NumberedRecurrence', numberOfOccurrences: 4 },
        },
      ],
      [
        { pattern: { type: 'absoluteYearly', month: 7, dayOfMonth: 1 }, range: { type: 'noEnd' } },
        {
          pattern: { type: 'AbsoluteYearlyRecurrence', month: 'July', dayOfMonth: 1 },
          range: { type: 'NoEndRecurrence' },
        },
      ],
      [
        {
          pattern: { type: 'relativeYearly', month: 7, daysOfWeek: ['wednesday'], index: 'first' },
          range: { type: 'noEnd' },
        },
        {
          pattern: {
            type: 'RelativeYearlyRecurrence',
            month: 'July',
            daysOfWeek: ['Wednesday'],
            dayOfWeekIndex: 'First',
          },
          range: { type: 'NoEndRecurrence' },
        },
      ],
    ];
    for (const [given, stored] of cases) {
      const { id } = await created({
        subject: 'Series',
        start_time: '2026-07-01T06:00:00+02:00',
        end_time: '2026-07-01T07:00:00+02:00',
        time_zone: 'Europe/Berlin',
        recurrence: JSON.stringify(given),
      });
      expect((await itemOf(id)).calendar.details?.recurrence).toMatchObject(stored as object);
    }
  });

  it('a named calendar is created on first use and reused', async () => {
    const first = await created({
      subject: 'Line 1',
      start_time: '2026-05-11T06:00:00+02:00',
      end_time: '2026-05-11T14:00:00+02:00',
      calendar_name: 'Production plan',
    });
    const second = await created({
      subject: 'Line 2',
      start_time: '2026-05-11T14:00:00+02:00',
      end_time: '2026-05-11T22:00:00+02:00',
      calendar_name: 'production PLAN',
    });
    const [a, b] = [await itemOf(first.id), await itemOf(second.id)];
    expect(a).toMatchObject({ folderPath: 'Calendar/Production plan', folderClass: 'IPF.Appointment' });
    expect(b.folderPath).toBe('Calendar/Production plan');
  });

  it('another mailbox’s calendar through @target_profile (FullAccess on that mailbox)', async () => {
    await h.addTargetProfile(PLAN_PROFILE, PLAN);
    const { id, row } = await created({
      subject: 'Press 7: maintenance',
      start_time: '2026-05-12T06:00:00+02:00',
      end_time: '2026-05-12T10:00:00+02:00',
      time_zone: 'Europe/Berlin',
      target_profile: PLAN_PROFILE,
      calendar_name: 'Production plan',
    });
    const item = await itemOf(id, PLAN);
    expect(item).toMatchObject({ folderPath: 'Calendar/Production plan', subject: 'Press 7: maintenance' });
    expect(await h.itemsOfJob(id)).toEqual([]);
    // Update and delete reach it through the recorded ItemId.
    const moved = await run('rc_UpdateAppointment', {
      target_job_id: id,
      start_time: '2026-05-12T07:00:00+02:00',
      end_time: '2026-05-12T11:00:00+02:00',
      time_zone: 'Europe/Berlin',
    });
    expect(moved.row.status).toBe('Succeeded');
    expect(iso((await itemOf(id, PLAN)).calendar.start)).toBe('2026-05-12T05:00:00.000Z');
    expect(row.resultitemid).toBe(item.id);
  });

  it('updates by job id, by ItemId and by correlation key change only the given fields', async () => {
    const key = `appt-${Date.now()}`;
    const { id, row } = await created({
      subject: 'Review',
      location: 'Room A',
      start_time: '2026-09-01T09:00:00+02:00',
      end_time: '2026-09-01T10:00:00+02:00',
      time_zone: 'Europe/Berlin',
      reminder_minutes: 15,
      categories: 'Blue',
      correlation_key: key,
    });
    const byJob = await run('rc_UpdateAppointment', {
      target_job_id: id,
      subject: 'Review (moved)',
      location: '',
    });
    expect(byJob.row).toMatchObject({ status: 'Succeeded', lasterror: null });
    let item = await itemOf(id);
    expect(item.subject).toBe('Review (moved)');
    expect(item.calendar.location).toBe('');
    expect(item.categories).toEqual(['Blue']);
    expect(item.calendar.details).toMatchObject({ reminderIsSet: true, reminderMinutesBeforeStart: 15 });

    const byKey = await run('rc_UpdateAppointment', {
      correlation_key: key,
      categories: '',
      required_attendees: ALICE,
      send_invitations: 'none',
      recurrence: JSON.stringify({
        pattern: { type: 'daily' },
        range: { type: 'numbered', startDate: '2026-10-26', numberOfOccurrences: 2 },
      }),
    });
    expect(byKey.row).toMatchObject({ status: 'Succeeded', lasterror: null });
    item = await itemOf(id);
    expect(item.categories).toEqual([]);
    expect(item.calendar.requiredAttendees.map((a) => a.address)).toEqual([ALICE]);
    expect(item.calendar.details?.recurrence).toMatchObject({ pattern: { type: 'DailyRecurrence' } });

    const single = await run('rc_UpdateAppointment', {
      correlation_key: key,
      recurrence: '',
      required_attendees: '',
    });
    expect(single.row).toMatchObject({ status: 'Succeeded', lasterror: null });
    item = await itemOf(id);
    expect(item.calendar.details?.recurrence).toBeUndefined();
    expect(item.calendar.requiredAttendees).toEqual([]);
    const byItem = await run('rc_UpdateAppointment', {
      item_id: row.resultitemid,
      start_time: '2026-10-26T09:00:00+01:00',
      end_time: '2026-10-26T10:00:00+01:00',
      time_zone: 'W. Europe Standard Time',
      reminder_minutes: -1,
      show_as: 'tentative',
    });
    expect(byItem.row).toMatchObject({ status: 'Succeeded', lasterror: null });
    item = await itemOf(id);
    expect(iso(item.calendar.start)).toBe('2026-10-26T08:00:00.000Z');
    expect(item.calendar.details).toMatchObject({ reminderIsSet: false, legacyFreeBusyStatus: 'Tentative' });
    expect(item.subject).toBe('Review (moved)');
    expect(item.calendar.details?.recurrence).toBeUndefined();
  });

  it('an appointment changed in Exchange meanwhile: the update fails with conflict; @force overwrites', async () => {
    const { id, row } = await created({
      subject: 'Audit',
      start_time: '2026-09-10T09:00:00Z',
      end_time: '2026-09-10T10:00:00Z',
    });
    // Someone moves it in Outlook.
    await h.editInExchange(
      { itemId: row.resultitemid!, changeKey: row.resultchangekey! },
      { kind: 'appointment', fields: { location: 'Moved by a person' } },
      'fail',
    );
    const refused = await run('rc_UpdateAppointment', { target_job_id: id, location: 'Room B' });
    expect(refused.row).toMatchObject({ status: 'Failed', lasterrorcode: 'conflict' });
    expect((await itemOf(id)).calendar.location).toBe('Moved by a person');

    const forced = await run('rc_UpdateAppointment', { target_job_id: id, location: 'Room B', force: true });
    expect(forced.row.status).toBe('Succeeded');
    expect((await itemOf(id)).calendar.location).toBe('Room B');

    const removed = await run('rc_DeleteAppointment', { target_job_id: id, send_cancellations: 'none' });
    expect(removed.row.status).toBe('Succeeded');
    expect(await h.itemsOfJob(id, SENDER, 'calendar')).toEqual([]);
  });
});
