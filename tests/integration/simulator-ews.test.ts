/**
 * The simulator's EWS face driven by unmodified ews-javascript-api over real sockets; every response body is
 * validated against Exchange's messages.xsd (see tests/helpers/simulator-ews-schema.ts).
 */
import * as ews from 'ews-javascript-api';
import { newItemId } from '../../simulator/ids';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import {
  bypassProxyForLocalhost,
  createEwsService,
  type RecordingService,
} from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { rejection } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const SENDER = 'sender@sim.test';
const RECEIVER = 'receiver@sim.test';
const RC_SET = 'c11ff724-aa03-4555-9952-8fa248a11c3e';
const JOB_PROP = new ews.ExtendedPropertyDefinition(
  new ews.Guid(RC_SET),
  'RcJobId',
  ews.MapiPropertyType.String,
);

let sim: RunningSimulator;
let client: RecordingService;

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [SENDER, RECEIVER] });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.store.reset();
  sim.setFaults({ throttleRate: 0, errorRate: 0, dropRate: 0, latencyMs: 0 });
  client = createEwsService(sim.ewsUrl, { user: SENDER, password: 'simulator' });
});

afterEach(async () => {
  await expectValidEwsResponses(client.responses.filter((r) => r.status !== 503).map((r) => r.body));
});

function message(subject: string, to: string[], jobId?: string): ews.EmailMessage {
  const m = new ews.EmailMessage(client.service);
  m.Subject = subject;
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'Hello from the test');
  for (const address of to) m.ToRecipients.Add(address);
  if (jobId) m.SetExtendedProperty(JOB_PROP, jobId);
  return m;
}

async function admin<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, init);
  expect(res.ok).toBe(true);
  return (await res.json()) as T;
}

test('SendAndSaveCopy keeps the extended property on the Sent Items copy and FindItem finds it by that property', async () => {
  await message('Invoice 42', [RECEIVER, 'someone@external.example'], 'job-42').SendAndSaveCopy();
  await message('Invoice 43', [RECEIVER], 'job-43').SendAndSaveCopy();

  const view = new ews.ItemView(10);
  view.PropertySet = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.Subject, JOB_PROP]);
  const found = await client.service.FindItems(
    ews.WellKnownFolderName.SentItems,
    new ews.SearchFilter.IsEqualTo(JOB_PROP, 'job-42'),
    view,
  );
  expect(found.TotalCount).toBe(1);
  expect(found.MoreAvailable).toBe(false);
  expect(found.Items[0].Subject).toBe('Invoice 42');

  const outParam: { outValue: unknown } = { outValue: null };
  expect(found.Items[0].TryGetProperty(JOB_PROP, outParam)).toBe(true);
  expect(outParam.outValue).toBe('job-42');

  const bySubject = await client.service.FindItems(
    ews.WellKnownFolderName.SentItems,
    new ews.SearchFilter.IsEqualTo(ews.ItemSchema.Subject, 'Invoice 43'),
    new ews.ItemView(10),
  );
  expect(bySubject.TotalCount).toBe(1);

  const outbound = await admin<Array<{ to: string[]; subject: string }>>('/_sim/outbound');
  expect(outbound).toEqual([
    expect.objectContaining({ to: ['someone@external.example'], subject: 'Invoice 42' }),
  ]);
  const sent = await admin<Array<{ subject: string; extendedProperties: unknown[]; from: string }>>(
    `/_sim/mailboxes/${SENDER}/items?folder=sentitems`,
  );
  expect(sent.map((i) => i.subject).sort()).toEqual(['Invoice 42', 'Invoice 43']);
  expect(sent.find((i) => i.subject === 'Invoice 42')?.extendedProperties).toEqual([
    { propertySetId: RC_SET, propertyName: 'RcJobId', propertyType: 'String', value: 'job-42' },
  ]);
});

test('a recipient that is a simulator mailbox receives the message in its Inbox', async () => {
  await message('Hello receiver', [RECEIVER], 'job-1').SendAndSaveCopy();
  const receiver = createEwsService(sim.ewsUrl, { user: RECEIVER, password: 'simulator' });
  const inbox = await receiver.service.FindItems(ews.WellKnownFolderName.Inbox, new ews.ItemView(10));
  expect(inbox.TotalCount).toBe(1);
  expect(inbox.Items[0].Subject).toBe('Hello receiver');
  const folder = await ews.Folder.Bind(receiver.service, ews.WellKnownFolderName.Inbox);
  expect(folder.DisplayName).toBe('Inbox');
  expect(folder.TotalCount).toBe(1);
  await expectValidEwsResponses(receiver.responses.map((r) => r.body));
});

test('SaveOnly creates a draft, SendItem sends it and moves it to Sent Items', async () => {
  const draft = message('Draft first', [RECEIVER], 'job-7');
  await draft.Save(ews.WellKnownFolderName.Drafts);
  expect(draft.Id.UniqueId).toMatch(/^[A-Za-z0-9+/]+=*$/);
  let drafts = await admin<unknown[]>(`/_sim/mailboxes/${SENDER}/items?folder=drafts`);
  expect(drafts).toHaveLength(1);

  await draft.SendAndSaveCopy();
  drafts = await admin<unknown[]>(`/_sim/mailboxes/${SENDER}/items?folder=drafts`);
  expect(drafts).toHaveLength(0);
  const sent = await admin<Array<{ subject: string; isDraft: boolean }>>(
    `/_sim/mailboxes/${SENDER}/items?folder=sentitems`,
  );
  expect(sent).toEqual([expect.objectContaining({ subject: 'Draft first', isDraft: false })]);
  const inbox = await admin<unknown[]>(`/_sim/mailboxes/${RECEIVER}/items?folder=inbox`);
  expect(inbox).toHaveLength(1);
});

test('GetItem returns AdditionalProperties (FieldURI and ExtendedFieldURI) and converts the body type', async () => {
  const draft = message('Bind me', [RECEIVER], 'job-9');
  draft.Body = new ews.MessageBody(
    ews.BodyType.HTML,
    '&lt;p&gt;Hello from the test &amp;amp; more&lt;/p&gt;',
  );
  draft.Importance = ews.Importance.High;
  draft.Categories = new ews.StringList(['rc']);
  await draft.Save(ews.WellKnownFolderName.Drafts);

  const shape = new ews.PropertySet(ews.BasePropertySet.IdOnly, [
    ews.ItemSchema.Subject,
    ews.ItemSchema.Body,
    ews.ItemSchema.Importance,
    ews.ItemSchema.Categories,
    ews.EmailMessageSchema.ToRecipients,
    JOB_PROP,
  ]);
  // ews-javascript-api drops RequestedBodyType HTML (enum value 0 is falsy) and asks for Best; Text works.
  shape.RequestedBodyType = ews.BodyType.Text;
  const item = await ews.EmailMessage.Bind(client.service, draft.Id, shape);
  expect(item.Subject).toBe('Bind me');
  expect(item.Importance).toBe(ews.Importance.High);
  expect(item.Categories.GetEnumerator()).toEqual(['rc']);
  expect(item.ToRecipients.GetEnumerator().map((r) => r.Address)).toEqual([RECEIVER]);
  expect(item.Body.BodyType).toBe(ews.BodyType.Text);
  expect(item.Body.Text).toBe('Hello from the test & more');
  const outParam: { outValue: unknown } = { outValue: null };
  expect(item.TryGetProperty(JOB_PROP, outParam)).toBe(true);
  expect(outParam.outValue).toBe('job-9');
});

test('GetItem on an unknown id gives ErrorItemNotFound, on a malformed id ErrorInvalidIdMalformed', async () => {
  const missing = await rejection(
    ews.Item.Bind(client.service, new ews.ItemId(newItemId('00000000-0000-0000-0000-000000000000'))),
  );
  expect(missing).toBeInstanceOf(ews.ServiceResponseException);
  expect(missing.ErrorCode).toBe(ews.ServiceError.ErrorItemNotFound);

  const malformed = await rejection(ews.Item.Bind(client.service, new ews.ItemId('not-an-id')));
  expect(malformed.ErrorCode).toBe(ews.ServiceError.ErrorInvalidIdMalformed);
});

test('an unescaped & in a subject sent by ews-javascript-api is refused with ErrorSchemaValidation', async () => {
  const err = await rejection(message('Tom & Jerry', [RECEIVER]).SendAndSaveCopy());
  expect(err).toBeInstanceOf(ews.SoapFaultDetails);
  expect(err.HttpStatusCode).toBe(500);
  expect(err.ResponseCode).toBe(ews.ServiceError.ErrorSchemaValidation);
  expect(err.LineNumber).toBe(1);
  expect(err.PositionWithinLine).toBeGreaterThan(0);
  expect(await admin<unknown[]>(`/_sim/mailboxes/${SENDER}/items?folder=sentitems`)).toHaveLength(0);
});

test('an unescaped HTML body (element children in t:Body) is refused with ErrorSchemaValidation', async () => {
  const m = message('html', [RECEIVER]);
  m.Body = new ews.MessageBody(ews.BodyType.HTML, '<p>hello</p>');
  const err = await rejection(m.SendAndSaveCopy());
  expect(err.ResponseCode).toBe(ews.ServiceError.ErrorSchemaValidation);

  const escaped = message('html ok', [RECEIVER]);
  escaped.Body = new ews.MessageBody(ews.BodyType.HTML, '&lt;p&gt;Tom &amp; Jerry&lt;/p&gt;');
  escaped.Subject = 'Tom &amp; Jerry';
  await escaped.SendAndSaveCopy();
  const [item] = await admin<Array<{ subject: string; body: string }>>(
    `/_sim/mailboxes/${SENDER}/items?folder=sentitems`,
  );
  expect(item).toEqual(expect.objectContaining({ subject: 'Tom & Jerry', body: '<p>Tom & Jerry</p>' }));
});

test('throttling surfaces as SoapFaultDetails with ErrorServerBusy and BackOffMilliseconds', async () => {
  sim.setFaults({ throttleRate: 1, backOffMs: 1234 });
  const err = await rejection(message('busy', [RECEIVER]).SendAndSaveCopy());
  expect(err).toBeInstanceOf(ews.SoapFaultDetails);
  expect(err.HttpStatusCode).toBe(500);
  expect(err.ResponseCode).toBe(ews.ServiceError.ErrorServerBusy);
  const details = err.ErrorDetails as { get(key: string): string };
  expect(details.get('BackOffMilliseconds')).toBe('1234');
  const stats = await admin<{
    mailboxes: Record<string, { throttled: number; requests: number; sends: number }>;
  }>('/_sim/stats');
  expect(stats.mailboxes[SENDER]).toMatchObject({
    requests: 1,
    sends: 0,
    throttled: 1,
    throttledByKind: { serverBusy: 1 },
  });
});

test('errorRate answers HTTP 503 and dropRate closes the connection', async () => {
  sim.setFaults({ errorRate: 1 });
  const unavailable = await rejection(message('503', [RECEIVER]).SendAndSaveCopy());
  expect(unavailable.HttpStatusCode).toBe(503);

  sim.setFaults({ errorRate: 0, dropRate: 1 });
  const dropped = await rejection(message('drop', [RECEIVER]).SendAndSaveCopy());
  expect(String(dropped.message ?? dropped.code)).toMatch(/socket hang up|ECONNRESET|Network Error/i);
  sim.setFaults({ dropRate: 0 });
  await message('after', [RECEIVER]).SendAndSaveCopy();
});

test('GetFolder resolves a DistinguishedFolderId with a Mailbox element; other mailboxes are denied to Basic users', async () => {
  const own = await ews.Folder.Bind(
    client.service,
    new ews.FolderId(ews.WellKnownFolderName.SentItems, new ews.Mailbox(SENDER)),
  );
  expect(own.DisplayName).toBe('Sent Items');
  const other = await rejection(
    ews.Folder.Bind(
      client.service,
      new ews.FolderId(ews.WellKnownFolderName.Inbox, new ews.Mailbox(RECEIVER)),
    ),
  );
  expect(other.ErrorCode).toBe(ews.ServiceError.ErrorAccessDenied);
  const nobody = await rejection(
    ews.Folder.Bind(
      client.service,
      new ews.FolderId(ews.WellKnownFolderName.Inbox, new ews.Mailbox('x@sim.test')),
    ),
  );
  expect(nobody.ErrorCode).toBe(ews.ServiceError.ErrorNonExistentMailbox);
});

test('invalid recipient addresses fail with ErrorInvalidRecipients; external valid ones are accepted', async () => {
  const err = await rejection(message('bad', ['not an address']).SendAndSaveCopy());
  expect(err.ErrorCode).toBe(ews.ServiceError.ErrorInvalidRecipients);
  await message('good', ['valid@external.example']).SendAndSaveCopy();
});

test('paging with IndexedPageItemView reports TotalItemsInView and MoreAvailable', async () => {
  for (let i = 0; i < 5; i++) await message(`page ${i}`, [RECEIVER]).SendAndSaveCopy();
  const first = await client.service.FindItems(ews.WellKnownFolderName.SentItems, new ews.ItemView(2, 0));
  expect(first.TotalCount).toBe(5);
  expect(first.MoreAvailable).toBe(true);
  expect(first.NextPageOffset).toBe(2);
  expect(first.Items.map((i) => i.Subject)).toEqual(['page 4', 'page 3']);
  const last = await client.service.FindItems(ews.WellKnownFolderName.SentItems, new ews.ItemView(2, 4));
  expect(last.MoreAvailable).toBe(false);
  expect(last.Items.map((i) => i.Subject)).toEqual(['page 0']);
});
