/**
 * DeleteItem: HardDelete and SoftDelete remove the item (the simulator keeps no dumpster); MoveToDeletedItems
 * moves it to Deleted Items (a new ItemId, as in Exchange), or deletes it when it already is there. Calendar items
 * need SendMeetingCancellations and tasks AffectedTaskOccurrences, as in Exchange. One response message per ItemId.
 */
import type { Element } from '@xmldom/xmldom';
import { beforeCalendarDelete } from '../../calendar/meetings';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { resolveItem } from '../item-ref';
import { operationResponse, responseFor } from '../response-writer';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

export function deleteItem(ctx: EwsContext, op: Element): string {
  const deleteType = attr(op, 'DeleteType') ?? '';
  const idsEl = childElement(op, 'ItemIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('DeleteItemResponseMessage', '', () => {
      const item = resolveItem(ctx, ref, false);
      if (item.kind === 'CalendarItem' && attr(op, 'SendMeetingCancellations') === undefined) {
        throw new EwsError(
          'ErrorSendMeetingCancellationsRequired',
          'SendMeetingCancellations attribute is required for Calendar items.',
        );
      }
      if (item.kind === 'Task' && attr(op, 'AffectedTaskOccurrences') === undefined) {
        throw new EwsError(
          'ErrorAffectedTaskOccurrencesRequired',
          'AffectedTaskOccurrences attribute is required for Task items.',
        );
      }
      beforeCalendarDelete(ctx, item, attr(op, 'SendMeetingCancellations'));
      if (deleteType === 'MoveToDeletedItems' && !item.mailbox.isPublic) {
        const deletedItems = ctx.store.folder(item.mailbox, 'deleteditems');
        if (item.folder !== deletedItems) {
          ctx.store.moveItem(item, deletedItems);
          return '';
        }
      }
      ctx.store.deleteItem(item);
      return '';
    }),
  );
  return operationResponse('DeleteItem', messages);
}
