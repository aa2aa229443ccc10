/** GetFolder for distinguished folders (optionally in another mailbox) and FolderIds. */
import type { Element } from '@xmldom/xmldom';
import type { Folder, Mailbox } from '../../model';
import type { EwsContext } from '../context';
import { resolveFolder } from '../folder-ref';
import { simpleText } from '../parse-message';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, escapeXml, MESSAGES_NS, TYPES_NS } from '../xml';

const ELEMENT_FOR: Partial<Record<Folder['name'], string>> = {
  calendar: 'CalendarFolder',
  contacts: 'ContactsFolder',
  tasks: 'TasksFolder',
};

function renderFolder(folder: Folder, mailbox: Mailbox, base: string): string {
  const tag = ELEMENT_FOR[folder.name] ?? 'Folder';
  const parts = [`<t:FolderId Id="${folder.id}" ChangeKey="${folder.changeKey}"/>`];
  if (base !== 'IdOnly') {
    const all = base === 'AllProperties';
    const parent = folder.parent ? mailbox.folders.get(folder.parent) : undefined;
    if (all && parent) parts.push(`<t:ParentFolderId Id="${parent.id}" ChangeKey="${parent.changeKey}"/>`);
    if (all && folder.folderClass)
      parts.push(`<t:FolderClass>${escapeXml(folder.folderClass)}</t:FolderClass>`);
    parts.push(`<t:DisplayName>${escapeXml(folder.displayName)}</t:DisplayName>`);
    parts.push(`<t:TotalCount>${folder.items.size}</t:TotalCount>`);
    const children = [...mailbox.folders.values()].filter((f) => f.parent === folder.name).length;
    parts.push(`<t:ChildFolderCount>${children}</t:ChildFolderCount>`);
    if (tag === 'Folder' || tag === 'TasksFolder') {
      let unread = 0;
      for (const item of folder.items.values()) if (!item.isRead) unread += 1;
      parts.push(`<t:UnreadCount>${unread}</t:UnreadCount>`);
    }
  }
  return `<t:${tag}>${parts.join('')}</t:${tag}>`;
}

export function getFolder(ctx: EwsContext, op: Element): string {
  const shapeEl = childElement(op, 'FolderShape', MESSAGES_NS);
  const baseEl = shapeEl && childElement(shapeEl, 'BaseShape', TYPES_NS);
  const base = baseEl ? simpleText(baseEl).trim() : 'Default';
  const idsEl = childElement(op, 'FolderIds', MESSAGES_NS);
  const refs = idsEl ? childElements(idsEl, undefined, TYPES_NS) : [];
  const messages = refs.map((ref) =>
    responseFor('GetFolderResponseMessage', '<m:Folders/>', () => {
      const folder = resolveFolder(ctx, ref);
      const owner = ctx.store.folderById(folder.id)?.mailbox ?? ctx.acting;
      return `<m:Folders>${renderFolder(folder, owner, base)}</m:Folders>`;
    }),
  );
  return operationResponse('GetFolder', messages);
}
