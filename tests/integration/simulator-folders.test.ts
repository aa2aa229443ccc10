/**
 * Folders on the simulator driven by unmodified ews-javascript-api: CreateFolder (Folder.Save), GetFolder
 * (Folder.Bind by FolderId and distinguished id, publicfoldersroot), FindFolder (Shallow/Deep, paging) and
 * DeleteFolder (HardDelete / MoveToDeletedItems); every response is validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'folders@sim.test';
const OTHER = 'other@sim.test';

const session = useSimulatorSession([OWNER, OTHER]);

async function newFolder(
  name: string,
  parent: ews.FolderId | ews.WellKnownFolderName,
  kind: 'Folder' | 'CalendarFolder' | 'ContactsFolder' | 'TasksFolder' = 'Folder',
  folderClass?: string,
): Promise<ews.Folder> {
  const folder = new ews[kind](session.client.service);
  folder.DisplayName = name;
  if (folderClass) folder.FolderClass = folderClass;
  if (parent instanceof ews.FolderId) await folder.Save(parent);
  else await folder.Save(parent);
  return folder;
}

test('CreateFolder makes custom folders of each class; Bind and FindFolder see them with parent, class and counts', async () => {
  const projects = await newFolder('Projects', ews.WellKnownFolderName.MsgFolderRoot, 'Folder', 'IPF.Note');
  const meetings = await newFolder('Team meetings', projects.Id, 'CalendarFolder');
  await newFolder('Suppliers', projects.Id, 'ContactsFolder');
  await newFolder('Chores', projects.Id, 'TasksFolder');
  expect(projects.Id.UniqueId).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(projects.Id.ChangeKey).toBeTruthy();

  const bound = await ews.Folder.Bind(session.client.service, projects.Id);
  expect(bound.DisplayName).toBe('Projects');
  expect(bound.FolderClass).toBe('IPF.Note');
  expect(bound.ChildFolderCount).toBe(3);
  const root = await ews.Folder.Bind(session.client.service, ews.WellKnownFolderName.MsgFolderRoot);
  expect(bound.ParentFolderId.UniqueId).toBe(root.Id.UniqueId);

  const calendar = await ews.Folder.Bind(session.client.service, meetings.Id);
  expect(calendar).toBeInstanceOf(ews.CalendarFolder);
  expect(calendar.FolderClass).toBe('IPF.Appointment');

  const shallow = await session.client.service.FindFolders(projects.Id, new ews.FolderView(10));
  expect(shallow.Folders.map((f) => f.DisplayName)).toEqual(['Team meetings', 'Suppliers', 'Chores']);
  expect(shallow.Folders.map((f) => f.constructor.name)).toEqual([
    'CalendarFolder',
    'ContactsFolder',
    'TasksFolder',
  ]);

  const deepView = new ews.FolderView(100);
  deepView.Traversal = ews.FolderTraversal.Deep;
  const deep = await session.client.service.FindFolders(ews.WellKnownFolderName.MsgFolderRoot, deepView);
  const names = deep.Folders.map((f) => f.DisplayName);
  expect(names).toEqual(expect.arrayContaining(['Inbox', 'Calendar', 'Projects', 'Team meetings', 'Chores']));
  expect(deep.TotalCount).toBe(names.length);

  const paged: string[] = [];
  for (let offset = 0; ;) {
    const view = new ews.FolderView(2, offset);
    view.Traversal = ews.FolderTraversal.Deep;
    const page = await session.client.service.FindFolders(ews.WellKnownFolderName.MsgFolderRoot, view);
    paged.push(...page.Folders.map((f) => f.DisplayName));
    if (!page.MoreAvailable) break;
    offset = page.NextPageOffset ?? offset + 2;
  }
  // ews-javascript-api groups sibling elements by name (Folder, CalendarFolder, …), so only the set is comparable.
  expect([...paged].sort()).toEqual([...names].sort());
  expect(paged).toHaveLength(names.length);
});

test('a duplicate sibling name is ErrorFolderExists; distinguished folders cannot be deleted; a deleted folder is gone', async () => {
  const folder = await newFolder('Archive', ews.WellKnownFolderName.Inbox);
  const dup = await rejection<{ ErrorCode?: number }>(newFolder('archive', ews.WellKnownFolderName.Inbox));
  expect(dup.ErrorCode).toBe(ews.ServiceError.ErrorFolderExists);

  const inbox = await ews.Folder.Bind(session.client.service, ews.WellKnownFolderName.Inbox);
  const refused = await rejection<{ ErrorCode?: number }>(inbox.Delete(ews.DeleteMode.HardDelete));
  expect(refused.ErrorCode).toBe(ews.ServiceError.ErrorDeleteDistinguishedFolder);

  await folder.Delete(ews.DeleteMode.HardDelete);
  const gone = await rejection<{ ErrorCode?: number }>(ews.Folder.Bind(session.client.service, folder.Id));
  expect(gone.ErrorCode).toBe(ews.ServiceError.ErrorFolderNotFound);
});

test('MoveToDeletedItems moves the folder (same FolderId) under Deleted Items; deleting it there removes it', async () => {
  const folder = await newFolder('Old stuff', ews.WellKnownFolderName.MsgFolderRoot);
  await newFolder('Older', folder.Id);
  await folder.Delete(ews.DeleteMode.MoveToDeletedItems);
  const deletedItems = await ews.Folder.Bind(session.client.service, ews.WellKnownFolderName.DeletedItems);
  const moved = await ews.Folder.Bind(session.client.service, folder.Id);
  expect(moved.ParentFolderId.UniqueId).toBe(deletedItems.Id.UniqueId);
  expect(moved.ChildFolderCount).toBe(1);

  await moved.Delete(ews.DeleteMode.MoveToDeletedItems);
  expect(
    (await rejection<{ ErrorCode?: number }>(ews.Folder.Bind(session.client.service, folder.Id))).ErrorCode,
  ).toBe(ews.ServiceError.ErrorFolderNotFound);
});

test('publicfoldersroot is one tree shared by all mailboxes; another mailbox folders stay private', async () => {
  const pub = await newFolder('Company news', ews.WellKnownFolderName.PublicFoldersRoot);
  const other = createEwsService(session.sim.ewsUrl, { user: OTHER, password: 'simulator' });
  try {
    const seen = await other.service.FindFolders(
      ews.WellKnownFolderName.PublicFoldersRoot,
      new ews.FolderView(10),
    );
    expect(seen.Folders.map((f) => f.DisplayName)).toEqual(['Company news']);
    const bound = await ews.Folder.Bind(other.service, pub.Id);
    expect(bound.DisplayName).toBe('Company news');

    const mine = await newFolder('Private', ews.WellKnownFolderName.Inbox);
    const denied = await rejection<{ ErrorCode?: number }>(ews.Folder.Bind(other.service, mine.Id));
    expect(denied.ErrorCode).toBe(ews.ServiceError.ErrorAccessDenied);
  } finally {
    await expectValidEwsResponses(other.responses.map((r) => r.body));
  }
});
