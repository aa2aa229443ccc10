/**
 * The worker's zod schema for an appointment's payload fields (worker/jobs/appointment-fields-schema.ts): what the
 * SQL helpers write passes (create: every key; update: any subset), anything else is refused with the path
 * named. The conformance suite parses every payload the procedures write with the same schema.
 */
import { appointmentFieldsSchema } from '../../worker/jobs/appointment-fields-schema';

const full = {
  subject: 'Plan',
  body: '<p>x</p>',
  bodyType: 'HTML',
  start: '2026-03-28T08:00:00Z',
  end: '2026-03-30T15:30:00.250Z',
  timeZone: 'W. Europe Standard Time',
  isAllDay: false,
  location: null,
  showAs: 'OOF',
  sensitivity: 'Private',
  reminderMinutes: null,
  categories: ['Plan'],
  requiredAttendees: ['a@example.com'],
  optionalAttendees: [],
  resources: [],
  recurrence: {
    pattern: { type: 'weekly', interval: 2, daysOfWeek: ['Monday', 'Friday'], firstDayOfWeek: 'Monday' },
    range: { type: 'endDate', startDate: '2026-03-28', endDate: '2026-06-30' },
  },
};

const problems = (value: unknown) =>
  appointmentFieldsSchema.safeParse(value).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ??
  [];

describe('appointmentFieldsSchema', () => {
  test('a create payload with every key, and update payloads with any subset, pass', () => {
    expect(problems(full)).toEqual([]);
    expect(problems({})).toEqual([]);
    expect(problems({ location: null, reminderMinutes: null, recurrence: null, categories: [] })).toEqual([]);
    expect(
      problems({
        start: '2026-05-04T07:00:00Z',
        end: '2026-05-04T08:00:00Z',
        timeZone: 'UTC',
        isAllDay: true,
      }),
    ).toEqual([]);
  });

  test.each([
    ['daily', { type: 'daily', interval: 999 }],
    ['absolute monthly', { type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }],
    ['relative monthly', { type: 'relativeMonthly', interval: 1, daysOfWeek: ['Friday'], index: 'Last' }],
    ['absolute yearly', { type: 'absoluteYearly', month: 2, dayOfMonth: 29 }],
    ['relative yearly', { type: 'relativeYearly', month: 9, daysOfWeek: ['Monday'], index: 'First' }],
  ])('the %s pattern passes', (_what, pattern) => {
    expect(problems({ recurrence: { pattern, range: { type: 'noEnd', startDate: '2026-05-04' } } })).toEqual(
      [],
    );
    expect(
      problems({
        recurrence: {
          pattern,
          range: { type: 'numbered', startDate: '2026-05-04', numberOfOccurrences: 999 },
        },
      }),
    ).toEqual([]);
  });

  test.each([
    ['an unknown key', { colour: 'red' }, ''],
    ['an IANA id (the procedures store the Windows id)', { timeZone: 'Europe/Berlin' }, 'timeZone'],
    ['a Windows id in the wrong case', { timeZone: 'w. europe standard time' }, 'timeZone'],
    ['a time without offset', { start: '2026-05-04T07:00:00' }, 'start'],
    ['the end before the start', { start: '2026-05-04T08:00:00Z', end: '2026-05-04T07:00:00Z' }, 'end'],
    ['a reminder over 4 weeks', { reminderMinutes: 40321 }, 'reminderMinutes'],
    ['a negative reminder', { reminderMinutes: -1 }, 'reminderMinutes'],
    ['showAs in another case', { showAs: 'oof' }, 'showAs'],
    ['bodyType TEXT', { bodyType: 'TEXT' }, 'bodyType'],
    ['an empty attendee', { requiredAttendees: [''] }, 'requiredAttendees.0'],
    [
      'two days in a relative pattern',
      {
        recurrence: {
          pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['Monday', 'Friday'], index: 'First' },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      },
      'recurrence.pattern.daysOfWeek',
    ],
    [
      'interval 1000',
      {
        recurrence: {
          pattern: { type: 'daily', interval: 1000 },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      },
      'recurrence.pattern.interval',
    ],
    [
      'a range without startDate',
      { recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'noEnd' } } },
      'recurrence.range.startDate',
    ],
    [
      'a key the pattern type does not have',
      {
        recurrence: {
          pattern: { type: 'daily', interval: 1, dayOfMonth: 3 },
          range: { type: 'noEnd', startDate: '2026-05-04' },
        },
      },
      'recurrence.pattern',
    ],
  ])('refuses %s', (_what, value, path) => {
    const found = problems(value);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((p) => p.startsWith(`${path}:`) || (path === '' && p.startsWith(':')))).toBe(true);
  });
});
