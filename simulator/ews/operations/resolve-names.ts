/**
 * ResolveNames: ambiguous name resolution over the simulator's mailboxes (the "directory", MailboxType Mailbox)
 * and the caller's contacts (MailboxType Contact, one resolution per e-mail address), by case-insensitive prefix
 * of the display name or any of its words, given name, surname or address; "SMTP:address" matches the address
 * exactly. SearchScope picks and orders the sources (ActiveDirectory, Contacts, ActiveDirectoryContacts — the
 * default —, ContactsActiveDirectory); ParentFolderIds (contacts folders only,
 * ErrorResolveNamesInvalidFolderType otherwise) replace the default Contacts folder. Like Exchange: no match
 * is ErrorNameResolutionNoResults (Error), several are ErrorNameResolutionMultipleResults with ResponseClass
 * Warning and all candidates (at most 100); ReturnFullContactData adds the t:Contact of each resolution.
 */
import type { Element } from '@xmldom/xmldom';
import type { ContactFields, Folder, Mailbox, StoredItem } from '../../model';
import { renderContactFields } from '../contact-fields';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { resolveFolder } from '../folder-ref';
import { simpleText } from '../parse-message';
import { errorMessage, operationResponse } from '../response-writer';
import { attr, childElement, childElements, escapeXml, MESSAGES_NS, TYPES_NS } from '../xml';

const MAX_RESOLUTIONS = 100;
const SCOPES: Record<string, Array<'directory' | 'contacts'>> = {
  ActiveDirectory: ['directory'],
  Contacts: ['contacts'],
  ActiveDirectoryContacts: ['directory', 'contacts'],
  ContactsActiveDirectory: ['contacts', 'directory'],
};

interface Resolution {
  name: string;
  address: string;
  mailboxType: 'Mailbox' | 'Contact';
  item?: StoredItem;
  contact: ContactFields;
}

function matcher(entry: string): (candidates: Array<string | undefined>, address: string) => boolean {
  const wanted = entry.trim().toLowerCase();
  const smtp = /^smtp:/i.test(wanted) ? wanted.slice(5) : undefined;
  return (candidates, address) => {
    if (smtp !== undefined) return address.toLowerCase() === smtp;
    if (!wanted) return false;
    const texts = [...candidates, address]
      .filter((t): t is string => Boolean(t))
      .flatMap((t) => [t, ...t.split(/\s+/)])
      .map((t) => t.toLowerCase());
    return texts.some((t) => t.startsWith(wanted));
  };
}

function directoryEntries(ctx: EwsContext, matches: ReturnType<typeof matcher>): Resolution[] {
  return ctx.store
    .listMailboxes()
    .filter((m: Mailbox) => !m.isPublic && matches([m.displayName], m.address))
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' }))
    .map((m) => {
      const words = m.displayName.split(/\s+/);
      return {
        name: m.displayName,
        address: m.address,
        mailboxType: 'Mailbox' as const,
        contact: {
          displayName: m.displayName,
          givenName: words.length > 1 ? words[0] : undefined,
          surname: words.length > 1 ? words.slice(1).join(' ') : undefined,
          emailAddresses: [m.address],
          emails: { EmailAddress1: `SMTP:${m.address}` },
        },
      };
    });
}

function contactEntries(folders: Folder[], matches: ReturnType<typeof matcher>): Resolution[] {
  const found: Resolution[] = [];
  for (const folder of folders) {
    for (const item of folder.items.values()) {
      const contact = item.contact;
      if (item.kind !== 'Contact' || !contact) continue;
      const names = [contact.displayName, contact.givenName, contact.surname, contact.fileAs];
      for (const address of contact.emailAddresses) {
        if (matches(names, address)) {
          found.push({ name: contact.displayName, address, mailboxType: 'Contact', item, contact });
        }
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
}

function resolutionXml(r: Resolution, fullContact: boolean): string {
  const itemId = r.item ? `<t:ItemId Id="${r.item.id}" ChangeKey="${r.item.changeKey}"/>` : '';
  const mailbox =
    `<t:Mailbox><t:Name>${escapeXml(r.name)}</t:Name><t:EmailAddress>${escapeXml(r.address)}</t:EmailAddress>` +
    `<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>${r.mailboxType}</t:MailboxType>${itemId}</t:Mailbox>`;
  const contact = fullContact
    ? `<t:Contact>${renderContactFields(r.contact, () => true, r.item ? 'Store' : 'ActiveDirectory')}</t:Contact>`
    : '';
  return `<t:Resolution>${mailbox}${contact}</t:Resolution>`;
}

export function resolveNames(ctx: EwsContext, op: Element): string {
  const tag = 'ResolveNamesResponseMessage';
  const full = ['true', '1'].includes((attr(op, 'ReturnFullContactData') ?? '').trim());
  const scope =
    SCOPES[attr(op, 'SearchScope') ?? 'ActiveDirectoryContacts'] ?? SCOPES.ActiveDirectoryContacts;
  const entryEl = childElement(op, 'UnresolvedEntry', MESSAGES_NS);
  const parentsEl = childElement(op, 'ParentFolderIds', MESSAGES_NS);
  let message: string;
  try {
    const folders = parentsEl
      ? childElements(parentsEl, undefined, TYPES_NS).map((ref) => resolveFolder(ctx, ref))
      : [ctx.store.folder(ctx.acting, 'contacts')];
    if (folders.some((f) => !f.folderClass.startsWith('IPF.Contact'))) {
      throw new EwsError(
        'ErrorResolveNamesInvalidFolderType',
        'The folder specified in the ResolveNames request is not a contacts folder.',
      );
    }
    const matches = matcher(entryEl ? simpleText(entryEl) : '');
    const found = scope.flatMap((source) =>
      source === 'directory' ? directoryEntries(ctx, matches) : contactEntries(folders, matches),
    );
    if (!found.length) throw new EwsError('ErrorNameResolutionNoResults', 'No results were found.');
    const shown = found.slice(0, MAX_RESOLUTIONS);
    const set =
      `<m:ResolutionSet TotalItemsInView="${shown.length}" IncludesLastItemInRange="true">` +
      `${shown.map((r) => resolutionXml(r, full)).join('')}</m:ResolutionSet>`;
    message =
      found.length === 1
        ? `<m:${tag} ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${set}</m:${tag}>`
        : `<m:${tag} ResponseClass="Warning"><m:MessageText>Multiple results were found.</m:MessageText>` +
          '<m:ResponseCode>ErrorNameResolutionMultipleResults</m:ResponseCode>' +
          `<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${set}</m:${tag}>`;
  } catch (err) {
    if (!(err instanceof EwsError)) throw err;
    message = errorMessage(tag, err);
  }
  return operationResponse('ResolveNames', [message]);
}
