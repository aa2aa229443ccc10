/** GetFolder for distinguished folders (optionally in another mailbox, or `publicfoldersroot`) and FolderIds. */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { resolveFolder } from '../folder-ref';
import { parseFolderShape, renderFolder } from '../folder-shape';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

export function getFolder(ctx: EwsContext, op: Element): string {
  const shape = parseFolderShape(childElement(op, 'FolderShape', MESSAGES_NS));
  const idsEl = childElement(op, 'FolderIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('GetFolderResponseMessage', '<m:Folders/>', () => {
      const folder = resolveFolder(ctx, ref);
      return `<m:Folders>${renderFolder(folder, shape)}</m:Folders>`;
    }),
  );
  return operationResponse('GetFolder', messages);
}
