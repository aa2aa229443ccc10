/**
 * CreateAttachment: adds file attachments to an existing item (typically a draft). Each attachment gets its own
 * response message with its AttachmentId, RootItemId and the root item's new RootItemChangeKey.
 */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';
import { resolveParentItem } from './attachment-ref';
import { parseFileAttachment, renderFileAttachment } from './attachment-xml';

const TAG = 'CreateAttachmentResponseMessage';
const EMPTY = '<m:Attachments/>';

export function createAttachment(ctx: EwsContext, op: Element): string {
  const parentEl = childElement(op, 'ParentItemId', MESSAGES_NS);
  const listEl = childElement(op, 'Attachments', MESSAGES_NS);
  const attachmentEls = listEl ? childElements(listEl, undefined, TYPES_NS) : [];
  let parentError: EwsError | undefined;
  const item = (() => {
    try {
      if (!parentEl) throw new EwsError('ErrorInvalidIdEmpty', 'Id is empty.');
      return resolveParentItem(ctx, parentEl);
    } catch (err) {
      if (err instanceof EwsError) parentError = err;
      else throw err;
      return undefined;
    }
  })();
  const messages = attachmentEls.map((el) =>
    responseFor(TAG, EMPTY, () => {
      if (!item)
        throw (
          parentError ?? new EwsError('ErrorItemNotFound', 'The specified object was not found in the store.')
        );
      const attachment = parseFileAttachment(el);
      item.attachments.push(attachment);
      ctx.store.itemChanged(item, ['item:Attachments']);
      return `<m:Attachments>${renderFileAttachment(item, attachment, { rootIds: true, idOnly: true })}</m:Attachments>`;
    }),
  );
  return operationResponse('CreateAttachment', messages);
}
