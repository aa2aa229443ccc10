/**
 * DeleteFolder: HardDelete and SoftDelete remove the folder with its subfolders and items (the simulator keeps no
 * dumpster); MoveToDeletedItems moves it under Deleted Items (keeping its FolderId, as Exchange does), or deletes
 * it when it already is there. Distinguished folders cannot be deleted.
 */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { resolveFolder } from '../folder-ref';
import { operationResponse, responseFor } from '../response-writer';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

export function deleteFolder(ctx: EwsContext, op: Element): string {
  const deleteType = attr(op, 'DeleteType') ?? '';
  const idsEl = childElement(op, 'FolderIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('DeleteFolderResponseMessage', '', () => {
      const folder = resolveFolder(ctx, ref);
      if (folder.distinguishedId) {
        throw new EwsError('ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
      }
      const owner = ctx.store.ownerOf(folder);
      if (deleteType === 'MoveToDeletedItems' && !owner.isPublic) {
        const deletedItems = ctx.store.folder(owner, 'deleteditems');
        if (!ctx.store.isWithin(folder, deletedItems)) {
          ctx.store.moveFolder(folder, deletedItems);
          return '';
        }
      }
      ctx.store.deleteFolder(folder);
      return '';
    }),
  );
  return operationResponse('DeleteFolder', messages);
}
