/**
 * SyncFolderHierarchy: the folder changes below the sync folder (default: the mailbox root) since a SyncState,
 * read from the mailbox's compacted folder change log: Create for folders that appeared after the state, Update
 * for changed ones (renamed, moved, …), Delete for removed ones. Item counts do not make a folder change.
 */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from '../context';
import { folderRefs, resolveFolder } from '../folder-ref';
import { parseFolderShape, renderFolder } from '../folder-shape';
import { simpleText } from '../parse-message';
import { operationResponse, responseFor } from '../response-writer';
import { decodeSyncState, encodeSyncState } from '../sync-state';
import { childElement, MESSAGES_NS } from '../xml';

/** What Exchange writes as the ChangeKey of a folder that no longer exists. */
const DELETED_FOLDER_CHANGE_KEY = 'AQAAAA==';

export function syncFolderHierarchy(ctx: EwsContext, op: Element): string {
  const message = responseFor(
    'SyncFolderHierarchyResponseMessage',
    '<m:SyncState/><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange>',
    () => {
      const shape = parseFolderShape(childElement(op, 'FolderShape', MESSAGES_NS));
      const syncEl = childElement(op, 'SyncFolderId', MESSAGES_NS);
      const ref = syncEl && folderRefs(syncEl)[0];
      const root = ref ? resolveFolder(ctx, ref) : ctx.store.folder(ctx.acting, 'root');
      const log = ctx.store.ownerOf(root).hierarchyLog;
      const stateEl = childElement(op, 'SyncState', MESSAGES_NS);
      const position = decodeSyncState(stateEl && simpleText(stateEl), 'hierarchy', root.id, log);

      const changes: string[] = [];
      for (const entry of log.entries.values()) {
        if (entry.seq <= position) continue;
        const { folder } = entry;
        if (folder === root || !ctx.store.isWithin(folder, root)) continue;
        if (entry.deleted) {
          if (entry.createdSeq <= position) {
            changes.push(
              `<t:Delete><t:FolderId Id="${folder.id}" ChangeKey="${DELETED_FOLDER_CHANGE_KEY}"/></t:Delete>`,
            );
          }
          continue;
        }
        const change = entry.createdSeq > position ? 'Create' : 'Update';
        changes.push(`<t:${change}>${renderFolder(folder, shape)}</t:${change}>`);
      }
      return (
        `<m:SyncState>${encodeSyncState('hierarchy', root.id, log, log.seq)}</m:SyncState>` +
        '<m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange>' +
        `<m:Changes>${changes.join('')}</m:Changes>`
      );
    },
  );
  return operationResponse('SyncFolderHierarchy', [message]);
}
