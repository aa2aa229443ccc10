/**
 * Time zones for calendar items: EWS names them with Windows ids ("W. Europe Standard Time"); the simulator maps
 * every Windows id CLDR knows to its IANA zone (the worker's generated map, worker/exchange/time-zone-data.ts),
 * accepts IANA ids as they are, and converts between UTC and local wall time with Intl, so recurrence expands in
 * the event's own zone and 09:00 stays 09:00 across DST changes.
 */
import { WINDOWS_TO_IANA } from '../../worker/exchange/time-zone-data';

/** Spellings Exchange also answers to that are not in CLDR's map. */
const EXTRA_WINDOWS_IDS: Readonly<Record<string, string>> = { 'Coordinated Universal Time': 'UTC' };

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
  const mapped = WINDOWS_TO_IANA[id] ?? EXTRA_WINDOWS_IDS[id];
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
