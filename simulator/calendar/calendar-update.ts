/**
 * UpdateItem on a calendar item's own fields (calendar:Start, End, Location, IsAllDayEvent, LegacyFreeBusyStatus,
 * attendees, Recurrence, time zones, and the reminder): Set and Delete where Exchange allows them. The planned
 * change plugs into update-item.ts like the contact and task ones.
 */
import type { Element } from '@xmldom/xmldom';
import type { CalendarFields, StoredItem } from '../model';
import { attr, escapeXml } from '../ews/xml';
import { detailsOf, parseCalendarItem } from './calendar-fields';
import { changeValueHolder, invalidPropertyChange } from '../ews/update-change';

interface CalendarRule {
  element: string;
  set: (target: CalendarFields, value: CalendarFields) => void;
  clear?: (target: CalendarFields) => void;
}

const RULES: Record<string, CalendarRule> = {
  'calendar:Start': { element: 'Start', set: (t, v) => (t.start = v.start) },
  'calendar:End': { element: 'End', set: (t, v) => (t.end = v.end) },
  'calendar:Location': {
    element: 'Location',
    set: (t, v) => (t.location = v.location),
    clear: (t) => (t.location = ''),
  },
  'calendar:IsAllDayEvent': { element: 'IsAllDayEvent', set: (t, v) => (t.isAllDayEvent = v.isAllDayEvent) },
  'calendar:LegacyFreeBusyStatus': {
    element: 'LegacyFreeBusyStatus',
    set: (t, v) => (detailsOf(t).legacyFreeBusyStatus = detailsOf(v).legacyFreeBusyStatus),
  },
  'calendar:RequiredAttendees': {
    element: 'RequiredAttendees',
    set: (t, v) => (t.requiredAttendees = v.requiredAttendees),
    clear: (t) => (t.requiredAttendees = []),
  },
  'calendar:OptionalAttendees': {
    element: 'OptionalAttendees',
    set: (t, v) => (t.optionalAttendees = v.optionalAttendees),
    clear: (t) => (t.optionalAttendees = []),
  },
  'calendar:Resources': {
    element: 'Resources',
    set: (t, v) => (detailsOf(t).resources = detailsOf(v).resources),
    clear: (t) => (detailsOf(t).resources = []),
  },
  'calendar:Recurrence': {
    element: 'Recurrence',
    set: (t, v) => (detailsOf(t).recurrence = detailsOf(v).recurrence),
    clear: (t) => (detailsOf(t).recurrence = undefined),
  },
  'calendar:StartTimeZone': {
    element: 'StartTimeZone',
    set: (t, v) => (detailsOf(t).timeZone = detailsOf(v).timeZone),
  },
  'calendar:EndTimeZone': { element: 'EndTimeZone', set: () => undefined },
  'calendar:MeetingTimeZone': {
    element: 'MeetingTimeZone',
    set: (t, v) => (detailsOf(t).timeZone = detailsOf(v).timeZone),
  },
  'item:ReminderIsSet': {
    element: 'ReminderIsSet',
    set: (t, v) => (detailsOf(t).reminderIsSet = detailsOf(v).reminderIsSet),
  },
  'item:ReminderMinutesBeforeStart': {
    element: 'ReminderMinutesBeforeStart',
    set: (t, v) => (detailsOf(t).reminderMinutesBeforeStart = detailsOf(v).reminderMinutesBeforeStart),
  },
};

/** The change for a calendar:* (or a calendar item's reminder) path; undefined for other paths. */
export function planCalendarChange(
  change: Element,
  path: Element,
  item: StoredItem,
): { field: string; apply: (item: StoredItem) => void } | undefined {
  const uri = attr(path, 'FieldURI') ?? '';
  const isCalendarPath =
    uri.startsWith('calendar:') || (item.kind === 'CalendarItem' && uri.startsWith('item:Reminder'));
  if (!isCalendarPath || path.localName !== 'FieldURI') return undefined;
  const pathXml = `<t:FieldURI FieldURI="${escapeXml(uri)}"/>`;
  const rule = item.kind === 'CalendarItem' && item.calendar ? RULES[uri] : undefined;
  const action = change.localName;
  if (!rule || action === 'AppendToItemField' || (action === 'DeleteItemField' && !rule.clear)) {
    throw invalidPropertyChange(action, 'This property cannot be changed this way on this item.', pathXml);
  }
  if (action === 'DeleteItemField') {
    const clear = rule.clear;
    return { field: uri, apply: (i) => i.calendar && clear?.(i.calendar) };
  }
  const holder = changeValueHolder(change, change.localName ?? '', rule.element, pathXml);
  const value = parseCalendarItem(holder);
  return { field: uri, apply: (i) => i.calendar && rule.set(i.calendar, value) };
}
