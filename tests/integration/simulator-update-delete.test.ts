/**
 * UpdateItem and DeleteItem on the simulator driven by unmodified ews-javascript-api: Set/Append/Delete of fields
 * and extended properties, ConflictResolution with stale ChangeKeys (ErrorIrresolvableConflict), DeleteItem modes
 * and per-item ErrorItemNotFound. Responses validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost } from '../helpers/simulator-ews-client';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'update@sim.test';
const PROP = new ews.ExtendedPropertyDefinition(
  new ews.Guid('c11ff724-aa03-4555-9952-8fa248a11c3e'),
  'RcJobId',
  ews.MapiPropertyType.String,
);

const session = useSimulatorSession([OWNER]);

async function draft(subject: string): Promise<ews.EmailMessage> {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = subject;
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'first line');
  m.ToRecipients.Add('a@external.example');
  m.SetExtendedProperty(PROP, 'job-1');
  await m.Save(ews.WellKnownFolderName.Drafts);
  return m;
}

async function load(id: ews.ItemId): Promise<ews.EmailMessage> {
  return ews.EmailMessage.Bind(
    session.client.service,
    id,
    new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [PROP]),
  );
}

test('UpdateItem sets, appends and deletes fields and extended properties; the ChangeKey changes on every write', async () => {
  const m = await draft('Original');
  const firstKey = m.Id.ChangeKey;
  m.Subject = 'Renamed';
  m.Importance = ews.Importance.High;
  m.CcRecipients.Add('c@external.example');
  m.SetExtendedProperty(PROP, 'job-2');
  await m.Update(ews.ConflictResolutionMode.AutoResolve);
  expect(m.Id.ChangeKey).not.toBe(firstKey);

  let fresh = await load(m.Id);
  expect(fresh.Subject).toBe('Renamed');
  expect(fresh.Importance).toBe(ews.Importance.High);
  expect(fresh.CcRecipients.GetEnumerator().map((r) => r.Address)).toEqual(['c@external.example']);
  const out: { outValue: unknown } = { outValue: null };
  expect(fresh.TryGetProperty(PROP, out)).toBe(true);
  expect(out.outValue).toBe('job-2');

  fresh.ToRecipients.Add('b@external.example');
  fresh.RemoveExtendedProperty(PROP);
  await fresh.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  fresh = await load(m.Id);
  expect(fresh.ToRecipients.GetEnumerator().map((r) => r.Address)).toEqual([
    'a@external.example',
    'b@external.example',
  ]);
  expect(fresh.TryGetProperty(PROP, { outValue: null })).toBe(false);

  const items = (await (
    await fetch(`${session.sim.url}/_sim/mailboxes/${OWNER}/items?folder=drafts`)
  ).json()) as Array<{ subject: string; extendedProperties: unknown[] }>;
  expect(items).toEqual([expect.objectContaining({ subject: 'Renamed', extendedProperties: [] })]);
});

test('a stale ChangeKey: NeverOverwrite and conflicting AutoResolve fail with ErrorIrresolvableConflict, AlwaysOverwrite wins', async () => {
  const m = await draft('Original');
  const stale = await load(m.Id);
  const staleAgain = await load(m.Id);
  const staleThird = await load(m.Id);

  m.Subject = 'Changed elsewhere';
  await m.Update(ews.ConflictResolutionMode.AutoResolve);

  stale.Subject = 'Mine';
  expect(
    (await rejection<{ ErrorCode?: number }>(stale.Update(ews.ConflictResolutionMode.AutoResolve))).ErrorCode,
  ).toBe(ews.ServiceError.ErrorIrresolvableConflict);
  staleAgain.Importance = ews.Importance.Low;
  expect(
    (await rejection<{ ErrorCode?: number }>(staleAgain.Update(ews.ConflictResolutionMode.NeverOverwrite)))
      .ErrorCode,
  ).toBe(ews.ServiceError.ErrorIrresolvableConflict);
  // A different field merges under AutoResolve.
  await staleAgain.Update(ews.ConflictResolutionMode.AutoResolve);
  staleThird.Subject = 'Forced';
  await staleThird.Update(ews.ConflictResolutionMode.AlwaysOverwrite);

  const fresh = await load(m.Id);
  expect(fresh.Subject).toBe('Forced');
  expect(fresh.Importance).toBe(ews.Importance.Low);
});

test('DeleteItem: MoveToDeletedItems, SoftDelete, HardDelete; an unknown id is ErrorItemNotFound for that item only', async () => {
  const a = await draft('A');
  const b = await draft('B');
  const c = await draft('C');
  await a.Delete(ews.DeleteMode.MoveToDeletedItems);
  const deleted = await session.client.service.FindItems(
    ews.WellKnownFolderName.DeletedItems,
    new ews.ItemView(10),
  );
  expect(deleted.Items.map((i) => i.Subject)).toEqual(['A']);
  await b.Delete(ews.DeleteMode.SoftDelete);
  expect((await rejection<{ ErrorCode?: number }>(load(b.Id))).ErrorCode).toBe(
    ews.ServiceError.ErrorItemNotFound,
  );

  const responses = await session.client.service.DeleteItems(
    [c.Id, b.Id],
    ews.DeleteMode.HardDelete,
    null as unknown as ews.SendCancellationsMode,
    null as unknown as ews.AffectedTaskOccurrence,
  );
  expect(responses.Responses.map((r) => r.ErrorCode)).toEqual([
    ews.ServiceError.NoError,
    ews.ServiceError.ErrorItemNotFound,
  ]);
  const drafts = await session.client.service.FindItems(ews.WellKnownFolderName.Drafts, new ews.ItemView(10));
  expect(drafts.TotalCount).toBe(0);
});
