/**
 * FindItem (Shallow): newest first, optional Restriction (indexed for extended-property equality) and
 * IndexedPageItemView paging; one response message per parent folder.
 */
import type { Element } from '@xmldom/xmldom';
import { calendarViewRootFolder } from '../../calendar/calendar-view';
import type { StoredItem } from '../../model';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { resolveFolder } from '../folder-ref';
import { NOT_IN_FIND, parseItemShape } from '../item-shape';
import { operationResponse, responseFor } from '../response-writer';
import { parseRestriction, type Restriction } from '../restriction';
import { sortItems } from '../sort-order';
import { renderMessage } from '../write-item';
import { attr, childElement, childElements, escapeXml, MESSAGES_NS, TYPES_NS } from '../xml';

interface Page {
  max: number;
  offset: number;
  fromEnd: boolean;
}

function parsePage(op: Element): Page | undefined {
  const view = childElement(op, 'IndexedPageItemView', MESSAGES_NS);
  if (!view) {
    const other = ['FractionalPageItemView', 'SeekToConditionPageItemView', 'ContactsView'].find((n) =>
      childElement(op, n, MESSAGES_NS),
    );
    if (other)
      throw new EwsError('ErrorInvalidOperation', `The Exchange simulator does not support ${other}.`);
    return undefined;
  }
  const max = Number(attr(view, 'MaxEntriesReturned') ?? '1000');
  const offset = Number(attr(view, 'Offset') ?? '0');
  if (!Number.isInteger(max) || max < 1) {
    throw new EwsError('ErrorInvalidPagingMaxRows', 'The specified paging MaxEntriesReturned is invalid.');
  }
  if (!Number.isInteger(offset) || offset < 0)
    throw new EwsError('ErrorInvalidRequest', 'The paging Offset is invalid.');
  return { max: Math.min(max, 1000), offset, fromEnd: attr(view, 'BasePoint') === 'End' };
}

export function findItem(ctx: EwsContext, op: Element): string {
  const parentsEl = childElement(op, 'ParentFolderIds', MESSAGES_NS);
  const refs = parentsEl ? childElements(parentsEl, undefined, TYPES_NS) : [];
  const lookup = (address: string) => ctx.store.getMailbox(address);

  const messages = refs.map((ref) =>
    responseFor('FindItemResponseMessage', '', () => {
      const traversal = attr(op, 'Traversal') ?? 'Shallow';
      if (traversal !== 'Shallow') {
        throw new EwsError(
          'ErrorInvalidOperation',
          `The Exchange simulator supports only Shallow traversal, not ${traversal}.`,
        );
      }
      const shape = parseItemShape(childElement(op, 'ItemShape', MESSAGES_NS), true);
      const refused = shape.explicit.find((f) => NOT_IN_FIND.has(f));
      if (refused) {
        throw new EwsError(
          'ErrorInvalidPropertyRequest',
          'Property is not valid for this object type.',
          `<t:FieldURI FieldURI="${escapeXml(refused)}"/>`,
        );
      }
      const calendarView = childElement(op, 'CalendarView', MESSAGES_NS);
      if (calendarView) return calendarViewRootFolder(ctx, resolveFolder(ctx, ref), calendarView, shape);
      const page = parsePage(op);
      const restrictionEl = childElement(op, 'Restriction', MESSAGES_NS);
      const first = restrictionEl && childElements(restrictionEl, undefined, TYPES_NS)[0];
      const restriction: Restriction | undefined = first ? parseRestriction(first) : undefined;
      const folder = resolveFolder(ctx, ref);

      const pool: StoredItem[] = restriction?.candidates
        ? restriction.candidates(ctx.store, folder)
        : [...folder.items.values()];
      const matching = sortItems(
        (restriction ? pool.filter(restriction.test) : pool).reverse(),
        childElement(op, 'SortOrder', MESSAGES_NS),
      );
      const total = matching.length;
      let start = 0;
      let end = total;
      if (page) {
        start = page.fromEnd ? Math.max(0, total - page.offset - page.max) : Math.min(page.offset, total);
        end = page.fromEnd ? Math.max(0, total - page.offset) : Math.min(total, start + page.max);
      }
      const slice = matching.slice(start, end);
      const includesLast = page?.fromEnd ? start === 0 : end >= total;
      const nextOffset = page?.fromEnd ? total - start : end;
      const rendered = slice.map((item) => renderMessage(item, shape, lookup)).join('');
      return (
        `<m:RootFolder IndexedPagingOffset="${nextOffset}" TotalItemsInView="${total}" ` +
        `IncludesLastItemInRange="${includesLast}"><t:Items>${rendered}</t:Items></m:RootFolder>`
      );
    }),
  );
  return operationResponse('FindItem', messages);
}
