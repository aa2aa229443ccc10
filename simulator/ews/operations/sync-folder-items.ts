/**
 * SyncFolderItems: the changes of one folder since a SyncState, read from the folder's compacted change log.
 * An item created after the state is a Create (whatever happened to it since), one that existed is an Update, or a
 * ReadFlagChange when only its read flag changed, and a Delete when it left the folder; created-then-deleted
 * items are not reported. At most MaxChangesReturned (1..512) changes per call; IncludesLastItemInRange says
 * whether the client has reached the end. Ignored ItemIds are skipped but consumed.
 */
import type { Element } from '@xmldom/xmldom';
import type { ItemChangeEntry } from '../../model';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { folderRefs, resolveFolder } from '../folder-ref';
import { NOT_IN_FIND, parseItemShape } from '../item-shape';
import { simpleText } from '../parse-message';
import { operationResponse, responseFor } from '../response-writer';
import { schemaValidationFault } from '../soap-fault';
import { decodeSyncState, encodeSyncState } from '../sync-state';
import { renderMessage } from '../write-item';
import { attr, childElement, childElements, escapeXml, MESSAGES_NS, positionOf, TYPES_NS } from '../xml';

/** What Exchange writes as the ChangeKey of an item that no longer exists. */
const DELETED_ITEM_CHANGE_KEY = 'CQAAAA==';
const MAX_CHANGES = 512;

type Change = 'Create' | 'Update' | 'Delete' | 'ReadFlagChange';

export function classifyItemChange(entry: ItemChangeEntry, position: number): Change | undefined {
  if (entry.seq <= position) return undefined;
  if (entry.deleted) return entry.createdSeq <= position ? 'Delete' : undefined;
  if (entry.createdSeq > position) return 'Create';
  return entry.contentSeq > position ? 'Update' : 'ReadFlagChange';
}

/** MaxChangesReturned is t:MaxSyncChangesReturnedType (xs:int 1..512): anything else breaks the schema. */
function maxChanges(op: Element): number {
  const el = childElement(op, 'MaxChangesReturned', MESSAGES_NS);
  if (!el) {
    const at = positionOf(op);
    throw schemaValidationFault(
      at.line,
      at.column,
      `The element 'SyncFolderItems' in namespace '${MESSAGES_NS}' has incomplete content. List of possible ` +
        `elements expected: 'MaxChangesReturned' in namespace '${MESSAGES_NS}'.`,
    );
  }
  const text = simpleText(el).trim();
  const value = Number(text);
  if (/^[+-]?\d+$/.test(text) && value >= 1 && value <= MAX_CHANGES) return value;
  const at = positionOf(el);
  const facet = !/^[+-]?\d+$/.test(text)
    ? "The string '" + text + "' is not a valid Int32 value."
    : value < 1
      ? 'The MinInclusive constraint failed.'
      : 'The MaxInclusive constraint failed.';
  throw schemaValidationFault(
    at.line,
    at.column,
    `The '${MESSAGES_NS}:MaxChangesReturned' element is invalid - The value '${text}' is invalid according to ` +
      `its datatype '${TYPES_NS}:MaxSyncChangesReturnedType' - ${facet}`,
  );
}

export function syncFolderItems(ctx: EwsContext, op: Element): string {
  const lookup = (address: string) => ctx.store.getMailbox(address);
  const max = maxChanges(op);
  const message = responseFor(
    'SyncFolderItemsResponseMessage',
    '<m:SyncState/><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange>',
    () => {
      const shape = parseItemShape(childElement(op, 'ItemShape', MESSAGES_NS), true);
      const refused = shape.explicit.find((f) => NOT_IN_FIND.has(f));
      if (refused) {
        throw new EwsError(
          'ErrorInvalidPropertyRequest',
          'Property is not valid for this object type.',
          `<t:FieldURI FieldURI="${escapeXml(refused)}"/>`,
        );
      }
      const syncEl = childElement(op, 'SyncFolderId', MESSAGES_NS);
      const ref = syncEl && folderRefs(syncEl)[0];
      if (!ref) throw new EwsError('ErrorSyncFolderNotFound', 'The sync folder could not be found.');
      const folder = resolveFolder(ctx, ref);
      if (ctx.store.ownerOf(folder).isPublic) {
        throw new EwsError('ErrorInvalidOperation', 'SyncFolderItems is not supported for public folders.');
      }
      const log = folder.itemLog;
      const stateEl = childElement(op, 'SyncState', MESSAGES_NS);
      const position = decodeSyncState(stateEl && simpleText(stateEl), 'items', folder.id, log);
      const ignoreEl = childElement(op, 'Ignore', MESSAGES_NS);
      const ignored = new Set(
        (ignoreEl ? childElements(ignoreEl, 'ItemId', TYPES_NS) : []).map((el) => attr(el, 'Id') ?? ''),
      );

      const changes: string[] = [];
      let reached = position;
      let more = false;
      for (const entry of log.entries.values()) {
        const change = classifyItemChange(entry, position);
        if (!change) continue;
        if (changes.length === max) {
          if (!ignored.has(entry.itemId)) {
            more = true;
            break;
          }
        }
        reached = entry.seq;
        if (ignored.has(entry.itemId)) continue;
        const { item } = entry;
        if (change === 'Delete') {
          changes.push(
            `<t:Delete><t:ItemId Id="${entry.itemId}" ChangeKey="${DELETED_ITEM_CHANGE_KEY}"/></t:Delete>`,
          );
        } else if (change === 'ReadFlagChange') {
          changes.push(
            `<t:ReadFlagChange><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>` +
              `<t:IsRead>${item.isRead ? 'true' : 'false'}</t:IsRead></t:ReadFlagChange>`,
          );
        } else {
          changes.push(`<t:${change}>${renderMessage(item, shape, lookup)}</t:${change}>`);
        }
      }
      if (!more) reached = log.seq;
      return (
        `<m:SyncState>${encodeSyncState('items', folder.id, log, reached)}</m:SyncState>` +
        `<m:IncludesLastItemInRange>${more ? 'false' : 'true'}</m:IncludesLastItemInRange>` +
        `<m:Changes>${changes.join('')}</m:Changes>`
      );
    },
  );
  return operationResponse('SyncFolderItems', [message]);
}
