/**
 * m:FolderShape parsing and folder rendering (t:Folder / t:CalendarFolder / t:ContactsFolder / t:TasksFolder)
 * for GetFolder, FindFolder, CreateFolder and SyncFolderHierarchy, with BaseFolderType's element order.
 */
import type { Element } from '@xmldom/xmldom';
import type { Folder } from '../model';
import { simpleText } from './parse-message';
import { attr, childElement, childElements, escapeXml, TYPES_NS } from './xml';

const FOLDER_FIELDS = [
  'folder:ParentFolderId',
  'folder:FolderClass',
  'folder:DisplayName',
  'folder:TotalCount',
  'folder:ChildFolderCount',
  'folder:UnreadCount',
] as const;

type FolderField = (typeof FOLDER_FIELDS)[number];

export interface FolderShape {
  fields: Set<FolderField>;
}

const DEFAULT_FIELDS: readonly FolderField[] = [
  'folder:DisplayName',
  'folder:TotalCount',
  'folder:ChildFolderCount',
  'folder:UnreadCount',
];

export function parseFolderShape(el: Element | undefined): FolderShape {
  const baseEl = el && childElement(el, 'BaseShape', TYPES_NS);
  const base = baseEl ? simpleText(baseEl).trim() : 'Default';
  const fields = new Set<FolderField>(
    base === 'AllProperties' ? FOLDER_FIELDS : base === 'Default' ? DEFAULT_FIELDS : [],
  );
  const additional = el && childElement(el, 'AdditionalProperties', TYPES_NS);
  for (const path of additional ? childElements(additional, 'FieldURI', TYPES_NS) : []) {
    const uri = attr(path, 'FieldURI') ?? '';
    if ((FOLDER_FIELDS as readonly string[]).includes(uri)) fields.add(uri as FolderField);
  }
  return { fields };
}

/** The element Exchange uses for a folder, chosen by its FolderClass. */
export function folderElementName(folderClass: string): string {
  const is = (prefix: string) => folderClass === prefix || folderClass.startsWith(`${prefix}.`);
  if (is('IPF.Appointment')) return 'CalendarFolder';
  if (is('IPF.Contact')) return 'ContactsFolder';
  if (is('IPF.Task')) return 'TasksFolder';
  return 'Folder';
}

export function folderIdXml(folder: Folder, tag = 'FolderId'): string {
  return `<t:${tag} Id="${folder.id}" ChangeKey="${folder.changeKey}"/>`;
}

export function renderFolder(folder: Folder, shape: FolderShape): string {
  const tag = folderElementName(folder.folderClass);
  const has = (field: FolderField) => shape.fields.has(field);
  const parts = [folderIdXml(folder)];
  // The public tree's root has a parent outside the caller's view; Exchange omits it there and for `root`.
  if (has('folder:ParentFolderId') && folder.parent) parts.push(folderIdXml(folder.parent, 'ParentFolderId'));
  if (has('folder:FolderClass') && folder.folderClass)
    parts.push(`<t:FolderClass>${escapeXml(folder.folderClass)}</t:FolderClass>`);
  if (has('folder:DisplayName'))
    parts.push(`<t:DisplayName>${escapeXml(folder.displayName)}</t:DisplayName>`);
  if (has('folder:TotalCount')) parts.push(`<t:TotalCount>${folder.items.size}</t:TotalCount>`);
  if (has('folder:ChildFolderCount'))
    parts.push(`<t:ChildFolderCount>${folder.children.size}</t:ChildFolderCount>`);
  if (has('folder:UnreadCount') && (tag === 'Folder' || tag === 'TasksFolder')) {
    let unread = 0;
    for (const item of folder.items.values()) if (!item.isRead) unread += 1;
    parts.push(`<t:UnreadCount>${unread}</t:UnreadCount>`);
  }
  return `<t:${tag}>${parts.join('')}</t:${tag}>`;
}
