/**
 * FindItem restrictions: IsEqualTo / IsNotEqualTo / IsGreaterThan(OrEqualTo) / IsLessThan(OrEqualTo), Exists,
 * Contains, And, Or, Not over item:Subject, item:ItemClass, message:From, message:InternetMessageId,
 * item:Importance, item:Sensitivity, message:IsRead, item:DateTime* and extended properties. An IsEqualTo on an
 * extended property (alone, inside an And, or an Or made only of such lookups) is answered from the folder's
 * value index instead of a scan.
 */
import type { Element } from '@xmldom/xmldom';
import type { MailboxStore } from '../mailbox-store';
import type { Folder, StoredItem } from '../model';
import { EwsError } from './ews-error';
import { parseExtendedFieldUri } from './extended-property';
import { ewsDate, senderOf } from './write-item';
import { attr, childElement, childElements, escapeXml, TYPES_NS } from './xml';

type Getter = (item: StoredItem) => string | undefined;

const FIELD_GETTERS: Record<string, Getter> = {
  'item:Subject': (i) => i.subject,
  'item:ItemClass': (i) => i.itemClass,
  'item:Importance': (i) => i.importance,
  'item:Sensitivity': (i) => i.sensitivity,
  'item:DateTimeCreated': (i) => ewsDate(i.created),
  'item:DateTimeSent': (i) => (i.sent ? ewsDate(i.sent) : undefined),
  'item:DateTimeReceived': (i) => ewsDate(i.received ?? i.sent ?? i.created),
  'message:From': (i) => senderOf(i)?.address,
  'message:InternetMessageId': (i) => i.internetMessageId,
  'message:IsRead': (i) => (i.isRead ? 'true' : 'false'),
};

interface Path {
  get: Getter;
  /** Set for extended properties: index lookups use it. */
  extendedKey?: string;
}

export interface Restriction {
  test: (item: StoredItem) => boolean;
  /** Candidate items from an index, when the restriction allows one; otherwise the whole folder is scanned. */
  candidates?: (store: MailboxStore, folder: Folder) => StoredItem[];
}

function parsePath(parent: Element): Path {
  const el = childElements(parent, undefined, TYPES_NS).find((c) =>
    ['FieldURI', 'ExtendedFieldURI', 'IndexedFieldURI'].includes(c.localName ?? ''),
  );
  if (!el) throw new EwsError('ErrorInvalidRestriction', 'The restriction is missing a property path.');
  if (el.localName === 'ExtendedFieldURI') {
    const { key } = parseExtendedFieldUri(el);
    return { extendedKey: key, get: (i) => i.extendedProperties.find((p) => p.key === key)?.value };
  }
  const uri = attr(el, 'FieldURI') ?? '';
  const get = FIELD_GETTERS[uri];
  if (!get) {
    throw new EwsError(
      'ErrorUnsupportedPathForQuery',
      'The property path is not supported for this query by the Exchange simulator.',
      `<t:FieldURI FieldURI="${escapeXml(uri)}"/>`,
    );
  }
  return { get };
}

function constantOf(el: Element): string {
  const wrapper = childElement(el, 'FieldURIOrConstant', TYPES_NS);
  const constant = wrapper
    ? childElement(wrapper, 'Constant', TYPES_NS)
    : childElement(el, 'Constant', TYPES_NS);
  if (!constant) {
    throw new EwsError(
      'ErrorInvalidRestriction',
      'Only comparisons with a constant are supported by the simulator.',
    );
  }
  return attr(constant, 'Value') ?? '';
}

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  const da = Date.parse(a);
  const db = Date.parse(b);
  if (/^\d{4}-\d\d-\d\dT/.test(a) && !Number.isNaN(da) && !Number.isNaN(db)) return da - db;
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  return la < lb ? -1 : la > lb ? 1 : 0;
}

const COMPARISONS: Record<string, (c: number) => boolean> = {
  IsEqualTo: (c) => c === 0,
  IsNotEqualTo: (c) => c !== 0,
  IsGreaterThan: (c) => c > 0,
  IsGreaterThanOrEqualTo: (c) => c >= 0,
  IsLessThan: (c) => c < 0,
  IsLessThanOrEqualTo: (c) => c <= 0,
};

export function parseRestriction(el: Element): Restriction {
  const name = el.localName ?? '';
  const cmp = COMPARISONS[name];
  if (cmp) {
    const path = parsePath(el);
    const value = constantOf(el);
    const restriction: Restriction = {
      test: (item) => {
        const actual = path.get(item);
        return actual === undefined ? name === 'IsNotEqualTo' : cmp(compare(actual, value));
      },
    };
    const key = path.extendedKey;
    if (name === 'IsEqualTo' && key) {
      restriction.candidates = (store, folder) => store.findByExtendedProperty(folder, key, value);
    }
    return restriction;
  }
  switch (name) {
    case 'Exists': {
      const path = parsePath(el);
      return { test: (item) => path.get(item) !== undefined };
    }
    case 'Contains': {
      const path = parsePath(el);
      const value = constantOf(el);
      const mode = attr(el, 'ContainmentMode') ?? 'Substring';
      const ignoreCase = /IgnoreCase/.test(attr(el, 'ContainmentComparison') ?? 'Exact');
      const wanted = ignoreCase ? value.toLowerCase() : value;
      return {
        test: (item) => {
          const raw = path.get(item);
          if (raw === undefined) return false;
          const actual = ignoreCase ? raw.toLowerCase() : raw;
          if (mode === 'FullString') return actual === wanted;
          if (mode === 'Prefixed') return actual.startsWith(wanted);
          return actual.includes(wanted);
        },
      };
    }
    case 'Not': {
      const inner = childElements(el, undefined, TYPES_NS)[0];
      if (!inner) throw new EwsError('ErrorInvalidRestriction', 'Not needs one restriction.');
      const parsed = parseRestriction(inner);
      return { test: (item) => !parsed.test(item) };
    }
    case 'And':
    case 'Or': {
      const parts = childElements(el, undefined, TYPES_NS).map(parseRestriction);
      if (parts.length === 0)
        throw new EwsError('ErrorInvalidRestriction', `${name} needs at least one restriction.`);
      if (name === 'Or') {
        const restriction: Restriction = { test: (item) => parts.some((p) => p.test(item)) };
        // An Or of indexed lookups (e.g. many job ids at once) is answered from the index too, in folder order.
        if (parts.every((p) => p.candidates)) {
          restriction.candidates = (store, folder) => {
            const hits = new Set(parts.flatMap((p) => p.candidates?.(store, folder) ?? []));
            return hits.size === 0 ? [] : [...folder.items.values()].filter((i) => hits.has(i));
          };
        }
        return restriction;
      }
      return {
        test: (item) => parts.every((p) => p.test(item)),
        candidates: parts.find((p) => p.candidates)?.candidates,
      };
    }
    default:
      throw new EwsError(
        'ErrorUnsupportedQueryFilter',
        `The restriction ${name} is not supported by the Exchange simulator.`,
      );
  }
}
