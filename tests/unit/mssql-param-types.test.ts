/**
 * The SQL Server API client sends every parameter with the type its procedure declares (PARAM_TYPES /
 * PROCEDURE_PARAM_TYPES / OUTPUT_ID in worker/db/mssql/mssql-api-client.ts), so no call depends on an implicit
 * conversion from nvarchar(max). Pure file parsing: the parameter lists of stored-procedures/mssql/rc_*.sql are
 * the reference. Also: how a value that does not fit its declared type is sent (as before: SQL Server converts
 * or refuses it), and ISO text → date / datetimeoffset exactly as SQL Server reads it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sql from 'mssql';
import { TYPES } from 'tedious';
import type { ApiProcedure } from '../../worker/db/api-client';
import { TABLE_PARAMS } from '../../worker/db/api-client';
import {
  declaredParamType,
  inputParam,
  OUTPUT_ID,
  PARAM_TYPES,
  PROCEDURE_PARAM_TYPES,
} from '../../worker/db/mssql/mssql-api-client';
import { toDate, toDateTimeOffset } from '../../worker/db/mssql/tsql-datetime-text';

const DIR = path.resolve(__dirname, '..', '..', 'stored-procedures', 'mssql');

interface DeclaredParam {
  name: string;
  /** Normalised: lower case, no spaces, the default scale spelled out (datetimeoffset → datetimeoffset(7)). */
  type: string;
  output: boolean;
  readonly: boolean;
}

/** Drops -- comments and splits at commas outside parentheses and 'string literals'. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (!quoted && c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (c === "'") quoted = !quoted; // '' inside a literal toggles twice
    if (!quoted && c === '(') depth += 1;
    if (!quoted && c === ')') depth -= 1;
    if (!quoted && c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  return [...parts, current].map((p) => p.trim()).filter((p) => p.length > 0);
}

function normaliseType(type: string): string {
  const t = type.toLowerCase().replace(/\s+/g, '');
  return /^(datetimeoffset|datetime2|time)$/.test(t) ? `${t}(7)` : t;
}

/** The parameter list of `ALTER PROCEDURE rc.<name>` up to its `AS` line. */
export function parseProcedure(text: string): { name: string; params: DeclaredParam[] } {
  const header = /^ALTER\s+PROCEDURE\s+rc\.(\w+)\s*$/im.exec(text);
  if (!header) throw new Error('no ALTER PROCEDURE rc.<name> line');
  const rest = text.slice(header.index + header[0].length);
  const params = splitTopLevel(rest.slice(0, rest.search(/^AS\s*$/m))).map((entry) => {
    const m = /^@(\w+)\s+([\w.]+(?:\s*\([^)]*\))?)(.*)$/is.exec(entry);
    if (!m) throw new Error(`cannot read parameter "${entry}"`);
    return {
      name: m[1]!,
      type: normaliseType(m[2]!),
      output: /\bOUT(PUT)?\b/i.test(m[3]!),
      readonly: /\bREADONLY\b/i.test(m[3]!),
    };
  });
  return { name: header[1]!, params };
}

/** How the client declares a parameter, in the same spelling. */
function spelled(type: sql.ISqlType): string {
  const t = type as sql.ISqlType & { length?: number; scale?: number };
  const declaration = (t.type as unknown as { declaration: string }).declaration;
  if (t.length !== undefined) return `${declaration}(${t.length === sql.MAX ? 'max' : t.length})`;
  if (t.scale !== undefined) return `${declaration}(${t.scale})`;
  return declaration;
}

const procedures = readdirSync(DIR)
  .filter((f) => /^rc_\w+\.sql$/.test(f))
  .sort()
  .map((file) => ({ file, ...parseProcedure(readFileSync(path.join(DIR, file), 'utf8')) }));

describe('the procedure parameter parser', () => {
  it('reads names, types, OUTPUT and READONLY, skipping comments', () => {
    const parsed = parseProcedure(
      [
        'ALTER PROCEDURE rc.rc_X',
        "  @a nvarchar(4000) = N'x, it''s -- no comment',",
        '  @b decimal(10, 2) = NULL,',
        '  -- a comment, with a comma',
        '  @c datetimeoffset = NULL,',
        '  @d rc.AttachmentList READONLY,',
        '  @e bigint = NULL OUTPUT',
        'AS',
        'BEGIN RETURN 0; END;',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      name: 'rc_X',
      params: [
        { name: 'a', type: 'nvarchar(4000)', output: false, readonly: false },
        { name: 'b', type: 'decimal(10,2)', output: false, readonly: false },
        { name: 'c', type: 'datetimeoffset(7)', output: false, readonly: false },
        { name: 'd', type: 'rc.attachmentlist', output: false, readonly: true },
        { name: 'e', type: 'bigint', output: true, readonly: false },
      ],
    });
  });

  it('finds every rc_* procedure with its parameters', () => {
    expect(procedures.map((p) => p.name)).toEqual(expect.arrayContaining(['rc_SendMail', 'rc_UpdateTask']));
    for (const p of procedures) {
      expect(`${p.name}.sql`).toBe(p.file);
      expect(p.params.length).toBeGreaterThan(0);
    }
  });
});

describe('PARAM_TYPES matches every parameter the procedures declare', () => {
  it.each(procedures.map((p) => [p.name, p] as const))('%s', (_name, procedure) => {
    const proc = procedure.name as ApiProcedure;
    const problems: string[] = [];
    for (const param of procedure.params) {
      if (param.readonly) {
        if (!Object.hasOwn(TABLE_PARAMS, param.name)) problems.push(`@${param.name}: table type not sent`);
        continue;
      }
      if (param.output) {
        const output = OUTPUT_ID[proc];
        if (output?.name !== param.name || spelled(output.type()) !== param.type)
          problems.push(`@${param.name} ${param.type} OUTPUT: client has ${JSON.stringify(output?.name)}`);
        continue;
      }
      const declared = declaredParamType(proc, param.name);
      const client = declared ? spelled(declared) : 'nothing';
      if (client !== param.type) problems.push(`@${param.name} ${param.type}: client sends ${client}`);
    }
    expect(problems).toEqual([]);
  });

  it('has no entry that no procedure declares with that type (a stale or mistyped name)', () => {
    const declared = new Map<string, Set<string>>();
    for (const p of procedures)
      for (const param of p.params.filter((x) => !x.output && !x.readonly)) {
        declared.set(param.name, (declared.get(param.name) ?? new Set()).add(param.type));
      }
    const stale = Object.entries(PARAM_TYPES)
      .filter(([name, type]) => !declared.get(name)?.has(spelled(type())))
      .map(([name]) => name);
    expect(stale).toEqual([]);
    for (const [proc, overrides] of Object.entries(PROCEDURE_PARAM_TYPES)) {
      const own = procedures.find((p) => p.name === proc);
      for (const name of Object.keys(overrides ?? {})) {
        expect([proc, own?.params.some((p) => p.name === name && !p.output)]).toEqual([proc, true]);
      }
    }
  });

  it('names declared with different types by different procedures are typed per procedure', () => {
    expect(spelled(declaredParamType('rc_SendMail', 'body_format')!)).toBe('nvarchar(4000)');
    expect(spelled(declaredParamType('rc_CreateTask', 'body_format')!)).toBe('nvarchar(max)');
    expect(spelled(declaredParamType('rc_UpdateTask', 'importance')!)).toBe('nvarchar(max)');
    expect(declaredParamType('rc_SendMail', 'constructor')).toBeUndefined();
  });
});

describe('inputParam: the declared type when the value fits it exactly, else as before', () => {
  const sent = (proc: ApiProcedure, name: string, value: Parameters<typeof inputParam>[2]) => {
    const [type, v] = inputParam(proc, name, value);
    return [spelled(type), v];
  };

  it('sends fitting values with the declared type', () => {
    expect(sent('rc_UpdateTask', 'body_format', 'HTML')).toEqual(['nvarchar(max)', 'HTML']);
    expect(sent('rc_UpdateContact', 'force', true)).toEqual(['bit', true]);
    expect(sent('rc_UpdateContact', 'force', 0)).toEqual(['bit', 0]);
    expect(sent('rc_CreateTask', 'percent_complete', 40)).toEqual(['int', 40]);
    expect(sent('rc_UpdateTask', 'target_job_id', '12345678901234')).toEqual(['bigint', '12345678901234']);
    expect(sent('rc_UpdateTask', 'target_job_id', 42)).toEqual(['bigint', 42]);
    expect(sent('rc_CreateContact', 'birthday', null)).toEqual(['date', null]);
    const [type, value] = sent('rc_CreateContact', 'birthday', '0099-02-28');
    expect([type, (value as Date).toISOString()]).toEqual(['date', '0099-02-28T00:00:00.000Z']);
    const [dto, instant] = sent('rc_CreateAppointment', 'start_time', '2026-03-29T09:00:00+02:00');
    expect([dto, (instant as Date).toISOString()]).toEqual(['datetimeoffset(7)', '2026-03-29T07:00:00.000Z']);
    const when = new Date('2026-01-01T00:00:00Z');
    expect(sent('rc_CreateTask', 'reminder_time', when)).toEqual(['datetimeoffset(7)', when]);
  });

  it('leaves values that do not fit to SQL Server, typed as before', () => {
    expect(sent('rc_UpdateContact', 'force', 'false')).toEqual(['nvarchar(max)', 'false']);
    expect(sent('rc_CreateTask', 'percent_complete', 40.5)).toEqual(['float', 40.5]);
    expect(sent('rc_CreateTask', 'percent_complete', '40')).toEqual(['nvarchar(max)', '40']);
    expect(sent('rc_UpdateTask', 'target_job_id', '1234567890123456789')).toEqual([
      'nvarchar(max)',
      '1234567890123456789',
    ]);
    expect(sent('rc_UpdateTask', 'target_job_id', ' 7')).toEqual(['nvarchar(max)', ' 7']);
    expect(sent('rc_CreateContact', 'birthday', '1980-02-30')).toEqual(['nvarchar(max)', '1980-02-30']);
    expect(sent('rc_CreateAppointment', 'start_time', '2026-03-29 09:00')).toEqual([
      'nvarchar(max)',
      '2026-03-29 09:00',
    ]);
    expect(sent('rc_CreateAppointment', 'subject', 42)).toEqual(['int', 42]);
    expect(sent('rc_CreateAppointment', 'time_zone', 'z'.repeat(4000))).toEqual([
      'nvarchar(4000)',
      'z'.repeat(4000),
    ]);
    expect(sent('rc_CreateAppointment', 'time_zone', 'z'.repeat(4001))).toEqual([
      'nvarchar(max)',
      'z'.repeat(4001),
    ]);
    expect(sent('rc_SendMail', 'not_a_parameter', 'x')).toEqual(['nvarchar(max)', 'x']);
  });
});

describe('ISO text → date / datetimeoffset as SQL Server reads it', () => {
  /** tedious's wire bytes of a datetimeoffset(7): 100 ns ticks of the UTC time, UTC days since 0001-01-01, offset. */
  function wire(value: Date): { ticks: number; days: number; offset: number } {
    const chunks = [
      ...TYPES.DateTimeOffset.generateParameterData({ value, scale: 7 } as never, { useUTC: true } as never),
    ] as Buffer[];
    const data = Buffer.concat(chunks);
    return { ticks: data.readUIntLE(0, 5), days: data.readUIntLE(5, 3), offset: data.readInt16LE(8) };
  }
  const DAYS_TO_1970 = 719162;

  it('keeps 100 ns digits and the written offset on the wire', () => {
    const value = toDateTimeOffset('2026-03-29T09:00:00.1234567+02:00')!;
    expect(value.toISOString()).toBe('2026-03-29T07:00:00.123Z');
    expect(wire(value)).toEqual({
      ticks: (7 * 3600 + 0.1234567) * 1e7,
      days: DAYS_TO_1970 + Date.UTC(2026, 2, 29) / 86400000,
      offset: 120,
    });
    expect(wire(toDateTimeOffset('2026-03-29T01:30:00-05:30')!)).toMatchObject({
      ticks: 7 * 3600 * 1e7,
      offset: -330,
    });
  });

  it('no offset and date-only text are +00:00, never the machine zone', () => {
    expect(toDateTimeOffset('2026-03-29T09:00:00')!.toISOString()).toBe('2026-03-29T09:00:00.000Z');
    expect(toDateTimeOffset('2026-03-29T09:00:00Z')!.getTimezoneOffset()).toBe(-0);
    expect(wire(toDateTimeOffset('2026-05-04')!)).toEqual({
      ticks: 0,
      days: DAYS_TO_1970 + Date.UTC(2026, 4, 4) / 86400000,
      offset: 0,
    });
  });

  it('the extremes SQL Server accepts', () => {
    expect(toDateTimeOffset('0001-01-01T00:00:00Z')!.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(toDateTimeOffset('9999-12-31T23:59:59.9999999Z')!.nanosecondDelta).toBeCloseTo(0.0009999, 10);
    expect(toDateTimeOffset('2026-01-01T00:00:00+14:00')).not.toBeNull();
    expect(toDateTimeOffset('2026-01-01T00:00:00-14:00')).not.toBeNull();
    expect(toDateTimeOffset('2024-02-29T12:00:00Z')).not.toBeNull();
    expect(toDate('2000-02-29')!.toISOString()).toBe('2000-02-29T00:00:00.000Z');
    expect(toDate('0001-01-01')!.toISOString()).toBe('0001-01-01T00:00:00.000Z');
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '1900-02-29',
    '2026-13-01',
    '0000-01-01',
    '2026-03-29T24:00:00Z',
    '2026-03-29T23:60:00Z',
    '2026-03-29T23:59:60Z',
    '2026-03-29T09:00:00+14:01',
    '2026-03-29T09:00:00+02:60',
    '0001-01-01T00:00:00+01:00',
    '9999-12-31T23:00:00-01:00',
    '2026-03-29T09:00',
    '2026-03-29 09:00:00',
    '2026-03-29T09:00:00.12345678Z',
    ' 2026-03-29',
    '29.03.2026',
  ])('%s is left to SQL Server (not converted here)', (text) => {
    expect(toDateTimeOffset(text)).toBeNull();
    if (!text.includes('T')) expect(toDate(text)).toBeNull();
  });
});
