/**
 * The time-zone map exists three times (two V0003 migrations and worker/exchange/time-zone-data.ts), all generated
 * from scripts/time-zones/windows-zones.txt. These tests prove the copies agree, that every id is one the
 * runtime knows (Node's Intl for IANA ids, the simulator for Windows ids), and the lookups of time-zones.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IANA_TO_WINDOWS, WINDOWS_TO_IANA } from '../../worker/exchange/time-zone-data';
import { ianaZoneOf, windowsZoneId, windowsZoneIds } from '../../worker/exchange/time-zones';
import { ianaZone } from '../../simulator/calendar/time-zones';

interface Generator {
  render(): Record<string, string>;
  parseZones(text: string): { zones: unknown[]; renamed: Array<{ ianaId: string; cldrId: string }> };
  DATA_FILE: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain-JavaScript script, no types
const generator = require('../../scripts/time-zones/generate-time-zones.js') as Generator;

const ROOT = path.resolve(__dirname, '..', '..');

/** The (a, b) string pairs of `INSERT INTO rc.<table> (…) VALUES (…), …;` in a migration. */
function insertedRows(sql: string, table: string): Array<[string, string]> {
  const start = sql.indexOf(`INSERT INTO rc.${table} `);
  const end = sql.indexOf(';', start);
  const values = sql.slice(start, end);
  return [...values.matchAll(/\(N?'((?:[^']|'')*)', N?'((?:[^']|'')*)'\)/g)].map((m) => [
    m[1]!.replace(/''/g, "'"),
    m[2]!.replace(/''/g, "'"),
  ]);
}

describe('time-zone map', () => {
  test('the generated files are what scripts/time-zones/generate-time-zones.js renders from the data file', async () => {
    const files = generator.render();
    expect(Object.keys(files)).toHaveLength(3);
    for (const [file, content] of Object.entries(files)) {
      expect({ file, content: readFileSync(path.join(ROOT, file), 'utf8') }).toEqual({ file, content });
    }
  });

  test.each(['mssql', 'postgres'])('the %s migration inserts exactly the TypeScript map', (dialect) => {
    const sql = readFileSync(path.join(ROOT, 'db-migrations', dialect, 'V0003__time_zones.sql'), 'utf8');
    expect(Object.fromEntries(insertedRows(sql, 'TimeZones'))).toEqual(WINDOWS_TO_IANA);
    expect(insertedRows(sql, 'TimeZones')).toHaveLength(Object.keys(WINDOWS_TO_IANA).length);
    expect(Object.fromEntries(insertedRows(sql, 'TimeZoneAliases'))).toEqual(IANA_TO_WINDOWS);
    expect(insertedRows(sql, 'TimeZoneAliases')).toHaveLength(Object.keys(IANA_TO_WINDOWS).length);
  });

  test('covers CLDR: 139 Windows ids, every primary IANA id is also an alias of its own Windows id', () => {
    expect(windowsZoneIds()).toHaveLength(139);
    for (const [windowsId, ianaId] of Object.entries(WINDOWS_TO_IANA)) {
      expect({ ianaId, windowsId: IANA_TO_WINDOWS[ianaId] }).toEqual({ ianaId, windowsId });
    }
    // every alias points at a known Windows id; no id is known twice in any case
    for (const windowsId of Object.values(IANA_TO_WINDOWS)) expect(WINDOWS_TO_IANA[windowsId]).toBeDefined();
    const lower = (ids: string[]) => new Set(ids.map((id) => id.toLowerCase())).size;
    expect(lower(Object.keys(IANA_TO_WINDOWS))).toBe(Object.keys(IANA_TO_WINDOWS).length);
    expect(lower(Object.keys(WINDOWS_TO_IANA))).toBe(Object.keys(WINDOWS_TO_IANA).length);
  });

  test("every IANA id is known to Node's Intl", () => {
    const unknown = Object.keys(IANA_TO_WINDOWS).filter((id) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: id });
        return false;
      } catch {
        return true;
      }
    });
    expect(unknown).toEqual([]);
  });

  test('each renamed zone is the same zone as the CLDR id it stands for (ICU canonicalises it so)', () => {
    const { renamed } = generator.parseZones(readFileSync(generator.DATA_FILE, 'utf8'));
    expect(renamed.length).toBeGreaterThan(0);
    for (const { ianaId, cldrId } of renamed) {
      const canonical = new Intl.DateTimeFormat('en-US', { timeZone: ianaId }).resolvedOptions().timeZone;
      expect({ ianaId, canonical }).toEqual({ ianaId, canonical: cldrId });
      expect(IANA_TO_WINDOWS[ianaId]).toBe(IANA_TO_WINDOWS[cldrId]);
    }
  });

  test('every Windows id is accepted by the simulator and lands in its primary zone', () => {
    for (const [windowsId, ianaId] of Object.entries(WINDOWS_TO_IANA)) {
      expect({ windowsId, zone: ianaZone(windowsId) }).toEqual({ windowsId, zone: ianaId });
    }
  });

  test('windowsZoneId takes either spelling, any case, trimmed; ianaZoneOf goes back', () => {
    expect(windowsZoneId('W. Europe Standard Time')).toBe('W. Europe Standard Time');
    expect(windowsZoneId('  w. europe standard time ')).toBe('W. Europe Standard Time');
    expect(windowsZoneId('Europe/Berlin')).toBe('W. Europe Standard Time');
    expect(windowsZoneId('europe/zurich')).toBe('W. Europe Standard Time');
    expect(windowsZoneId('Asia/Kolkata')).toBe('India Standard Time');
    expect(windowsZoneId('Asia/Calcutta')).toBe('India Standard Time');
    expect(windowsZoneId('Etc/UTC')).toBe('UTC');
    expect(windowsZoneId('UTC')).toBe('UTC');
    expect(windowsZoneId('Mars/Olympus_Mons')).toBeUndefined();
    expect(windowsZoneId('')).toBeUndefined();
    expect(ianaZoneOf('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaZoneOf('eastern standard time')).toBe('America/New_York');
    expect(ianaZoneOf('Europe/Berlin')).toBeUndefined();
  });

  test('the data file is checked: a Windows id twice, an IANA id under two Windows ids, a bad rename', () => {
    expect(() => generator.parseZones('A | X/Y | X/Y\nA | X/Z | X/Z\n')).toThrow(/Windows id "A" twice/);
    expect(() => generator.parseZones('A | X/Y | X/Y\nB | X/Z | X/Z X/Y\n')).toThrow(/under two Windows ids/);
    expect(() => generator.parseZones('A | X/Y | X/Z X/Y\n')).toThrow(/primary IANA id must come first/);
    expect(() => generator.parseZones('A | X/Y | X/Y\n= X/New | X/Old\n')).toThrow(/not a CLDR id/);
    expect(() => generator.parseZones('A | X/Y |\n')).toThrow(/expected/);
  });
});
