/**
 * Windows ↔ IANA time zone ids (CLDR windowsZones, generated into ./time-zone-data.ts; the database holds the same
 * rows in rc.TimeZones / rc.TimeZoneAliases). Exchange names zones by Windows id; callers may use either spelling.
 */
import { IANA_TO_WINDOWS, WINDOWS_TO_IANA } from './time-zone-data';

function lowerKeyed(map: Readonly<Record<string, string>>): Map<string, [string, string]> {
  return new Map(Object.entries(map).map(([key, value]) => [key.toLowerCase(), [key, value]]));
}

const windowsByLower = lowerKeyed(WINDOWS_TO_IANA);
const ianaByLower = lowerKeyed(IANA_TO_WINDOWS);

/**
 * The Windows id for a Windows or IANA spelling (trimmed, case-insensitive), as the SQL procedures resolve
 * @time_zone; undefined when the id is neither.
 */
export function windowsZoneId(id: string): string | undefined {
  const key = id.trim().toLowerCase();
  return windowsByLower.get(key)?.[0] ?? ianaByLower.get(key)?.[1];
}

/** The primary IANA zone of a Windows id (exact spelling or any case); undefined for an unknown id. */
export function ianaZoneOf(windowsId: string): string | undefined {
  return windowsByLower.get(windowsId.trim().toLowerCase())?.[1];
}

/** Every Windows id, in CLDR's order (by UTC offset). */
export function windowsZoneIds(): string[] {
  return Object.keys(WINDOWS_TO_IANA);
}
