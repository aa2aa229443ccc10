/**
 * Reads a t:CalendarItem into the model's calendar sub-object: times (stored in UTC), time zone id, all-day flag,
 * free/busy, location, reminder, attendees, resources and recurrence. Schema-level checks (element order, enums)
 * are the request validator's; this keeps what the item says.
 */
import { randomBytes } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { CalendarFields, Recipient } from '../model';
import { EwsError } from '../ews/ews-error';
import { parseMailbox, simpleText } from '../ews/parse-message';
import { attr, childElement, childElements, TYPES_NS } from '../ews/xml';
import {
  MONTH_NAMES,
  PATTERN_TYPES,
  WEEK_INDEXES,
  type PatternType,
  type RangeType,
  type Recurrence,
} from './recurrence';
import { ianaZone } from './time-zones';

export type ResponseType =
  'Unknown' | 'Organizer' | 'Tentative' | 'Accept' | 'Decline' | 'NoResponseReceived';

export interface CalendarDetails {
  /** Shared by the organizer's item, the attendees' copies and the meeting messages. */
  uid: string;
  /** The time zone id as the client gave it (Windows or IANA), when it gave one. */
  timeZone?: string;
  legacyFreeBusyStatus: string;
  reminderIsSet: boolean;
  reminderMinutesBeforeStart: number;
  resources: Recipient[];
  recurrence?: Recurrence;
  isMeeting: boolean;
  isCancelled: boolean;
  meetingRequestWasSent: boolean;
  myResponseType: ResponseType;
  sequence: number;
  /** Set on the view of one occurrence of a recurring master. */
  occurrenceOf?: string;
  /** On meeting messages: the attendee's calendar item the message belongs to. */
  associatedItemId?: string;
}

export function newUid(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** xs:dateTime → Date; a value without an offset is taken as UTC. */
export function parseDateTime(text: string): Date {
  const trimmed = text.trim();
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(trimmed) ? trimmed : `${trimmed}Z`;
  const date = new Date(zoned);
  if (Number.isNaN(date.getTime())) {
    throw new EwsError('ErrorInvalidRequest', `The date/time value '${trimmed}' is invalid.`);
  }
  return date;
}

function text(el: Element, name: string): string | undefined {
  const child = childElement(el, name, TYPES_NS);
  return child ? simpleText(child).trim() : undefined;
}

function attendees(el: Element | undefined): Recipient[] {
  if (!el) return [];
  return childElements(el, 'Attendee', TYPES_NS).flatMap((a) => {
    const mailbox = childElement(a, 'Mailbox', TYPES_NS);
    return mailbox ? [parseMailbox(mailbox)] : [];
  });
}

function parseRecurrence(el: Element): Recurrence {
  const [patternEl, rangeEl] = childElements(el, undefined, TYPES_NS);
  if (!patternEl || !rangeEl || !PATTERN_TYPES.includes(patternEl.localName as PatternType)) {
    throw new EwsError('ErrorCalendarInvalidRecurrence', 'The recurrence pattern is invalid.');
  }
  const days = text(patternEl, 'DaysOfWeek');
  const dayOfMonth = text(patternEl, 'DayOfMonth');
  const index = text(patternEl, 'DayOfWeekIndex');
  const month = text(patternEl, 'Month');
  const interval = Number(text(patternEl, 'Interval') ?? '1');
  if (!Number.isInteger(interval) || interval < 1) {
    throw new EwsError('ErrorCalendarInvalidRecurrence', 'The recurrence interval must be at least 1.');
  }
  const recurrence: Recurrence = {
    pattern: {
      type: patternEl.localName as PatternType,
      interval,
      daysOfWeek: days ? days.split(/\s+/).filter(Boolean) : [],
      firstDayOfWeek: text(patternEl, 'FirstDayOfWeek'),
      dayOfMonth: dayOfMonth ? Number(dayOfMonth) : undefined,
      dayOfWeekIndex: WEEK_INDEXES.find((w) => w === index),
      month: MONTH_NAMES.find((m) => m === month),
    },
    range: {
      type: rangeEl.localName as RangeType,
      startDate: (text(rangeEl, 'StartDate') ?? '').slice(0, 10),
      endDate: text(rangeEl, 'EndDate')?.slice(0, 10),
    },
  };
  const count = text(rangeEl, 'NumberOfOccurrences');
  if (count !== undefined) recurrence.range.numberOfOccurrences = Number(count);
  if (recurrence.pattern.type === 'WeeklyRecurrence' && recurrence.pattern.daysOfWeek.length === 0) {
    throw new EwsError('ErrorCalendarInvalidRecurrence', 'A weekly recurrence needs DaysOfWeek.');
  }
  if (!/^\d{4}-\d\d-\d\d$/.test(recurrence.range.startDate)) {
    throw new EwsError('ErrorCalendarInvalidRecurrence', 'The recurrence range needs a StartDate.');
  }
  return recurrence;
}

/** The time zone id a calendar item names (StartTimeZone Id, MeetingTimeZone TimeZoneName), if any. */
function timeZoneOf(el: Element): string | undefined {
  const start = childElement(el, 'StartTimeZone', TYPES_NS);
  const meeting = childElement(el, 'MeetingTimeZone', TYPES_NS);
  const id = (start && attr(start, 'Id')) ?? (meeting && attr(meeting, 'TimeZoneName'));
  return id || undefined;
}

/** The calendar fields a t:CalendarItem carries; missing ones get Exchange's defaults. */
export function parseCalendarItem(el: Element): CalendarFields {
  const startText = text(el, 'Start');
  const endText = text(el, 'End');
  const start = startText ? parseDateTime(startText) : new Date();
  const end = endText ? parseDateTime(endText) : new Date(start.getTime() + 30 * 60_000);
  const reminderIsSet = text(el, 'ReminderIsSet');
  const minutes = text(el, 'ReminderMinutesBeforeStart');
  const recurrenceEl = childElement(el, 'Recurrence', TYPES_NS);
  const allDay = text(el, 'IsAllDayEvent');
  return {
    start,
    end,
    isAllDayEvent: allDay === 'true' || allDay === '1',
    location: text(el, 'Location') ?? '',
    requiredAttendees: attendees(childElement(el, 'RequiredAttendees', TYPES_NS)),
    optionalAttendees: attendees(childElement(el, 'OptionalAttendees', TYPES_NS)),
    details: {
      uid: text(el, 'UID') ?? newUid(),
      timeZone: timeZoneOf(el),
      legacyFreeBusyStatus: text(el, 'LegacyFreeBusyStatus') ?? 'Busy',
      reminderIsSet: reminderIsSet === undefined ? true : reminderIsSet === 'true' || reminderIsSet === '1',
      reminderMinutesBeforeStart: minutes !== undefined ? Number(minutes) : 15,
      resources: attendees(childElement(el, 'Resources', TYPES_NS)),
      recurrence: recurrenceEl ? parseRecurrence(recurrenceEl) : undefined,
      isMeeting: false,
      isCancelled: false,
      meetingRequestWasSent: false,
      myResponseType: 'Organizer',
      sequence: 0,
    },
  };
}

/** Details of a calendar sub-object, filled in for items that were stored without them. */
export function detailsOf(calendar: CalendarFields): CalendarDetails {
  calendar.details ??= {
    uid: newUid(),
    legacyFreeBusyStatus: 'Busy',
    reminderIsSet: true,
    reminderMinutesBeforeStart: 15,
    resources: [],
    isMeeting: false,
    isCancelled: false,
    meetingRequestWasSent: false,
    myResponseType: 'Organizer',
    sequence: 0,
  };
  return calendar.details;
}

/** The IANA zone recurrence expands in: the item's own zone, else UTC. */
export function zoneOf(calendar: CalendarFields): string {
  return ianaZone(calendar.details?.timeZone) ?? 'UTC';
}
