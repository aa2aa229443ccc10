/** GetItem: one response message per ItemId, shaped by m:ItemShape. */
import type { Element } from '@xmldom/xmldom';
import { findOccurrence } from '../../calendar/calendar-view';
import type { EwsContext } from '../context';
import { resolveItem } from '../item-ref';
import { parseItemShape } from '../item-shape';
import { operationResponse, responseFor } from '../response-writer';
import { renderMessage } from '../write-item';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

export function getItem(ctx: EwsContext, op: Element): string {
  const shape = parseItemShape(childElement(op, 'ItemShape', MESSAGES_NS), false);
  const idsEl = childElement(op, 'ItemIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];
  const lookup = (address: string) => ctx.store.getMailbox(address);
  const messages = refs.map((ref) =>
    responseFor('GetItemResponseMessage', '<m:Items/>', () => {
      const item = findOccurrence(ctx, attr(ref, 'Id') ?? '') ?? resolveItem(ctx, ref, false);
      return `<m:Items>${renderMessage(item, shape, lookup)}</m:Items>`;
    }),
  );
  return operationResponse('GetItem', messages);
}
