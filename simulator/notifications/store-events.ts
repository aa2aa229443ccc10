/**
 * What the mailbox store reports after each change, for pull subscriptions (Subscribe/GetEvents) and for the
 * data file's save scheduling. Ids are the ones valid right after the change (a moved item's new ItemId).
 */
import type { Mailbox } from '../model';

export type StoreEventKind = 'Created' | 'Modified' | 'Deleted' | 'Moved' | 'NewMail';

export interface StoreEvent {
  kind: StoreEventKind;
  target: 'item' | 'folder';
  mailbox: Mailbox;
  id: string;
  changeKey: string;
  parentFolderId: string;
  parentChangeKey: string;
  oldId?: string;
  oldParentFolderId?: string;
  oldParentChangeKey?: string;
  at: Date;
}

export type StoreListener = (event: StoreEvent) => void;
