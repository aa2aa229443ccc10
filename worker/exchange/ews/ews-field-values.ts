/**
 * Field values shared by the contact and task kinds (ews-contact.ts, ews-task.ts): calendar dates and instants as
 * ews-javascript-api DateTimes, and categories. Strings are XML-escaped here (xml-escape.ts).
 */
import { DateTime, DateTimeKind, StringList, type Item } from 'ews-javascript-api';
import { xmlEscape } from './xml-escape';

/**
 * A calendar date 'YYYY-MM-DD' as midnight UTC — how a date-only property (birthday, a task's start and due date)
 * travels in EWS's xs:dateTime; ews-javascript-api writes a UTC DateTime unchanged ('…T00:00:00.000Z').
 */
export function ewsDate(date: string): DateTime {
  return new DateTime(Date.parse(`${date}T00:00:00Z`), DateTimeKind.Utc);
}

/** An instant with offset ('2026-05-03T07:30:00Z') as a UTC DateTime. */
export function ewsInstant(instant: string): DateTime {
  return new DateTime(Date.parse(instant), DateTimeKind.Utc);
}

/**
 * A DateTime for a date-time property of a contact or task (Birthday, StartDate, DueDate, ReminderDueBy): the
 * instant with DateTimeKind.Unspecified. Those properties are written through DateTimePropertyDefinition, which
 * re-reads every value as Unspecified and converts it from the service's time zone to UTC; TimeZoneInfo.ConvertTime
 * refuses a Utc-kind value whose source zone is not UTC ("DateTime Kind mismatch"), and for an Unspecified one
 * keeps the instant (moment's tz() only changes the display zone). So the instant arrives unchanged whatever the
 * worker's own time zone is.
 */
export function ewsPropertyInstant(instant: string): DateTime {
  return new DateTime(Date.parse(instant));
}

/** A calendar date 'YYYY-MM-DD' for such a property: midnight UTC (see ewsPropertyInstant). */
export function ewsPropertyDate(date: string): DateTime {
  return ewsPropertyInstant(`${date}T00:00:00Z`);
}

/**
 * Sets the item's categories; [] on an existing item deletes them (DeleteItemField item:Categories), on a new
 * item sets none.
 */
export function setCategories(item: Item, categories: string[]): void {
  if (categories.length > 0) item.Categories = new StringList(categories.map(xmlEscape));
  else if (!item.IsNew) item.Categories = null as unknown as StringList;
}
