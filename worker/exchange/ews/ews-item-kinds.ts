/**
 * The EwsItemKind of every item kind (ews-item-kind.ts): the one place that knows which module handles
 * appointments, contacts and tasks. ews-items.ts and ews-marked-items.ts take this registry, so they stay
 * kind-agnostic and tests can hand them their own.
 */
import type { EwsItemKinds } from './ews-items';
import { ewsAppointment } from './ews-appointment';
import { ewsContact } from './ews-contact';
import { ewsTask } from './ews-task';

export const EWS_ITEM_KINDS: EwsItemKinds = {
  appointment: ewsAppointment,
  contact: ewsContact,
  task: ewsTask,
};
