/**
 * Writes the calendar part of a t:CalendarItem (CalendarItemType's elements, in types.xsd order) and the meeting
 * part of t:MeetingRequest / t:MeetingCancellation, following the requested shape: Default and AllProperties
 * return them all (FindItem leaves out attendees and recurrence, as Exchange does), IdOnly only the named
 * calendar:* / meeting:* FieldURIs.
 */
import type { Mailbox, Recipient, StoredItem } from '../model';
import type { ItemShape } from '../ews/item-shape';
import { escapeXml } from '../ews/xml';
import { detailsOf } from './calendar-fields';
import { lastOccurrence, type Recurrence } from './recurrence';
import { ianaZone } from './time-zones';
import { zoneOf } from './calendar-fields';

type Lookup = (address: string) => Mailbox | undefined;

const NOT_IN_FIND = new Set([
  'calendar:RequiredAttendees',
  'calendar:OptionalAttendees',
  'calendar:Resources',
  'calendar:Recurrence',
  'calendar:FirstOccurrence',
  'calendar:LastOccurrence',
]);

function date(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function mailbox(r: Recipient, lookup: Lookup): string {
  const known = lookup(r.address);
  return (
    `<t:Mailbox><t:Name>${escapeXml(r.name ?? known?.displayName ?? r.address)}</t:Name>` +
    `<t:EmailAddress>${escapeXml(r.address)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType>` +
    `<t:MailboxType>${known ? 'Mailbox' : 'OneOff'}</t:MailboxType></t:Mailbox>`
  );
}

function attendees(tag: string, list: Recipient[], lookup: Lookup): string {
  if (!list.length) return '';
  const each = list.map(
    (r) => `<t:Attendee>${mailbox(r, lookup)}<t:ResponseType>Unknown</t:ResponseType></t:Attendee>`,
  );
  return `<t:${tag}>${each.join('')}</t:${tag}>`;
}

function recurrenceXml(rec: Recurrence): string {
  const p = rec.pattern;
  const el = (name: string, value: string | number | undefined) =>
    value === undefined ? '' : `<t:${name}>${value}</t:${name}>`;
  let pattern = '';
  switch (p.type) {
    case 'DailyRecurrence':
      pattern = el('Interval', p.interval);
      break;
    case 'WeeklyRecurrence':
      pattern =
        el('Interval', p.interval) +
        el('DaysOfWeek', p.daysOfWeek.join(' ')) +
        el('FirstDayOfWeek', p.firstDayOfWeek);
      break;
    case 'AbsoluteMonthlyRecurrence':
      pattern = el('Interval', p.interval) + el('DayOfMonth', p.dayOfMonth);
      break;
    case 'RelativeMonthlyRecurrence':
      pattern =
        el('Interval', p.interval) +
        el('DaysOfWeek', p.daysOfWeek[0]) +
        el('DayOfWeekIndex', p.dayOfWeekIndex);
      break;
    case 'AbsoluteYearlyRecurrence':
      pattern = el('DayOfMonth', p.dayOfMonth) + el('Month', p.month);
      break;
    case 'RelativeYearlyRecurrence':
      pattern =
        el('DaysOfWeek', p.daysOfWeek[0]) + el('DayOfWeekIndex', p.dayOfWeekIndex) + el('Month', p.month);
      break;
  }
  const r = rec.range;
  const range =
    r.type === 'NoEndRecurrence'
      ? el('StartDate', r.startDate)
      : r.type === 'EndDateRecurrence'
        ? el('StartDate', r.startDate) + el('EndDate', r.endDate)
        : el('StartDate', r.startDate) + el('NumberOfOccurrences', r.numberOfOccurrences);
  return `<t:Recurrence><t:${p.type}>${pattern}</t:${p.type}><t:${r.type}>${range}</t:${r.type}></t:Recurrence>`;
}

function durationXml(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `P${days ? `${days}D` : ''}T${h}H${m}M0S`;
}

function wants(shape: ItemShape, uri: string): boolean {
  if (shape.explicit.includes(uri)) return true;
  if (shape.base === 'IdOnly') return false;
  return !(shape.find && NOT_IN_FIND.has(uri));
}

/** ReminderIsSet / ReminderMinutesBeforeStart (ItemType's, placed before DisplayCc). */
export function renderReminder(item: StoredItem, shape: ItemShape): string {
  if (!item.calendar || item.kind !== 'CalendarItem') return '';
  const d = detailsOf(item.calendar);
  return (
    (wants(shape, 'item:ReminderIsSet') ? `<t:ReminderIsSet>${d.reminderIsSet}</t:ReminderIsSet>` : '') +
    (wants(shape, 'item:ReminderMinutesBeforeStart')
      ? `<t:ReminderMinutesBeforeStart>${d.reminderMinutesBeforeStart}</t:ReminderMinutesBeforeStart>`
      : '')
  );
}

/** CalendarItemType's own elements for a calendar item (an occurrence view included). */
export function renderCalendarFields(item: StoredItem, shape: ItemShape, lookup: Lookup): string {
  const cal = item.calendar;
  if (!cal || item.kind !== 'CalendarItem') return '';
  const d = detailsOf(cal);
  const parts: string[] = [];
  const add = (uri: string, xml: string) => {
    if (xml && wants(shape, uri)) parts.push(xml);
  };
  const organizer = item.calendar?.organizer ?? {
    name: item.mailbox.displayName,
    address: item.mailbox.address,
  };
  const type = d.occurrenceOf ? 'Occurrence' : d.recurrence ? 'RecurringMaster' : 'Single';
  const zone = zoneOf(cal);
  const state = (d.isMeeting ? 1 : 0) | (d.myResponseType !== 'Organizer' ? 2 : 0) | (d.isCancelled ? 4 : 0);
  add('calendar:UID', `<t:UID>${escapeXml(d.uid)}</t:UID>`);
  add('calendar:DateTimeStamp', `<t:DateTimeStamp>${date(item.created)}</t:DateTimeStamp>`);
  add('calendar:Start', `<t:Start>${date(cal.start)}</t:Start>`);
  add('calendar:End', `<t:End>${date(cal.end)}</t:End>`);
  add('calendar:IsAllDayEvent', `<t:IsAllDayEvent>${cal.isAllDayEvent}</t:IsAllDayEvent>`);
  add(
    'calendar:LegacyFreeBusyStatus',
    `<t:LegacyFreeBusyStatus>${d.legacyFreeBusyStatus}</t:LegacyFreeBusyStatus>`,
  );
  add('calendar:Location', cal.location ? `<t:Location>${escapeXml(cal.location)}</t:Location>` : '');
  add('calendar:IsMeeting', `<t:IsMeeting>${d.isMeeting}</t:IsMeeting>`);
  add('calendar:IsCancelled', `<t:IsCancelled>${d.isCancelled}</t:IsCancelled>`);
  add('calendar:IsRecurring', `<t:IsRecurring>${type === 'Occurrence'}</t:IsRecurring>`);
  add(
    'calendar:MeetingRequestWasSent',
    `<t:MeetingRequestWasSent>${d.meetingRequestWasSent}</t:MeetingRequestWasSent>`,
  );
  add('calendar:IsResponseRequested', `<t:IsResponseRequested>${d.isMeeting}</t:IsResponseRequested>`);
  add('calendar:CalendarItemType', `<t:CalendarItemType>${type}</t:CalendarItemType>`);
  add('calendar:MyResponseType', `<t:MyResponseType>${d.myResponseType}</t:MyResponseType>`);
  add('calendar:Organizer', `<t:Organizer>${mailbox(organizer, lookup)}</t:Organizer>`);
  add('calendar:RequiredAttendees', attendees('RequiredAttendees', cal.requiredAttendees, lookup));
  add('calendar:OptionalAttendees', attendees('OptionalAttendees', cal.optionalAttendees, lookup));
  add('calendar:Resources', attendees('Resources', d.resources, lookup));
  add(
    'calendar:Duration',
    `<t:Duration>${durationXml(cal.end.getTime() - cal.start.getTime())}</t:Duration>`,
  );
  add('calendar:TimeZone', d.timeZone ? `<t:TimeZone>${escapeXml(d.timeZone)}</t:TimeZone>` : '');
  add(
    'calendar:AppointmentSequenceNumber',
    `<t:AppointmentSequenceNumber>${d.sequence}</t:AppointmentSequenceNumber>`,
  );
  add('calendar:AppointmentState', `<t:AppointmentState>${state}</t:AppointmentState>`);
  if (d.recurrence && type === 'RecurringMaster') {
    add('calendar:Recurrence', recurrenceXml(d.recurrence));
    const last = lastOccurrence(d.recurrence, cal.start, cal.end, zone);
    add(
      'calendar:FirstOccurrence',
      `<t:FirstOccurrence><t:ItemId Id="${item.id}"/><t:Start>${date(cal.start)}</t:Start>` +
        `<t:End>${date(cal.end)}</t:End><t:OriginalStart>${date(cal.start)}</t:OriginalStart></t:FirstOccurrence>`,
    );
    if (last) {
      add(
        'calendar:LastOccurrence',
        `<t:LastOccurrence><t:ItemId Id="${item.id}"/><t:Start>${date(last.start)}</t:Start>` +
          `<t:End>${date(last.end)}</t:End><t:OriginalStart>${date(last.start)}</t:OriginalStart></t:LastOccurrence>`,
      );
    }
  }
  const tzId = d.timeZone && ianaZone(d.timeZone) ? d.timeZone : undefined;
  add('calendar:StartTimeZoneId', tzId ? `<t:StartTimeZoneId>${escapeXml(tzId)}</t:StartTimeZoneId>` : '');
  add('calendar:EndTimeZoneId', tzId ? `<t:EndTimeZoneId>${escapeXml(tzId)}</t:EndTimeZoneId>` : '');
  add('calendar:IsOrganizer', `<t:IsOrganizer>${d.myResponseType === 'Organizer'}</t:IsOrganizer>`);
  return parts.join('');
}

/** t:MeetingRequest / t:MeetingCancellation for meeting messages; undefined for everything else. */
export function meetingTag(item: StoredItem): string | undefined {
  if (item.kind !== 'Message' || !item.calendar) return undefined;
  if (item.itemClass.startsWith('IPM.Schedule.Meeting.Request')) return 'MeetingRequest';
  if (item.itemClass.startsWith('IPM.Schedule.Meeting.Canceled')) return 'MeetingCancellation';
  return undefined;
}

/** MeetingMessageType's and the request's / cancellation's own elements, after MessageType's. */
export function renderMeetingFields(item: StoredItem, shape: ItemShape): string {
  const tag = meetingTag(item);
  const cal = item.calendar;
  if (!tag || !cal) return '';
  const d = detailsOf(cal);
  const parts: string[] = [];
  const add = (uri: string, xml: string) => {
    if (xml && wants(shape, uri)) parts.push(xml);
  };
  if (d.associatedItemId) {
    add('meeting:AssociatedCalendarItemId', `<t:AssociatedCalendarItemId Id="${d.associatedItemId}"/>`);
  }
  add('meeting:UID', `<t:UID>${escapeXml(d.uid)}</t:UID>`);
  if (tag === 'MeetingRequest') {
    add(
      'meetingRequest:MeetingRequestType',
      `<t:MeetingRequestType>${d.sequence > 0 ? 'FullUpdate' : 'NewMeetingRequest'}</t:MeetingRequestType>`,
    );
    add(
      'meetingRequest:IntendedFreeBusyStatus',
      `<t:IntendedFreeBusyStatus>${d.legacyFreeBusyStatus}</t:IntendedFreeBusyStatus>`,
    );
  }
  add('calendar:Start', `<t:Start>${date(cal.start)}</t:Start>`);
  add('calendar:End', `<t:End>${date(cal.end)}</t:End>`);
  add('calendar:Location', cal.location ? `<t:Location>${escapeXml(cal.location)}</t:Location>` : '');
  return parts.join('');
}
