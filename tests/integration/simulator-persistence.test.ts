/**
 * --data-file: a simulator restarted on the same file keeps mailboxes (and their passwords), custom folders,
 * items with their ItemIds and ChangeKeys, grants and the outbound log, and SyncStates issued before the restart
 * stay valid (later changes, including a delete made before the restart, are reported from them). A corrupt file
 * fails the start with an error naming the file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ews from 'ews-javascript-api';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import {
  bypassProxyForLocalhost,
  createEwsService,
  type RecordingService,
} from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';

bypassProxyForLocalhost();

const OWNER = 'keep@sim.test';
let dir: string;
let file: string;
const clients: RecordingService[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rcx-sim-data-'));
  file = path.join(dir, 'store.json');
});

afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await expectValidEwsResponses(clients.splice(0).flatMap((c) => c.responses.map((r) => r.body)));
});

function client(sim: RunningSimulator, password = 'simulator'): ews.ExchangeService {
  const c = createEwsService(sim.ewsUrl, { user: OWNER, password });
  clients.push(c);
  return c.service;
}

async function syncDrafts(service: ews.ExchangeService, state: string) {
  const result = await service.SyncFolderItems(
    new ews.FolderId(ews.WellKnownFolderName.Drafts),
    new ews.PropertySet(ews.BasePropertySet.IdOnly),
    [],
    100,
    ews.SyncFolderItemsScope.NormalItems,
    state,
  );
  return {
    state: result.SyncState,
    changes: [...result.GetEnumerator()].map((c) => [ews.ChangeType[c.ChangeType], c.ItemId.UniqueId]),
  };
}

test('a restart on the data file keeps ids, ChangeKeys, folders, passwords, grants and valid SyncStates', async () => {
  let sim = await startSimulator({ mailboxes: [], dataFile: file });
  const created = await fetch(`${sim.url}/_sim/mailboxes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ address: OWNER, password: 'kept-secret' }),
  });
  expect(created.status).toBe(201);
  sim.store.grantImpersonation('svc@sim.test');
  let service = client(sim, 'kept-secret');

  const keep = new ews.EmailMessage(service);
  keep.Subject = 'Kept across restarts';
  keep.Body = new ews.MessageBody(ews.BodyType.Text, 'body');
  keep.ToRecipients.Add('someone@external.example');
  await keep.Save(ews.WellKnownFolderName.Drafts);
  const doomed = new ews.EmailMessage(service);
  doomed.Subject = 'Deleted before the restart';
  await doomed.Save(ews.WellKnownFolderName.Drafts);
  const folder = new ews.Folder(service);
  folder.DisplayName = 'Archive';
  await folder.Save(ews.WellKnownFolderName.MsgFolderRoot);
  const sent = new ews.EmailMessage(service);
  sent.Subject = 'Outbound';
  sent.ToRecipients.Add('partner@external.example');
  await sent.Send();

  const initial = await syncDrafts(service, '');
  expect(initial.changes).toHaveLength(2);
  await doomed.Delete(ews.DeleteMode.HardDelete);
  const keepId = keep.Id.UniqueId;
  const doomedId = doomed.Id.UniqueId;
  await keep.Load(new ews.PropertySet(ews.BasePropertySet.IdOnly));
  const keepChangeKey = keep.Id.ChangeKey;
  await sim.close();

  const saved = readFileSync(file, 'utf8');
  expect(() => JSON.parse(saved) as unknown).not.toThrow();

  sim = await startSimulator({ mailboxes: [OWNER], dataFile: file });
  try {
    expect(sim.store.mayImpersonate('svc@sim.test')).toBe(true);
    expect(sim.store.outbound().map((r) => r.subject)).toEqual(['Outbound']);
    service = client(sim, 'kept-secret');
    const again = await ews.EmailMessage.Bind(service, new ews.ItemId(keepId));
    expect(again.Subject).toBe('Kept across restarts');
    expect(again.Id.ChangeKey).toBe(keepChangeKey);
    const archive = await ews.Folder.Bind(service, folder.Id);
    expect(archive.DisplayName).toBe('Archive');

    // The SyncState from before the restart still works: it reports the delete made before the restart, then
    // a create made after it.
    const afterDelete = await syncDrafts(service, initial.state);
    expect(afterDelete.changes).toEqual([['Delete', doomedId]]);
    const fresh = new ews.EmailMessage(service);
    fresh.Subject = 'After the restart';
    await fresh.Save(ews.WellKnownFolderName.Drafts);
    const next = await syncDrafts(service, afterDelete.state);
    expect(next.changes).toEqual([['Create', fresh.Id.UniqueId]]);
  } finally {
    await sim.close();
  }

  // Saved again on close, with the item created after the restart.
  sim = await startSimulator({ dataFile: file });
  try {
    const drafts = sim.store.getMailbox(OWNER)!.folders.get('drafts')!;
    expect([...drafts.items.values()].map((i) => i.subject)).toEqual([
      'Kept across restarts',
      'After the restart',
    ]);
  } finally {
    await sim.close();
  }
});

test('attachments (binary content) and calendar items survive a restart unchanged', async () => {
  let sim = await startSimulator({ mailboxes: [OWNER], dataFile: file });
  const service = client(sim);
  const m = new ews.EmailMessage(service);
  m.Subject = 'With attachment';
  m.Attachments.AddFileAttachment('notes.bin', Buffer.from([0, 1, 2, 250, 255]).toString('base64'));
  await m.Save(ews.WellKnownFolderName.Drafts);
  const a = new ews.Appointment(service);
  a.Subject = 'Planning';
  a.Start = new ews.DateTime(Date.UTC(2026, 11, 1, 9, 0));
  a.End = new ews.DateTime(Date.UTC(2026, 11, 1, 10, 0));
  await a.Save(ews.WellKnownFolderName.Calendar, ews.SendInvitationsMode.SendToNone);
  const before = [m.Id.UniqueId, a.Id.UniqueId].map((id) => sim.store.getItem(id)!);
  const expected = before.map((item) => ({ ...item, mailbox: undefined, folder: undefined }));
  expect(before[0].attachments.map((x) => x.content)).toEqual([Buffer.from([0, 1, 2, 250, 255])]);
  expect(before[1].calendar?.start).toEqual(new Date(Date.UTC(2026, 11, 1, 9, 0)));
  await sim.close();

  sim = await startSimulator({ dataFile: file });
  try {
    const after = before.map((item) => sim.store.getItem(item.id)!);
    expect(after.map((item) => ({ ...item, mailbox: undefined, folder: undefined }))).toEqual(expected);
    expect(after[1].folder.name).toBe('calendar');
  } finally {
    await sim.close();
  }
});

test('changes are saved shortly after they happen, atomically, without waiting for close', async () => {
  const sim = await startSimulator({ mailboxes: [OWNER], dataFile: file });
  try {
    const m = new ews.EmailMessage(client(sim));
    m.Subject = 'Saved soon';
    await m.Save(ews.WellKnownFolderName.Drafts);
    await new Promise((r) => setTimeout(r, 600));
    expect(readFileSync(file, 'utf8')).toContain('Saved soon');
  } finally {
    await sim.close();
  }
});

test('a corrupt data file stops the start with an error naming the file and what to do', async () => {
  writeFileSync(file, '{"format": "rc-exchange-simulator-store", "version": 1, "mailb');
  await expect(startSimulator({ dataFile: file })).rejects.toThrow(
    new RegExp(
      `cannot load the data file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it is not a valid .*delete`,
    ),
  );
  writeFileSync(file, '{"something": "else"}');
  await expect(startSimulator({ dataFile: file })).rejects.toThrow(/not a simulator data file/);
});
