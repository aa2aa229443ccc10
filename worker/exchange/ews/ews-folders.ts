/**
 * FolderTarget → EWS FolderId for one item kind:
 * - default: the kind's well-known folder (Calendar / Contacts / Tasks) of the job mailbox, or of `owner` through
 *   the FolderId's Mailbox element (the request still acts as the job mailbox, which needs rights there);
 * - named: a folder below that default folder, by DisplayName (case-insensitive, as Exchange compares them),
 *   one level or a '/' path; missing folders are created with the kind's FolderClass;
 * - public: a path below the public folder root, found or created the same way (every created folder gets the
 *   kind's FolderClass, so a path's folders can all hold that kind).
 * An existing last folder of another class (a mail folder named like the wanted calendar) is refused: items put
 * there would be invisible in Outlook's calendar/contacts/tasks views.
 *
 * Found ids are cached per job mailbox, owner, kind and path. A cached folder deleted in Exchange meanwhile shows
 * as ErrorFolderNotFound on the operation using it; withFolder then forgets it and resolves (and creates) once
 * more. Lookups never create: a named or public folder that does not exist holds no item (null).
 */
import {
  BasePropertySet,
  CalendarFolder,
  ContactsFolder,
  Folder,
  FolderId,
  FolderSchema,
  FolderTraversal,
  FolderView,
  Mailbox,
  PropertySet,
  TasksFolder,
  WellKnownFolderName,
  type ExchangeService,
} from 'ews-javascript-api';
import { RcError } from '../../errors';
import type { FolderTarget, MailboxTarget } from '../gateway';
import type { EwsRun } from './ews-call';
import type { EwsItemKind } from './ews-item-kind';
import { xmlEscape } from './xml-escape';

/** Subfolders read per FindFolder page while looking for a name. */
const PAGE_SIZE = 100;

interface ChildFolder {
  id: string;
  folderClass: string | null;
}

type Kind = Pick<EwsItemKind, 'kind' | 'defaultFolder' | 'folderClass'>;

/** The '/' path of a named or public location, split into its segments (the procedures normalised it). */
export function pathSegments(target: FolderTarget): string[] {
  const location = target.location;
  if (location.kind === 'default') return [];
  const path = location.kind === 'named' ? location.name : location.path;
  const segments = path.split('/').map((s) => s.trim());
  if (segments.some((s) => s === '')) {
    throw new RcError('payload_invalid', `Folder path "${path}" has an empty segment.`);
  }
  return segments;
}

function isFolderNotFound(err: unknown): boolean {
  return err instanceof RcError && err.remoteCode === 'ErrorFolderNotFound';
}

export class EwsFolders {
  private readonly cache = new Map<string, string>();

  constructor(private readonly run: EwsRun) {}

  /**
   * Runs `use` with the target's folder id; `create` makes missing folders. Returns null (without calling `use`)
   * when the folder does not exist and `create` is false. A cached id whose folder was deleted meanwhile is
   * resolved once more.
   */
  async withFolder<T>(
    mailbox: MailboxTarget,
    target: FolderTarget,
    kind: Kind,
    create: boolean,
    use: (folderId: FolderId) => Promise<T>,
  ): Promise<T | null> {
    const key = this.keyOf(mailbox, target, kind);
    const cached = key === null ? undefined : this.cache.get(key);
    if (cached !== undefined) {
      try {
        return await use(new FolderId(cached));
      } catch (err) {
        if (!isFolderNotFound(err)) throw err;
        this.cache.delete(key as string);
      }
    }
    const folderId = await this.resolve(mailbox, target, kind, create);
    return folderId === null ? null : use(folderId);
  }

  /** Drops every cached id (tests; a worker never needs it). */
  clear(): void {
    this.cache.clear();
  }

  private keyOf(mailbox: MailboxTarget, target: FolderTarget, kind: Kind): string | null {
    const location = target.location;
    if (location.kind === 'default') return null;
    const owner = location.kind === 'public' ? '' : (target.owner ?? '').toLowerCase();
    const path = pathSegments(target).join('/').toLowerCase();
    return [mailbox.smtpAddress.toLowerCase(), owner, kind.kind, location.kind, path].join('|');
  }

  /** Walks the path from its root, creating missing folders when asked; caches the result. */
  private async resolve(
    mailbox: MailboxTarget,
    target: FolderTarget,
    kind: Kind,
    create: boolean,
  ): Promise<FolderId | null> {
    const { location } = target;
    const owner = target.owner ? new Mailbox(xmlEscape(target.owner)) : undefined;
    if (location.kind === 'default') {
      return owner ? new FolderId(kind.defaultFolder, owner) : new FolderId(kind.defaultFolder);
    }
    let parent =
      location.kind === 'public'
        ? new FolderId(WellKnownFolderName.PublicFoldersRoot)
        : owner
          ? new FolderId(kind.defaultFolder, owner)
          : new FolderId(kind.defaultFolder);
    const segments = pathSegments(target);
    let child: ChildFolder | null = null;
    for (const [index, name] of segments.entries()) {
      child = await this.findChild(mailbox, parent, name);
      if (!child) {
        if (!create) return null;
        child = await this.createChild(mailbox, parent, name, kind.folderClass);
      }
      const last = index === segments.length - 1;
      if (last && child.folderClass !== null && !child.folderClass.startsWith(kind.folderClass)) {
        throw new RcError(
          'exchange_permanent',
          `Folder "${segments.join('/')}" of ${target.owner ?? mailbox.smtpAddress} exists but is a ` +
            `${child.folderClass} folder, not ${kind.folderClass}: ${kind.kind}s put there would not show. ` +
            'Rename that folder in Exchange or name another one.',
        );
      }
      parent = new FolderId(child.id);
    }
    this.cache.set(this.keyOf(mailbox, target, kind) as string, (child as ChildFolder).id);
    return parent;
  }

  /** The direct subfolder named `name` (case-insensitive), paging through FindFolder; null when none. */
  private async findChild(
    mailbox: MailboxTarget,
    parent: FolderId,
    name: string,
  ): Promise<ChildFolder | null> {
    const wanted = name.toLowerCase();
    return this.run(mailbox, `FindFolder "${name}" for ${mailbox.smtpAddress}`, async (service) => {
      for (let offset = 0; ; offset += PAGE_SIZE) {
        const view = new FolderView(PAGE_SIZE, offset);
        view.Traversal = FolderTraversal.Shallow;
        view.PropertySet = new PropertySet(BasePropertySet.IdOnly, [
          FolderSchema.DisplayName,
          FolderSchema.FolderClass,
        ]);
        const page = await service.FindFolders(parent, view);
        for (const folder of page.Folders) {
          if (String(folder.DisplayName ?? '').toLowerCase() === wanted) {
            return { id: folder.Id.UniqueId, folderClass: folderClassOf(folder) };
          }
        }
        if (!page.MoreAvailable || page.Folders.length === 0) return null;
      }
    });
  }

  /** Creates the subfolder; a concurrent creator winning the race (ErrorFolderExists) is fine: use its folder. */
  private async createChild(
    mailbox: MailboxTarget,
    parent: FolderId,
    name: string,
    folderClass: Kind['folderClass'],
  ): Promise<ChildFolder> {
    try {
      return await this.run(mailbox, `CreateFolder "${name}" for ${mailbox.smtpAddress}`, async (service) => {
        const folder = newFolder(service, name, folderClass);
        await folder.Save(parent);
        return { id: folder.Id.UniqueId, folderClass };
      });
    } catch (err) {
      if (!(err instanceof RcError && err.remoteCode === 'ErrorFolderExists')) throw err;
      const existing = await this.findChild(mailbox, parent, name);
      if (!existing) throw err;
      return existing;
    }
  }
}

/**
 * The library object for the kind's folder: CreateFolder answers with a CalendarFolder / ContactsFolder /
 * TasksFolder element, and ews-javascript-api refuses an answer whose type differs from the object saved. The
 * element implies the FolderClass.
 */
const FOLDER_TYPES: Record<Kind['folderClass'], new (service: ExchangeService) => Folder> = {
  'IPF.Appointment': CalendarFolder,
  'IPF.Contact': ContactsFolder,
  'IPF.Task': TasksFolder,
};

function newFolder(service: ExchangeService, name: string, folderClass: Kind['folderClass']): Folder {
  const folder = new FOLDER_TYPES[folderClass](service);
  folder.DisplayName = xmlEscape(name);
  return folder;
}

function folderClassOf(folder: Folder): string | null {
  try {
    return folder.FolderClass ?? null;
  } catch {
    return null; // not returned for this folder
  }
}
