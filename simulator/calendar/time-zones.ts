/**
 * Time zones for calendar items: EWS names them with Windows ids ("W. Europe Standard Time"); the simulator maps the
 * common ones to IANA zones (and accepts IANA ids as they are) and converts between UTC and local wall time with
 * Intl, so recurrence expands in the event's own zone and 09:00 stays 09:00 across DST changes.
 */

const WINDOWS_TO_IANA: Readonly<Record<string, string>> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Central European Standard Time': 'Europe/Warsaw',
  'Romance Standard Time': 'Europe/Paris',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'FLE Standard Time': 'Europe/Kiev',
  'GTB Standard Time': 'Europe/Bucharest',
  'Russian Standard Time': 'Europe/Moscow',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Israel Standard Time': 'Asia/Jerusalem',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Arabian Standard Time': 'Asia/Dubai',
  'India Standard Time': 'Asia/Kolkata',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Eastern Standard Time': 'America/New_York',
  'Central Standard Time': 'America/Chicago',
  'Mountain Standard Time': 'America/Denver',
  'US Mountain Standard Time': 'America/Phoenix',
  'Pacific Standard Time': 'America/Los_Angeles',
  'Alaskan Standard Time': 'America/Anchorage',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Atlantic Standard Time': 'America/Halifax',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Canada Central Standard Time': 'America/Regina',
};

function isIanaZone(id: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: id });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone for a Windows or IANA id; undefined when neither is known. */
export function ianaZone(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const mapped = WINDOWS_TO_IANA[id];
  if (mapped) return mapped;
  return isIanaZone(id) ? id : undefined;
}

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Local wall time of an instant in `zone`. */
export function toWallTime(date: Date, zone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour % 24,
    minute: parts.minute,
    second: parts.second,
  };
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant at which `zone` shows wall time `w`. A wall time skipped by a DST gap maps to the instant one gap
 * later (as Exchange shows 02:30 on the spring-forward day as 03:30); an ambiguous one to its first occurrence.
 */
export function fromWallTime(w: WallTime, zone: string): Date {
  const target = wallAsUtcMs(w);
  const offsetAt = (ms: number) => wallAsUtcMs(toWallTime(new Date(ms), zone)) - ms;
  // Zones change their offset at most once within a couple of days, so the offsets a day before and after
  // are the only candidates.
  const before = offsetAt(target - DAY_MS);
  const after = offsetAt(target + DAY_MS);
  const valid = [target - before, target - after]
    .filter((t) => wallAsUtcMs(toWallTime(new Date(t), zone)) === target)
    .sort((a, b) => a - b);
  return new Date(valid[0] ?? target - before);
}
