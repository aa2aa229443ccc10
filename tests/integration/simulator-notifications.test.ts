/**
 * Pull notifications on the simulator through unmodified ews-javascript-api: SubscribeToPullNotifications on
 * folders and on all folders, GetEvents with created/modified/moved/deleted/new-mail events and their ids,
 * StatusEvent when idle, MoreEvents paging, resume from a watermark, and the error codes (subscription not
 * found, invalid, another user's, expired, invalid watermark). Responses validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { subscriptionsOf } from '../../simulator/notifications/subscriptions';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'notify@sim.test';
const PEER = 'peer@sim.test';

const session = useSimulatorSession([OWNER, PEER]);

const ALL = [
  ews.EventType.NewMail,
  ews.EventType.Created,
  ews.EventType.Modified,
  ews.EventType.Deleted,
  ews.EventType.Moved,
  ews.EventType.Copied,
];

async function draft(subject: string): Promise<ews.EmailMessage> {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = subject;
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'body');
  m.ToRecipients.Add('someone@external.example');
  await m.Save(ews.WellKnownFolderName.Drafts);
  return m;
}

function summary(results: ews.GetEventsResults): Array<[string, string, string, string?, string?]> {
  return results.ItemEvents.map((e) => [
    ews.EventType[e.EventType],
    e.ItemId.UniqueId,
    e.ParentFolderId.UniqueId,
    e.OldItemId?.UniqueId,
    e.OldParentFolderId?.UniqueId,
  ]);
}

test('GetEvents reports creates, modifications, moves, deletes and new mail in the subscribed folders', async () => {
  const { service } = session.client;
  const [drafts, inbox, deleted] = await Promise.all(
    [ews.WellKnownFolderName.Drafts, ews.WellKnownFolderName.Inbox, ews.WellKnownFolderName.DeletedItems].map(
      (name) => ews.Folder.Bind(service, name),
    ),
  );
  const sub = await service.SubscribeToPullNotifications([drafts.Id, inbox.Id], 10, '', ...ALL);
  expect(sub.Id).toMatch(/^[A-Za-z0-9+/]+=*$/);
  expect(sub.Watermark).toMatch(/^[A-Za-z0-9+/]+=*$/);

  const m = await draft('Watched');
  const createdId = m.Id.UniqueId;
  m.Subject = 'Watched, edited';
  await m.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  const modifiedId = m.Id.UniqueId;
  await m.Delete(ews.DeleteMode.MoveToDeletedItems);
  const mail = new ews.EmailMessage(
    createEwsService(session.sim.ewsUrl, { user: PEER, password: 'simulator' }).service,
  );
  mail.Subject = 'Hello owner';
  mail.Body = new ews.MessageBody(ews.BodyType.Text, 'hi');
  mail.ToRecipients.Add(OWNER);
  await mail.Send();

  const results = await sub.GetEvents();
  const owner = session.sim.store.getMailbox(OWNER)!;
  const [delivered] = [...owner.folders.get('inbox')!.items.values()];
  const [movedTo] = [...owner.folders.get('deleteditems')!.items.values()];
  // ews-javascript-api groups events by element name, so compare as a set and check the wire order separately.
  const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
  expect(sorted(summary(results))).toEqual(
    sorted([
      ['Created', createdId, drafts.Id.UniqueId, undefined, undefined],
      ['Modified', modifiedId, drafts.Id.UniqueId, undefined, undefined],
      ['Moved', movedTo.id, deleted.Id.UniqueId, modifiedId, drafts.Id.UniqueId],
      ['Created', delivered.id, inbox.Id.UniqueId, undefined, undefined],
      ['NewMail', delivered.id, inbox.Id.UniqueId, undefined, undefined],
    ]),
  );
  const wire = session.client.responses.at(-1)!.body;
  expect([...wire.matchAll(/<t:(\w+)Event>/g)].map((x) => x[1])).toEqual([
    'Created',
    'Modified',
    'Moved',
    'Created',
    'NewMail',
  ]);
  expect(sub.MoreEventsAvailable).toBe(false);
  expect(results.ItemEvents[0].TimeStamp.TotalMilliSeconds).toBeGreaterThan(0);

  // Nothing new: a StatusEvent only (no item events); the watermark still moves on.
  const idle = await sub.GetEvents();
  expect(idle.AllEvents).toHaveLength(0);
  const raw = session.client.responses.at(-1)!.body;
  expect(raw).toContain('<t:StatusEvent><t:Watermark>');

  await sub.Unsubscribe();
  const gone = await rejection<ews.ServiceResponseException>(sub.GetEvents());
  expect(ews.ServiceError[gone.ErrorCode]).toBe('ErrorSubscriptionNotFound');
});

test('events outside the subscribed folders or types are not reported; SubscribeToAllFolders sees every folder', async () => {
  const { service } = session.client;
  const inboxOnly = await service.SubscribeToPullNotifications(
    [new ews.FolderId(ews.WellKnownFolderName.Inbox)],
    5,
    '',
    ews.EventType.NewMail,
  );
  const everywhere = await service.SubscribeToPullNotificationsOnAllFolders(5, '', ews.EventType.Created);
  const m = await draft('Not in Inbox');
  const folder = new ews.Folder(service);
  folder.DisplayName = 'Projects';
  await folder.Save(ews.WellKnownFolderName.MsgFolderRoot);

  expect((await inboxOnly.GetEvents()).AllEvents).toHaveLength(0);
  const all = await everywhere.GetEvents();
  expect(all.ItemEvents.map((e) => e.ItemId.UniqueId)).toEqual([m.Id.UniqueId]);
  expect(all.FolderEvents.map((e) => [ews.EventType[e.EventType], e.FolderId.UniqueId])).toEqual([
    ['Created', folder.Id.UniqueId],
  ]);
});

test('more than 50 events come in several GetEvents calls with MoreEvents; a retried watermark repeats them', async () => {
  const { service } = session.client;
  const sub = await service.SubscribeToPullNotifications(
    [new ews.FolderId(ews.WellKnownFolderName.Drafts)],
    5,
    '',
    ews.EventType.Created,
  );
  for (let i = 0; i < 55; i += 1) await draft(`Bulk ${i}`);
  const start = sub.Watermark;
  const first = await sub.GetEvents();
  expect(first.ItemEvents).toHaveLength(50);
  expect(sub.MoreEventsAvailable).toBe(true);
  const again = await service.GetEvents(sub.Id, start);
  expect(again.ItemEvents.map((e) => e.ItemId.UniqueId)).toEqual(
    first.ItemEvents.map((e) => e.ItemId.UniqueId),
  );
  const second = await sub.GetEvents();
  expect(second.ItemEvents).toHaveLength(5);
  expect(sub.MoreEventsAvailable).toBe(false);

  // Subscribing again from the first watermark replays the history after it.
  const resumed = await service.SubscribeToPullNotifications(
    [new ews.FolderId(ews.WellKnownFolderName.Drafts)],
    5,
    start,
    ews.EventType.Created,
  );
  const replay = await resumed.GetEvents();
  expect(replay.ItemEvents).toHaveLength(50);
  expect(resumed.MoreEventsAvailable).toBe(true);
});

test('error codes: invalid subscription, another user, invalid or acknowledged watermark, expiry after Timeout', async () => {
  const { service } = session.client;
  const sub = await service.SubscribeToPullNotifications(
    [new ews.FolderId(ews.WellKnownFolderName.Drafts)],
    1,
    '',
    ews.EventType.Created,
  );
  const code = async (p: Promise<unknown>) =>
    ews.ServiceError[(await rejection<ews.ServiceResponseException>(p)).ErrorCode];

  expect(await code(service.GetEvents('not-a-subscription', sub.Watermark))).toBe('ErrorInvalidSubscription');
  expect(await code(service.GetEvents(sub.Id, 'AAAAAMAGAAAAAAAAAQ=='))).toBe('ErrorInvalidWatermark');
  expect(
    await code(
      service.SubscribeToPullNotifications(
        [new ews.FolderId(ews.WellKnownFolderName.Inbox)],
        1,
        'bm9wZQ==',
        ews.EventType.Created,
      ),
    ),
  ).toBe('ErrorInvalidWatermark');

  const peer = createEwsService(session.sim.ewsUrl, { user: PEER, password: 'simulator' });
  expect(await code(peer.service.GetEvents(sub.Id, sub.Watermark))).toBe('ErrorSubscriptionAccessDenied');
  await expectValidEwsResponses(peer.responses.map((r) => r.body));

  const start = sub.Watermark;
  await draft('acknowledge me');
  await sub.GetEvents();
  await sub.GetEvents();
  expect(await code(service.GetEvents(sub.Id, start))).toBe('ErrorInvalidWatermark');

  const registry = subscriptionsOf(session.sim.store);
  const realNow = registry.now;
  try {
    registry.now = () => realNow() + 61_000;
    expect(await code(sub.GetEvents())).toBe('ErrorExpiredSubscription');
    expect(await code(sub.GetEvents())).toBe('ErrorSubscriptionNotFound');
  } finally {
    registry.now = realNow;
  }
});
