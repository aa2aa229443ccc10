/**
 * ISO 8601 text → the JS value tedious sends for a T-SQL `date` / `datetimeoffset` parameter, exactly the value
 * SQL Server would have parsed from that text.
 *
 * Why not leave the text to tedious: it runs it through `Date.parse`, which rolls an impossible date over
 * (2026-02-30 → 2026-03-02), reads a time without offset in the worker machine's zone, drops digits below the
 * millisecond and sends the machine's offset instead of the one written. SQL Server reads such text strictly:
 * no offset = +00:00, 100 ns precision, the offset as written, an impossible date is an error.
 *
 * Only the unambiguous ISO forms are converted here; anything else returns null and the caller passes the text
 * on for SQL Server to convert (or refuse) with its own rules, as it always did.
 */

/** A JS Date that tedious sends with 100 ns precision and a given offset (see toDateTimeOffset). */
export type TsqlDateTimeOffset = Date & { nanosecondDelta: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

const MIN_UTC = new Date('0001-01-01T00:00:00Z').getTime();
const MAX_UTC = new Date('9999-12-31T23:59:59.999Z').getTime();

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Milliseconds since the epoch of a valid proleptic-Gregorian UTC date (years 1–9999), else null. */
function utcMidnight(yearText: string, monthText: string, dayText: string): number | null {
  const [year, month, day] = [Number(yearText), Number(monthText), Number(dayText)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // setUTCFullYear keeps years 1–99 (Date.UTC maps them to 19xx)
  return date.getTime();
}

/** 'YYYY-MM-DD' → the UTC midnight of that date (tedious sends its UTC date: the pools use useUTC). */
export function toDate(text: string): Date | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const ms = utcMidnight(m[1]!, m[2]!, m[3]!);
  return ms === null ? null : new Date(ms);
}

/**
 * 'YYYY-MM-DD' (midnight, +00:00) or 'YYYY-MM-DDThh:mm:ss[.fffffff][Z|±hh:mm]' (no offset = +00:00) → a Date
 * at that instant whose nanosecondDelta carries the digits below the millisecond and whose getTimezoneOffset()
 * answers the written offset: tedious writes a datetimeoffset's offset from getTimezoneOffset(), so SQL Server
 * receives the value it would have parsed from the text. Null for any other form or an impossible value
 * (month 13, Feb 30, 24:00, a leap second, an offset beyond ±14:00, an instant outside years 1–9999).
 */
export function toDateTimeOffset(text: string): TsqlDateTimeOffset | null {
  const dateOnly = DATE.exec(text);
  const m = dateOnly ?? DATE_TIME.exec(text);
  if (!m) return null;
  const midnight = utcMidnight(m[1]!, m[2]!, m[3]!);
  if (midnight === null) return null;
  const [hours, minutes, seconds] = dateOnly ? [0, 0, 0] : [Number(m[4]), Number(m[5]), Number(m[6])];
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  const ticks = dateOnly ? 0 : Number((m[7] ?? '').padEnd(7, '0')); // 100 ns units below the second
  const offset = dateOnly || !m[8] || m[8] === 'Z' ? 0 : offsetMinutes(m[8]);
  if (offset === null) return null;
  const local = midnight + ((hours * 60 + minutes) * 60 + seconds) * 1000 + Math.floor(ticks / 10000);
  const utc = local - offset * 60000;
  if (utc < MIN_UTC || utc > MAX_UTC) return null;
  const value = new Date(utc) as TsqlDateTimeOffset;
  value.nanosecondDelta = (ticks % 10000) / 1e7;
  Object.defineProperty(value, 'getTimezoneOffset', { value: () => -offset });
  return value;
}

/** '+hh:mm' / '-hh:mm' → minutes east of UTC, null beyond ±14:00. */
function offsetMinutes(text: string): number | null {
  const hours = Number(text.slice(1, 3));
  const minutes = Number(text.slice(4, 6));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return (text[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
