/** Resolves t:ItemId to a stored item the caller may use, with Exchange's error codes. */
import type { Element } from '@xmldom/xmldom';
import { isWellFormedItemId } from '../ids';
import type { StoredItem } from '../model';
import { assertMailboxAccess, type EwsContext } from './context';
import { EwsError } from './ews-error';
import { attr } from './xml';

export function resolveItem(ctx: EwsContext, ref: Element, checkChangeKey: boolean): StoredItem {
  if (ref.localName !== 'ItemId') {
    throw new EwsError(
      'ErrorInvalidOperation',
      `The item reference ${ref.localName ?? ''} is not supported by the simulator.`,
    );
  }
  const id = attr(ref, 'Id') ?? '';
  if (id === '') throw new EwsError('ErrorInvalidIdEmpty', 'Id is empty.');
  if (!isWellFormedItemId(id)) throw new EwsError('ErrorInvalidIdMalformed', 'Id is malformed.');
  const item = ctx.store.getItem(id);
  if (!item) throw new EwsError('ErrorItemNotFound', 'The specified object was not found in the store.');
  if (!item.mailbox.isPublic) assertMailboxAccess(ctx, item.mailbox);
  const changeKey = attr(ref, 'ChangeKey');
  if (checkChangeKey && changeKey !== undefined && changeKey !== item.changeKey) {
    throw new EwsError(
      'ErrorStaleObject',
      'The change key passed in the request does not match the current change key for the item.',
    );
  }
  return item;
}
