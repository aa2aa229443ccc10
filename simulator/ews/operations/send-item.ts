/** SendItem: submits saved drafts; SaveItemToFolder moves the sender's copy to Sent Items or SavedItemFolderId. */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { folderRefs, resolveFolder } from '../folder-ref';
import { resolveItem } from '../item-ref';
import { operationResponse, responseFor } from '../response-writer';
import { submitMessage } from '../submit-message';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

export function sendItem(ctx: EwsContext, op: Element): string {
  const save = (attr(op, 'SaveItemToFolder') ?? 'true').trim();
  const saveCopy = save === 'true' || save === '1';
  const savedEl = childElement(op, 'SavedItemFolderId', MESSAGES_NS);
  const idsEl = childElement(op, 'ItemIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];

  const messages = refs.map((ref) =>
    responseFor('SendItemResponseMessage', '', () => {
      if (!saveCopy && savedEl) {
        throw new EwsError(
          'ErrorInvalidSendItemSaveSettings',
          'SavedItemFolderId may only be given when SaveItemToFolder is true.',
        );
      }
      const item = resolveItem(ctx, ref, true);
      if (item.mailbox !== ctx.acting) {
        throw new EwsError(
          'ErrorAccessDenied',
          'Access is denied. Only the mailbox owner can send its drafts.',
        );
      }
      const saveTo = saveCopy
        ? savedEl
          ? resolveFolder(ctx, folderRefs(savedEl)[0] ?? savedEl)
          : ctx.store.folder(ctx.acting, 'sentitems')
        : undefined;
      submitMessage(ctx, item, saveTo, item);
      return '';
    }),
  );
  return operationResponse('SendItem', messages);
}
