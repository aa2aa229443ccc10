/**
 * Static rules for the T-SQL files (db-migrations/mssql, stored-procedures/mssql): no construct that
 * ../shared/TSQL-COMPAT.md forbids (SQL Server 2017+, Azure SQL and Babelfish 4.x must all run them), the
 * repeatable-file shapes (create-stub-then-ALTER, DROP VIEW IF EXISTS + CREATE VIEW), a header per procedure
 * listing its error numbers, and parity with the PostgreSQL twins: same file names, same error numbers, same
 * message texts. No SQL Server runs here, so this is what keeps the T-SQL honest between real-server runs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { splitTsqlScript } from '../../worker/db/mssql/tsql-batches';

const ROOT = path.resolve(__dirname, '..', '..');
const DIRS = { migrations: 'db-migrations', procedures: 'stored-procedures' } as const;

function sqlFiles(kind: keyof typeof DIRS, dialect: 'mssql' | 'postgres'): string[] {
  const dir = path.join(ROOT, DIRS[kind], dialect);
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.sql'))
        .sort()
    : [];
}

function read(kind: keyof typeof DIRS, dialect: 'mssql' | 'postgres', file: string): string {
  return readFileSync(path.join(ROOT, DIRS[kind], dialect, file), 'utf8').replace(/\r\n/g, '\n');
}

interface Lexed {
  /** The text with comments removed and every string literal replaced by N'' (so words in messages never match). */
  code: string;
  /** String literals, unescaped ('' → '). */
  strings: string[];
  /** Literals passed to EXEC( … ) / sp_executesql: dynamic SQL, checked like code. */
  dynamic: string[];
}

/** A small T-SQL lexer: line and (nested) block comments, 'strings' with '' escapes, [identifiers]. */
export function lexTsql(text: string): Lexed {
  let code = '';
  const strings: string[] = [];
  const dynamic: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      while (i < text.length && text[i] !== '\n') i += 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 0;
      do {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth += 1;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth -= 1;
          i += 2;
        } else {
          i += 1;
        }
      } while (depth > 0 && i < text.length);
      code += ' ';
      continue;
    }
    if (c === "'") {
      let value = '';
      i += 1;
      while (i < text.length) {
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (text[i] === "'") {
          i += 1;
          break;
        } else {
          value += text[i];
          i += 1;
        }
      }
      strings.push(value);
      if (/(\bEXEC(UTE)?\s*\(\s*N?|\bsp_executesql\s+N?)$/i.test(code)) dynamic.push(value);
      code += "''";
      continue;
    }
    if (c === '[') {
      const end = text.indexOf(']', i);
      code += text.slice(i, end + 1);
      i = end + 1;
      continue;
    }
    code += c;
    i += 1;
  }
  return { code, strings, dynamic };
}

/** Code to check: the file's code plus its dynamic SQL (recursively lexed). */
function allCode(lexed: Lexed): string {
  return [lexed.code, ...lexed.dynamic.map((d) => allCode(lexTsql(d)))].join('\n');
}

interface Rule {
  name: string;
  test: (code: string) => string | null;
}

const pattern = (name: string, re: RegExp, why: string): Rule => ({
  name,
  test: (code) => {
    const m = re.exec(code);
    return m ? `${why} (found "${m[0].trim().slice(0, 80)}")` : null;
  },
});

export const RULES: Rule[] = [
  pattern(
    'CREATE OR ALTER',
    /\bCREATE\s+OR\s+ALTER\b/i,
    'syntax error on Babelfish: create a stub, then ALTER',
  ),
  pattern('ALTER VIEW', /\bALTER\s+VIEW\b/i, 'unsupported on Babelfish: DROP VIEW IF EXISTS + CREATE VIEW'),
  pattern('MERGE', /\bMERGE\b/i, 'unsupported on Babelfish: UPDATE … then INSERT … WHERE NOT EXISTS'),
  pattern('WAITFOR / RECEIVE', /\b(WAITFOR|RECEIVE)\b/i, 'unsupported on Babelfish: wait on the client side'),
  pattern(
    'rowversion / timestamp',
    /\b(rowversion|timestamp)\b/i,
    'rejected by Babelfish: use an int version',
  ),
  pattern('EXECUTE AS', /\bEXEC(UTE)?\s+AS\b/i, 'unsupported on Babelfish: rely on ownership chaining'),
  pattern('sys.time_zone_info', /\bsys\s*\.\s*time_zone_info\b/i, 'missing on Babelfish: use AT TIME ZONE'),
  pattern('@@ROWCOUNT', /@@ROWCOUNT\b/i, 'unreliable after OUTPUT on Babelfish: count the OUTPUT rows'),
  pattern(
    'CTE as DML target',
    /\bWITH\s+\w+(\s*\([^)]*\))?\s+AS\s*\((?:[^()]|\([^()]*\))*\)\s*(UPDATE|DELETE|INSERT)\b/i,
    '"relation does not exist" on Babelfish: UPDATE … FROM … WHERE key IN (SELECT TOP …)',
  ),
  pattern(
    'STRING_AGG over STRING_SPLIT',
    /\bSTRING_AGG\b[^;]*?\bFROM\s+(\w+\.)?STRING_SPLIT\b/i,
    'fails on Babelfish: aggregate from a table variable',
  ),
  {
    name: 'unaliased OUTPUT column',
    test: (code) => {
      const re = /\b(inserted|deleted)\s*\.\s*(\w+)(\s+AS\s+\[\w+\])?/gi;
      for (let m = re.exec(code); m; m = re.exec(code)) {
        if (!m[3])
          return `Babelfish lower-cases unaliased OUTPUT columns: write ${m[1]}.${m[2]} AS [${m[2]}]`;
      }
      return null;
    },
  },
  {
    name: 'FOR JSON over varbinary',
    test: (code) => {
      const re = /\bFOR\s+JSON\b/gi;
      for (let m = re.exec(code); m; m = re.exec(code)) {
        const start = code.lastIndexOf('SELECT', m.index);
        const query = code.slice(Math.max(0, start), m.index);
        if (/\bvarbinary\b|\bContent\b/i.test(query))
          return 'FOR JSON over varbinary is unsupported on Babelfish';
      }
      return null;
    },
  },
];

const mssqlFiles = [
  ...sqlFiles('migrations', 'mssql').map((f) => ['migrations', f] as const),
  ...sqlFiles('procedures', 'mssql').map((f) => ['procedures', f] as const),
];

describe('lexTsql (the static rules see code, not comments or messages)', () => {
  it('drops comments, blanks strings and collects dynamic SQL', () => {
    const lexed = lexTsql(
      "-- MERGE here is a comment\n/* CREATE OR ALTER /* nested */ still comment */ SELECT N'it''s MERGE';\n" +
        "EXEC(N'CREATE PROCEDURE rc.X AS RETURN 0;'); [odd]]name]",
    );
    expect(lexed.code).not.toMatch(/MERGE|CREATE OR ALTER|nested/);
    expect(lexed.strings).toEqual(["it's MERGE", 'CREATE PROCEDURE rc.X AS RETURN 0;']);
    expect(lexed.dynamic).toEqual(['CREATE PROCEDURE rc.X AS RETURN 0;']);
  });

  it.each([
    ['CREATE OR ALTER', 'CREATE OR ALTER PROCEDURE rc.X AS RETURN 0;'],
    ['ALTER VIEW', 'ALTER VIEW rc.V AS SELECT 1 AS a;'],
    ['MERGE', 'MERGE rc.T AS t USING s ON 1 = 1 WHEN MATCHED THEN DELETE;'],
    ['WAITFOR / RECEIVE', "WAITFOR DELAY '00:00:01';"],
    ['rowversion / timestamp', 'CREATE TABLE rc.T (v rowversion);'],
    ['EXECUTE AS', 'ALTER PROCEDURE rc.X WITH EXECUTE AS OWNER AS RETURN 0;'],
    ['sys.time_zone_info', 'SELECT name FROM sys.time_zone_info;'],
    ['@@ROWCOUNT', 'IF @@ROWCOUNT = 0 RETURN;'],
    ['CTE as DML target', 'WITH c AS (SELECT TOP (5) * FROM rc.Jobs) UPDATE c SET Status = 1;'],
    ['STRING_AGG over STRING_SPLIT', "SELECT STRING_AGG(value, ';') FROM STRING_SPLIT(@l, ',');"],
    ['unaliased OUTPUT column', 'UPDATE rc.T SET a = 1 OUTPUT inserted.JobId WHERE b = 2;'],
    ['FOR JSON over varbinary', 'SELECT a.Content FROM rc.JobAttachments AS a FOR JSON PATH;'],
  ])('rule %s catches a violation', (name, text) => {
    const rule = RULES.find((r) => r.name === name)!;
    expect(rule.test(allCode(lexTsql(text)))).not.toBeNull();
  });

  it('catches forbidden constructs hidden in dynamic SQL', () => {
    const code = allCode(lexTsql("EXEC(N'CREATE OR ALTER PROCEDURE rc.X AS RETURN 0;');"));
    expect(RULES[0]!.test(code)).not.toBeNull();
  });

  it('accepts the allowed spellings', () => {
    const ok = [
      'UPDATE j SET Status = 1 OUTPUT inserted.JobId AS [JobId] FROM rc.Jobs AS j;',
      "SELECT @x = STRING_AGG(e.Entry, N';') WITHIN GROUP (ORDER BY e.Ordinal) FROM @entries AS e;",
      'SET @p = (SELECT @a AS [subject] FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES);',
      "THROW 50001, N'CREATE OR ALTER and MERGE in a message are fine', 1;",
    ];
    for (const text of ok) {
      const code = allCode(lexTsql(text));
      expect(RULES.map((r) => r.test(code)).filter(Boolean)).toEqual([]);
    }
  });
});

describe('T-SQL files follow TSQL-COMPAT.md', () => {
  it('there are T-SQL files to check', () => {
    expect(mssqlFiles.length).toBeGreaterThan(0);
  });

  it.each(mssqlFiles)('%s/%s uses no forbidden construct', (kind, file) => {
    const code = allCode(lexTsql(read(kind, 'mssql', file)));
    const problems = RULES.map((rule) => {
      const problem = rule.test(code);
      return problem ? `${rule.name}: ${problem}` : null;
    }).filter(Boolean);
    expect(problems).toEqual([]);
  });

  it.each(mssqlFiles)(
    '%s/%s has no GO line hidden in a comment or string (sqlcmd would split there)',
    (kind, file) => {
      expect(splitTsqlScript(read(kind, 'mssql', file)).hiddenGoLines).toEqual([]);
    },
  );
});

const procedureFiles = sqlFiles('procedures', 'mssql');

/** The object a repeatable file defines, from its first line "-- rc.<name> — …". */
function objectName(text: string): string {
  return /^-- rc\.(\w+) — /.exec(text)?.[1] ?? '';
}

/**
 * A file is named after its object: <name>.sql, or _<name>.sql for an internal helper. A helper's file name may
 * leave out the prefix its dialect needs (fn_, rc_internal_), so that both dialects share one file name:
 * _ResolveProfile.sql holds rc.rc_internal_ResolveProfile (T-SQL) and rc.fn_ResolveProfile (PostgreSQL).
 */
function fileFitsObject(file: string, name: string): boolean {
  const base = file.replace(/\.sql$/, '');
  if (!base.startsWith('_')) return base === name;
  return ['', 'fn_', 'rc_internal_'].some((prefix) => prefix + base.slice(1) === name);
}

const unique = (numbers: number[]) => [...new Set(numbers)].sort();

type Dialect = 'mssql' | 'postgres';

/** Numbers a file raises itself: THROW n in T-SQL code (not comments or messages), ERRCODE 'R0nnn' in PL/pgSQL. */
function ownNumbers(dialect: Dialect, text: string): number[] {
  if (dialect === 'postgres') return unique([...postgresErrors(text).keys()]);
  return unique([...lexTsql(text).code.matchAll(/\bTHROW\s+(\d+)\s*,/gi)].map((m) => Number(m[1])));
}

/** The parameter through which a helper is told the right its caller needs; NULL = an admin call. */
const RIGHT_PARAM = 'required_right';

interface Helper {
  /** Raised whatever the call. */
  always: number[];
  /** Raised only when the call passes a non-NULL required_right: the numbers after "IF required_right IS NULL → RETURN". */
  withRight: number[];
  /** PostgreSQL: the position of required_right in the parameter list (-1: none). */
  rightPosition: number;
}

/** Where "IF required_right IS NULL → RETURN" stands in a helper (-1: nowhere). */
function rightMarkerAt(dialect: Dialect, text: string): number {
  return text.search(
    dialect === 'mssql'
      ? new RegExp(`\\bIF\\s+@${RIGHT_PARAM}\\s+IS\\s+NULL\\s+RETURN\\b`, 'i')
      : new RegExp(`\\bIF\\s+(\\w+\\.)?${RIGHT_PARAM}\\s+IS\\s+NULL\\s+THEN\\s+RETURN\\b`, 'i'),
  );
}

/** What a procedure file raises when another one calls it (helpers; any rc object in the folder may be called). */
function helperOf(dialect: Dialect, text: string): Helper {
  const at = rightMarkerAt(dialect, text);
  const always = ownNumbers(dialect, at < 0 ? text : text.slice(0, at));
  const withRight = at < 0 ? [] : ownNumbers(dialect, text.slice(at)).filter((n) => !always.includes(n));
  const parameters = /\bFUNCTION\s+rc\.\w+\s*\(([^)]*)\)/i.exec(lexTsql(text).code)?.[1] ?? '';
  const rightPosition = parameters
    .split(',')
    .findIndex((p) => p.trim().split(/\s+/)[0]?.toLowerCase() === RIGHT_PARAM);
  return { always, withRight, rightPosition };
}

/** The object a file defines, from its code (lower case: how calls are matched). */
function definedObject(dialect: Dialect, text: string): string {
  const code = lexTsql(text).code;
  const re =
    dialect === 'mssql'
      ? /\bALTER\s+(?:PROCEDURE|FUNCTION)\s+rc\.(\w+)/i
      : /\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+rc\.(\w+)/i;
  return re.exec(code)?.[1]?.toLowerCase() ?? '';
}

/** The top-level arguments of a call whose "(" ends just before `start`. */
function callArguments(code: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = start; i < code.length; i += 1) {
    const c = code[i]!;
    if (c === ')' && depth === 0) break;
    if (c === '(') depth += 1;
    if (c === ')') depth -= 1;
    if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  args.push(current.trim());
  return args;
}

/** Numbers a file raises through the helpers it calls (EXEC rc.x … in T-SQL, rc.x( … ) in PL/pgSQL). */
function calledNumbers(dialect: Dialect, text: string, helpers: Map<string, Helper>): number[] {
  const code = lexTsql(text).code; // comments dropped, literals blanked: N'send' → N'', NULL stays NULL
  const self = definedObject(dialect, text);
  const numbers: number[] = [];
  const add = (name: string, rightArgument: string | undefined) => {
    const helper = helpers.get(name.toLowerCase());
    if (!helper || name.toLowerCase() === self) return;
    const rightGiven = rightArgument !== undefined && !/^\s*NULL\s*$/i.test(rightArgument);
    numbers.push(...helper.always, ...(rightGiven ? helper.withRight : []));
  };
  if (dialect === 'mssql') {
    for (const m of code.matchAll(/\bEXEC(?:UTE)?\s+(?:@\w+\s*=\s*)?rc\.(\w+)\b([^;]*)/gi)) {
      add(m[1]!, new RegExp(`@${RIGHT_PARAM}\\s*=\\s*([^,]*)`, 'i').exec(m[2]!)?.[1]);
    }
  } else {
    for (const m of code.matchAll(/\brc\.(\w+)\s*\(/gi)) {
      if (/\bFUNCTION\s+$/i.test(code.slice(0, m.index))) continue; // a definition or GRANT/REVOKE, not a call
      const args = callArguments(code, m.index + m[0].length);
      const named = args.find((a) => new RegExp(`^${RIGHT_PARAM}\\s*=>`, 'i').test(a));
      const position = helpers.get(m[1]!.toLowerCase())?.rightPosition ?? -1;
      add(m[1]!, named ? named.replace(/^[^=]*=>/, '') : position >= 0 ? args[position] : undefined);
    }
  }
  return unique(numbers);
}

/**
 * The helpers of one dialect's procedure folder, by lower-case object name. A helper that calls another helper
 * raises that one's numbers too (rc_internal_ContactFields → rc_internal_Categories): followed transitively, so a
 * procedure's header lists every number it can really raise however deep the helper that raises it sits.
 */
function helpersOf(dialect: Dialect, texts: string[]): Map<string, Helper> {
  const own = texts.map((t) => ({ name: definedObject(dialect, t), text: t, helper: helperOf(dialect, t) }));
  const helpers = new Map(own.map((h) => [h.name, { ...h.helper }] as const));
  // Fixpoint: each round adds what the called helpers raise; call chains are short, cycles end when nothing grows.
  for (let changed = true, round = 0; changed && round < 20; round += 1) {
    changed = false;
    for (const { name, text, helper } of own) {
      const at = rightMarkerAt(dialect, text);
      const before = at < 0 ? text : text.slice(0, at);
      const always = unique([...helper.always, ...calledNumbers(dialect, before, helpers)]);
      const after = at < 0 ? [] : calledNumbers(dialect, text.slice(at), helpers);
      const withRight = unique([...helper.withRight, ...after]).filter((n) => !always.includes(n));
      const current = helpers.get(name)!;
      if (always.length !== current.always.length || withRight.length !== current.withRight.length) {
        helpers.set(name, { always, withRight, rightPosition: helper.rightPosition });
        changed = true;
      }
    }
  }
  return helpers;
}

/** Every error number a file can raise: its own and those of the helpers it calls (and those they call). */
function raisedNumbers(dialect: Dialect, text: string, helpers: Map<string, Helper>): number[] {
  return unique([...ownNumbers(dialect, text), ...calledNumbers(dialect, text, helpers)]);
}

/** Error numbers the header comment lists under "Errors", in the order listed. */
function headerList(text: string): number[] {
  const header = text.slice(0, text.search(/^\s*(SET|IF|CREATE|ALTER|DROP)\b/m));
  const at = header.search(/^--\s*Errors\b/m);
  if (at < 0) return [];
  return [...new Set([...header.slice(at).matchAll(/^--\s+(5\d{4})\b/gm)].map((m) => Number(m[1])))];
}

const headerNumbers = (text: string) => unique(headerList(text));

const helpersIn = (dialect: Dialect) =>
  helpersOf(
    dialect,
    sqlFiles('procedures', dialect).map((f) => read('procedures', dialect, f)),
  );

describe('error numbers raised through a helper count for the caller', () => {
  const tsqlHelper = [
    '-- rc.rc_internal_X — a helper',
    'ALTER PROCEDURE rc.rc_internal_X @proc_name sysname, @required_right varchar(10) AS',
    "BEGIN IF @a IS NULL THROW 50001, N'x', 1; IF @required_right IS NULL RETURN 0;",
    "IF @b = 0 THROW 50003, N'y', 1; END;",
  ].join('\n');
  const pgHelper = [
    '-- rc.fn_X — a helper',
    'CREATE OR REPLACE FUNCTION rc.fn_x(proc_name text, required_right text) RETURNS int AS $$ BEGIN',
    "RAISE EXCEPTION '%: x', proc_name USING ERRCODE = 'R0001';",
    'IF required_right IS NULL THEN RETURN 1; END IF;',
    "RAISE EXCEPTION '%: y', proc_name USING ERRCODE = 'R0003'; END $$;",
    'REVOKE ALL ON FUNCTION rc.fn_x(text, text) FROM PUBLIC;',
  ].join('\n');
  const tsqlHelpers = helpersOf('mssql', [tsqlHelper]);
  const pgHelpers = helpersOf('postgres', [pgHelper]);
  const tsqlCall = (right: string) =>
    `ALTER PROCEDURE rc.rc_Y AS BEGIN EXEC rc.rc_internal_X @proc_name = N'rc_Y', @required_right = ${right}; THROW 50110, N'z', 1; END;`;
  const pgCall = (right: string) =>
    `CREATE OR REPLACE FUNCTION rc.rc_y(p text) RETURNS void AS $$ BEGIN PERFORM rc.fn_x('rc_Y', ${right}); ` +
    `RAISE EXCEPTION 'z' USING ERRCODE = 'R0110'; END $$;`;

  it('splits a helper into what it always raises and what only an API call (with a right) raises', () => {
    expect(tsqlHelpers.get('rc_internal_x')).toEqual({
      always: [50001],
      withRight: [50003],
      rightPosition: -1,
    });
    expect(pgHelpers.get('fn_x')).toEqual({ always: [50001], withRight: [50003], rightPosition: 1 });
  });

  it('counts the helper numbers the call can reach, in both dialects', () => {
    expect(raisedNumbers('mssql', tsqlCall('NULL'), tsqlHelpers)).toEqual([50001, 50110]);
    expect(raisedNumbers('mssql', tsqlCall("'send'"), tsqlHelpers)).toEqual([50001, 50003, 50110]);
    expect(raisedNumbers('postgres', pgCall('NULL'), pgHelpers)).toEqual([50001, 50110]);
    expect(raisedNumbers('postgres', pgCall("'send'"), pgHelpers)).toEqual([50001, 50003, 50110]);
    expect(raisedNumbers('postgres', pgCall("required_right => 'send'"), pgHelpers)).toEqual([
      50001, 50003, 50110,
    ]);
  });

  it('follows a helper that calls another helper (nested numbers count for every caller)', () => {
    const outer = [
      '-- rc.rc_internal_Y — a helper calling a helper',
      "ALTER PROCEDURE rc.rc_internal_Y @proc_name sysname AS BEGIN EXEC rc.rc_internal_X @proc_name = @proc_name, @required_right = NULL; THROW 50300, N'w', 1; END;",
    ].join('\n');
    const nested = helpersOf('mssql', [tsqlHelper, outer]);
    expect(nested.get('rc_internal_y')!.always).toEqual([50001, 50300]);
    const caller = `ALTER PROCEDURE rc.rc_Z AS BEGIN EXEC rc.rc_internal_Y @proc_name = N'rc_Z'; END;`;
    expect(raisedNumbers('mssql', caller, nested)).toEqual([50001, 50300]);
  });

  it('tells two dialects apart when only one of them asks for a right', () => {
    expect(raisedNumbers('mssql', tsqlCall("'send'"), tsqlHelpers)).not.toEqual(
      raisedNumbers('postgres', pgCall('NULL'), pgHelpers),
    );
  });
});

describe('repeatable T-SQL files have the create-stub-then-ALTER shape and a header', () => {
  const helpers = helpersIn('mssql');

  it.each(procedureFiles)('%s', (file) => {
    const text = read('procedures', 'mssql', file);
    const name = objectName(text);
    const batches = splitTsqlScript(text).batches.map((b) => lexTsql(b.sql));
    expect(name).not.toBe('');
    expect(fileFitsObject(file, name)).toBe(true);
    expect(text).toMatch(/^-- (Parameters|Columns)/m);
    expect(text).toMatch(/^-- (Result|Columns)/m);

    if (name.startsWith('vw_')) {
      expect(batches[0]!.code).toMatch(
        new RegExp(`\\bDROP\\s+VIEW\\s+IF\\s+EXISTS\\s+rc\\.${name}\\s*;`, 'i'),
      );
      expect(batches[1]!.code).toMatch(new RegExp(`^\\s*CREATE\\s+VIEW\\s+rc\\.${name}\\b`, 'i'));
      return;
    }
    const isFunction = name.startsWith('fn_');
    const kind = isFunction ? 'FUNCTION' : 'PROCEDURE';
    const stub = new RegExp(
      `\\bIF\\s+OBJECT_ID\\(N?''(?:,\\s*N?'')?\\)\\s+IS\\s+NULL\\s+EXEC\\(N?''\\)\\s*;`,
      'i',
    );
    expect(batches[0]!.code).toMatch(stub);
    expect(batches[0]!.dynamic[0]).toMatch(new RegExp(`^CREATE\\s+${kind}\\s+rc\\.${name}\\b`, 'i'));
    expect(batches[0]!.strings[0]).toBe(`rc.${name}`);
    expect(batches[1]!.code).toMatch(new RegExp(`^\\s*ALTER\\s+${kind}\\s+rc\\.${name}\\b`, 'i'));
    expect(batches).toHaveLength(2);
    // Only the stub creates: a CREATE in plain code would fail on the second migrate.
    expect(batches.map((b) => b.code).join('\n')).not.toMatch(new RegExp(`\\bCREATE\\s+${kind}\\b`, 'i'));
    if (!isFunction) {
      expect(batches[1]!.code).toMatch(/\bSET\s+NOCOUNT\s+ON\s*;/i);
      expect(batches[1]!.code).toMatch(/\bSET\s+XACT_ABORT\s+ON\s*;/i);
    }
    // The header lists exactly the numbers the procedure can raise: its own THROWs and those of the helpers it
    // EXECs ("Errors: none" for helpers that raise nothing).
    const raised = raisedNumbers('mssql', text, helpers);
    expect(headerNumbers(text)).toEqual(raised);
    if (raised.length === 0) expect(text).toMatch(/^-- Errors:\s+none/m);
    for (const n of raised) expect(n >= 50000 && n <= 50999).toBe(true);
  });
});

/** PostgreSQL RAISE … USING ERRCODE = 'R00nn' → 500nn, with the message's fixed fragments (around each %). */
function postgresErrors(text: string): Map<number, string[][]> {
  const errors = new Map<number, string[][]>();
  const re = /RAISE\s+EXCEPTION\s+'((?:[^']|'')*)'[\s\S]*?ERRCODE\s*=\s*'R(\d{4})'/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const number = 50000 + Number(m[2]);
    const fragments = m[1]!
      .replace(/''/g, "'")
      .split('%')
      .filter((f) => f.trim().length > 1);
    errors.set(number, [...(errors.get(number) ?? []), fragments]);
  }
  return errors;
}

const pgReady = (kind: keyof typeof DIRS) => sqlFiles(kind, 'postgres').length > 0;

describe('every T-SQL file has a PostgreSQL twin that behaves the same', () => {
  for (const kind of ['migrations', 'procedures'] as const) {
    const run = pgReady(kind) ? it : it.skip;
    if (!pgReady(kind)) {
      it(`(twin checks for ${DIRS[kind]} skipped: ${DIRS[kind]}/postgres has no .sql files yet)`, () => {
        expect(pgReady(kind)).toBe(false);
      });
    }
    run(`${DIRS[kind]}: the same file names in both dialects`, () => {
      expect(sqlFiles(kind, 'mssql')).toEqual(sqlFiles(kind, 'postgres'));
    });
  }

  const twins = procedureFiles.filter(
    (f) => pgReady('procedures') && sqlFiles('procedures', 'postgres').includes(f),
  );
  const runTwins = twins.length > 0 ? it.each(twins) : it.skip.each(['(no PostgreSQL twins yet)']);
  const tsqlHelpers = helpersIn('mssql');
  const pgHelpers = helpersIn('postgres');

  runTwins('%s raises the same error numbers with the same message texts', (file) => {
    const tsql = read('procedures', 'mssql', file);
    const pg = read('procedures', 'postgres', file);
    // The same numbers, counting those raised through helpers (a helper called with a right in one dialect and
    // without in the other shows here), and the same header list in the same order in both files.
    expect(raisedNumbers('mssql', tsql, tsqlHelpers)).toEqual(raisedNumbers('postgres', pg, pgHelpers));
    expect(headerNumbers(pg)).toEqual(raisedNumbers('postgres', pg, pgHelpers));
    expect(headerList(tsql)).toEqual(headerList(pg));
    // Every fixed part of each PostgreSQL message is one T-SQL string literal's text (or part of one).
    const pgErrors = postgresErrors(pg);
    const literals = lexTsql(tsql).strings.join('\u0000');
    const missing: string[] = [];
    for (const [number, messages] of pgErrors) {
      for (const fragment of messages.flat()) {
        if (!literals.includes(fragment)) missing.push(`${number}: ${JSON.stringify(fragment)}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
