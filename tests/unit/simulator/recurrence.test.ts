import { expandRecurrence, lastOccurrence, type Recurrence } from '../../../simulator/calendar/recurrence';
import { fromWallTime, ianaZone, toWallTime } from '../../../simulator/calendar/time-zones';

const WIDE_FROM = new Date('2020-01-01T00:00:00Z');
const WIDE_TO = new Date('2030-01-01T00:00:00Z');

function starts(
  rec: Recurrence,
  start: string,
  end: string,
  zone: string,
  from = WIDE_FROM,
  to = WIDE_TO,
): string[] {
  return expandRecurrence(rec, new Date(start), new Date(end), zone, from, to).map((o) =>
    o.start.toISOString(),
  );
}

function rec(
  pattern: Partial<Recurrence['pattern']> & Pick<Recurrence['pattern'], 'type'>,
  range: Recurrence['range'],
): Recurrence {
  return { pattern: { interval: 1, daysOfWeek: [], ...pattern }, range };
}

test('Windows time zone ids map to IANA zones; IANA ids pass; unknown ids do not', () => {
  expect(ianaZone('W. Europe Standard Time')).toBe('Europe/Berlin');
  expect(ianaZone('Pacific Standard Time')).toBe('America/Los_Angeles');
  expect(ianaZone('Europe/Paris')).toBe('Europe/Paris');
  expect(ianaZone('Mars Standard Time')).toBeUndefined();
});

test('wall time converts both ways, across DST, and a skipped wall time moves past the gap', () => {
  expect(
    fromWallTime(
      { year: 2026, month: 3, day: 30, hour: 9, minute: 0, second: 0 },
      'Europe/Berlin',
    ).toISOString(),
  ).toBe('2026-03-30T07:00:00.000Z');
  expect(toWallTime(new Date('2026-01-05T08:00:00Z'), 'Europe/Berlin')).toEqual({
    year: 2026,
    month: 1,
    day: 5,
    hour: 9,
    minute: 0,
    second: 0,
  });
  const gap = fromWallTime(
    { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 },
    'Europe/Berlin',
  );
  expect(toWallTime(gap, 'Europe/Berlin').hour).toBe(3);
});

test('weekly on Monday at 09:00 Berlin keeps 09:00 local across both DST changes', () => {
  const weekly = rec(
    { type: 'WeeklyRecurrence', daysOfWeek: ['Monday'] },
    { type: 'NumberedRecurrence', startDate: '2026-03-23', numberOfOccurrences: 3 },
  );
  expect(starts(weekly, '2026-03-23T08:00:00Z', '2026-03-23T09:00:00Z', 'Europe/Berlin')).toEqual([
    '2026-03-23T08:00:00.000Z',
    '2026-03-30T07:00:00.000Z',
    '2026-04-06T07:00:00.000Z',
  ]);
  const autumn = rec(
    { type: 'WeeklyRecurrence', daysOfWeek: ['Monday'] },
    { type: 'NumberedRecurrence', startDate: '2026-10-19', numberOfOccurrences: 2 },
  );
  expect(starts(autumn, '2026-10-19T07:00:00Z', '2026-10-19T08:00:00Z', 'Europe/Berlin')).toEqual([
    '2026-10-19T07:00:00.000Z',
    '2026-10-26T08:00:00.000Z',
  ]);
});

test('weekly with several days and an interval of two weeks', () => {
  const r = rec(
    { type: 'WeeklyRecurrence', interval: 2, daysOfWeek: ['Tuesday', 'Thursday'], firstDayOfWeek: 'Monday' },
    { type: 'EndDateRecurrence', startDate: '2026-01-06', endDate: '2026-01-31' },
  );
  expect(starts(r, '2026-01-06T10:00:00Z', '2026-01-06T11:00:00Z', 'UTC')).toEqual([
    '2026-01-06T10:00:00.000Z',
    '2026-01-08T10:00:00.000Z',
    '2026-01-20T10:00:00.000Z',
    '2026-01-22T10:00:00.000Z',
  ]);
});

test('daily every third day, cut by the window', () => {
  const r = rec(
    { type: 'DailyRecurrence', interval: 3 },
    { type: 'NoEndRecurrence', startDate: '2026-02-01' },
  );
  expect(
    starts(
      r,
      '2026-02-01T09:00:00Z',
      '2026-02-01T09:30:00Z',
      'UTC',
      new Date('2026-02-05T00:00:00Z'),
      new Date('2026-02-12T00:00:00Z'),
    ),
  ).toEqual(['2026-02-07T09:00:00.000Z', '2026-02-10T09:00:00.000Z']);
});

test('an occurrence that started before the window but overlaps it is included', () => {
  const r = rec(
    { type: 'DailyRecurrence' },
    { type: 'NumberedRecurrence', startDate: '2026-02-01', numberOfOccurrences: 5 },
  );
  expect(
    starts(
      r,
      '2026-02-01T09:00:00Z',
      '2026-02-01T11:00:00Z',
      'UTC',
      new Date('2026-02-02T10:00:00Z'),
      new Date('2026-02-02T12:00:00Z'),
    ),
  ).toEqual(['2026-02-02T09:00:00.000Z']);
});

test('absolute monthly on the 31st falls on the last day of shorter months', () => {
  const r = rec(
    { type: 'AbsoluteMonthlyRecurrence', dayOfMonth: 31 },
    { type: 'NumberedRecurrence', startDate: '2026-01-31', numberOfOccurrences: 4 },
  );
  expect(starts(r, '2026-01-31T12:00:00Z', '2026-01-31T13:00:00Z', 'UTC')).toEqual([
    '2026-01-31T12:00:00.000Z',
    '2026-02-28T12:00:00.000Z',
    '2026-03-31T12:00:00.000Z',
    '2026-04-30T12:00:00.000Z',
  ]);
});

test('relative monthly: second Tuesday, last Friday, and the last weekday', () => {
  const second = rec(
    { type: 'RelativeMonthlyRecurrence', daysOfWeek: ['Tuesday'], dayOfWeekIndex: 'Second' },
    { type: 'NumberedRecurrence', startDate: '2026-01-01', numberOfOccurrences: 3 },
  );
  expect(starts(second, '2026-01-13T09:00:00Z', '2026-01-13T10:00:00Z', 'UTC')).toEqual([
    '2026-01-13T09:00:00.000Z',
    '2026-02-10T09:00:00.000Z',
    '2026-03-10T09:00:00.000Z',
  ]);
  const lastFriday = rec(
    { type: 'RelativeMonthlyRecurrence', daysOfWeek: ['Friday'], dayOfWeekIndex: 'Last' },
    { type: 'NumberedRecurrence', startDate: '2026-01-01', numberOfOccurrences: 2 },
  );
  expect(starts(lastFriday, '2026-01-30T09:00:00Z', '2026-01-30T10:00:00Z', 'UTC')).toEqual([
    '2026-01-30T09:00:00.000Z',
    '2026-02-27T09:00:00.000Z',
  ]);
  const lastWeekday = rec(
    { type: 'RelativeMonthlyRecurrence', daysOfWeek: ['Weekday'], dayOfWeekIndex: 'Last' },
    { type: 'NumberedRecurrence', startDate: '2026-05-01', numberOfOccurrences: 1 },
  );
  expect(starts(lastWeekday, '2026-05-29T09:00:00Z', '2026-05-29T10:00:00Z', 'UTC')).toEqual([
    '2026-05-29T09:00:00.000Z',
  ]);
});

test('yearly patterns: absolute (29 February falls back to the 28th) and relative (fourth Thursday of November)', () => {
  const leap = rec(
    { type: 'AbsoluteYearlyRecurrence', dayOfMonth: 29, month: 'February' },
    { type: 'NumberedRecurrence', startDate: '2028-02-29', numberOfOccurrences: 2 },
  );
  expect(starts(leap, '2028-02-29T08:00:00Z', '2028-02-29T09:00:00Z', 'UTC')).toEqual([
    '2028-02-29T08:00:00.000Z',
    '2029-02-28T08:00:00.000Z',
  ]);
  const thanksgiving = rec(
    {
      type: 'RelativeYearlyRecurrence',
      daysOfWeek: ['Thursday'],
      dayOfWeekIndex: 'Fourth',
      month: 'November',
    },
    { type: 'EndDateRecurrence', startDate: '2026-01-01', endDate: '2027-12-31' },
  );
  expect(starts(thanksgiving, '2026-11-26T17:00:00Z', '2026-11-26T20:00:00Z', 'America/New_York')).toEqual([
    '2026-11-26T17:00:00.000Z',
    '2027-11-25T17:00:00.000Z',
  ]);
});

test('lastOccurrence of a numbered series; an endless series has none', () => {
  const numbered = rec(
    { type: 'DailyRecurrence' },
    { type: 'NumberedRecurrence', startDate: '2026-02-01', numberOfOccurrences: 10 },
  );
  const master = [new Date('2026-02-01T09:00:00Z'), new Date('2026-02-01T10:00:00Z')] as const;
  expect(lastOccurrence(numbered, ...master, 'UTC')?.start.toISOString()).toBe('2026-02-10T09:00:00.000Z');
  const endless = rec({ type: 'DailyRecurrence' }, { type: 'NoEndRecurrence', startDate: '2026-02-01' });
  expect(lastOccurrence(endless, ...master, 'UTC')).toBeUndefined();
});
