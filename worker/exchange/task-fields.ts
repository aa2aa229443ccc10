/**
 * A task's fields as the gateway takes them (protocol-neutral): the `fields` of a CreateTask / UpdateTask payload,
 * written by rc_internal_TaskFields / rc.fn_taskfields. Dates are calendar dates ('YYYY-MM-DD'); the reminder is
 * an instant ('YYYY-MM-DDThh:mm:ssZ').
 *
 * Create: every key present. Update: only the keys to change; null clears a clearable field (dates, reminder);
 * body '' empties the body, categories [] removes them. Status and percentComplete arrive consistent (Completed ⇔
 * 100, NotStarted ⇒ 0); on an update one of them may come alone and Exchange adjusts the other.
 */
import type { BodyType, Importance } from './gateway';

export type TaskStatus = 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';

export interface TaskFields {
  subject?: string;
  body?: string;
  /** The body's format; an update carries it together with body. */
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
