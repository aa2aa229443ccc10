/**
 * t:Contact fields: read from CreateItem / UpdateItem, written in ContactItemType order for GetItem, FindItem and
 * ResolveNames, and the UpdateItem rules for contacts:* FieldURIs and the indexed contacts:EmailAddress,
 * contacts:PhoneNumber and contacts:PhysicalAddress:* paths. Like Exchange, a contact without a DisplayName gets
 * one made of its name parts, FileAs defaults to "Surname, GivenName", and the Subject is the display name.
 */
import type { Element } from '@xmldom/xmldom';
import type { ContactFields, PhysicalAddress, StoredItem } from '../model';
import { EwsError } from './ews-error';
import { simpleText } from './parse-message';
import { ewsDate } from './write-item';
import { attr, childElement, childElements, escapeXml, TYPES_NS } from './xml';

type TextField =
  'fileAs' | 'displayName' | 'givenName' | 'middleName' | 'companyName' | 'department' | 'jobTitle';

/** contacts:* FieldURIs of simple string fields → model key and element name. */
const TEXT_FIELDS: Record<string, [TextField | 'surname' | 'businessHomePage', string]> = {
  'contacts:FileAs': ['fileAs', 'FileAs'],
  'contacts:DisplayName': ['displayName', 'DisplayName'],
  'contacts:GivenName': ['givenName', 'GivenName'],
  'contacts:MiddleName': ['middleName', 'MiddleName'],
  'contacts:CompanyName': ['companyName', 'CompanyName'],
  'contacts:BusinessHomePage': ['businessHomePage', 'BusinessHomePage'],
  'contacts:Department': ['department', 'Department'],
  'contacts:JobTitle': ['jobTitle', 'JobTitle'],
  'contacts:Surname': ['surname', 'Surname'],
};

const EMAIL_KEYS = ['EmailAddress1', 'EmailAddress2', 'EmailAddress3'];
const ADDRESS_KEYS = ['Business', 'Home', 'Other'];
const ADDRESS_PARTS: Array<[keyof PhysicalAddress, string]> = [
  ['street', 'Street'],
  ['city', 'City'],
  ['state', 'State'],
  ['countryOrRegion', 'CountryOrRegion'],
  ['postalCode', 'PostalCode'],
];

/** A dateTime as EWS sends it; a value without a zone designator is UTC, as Exchange reads it. */
export function parseEwsDate(el: Element): Date {
  const text = simpleText(el).trim();
  const date = new Date(/(Z|[+-]\d\d:\d\d)$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(date.getTime())) {
    throw new EwsError('ErrorInvalidValueForProperty', `The value '${text}' is not a valid date and time.`);
  }
  return date;
}

function entries(el: Element | undefined): Element[] {
  return el ? childElements(el, 'Entry', TYPES_NS) : [];
}

function parseAddress(entry: Element): PhysicalAddress {
  const address: PhysicalAddress = {};
  for (const [key, name] of ADDRESS_PARTS) {
    const part = childElement(entry, name, TYPES_NS);
    if (part) address[key] = simpleText(part);
  }
  return address;
}

/** Keeps the plain list of addresses in step with the EmailAddresses dictionary. */
function syncEmailList(contact: ContactFields): void {
  const emails = contact.emails ?? {};
  contact.emailAddresses = EMAIL_KEYS.filter((k) => emails[k]).map((k) => emails[k]);
}

/** The contact fields present in a t:Contact element (nothing defaulted). */
export function parseContactFields(el: Element): ContactFields {
  const contact: ContactFields = { displayName: '', emailAddresses: [] };
  for (const [field, name] of Object.values(TEXT_FIELDS)) {
    const child = childElement(el, name, TYPES_NS);
    if (child) contact[field] = simpleText(child);
  }
  const birthday = childElement(el, 'Birthday', TYPES_NS);
  if (birthday) contact.birthday = parseEwsDate(birthday);
  const emails = entries(childElement(el, 'EmailAddresses', TYPES_NS));
  if (emails.length) {
    contact.emails = Object.fromEntries(emails.map((e) => [attr(e, 'Key') ?? '', simpleText(e).trim()]));
  }
  const phones = entries(childElement(el, 'PhoneNumbers', TYPES_NS));
  if (phones.length)
    contact.phones = Object.fromEntries(phones.map((e) => [attr(e, 'Key') ?? '', simpleText(e)]));
  const addresses = entries(childElement(el, 'PhysicalAddresses', TYPES_NS));
  if (addresses.length) {
    contact.addresses = Object.fromEntries(addresses.map((e) => [attr(e, 'Key') ?? '', parseAddress(e)]));
  }
  syncEmailList(contact);
  return contact;
}

/** Exchange's defaults for a new contact: DisplayName from the name parts, FileAs "Surname, GivenName". */
export function completeNewContact(contact: ContactFields): void {
  if (!contact.displayName) {
    const parts = [contact.givenName, contact.middleName, contact.surname].filter(Boolean);
    contact.displayName = parts.length
      ? parts.join(' ')
      : (contact.companyName ?? contact.emailAddresses[0] ?? '');
  }
  if (contact.fileAs === undefined) {
    contact.fileAs =
      contact.surname && contact.givenName
        ? `${contact.surname}, ${contact.givenName}`
        : (contact.surname ?? contact.givenName ?? contact.displayName);
  }
}

function text(tag: string, value: string | undefined): string {
  return value === undefined ? '' : `<t:${tag}>${escapeXml(value)}</t:${tag}>`;
}

function dictionary(tag: string, order: string[], values: Record<string, string> | undefined): string {
  if (!values) return '';
  const keys = [
    ...order.filter((k) => k in values),
    ...Object.keys(values).filter((k) => !order.includes(k)),
  ];
  if (!keys.length) return '';
  const rendered = keys.map((k) => `<t:Entry Key="${escapeXml(k)}">${escapeXml(values[k])}</t:Entry>`);
  return `<t:${tag}>${rendered.join('')}</t:${tag}>`;
}

function addressesXml(addresses: Record<string, PhysicalAddress> | undefined): string {
  if (!addresses) return '';
  const keys = ADDRESS_KEYS.filter((k) => k in addresses);
  if (!keys.length) return '';
  const rendered = keys.map((k) => {
    const parts = ADDRESS_PARTS.map(([key, name]) => text(name, addresses[k][key])).join('');
    return `<t:Entry Key="${k}">${parts}</t:Entry>`;
  });
  return `<t:PhysicalAddresses>${rendered.join('')}</t:PhysicalAddresses>`;
}

/**
 * ContactItemType's own elements in schema order; `want` says whether a contacts:* FieldURI is in the shape.
 * `source` adds ContactSource (ResolveNames answers for directory entries).
 */
export function renderContactFields(
  contact: ContactFields,
  want: (uri: string) => boolean,
  source?: 'ActiveDirectory' | 'Store',
): string {
  const parts: string[] = [];
  const add = (uri: string, xml: string) => {
    if (want(uri)) parts.push(xml);
  };
  add('contacts:FileAs', text('FileAs', contact.fileAs));
  add('contacts:DisplayName', text('DisplayName', contact.displayName));
  add('contacts:GivenName', text('GivenName', contact.givenName));
  add('contacts:MiddleName', text('MiddleName', contact.middleName));
  add('contacts:CompanyName', text('CompanyName', contact.companyName));
  add('contacts:EmailAddresses', dictionary('EmailAddresses', EMAIL_KEYS, contact.emails));
  add('contacts:PhysicalAddresses', addressesXml(contact.addresses));
  add('contacts:PhoneNumbers', dictionary('PhoneNumbers', [], contact.phones));
  if (contact.birthday) add('contacts:Birthday', `<t:Birthday>${ewsDate(contact.birthday)}</t:Birthday>`);
  add('contacts:BusinessHomePage', text('BusinessHomePage', contact.businessHomePage));
  if (source) parts.push(`<t:ContactSource>${source}</t:ContactSource>`);
  add('contacts:Department', text('Department', contact.department));
  add('contacts:JobTitle', text('JobTitle', contact.jobTitle));
  add('contacts:Surname', text('Surname', contact.surname));
  return parts.join('');
}

export interface KindChange {
  /** The name the change is tracked under for ChangeKey conflict checks. */
  field: string;
  /** The element the t:Contact / t:Task of a SetItemField must carry. */
  element?: string;
  /** Reads (and checks) the value of a SetItemField before any change of the ItemChange is applied. */
  set?: (holder: Element) => (item: StoredItem) => void;
  clear?: (item: StoredItem) => void;
}

function contactOf(item: StoredItem): ContactFields {
  item.contact ??= { displayName: '', emailAddresses: [] };
  return item.contact;
}

/** The single dictionary entry an indexed SetItemField carries, checked against the FieldIndex. */
function indexedEntry(holder: Element, element: string, index: string): Element {
  const entry = entries(childElement(holder, element, TYPES_NS))[0];
  if (!entry || attr(entry, 'Key') !== index) {
    throw new EwsError(
      'ErrorUpdatePropertyMismatch',
      'The property in the SetItemField change does not match the property to update.',
    );
  }
  return entry;
}

/** UpdateItem rule for a contacts:* path (FieldURI, or IndexedFieldURI with its FieldIndex); undefined if none. */
export function contactChange(uri: string, index: string | undefined): KindChange | undefined {
  const textField = TEXT_FIELDS[uri];
  if (textField && index === undefined) {
    const [key, element] = textField;
    return {
      field: uri,
      element,
      set: (holder) => {
        const value = parseContactFields(holder)[key] ?? '';
        return (item) => {
          contactOf(item)[key] = value;
          if (key === 'displayName') item.subject = value;
        };
      },
      clear: key === 'displayName' ? undefined : (item) => delete contactOf(item)[key],
    };
  }
  if (uri === 'contacts:Birthday' && index === undefined) {
    return {
      field: uri,
      element: 'Birthday',
      set: (holder) => {
        const value = parseContactFields(holder).birthday;
        return (item) => (contactOf(item).birthday = value);
      },
      clear: (item) => delete contactOf(item).birthday,
    };
  }
  if (index === undefined) return undefined;
  const field = `${uri}:${index}`;
  if (uri === 'contacts:EmailAddress' || uri === 'contacts:PhoneNumber') {
    const element = uri === 'contacts:EmailAddress' ? 'EmailAddresses' : 'PhoneNumbers';
    const dict = (c: ContactFields) =>
      uri === 'contacts:EmailAddress' ? (c.emails ??= {}) : (c.phones ??= {});
    return {
      field,
      element,
      set: (holder) => {
        const value = simpleText(indexedEntry(holder, element, index)).trim();
        return (item) => {
          const contact = contactOf(item);
          dict(contact)[index] = value;
          syncEmailList(contact);
        };
      },
      clear: (item) => {
        const contact = contactOf(item);
        delete dict(contact)[index];
        syncEmailList(contact);
      },
    };
  }
  const part = ADDRESS_PARTS.find(([, name]) => uri === `contacts:PhysicalAddress:${name}`);
  if (part) {
    const [key, name] = part;
    const addressOf = (item: StoredItem) => ((contactOf(item).addresses ??= {})[index] ??= {});
    return {
      field,
      element: 'PhysicalAddresses',
      set: (holder) => {
        const valueEl = childElement(indexedEntry(holder, 'PhysicalAddresses', index), name, TYPES_NS);
        if (!valueEl) {
          throw new EwsError(
            'ErrorUpdatePropertyMismatch',
            'The property in the SetItemField change does not match the property to update.',
          );
        }
        const value = simpleText(valueEl);
        return (item) => (addressOf(item)[key] = value);
      },
      clear: (item) => {
        const addresses = contactOf(item).addresses ?? {};
        const address = addresses[index];
        if (!address) return;
        delete address[key];
        if (!Object.keys(address).length) delete addresses[index];
      },
    };
  }
  return undefined;
}
