/**
 * The applied-fields part of a desired-state marker (SyncMarker.appliedFields, the rcSyncFields property): what
 * rc_SyncFolder last wrote to an item, compact enough to live on every item, so a repeated set is compared
 * without reading any item's fields back.
 *
 * Format: {"v":1,"f":{"<field>":"<value>"}} with the fields in key order. A field's value is its canonical JSON
 * (object keys sorted, so PostgreSQL's jsonb and SQL Server's FOR JSON key orders compare equal) when that is at
 * most INLINE_MAX characters, else '#' + the first 22 base64url characters of its SHA-256 (132 bits). Canonical
 * JSON never starts with '#', so the two forms cannot be confused. Long values (notes, bodies) are thus not kept
 * twice on the item, and a marker stays a few hundred characters.
 *
 * What changed = the fields whose encoding differs. A marker that cannot be read (written by another version,
 * damaged by hand) counts as "every field changed": the item is rewritten with the whole desired state once.
 * Edits made to a synced item in Outlook stay until the source changes that field (the marker, not the item, is
 * compared) — the documented rule of rc_SyncFolder.
 */
import { createHash } from 'node:crypto';

export const MARKER_VERSION = 1;
/** Values whose canonical JSON is longer than this are kept as a hash. */
export const INLINE_MAX = 64;

/** JSON with object keys sorted at every level; undefined (absent) → null. */
export function canonicalJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One field's entry in the marker. */
export function encodeValue(value: unknown): string {
  const json = canonicalJson(value);
  if (json.length <= INLINE_MAX) return json;
  return `#${createHash('sha256').update(json, 'utf8').digest('base64url').slice(0, 22)}`;
}

/** The marker text for a whole desired item. */
export function encodeAppliedFields(fields: object): string {
  const values = fields as Record<string, unknown>;
  const encoded: Record<string, string> = {};
  for (const key of Object.keys(values).sort()) {
    if (values[key] !== undefined) encoded[key] = encodeValue(values[key]);
  }
  return JSON.stringify({ v: MARKER_VERSION, f: encoded });
}

/** The field encodings a marker holds; null when it is not a marker this version wrote. */
export function decodeAppliedFields(text: string): Record<string, string> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { v, f } = parsed as { v?: unknown; f?: unknown };
  if (v !== MARKER_VERSION || typeof f !== 'object' || f === null || Array.isArray(f)) return null;
  const fields = f as Record<string, unknown>;
  return Object.values(fields).every((e) => typeof e === 'string')
    ? (fields as Record<string, string>)
    : null;
}

/**
 * The update that brings an item from its marker to the desired fields: the desired value of every field whose
 * encoding differs, and for a field the marker has but the desired item lacks, its cleared value (null, or []
 * for a list). null → nothing changed. An unreadable marker → every desired field.
 */
export function changedFields(
  desired: Record<string, unknown>,
  appliedFields: string,
): Record<string, unknown> | null {
  const applied = decodeAppliedFields(appliedFields);
  if (applied === null) return { ...desired };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(desired)) {
    if (value !== undefined && applied[key] !== encodeValue(value)) changes[key] = value;
  }
  for (const [key, encoding] of Object.entries(applied)) {
    if (desired[key] === undefined && encoding !== 'null')
      changes[key] = encoding.startsWith('[') ? [] : null;
  }
  return Object.keys(changes).length === 0 ? null : changes;
}
