import { RcError } from '../../worker/errors';
import { splitTsqlBatches, splitTsqlScript } from '../../worker/db/mssql/tsql-batches';

const sqlOf = (script: string) => splitTsqlBatches(script).map((b) => b.sql.trim());

describe('splitTsqlBatches', () => {
  it('splits on GO lines in any case, with surrounding blanks', () => {
    expect(sqlOf('SELECT 1;\nGO\nSELECT 2;\n  go  \nSELECT 3;\n\tGo\t\nSELECT 4;')).toEqual([
      'SELECT 1;',
      'SELECT 2;',
      'SELECT 3;',
      'SELECT 4;',
    ]);
  });

  it('accepts a trailing line comment and a repeat count', () => {
    const batches = splitTsqlBatches('SELECT 1;\nGO -- first\nSELECT 2;\nGO 3\nSELECT 3;\ngo 2 -- twice\n');
    expect(batches.map((b) => [b.sql.trim(), b.count])).toEqual([
      ['SELECT 1;', 1],
      ['SELECT 2;', 3],
      ['SELECT 3;', 2],
    ]);
  });

  it('rejects GO 0 and absurd counts with the line number', () => {
    expect(() => splitTsqlBatches('SELECT 1;\nGO 0\n')).toThrow(/Line 2: "GO 0"/);
    expect(() => splitTsqlBatches('SELECT 1;\nGO 99999999999\n')).toThrow(RcError);
  });

  it('does not treat GO inside a line as a separator', () => {
    const script = "SELECT 1 AS go;\nGOTO done;\ndone: SELECT 2;\nGO;\nGO1\n  GO x\nSELECT N'GO';\nGO";
    expect(sqlOf(script)).toEqual([script.slice(0, script.lastIndexOf('\nGO')).trim()]);
  });

  it('keeps GO lines that sit inside block comments, nested block comments, strings and identifiers', () => {
    const script = [
      'SELECT 1; /* outer',
      '/* inner',
      'GO',
      '*/ still in outer',
      'GO',
      '*/',
      "SELECT N'it''s",
      'GO',
      "', 'x';",
      'SELECT [odd]]',
      'GO',
      'name] FROM t;',
      'SELECT "quoted""',
      'go',
      'ident";',
      'GO',
      'SELECT 2;',
    ].join('\n');
    const result = splitTsqlScript(script);
    expect(result.batches).toHaveLength(2);
    expect(result.batches[0].sql).toContain("SELECT N'it''s\nGO\n', 'x';");
    expect(result.batches[1].sql.trim()).toBe('SELECT 2;');
    expect(result.hiddenGoLines).toEqual([3, 5, 8, 11, 14]);
  });

  it('does not open a comment or string inside a line comment', () => {
    expect(sqlOf("SELECT 1; -- it's /* not a comment\nGO\nSELECT 2;")).toEqual([
      "SELECT 1; -- it's /* not a comment",
      'SELECT 2;',
    ]);
  });

  it('treats -- inside a string as text, and a string after a block comment as a string', () => {
    expect(sqlOf("SELECT '--';\nGO\n/* c */ SELECT 'a\nGO\nb';\nGO")).toEqual([
      "SELECT '--';",
      "/* c */ SELECT 'a\nGO\nb';",
    ]);
  });

  it('handles a block comment closed and reopened on one line', () => {
    expect(sqlOf('/* a */ SELECT 1; /* b\nGO\n*/\nGO\nSELECT 2;')).toEqual([
      '/* a */ SELECT 1; /* b\nGO\n*/',
      'SELECT 2;',
    ]);
  });

  it('handles CRLF and CR line endings and a BOM', () => {
    const batches = splitTsqlBatches('\uFEFFSELECT 1;\r\nGO\r\nSELECT 2;\rGO\rSELECT 3;');
    expect(batches.map((b) => b.sql)).toEqual(['SELECT 1;\r\n', 'SELECT 2;\r', 'SELECT 3;']);
  });

  it('drops batches that hold only whitespace and comments', () => {
    expect(sqlOf('-- header\n/* note\n */\nGO\n\nGO\nSELECT 1;\nGO\n  \n')).toEqual(['SELECT 1;']);
  });

  it('reports where each batch starts', () => {
    const batches = splitTsqlBatches('SELECT 1;\nGO\n\nSELECT 2;\nSELECT 3;\nGO\nSELECT 4;\n');
    expect(batches.map((b) => b.startLine)).toEqual([1, 3, 7]);
  });

  it('keeps the text exactly (no trimming inside a batch)', () => {
    const batch = '  SELECT 1\n    , 2;  \n';
    expect(splitTsqlBatches(`${batch}GO\n`)[0].sql).toBe(batch);
  });

  it('returns no batches for an empty script', () => {
    expect(splitTsqlBatches('')).toEqual([]);
    expect(splitTsqlBatches('GO\nGO\n')).toEqual([]);
  });

  it('fails clearly on an unterminated block comment, string or identifier', () => {
    expect(() => splitTsqlBatches('SELECT 1;\n/* open\n/* nested */\nGO\n')).toThrow(
      /block comment opened on line 2 is never closed/,
    );
    expect(() => splitTsqlBatches("SELECT 1;\nGO\nSELECT N'open\nGO\n")).toThrow(
      /string literal opened on line 3 is never closed/,
    );
    expect(() => splitTsqlBatches('SELECT [open\n')).toThrow(/quoted identifier opened on line 1/);
    let caught: unknown;
    try {
      splitTsqlBatches('/*');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RcError);
    expect((caught as RcError).code).toBe('migration_failed');
  });

  it('a GO line with text after it is not a separator', () => {
    expect(sqlOf('SELECT 1;\nGO SELECT 2;\nGO')).toEqual(['SELECT 1;\nGO SELECT 2;']);
  });

  it('splits a realistic procedure script into stub and ALTER batches', () => {
    const script = [
      '/* rc_X: header',
      '   GO is documented here but is inside the comment',
      '*/',
      "IF OBJECT_ID(N'rc.rc_X', N'P') IS NULL EXEC(N'CREATE PROCEDURE rc.rc_X AS RETURN 0;');",
      'GO',
      'ALTER PROCEDURE rc.rc_X @a int AS',
      'BEGIN',
      "  THROW 50001, N'Say ''GO''', 1;",
      'END',
      'GO',
    ].join('\n');
    const batches = splitTsqlBatches(script);
    expect(batches).toHaveLength(2);
    expect(batches[0].sql).toContain('IF OBJECT_ID');
    expect(batches[0].startLine).toBe(1);
    expect(batches[1].sql.startsWith('ALTER PROCEDURE')).toBe(true);
    expect(batches[1].startLine).toBe(6);
  });
});
