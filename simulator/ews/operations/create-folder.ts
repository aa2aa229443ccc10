/**
 * CreateFolder: custom folders (Folder / CalendarFolder / ContactsFolder / TasksFolder) under a mailbox folder or
 * in the public-folder tree. Display names are unique among siblings (case-insensitive), as in Exchange.
 */
import type { Element } from '@xmldom/xmldom';
import type { Folder } from '../../model';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { folderRefs, resolveFolder } from '../folder-ref';
import { folderIdXml, folderElementName } from '../folder-shape';
import { simpleText } from '../parse-message';
import { operationResponse, responseFor } from '../response-writer';
import { childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

/** The class a folder element implies when no FolderClass is given. */
const DEFAULT_CLASS: Record<string, string> = {
  Folder: 'IPF.Note',
  CalendarFolder: 'IPF.Appointment',
  ContactsFolder: 'IPF.Contact',
  TasksFolder: 'IPF.Task',
};

export function findChildByName(parent: Folder, displayName: string): Folder | undefined {
  const wanted = displayName.toLowerCase();
  for (const child of parent.children.values()) if (child.displayName.toLowerCase() === wanted) return child;
  return undefined;
}

export function createFolder(ctx: EwsContext, op: Element): string {
  const parentEl = childElement(op, 'ParentFolderId', MESSAGES_NS);
  const foldersEl = childElement(op, 'Folders', MESSAGES_NS);
  const specs = foldersEl ? childElements(foldersEl, undefined, TYPES_NS) : [];
  const messages = specs.map((spec) =>
    responseFor('CreateFolderResponseMessage', '<m:Folders/>', () => {
      const parentRef = parentEl && folderRefs(parentEl)[0];
      if (!parentRef) throw new EwsError('ErrorParentFolderIdRequired', 'Parent folder id is required.');
      const parent = resolveFolder(ctx, parentRef);
      const element = spec.localName ?? '';
      const defaultClass = DEFAULT_CLASS[element];
      if (!defaultClass) {
        throw new EwsError(
          'ErrorInvalidFolderTypeForOperation',
          `The Exchange simulator cannot create a ${element}.`,
        );
      }
      const nameEl = childElement(spec, 'DisplayName', TYPES_NS);
      const displayName = nameEl ? simpleText(nameEl) : '';
      if (displayName.trim() === '') {
        throw new EwsError('ErrorRequiredPropertyMissing', 'The DisplayName of a new folder is required.');
      }
      const classEl = childElement(spec, 'FolderClass', TYPES_NS);
      const folderClass = classEl ? simpleText(classEl).trim() : defaultClass;
      if (element !== 'Folder' && folderElementName(folderClass) !== element) {
        throw new EwsError(
          'ErrorNoFolderClassOverride',
          `The FolderClass ${folderClass} does not fit a ${element}.`,
        );
      }
      if (findChildByName(parent, displayName)) {
        throw new EwsError('ErrorFolderExists', 'A folder with the specified name already exists.');
      }
      const folder = ctx.store.createFolder(parent, displayName, folderClass);
      const tag = folderElementName(folder.folderClass);
      return `<m:Folders><t:${tag}>${folderIdXml(folder)}</t:${tag}></m:Folders>`;
    }),
  );
  return operationResponse('CreateFolder', messages);
}
