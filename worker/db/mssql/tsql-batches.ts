/**
 * Splits a T-SQL script into batches the way sqlcmd and SSMS do: a line holding only `GO` (any case,
 * optionally `GO <count>` and a trailing `--` comment) ends a batch. Unlike sqlcmd, a `GO` line inside a
 * block comment (nested `/* … *\/`), a string literal (`'…'` / `N'…'` with `''` escapes) or a delimited
 * identifier (`[…]` with `]]`, `"…"` with `""`) is not a separator: it is part of the text, as the server
 * would read it. Such lines are reported in `hiddenGoLines` so a static check can forbid them (sqlcmd would
 * split there and break the script).
 */
import { RcError } from '../../errors';

export interface TsqlBatch {
  /** The batch text without its GO line; line endings are kept as they were. */
  sql: string;
  /** 1-based line number of the batch's first line in the script (server line numbers are batch-relative). */
  startLine: number;
  /** How many times to run the batch (`GO 3` → 3); 1 for a plain `GO` or the script's last batch. */
  count: number;
}

export interface SplitResult {
  batches: TsqlBatch[];
  /** 1-based numbers of `GO` lines that were not separators because a comment, string or identifier was open. */
  hiddenGoLines: number[];
}

const GO_LINE = /^[ \t]*go(?:[ \t]+(\d+))?[ \t]*(?:--.*)?$/i;
const MAX_GO_COUNT = 2147483647;

type State =
  | { kind: 'code' }
  | { kind: 'block'; depth: number; line: number }
  | { kind: 'quoted'; close: "'" | ']' | '"'; line: number };

/** Returns the batches of `script`; batches holding only whitespace and comments are dropped. */
export function splitTsqlBatches(script: string): TsqlBatch[] {
  return splitTsqlScript(script).batches;
}

export function splitTsqlScript(script: string): SplitResult {
  const source = script.startsWith('\uFEFF') ? script.slice(1) : script;
  const lines = source.match(/[^\r\n]*(?:\r\n|\n|\r|$)/g) ?? [];
  // String.match with a pattern that can match empty yields one trailing '' — drop it.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  const batches: TsqlBatch[] = [];
  const hiddenGoLines: number[] = [];
  let state: State = { kind: 'code' };
  let current: string[] = [];
  let currentStart = 1;
  let hasCode = false;

  const flush = (count: number, nextStart: number): void => {
    if (hasCode) batches.push({ sql: current.join(''), startLine: currentStart, count });
    current = [];
    hasCode = false;
    currentStart = nextStart;
  };

  for (let index = 0; index < lines.length; index += 1) {
    const rawLine = lines[index];
    const lineNo = index + 1;
    const line = rawLine.replace(/(?:\r\n|\n|\r)$/, '');
    const go = GO_LINE.exec(line);
    if (go && state.kind === 'code') {
      const count = go[1] === undefined ? 1 : Number(go[1]);
      if (!Number.isSafeInteger(count) || count < 1 || count > MAX_GO_COUNT) {
        throw new RcError(
          'migration_failed',
          `Line ${lineNo}: "GO ${go[1]}" has an invalid count; use a whole number from 1 to ${MAX_GO_COUNT}.`,
        );
      }
      flush(count, lineNo + 1);
      continue;
    }
    if (go) hiddenGoLines.push(lineNo);
    const scanned = scanLine(line, lineNo, state);
    state = scanned.state;
    if (scanned.hasCode) hasCode = true;
    current.push(rawLine);
  }

  if (state.kind === 'block') {
    throw new RcError(
      'migration_failed',
      `The block comment opened on line ${state.line} is never closed (missing "*/"); close it before the end of the script.`,
    );
  }
  if (state.kind === 'quoted') {
    const what = state.close === "'" ? 'string literal' : 'quoted identifier';
    throw new RcError(
      'migration_failed',
      `The ${what} opened on line ${state.line} is never closed (missing ${state.close}); close it before the end of the script.`,
    );
  }
  flush(1, lines.length + 1);
  return { batches, hiddenGoLines };
}

/** Advances the lexer state over one line; `hasCode` is true when the line holds anything but comments/space. */
function scanLine(line: string, lineNo: number, start: State): { state: State; hasCode: boolean } {
  let state: State = start;
  let hasCode = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    const next = line[i + 1];
    if (state.kind === 'block') {
      if (c === '/' && next === '*') {
        state = { ...state, depth: state.depth + 1 };
        i += 2;
      } else if (c === '*' && next === '/') {
        state = state.depth === 1 ? { kind: 'code' } : { ...state, depth: state.depth - 1 };
        i += 2;
      } else {
        i += 1;
      }
      continue;
    }
    if (state.kind === 'quoted') {
      hasCode = true;
      if (c === state.close) {
        if (next === state.close) {
          i += 2; // doubled delimiter is an escaped one
          continue;
        }
        state = { kind: 'code' };
      }
      i += 1;
      continue;
    }
    if (c === '-' && next === '-') break; // line comment: the rest of the line
    if (c === '/' && next === '*') {
      state = { kind: 'block', depth: 1, line: lineNo };
      i += 2;
      continue;
    }
    if (c === "'" || c === '"' || c === '[') {
      state = { kind: 'quoted', close: c === '[' ? ']' : c, line: lineNo };
      hasCode = true;
      i += 1;
      continue;
    }
    if (c !== ' ' && c !== '\t') hasCode = true;
    i += 1;
  }
  return { state, hasCode };
}
