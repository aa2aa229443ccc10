/**
 * rc.fn_IsValidAddress / rc.fn_SplitAddressList are written twice: with regular expressions in PL/pgSQL and
 * with CHARINDEX/SUBSTRING/UNICODE in T-SQL (no regex there). No SQL Server runs here, so this test holds a
 * line-by-line JavaScript model of the T-SQL (1-based string functions with T-SQL semantics) and checks that
 * it agrees with the PostgreSQL expressions on every case of a generated corpus. Keep the model in step with
 * stored-procedures/mssql/_fn_IsValidAddress.sql and _fn_SplitAddressList.sql.
 */

// --- T-SQL string functions (1-based; nvarchar = UTF-16 code units) -----------------------------------
const charindex = (find: string, s: string, start = 1): number => s.indexOf(find, Math.max(start, 1) - 1) + 1;
const substring = (s: string, start: number, length: number): string => {
  const from = Math.max(start, 1);
  const to = start + length; // exclusive, 1-based
  return to <= from ? '' : s.slice(from - 1, to - 1);
};
const unicode = (s: string): number => s.charCodeAt(0);
const datalengthChars = (s: string): number => s.length; // DATALENGTH(nvarchar) / 2
/** PATINDEX('%[^ \t\n\r]%', s): 1-based position of the first non-white character, 0 when none. */
const firstKept = (s: string): number => s.search(/[^ \t\n\r]/) + 1;
const reverse = (s: string): string => [...s].reverse().join('');

/** Model of rc.fn_IsValidAddress (T-SQL). */
function tsqlIsValid(address: string | null): boolean {
  if (address === null) return false;
  const len = datalengthChars(address);
  const at = charindex('@', address);
  if (len < 3 || len > 320) return false;
  if (at < 2 || at > 65) return false;
  if (charindex('@', address, at + 1) > 0) return false;
  if (len - at < 1 || len - at > 255) return false;
  if (address.slice(0, 1) === '.' || substring(address, at - 1, 1) === '.' || charindex('..', address) > 0)
    return false;
  if (charindex('.', address, at + 1) === 0) return false;
  if (['.', '-'].includes(substring(address, at + 1, 1)) || ['.', '-'].includes(address.slice(-1)))
    return false;
  if (charindex('.-', address, at + 1) > 0 || charindex('-.', address, at + 1) > 0) return false;
  const local = [33, 35, 36, 37, 38, 39, 42, 43, 47, 61, 63, 94, 95, 96, 123, 124, 125, 126];
  for (let n = 1; n <= len; n += 1) {
    if (n === at) continue;
    const c = unicode(substring(address, n, 1));
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 45 ||
      c === 46 ||
      (n < at && local.includes(c));
    if (!ok) return false;
  }
  return true;
}

/** Model of rc.fn_SplitAddressList (T-SQL): entries in order. */
function tsqlSplit(list: string | null): string[] {
  if (list === null) return [];
  const l = list.replace(/,/g, ';');
  const entries: string[] = [];
  for (let n = 1; n <= datalengthChars(list) + 1; n += 1) {
    if (!(n === 1 || substring(l, n - 1, 1) === ';')) continue;
    const item = substring(l, n, charindex(';', `${l};`, n) - n);
    const first = firstKept(item);
    const lastFromEnd = firstKept(reverse(item));
    if (first > 0) entries.push(substring(item, first, datalengthChars(item) - lastFromEnd - first + 2));
  }
  return entries;
}

// --- The PostgreSQL definitions (stored-procedures/postgres/_fn_*.sql) ------------------------------
function pgIsValid(address: string | null): boolean {
  if (address === null) return false;
  const domain = address.split('@')[1] ?? '';
  return (
    [...address].length <= 320 &&
    /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(address) &&
    [...domain].length <= 255 &&
    !/^\.|\.@|\.\./.test(address) &&
    !/(^|\.)-|-(\.|$)/.test(domain)
  );
}

function pgSplit(list: string | null): string[] {
  if (list === null) return [];
  return list
    .split(/[;,]/)
    .map((part) => part.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''))
    .filter((entry) => entry !== '');
}

// --- Corpus ------------------------------------------------------------------------------------------
const FIXED = [
  'a@example.com',
  'A@B.CO',
  'a.b.c@x.io',
  "o'brien+tag!#$%&*/=?^_`{|}~-x@sub.example-x.org",
  `${'a'.repeat(64)}@example.com`,
  `${'a'.repeat(65)}@example.com`,
  `a@${'b'.repeat(251)}.com`,
  `a@${'b'.repeat(252)}.com`,
  `${'a'.repeat(64)}@${'b'.repeat(251)}.com`,
  'Bob <bob@example.com>',
  'bob@example',
  'bob@@example.com',
  'bob.@example.com',
  '.bob@example.com',
  'bo..b@example.com',
  'bob@-example.com',
  'bob@example-.com',
  'bob@example..com',
  'bob@.example.com',
  'bob@example.com.',
  'bob@example.com-',
  'bob smith@example.com',
  'x@y_z.com',
  'a-.b@x.com',
  'a@b.c',
  '@b.co',
  'a@',
  'a@b',
  '',
  'é@example.com',
  'a@exämple.com',
  'ｈ@example.com',
  'a@example.com\t',
  'a😀@example.com',
  'a@1.2',
  'a@-.x',
  'a@x.-y',
  'a@x-.y',
  'a@x.y-',
];

/** Deterministic pseudo-random addresses over the characters that matter. */
function* generated(count: number): Generator<string> {
  const alphabet = ['a', 'Z', '0', '.', '-', '@', '_', '+', "'", ' ', 'é', ';', '<', '>', '!', '~', '%'];
  let seed = 42;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  for (let i = 0; i < count; i += 1) {
    const length = 1 + (next() % 12);
    let s = '';
    for (let j = 0; j < length; j += 1) s += alphabet[next() % alphabet.length];
    yield s;
    yield `${s}@ex.com`;
    yield `ab@${s}`;
    yield `${s}@${s}.io`;
  }
}

describe('T-SQL address rules agree with the PostgreSQL ones', () => {
  it.each(FIXED)('fn_IsValidAddress(%p) is the same in both dialects', (address) => {
    expect(tsqlIsValid(address)).toBe(pgIsValid(address));
  });

  it('agrees on 20,000 generated strings', () => {
    const disagreements: string[] = [];
    let valid = 0;
    for (const address of generated(5000)) {
      if (tsqlIsValid(address) !== pgIsValid(address)) disagreements.push(address);
      if (pgIsValid(address)) valid += 1;
    }
    expect(disagreements).toEqual([]);
    // The corpus must exercise both answers, or agreement proves little.
    expect(valid).toBeGreaterThan(500);
  });

  it('NULL is not valid', () => {
    expect(tsqlIsValid(null)).toBe(false);
    expect(pgIsValid(null)).toBe(false);
  });

  it.each([
    [null],
    [''],
    [' ; , ;'],
    [' a@example.com ; b@example.org,c@example.net ;'],
    ['d@example.com,, e@example.com'],
    ['\tf@example.com\r\n'],
    ['a@x.com;a@x.com'],
    ['  spaced  name@x.com  ,\t\ttab@x.com\n'],
    [';;;a;;;'],
    ['x'],
  ])('fn_SplitAddressList(%p) gives the same entries in the same order', (list) => {
    expect(tsqlSplit(list)).toEqual(pgSplit(list));
  });

  it('splits 500 entries in order', () => {
    const list = Array.from({ length: 500 }, (_, i) => ` t${i}@example.com ${i % 2 ? ';' : ','}`).join('');
    expect(tsqlSplit(list)).toEqual(pgSplit(list));
    expect(tsqlSplit(list)).toHaveLength(500);
  });
});
