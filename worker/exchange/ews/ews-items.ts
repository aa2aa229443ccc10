/**
 * The generic item operations of EwsGateway (appointments, contacts, tasks) on ews-javascript-api; what differs
 * per kind comes from its EwsItemKind (ews-item-kinds.ts). Every value handed to the library is XML-escaped.
 *
 * - createItem: the kind's new item with its fields, the rc job id stamped (exactly-once: findItemByJobId finds
 *   it on a retry) and the sync marker when given, saved into the target folder (ews-folders.ts; created on first
 *   use). Appointments are saved with SendInvitationsMode from meetingNotice.
 * - updateItem: UpdateItem on the given ItemId carrying the recorded ChangeKey, with only the set fields and the
 *   rcLastJobId stamp. ConflictResolution NeverOverwrite, so Exchange refuses (ErrorIrresolvableConflict →
 *   RcError 'conflict') when the item changed since; AlwaysOverwrite for onConflict 'overwrite'. Without a known
 *   ChangeKey ('') the current one is read first and the update overwrites.
 * - deleteItem: to Deleted Items (SendCancellationsMode for appointments, all occurrences of a task). With a
 *   known ChangeKey and onConflict 'fail' the item's current ChangeKey is compared first: DeleteItem itself does
 *   not check it.
 * - getItemState: the current ChangeKey and rcLastJobId; null when the item is gone.
 *
 * The update is built without a GetItem: a fresh object of the kind gets the ItemId (with the ChangeKey) put
 * straight into its property bag, which makes it an existing item whose change log is empty; the fields set after
 * that are exactly what UpdateItem sends (PropertyBag.WriteToXmlForUpdate), and UpdateItemResponse copies the new
 * ChangeKey back into the item's Id (ews-javascript-api 0.15.3, Core/PropertyBag.js, Items/Item.js).
 */
import {
  Appointment,
  BasePropertySet,
  ConflictResolutionMode,
  DeleteMode,
  Item,
  ItemId,
  ItemView,
  PropertySet,
  SearchFilter,
  SendCancellationsMode,
  SendInvitationsMode,
  SendInvitationsOrCancellationsMode,
  type ExchangeService,
  type FolderId,
  type PropertyDefinition,
} from 'ews-javascript-api';
import { RcError } from '../../errors';
import type { JobId } from '../../db/store';
import type {
  CreateItemRequest,
  DeleteItemRequest,
  FolderTarget,
  ItemKind,
  ItemRef,
  ItemState,
  MailboxTarget,
  MeetingNotice,
  SyncMarker,
  UpdateItemRequest,
} from '../gateway';
import type { EwsRun } from './ews-call';
import type { EwsFolders } from './ews-folders';
import type { EwsItemKind } from './ews-item-kind';
import {
  JOB_ID_PROPERTY,
  LAST_JOB_ID_PROPERTY,
  stringProperty,
  SYNC_FIELDS_PROPERTY,
  SYNC_KEY_PROPERTY,
  SYNC_SET_PROPERTY,
} from './ews-properties';
import { xmlEscape } from './xml-escape';

/** One EwsItemKind per item kind. */
export type EwsItemKinds = Record<ItemKind, EwsItemKind>;

const CREATE_NOTICE: Record<Exclude<MeetingNotice, 'changed'>, SendInvitationsMode> = {
  none: SendInvitationsMode.SendToNone,
  all: SendInvitationsMode.SendToAllAndSaveCopy,
};
const UPDATE_NOTICE: Record<MeetingNotice, SendInvitationsOrCancellationsMode> = {
  none: SendInvitationsOrCancellationsMode.SendToNone,
  all: SendInvitationsOrCancellationsMode.SendToAllAndSaveCopy,
  changed: SendInvitationsOrCancellationsMode.SendToChangedAndSaveCopy,
};
const DELETE_NOTICE: Record<Exclude<MeetingNotice, 'changed'>, SendCancellationsMode> = {
  none: SendCancellationsMode.SendToNone,
  all: SendCancellationsMode.SendToAllAndSaveCopy,
};

/** What ews-javascript-api keeps private in its typings but an update without GetItem needs (see the header). */
interface PropertyBagInternals {
  Properties: { set(key: PropertyDefinition, value: unknown): void };
  ClearChangeLog(): void;
}

/**
 * The kind's item object standing for the existing item `ref`, with an empty change log. ChangeKey '' → the
 * ItemId goes without one.
 */
function existingItem(kind: EwsItemKind, service: ExchangeService, ref: ItemRef): Item {
  const item = kind.newItem(service);
  const id = new ItemId(xmlEscape(ref.itemId));
  if (ref.changeKey !== '') id.ChangeKey = xmlEscape(ref.changeKey);
  const bag = (item as unknown as { PropertyBag: PropertyBagInternals }).PropertyBag;
  bag.Properties.set(item.GetIdPropertyDefinition(), id);
  bag.ClearChangeLog();
  return item;
}

function stampMarker(item: Item, marker: SyncMarker): void {
  item.SetExtendedProperty(SYNC_SET_PROPERTY, xmlEscape(marker.setKey));
  item.SetExtendedProperty(SYNC_KEY_PROPERTY, xmlEscape(marker.externalKey));
  item.SetExtendedProperty(SYNC_FIELDS_PROPERTY, xmlEscape(marker.appliedFields));
}

export class EwsItems {
  constructor(
    private readonly run: EwsRun,
    private readonly folders: EwsFolders,
    private readonly kinds: EwsItemKinds,
  ) {}

  async createItem(mailbox: MailboxTarget, request: CreateItemRequest): Promise<ItemRef> {
    const kind = this.kinds[request.item.kind];
    const what = `CreateItem (${kind.kind}) for ${mailbox.smtpAddress}`;
    const created = await this.folders.withFolder(mailbox, request.folder, kind, true, (folderId) =>
      this.run(mailbox, what, async (service) => {
        const item = kind.newItem(service);
        kind.applyFields(item, request.item.fields, service);
        item.SetExtendedProperty(JOB_ID_PROPERTY, xmlEscape(request.jobId));
        if (request.marker) stampMarker(item, request.marker);
        if (kind.kind === 'appointment') {
          const notice = request.meetingNotice === 'changed' ? 'all' : request.meetingNotice;
          await (item as Appointment).Save(folderId, CREATE_NOTICE[notice]);
        } else {
          await item.Save(folderId);
        }
        return { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey };
      }),
    );
    return created as ItemRef; // withFolder with create = true always reaches the folder
  }

  async updateItem(mailbox: MailboxTarget, request: UpdateItemRequest): Promise<ItemRef> {
    const kind = this.kinds[request.item.kind];
    let ref = request.ref;
    let overwrite = request.onConflict === 'overwrite';
    if (ref.changeKey === '') {
      // No recorded version: write over the current one (an update without ChangeKey is refused for some items).
      const state = await this.getItemState(mailbox, ref.itemId);
      if (!state) throw notFound(kind.kind, ref.itemId);
      ref = { itemId: ref.itemId, changeKey: state.ref.changeKey };
      overwrite = true;
    }
    const what = `UpdateItem (${kind.kind}) for ${mailbox.smtpAddress}`;
    return this.run(mailbox, what, async (service) => {
      const item = existingItem(kind, service, ref);
      kind.applyFields(item, request.item.fields, service);
      item.SetExtendedProperty(LAST_JOB_ID_PROPERTY, xmlEscape(request.jobId));
      if (request.marker) stampMarker(item, request.marker);
      const mode = overwrite ? ConflictResolutionMode.AlwaysOverwrite : ConflictResolutionMode.NeverOverwrite;
      if (kind.kind === 'appointment') {
        await (item as Appointment).Update(mode, UPDATE_NOTICE[request.meetingNotice]);
      } else {
        await item.Update(mode);
      }
      return { itemId: request.ref.itemId, changeKey: item.Id.ChangeKey };
    });
  }

  async deleteItem(mailbox: MailboxTarget, request: DeleteItemRequest): Promise<void> {
    const { ref, kind } = request;
    if (request.onConflict === 'fail' && ref.changeKey !== '') {
      const state = await this.getItemState(mailbox, ref.itemId);
      if (!state) throw notFound(kind, ref.itemId);
      if (state.ref.changeKey !== ref.changeKey) {
        throw new RcError(
          'conflict',
          `DeleteItem (${kind}) for ${mailbox.smtpAddress}: the item's ChangeKey is not the recorded one ` +
            '(it was changed in Exchange meanwhile); not deleted',
        );
      }
    }
    await this.run(mailbox, `DeleteItem (${kind}) for ${mailbox.smtpAddress}`, async (service) => {
      // Without the ChangeKey: DeleteItem ignores it, and the compare above is the conflict check.
      const item = existingItem(this.kinds[kind], service, { itemId: ref.itemId, changeKey: '' });
      // Tasks: Task.Delete deletes all occurrences (its DefaultAffectedTaskOccurrences).
      if (kind === 'appointment') {
        await (item as Appointment).Delete(
          DeleteMode.MoveToDeletedItems,
          DELETE_NOTICE[request.meetingNotice],
        );
      } else {
        await item.Delete(DeleteMode.MoveToDeletedItems);
      }
    });
  }

  async getItemState(mailbox: MailboxTarget, itemId: string): Promise<ItemState | null> {
    try {
      return await this.run(mailbox, `GetItem for ${mailbox.smtpAddress}`, async (service) => {
        const item = await Item.Bind(
          service,
          new ItemId(xmlEscape(itemId)),
          new PropertySet(BasePropertySet.IdOnly, [LAST_JOB_ID_PROPERTY]),
        );
        return {
          ref: { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey },
          lastJobId: stringProperty(item, LAST_JOB_ID_PROPERTY),
        };
      });
    } catch (err) {
      if (err instanceof RcError && err.remoteCode === 'ErrorItemNotFound') return null;
      throw err;
    }
  }

  /** The item carrying the job id in the kind's target folder; null when there is none (or no such folder). */
  async findItemByJobId(
    mailbox: MailboxTarget,
    folder: FolderTarget,
    jobId: JobId,
    kind: ItemKind,
  ): Promise<ItemRef | null> {
    const what = `FindItem (${kind}) for ${mailbox.smtpAddress}`;
    const found = await this.folders.withFolder(mailbox, folder, this.kinds[kind], false, (folderId) =>
      this.run(mailbox, what, (service) => findByJobId(service, folderId, jobId)),
    );
    return found ?? null;
  }
}

async function findByJobId(
  service: ExchangeService,
  folderId: FolderId,
  jobId: JobId,
): Promise<ItemRef | null> {
  const view = new ItemView(1);
  view.PropertySet = new PropertySet(BasePropertySet.IdOnly);
  const result = await service.FindItems(
    folderId,
    new SearchFilter.IsEqualTo(JOB_ID_PROPERTY, xmlEscape(jobId)),
    view,
  );
  const item = result.Items[0];
  return item ? { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey } : null;
}

function notFound(kind: ItemKind, itemId: string): RcError {
  return new RcError('not_found', `The ${kind} ${itemId} does not exist in Exchange (any more).`, {
    remoteCode: 'ErrorItemNotFound',
  });
}
