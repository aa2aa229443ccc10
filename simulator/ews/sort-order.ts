/**
 * FindItem's m:SortOrder: FieldOrder elements (most significant first) on item, message, contact and task
 * properties, Ascending or Descending. As in Exchange, an item without the property sorts before items that have
 * it when ascending, strings compare case-insensitively, and ties keep the folder's default order (newest first).
 * A path Exchange cannot sort on fails with ErrorUnsupportedPathForSortGroup.
 */
import type { Element } from '@xmldom/xmldom';
import type { StoredItem } from '../model';
import { EwsError } from './ews-error';
import { itemSize, senderOf } from './write-item';
import { attr, childElements, escapeXml, TYPES_NS } from './xml';

type SortValue = string | number | undefined;

const IMPORTANCE_RANK = { Low: 0, Normal: 1, High: 2 };

function fromName(item: StoredItem): string | undefined {
  const sender = senderOf(item);
  return sender ? (sender.name ?? sender.address) : undefined;
}

const SORT_KEYS: Record<string, (item: StoredItem) => SortValue> = {
  'item:Subject': (i) => i.subject,
  'item:DateTimeReceived': (i) => (i.received ?? i.sent ?? i.created).getTime(),
  'item:DateTimeSent': (i) => i.sent?.getTime(),
  'item:DateTimeCreated': (i) => i.created.getTime(),
  'item:LastModifiedTime': (i) => i.lastModified.getTime(),
  'item:Importance': (i) => IMPORTANCE_RANK[i.importance],
  'item:Size': (i) => itemSize(i),
  'item:ItemClass': (i) => i.itemClass,
  'item:Sensitivity': (i) => i.sensitivity,
  'item:HasAttachments': (i) => Number(i.attachments.length > 0),
  'item:DisplayTo': (i) => i.to.map((r) => r.name ?? r.address).join('; '),
  'item:DisplayCc': (i) => i.cc.map((r) => r.name ?? r.address).join('; '),
  'message:IsRead': (i) => (i.kind === 'Message' ? Number(i.isRead) : undefined),
  'message:From': (i) => (i.kind === 'Message' ? fromName(i) : undefined),
  'message:Sender': (i) => (i.kind === 'Message' ? fromName(i) : undefined),
  'contacts:DisplayName': (i) => i.contact?.displayName,
  'contacts:FileAs': (i) => i.contact?.fileAs,
  'contacts:GivenName': (i) => i.contact?.givenName,
  'contacts:Surname': (i) => i.contact?.surname,
  'contacts:CompanyName': (i) => i.contact?.companyName,
  'contacts:JobTitle': (i) => i.contact?.jobTitle,
  'contacts:Department': (i) => i.contact?.department,
  'task:DueDate': (i) => i.task?.dueDate?.getTime(),
  'task:StartDate': (i) => i.task?.startDate?.getTime(),
  'task:PercentComplete': (i) => i.task?.percentComplete,
  'task:Status': (i) => i.task?.status,
};

function compare(a: SortValue, b: SortValue): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
}

/** `items` (in the default order) sorted by the request's SortOrder, if it has one. */
export function sortItems(items: StoredItem[], sortOrderEl: Element | undefined): StoredItem[] {
  if (!sortOrderEl) return items;
  const orders = childElements(sortOrderEl, 'FieldOrder', TYPES_NS).map((fieldOrder) => {
    const path = childElements(fieldOrder, undefined, TYPES_NS)[0];
    const uri = path?.localName === 'FieldURI' ? (attr(path, 'FieldURI') ?? '') : '';
    const key = Object.prototype.hasOwnProperty.call(SORT_KEYS, uri) ? SORT_KEYS[uri] : undefined;
    if (!key) {
      const pathXml =
        path?.localName === 'FieldURI' ? `<t:FieldURI FieldURI="${escapeXml(uri)}"/>` : undefined;
      throw new EwsError(
        'ErrorUnsupportedPathForSortGroup',
        'The property path is not supported for sort or group operations.',
        pathXml,
      );
    }
    return { key, sign: attr(fieldOrder, 'Order') === 'Descending' ? -1 : 1 };
  });
  const decorated = items.map((item, position) => ({
    item,
    position,
    values: orders.map((o) => o.key(item)),
  }));
  decorated.sort((x, y) => {
    for (let n = 0; n < orders.length; n++) {
      const result = compare(x.values[n], y.values[n]) * orders[n].sign;
      if (result !== 0) return result;
    }
    return x.position - y.position;
  });
  return decorated.map((d) => d.item);
}
