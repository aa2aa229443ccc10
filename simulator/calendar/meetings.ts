/**
 * Calendar items and meetings as Exchange keeps them: CreateItem puts the organizer's item in its calendar; with
 * attendees and SendToAll*, each attendee that is a simulator mailbox gets a meeting request (Inbox) and a
 * tentative copy (Calendar), external attendees go to the outbound log, and SendToAllAndSaveCopy keeps the
 * request in the organizer's Sent Items. Updates and cancellations reach the same attendees the same way.
 */
import type { Element } from '@xmldom/xmldom';
import { isValidSmtpAddress, normaliseAddress } from '../address';
import type { Folder, Mailbox, MessageContent, Recipient, StoredItem } from '../model';
import type { EwsContext } from '../ews/context';
import { EwsError } from '../ews/ews-error';
import { parseMessage } from '../ews/parse-message';
import { messageXmlValue } from '../ews/response-writer';
import { newInternetMessageId } from '../ews/submit-message';
import { detailsOf, parseCalendarItem } from './calendar-fields';

const SEND_MODES = ['SendToNone', 'SendOnlyToAll', 'SendToAllAndSaveCopy'];
const UPDATE_MODES = [
  'SendToNone',
  'SendOnlyToAll',
  'SendOnlyToChanged',
  'SendToAllAndSaveCopy',
  'SendToChangedAndSaveCopy',
];

function attendeesOf(item: StoredItem): Recipient[] {
  const cal = item.calendar;
  if (!cal) return [];
  return [...cal.requiredAttendees, ...cal.optionalAttendees, ...detailsOf(cal).resources];
}

/** CreateItem of a t:CalendarItem into `folder` (the acting mailbox's calendar unless SavedItemFolderId says). */
export function createCalendarItem(
  ctx: EwsContext,
  itemEl: Element,
  sendMode: string | undefined,
  explicit: Folder | undefined,
): StoredItem {
  if (!sendMode || !SEND_MODES.includes(sendMode)) {
    throw new EwsError(
      'ErrorSendMeetingInvitationsRequired',
      'SendMeetingInvitations attribute is required for Calendar items.',
    );
  }
  const content: MessageContent = {
    ...parseMessage(itemEl),
    kind: 'CalendarItem',
    itemClass: 'IPM.Appointment',
  };
  const calendar = parseCalendarItem(itemEl);
  if (calendar.end.getTime() < calendar.start.getTime()) {
    throw new EwsError('ErrorCalendarEndDateIsEarlierThanStartDate', 'EndDate is earlier than StartDate');
  }
  const folder = explicit ?? ctx.store.folder(ctx.acting, 'calendar');
  const owner = ctx.store.ownerOf(folder);
  calendar.organizer = { name: owner.displayName, address: owner.address };
  content.calendar = calendar;
  const details = detailsOf(calendar);
  const invitees = [...calendar.requiredAttendees, ...calendar.optionalAttendees, ...details.resources];
  const invalid = invitees.find((r) => !isValidSmtpAddress(r.address));
  if (invalid && sendMode !== 'SendToNone') {
    throw new EwsError(
      'ErrorInvalidRecipients',
      "At least one recipient isn't valid.",
      messageXmlValue('InvalidRecipient', invalid.address),
    );
  }
  details.isMeeting = invitees.length > 0;
  const item = ctx.store.createItem(folder, content, {
    isDraft: false,
    internetMessageId: newInternetMessageId(owner.address),
  });
  if (details.isMeeting && sendMode !== 'SendToNone') {
    details.meetingRequestWasSent = true;
    sendMeetingMessages(ctx, item, 'request', sendMode === 'SendToAllAndSaveCopy');
  }
  return item;
}

/** The attendee's calendar item of the meeting `uid` (in any of its calendar folders). */
function attendeeCopy(mailbox: Mailbox, uid: string): StoredItem | undefined {
  for (const folder of mailbox.folders.values()) {
    if (folder.folderClass !== 'IPF.Appointment') continue;
    for (const item of folder.items.values()) {
      if (item.kind === 'CalendarItem' && item.calendar?.details?.uid === uid) return item;
    }
  }
  return undefined;
}

function copyCalendar(
  item: StoredItem,
  overrides: Partial<ReturnType<typeof detailsOf>>,
): StoredItem['calendar'] {
  const cal = item.calendar;
  if (!cal) return undefined;
  const details = detailsOf(cal);
  return {
    ...cal,
    requiredAttendees: [...cal.requiredAttendees],
    optionalAttendees: [...cal.optionalAttendees],
    details: { ...details, resources: [...details.resources], ...overrides },
  };
}

/**
 * Delivers a meeting request (new or updated) or a cancellation for the organizer's `item` to every attendee:
 * simulator mailboxes get the message in their Inbox and their calendar copy created, updated or cancelled;
 * the others are logged as outbound mail.
 */
export function sendMeetingMessages(
  ctx: EwsContext,
  item: StoredItem,
  kind: 'request' | 'cancel',
  saveCopy: boolean,
): void {
  const { store } = ctx;
  const cal = item.calendar;
  if (!cal) return;
  const details = detailsOf(cal);
  const organizer = cal.organizer ?? { name: item.mailbox.displayName, address: item.mailbox.address };
  const sent = new Date();
  const internetMessageId = newInternetMessageId(organizer.address);
  const subject = kind === 'cancel' ? `Canceled: ${item.subject}` : item.subject;
  const itemClass = kind === 'cancel' ? 'IPM.Schedule.Meeting.Canceled' : 'IPM.Schedule.Meeting.Request';
  const to = [...cal.requiredAttendees, ...details.resources];
  const message = (associatedItemId: string | undefined): MessageContent => ({
    kind: 'Message',
    itemClass,
    subject,
    body: item.body,
    bodyType: item.bodyType,
    importance: item.importance,
    sensitivity: item.sensitivity,
    categories: [...item.categories],
    from: organizer,
    to,
    cc: [...cal.optionalAttendees],
    bcc: [],
    replyTo: [],
    extendedProperties: [],
    attachments: [],
    isRead: false,
    isReadReceiptRequested: false,
    isDeliveryReceiptRequested: false,
    calendar: copyCalendar(item, { associatedItemId, myResponseType: 'NoResponseReceived' }),
  });

  const external: string[] = [];
  const seen = new Set<string>();
  for (const attendee of attendeesOf(item)) {
    const key = normaliseAddress(attendee.address);
    if (seen.has(key) || key === normaliseAddress(organizer.address)) continue;
    seen.add(key);
    const mailbox = store.getMailbox(attendee.address);
    if (!mailbox) {
      external.push(attendee.address);
      continue;
    }
    let copy = attendeeCopy(mailbox, details.uid);
    if (kind === 'cancel') {
      if (copy?.calendar) {
        detailsOf(copy.calendar).isCancelled = true;
        copy.subject = subject;
        store.itemChanged(copy, ['calendar:IsCancelled', 'item:Subject']);
      }
    } else if (copy?.calendar) {
      copy.subject = item.subject;
      copy.body = item.body;
      copy.bodyType = item.bodyType;
      copy.calendar = copyCalendar(item, {
        myResponseType: 'NoResponseReceived',
        legacyFreeBusyStatus: 'Tentative',
        meetingRequestWasSent: false,
      });
      store.itemChanged(copy, ['calendar:Start', 'calendar:End', 'calendar:Location', 'item:Subject']);
    } else {
      copy = store.createItem(
        store.folder(mailbox, 'calendar'),
        {
          ...message(undefined),
          kind: 'CalendarItem',
          itemClass: 'IPM.Appointment',
          subject: item.subject,
          to: [],
          cc: [],
          isRead: true,
          calendar: copyCalendar(item, {
            myResponseType: 'NoResponseReceived',
            legacyFreeBusyStatus: 'Tentative',
            meetingRequestWasSent: false,
          }),
        },
        { isDraft: false, internetMessageId, sent, received: sent },
      );
    }
    store.createItem(store.folder(mailbox, 'inbox'), message(copy?.id), {
      isDraft: false,
      internetMessageId,
      sent,
      received: new Date(),
    });
  }
  if (external.length) {
    store.recordOutbound({
      at: sent.toISOString(),
      from: organizer.address,
      to: external,
      subject,
      internetMessageId,
    });
  }
  if (saveCopy && !item.mailbox.isPublic) {
    store.createItem(
      store.folder(item.mailbox, 'sentitems'),
      { ...message(item.id), isRead: true },
      { isDraft: false, internetMessageId, sent, received: sent },
    );
  }
  item.mailbox.stats.sends += 1;
}

/** UpdateItem's SendMeetingInvitationsOrCancellations, required for calendar items as in Exchange. */
export function checkUpdateMode(mode: string | undefined): void {
  if (!mode || !UPDATE_MODES.includes(mode)) {
    throw new EwsError(
      'ErrorSendMeetingInvitationsOrCancellationsRequired',
      'SendMeetingInvitationsOrCancellations attribute is required for Calendar items.',
    );
  }
}

/** After an update of the organizer's meeting: bump the sequence and send updates when asked. */
export function afterCalendarUpdate(ctx: EwsContext, item: StoredItem, mode: string | undefined): void {
  const cal = item.calendar;
  if (item.kind !== 'CalendarItem' || !cal) return;
  const details = detailsOf(cal);
  details.isMeeting = attendeesOf(item).length > 0;
  if (!details.isMeeting || details.myResponseType !== 'Organizer' || !mode || mode === 'SendToNone') return;
  details.sequence += 1;
  details.meetingRequestWasSent = true;
  sendMeetingMessages(ctx, item, 'request', mode.endsWith('AndSaveCopy'));
}

/** DeleteItem's SendMeetingCancellations on the organizer's meeting. */
export function beforeCalendarDelete(ctx: EwsContext, item: StoredItem, mode: string | undefined): void {
  const cal = item.calendar;
  if (item.kind !== 'CalendarItem' || !cal) return;
  const details = detailsOf(cal);
  if (!details.isMeeting || details.myResponseType !== 'Organizer' || !mode || mode === 'SendToNone') return;
  details.sequence += 1;
  sendMeetingMessages(ctx, item, 'cancel', mode === 'SendToAllAndSaveCopy');
}

/** CreateItem's hook: the response's m:Items for a created t:CalendarItem. */
export function createCalendarItemResponse(
  ctx: EwsContext,
  itemEl: Element,
  sendMode: string | undefined,
  explicit: Folder | undefined,
): string {
  const item = createCalendarItem(ctx, itemEl, sendMode, explicit);
  return `<m:Items><t:CalendarItem><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:CalendarItem></m:Items>`;
}
