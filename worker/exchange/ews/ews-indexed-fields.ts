/**
 * Indexed contact fields (t:EmailAddresses, t:PhoneNumbers, t:PhysicalAddresses entries) on ews-javascript-api
 * 0.15.3 dictionaries, for new and for existing items.
 *
 * Why this exists: the library writes a DeleteItemField for an entry only when the entry was in the dictionary
 * before (DictionaryProperty.InternalRemove keeps removals of known keys only), and an update here starts from an
 * object that has loaded nothing (ews-items.ts). So a clear puts a placeholder in and takes it out again: the key
 * ends up among the removed entries and UpdateItem carries DeleteItemField for exactly that FieldIndex. The
 * placeholder is never sent (an entry added and then removed is dropped from the added list).
 *
 * Postal address parts are one step finer: PhysicalAddressEntry writes a SetItemField per part it has set and a
 * DeleteItemField per part in its property bag's removed list; its bag does not report changes to the dictionary
 * (SimplePropertyBag.Changed is disabled in this version), so the entry is filled first and added afterwards.
 */
import {
  PhysicalAddressEntry,
  type PhysicalAddressDictionary,
  type PhysicalAddressKey,
} from 'ews-javascript-api';

/** The t:PhysicalAddress elements, as PhysicalAddressEntry's property bag names them. */
export type PostalPart = 'Street' | 'City' | 'State' | 'CountryOrRegion' | 'PostalCode';

interface KeyedDictionary<K, V> {
  _setItem(key: K, value: V): void;
}

/** Makes UpdateItem delete the entry `key` (a DeleteItemField with that FieldIndex). */
export function clearDictionaryEntry<K, V>(dictionary: KeyedDictionary<K, V>, key: K, placeholder: V): void {
  dictionary._setItem(key, placeholder);
  dictionary._setItem(key, null as V);
}

/** What PhysicalAddressEntry keeps private but a part-wise update needs. */
interface EntryBag {
  removedItems: string[];
}

/**
 * Sets the postal address `key`: parts null → the whole address goes (existing items only); else each part with
 * a value is set and each part mapped to null is deleted (existing items only: a new item simply lacks it).
 */
export function setPostalAddress(
  dictionary: PhysicalAddressDictionary,
  key: PhysicalAddressKey,
  parts: Map<PostalPart, string | null> | null,
  isNew: boolean,
): void {
  if (parts === null) {
    if (isNew) return;
    const placeholder = new PhysicalAddressEntry();
    placeholder.City = 'x';
    clearDictionaryEntry(dictionary, key, placeholder);
    return;
  }
  if (parts.size === 0) return;
  const entry = new PhysicalAddressEntry();
  const bag = (entry as unknown as { propertyBag: EntryBag }).propertyBag;
  for (const [part, value] of parts) {
    if (value !== null) entry[part] = value;
    else if (!isNew) bag.removedItems.push(part);
  }
  dictionary._setItem(key, entry);
}
