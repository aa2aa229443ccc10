/**
 * t:Task fields: read from CreateItem / UpdateItem and written in TaskType order, with Exchange's coupling of
 * Status and PercentComplete (100 % ⇔ Completed, which stamps CompleteDate; a percentage between 0 and 100
 * makes a not-started or completed task InProgress; NotStarted resets it to 0) and the item-level reminder
 * (ReminderDueBy / ReminderIsSet) tasks carry.
 */
import type { Element } from '@xmldom/xmldom';
import type { StoredItem, TaskFields } from '../model';
import { type KindChange, parseEwsDate } from './contact-fields';
import { EwsError } from './ews-error';
import { simpleText } from './parse-message';
import { ewsDate } from './write-item';
import { childElement, TYPES_NS } from './xml';

type Status = TaskFields['status'];
const STATUSES: readonly Status[] = ['NotStarted', 'InProgress', 'Completed', 'WaitingOnOthers', 'Deferred'];

/** What a t:Task element says, before the Status/PercentComplete coupling is applied. */
interface TaskInput {
  status?: Status;
  percentComplete?: number;
  startDate?: Date;
  dueDate?: Date;
  completeDate?: Date;
  reminderDueBy?: Date;
  reminderIsSet?: boolean;
}

function percentOf(el: Element): number {
  const value = Number(simpleText(el).trim());
  if (!Number.isFinite(value) || value < 0 || value > 100) {
    throw new EwsError(
      'ErrorInvalidPercentCompleteValue',
      'PercentComplete must be an actual number between 0 and 100.',
    );
  }
  return value;
}

function parseTaskInput(el: Element): TaskInput {
  const child = (name: string) => childElement(el, name, TYPES_NS);
  const input: TaskInput = {};
  const status = child('Status');
  if (status) {
    const value = simpleText(status).trim();
    if (!(STATUSES as readonly string[]).includes(value)) {
      throw new EwsError('ErrorInvalidValueForProperty', `The task status '${value}' is invalid.`);
    }
    input.status = value as Status;
  }
  const percent = child('PercentComplete');
  if (percent) input.percentComplete = percentOf(percent);
  for (const [key, name] of [
    ['startDate', 'StartDate'],
    ['dueDate', 'DueDate'],
    ['completeDate', 'CompleteDate'],
    ['reminderDueBy', 'ReminderDueBy'],
  ] as const) {
    const dateEl = child(name);
    if (dateEl) input[key] = parseEwsDate(dateEl);
  }
  const reminder = child('ReminderIsSet');
  if (reminder) input.reminderIsSet = ['true', '1'].includes(simpleText(reminder).trim());
  return input;
}

function setPercent(task: TaskFields, percent: number, now: Date): void {
  task.percentComplete = percent;
  if (percent === 100) {
    if (task.status !== 'Completed') task.completeDate = now;
    task.status = 'Completed';
  } else if (percent === 0 && (task.status === 'InProgress' || task.status === 'Completed')) {
    task.status = 'NotStarted';
  } else if (percent > 0 && (task.status === 'NotStarted' || task.status === 'Completed')) {
    task.status = 'InProgress';
  }
  if (task.status !== 'Completed') delete task.completeDate;
}

function setStatus(task: TaskFields, status: Status, now: Date): void {
  const was = task.status;
  task.status = status;
  if (status === 'Completed') {
    task.percentComplete = 100;
    if (was !== 'Completed') task.completeDate = now;
    return;
  }
  delete task.completeDate;
  if (status === 'NotStarted' || task.percentComplete === 100) task.percentComplete = 0;
}

/** The task of a new t:Task element. */
export function parseTaskFields(el: Element): TaskFields {
  const input = parseTaskInput(el);
  const now = new Date();
  const task: TaskFields = { status: 'NotStarted', percentComplete: 0 };
  if (input.startDate) task.startDate = input.startDate;
  if (input.dueDate) task.dueDate = input.dueDate;
  if (input.reminderDueBy) task.reminderDueBy = input.reminderDueBy;
  if (input.reminderIsSet !== undefined) task.reminderIsSet = input.reminderIsSet;
  if (input.percentComplete !== undefined) setPercent(task, input.percentComplete, now);
  if (input.status) setStatus(task, input.status, now);
  if (input.completeDate && task.status === 'Completed') task.completeDate = input.completeDate;
  return task;
}

/** ItemType's reminder elements of a task (they sit between DateTimeCreated and DisplayCc). */
export function renderTaskReminder(task: TaskFields, want: (uri: string) => boolean): string {
  let xml = '';
  if (want('item:ReminderDueBy') && task.reminderDueBy) {
    xml += `<t:ReminderDueBy>${ewsDate(task.reminderDueBy)}</t:ReminderDueBy>`;
  }
  if (want('item:ReminderIsSet'))
    xml += `<t:ReminderIsSet>${task.reminderIsSet ? 'true' : 'false'}</t:ReminderIsSet>`;
  return xml;
}

/** TaskType's own elements in schema order. */
export function renderTaskFields(task: TaskFields, want: (uri: string) => boolean): string {
  const date = (uri: string, tag: string, value: Date | undefined) =>
    value && want(uri) ? `<t:${tag}>${ewsDate(value)}</t:${tag}>` : '';
  return (
    date('task:CompleteDate', 'CompleteDate', task.completeDate) +
    date('task:DueDate', 'DueDate', task.dueDate) +
    (want('task:IsComplete') ? `<t:IsComplete>${task.status === 'Completed'}</t:IsComplete>` : '') +
    (want('task:IsRecurring') ? '<t:IsRecurring>false</t:IsRecurring>' : '') +
    (want('task:PercentComplete') ? `<t:PercentComplete>${task.percentComplete}</t:PercentComplete>` : '') +
    date('task:StartDate', 'StartDate', task.startDate) +
    (want('task:Status') ? `<t:Status>${task.status}</t:Status>` : '')
  );
}

function taskOf(item: StoredItem): TaskFields {
  item.task ??= { status: 'NotStarted', percentComplete: 0 };
  return item.task;
}

const DATE_FIELDS = {
  'task:StartDate': ['startDate', 'StartDate'],
  'task:DueDate': ['dueDate', 'DueDate'],
  'item:ReminderDueBy': ['reminderDueBy', 'ReminderDueBy'],
} as const;

/** UpdateItem rule for a task:* FieldURI (and the reminder fields of a task); undefined if none. */
export function taskChange(uri: string): KindChange | undefined {
  if (uri === 'task:Status') {
    return {
      field: uri,
      element: 'Status',
      set: (holder) => {
        const { status } = parseTaskInput(holder);
        return (item) => setStatus(taskOf(item), status ?? 'NotStarted', new Date());
      },
    };
  }
  if (uri === 'task:PercentComplete') {
    return {
      field: uri,
      element: 'PercentComplete',
      set: (holder) => {
        const { percentComplete } = parseTaskInput(holder);
        return (item) => setPercent(taskOf(item), percentComplete ?? 0, new Date());
      },
    };
  }
  if (uri === 'item:ReminderIsSet') {
    return {
      field: uri,
      element: 'ReminderIsSet',
      set: (holder) => {
        const { reminderIsSet } = parseTaskInput(holder);
        return (item) => (taskOf(item).reminderIsSet = reminderIsSet ?? false);
      },
    };
  }
  if (uri in DATE_FIELDS) {
    const [key, element] = DATE_FIELDS[uri as keyof typeof DATE_FIELDS];
    return {
      field: uri,
      element,
      set: (holder) => {
        const value = parseTaskInput(holder)[key];
        return (item) => (taskOf(item)[key] = value);
      },
      clear: (item) => delete taskOf(item)[key],
    };
  }
  return undefined;
}
