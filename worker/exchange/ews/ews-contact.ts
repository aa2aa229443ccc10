/**
 * Contacts for the generic EWS item operations (ews-items.ts): ContactFields → an ews-javascript-api Contact.
 *
 * On a new contact every non-null field is set. On an existing contact (an object carrying only the ItemId, see
 * ews-items.ts) only the fields present change: a value → SetItemField, null → DeleteItemField. Simple fields do
 * that through the property bag. The indexed ones (e-mail addresses, phone numbers, postal address parts) need a
 * hand here, because ews-javascript-api only writes a DeleteItemField for a dictionary entry it has loaded, and this
 * object has loaded none (ews-indexed-fields.ts).
 */
import {
  BodyType,
  Contact,
  type DateTime,
  EmailAddress,
  EmailAddressKey,
  MessageBody,
  PhoneNumberKey,
  PhysicalAddressKey,
  WellKnownFolderName,
} from 'ews-javascript-api';
import type { ContactFields, PostalAddress } from '../contact-fields';
import { ewsPropertyDate, setCategories } from './ews-field-values';
import type { EwsItemKind } from './ews-item-kind';
import { clearDictionaryEntry, setPostalAddress, type PostalPart } from './ews-indexed-fields';
import { xmlEscape } from './xml-escape';

type TextKey =
  'givenName' | 'middleName' | 'surname' | 'displayName' | 'companyName' | 'department' | 'jobTitle';

/** ContactFields key → the Contact property it sets (all plain strings). */
const TEXT_PROPERTIES: Array<
  [
    TextKey,
    'GivenName' | 'MiddleName' | 'Surname' | 'DisplayName' | 'CompanyName' | 'Department' | 'JobTitle',
  ]
> = [
  ['givenName', 'GivenName'],
  ['middleName', 'MiddleName'],
  ['surname', 'Surname'],
  ['displayName', 'DisplayName'],
  ['companyName', 'CompanyName'],
  ['department', 'Department'],
  ['jobTitle', 'JobTitle'],
];

const EMAILS: Array<['emailAddress1' | 'emailAddress2' | 'emailAddress3', EmailAddressKey]> = [
  ['emailAddress1', EmailAddressKey.EmailAddress1],
  ['emailAddress2', EmailAddressKey.EmailAddress2],
  ['emailAddress3', EmailAddressKey.EmailAddress3],
];

const PHONES: Array<['businessPhone' | 'homePhone' | 'mobilePhone' | 'businessFax', PhoneNumberKey]> = [
  ['businessPhone', PhoneNumberKey.BusinessPhone],
  ['homePhone', PhoneNumberKey.HomePhone],
  ['mobilePhone', PhoneNumberKey.MobilePhone],
  ['businessFax', PhoneNumberKey.BusinessFax],
];

const ADDRESSES: Array<['businessAddress' | 'homeAddress', PhysicalAddressKey]> = [
  ['businessAddress', PhysicalAddressKey.Business],
  ['homeAddress', PhysicalAddressKey.Home],
];

/** PostalAddress key → the t:PhysicalAddress element (the order EWS lists them in). */
const ADDRESS_PARTS: Array<[keyof PostalAddress, PostalPart]> = [
  ['street', 'Street'],
  ['city', 'City'],
  ['state', 'State'],
  ['countryOrRegion', 'CountryOrRegion'],
  ['postalCode', 'PostalCode'],
];

/** The parts of an address as given: value to set, null to clear; parts not given are left out. */
function addressParts(address: PostalAddress): Map<PostalPart, string | null> {
  const parts = new Map<PostalPart, string | null>();
  for (const [key, part] of ADDRESS_PARTS) {
    const value = address[key];
    if (value !== undefined) parts.set(part, value === null ? null : xmlEscape(value));
  }
  return parts;
}

function applyContactFields(contact: Contact, fields: ContactFields): void {
  const isNew = contact.IsNew;
  // A new contact gets only what is set; an existing one also loses what is null.
  const given = <T>(value: T | null | undefined): value is T | null =>
    value !== undefined && (value !== null || !isNew);

  for (const [key, property] of TEXT_PROPERTIES) {
    const value = fields[key];
    if (given(value)) contact[property] = value === null ? (null as unknown as string) : xmlEscape(value);
  }
  for (const [key, index] of EMAILS) {
    const value = fields[key];
    if (!given(value)) continue;
    if (value === null) clearDictionaryEntry(contact.EmailAddresses, index, new EmailAddress('x'));
    else contact.EmailAddresses._setItem(index, new EmailAddress(xmlEscape(value)));
  }
  for (const [key, index] of PHONES) {
    const value = fields[key];
    if (!given(value)) continue;
    if (value === null) clearDictionaryEntry(contact.PhoneNumbers, index, 'x');
    else contact.PhoneNumbers._setItem(index, xmlEscape(value));
  }
  for (const [key, index] of ADDRESSES) {
    const address = fields[key];
    if (!given(address)) continue;
    const parts = address === null ? null : addressParts(address);
    // A new contact: only the parts that have a value.
    if (parts && isNew) for (const [part, value] of parts) if (value === null) parts.delete(part);
    setPostalAddress(contact.PhysicalAddresses, index, parts, isNew);
  }
  if (given(fields.webPage)) {
    contact.BusinessHomePage =
      fields.webPage === null ? (null as unknown as string) : xmlEscape(fields.webPage);
  }
  if (given(fields.birthday)) {
    contact.Birthday =
      fields.birthday === null ? (null as unknown as DateTime) : ewsPropertyDate(fields.birthday);
  }
  if (given(fields.notes)) {
    // The notes are the contact's body; cleared = an empty body (Exchange keeps a body on every item).
    contact.Body = new MessageBody(BodyType.Text, xmlEscape(fields.notes ?? ''));
  }
  if (fields.categories !== undefined) setCategories(contact, fields.categories);
}

export const ewsContact: EwsItemKind<Contact, ContactFields> = {
  kind: 'contact',
  defaultFolder: WellKnownFolderName.Contacts,
  folderClass: 'IPF.Contact',
  newItem: (service) => new Contact(service),
  applyFields: (contact, fields) => applyContactFields(contact, fields),
};
