/** Resolves t:DistinguishedFolderId / t:FolderId to a folder the caller may use. */
import type { Element } from '@xmldom/xmldom';
import { isWellFormedFolderId } from '../ids';
import { type Folder, isDistinguishedFolderName, type Mailbox, PUBLIC_FOLDERS_ROOT } from '../model';
import { assertMailboxAccess, type EwsContext } from './context';
import { EwsError } from './ews-error';
import { attr, childElement, childElements, textOf, TYPES_NS } from './xml';

export function folderNotFound(): EwsError {
  return new EwsError('ErrorFolderNotFound', 'The specified folder could not be found in the store.');
}

/** Public folders are open to every caller; a mailbox's folders only to those allowed into it. */
function assertFolderAccess(ctx: EwsContext, mailbox: Mailbox): void {
  if (!mailbox.isPublic) assertMailboxAccess(ctx, mailbox);
}

export function resolveFolder(ctx: EwsContext, ref: Element): Folder {
  if (ref.localName === 'DistinguishedFolderId') {
    const name = attr(ref, 'Id') ?? '';
    if (name === PUBLIC_FOLDERS_ROOT) return ctx.store.folder(ctx.acting, PUBLIC_FOLDERS_ROOT);
    let mailbox = ctx.acting;
    const mailboxEl = childElement(ref, 'Mailbox', TYPES_NS);
    const address = textOf(mailboxEl && childElement(mailboxEl, 'EmailAddress', TYPES_NS))?.trim();
    if (address) {
      const target = ctx.store.getMailbox(address);
      if (!target) {
        throw new EwsError('ErrorNonExistentMailbox', 'The SMTP address has no mailbox associated with it.');
      }
      assertMailboxAccess(ctx, target);
      mailbox = target;
    }
    if (!isDistinguishedFolderName(name)) throw folderNotFound();
    return ctx.store.folder(mailbox, name);
  }
  if (ref.localName === 'FolderId') {
    const id = attr(ref, 'Id') ?? '';
    if (id === '') throw new EwsError('ErrorInvalidIdEmpty', 'Id is empty.');
    if (!isWellFormedFolderId(id)) throw new EwsError('ErrorInvalidIdMalformed', 'Id is malformed.');
    const found = ctx.store.folderById(id);
    if (!found) throw folderNotFound();
    assertFolderAccess(ctx, found.mailbox);
    return found.folder;
  }
  throw new EwsError('ErrorInvalidRequest', `The folder reference ${ref.localName ?? ''} is not supported.`);
}

/** The folder references inside a container such as m:SavedItemFolderId or m:ParentFolderIds. */
export function folderRefs(container: Element): Element[] {
  return childElements(container, undefined, TYPES_NS);
}
