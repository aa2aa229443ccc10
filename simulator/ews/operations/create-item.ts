/** CreateItem for messages: SaveOnly (→ Drafts), SendOnly, SendAndSaveCopy (→ Sent Items), like Exchange. */
import type { Element } from '@xmldom/xmldom';
import { createCalendarItemResponse } from '../../calendar/meetings';
import { applyMimeContent } from '../../mime/mime-content';
import type { Folder } from '../../model';
import { createContactOrTask, isContactOrTask } from '../contact-task-hooks';
import type { EwsContext } from '../context';
import { EwsError } from '../ews-error';
import { folderRefs, resolveFolder } from '../folder-ref';
import { parseMessage } from '../parse-message';
import { attachmentIdsXml } from './attachment-xml';
import { operationResponse, responseFor } from '../response-writer';
import { newInternetMessageId, submitMessage } from '../submit-message';
import { attr, childElement, childElements, MESSAGES_NS, TYPES_NS } from '../xml';

const DISPOSITIONS = ['SaveOnly', 'SendOnly', 'SendAndSaveCopy'];

export function createItem(ctx: EwsContext, op: Element): string {
  const disposition = attr(op, 'MessageDisposition');
  const savedEl = childElement(op, 'SavedItemFolderId', MESSAGES_NS);
  const itemsEl = childElement(op, 'Items', MESSAGES_NS);
  const items = itemsEl ? childElements(itemsEl, undefined, TYPES_NS) : [];

  const messages = items.map((itemEl) =>
    responseFor('CreateItemResponseMessage', '<m:Items/>', () => {
      if (isContactOrTask(itemEl)) {
        return createContactOrTask(
          ctx,
          itemEl,
          savedEl && resolveFolder(ctx, folderRefs(savedEl)[0] ?? savedEl),
        );
      }
      if (itemEl.localName === 'CalendarItem') {
        const explicit = savedEl && resolveFolder(ctx, folderRefs(savedEl)[0] ?? savedEl);
        return createCalendarItemResponse(ctx, itemEl, attr(op, 'SendMeetingInvitations'), explicit);
      }
      if (itemEl.localName !== 'Message') {
        throw new EwsError(
          'ErrorInvalidOperation',
          `The Exchange simulator only creates messages, not ${itemEl.localName ?? 'this item type'}.`,
        );
      }
      if (!disposition || !DISPOSITIONS.includes(disposition)) {
        throw new EwsError(
          'ErrorMessageDispositionRequired',
          'MessageDisposition attribute is required for CreateItem on message items.',
        );
      }
      const explicit: Folder | undefined = savedEl
        ? resolveFolder(ctx, folderRefs(savedEl)[0] ?? savedEl)
        : undefined;
      const { content, internetMessageId } = applyMimeContent(itemEl, parseMessage(itemEl));
      if (disposition === 'SaveOnly') {
        const folder = explicit ?? ctx.store.folder(ctx.acting, 'drafts');
        const item = ctx.store.createItem(folder, content, {
          isDraft: true,
          internetMessageId: internetMessageId ?? newInternetMessageId(ctx.acting.address),
        });
        return `<m:Items><t:Message><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>${attachmentIdsXml(item)}</t:Message></m:Items>`;
      }
      const saveTo =
        disposition === 'SendAndSaveCopy'
          ? (explicit ?? ctx.store.folder(ctx.acting, 'sentitems'))
          : undefined;
      submitMessage(ctx, content, saveTo);
      return '<m:Items/>';
    }),
  );
  return operationResponse('CreateItem', messages);
}
