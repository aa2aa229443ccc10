/**
 * ItemKind → the zod schema of that kind's fields (the `fields` of a create or update payload). The schemas live
 * with their kind (appointment-fields-schema.ts, contact-fields-schema.ts, task-fields-schema.ts): strict
 * objects, every key optional, so one schema serves create and update. Typed against the gateway's field types,
 * so a schema that drifts from worker/exchange/<kind>-fields.ts does not compile.
 */
import type { z } from 'zod';
import type { StartedJob } from '../db/store';
import type { AppointmentFields } from '../exchange/appointment-fields';
import type { ContactFields } from '../exchange/contact-fields';
import type { ItemFields, ItemKind } from '../exchange/gateway';
import type { TaskFields } from '../exchange/task-fields';
import { appointmentFieldsSchema } from './appointment-fields-schema';
import { contactFieldsSchema } from './contact-fields-schema';
import { parseJobPayload } from './job-input';
import { taskFieldsSchema } from './task-fields-schema';

export const ITEM_FIELD_SCHEMAS: {
  appointment: z.ZodType<AppointmentFields>;
  contact: z.ZodType<ContactFields>;
  task: z.ZodType<TaskFields>;
} = {
  appointment: appointmentFieldsSchema,
  contact: contactFieldsSchema,
  task: taskFieldsSchema,
};

function parseWith<T>(schema: z.ZodType<T>, value: unknown, job: StartedJob): T {
  return parseJobPayload(schema, value, job.kind, job.jobId, 'fields');
}

/** The payload's `fields` as the gateway's ItemFields of that kind; RcError('payload_invalid') when they do not fit. */
export function parseItemFields(kind: ItemKind, value: unknown, job: StartedJob): ItemFields {
  switch (kind) {
    case 'appointment':
      return { kind, fields: parseWith(ITEM_FIELD_SCHEMAS.appointment, value, job) };
    case 'contact':
      return { kind, fields: parseWith(ITEM_FIELD_SCHEMAS.contact, value, job) };
    case 'task':
      return { kind, fields: parseWith(ITEM_FIELD_SCHEMAS.task, value, job) };
  }
}
