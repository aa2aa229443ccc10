/**
 * UpdateItem for messages (and the ItemType fields of the other kinds): SetItemField, AppendToItemField and
 * DeleteItemField on FieldURIs and ExtendedFieldURIs. All changes of one ItemChange are validated before any is
 * applied. ConflictResolution with a ChangeKey that is no longer current: NeverOverwrite refuses
 * (ErrorIrresolvableConflict); AutoResolve applies the change when none of its fields was written since that
 * ChangeKey, else refuses; AlwaysOverwrite applies and counts the overwritten fields in ConflictResults.
 * MessageDisposition SaveOnly saves; SendOnly / SendAndSaveCopy save, then send the message.
 */
import type { Element } from '@xmldom/xmldom';
import { planCalendarChange } from '../../calendar/calendar-update';
import { afterCalendarUpdate, checkUpdateMode } from '../../calendar/meetings';
import { READ_FLAG_FIELD } from '../../mailbox-store';
import type { MessageContent, StoredItem } from '../../model';
import { planContactOrTaskChange } from '../contact-task-hooks';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { parseExtendedFieldUri, renderPath } from '../extended-property';
import { folderRefs, resolveFolder } from '../folder-ref';
import { resolveItem } from '../item-ref';
import { parseMessage } from '../parse-message';
import { operationResponse, responseFor } from '../response-writer';
import { submitMessage } from '../submit-message';
import { attr, childElement, childElements, escapeXml, MESSAGES_NS, TYPES_NS } from '../xml';
import { changeValueHolder, invalidPropertyChange } from '../update-change';

type Action = 'Set' | 'Append' | 'Delete';

interface FieldRule {
  /** The element that carries the value inside the t:Message / t:Item of a Set or Append. */
  element: string;
  messageOnly?: boolean;
  /** Recipients and sender are fixed once a message has been sent. */
  draftOnly?: boolean;
  set: (item: StoredItem, value: MessageContent) => void;
  append?: (item: StoredItem, value: MessageContent) => void;
  clear?: (item: StoredItem) => void;
}

const RECIPIENT_FIELDS = {
  'message:ToRecipients': ['ToRecipients', 'to'],
  'message:CcRecipients': ['CcRecipients', 'cc'],
  'message:BccRecipients': ['BccRecipients', 'bcc'],
  'message:ReplyTo': ['ReplyTo', 'replyTo'],
} as const;

const RULES: Record<string, FieldRule> = {
  'item:Subject': {
    element: 'Subject',
    set: (i, v) => (i.subject = v.subject),
    clear: (i) => (i.subject = ''),
  },
  'item:Body': {
    element: 'Body',
    set: (i, v) => {
      i.body = v.body;
      i.bodyType = v.bodyType;
    },
    append: (i, v) => {
      i.body += v.body;
    },
    clear: (i) => (i.body = ''),
  },
  'item:ItemClass': { element: 'ItemClass', set: (i, v) => (i.itemClass = v.itemClass) },
  'item:Importance': { element: 'Importance', set: (i, v) => (i.importance = v.importance) },
  'item:Sensitivity': { element: 'Sensitivity', set: (i, v) => (i.sensitivity = v.sensitivity) },
  'item:Categories': {
    element: 'Categories',
    set: (i, v) => (i.categories = [...v.categories]),
    clear: (i) => (i.categories = []),
  },
  'message:IsRead': { element: 'IsRead', messageOnly: true, set: (i, v) => (i.isRead = v.isRead) },
  'message:IsReadReceiptRequested': {
    element: 'IsReadReceiptRequested',
    messageOnly: true,
    set: (i, v) => (i.isReadReceiptRequested = v.isReadReceiptRequested),
  },
  'message:IsDeliveryReceiptRequested': {
    element: 'IsDeliveryReceiptRequested',
    messageOnly: true,
    set: (i, v) => (i.isDeliveryReceiptRequested = v.isDeliveryReceiptRequested),
  },
  'message:From': {
    element: 'From',
    messageOnly: true,
    draftOnly: true,
    set: (i, v) => (i.from = v.from),
    clear: (i) => (i.from = undefined),
  },
};
for (const [uri, [element, key]] of Object.entries(RECIPIENT_FIELDS)) {
  RULES[uri] = {
    element,
    messageOnly: true,
    draftOnly: true,
    set: (i, v) => (i[key] = [...v[key]]),
    append: (i, v) => (i[key] = [...i[key], ...v[key]]),
    clear: (i) => (i[key] = []),
  };
}

const ACTION_OF: Record<string, Action> = {
  SetItemField: 'Set',
  AppendToItemField: 'Append',
  DeleteItemField: 'Delete',
};

interface PlannedChange {
  field: string;
  apply: (item: StoredItem) => void;
}

function fieldXml(uri: string): string {
  return `<t:FieldURI FieldURI="${escapeXml(uri)}"/>`;
}

function planChange(ctx: EwsContext, change: Element, item: StoredItem): PlannedChange {
  const action = ACTION_OF[change.localName ?? ''];
  const path = childElements(change, undefined, TYPES_NS).find((c) =>
    ['FieldURI', 'IndexedFieldURI', 'ExtendedFieldURI'].includes(c.localName ?? ''),
  );
  if (!action || !path) throw new EwsError('ErrorInvalidRequest', 'The item change description is invalid.');

  if (path.localName === 'ExtendedFieldURI') {
    const parsed = parseExtendedFieldUri(path);
    const pathXml = renderPath(parsed.path);
    const field = `ext:${parsed.key}`;
    const without = (i: StoredItem) => i.extendedProperties.filter((p) => p.key !== parsed.key);
    if (action === 'Append') {
      throw new EwsError('ErrorInvalidPropertyAppend', 'This property does not support append.', pathXml);
    }
    if (action === 'Delete') {
      return { field, apply: (i) => ctx.store.setExtendedProperties(i, without(i)) };
    }
    const holder = changeValueHolder(change, 'SetItemField', 'ExtendedProperty', pathXml);
    const [prop] = parseMessage(holder).extendedProperties;
    if (prop.key !== parsed.key) {
      throw new EwsError(
        'ErrorUpdatePropertyMismatch',
        'The extended property in the change does not match the property to update.',
        pathXml,
      );
    }
    return { field, apply: (i) => ctx.store.setExtendedProperties(i, [...without(i), prop]) };
  }

  const kindChange = planContactOrTaskChange(change, path, item) ?? planCalendarChange(change, path, item);
  if (kindChange) return kindChange;
  const uri = attr(path, 'FieldURI') ?? attr(path, 'FieldIndex') ?? '';
  const pathXml = fieldXml(uri);
  const rule = path.localName === 'FieldURI' ? RULES[uri] : undefined;
  if (!rule || (rule.messageOnly && item.kind !== 'Message')) {
    throw invalidPropertyChange(
      change.localName,
      `The simulator cannot ${action.toLowerCase()} this property on this item.`,
      pathXml,
    );
  }
  if (rule.draftOnly && !item.isDraft) {
    throw new EwsError(
      'ErrorInvalidPropertyUpdateSentMessage',
      'This property can only be updated on a draft message.',
      pathXml,
    );
  }
  if (action === 'Delete') {
    const clear = rule.clear;
    if (!clear) throw new EwsError('ErrorInvalidPropertyDelete', 'This property cannot be deleted.', pathXml);
    return { field: uri, apply: clear };
  }
  const holder = changeValueHolder(change, change.localName ?? '', rule.element, pathXml);
  const value = parseMessage(holder);
  if (action === 'Append') {
    const append = rule.append;
    if (!append)
      throw new EwsError('ErrorInvalidPropertyAppend', 'This property does not support append.', pathXml);
    return { field: uri, apply: (i) => append(i, value) };
  }
  return { field: uri, apply: (i) => rule.set(i, value) };
}

const CONFLICT_MESSAGE =
  'The send or update operation could not be performed because the change key passed in the request does not ' +
  'match the current change key for the item.';
const CHANGE_KEY = /^[A-Za-z0-9+/]+={0,2}$/;
const DISPOSITIONS = ['SaveOnly', 'SendOnly', 'SendAndSaveCopy'];
const RESOLUTIONS = ['NeverOverwrite', 'AutoResolve', 'AlwaysOverwrite'];

/** Number of overwritten fields; throws ErrorIrresolvableConflict when the mode does not allow overwriting. */
function checkConflicts(
  ctx: EwsContext,
  item: StoredItem,
  changeKey: string | undefined,
  resolution: string,
  fields: string[],
): number {
  if (changeKey === undefined || changeKey === item.changeKey) return 0;
  if (!CHANGE_KEY.test(changeKey)) throw new EwsError('ErrorInvalidChangeKey', 'ChangeKey is invalid.');
  const since = ctx.store.fieldsChangedSince(item, changeKey);
  const overlapping = since ? fields.filter((f) => since.has(f)).length : fields.length;
  if (resolution === 'NeverOverwrite' || (resolution === 'AutoResolve' && overlapping > 0)) {
    throw new EwsError('ErrorIrresolvableConflict', CONFLICT_MESSAGE);
  }
  return resolution === 'AlwaysOverwrite' ? overlapping : 0;
}

export function updateItem(ctx: EwsContext, op: Element): string {
  const resolution = attr(op, 'ConflictResolution') ?? '';
  const disposition = attr(op, 'MessageDisposition');
  const savedEl = childElement(op, 'SavedItemFolderId', MESSAGES_NS);
  const changesEl = childElement(op, 'ItemChanges', MESSAGES_NS);
  const itemChanges = changesEl ? childElements(changesEl, 'ItemChange', TYPES_NS) : [];

  const messages = itemChanges.map((itemChange) =>
    responseFor('UpdateItemResponseMessage', '<m:Items/>', () => {
      if (!RESOLUTIONS.includes(resolution)) {
        throw new EwsError('ErrorInvalidRequest', `ConflictResolution '${resolution}' is invalid.`);
      }
      const ref = childElements(itemChange, undefined, TYPES_NS)[0];
      if (!ref || ref.localName !== 'ItemId') {
        throw new EwsError(
          'ErrorInvalidOperation',
          `The Exchange simulator does not update ${ref?.localName ?? 'this item reference'}.`,
        );
      }
      const item = resolveItem(ctx, ref, false);
      if (item.kind === 'Message' && (!disposition || !DISPOSITIONS.includes(disposition))) {
        throw new EwsError(
          'ErrorMessageDispositionRequired',
          'MessageDisposition attribute is required for UpdateItem on message items.',
        );
      }
      if (item.kind === 'CalendarItem') checkUpdateMode(attr(op, 'SendMeetingInvitationsOrCancellations'));
      const updatesEl = childElement(itemChange, 'Updates', TYPES_NS);
      const planned = (updatesEl ? childElements(updatesEl, undefined, TYPES_NS) : []).map((c) =>
        planChange(ctx, c, item),
      );
      const fields = [...new Set(planned.map((p) => p.field))];
      const conflicts = checkConflicts(ctx, item, attr(ref, 'ChangeKey'), resolution, fields);
      const saveTo =
        disposition === 'SendAndSaveCopy'
          ? savedEl
            ? resolveFolder(ctx, folderRefs(savedEl)[0] ?? savedEl)
            : ctx.store.folder(ctx.acting, 'sentitems')
          : undefined;

      for (const change of planned) change.apply(item);
      ctx.store.itemChanged(item, fields.length ? fields : [READ_FLAG_FIELD]);
      afterCalendarUpdate(ctx, item, attr(op, 'SendMeetingInvitationsOrCancellations'));
      const conflictResults = `<m:ConflictResults><t:Count>${conflicts}</t:Count></m:ConflictResults>`;
      if (item.kind === 'Message' && disposition !== 'SaveOnly') {
        submitMessage(ctx, item, saveTo, item);
        return `<m:Items/>${conflictResults}`;
      }
      return (
        `<m:Items><t:${item.kind}><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:${item.kind}>` +
        `</m:Items>${conflictResults}`
      );
    }),
  );
  return operationResponse('UpdateItem', messages);
}
