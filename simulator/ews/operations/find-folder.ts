/**
 * FindFolder: the subfolders of each parent folder, Shallow (children) or Deep (the whole subtree, depth first in
 * creation order), with IndexedPageFolderView paging; one response message per parent folder.
 */
import type { Element } from '@xmldom/xmldom';
import type { Folder } from '../../model';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { resolveFolder } from '../folder-ref';
import { parseFolderShape, renderFolder } from '../folder-shape';
import { operationResponse, responseFor } from '../response-writer';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

function subfolders(folder: Folder, deep: boolean, out: Folder[] = []): Folder[] {
  for (const child of folder.children.values()) {
    out.push(child);
    if (deep) subfolders(child, true, out);
  }
  return out;
}

export function findFolder(ctx: EwsContext, op: Element): string {
  const parentsEl = childElement(op, 'ParentFolderIds', MESSAGES_NS);
  const refs = parentsEl ? childElements(parentsEl, undefined, TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('FindFolderResponseMessage', '', () => {
      const traversal = attr(op, 'Traversal') ?? 'Shallow';
      if (traversal !== 'Shallow' && traversal !== 'Deep') {
        throw new EwsError(
          'ErrorInvalidOperation',
          `The Exchange simulator keeps no soft-deleted folders, so ${traversal} traversal is not supported.`,
        );
      }
      if (childElement(op, 'Restriction', MESSAGES_NS)) {
        throw new EwsError(
          'ErrorInvalidOperation',
          'The Exchange simulator does not support restrictions in FindFolder.',
        );
      }
      if (childElement(op, 'FractionalPageFolderView', MESSAGES_NS)) {
        throw new EwsError(
          'ErrorInvalidOperation',
          'The Exchange simulator does not support FractionalPageFolderView.',
        );
      }
      const shape = parseFolderShape(childElement(op, 'FolderShape', MESSAGES_NS));
      const folder = resolveFolder(ctx, ref);
      if (traversal === 'Deep' && ctx.store.ownerOf(folder).isPublic) {
        throw new EwsError('ErrorInvalidOperation', 'Deep traversal is not supported for public folders.');
      }
      const all = subfolders(folder, traversal === 'Deep');
      const view = childElement(op, 'IndexedPageFolderView', MESSAGES_NS);
      let start = 0;
      let end = all.length;
      if (view) {
        const max = Number(attr(view, 'MaxEntriesReturned') ?? String(all.length || 1));
        const offset = Number(attr(view, 'Offset') ?? '0');
        if (!Number.isInteger(max) || max < 1) {
          throw new EwsError(
            'ErrorInvalidPagingMaxRows',
            'The specified paging MaxEntriesReturned is invalid.',
          );
        }
        if (!Number.isInteger(offset) || offset < 0)
          throw new EwsError('ErrorInvalidRequest', 'The paging Offset is invalid.');
        if (attr(view, 'BasePoint') === 'End') {
          end = Math.max(0, all.length - offset);
          start = Math.max(0, end - max);
        } else {
          start = Math.min(offset, all.length);
          end = Math.min(all.length, start + max);
        }
      }
      const fromEnd = view !== undefined && attr(view, 'BasePoint') === 'End';
      const includesLast = fromEnd ? start === 0 : end >= all.length;
      const nextOffset = fromEnd ? all.length - start : end;
      const rendered = all
        .slice(start, end)
        .map((f) => renderFolder(f, shape))
        .join('');
      return (
        `<m:RootFolder IndexedPagingOffset="${nextOffset}" TotalItemsInView="${all.length}" ` +
        `IncludesLastItemInRange="${includesLast}"><t:Folders>${rendered}</t:Folders></m:RootFolder>`
      );
    }),
  );
  return operationResponse('FindFolder', messages);
}
