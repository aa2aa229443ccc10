#!/usr/bin/env node
// @ts-check
/**
 * Writes the time-zone map in every form rc-exchange needs from one checked-in data file
 * (scripts/time-zones/windows-zones.txt, CLDR's windowsZones mapping):
 *   db-migrations/mssql/V0003__time_zones.sql and db-migrations/postgres/V0003__time_zones.sql
 *     (rc.TimeZones, rc.TimeZoneAliases: what the appointment procedures validate @time_zone against),
 *   worker/exchange/time-zone-data.ts (the same map for the worker and the simulator).
 *
 *   node scripts/time-zones/generate-time-zones.js          rewrite the three files
 *   node scripts/time-zones/generate-time-zones.js --check  exit 1 when a file differs from the data
 *
 * Plain JavaScript so it runs with `node` alone; tests/unit/time-zones.test.ts imports render() and proves the
 * checked-in files are what it renders. V0003 is a released migration once shipped (checksummed, forward-only):
 * a later change of the data belongs in a new migration, not in an edited V0003.
 */
/* global require, module, __dirname, process, console -- a CommonJS script run by node */
/* eslint-disable @typescript-eslint/no-require-imports -- plain JavaScript, no build step */
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DATA_FILE = path.join(__dirname, 'windows-zones.txt');
const OUTPUTS = {
  mssql: 'db-migrations/mssql/V0003__time_zones.sql',
  postgres: 'db-migrations/postgres/V0003__time_zones.sql',
  ts: 'worker/exchange/time-zone-data.ts',
};

/**
 * @typedef {{ windowsId: string, ianaId: string, ianaIds: string[] }} WindowsZone
 * @typedef {{ zones: WindowsZone[], renamed: Array<{ ianaId: string, cldrId: string }> }} ZoneData
 */

/**
 * Parses windows-zones.txt: `<Windows id> | <primary IANA id> | <IANA ids…>` and `= <current id> | <CLDR id>`.
 * @param {string} text
 * @returns {ZoneData}
 */
function parseZones(text) {
  /** @type {ZoneData} */
  const data = { zones: [], renamed: [] };
  const problems = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `windows-zones.txt:${index + 1}`;
    if (line.startsWith('=')) {
      const parts = line
        .slice(1)
        .split('|')
        .map((p) => p.trim());
      if (parts.length !== 2 || parts.some((p) => p === ''))
        problems.push(`${where}: expected "= <current> | <CLDR id>"`);
      else data.renamed.push({ ianaId: parts[0], cldrId: parts[1] });
      return;
    }
    const parts = line.split('|').map((p) => p.trim());
    if (parts.length !== 3 || parts.some((p) => p === '')) {
      problems.push(`${where}: expected "<Windows id> | <primary IANA id> | <IANA ids>"`);
      return;
    }
    const ianaIds = parts[2].split(/\s+/);
    if (ianaIds[0] !== parts[1]) problems.push(`${where}: the primary IANA id must come first in the list`);
    data.zones.push({ windowsId: parts[0], ianaId: parts[1], ianaIds });
  });
  const windowsIds = new Set();
  const owner = new Map();
  for (const zone of data.zones) {
    if (windowsIds.has(zone.windowsId.toLowerCase())) problems.push(`Windows id "${zone.windowsId}" twice`);
    windowsIds.add(zone.windowsId.toLowerCase());
    for (const id of zone.ianaIds) {
      if (owner.has(id.toLowerCase())) problems.push(`IANA id "${id}" under two Windows ids`);
      owner.set(id.toLowerCase(), zone.windowsId);
    }
  }
  for (const r of data.renamed) {
    if (!owner.has(r.cldrId.toLowerCase()))
      problems.push(`renamed "${r.ianaId}": "${r.cldrId}" is not a CLDR id above`);
    if (owner.has(r.ianaId.toLowerCase())) problems.push(`renamed "${r.ianaId}" is already a CLDR id`);
    owner.set(r.ianaId.toLowerCase(), owner.get(r.cldrId.toLowerCase()));
  }
  if (problems.length > 0) throw new Error(`windows-zones.txt is invalid:\n  ${problems.join('\n  ')}`);
  return data;
}

/**
 * Every IANA id → Windows id pair: the CLDR ids in file order, then the renamed zones' current names.
 * @param {ZoneData} data
 * @returns {Array<[string, string]>}
 */
function aliasPairs(data) {
  /** @type {Array<[string, string]>} */
  const pairs = data.zones.flatMap((z) =>
    z.ianaIds.map((id) => /** @type {[string, string]} */ ([id, z.windowsId])),
  );
  const windowsOf = new Map(pairs);
  for (const r of data.renamed) pairs.push([r.ianaId, /** @type {string} */ (windowsOf.get(r.cldrId))]);
  return pairs;
}

/** @param {string} value @param {'mssql' | 'postgres'} dialect */
function sqlString(value, dialect) {
  return `${dialect === 'mssql' ? 'N' : ''}'${value.replace(/'/g, "''")}'`;
}

/**
 * @param {'mssql' | 'postgres'} dialect
 * @param {ZoneData} data
 */
function renderSql(dialect, data) {
  const twin = dialect === 'mssql' ? 'postgres' : 'mssql';
  const text = dialect === 'mssql' ? 'nvarchar(64)' : 'varchar(64)';
  const go = dialect === 'mssql' ? 'GO\n' : '';
  const rows = (/** @type {Array<[string, string]>} */ pairs) =>
    pairs.map(([a, b]) => `  (${sqlString(a, dialect)}, ${sqlString(b, dialect)})`).join(',\n');
  const lines = [
    `-- V0003: time zones for calendar items (${dialect === 'mssql' ? 'T-SQL' : 'PostgreSQL'} twin of db-migrations/${twin}/V0003__time_zones.sql).`,
    '-- GENERATED by scripts/time-zones/generate-time-zones.js from scripts/time-zones/windows-zones.txt (CLDR',
    '-- windowsZones); worker/exchange/time-zone-data.ts holds the same map. Forward-only: a later CLDR update is a',
    '-- new migration.',
    '--   * rc.TimeZones: every Windows time zone id (what Exchange names zones by) with its primary IANA zone',
    '--     (CLDR territory 001).',
    '--   * rc.TimeZoneAliases: every IANA id CLDR maps to a Windows id, plus the current names of zones CLDR keeps',
    '--     under an older name (Asia/Kolkata for Asia/Calcutta).',
    '-- The appointment procedures accept either spelling in @time_zone (case-insensitive) and store the Windows id.',
    '',
    'CREATE TABLE rc.TimeZones (',
    `  WindowsId ${text} NOT NULL CONSTRAINT PK_TimeZones PRIMARY KEY,`,
    `  IanaId ${text} NOT NULL`,
    ');',
    go + 'CREATE TABLE rc.TimeZoneAliases (',
    `  IanaId ${text} NOT NULL CONSTRAINT PK_TimeZoneAliases PRIMARY KEY,`,
    `  WindowsId ${text} NOT NULL CONSTRAINT FK_TimeZoneAliases_TimeZones REFERENCES rc.TimeZones (WindowsId)`,
    ');',
  ];
  if (dialect === 'postgres') {
    lines.push(
      '-- Lookups are case-insensitive (SQL Server compares with LOWER() on both sides; these keep that unique here).',
      'CREATE UNIQUE INDEX UX_TimeZones_WindowsIdLower ON rc.TimeZones (lower(WindowsId));',
      'CREATE UNIQUE INDEX UX_TimeZoneAliases_IanaIdLower ON rc.TimeZoneAliases (lower(IanaId));',
    );
  }
  lines.push(
    go + 'INSERT INTO rc.TimeZones (WindowsId, IanaId) VALUES',
    rows(data.zones.map((z) => /** @type {[string, string]} */ ([z.windowsId, z.ianaId]))) + ';',
    go + 'INSERT INTO rc.TimeZoneAliases (IanaId, WindowsId) VALUES',
    rows(aliasPairs(data)) + ';',
  );
  if (go) lines.push('GO');
  return `${lines.join('\n')}\n`;
}

/** A TypeScript string literal the way prettier writes it here (single quotes). @param {string} value */
function tsString(value) {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The TypeScript module, already in the repository's prettier style (so `prettier --check` leaves it alone
 * without the generator loading prettier).
 * @param {ZoneData} data
 */
function renderTs(data) {
  const entries = (/** @type {Array<[string, string]>} */ pairs) =>
    pairs.map(([a, b]) => `  ${/^[A-Za-z_$][\w$]*$/.test(a) ? a : tsString(a)}: ${tsString(b)},`).join('\n');
  return [
    '/**',
    ' * GENERATED by scripts/time-zones/generate-time-zones.js from scripts/time-zones/windows-zones.txt (CLDR',
    ' * windowsZones) — edit the data file and re-run the script. The same rows fill rc.TimeZones and',
    ' * rc.TimeZoneAliases (db-migrations/{mssql,postgres}/V0003__time_zones.sql). Lookups go through ./time-zones.ts.',
    ' */',
    '',
    '/** Windows time zone id → its primary IANA zone (CLDR territory 001). */',
    'export const WINDOWS_TO_IANA: Readonly<Record<string, string>> = Object.freeze({',
    entries(data.zones.map((z) => /** @type {[string, string]} */ ([z.windowsId, z.ianaId]))),
    '});',
    '',
    '/** IANA id → Windows id: every IANA id CLDR maps, then the current names of renamed zones. */',
    'export const IANA_TO_WINDOWS: Readonly<Record<string, string>> = Object.freeze({',
    entries(aliasPairs(data)),
    '});',
    '',
  ].join('\n');
}

/**
 * The three generated files: path relative to the repository root → content.
 * @returns {Record<string, string>}
 */
function render() {
  const data = parseZones(fs.readFileSync(DATA_FILE, 'utf8'));
  return {
    [OUTPUTS.mssql]: renderSql('mssql', data),
    [OUTPUTS.postgres]: renderSql('postgres', data),
    [OUTPUTS.ts]: renderTs(data),
  };
}

function main() {
  const check = process.argv.includes('--check');
  const files = render();
  let stale = 0;
  for (const [file, content] of Object.entries(files)) {
    const target = path.join(ROOT, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === content) continue;
    if (check) {
      stale += 1;
      console.error(`${file} differs from scripts/time-zones/windows-zones.txt`);
    } else {
      fs.writeFileSync(target, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale > 0) process.exitCode = 1;
}

module.exports = { parseZones, aliasPairs, render, DATA_FILE, OUTPUTS };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
}
