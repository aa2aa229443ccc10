/** DeleteAttachment: removes attachments; each response names the root item with its new ChangeKey. */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';
import { resolveAttachment } from './attachment-ref';

export function deleteAttachment(ctx: EwsContext, op: Element): string {
  const idsEl = childElement(op, 'AttachmentIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, 'AttachmentId', TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('DeleteAttachmentResponseMessage', '', () => {
      const { item, index } = resolveAttachment(ctx, ref);
      item.attachments.splice(index, 1);
      ctx.store.itemChanged(item, ['item:Attachments']);
      return `<m:RootItemId RootItemId="${item.id}" RootItemChangeKey="${item.changeKey}"/>`;
    }),
  );
  return operationResponse('DeleteAttachment', messages);
}
