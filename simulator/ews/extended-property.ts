/** ExtendedFieldURI parsing, canonical property identity, value validation and rendering. */
import type { Element } from '@xmldom/xmldom';
import type { ExtendedPropertyPath, ExtendedPropertyValue } from '../model';
import { EwsError } from './ews-error';
import { attr, childElement, escapeXml, textOf, TYPES_NS } from './xml';

const DISTINGUISHED_SETS: Record<string, string> = {
  Meeting: '6ed8da90-450b-101b-98da-00aa003f1305',
  Appointment: '00062002-0000-0000-c000-000000000046',
  Common: '00062008-0000-0000-c000-000000000046',
  PublicStrings: '00020329-0000-0000-c000-000000000046',
  Address: '00062004-0000-0000-c000-000000000046',
  InternetHeaders: '00020386-0000-0000-c000-000000000046',
  CalendarAssistant: '11000e07-b51b-40d6-af21-caa85edab1d0',
  UnifiedMessaging: '4442858e-a9e3-4e80-b900-317a210cc15b',
  Task: '00062003-0000-0000-c000-000000000046',
  Sharing: '00062040-0000-0000-c000-000000000046',
};

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SINGLE_VALUED_TYPES = new Set([
  'ApplicationTime',
  'Binary',
  'Boolean',
  'CLSID',
  'Currency',
  'Double',
  'Error',
  'Float',
  'Integer',
  'Long',
  'Null',
  'Object',
  'Short',
  'SystemTime',
  'String',
]);

function invalid(message: string, el: Element): EwsError {
  return new EwsError('ErrorInvalidExtendedProperty', message, renderPathFromElement(el));
}

function renderPathFromElement(el: Element): string {
  const names = [
    'DistinguishedPropertySetId',
    'PropertySetId',
    'PropertyTag',
    'PropertyName',
    'PropertyId',
    'PropertyType',
  ];
  const attrs = names
    .filter((n) => el.hasAttribute(n))
    .map((n) => ` ${n}="${escapeXml(el.getAttribute(n) ?? '')}"`)
    .join('');
  return `<t:ExtendedFieldURI${attrs}/>`;
}

export interface ParsedPath {
  path: ExtendedPropertyPath;
  key: string;
}

/** Parses t:ExtendedFieldURI; the key identifies the property regardless of how the set was named. */
export function parseExtendedFieldUri(el: Element): ParsedPath {
  const propertyType = attr(el, 'PropertyType');
  if (!propertyType)
    throw invalid('The extended property attribute combination is invalid: PropertyType is required.', el);
  if (!SINGLE_VALUED_TYPES.has(propertyType)) {
    throw new EwsError(
      'ErrorInvalidOperation',
      `The Exchange simulator does not support extended properties of type ${propertyType}.`,
      renderPathFromElement(el),
    );
  }
  const path: ExtendedPropertyPath = { propertyType };
  const distinguished = attr(el, 'DistinguishedPropertySetId');
  const setId = attr(el, 'PropertySetId');
  const tag = attr(el, 'PropertyTag');
  const name = attr(el, 'PropertyName');
  const idText = attr(el, 'PropertyId');

  if (tag !== undefined) {
    if (distinguished || setId || name !== undefined || idText !== undefined) {
      throw invalid('The extended property attribute combination is invalid.', el);
    }
    const number = /^0x[0-9a-fA-F]{1,4}$/.test(tag)
      ? parseInt(tag, 16)
      : /^\d+$/.test(tag)
        ? Number(tag)
        : NaN;
    if (!Number.isInteger(number) || number > 0xffff)
      throw invalid(`The property tag '${tag}' is invalid.`, el);
    path.propertyTag = tag;
    return { path, key: `tag:${number}` };
  }

  let guid: string | undefined;
  if (distinguished !== undefined && setId !== undefined)
    throw invalid('The extended property attribute combination is invalid.', el);
  if (distinguished !== undefined) {
    guid = DISTINGUISHED_SETS[distinguished];
    if (!guid) throw invalid(`The distinguished property set '${distinguished}' is unknown.`, el);
    path.distinguishedPropertySetId = distinguished;
  } else if (setId !== undefined) {
    if (!GUID.test(setId)) throw invalid(`The property set id '${setId}' is not a GUID.`, el);
    guid = setId.toLowerCase();
    path.propertySetId = setId;
  } else {
    throw invalid('The extended property attribute combination is invalid.', el);
  }
  if ((name === undefined) === (idText === undefined)) {
    throw invalid('The extended property attribute combination is invalid.', el);
  }
  if (name !== undefined) {
    path.propertyName = name;
    return { path, key: `name:${guid}:${name}` };
  }
  if (!/^-?\d+$/.test(idText ?? '')) throw invalid(`The property id '${idText}' is invalid.`, el);
  path.propertyId = Number(idText);
  return { path, key: `id:${guid}:${path.propertyId}` };
}

function checkValue(type: string, value: string): boolean {
  switch (type) {
    case 'Integer':
    case 'Long':
    case 'Short':
      return /^-?\d+$/.test(value);
    case 'Boolean':
      return value === 'true' || value === 'false' || value === '1' || value === '0';
    case 'Double':
    case 'Float':
    case 'Currency':
    case 'ApplicationTime':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'SystemTime':
      return !Number.isNaN(Date.parse(value));
    case 'CLSID':
      return GUID.test(value);
    case 'Binary':
      return /^[A-Za-z0-9+/]*={0,2}$/.test(value);
    default:
      return true;
  }
}

/** Parses t:ExtendedProperty (ExtendedFieldURI + Value) from an item being created. */
export function parseExtendedProperty(el: Element): ExtendedPropertyValue {
  const uri = childElement(el, 'ExtendedFieldURI', TYPES_NS);
  if (!uri)
    throw new EwsError('ErrorInvalidExtendedProperty', 'The extended property has no ExtendedFieldURI.');
  const { path, key } = parseExtendedFieldUri(uri);
  const valueEl = childElement(el, 'Value', TYPES_NS);
  if (!valueEl) {
    throw new EwsError(
      childElement(el, 'Values', TYPES_NS) ? 'ErrorInvalidOperation' : 'ErrorInvalidExtendedPropertyValue',
      'The extended property must have a single Value (multi-valued properties are not supported by the simulator).',
      renderPath(path),
    );
  }
  const value = textOf(valueEl) ?? '';
  if (!checkValue(path.propertyType, value)) {
    throw new EwsError(
      'ErrorInvalidExtendedPropertyValue',
      `The extended property value '${value}' is not a valid ${path.propertyType}.`,
      renderPath(path),
    );
  }
  return { path, key, value };
}

export function renderPath(path: ExtendedPropertyPath): string {
  const parts: Array<[string, string | number | undefined]> = [
    ['DistinguishedPropertySetId', path.distinguishedPropertySetId],
    ['PropertySetId', path.propertySetId],
    ['PropertyTag', path.propertyTag],
    ['PropertyName', path.propertyName],
    ['PropertyId', path.propertyId],
    ['PropertyType', path.propertyType],
  ];
  const attrs = parts
    .filter(([, v]) => v !== undefined)
    .map(([n, v]) => ` ${n}="${escapeXml(String(v))}"`)
    .join('');
  return `<t:ExtendedFieldURI${attrs}/>`;
}

export function renderExtendedProperty(prop: ExtendedPropertyValue, requested: ExtendedPropertyPath): string {
  return `<t:ExtendedProperty>${renderPath(requested)}<t:Value>${escapeXml(prop.value)}</t:Value></t:ExtendedProperty>`;
}
