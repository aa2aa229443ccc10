/**
 * Tasks for the generic EWS item operations (ews-items.ts): TaskFields → an ews-javascript-api Task.
 *
 * On a new task every non-null field is set; on an existing one (an object carrying only the ItemId) only the
 * fields present change, null → DeleteItemField (dates) or no reminder. PercentComplete is set before Status: an
 * UpdateItem applies its changes in order and Exchange couples the two (100 % ⇔ Completed, a percentage moves a
 * NotStarted task to InProgress, NotStarted resets it to 0 %), so the status given last is the one that stands;
 * the SQL API only sends consistent pairs. The reminder is the item's ReminderDueBy plus ReminderIsSet.
 */
import {
  BodyType,
  Importance,
  MessageBody,
  Task,
  TaskStatus,
  WellKnownFolderName,
  type DateTime,
} from 'ews-javascript-api';
import type { TaskFields } from '../task-fields';
import { ewsPropertyDate, ewsPropertyInstant, setCategories } from './ews-field-values';
import type { EwsItemKind } from './ews-item-kind';
import { xmlEscape } from './xml-escape';

const STATUS: Record<NonNullable<TaskFields['status']>, TaskStatus> = {
  NotStarted: TaskStatus.NotStarted,
  InProgress: TaskStatus.InProgress,
  Completed: TaskStatus.Completed,
  WaitingOnOthers: TaskStatus.WaitingOnOthers,
  Deferred: TaskStatus.Deferred,
};

const IMPORTANCE: Record<NonNullable<TaskFields['importance']>, Importance> = {
  Low: Importance.Low,
  Normal: Importance.Normal,
  High: Importance.High,
};

/** null (clear) as the library's typings do not admit it. */
const CLEARED = null as unknown as DateTime;

function applyTaskFields(task: Task, fields: TaskFields): void {
  const isNew = task.IsNew;
  if (fields.subject !== undefined) task.Subject = xmlEscape(fields.subject);
  if (fields.body !== undefined) {
    const type = fields.bodyType === 'HTML' ? BodyType.HTML : BodyType.Text;
    task.Body = new MessageBody(type, xmlEscape(fields.body));
  }
  for (const [key, property] of [
    ['startDate', 'StartDate'],
    ['dueDate', 'DueDate'],
  ] as const) {
    const value = fields[key];
    if (value === undefined || (value === null && isNew)) continue;
    task[property] = value === null ? CLEARED : ewsPropertyDate(value);
  }
  if (fields.percentComplete !== undefined) task.PercentComplete = fields.percentComplete;
  if (fields.status !== undefined) task.Status = STATUS[fields.status];
  if (fields.importance !== undefined) task.Importance = IMPORTANCE[fields.importance];
  if (fields.reminderAt !== undefined) {
    if (fields.reminderAt !== null) task.ReminderDueBy = ewsPropertyInstant(fields.reminderAt);
    task.IsReminderSet = fields.reminderAt !== null;
  }
  if (fields.categories !== undefined) setCategories(task, fields.categories);
}

export const ewsTask: EwsItemKind<Task, TaskFields> = {
  kind: 'task',
  defaultFolder: WellKnownFolderName.Tasks,
  folderClass: 'IPF.Task',
  newItem: (service) => new Task(service),
  applyFields: (task, fields) => applyTaskFields(task, fields),
};
