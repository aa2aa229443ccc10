/**
 * Recurrence patterns and ranges of calendar items (types.xsd RecurrenceType) and their expansion into
 * occurrences. Expansion runs on local dates in the event's time zone: each occurrence starts at the master's
 * local time of day on its date, converted to UTC on that date, so DST changes do not move it.
 */
import { fromWallTime, toWallTime } from './time-zones';

export type PatternType =
  | 'DailyRecurrence'
  | 'WeeklyRecurrence'
  | 'AbsoluteMonthlyRecurrence'
  | 'RelativeMonthlyRecurrence'
  | 'AbsoluteYearlyRecurrence'
  | 'RelativeYearlyRecurrence';

export const PATTERN_TYPES: readonly PatternType[] = [
  'DailyRecurrence',
  'WeeklyRecurrence',
  'AbsoluteMonthlyRecurrence',
  'RelativeMonthlyRecurrence',
  'AbsoluteYearlyRecurrence',
  'RelativeYearlyRecurrence',
];

export type RangeType = 'NoEndRecurrence' | 'EndDateRecurrence' | 'NumberedRecurrence';

export const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

export const WEEK_INDEXES = ['First', 'Second', 'Third', 'Fourth', 'Last'] as const;

export interface Recurrence {
  pattern: {
    type: PatternType;
    /** Yearly patterns have none; 1 then. */
    interval: number;
    /** Day names, or Day / Weekday / WeekendDay for relative patterns. */
    daysOfWeek: string[];
    firstDayOfWeek?: string;
    dayOfMonth?: number;
    dayOfWeekIndex?: (typeof WEEK_INDEXES)[number];
    month?: (typeof MONTH_NAMES)[number];
  };
  range: {
    type: RangeType;
    /** YYYY-MM-DD, a local date in the event's zone. */
    startDate: string;
    endDate?: string;
    numberOfOccurrences?: number;
  };
}

export interface Occurrence {
  start: Date;
  end: Date;
  /** 1-based position in the series. */
  index: number;
}

const DAY_MS = 86_400_000;
/** Safety bound on the days walked for one expansion (about 100 years). */
const MAX_DAYS = 36_600;

interface LocalDate {
  year: number;
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
  /** Days since 1970-01-01. */
  serial: number;
}

function parseDate(text: string): LocalDate {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  return localDate(Date.UTC(y, m - 1, d) / DAY_MS);
}

function localDate(serial: number): LocalDate {
  const d = new Date(serial * DAY_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    serial,
  };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dayMatches(name: string, weekday: number): boolean {
  if (name === 'Day') return true;
  if (name === 'Weekday') return weekday >= 1 && weekday <= 5;
  if (name === 'WeekendDay') return weekday === 0 || weekday === 6;
  return DAY_NAMES[weekday] === name;
}

/** True when `date` is the `index`-th day of its month that matches `dayName`. */
function isRelativeDay(date: LocalDate, dayName: string, index: string): boolean {
  if (!dayMatches(dayName, date.weekday)) return false;
  const last = daysInMonth(date.year, date.month);
  let ordinal = 0;
  for (let d = 1; d <= date.day; d++) {
    const wd = (date.weekday - (date.day - d) + 700) % 7;
    if (dayMatches(dayName, wd)) ordinal++;
  }
  if (index === 'Last') {
    for (let d = date.day + 1; d <= last; d++) {
      const wd = (date.weekday + (d - date.day)) % 7;
      if (dayMatches(dayName, wd)) return false;
    }
    return true;
  }
  return ordinal === WEEK_INDEXES.indexOf(index as (typeof WEEK_INDEXES)[number]) + 1;
}

function matches(rec: Recurrence, first: LocalDate, date: LocalDate): boolean {
  const p = rec.pattern;
  const monthsApart = (date.year - first.year) * 12 + (date.month - first.month);
  switch (p.type) {
    case 'DailyRecurrence':
      return (date.serial - first.serial) % p.interval === 0;
    case 'WeeklyRecurrence': {
      if (!p.daysOfWeek.some((n) => dayMatches(n, date.weekday))) return false;
      const weekStart = Math.max(0, DAY_NAMES.indexOf((p.firstDayOfWeek ?? 'Sunday') as 'Sunday'));
      const startOfWeek = (d: LocalDate) => d.serial - ((d.weekday - weekStart + 7) % 7);
      return ((startOfWeek(date) - startOfWeek(first)) / 7) % p.interval === 0;
    }
    case 'AbsoluteMonthlyRecurrence':
      return (
        monthsApart % p.interval === 0 &&
        date.day === Math.min(p.dayOfMonth ?? 1, daysInMonth(date.year, date.month))
      );
    case 'RelativeMonthlyRecurrence':
      return (
        monthsApart % p.interval === 0 &&
        isRelativeDay(date, p.daysOfWeek[0] ?? 'Day', p.dayOfWeekIndex ?? 'First')
      );
    case 'AbsoluteYearlyRecurrence':
      return (
        MONTH_NAMES[date.month - 1] === p.month &&
        date.day === Math.min(p.dayOfMonth ?? 1, daysInMonth(date.year, date.month))
      );
    case 'RelativeYearlyRecurrence':
      return (
        MONTH_NAMES[date.month - 1] === p.month &&
        isRelativeDay(date, p.daysOfWeek[0] ?? 'Day', p.dayOfWeekIndex ?? 'First')
      );
  }
}

/**
 * The occurrences of a series whose first instance is `masterStart`–`masterEnd`, in `zone`, that overlap
 * [windowStart, windowEnd). Occurrences keep the master's local time of day and its duration.
 */
export function expandRecurrence(
  rec: Recurrence,
  masterStart: Date,
  masterEnd: Date,
  zone: string,
  windowStart: Date,
  windowEnd: Date,
): Occurrence[] {
  const duration = masterEnd.getTime() - masterStart.getTime();
  const time = toWallTime(masterStart, zone);
  const first = parseDate(rec.range.startDate);
  const last =
    rec.range.type === 'EndDateRecurrence' && rec.range.endDate ? parseDate(rec.range.endDate) : undefined;
  const limit = rec.range.type === 'NumberedRecurrence' ? (rec.range.numberOfOccurrences ?? 0) : Infinity;
  const out: Occurrence[] = [];
  let index = 0;
  for (let serial = first.serial; serial < first.serial + MAX_DAYS && index < limit; serial++) {
    if (last && serial > last.serial) break;
    const date = localDate(serial);
    if (!matches(rec, first, date)) continue;
    index++;
    const start = fromWallTime({ ...time, year: date.year, month: date.month, day: date.day }, zone);
    if (start.getTime() >= windowEnd.getTime()) break;
    const end = new Date(start.getTime() + duration);
    if (end.getTime() > windowStart.getTime() || (duration === 0 && start >= windowStart)) {
      out.push({ start, end, index });
    }
  }
  return out;
}

/** The last occurrence of a bounded series (EndDate / Numbered), for LastOccurrence; undefined when endless. */
export function lastOccurrence(
  rec: Recurrence,
  masterStart: Date,
  masterEnd: Date,
  zone: string,
): Occurrence | undefined {
  if (rec.range.type === 'NoEndRecurrence') return undefined;
  const all = expandRecurrence(rec, masterStart, masterEnd, zone, new Date(0), new Date(8.64e15));
  return all[all.length - 1];
}
