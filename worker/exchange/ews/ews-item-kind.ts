/**
 * What the generic EWS item operations (ews-items.ts: create, update, delete, find, list) need to know about one
 * kind of item. One implementation per kind: ews-appointment.ts, ews-contact.ts, ews-task.ts. Every string a
 * kind puts on an item is XML-escaped first (xml-escape.ts: the library escapes nothing).
 */
import type { ExchangeService, Item, WellKnownFolderName } from 'ews-javascript-api';
import type { ItemKind } from '../gateway';

export interface EwsItemKind<TItem extends Item = Item, TFields = unknown> {
  kind: ItemKind;
  /** The mailbox's folder for this kind ('default' FolderTarget) … */
  defaultFolder: WellKnownFolderName;
  /** … and the FolderClass a named folder of this kind gets when created on first use. */
  folderClass: 'IPF.Appointment' | 'IPF.Contact' | 'IPF.Task';
  /** A new, unsaved item of this kind. */
  newItem(service: ExchangeService): TItem;
  /**
   * Sets the given fields on the item: on a new item every field present, on an existing item only the fields
   * present in `fields` (absent = unchanged, null = clear), so the UpdateItem request carries just those.
   */
  applyFields(item: TItem, fields: TFields, service: ExchangeService): void;
}
