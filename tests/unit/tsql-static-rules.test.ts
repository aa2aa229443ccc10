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
const objectName = (file: string) => file.replace(/^_/, '').replace(/\.sql$/, '');

/** THROW numbers of a T-SQL file (code only: a number in a comment or message does not count). */
function thrownNumbers(text: string): number[] {
  const code = lexTsql(text).code;
  return [...new Set([...code.matchAll(/\bTHROW\s+(\d+)\s*,/gi)].map((m) => Number(m[1])))].sort();
}

/** Error numbers the header comment lists under "Errors". */
function headerNumbers(text: string): number[] {
  const header = text.slice(0, text.search(/^\s*(SET|IF|CREATE|ALTER|DROP)\b/m));
  const errors = header.slice(header.search(/^--\s*Errors\b/m));
  return [...new Set([...errors.matchAll(/^--\s+(5\d{4})\b/gm)].map((m) => Number(m[1])))].sort();
}

describe('repeatable T-SQL files have the create-stub-then-ALTER shape and a header', () => {
  it.each(procedureFiles)('%s', (file) => {
    const text = read('procedures', 'mssql', file);
    const name = objectName(file);
    const batches = splitTsqlScript(text).batches.map((b) => lexTsql(b.sql));
    expect(text.startsWith(`-- rc.${name} — `)).toBe(true);
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
    // The header lists exactly the numbers the code throws ("Errors: none" for helpers).
    expect(headerNumbers(text)).toEqual(thrownNumbers(text));
    if (thrownNumbers(text).length === 0) expect(text).toMatch(/^-- Errors:\s+none/m);
    for (const n of thrownNumbers(text)) expect(n >= 50000 && n <= 50999).toBe(true);
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

  runTwins('%s raises the same error numbers with the same message texts', (file) => {
    const tsql = read('procedures', 'mssql', file);
    const pg = read('procedures', 'postgres', file);
    const pgErrors = postgresErrors(pg);
    expect(thrownNumbers(tsql)).toEqual([...pgErrors.keys()].sort());
    // Every fixed part of each PostgreSQL message is one T-SQL string literal's text (or part of one).
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
