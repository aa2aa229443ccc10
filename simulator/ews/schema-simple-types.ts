/**
 * XML Schema simple types for request validation: the built-in types EWS uses, restriction by facets
 * (enumeration, pattern, length, minLength, maxLength, min/max inclusive/exclusive, whiteSpace), list and union.
 * A check returns undefined when the value is valid, otherwise the reason .NET's validator would give.
 * Fails open (accepts) for what it does not model: unknown built-in types, totalDigits/fractionDigits, and
 * patterns that use XSD-only regex syntax (\i, \c, \p{Is…}, character-class subtraction).
 */

export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';

export type WhiteSpace = 'preserve' | 'replace' | 'collapse';

export interface SimpleType {
  kind?: 'simple';
  /** Name as .NET prints it in violations, e.g. http://…/types:DefaultShapeNamesType. */
  name: string;
  whiteSpace: WhiteSpace;
  /** Ordering for min/max facets, when the value space is numeric. */
  numeric?: boolean;
  /** Length unit for length facets. */
  lengthOf?: (value: string) => number;
  check(value: string): string | undefined;
}

export function normalizeWhiteSpace(value: string, ws: WhiteSpace): string {
  if (ws === 'preserve') return value;
  const replaced = value.replace(/[\t\n\r]/g, ' ');
  return ws === 'replace' ? replaced : replaced.replace(/ {2,}/g, ' ').trim();
}

function regexType(name: string, re: RegExp, what: string, lengthOf?: (v: string) => number): SimpleType {
  return {
    name: `${XSD_NS}:${name}`,
    whiteSpace: 'collapse',
    lengthOf,
    check: (v) => (re.test(v) ? undefined : `The string '${v}' is not a valid ${what} value.`),
  };
}

function integerType(name: string, what: string, min?: bigint, max?: bigint): SimpleType {
  return {
    name: `${XSD_NS}:${name}`,
    whiteSpace: 'collapse',
    numeric: true,
    check: (v) => {
      if (!/^[+-]?[0-9]+$/.test(v)) return `The string '${v}' is not a valid ${what} value.`;
      const n = BigInt(v);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
        return `Value was either too large or too small for ${what === 'Integer' ? 'a Decimal' : `an ${what}`}.`;
      }
      return undefined;
    },
  };
}

const DATE = '-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])';
const TIME = '(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?|24:00:00(\\.0+)?)';
const ZONE = '(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?';
/** Linear scan (a regex over a 36 MB attachment would exhaust the regex engine's stack). */
function isBase64(v: string): boolean {
  let chars = 0;
  let padding = 0;
  for (let i = 0; i < v.length; i += 1) {
    const c = v.charCodeAt(i);
    if (c === 32) continue;
    if (c === 61) {
      padding += 1;
    } else if (
      padding > 0 ||
      !((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47)
    ) {
      return false;
    }
    chars += 1;
  }
  return chars % 4 === 0 && padding <= 2;
}

function base64Octets(v: string): number {
  const chars = v.replace(/[ =]/g, '').length;
  return Math.floor((chars * 3) / 4);
}

const string: SimpleType = { name: `${XSD_NS}:string`, whiteSpace: 'preserve', check: () => undefined };
const anything: SimpleType = {
  name: `${XSD_NS}:anySimpleType`,
  whiteSpace: 'collapse',
  check: () => undefined,
};

const BUILT_INS: Record<string, SimpleType> = {
  string,
  anySimpleType: anything,
  anyType: anything,
  normalizedString: { ...string, name: `${XSD_NS}:normalizedString`, whiteSpace: 'replace' },
  token: { ...string, name: `${XSD_NS}:token`, whiteSpace: 'collapse' },
  anyURI: { ...string, name: `${XSD_NS}:anyURI`, whiteSpace: 'collapse' },
  language: regexType('language', /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/, 'language'),
  Name: regexType('Name', /^[^\s]+$/, 'Name'),
  NCName: regexType('NCName', /^[^\s:]+$/, 'NCName'),
  QName: regexType('QName', /^([^\s:]+:)?[^\s:]+$/, 'QName'),
  ID: regexType('ID', /^[^\s:]+$/, 'ID'),
  NMTOKEN: regexType('NMTOKEN', /^[^\s]+$/, 'NMTOKEN'),
  boolean: regexType('boolean', /^(true|false|1|0)$/, 'Boolean'),
  decimal: { ...regexType('decimal', /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/, 'Decimal'), numeric: true },
  double: {
    ...regexType('double', /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$/, 'Double'),
    numeric: true,
  },
  float: {
    ...regexType('float', /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|-?INF|NaN)$/, 'Single'),
    numeric: true,
  },
  integer: integerType('integer', 'Integer'),
  nonNegativeInteger: integerType('nonNegativeInteger', 'Integer', 0n),
  positiveInteger: integerType('positiveInteger', 'Integer', 1n),
  nonPositiveInteger: integerType('nonPositiveInteger', 'Integer', undefined, 0n),
  negativeInteger: integerType('negativeInteger', 'Integer', undefined, -1n),
  long: integerType('long', 'Int64', -(2n ** 63n), 2n ** 63n - 1n),
  int: integerType('int', 'Int32', -(2n ** 31n), 2n ** 31n - 1n),
  short: integerType('short', 'Int16', -32768n, 32767n),
  byte: integerType('byte', 'SByte', -128n, 127n),
  unsignedLong: integerType('unsignedLong', 'UInt64', 0n, 2n ** 64n - 1n),
  unsignedInt: integerType('unsignedInt', 'UInt32', 0n, 2n ** 32n - 1n),
  unsignedShort: integerType('unsignedShort', 'UInt16', 0n, 65535n),
  unsignedByte: integerType('unsignedByte', 'Byte', 0n, 255n),
  dateTime: regexType('dateTime', new RegExp(`^${DATE}T${TIME}${ZONE}$`), 'dateTime'),
  date: regexType('date', new RegExp(`^${DATE}${ZONE}$`), 'date'),
  time: regexType('time', new RegExp(`^${TIME}${ZONE}$`), 'time'),
  duration: regexType(
    'duration',
    /^-?P(?=[0-9T])([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+(\.[0-9]+)?S)?)?$/,
    'TimeSpan',
  ),
  base64Binary: {
    name: `${XSD_NS}:base64Binary`,
    whiteSpace: 'collapse',
    lengthOf: base64Octets,
    check: (v) => (isBase64(v) ? undefined : `The string '${v.slice(0, 100)}' is not a valid Base64 value.`),
  },
  hexBinary: regexType('hexBinary', /^([0-9a-fA-F]{2})*$/, 'hexBinary', (v) => v.length / 2),
};

/** A built-in type by local name; undefined for one this validator does not model (the caller fails open). */
export function builtInType(localName: string): SimpleType | undefined {
  return BUILT_INS[localName];
}

export const ANY_SIMPLE_TYPE = anything;

export interface Facets {
  enumeration?: string[];
  patterns?: string[];
  length?: number;
  minLength?: number;
  maxLength?: number;
  minInclusive?: string;
  maxInclusive?: string;
  minExclusive?: string;
  maxExclusive?: string;
  whiteSpace?: WhiteSpace;
}

/** XSD regexes are anchored; JS cannot express some XSD-only syntax, for which the facet is skipped. */
function compilePattern(pattern: string): RegExp | undefined {
  if (/\\[icIC]|\\[pP]\{Is|-\[/.test(pattern)) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return undefined;
  }
}

export function restrictType(base: SimpleType, name: string, facets: Facets): SimpleType {
  const whiteSpace = facets.whiteSpace ?? base.whiteSpace;
  const enumeration = facets.enumeration && new Set(facets.enumeration);
  const patterns = (facets.patterns ?? []).map(compilePattern).filter((re): re is RegExp => re !== undefined);
  const lengthOf = base.lengthOf ?? ((v: string) => [...v].length);
  const num = (s: string) => Number(s);
  return {
    name,
    whiteSpace,
    numeric: base.numeric,
    lengthOf: base.lengthOf,
    check: (value) => {
      const baseError = base.check(value);
      if (baseError) return baseError;
      if (enumeration && !enumeration.has(value)) return 'The Enumeration constraint failed.';
      if (
        facets.patterns &&
        patterns.length === facets.patterns.length &&
        !patterns.some((re) => re.test(value))
      ) {
        return 'The Pattern constraint failed.';
      }
      if (facets.length !== undefined && lengthOf(value) !== facets.length) {
        return `The actual length is not equal to the specified length.`;
      }
      if (facets.minLength !== undefined && lengthOf(value) < facets.minLength) {
        return 'The actual length is less than the MinLength value.';
      }
      if (facets.maxLength !== undefined && lengthOf(value) > facets.maxLength) {
        return 'The actual length is greater than the MaxLength value.';
      }
      if (base.numeric) {
        const v = num(value);
        if (facets.minInclusive !== undefined && v < num(facets.minInclusive)) {
          return `The MinInclusive constraint failed.`;
        }
        if (facets.maxInclusive !== undefined && v > num(facets.maxInclusive)) {
          return `The MaxInclusive constraint failed.`;
        }
        if (facets.minExclusive !== undefined && v <= num(facets.minExclusive)) {
          return `The MinExclusive constraint failed.`;
        }
        if (facets.maxExclusive !== undefined && v >= num(facets.maxExclusive)) {
          return `The MaxExclusive constraint failed.`;
        }
      }
      return undefined;
    },
  };
}

export function listType(item: SimpleType, name: string): SimpleType {
  return {
    name,
    whiteSpace: 'collapse',
    lengthOf: (v) => (v === '' ? 0 : v.split(' ').length),
    check: (value) => {
      if (value === '') return undefined;
      for (const token of value.split(' ')) {
        const error = item.check(normalizeWhiteSpace(token, item.whiteSpace));
        if (error) return error;
      }
      return undefined;
    },
  };
}

export function unionType(members: SimpleType[], name: string): SimpleType {
  return {
    name,
    whiteSpace: 'collapse',
    check: (value) =>
      members.some((m) => m.check(normalizeWhiteSpace(value, m.whiteSpace)) === undefined)
        ? undefined
        : `The value does not match any of the union's member types.`,
  };
}
