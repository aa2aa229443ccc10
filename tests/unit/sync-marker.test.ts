/**
 * The applied-fields marker of rc_SyncFolder items: canonical (key order never matters), compact (long values
 * hashed), and the diff that decides which fields an update carries.
 */
import {
  canonicalJson,
  changedFields,
  decodeAppliedFields,
  encodeAppliedFields,
  encodeValue,
  INLINE_MAX,
} from '../../worker/jobs/sync-marker';

describe('canonicalJson', () => {
  it('sorts object keys at every level and writes absent as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });

  it('PostgreSQL and SQL Server key orders give the same text', () => {
    const jsonb = JSON.parse('{"city":"Berlin","street":"Main 1","state":null,"postalCode":"10115"}');
    const forJson = JSON.parse('{"street":"Main 1","city":"Berlin","state":null,"postalCode":"10115"}');
    expect(canonicalJson(jsonb)).toBe(canonicalJson(forJson));
  });
});

describe('encodeValue', () => {
  it(`keeps values of up to ${INLINE_MAX} characters readable and hashes longer ones`, () => {
    expect(encodeValue('Anna')).toBe('"Anna"');
    expect(encodeValue(null)).toBe('null');
    expect(encodeValue(['a', 'b'])).toBe('["a","b"]');
    const inline = 'x'.repeat(INLINE_MAX - 2);
    expect(encodeValue(inline)).toBe(`"${inline}"`);
    const long = encodeValue('x'.repeat(INLINE_MAX - 1));
    expect(long).toMatch(/^#[A-Za-z0-9_-]{22}$/);
    expect(encodeValue('x'.repeat(INLINE_MAX - 1))).toBe(long);
    expect(encodeValue('y'.repeat(INLINE_MAX - 1))).not.toBe(long);
  });
});

describe('encodeAppliedFields / decodeAppliedFields', () => {
  it('round-trips field encodings, sorted, and stays small for long values', () => {
    const text = encodeAppliedFields({ surname: 'Berg', givenName: 'Anna', notes: 'n'.repeat(100000) });
    expect(text.length).toBeLessThan(200);
    expect(decodeAppliedFields(text)).toEqual({
      givenName: '"Anna"',
      notes: expect.stringMatching(/^#/),
      surname: '"Berg"',
    });
    expect(Object.keys(JSON.parse(text).f)).toEqual(['givenName', 'notes', 'surname']);
  });

  it.each([
    ['not JSON', 'x{'],
    ['another version', '{"v":2,"f":{}}'],
    ['no field map', '{"v":1}'],
    ['a list as field map', '{"v":1,"f":[]}'],
    ['a value that is not a string', '{"v":1,"f":{"a":1}}'],
    ['empty', ''],
  ])('refuses %s', (_case, text) => {
    expect(decodeAppliedFields(text)).toBeNull();
  });
});

describe('changedFields', () => {
  const desired = { givenName: 'Anna', surname: 'Berg', categories: ['A'], notes: 'n'.repeat(500) };

  it('nothing changed → null (no request)', () => {
    expect(changedFields(desired, encodeAppliedFields(desired))).toBeNull();
    // Key order of nested values does not count as a change.
    const address = { street: 'Main 1', city: 'Berlin' };
    expect(
      changedFields({ address }, encodeAppliedFields({ address: { city: 'Berlin', street: 'Main 1' } })),
    ).toBeNull();
  });

  it('only the fields whose value differs, with their desired value', () => {
    const applied = encodeAppliedFields(desired);
    expect(changedFields({ ...desired, surname: 'Borg' }, applied)).toEqual({ surname: 'Borg' });
    expect(changedFields({ ...desired, notes: `${desired.notes}!` }, applied)).toEqual({
      notes: `${desired.notes}!`,
    });
    expect(changedFields({ ...desired, givenName: null }, applied)).toEqual({ givenName: null });
    expect(changedFields({ ...desired, categories: [] }, applied)).toEqual({ categories: [] });
  });

  it('a field the desired item no longer has is cleared: null, or [] for a list', () => {
    const applied = encodeAppliedFields({ ...desired, jobTitle: 'CEO', department: null });
    expect(changedFields({ givenName: 'Anna', surname: 'Berg', notes: desired.notes }, applied)).toEqual({
      categories: [],
      jobTitle: null,
    });
  });

  it('a new field with a value is a change; a new field that is null too (the marker did not know it)', () => {
    const applied = encodeAppliedFields({ givenName: 'Anna' });
    expect(changedFields({ givenName: 'Anna', webPage: 'https://x.example' }, applied)).toEqual({
      webPage: 'https://x.example',
    });
    expect(changedFields({ givenName: 'Anna', webPage: null }, applied)).toEqual({ webPage: null });
  });

  it('an unreadable marker → every desired field', () => {
    expect(changedFields(desired, 'garbage')).toEqual(desired);
    expect(changedFields(desired, '')).toEqual(desired);
  });
});
