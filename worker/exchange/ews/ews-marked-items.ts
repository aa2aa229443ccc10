/**
 * listMarkedItems for EwsGateway: the items of one desired-state set (rc_SyncFolder) in a folder, with their
 * SyncMarker. Items without the marker, or with another set's marker, are never returned — so the sync never
 * touches them.
 *
 * Two steps, both paged:
 * 1. FindItem in the FolderTarget's folder (ews-folders.ts; a folder that does not exist holds no item and is not
 *    created) restricted to rcSyncSet = setKey, ids only, PAGE_SIZE items per page until MoreAvailable is false;
 * 2. GetItem for LOAD_BATCH ids at a time with the three marker properties. FindItem is not enough for them:
 *    Exchange returns at most the first 255 characters of a string property in FindItem results, and the applied
 *    fields are longer. An item deleted between the two steps is skipped (ErrorItemNotFound); any other error in
 *    a response fails the listing, so an existing item is never taken for a missing one. The set is compared
 *    again exactly.
 */
import {
  BasePropertySet,
  ItemId,
  ItemView,
  PropertySet,
  SearchFilter,
  ServiceError,
  ServiceResponseException,
  ServiceResult,
  type ExchangeService,
  type FolderId,
  type ServiceResponse,
} from 'ews-javascript-api';
import type { FolderTarget, ItemKind, MailboxTarget, MarkedItem } from '../gateway';
import type { EwsRun } from './ews-call';
import type { EwsFolders } from './ews-folders';
import type { EwsItemKinds } from './ews-items';
import { stringProperty, SYNC_FIELDS_PROPERTY, SYNC_KEY_PROPERTY, SYNC_SET_PROPERTY } from './ews-properties';
import { xmlEscape } from './xml-escape';

/** Items per FindItem page (Exchange returns at most 1000). */
export const PAGE_SIZE = 500;
/** Items per GetItem request. */
export const LOAD_BATCH = 100;

const MARKER_PROPERTIES = [SYNC_SET_PROPERTY, SYNC_KEY_PROPERTY, SYNC_FIELDS_PROPERTY];

/** The library's typings hide the ServiceResponseException(response) constructor its own code uses. */
const ResponseException = ServiceResponseException as unknown as new (response: ServiceResponse) => Error;

export class EwsMarkedItems {
  constructor(
    private readonly run: EwsRun,
    private readonly folders: EwsFolders,
    private readonly kinds: EwsItemKinds,
  ) {}

  async listMarkedItems(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    kind: ItemKind,
    setKey: string,
  ): Promise<MarkedItem[]> {
    const listed = await this.folders.withFolder(
      mailbox,
      folder,
      this.kinds[kind],
      false,
      async (folderId) => {
        const ids = await this.findIds(mailbox, folderId, kind, setKey);
        const marked: MarkedItem[] = [];
        for (let start = 0; start < ids.length; start += LOAD_BATCH) {
          marked.push(
            ...(await this.loadMarkers(mailbox, ids.slice(start, start + LOAD_BATCH), kind, setKey)),
          );
        }
        return marked;
      },
    );
    return listed ?? [];
  }

  /** Every item id in the folder whose rcSyncSet is the set key (server-side restriction, paged). */
  private async findIds(
    mailbox: MailboxTarget,
    folderId: FolderId,
    kind: ItemKind,
    setKey: string,
  ): Promise<string[]> {
    const ids: string[] = [];
    const filter = new SearchFilter.IsEqualTo(SYNC_SET_PROPERTY, xmlEscape(setKey));
    let offset = 0;
    for (;;) {
      const page = await this.run(
        mailbox,
        `FindItem (${kind}, synced set) for ${mailbox.smtpAddress}`,
        async (service: ExchangeService) => {
          const view = new ItemView(PAGE_SIZE, offset);
          view.PropertySet = new PropertySet(BasePropertySet.IdOnly);
          const result = await service.FindItems(folderId, filter, view);
          return {
            ids: result.Items.map((item) => item.Id.UniqueId),
            more: result.MoreAvailable,
            next: result.NextPageOffset,
          };
        },
      );
      ids.push(...page.ids);
      if (!page.more || page.ids.length === 0) return ids;
      offset = typeof page.next === 'number' && page.next > offset ? page.next : offset + page.ids.length;
    }
  }

  /** GetItem for a batch of ids with the marker properties; items gone meanwhile or of another set are left out. */
  private async loadMarkers(
    mailbox: MailboxTarget,
    ids: string[],
    kind: ItemKind,
    setKey: string,
  ): Promise<MarkedItem[]> {
    return this.run(
      mailbox,
      `GetItem (${kind}, sync markers) for ${mailbox.smtpAddress}`,
      async (service) => {
        const responses = await service.BindToItems(
          ids.map((id) => new ItemId(xmlEscape(id))),
          new PropertySet(BasePropertySet.IdOnly, MARKER_PROPERTIES),
        );
        const marked: MarkedItem[] = [];
        for (const response of responses.Responses) {
          if (response.Result === ServiceResult.Error) {
            // Deleted since FindItem: not in the set any more. Anything else must not read as "missing" (the sync
            // would create the item a second time): it fails the listing like a failed request.
            if (response.ErrorCode === ServiceError.ErrorItemNotFound) continue;
            throw new ResponseException(response);
          }
          const item = response.Item;
          const externalKey = stringProperty(item, SYNC_KEY_PROPERTY);
          if (stringProperty(item, SYNC_SET_PROPERTY) !== setKey || externalKey === null) continue;
          marked.push({
            ref: { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey },
            marker: { setKey, externalKey, appliedFields: stringProperty(item, SYNC_FIELDS_PROPERTY) ?? '' },
          });
        }
        return marked;
      },
    );
  }
}
