/**
 * A task's fields as the gateway takes them (protocol-neutral). Dates are calendar dates ('YYYY-MM-DD');
 * the reminder is an instant with offset. On update every field is optional; null clears a clearable field.
 */
import type { BodyType, Importance } from './gateway';

export type TaskStatus = 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';

export interface TaskFields {
  subject?: string;
  body?: string;
  bodyType?: BodyType;
  startDate?: string | null;
  dueDate?: string | null;
  status?: TaskStatus;
  percentComplete?: number;
  importance?: Importance;
  /** Reminder moment; null → no reminder. */
  reminderAt?: string | null;
  categories?: string[];
}
