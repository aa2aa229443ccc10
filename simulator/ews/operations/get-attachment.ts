/**
 * GetAttachment: the full file attachment (all properties and the Content bytes) per AttachmentId. The
 * AttachmentShape only matters for item attachments, which the simulator does not store.
 */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';
import { resolveAttachment } from './attachment-ref';
import { renderFileAttachment } from './attachment-xml';

export function getAttachment(ctx: EwsContext, op: Element): string {
  const idsEl = childElement(op, 'AttachmentIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, 'AttachmentId', TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('GetAttachmentResponseMessage', '<m:Attachments/>', () => {
      const { item, attachment } = resolveAttachment(ctx, ref);
      return `<m:Attachments>${renderFileAttachment(item, attachment, { withContent: true })}</m:Attachments>`;
    }),
  );
  return operationResponse('GetAttachment', messages);
}
