/**
 * The few entry points the shared operation code calls for contacts and tasks: CreateItem of t:Contact / t:Task,
 * rendering their fields inside GetItem / FindItem / SyncFolderItems items, and UpdateItem paths on them.
 */
import type { Element } from '@xmldom/xmldom';
import type { Folder, MessageContent, StoredItem } from '../model';
import type { EwsContext } from './context';
import {
  completeNewContact,
  contactChange,
  type KindChange,
  parseContactFields,
  renderContactFields,
} from './contact-fields';
import { EwsError } from './ews-error';
import type { ItemShape } from './item-shape';
import { parseMessage } from './parse-message';
import { parseTaskFields, renderTaskFields, renderTaskReminder, taskChange } from './task-fields';
import { attr, childElement, escapeXml, TYPES_NS } from './xml';
import { changeValueHolder, invalidPropertyChange } from './update-change';

/** True for the item elements CreateItem hands to createContactOrTask. */
export function isContactOrTask(itemEl: Element): boolean {
  return itemEl.localName === 'Contact' || itemEl.localName === 'Task';
}

/** The stored content of a new t:Contact or t:Task. */
export function parseContactOrTask(itemEl: Element): MessageContent {
  const content = parseMessage(itemEl);
  const explicitClass = childElement(itemEl, 'ItemClass', TYPES_NS);
  if (itemEl.localName === 'Contact') {
    const contact = parseContactFields(itemEl);
    completeNewContact(contact);
    return {
      ...content,
      kind: 'Contact',
      itemClass: explicitClass ? content.itemClass : 'IPM.Contact',
      subject: contact.displayName,
      contact,
    };
  }
  return {
    ...content,
    kind: 'Task',
    itemClass: explicitClass ? content.itemClass : 'IPM.Task',
    task: parseTaskFields(itemEl),
  };
}

/** CreateItem of a contact (default folder: contacts) or task (default: tasks); returns the m:Items payload. */
export function createContactOrTask(ctx: EwsContext, itemEl: Element, explicit: Folder | undefined): string {
  const content = parseContactOrTask(itemEl);
  const folder = explicit ?? ctx.store.folder(ctx.acting, content.kind === 'Contact' ? 'contacts' : 'tasks');
  const item = ctx.store.createItem(folder, content, { isDraft: false, internetMessageId: '' });
  return `<m:Items><t:${item.kind}><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:${item.kind}></m:Items>`;
}

function wants(shape: ItemShape): (uri: string) => boolean {
  return (uri) => shape.base !== 'IdOnly' || shape.explicit.includes(uri);
}

/**
 * Contact / task elements that come right before `field` in the item's schema order: the task reminder before
 * item:DisplayCc, the kind's own elements at the end ('end').
 */
export function contactOrTaskXml(item: StoredItem, shape: ItemShape, before: string): string {
  if (item.kind === 'Task' && item.task) {
    if (before === 'item:DisplayCc') return renderTaskReminder(item.task, wants(shape));
    if (before === 'end') return renderTaskFields(item.task, wants(shape));
  }
  if (item.kind === 'Contact' && item.contact && before === 'end') {
    return renderContactFields(item.contact, wants(shape));
  }
  return '';
}

/**
 * UpdateItem change on a contacts:* / task:* path (or a task's reminder): the planned change, or undefined when
 * the path is not one of these (the caller handles it).
 */
export function planContactOrTaskChange(
  change: Element,
  path: Element,
  item: StoredItem,
): { field: string; apply: (item: StoredItem) => void } | undefined {
  const uri = attr(path, 'FieldURI') ?? '';
  const index = path.localName === 'IndexedFieldURI' ? (attr(path, 'FieldIndex') ?? '') : undefined;
  const isContactPath = uri.startsWith('contacts:');
  const isTaskPath = uri.startsWith('task:') || (item.kind === 'Task' && uri.startsWith('item:Reminder'));
  if (!isContactPath && !isTaskPath) return undefined;
  const rule: KindChange | undefined =
    isContactPath && item.kind === 'Contact'
      ? contactChange(uri, index)
      : isTaskPath && item.kind === 'Task' && index === undefined
        ? taskChange(uri)
        : undefined;
  const pathXml =
    index === undefined
      ? `<t:FieldURI FieldURI="${escapeXml(uri)}"/>`
      : `<t:IndexedFieldURI FieldURI="${escapeXml(uri)}" FieldIndex="${escapeXml(index)}"/>`;
  const action = change.localName;
  if (!rule || (action === 'DeleteItemField' && !rule.clear) || (action !== 'DeleteItemField' && !rule.set)) {
    throw invalidPropertyChange(action, 'This property cannot be changed this way on this item.', pathXml);
  }
  if (action === 'AppendToItemField') {
    throw new EwsError('ErrorInvalidPropertyAppend', 'This property does not support append.', pathXml);
  }
  if (action === 'DeleteItemField') {
    const clear = rule.clear;
    if (clear) return { field: rule.field, apply: clear };
  }
  const holder = changeValueHolder(change, action ?? '', rule.element ?? '', pathXml);
  const apply = rule.set?.(holder);
  if (!apply) throw new EwsError('ErrorInvalidPropertySet', 'This property cannot be set.', pathXml);
  return { field: rule.field, apply };
}
