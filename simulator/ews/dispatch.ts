/** EWS operation name → handler. Operations the simulator does not implement fail with ErrorInvalidOperation. */
import type { Element } from '@xmldom/xmldom';
import type { EwsContext } from './context';
import { EwsFault } from './ews-error';
import { createAttachment } from './operations/create-attachment';
import { createFolder } from './operations/create-folder';
import { createItem } from './operations/create-item';
import { deleteAttachment } from './operations/delete-attachment';
import { deleteFolder } from './operations/delete-folder';
import { deleteItem } from './operations/delete-item';
import { findFolder } from './operations/find-folder';
import { findItem } from './operations/find-item';
import { getAttachment } from './operations/get-attachment';
import { getFolder } from './operations/get-folder';
import { getEvents } from './operations/get-events';
import { getItem } from './operations/get-item';
import { resolveNames } from './operations/resolve-names';
import { sendItem } from './operations/send-item';
import { subscribe } from './operations/subscribe';
import { syncFolderHierarchy } from './operations/sync-folder-hierarchy';
import { syncFolderItems } from './operations/sync-folder-items';
import { unsubscribe } from './operations/unsubscribe';
import { updateItem } from './operations/update-item';

type Operation = (ctx: EwsContext, op: Element) => string;

const OPERATIONS: Record<string, Operation> = {
  CreateItem: createItem,
  SendItem: sendItem,
  GetItem: getItem,
  FindItem: findItem,
  GetFolder: getFolder,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  CreateFolder: createFolder,
  FindFolder: findFolder,
  DeleteFolder: deleteFolder,
  SyncFolderItems: syncFolderItems,
  SyncFolderHierarchy: syncFolderHierarchy,
  Subscribe: subscribe,
  GetEvents: getEvents,
  Unsubscribe: unsubscribe,
  ResolveNames: resolveNames,
  CreateAttachment: createAttachment,
  GetAttachment: getAttachment,
  DeleteAttachment: deleteAttachment,
};

export function dispatch(ctx: EwsContext, name: string, op: Element): string {
  const handler = Object.prototype.hasOwnProperty.call(OPERATIONS, name) ? OPERATIONS[name] : undefined;
  if (!handler) {
    throw new EwsFault(
      'ErrorInvalidOperation',
      `The operation ${name} is not supported by the Exchange simulator.`,
    );
  }
  return handler(ctx, op);
}
