/**
 * The zod schema of an appointment's `fields` in a CreateAppointment / UpdateAppointment payload
 * (worker/exchange/appointment-fields.ts): strict, every key optional, so one schema serves create (every key)
 * and update (the changed keys). The SQL helpers already validated the values; this catches a payload written by
 * anything else.
 */
import { z } from 'zod';
import type { AppointmentFields } from '../exchange/appointment-fields';
import { windowsZoneId } from '../exchange/time-zones';

const day = z.enum(['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']);
const weekIndex = z.enum(['First', 'Second', 'Third', 'Fourth', 'Last']);
const interval = z.number().int().min(1).max(999);
/** Relative patterns name one day: EWS's t:DaysOfWeek holds a single value there. */
const oneDay = z.array(day).length(1);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** An instant with its offset ('2026-03-29T07:00:00Z', '2026-03-29T09:00:00+02:00'). */
const instant = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    'must be an ISO instant with offset',
  );
const address = z.string().min(1);

const pattern = z.discriminatedUnion('type', [
  z.object({ type: z.literal('daily'), interval }).strict(),
  z
    .object({
      type: z.literal('weekly'),
      interval,
      daysOfWeek: z.array(day).min(1).max(7),
      firstDayOfWeek: day.optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('absoluteMonthly'), interval, dayOfMonth: z.number().int().min(1).max(31) })
    .strict(),
  z
    .object({
      type: z.literal('relativeMonthly'),
      interval,
      daysOfWeek: oneDay,
      index: weekIndex,
    })
    .strict(),
  z
    .object({
      type: z.literal('absoluteYearly'),
      month: z.number().int().min(1).max(12),
      dayOfMonth: z.number().int().min(1).max(31),
    })
    .strict(),
  z
    .object({
      type: z.literal('relativeYearly'),
      month: z.number().int().min(1).max(12),
      daysOfWeek: oneDay,
      index: weekIndex,
    })
    .strict(),
]);

const range = z.discriminatedUnion('type', [
  z.object({ type: z.literal('endDate'), startDate: date, endDate: date }).strict(),
  z
    .object({
      type: z.literal('numbered'),
      startDate: date,
      numberOfOccurrences: z.number().int().min(1).max(999),
    })
    .strict(),
  z.object({ type: z.literal('noEnd'), startDate: date }).strict(),
]);

export const appointmentFieldsSchema: z.ZodType<AppointmentFields> = z
  .object({
    subject: z.string().optional(),
    body: z.string().optional(),
    bodyType: z.enum(['HTML', 'Text']).optional(),
    start: instant.optional(),
    end: instant.optional(),
    /** The Windows id exactly as rc.TimeZones spells it (the procedures map IANA ids to it). */
    timeZone: z
      .string()
      .refine((id) => windowsZoneId(id) === id, 'must be a Windows time zone id (rc.TimeZones)')
      .optional(),
    isAllDay: z.boolean().optional(),
    location: z.string().nullable().optional(),
    showAs: z.enum(['Free', 'Tentative', 'Busy', 'OOF', 'WorkingElsewhere']).optional(),
    sensitivity: z.enum(['Normal', 'Personal', 'Private', 'Confidential']).optional(),
    reminderMinutes: z.number().int().min(0).max(40320).nullable().optional(),
    categories: z.array(z.string()).optional(),
    requiredAttendees: z.array(address).optional(),
    optionalAttendees: z.array(address).optional(),
    resources: z.array(address).optional(),
    recurrence: z.object({ pattern, range }).strict().nullable().optional(),
  })
  .strict()
  .refine((f) => f.start === undefined || f.end === undefined || Date.parse(f.end) > Date.parse(f.start), {
    message: 'end must be after start',
    path: ['end'],
  });
