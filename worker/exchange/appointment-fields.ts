/**
 * An appointment's fields as the gateway takes them (protocol-neutral). Times are instants: the SQL procedures
 * write them as UTC ('2026-03-29T07:00:00Z', milliseconds when not zero); any ISO offset is accepted. `timeZone` is
 * the Windows id Exchange uses ('W. Europe Standard Time'; the procedures map IANA ids to it, see time-zones.ts)
 * and decides how recurrences and all-day events are laid out. All-day events: `start`/`end` are the local
 * midnights in that zone (end exclusive). On update every field is optional (the time block start/end/timeZone/
 * isAllDay travels together); null clears a clearable field. Recurrence is Microsoft Graph's patternedRecurrence
 * shape with canonical casing; relative patterns carry exactly one day.
 */
import type { BodyType, Sensitivity } from './gateway';

export type ShowAs = 'Free' | 'Tentative' | 'Busy' | 'OOF' | 'WorkingElsewhere';
export type DayOfWeek = 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday';
export type WeekIndex = 'First' | 'Second' | 'Third' | 'Fourth' | 'Last';

export type RecurrencePattern =
  | { type: 'daily'; interval: number }
  | { type: 'weekly'; interval: number; daysOfWeek: DayOfWeek[]; firstDayOfWeek?: DayOfWeek }
  | { type: 'absoluteMonthly'; interval: number; dayOfMonth: number }
  | { type: 'relativeMonthly'; interval: number; daysOfWeek: DayOfWeek[]; index: WeekIndex }
  | { type: 'absoluteYearly'; month: number; dayOfMonth: number }
  | { type: 'relativeYearly'; month: number; daysOfWeek: DayOfWeek[]; index: WeekIndex };

export type RecurrenceRange =
  | { type: 'endDate'; startDate: string; endDate: string }
  | { type: 'numbered'; startDate: string; numberOfOccurrences: number }
  | { type: 'noEnd'; startDate: string };

export interface Recurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export interface AppointmentFields {
  subject?: string;
  body?: string;
  bodyType?: BodyType;
  start?: string;
  end?: string;
  timeZone?: string;
  isAllDay?: boolean;
  location?: string | null;
  showAs?: ShowAs;
  sensitivity?: Sensitivity;
  /** null → no reminder. */
  reminderMinutes?: number | null;
  categories?: string[];
  requiredAttendees?: string[];
  optionalAttendees?: string[];
  resources?: string[];
  /** null → a single appointment (removes a recurrence on update). */
  recurrence?: Recurrence | null;
}
