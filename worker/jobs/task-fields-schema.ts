/**
 * The zod schema of a task's `fields` in a CreateTask / UpdateTask payload (worker/exchange/task-fields.ts): strict,
 * every key optional, so one schema serves create (every key) and update (the changed keys). The SQL helpers
 * already validated the values; this catches a payload written by anything else.
 */
import { z } from 'zod';
import type { TaskFields } from '../exchange/task-fields';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .nullable()
  .optional();

export const taskFieldsSchema: z.ZodType<TaskFields> = z
  .object({
    subject: z.string().optional(),
    body: z.string().optional(),
    bodyType: z.enum(['HTML', 'Text']).optional(),
    startDate: isoDate,
    dueDate: isoDate,
    status: z.enum(['NotStarted', 'InProgress', 'Completed', 'WaitingOnOthers', 'Deferred']).optional(),
    percentComplete: z.number().int().min(0).max(100).optional(),
    importance: z.enum(['Low', 'Normal', 'High']).optional(),
    reminderAt: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
        'must be an ISO instant with offset',
      )
      .nullable()
      .optional(),
    categories: z.array(z.string()).optional(),
  })
  .strict();
