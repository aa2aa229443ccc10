/**
 * SyncFolderItems / SyncFolderHierarchy on the simulator driven by unmodified ews-javascript-api: initial sync
 * paged to the end with a small MaxChangesReturned, later changes (create, update, read flag, delete) in the next
 * sync, the Ignore list, and bad or foreign SyncStates (ErrorInvalidSyncStateData). Responses validated against
 * messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost } from '../helpers/simulator-ews-client';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'sync@sim.test';

const session = useSimulatorSession([OWNER]);

async function draft(subject: string): Promise<ews.EmailMessage> {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = subject;
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'body');
  m.ToRecipients.Add('someone@external.example');
  await m.Save(ews.WellKnownFolderName.Drafts);
  return m;
}

interface Seen {
  type: string;
  id: string;
  subject?: string;
  isRead?: boolean;
}

/** Syncs Drafts to the end in pages of `max`, returning the changes, the final state and the page count. */
async function syncToEnd(
  state: string | null,
  max: number,
  ignore: ews.ItemId[] = [],
): Promise<{ changes: Seen[]; state: string; pages: number }> {
  const folderId = new ews.FolderId(ews.WellKnownFolderName.Drafts);
  const props = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.Subject]);
  const changes: Seen[] = [];
  let pages = 0;
  let current = state;
  for (;;) {
    const page = await session.client.service.SyncFolderItems(
      folderId,
      props,
      ignore,
      max,
      ews.SyncFolderItemsScope.NormalItems,
      current as string,
    );
    pages += 1;
    expect(page.Count).toBeLessThanOrEqual(max);
    for (const change of page.GetEnumerator()) {
      changes.push({
        type: ews.ChangeType[change.ChangeType],
        id: change.ItemId.UniqueId,
        subject:
          change.ChangeType === ews.ChangeType.Create || change.ChangeType === ews.ChangeType.Update
            ? change.Item.Subject
            : undefined,
        isRead: change.ChangeType === ews.ChangeType.ReadFlagChange ? change.IsRead : undefined,
      });
    }
    current = page.SyncState;
    if (!page.MoreChangesAvailable) return { changes, state: current, pages };
  }
}

test('initial SyncFolderItems pages to the end; later creates, updates, read-flag changes and deletes follow', async () => {
  const drafts: ews.EmailMessage[] = [];
  for (let i = 0; i < 7; i += 1) drafts.push(await draft(`Draft ${i}`));

  const first = await syncToEnd(null, 3);
  expect(first.pages).toBe(3);
  expect(first.changes.map((c) => c.type)).toEqual(Array(7).fill('Create'));
  expect(first.changes.map((c) => c.subject)).toEqual(drafts.map((_, i) => `Draft ${i}`));

  const nothing = await syncToEnd(first.state, 3);
  expect(nothing.changes).toEqual([]);

  drafts[1].Subject = 'Draft 1 (edited)';
  await drafts[1].Update(ews.ConflictResolutionMode.AutoResolve);
  drafts[2].IsRead = false;
  await drafts[2].Update(ews.ConflictResolutionMode.AutoResolve);
  await drafts[3].Delete(ews.DeleteMode.HardDelete);
  const created = await draft('Draft 7');
  const temporary = await draft('Created and deleted');
  await temporary.Delete(ews.DeleteMode.HardDelete);

  const next = await syncToEnd(first.state, 2);
  expect(next.changes).toEqual(
    [
      { type: 'Update', id: drafts[1].Id.UniqueId, subject: 'Draft 1 (edited)' },
      { type: 'ReadFlagChange', id: drafts[2].Id.UniqueId, isRead: false },
      { type: 'Delete', id: drafts[3].Id.UniqueId },
      { type: 'Create', id: created.Id.UniqueId, subject: 'Draft 7' },
    ].map((c) => ({ subject: undefined, isRead: undefined, ...c })),
  );
  expect((await syncToEnd(next.state, 5)).changes).toEqual([]);
});

test('Ignore skips the named items; MoveToDeletedItems shows up as a Delete in the source folder', async () => {
  const a = await draft('A');
  const b = await draft('B');
  const first = await syncToEnd(null, 10, [a.Id]);
  expect(first.changes.map((c) => c.subject)).toEqual(['B']);
  await b.Delete(ews.DeleteMode.MoveToDeletedItems);
  const next = await syncToEnd(first.state, 10);
  expect(next.changes).toEqual([
    { type: 'Delete', id: b.Id.UniqueId, subject: undefined, isRead: undefined },
  ]);
});

test('a corrupt, foreign or outdated SyncState is ErrorInvalidSyncStateData', async () => {
  await draft('A');
  const drafts = await syncToEnd(null, 10);
  const props = new ews.PropertySet(ews.BasePropertySet.IdOnly);
  const sync = (folder: ews.WellKnownFolderName, state: string) =>
    session.client.service.SyncFolderItems(
      new ews.FolderId(folder),
      props,
      [],
      10,
      ews.SyncFolderItemsScope.NormalItems,
      state,
    );
  for (const state of ['not a sync state', 'H4sIAAAAAAAAAwMAAAAAAAAAAAA=']) {
    expect(
      (await rejection<{ ErrorCode?: number }>(sync(ews.WellKnownFolderName.Drafts, state))).ErrorCode,
    ).toBe(ews.ServiceError.ErrorInvalidSyncStateData);
  }
  expect(
    (await rejection<{ ErrorCode?: number }>(sync(ews.WellKnownFolderName.Inbox, drafts.state))).ErrorCode,
  ).toBe(ews.ServiceError.ErrorInvalidSyncStateData);
  const hierarchy = await session.client.service.SyncFolderHierarchy(props, null as unknown as string);
  expect(
    (await rejection<{ ErrorCode?: number }>(sync(ews.WellKnownFolderName.Drafts, hierarchy.SyncState)))
      .ErrorCode,
  ).toBe(ews.ServiceError.ErrorInvalidSyncStateData);
  session.sim.store.reset();
  expect(
    (await rejection<{ ErrorCode?: number }>(sync(ews.WellKnownFolderName.Drafts, drafts.state))).ErrorCode,
  ).toBe(ews.ServiceError.ErrorInvalidSyncStateData);
});

test('SyncFolderHierarchy: all folders first, then created, updated and deleted folders', async () => {
  const props = new ews.PropertySet(ews.BasePropertySet.FirstClassProperties);
  const first = await session.client.service.SyncFolderHierarchy(props, null as unknown as string);
  expect(first.MoreChangesAvailable).toBe(false);
  const names = first.GetEnumerator().map((c) => c.Folder.DisplayName);
  expect(names).toEqual(expect.arrayContaining(['Top of Information Store', 'Inbox', 'Calendar', 'Tasks']));
  expect(first.GetEnumerator().every((c) => c.ChangeType === ews.ChangeType.Create)).toBe(true);

  const keep = new ews.Folder(session.client.service);
  keep.DisplayName = 'Keep';
  await keep.Save(ews.WellKnownFolderName.Inbox);
  const drop = new ews.Folder(session.client.service);
  drop.DisplayName = 'Drop';
  await drop.Save(ews.WellKnownFolderName.Inbox);
  const second = await session.client.service.SyncFolderHierarchy(props, first.SyncState);
  expect(second.GetEnumerator().map((c) => [ews.ChangeType[c.ChangeType], c.Folder.DisplayName])).toEqual([
    ['Create', 'Keep'],
    ['Create', 'Drop'],
  ]);

  await drop.Delete(ews.DeleteMode.HardDelete);
  await keep.Delete(ews.DeleteMode.MoveToDeletedItems);
  const third = await session.client.service.SyncFolderHierarchy(props, second.SyncState);
  expect(third.GetEnumerator().map((c) => [ews.ChangeType[c.ChangeType], c.FolderId.UniqueId])).toEqual([
    ['Delete', drop.Id.UniqueId],
    ['Update', keep.Id.UniqueId],
  ]);

  const bad = await rejection<{ ErrorCode?: number }>(
    session.client.service.SyncFolderHierarchy(props, 'bogus'),
  );
  expect(bad.ErrorCode).toBe(ews.ServiceError.ErrorInvalidSyncStateData);
});
