/**
 * Appointments for the generic EWS item operations (ews-items.ts): AppointmentFields → an ews-javascript-api
 * Appointment.
 *
 * Times: start/end are instants. ews-javascript-api 0.15.3 scopes an appointment's Start/End to its
 * StartTimeZone (ScopedDateTimePropertyDefinition) and refuses a DateTimeKind.Utc value there ("Invalid date and
 * time": kind mismatch with the zone); an Unspecified DateTime built from the instant works, because this port's
 * conversion only re-zones the underlying moment — the instant itself never changes, and it is written in UTC
 * ('2026-03-29T07:00:00.000+00:00'). StartTimeZone/EndTimeZone carry the Windows id; Exchange lays recurrences and all-day events out in that zone, and the instants stay what SQL
 * computed, across DST changes and whichever spelling the caller used. The library knows most Windows ids
 * (TimeZoneInfo.FindSystemTimeZoneById); for the few CLDR ids it lacks, a custom TimeZoneInfo with that id is
 * sent — Exchange resolves zones by Id.
 *
 * On a new appointment every non-null field is set; on an existing one (an object carrying only the ItemId, see
 * ews-items.ts) only the fields present change: a value → SetItemField, null / [] → DeleteItemField. Reminder: null
 * switches it off on both. Recurrence dates are written as xs:date ('2026-03-29+00:00').
 */
import {
  Appointment,
  BodyType,
  AppointmentSchema,
  DateTime,
  DayOfTheWeek,
  DayOfTheWeekIndex,
  LegacyFreeBusyStatus,
  MessageBody,
  Recurrence as EwsRecurrence,
  Sensitivity,
  TimeSpan,
  TimeZoneInfo,
  WellKnownFolderName,
  type AttendeeCollection,
  type PropertyDefinition,
} from 'ews-javascript-api';
import { RcError } from '../../errors';
import type { AppointmentFields, DayOfWeek, Recurrence, RecurrencePattern } from '../appointment-fields';
import { ewsDate, setCategories } from './ews-field-values';
import type { EwsItemKind } from './ews-item-kind';
import { xmlEscape } from './xml-escape';

/** What ews-javascript-api keeps private in its typings but deleting a collection on update needs. */
interface PropertyBagSetter {
  _setItem(property: PropertyDefinition, value: unknown): void;
}

type AttendeeProperty = 'RequiredAttendees' | 'OptionalAttendees' | 'Resources';

const LISTS: Array<['requiredAttendees' | 'optionalAttendees' | 'resources', AttendeeProperty]> = [
  ['requiredAttendees', 'RequiredAttendees'],
  ['optionalAttendees', 'OptionalAttendees'],
  ['resources', 'Resources'],
];

const zones = new Map<string, TimeZoneInfo>();

/** The TimeZoneInfo Exchange gets for a Windows id (cached; ids the library lacks get a custom zone). */
export function ewsTimeZone(windowsId: string): TimeZoneInfo {
  let zone = zones.get(windowsId);
  if (!zone) {
    try {
      zone = TimeZoneInfo.FindSystemTimeZoneById(windowsId);
    } catch {
      const id = xmlEscape(windowsId);
      zone = TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.Zero, id, id);
    }
    zones.set(windowsId, zone);
  }
  return zone;
}

/** An instant for Start/End: DateTimeKind.Unspecified on purpose (see the header). */
export function appointmentTime(instant: string): DateTime {
  return new DateTime(Date.parse(instant));
}

function day(name: DayOfWeek): DayOfTheWeek {
  return DayOfTheWeek[name];
}

/** The ews-javascript-api pattern for a recurrence, its range applied. */
export function ewsRecurrence(recurrence: Recurrence): EwsRecurrence {
  const start = ewsDate(recurrence.range.startDate);
  const pattern = ewsPattern(recurrence.pattern, start);
  const range = recurrence.range;
  switch (range.type) {
    case 'endDate':
      pattern.EndDate = ewsDate(range.endDate);
      break;
    case 'numbered':
      pattern.NumberOfOccurrences = range.numberOfOccurrences;
      break;
    case 'noEnd':
      pattern.NeverEnds();
      break;
  }
  return pattern;
}

function ewsPattern(pattern: RecurrencePattern, start: DateTime): EwsRecurrence {
  switch (pattern.type) {
    case 'daily': {
      const daily = new EwsRecurrence.DailyPattern();
      daily.Interval = pattern.interval;
      return starting(daily, start);
    }
    case 'weekly': {
      const weekly = new EwsRecurrence.WeeklyPattern();
      weekly.Interval = pattern.interval;
      for (const name of pattern.daysOfWeek) weekly.DaysOfTheWeek.Add(day(name));
      // FirstDayOfWeek is a System.DayOfWeek (not exported), numbered Sunday..Saturday like DayOfTheWeek.
      if (pattern.firstDayOfWeek) {
        weekly.FirstDayOfWeek = day(pattern.firstDayOfWeek) as number as typeof weekly.FirstDayOfWeek;
      }
      return starting(weekly, start);
    }
    case 'absoluteMonthly': {
      const monthly = new EwsRecurrence.MonthlyPattern();
      monthly.Interval = pattern.interval;
      monthly.DayOfMonth = pattern.dayOfMonth;
      return starting(monthly, start);
    }
    case 'relativeMonthly': {
      const monthly = new EwsRecurrence.RelativeMonthlyPattern();
      monthly.Interval = pattern.interval;
      monthly.DayOfTheWeek = day(onlyDay(pattern.daysOfWeek));
      monthly.DayOfTheWeekIndex = DayOfTheWeekIndex[pattern.index];
      return starting(monthly, start);
    }
    case 'absoluteYearly': {
      const yearly = new EwsRecurrence.YearlyPattern();
      yearly.Month = pattern.month;
      yearly.DayOfMonth = pattern.dayOfMonth;
      return starting(yearly, start);
    }
    case 'relativeYearly': {
      const yearly = new EwsRecurrence.RelativeYearlyPattern();
      yearly.Month = pattern.month;
      yearly.DayOfTheWeek = day(onlyDay(pattern.daysOfWeek));
      yearly.DayOfTheWeekIndex = DayOfTheWeekIndex[pattern.index];
      return starting(yearly, start);
    }
  }
}

function starting<T extends EwsRecurrence>(pattern: T, start: DateTime): T {
  pattern.StartDate = start;
  return pattern;
}

/** EWS's relative patterns name one day (t:DaysOfWeek is a single value there). */
function onlyDay(days: DayOfWeek[]): DayOfWeek {
  if (days.length !== 1) {
    throw new RcError('payload_invalid', `A relative recurrence needs exactly one day, not ${days.length}.`);
  }
  return days[0] as DayOfWeek;
}

function bag(appointment: Appointment): PropertyBagSetter {
  return (appointment as unknown as { PropertyBag: PropertyBagSetter }).PropertyBag;
}

function setAttendees(appointment: Appointment, property: AttendeeProperty, list: string[]): void {
  if (list.length === 0) {
    // A new appointment simply has none; an existing one loses the list (DeleteItemField).
    if (!appointment.IsNew) bag(appointment)._setItem(AppointmentSchema[property], null);
    return;
  }
  const collection: AttendeeCollection = appointment[property];
  collection.Clear();
  for (const address of list) collection.Add(xmlEscape(address));
}

export function applyAppointmentFields(appointment: Appointment, fields: AppointmentFields): void {
  const isNew = appointment.IsNew;
  // A new appointment gets only what is set; an existing one also loses what is null.
  const given = <T>(value: T | null | undefined): value is T | null =>
    value !== undefined && (value !== null || !isNew);

  if (fields.subject !== undefined) appointment.Subject = xmlEscape(fields.subject);
  if (fields.body !== undefined) {
    appointment.Body = new MessageBody(
      fields.bodyType === 'HTML' ? BodyType.HTML : BodyType.Text,
      xmlEscape(fields.body),
    );
  }
  if (fields.timeZone !== undefined) {
    const zone = ewsTimeZone(fields.timeZone);
    appointment.StartTimeZone = zone;
    appointment.EndTimeZone = zone;
  }
  if (fields.start !== undefined) appointment.Start = appointmentTime(fields.start);
  if (fields.end !== undefined) appointment.End = appointmentTime(fields.end);
  if (fields.isAllDay !== undefined) appointment.IsAllDayEvent = fields.isAllDay;
  if (given(fields.location)) {
    appointment.Location =
      fields.location === null ? (null as unknown as string) : xmlEscape(fields.location);
  }
  if (fields.showAs !== undefined) appointment.LegacyFreeBusyStatus = LegacyFreeBusyStatus[fields.showAs];
  if (fields.sensitivity !== undefined) appointment.Sensitivity = Sensitivity[fields.sensitivity];
  if (fields.reminderMinutes !== undefined) {
    // null = no reminder, also on a new appointment (Exchange would otherwise set its 15-minute default).
    appointment.IsReminderSet = fields.reminderMinutes !== null;
    if (fields.reminderMinutes !== null) appointment.ReminderMinutesBeforeStart = fields.reminderMinutes;
  }
  if (fields.categories !== undefined) setCategories(appointment, fields.categories);
  for (const [key, property] of LISTS) {
    const list = fields[key];
    if (list !== undefined) setAttendees(appointment, property, list);
  }
  if (given(fields.recurrence)) {
    appointment.Recurrence =
      fields.recurrence === null ? (null as unknown as EwsRecurrence) : ewsRecurrence(fields.recurrence);
  }
}

export const ewsAppointment: EwsItemKind<Appointment, AppointmentFields> = {
  kind: 'appointment',
  defaultFolder: WellKnownFolderName.Calendar,
  folderClass: 'IPF.Appointment',
  newItem: (service) => new Appointment(service),
  applyFields: (appointment, fields) => applyAppointmentFields(appointment, fields),
};
