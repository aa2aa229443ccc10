/** Hand-made SOAP requests: exact fault shapes, unsupported operations, restrictions, admin API and web page. */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { bypassProxyForLocalhost } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { postSoap, soapEnvelope } from '../helpers/simulator-raw-soap';

bypassProxyForLocalhost();

const USER = 'raw@sim.test';
const OTHER = 'other@sim.test';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const AUTH = `Basic ${Buffer.from(`${USER}:simulator`).toString('base64')}`;

let sim: RunningSimulator;
let valid: string[];

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [USER, OTHER] });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.store.reset();
  sim.setFaults({ throttleRate: 0 });
  valid = [];
});
afterEach(async () => {
  await expectValidEwsResponses(valid);
});

const envelope = soapEnvelope;

async function post(xml: string): Promise<{ status: number; text: string; doc: Document }> {
  const { status, text } = await postSoap(sim.ewsUrl, xml, AUTH);
  if (status === 200) valid.push(text);
  return { status, text, doc: new DOMParser().parseFromString(text, 'text/xml') as unknown as Document };
}

function elements(doc: Document, ns: string, localName: string): Element[] {
  const list = doc.getElementsByTagNameNS(ns, localName);
  const out: Element[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i) as Element);
  return out;
}

function texts(doc: Document, localName: string): string[] {
  return elements(doc, '*', localName).map((e) => e.textContent ?? '');
}

const message = (subject: string, jobId: string, to = 'x@external.example') =>
  `<t:Message><t:Subject>${subject}</t:Subject><t:Body BodyType="Text">b</t:Body>` +
  `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="Job" PropertyType="String"/>` +
  `<t:Value>${jobId}</t:Value></t:ExtendedProperty>` +
  `<t:ToRecipients><t:Mailbox><t:EmailAddress>${to}</t:EmailAddress></t:Mailbox></t:ToRecipients></t:Message>`;

const create = (disposition: string, items: string) =>
  envelope(`<m:CreateItem MessageDisposition="${disposition}"><m:Items>${items}</m:Items></m:CreateItem>`);

test('a raw & is answered like Exchange: HTTP 500 ErrorSchemaValidation fault with line and position', async () => {
  const xml = create('SendAndSaveCopy', message('Fish & Chips', '1'));
  const { status, text, doc } = await post(xml);
  expect(status).toBe(500);
  expect(texts(doc, 'faultcode')).toEqual(['a:ErrorSchemaValidation']);
  expect(texts(doc, 'ResponseCode')).toEqual(['ErrorSchemaValidation']);
  expect(texts(doc, 'Message')).toEqual(['The request failed schema validation.']);
  expect(texts(doc, 'LineNumber')).toEqual(['2']);
  const expectedPosition = xml.split('\n')[1].indexOf('& Chips') + 2;
  expect(texts(doc, 'LinePosition')).toEqual([String(expectedPosition)]);
  expect(texts(doc, 'Violation')[0]).toMatch(
    /^An error occurred while parsing EntityName\. Line 2, position \d+\.$/,
  );
  expect(text).toContain('<faultstring xml:lang="en-US">The request failed schema validation: ');
});

test('the throttling fault carries BackOffMilliseconds in t:MessageXml', async () => {
  sim.setFaults({ throttleRate: 1, backOffMs: 5000 });
  const { status, doc } = await post(create('SendOnly', message('busy', '1')));
  expect(status).toBe(500);
  expect(texts(doc, 'faultcode')).toEqual(['a:ErrorServerBusy']);
  const value = elements(doc, T, 'Value')[0];
  expect(value.getAttribute('Name')).toBe('BackOffMilliseconds');
  expect(value.textContent).toBe('5000');
});

test('every response carries ServerVersionInfo like Exchange Online', async () => {
  const { text } = await post(create('SaveOnly', message('v', '1')));
  expect(text).toMatch(
    /<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="\d+" MinorBuildNumber="\d+" Version="V2018_01_08" xmlns:h="http:\/\/schemas\.microsoft\.com\/exchange\/services\/2006\/types"/,
  );
});

test('one response message per item, in order, errors included', async () => {
  const { status, doc } = await post(
    create('SendAndSaveCopy', message('a', '1') + message('b', '2', 'bad address') + message('c', '3')),
  );
  expect(status).toBe(200);
  const classes = elements(doc, '*', 'CreateItemResponseMessage').map((e) => e.getAttribute('ResponseClass'));
  expect(classes).toEqual(['Success', 'Error', 'Success']);
  expect(texts(doc, 'ResponseCode')).toEqual(['NoError', 'ErrorInvalidRecipients', 'NoError']);
});

test('FindItem restrictions: IsEqualTo on a distinguished-set property, And/Or/Contains on Subject', async () => {
  await post(
    create(
      'SendAndSaveCopy',
      message('Quarterly report', 'J1') + message('Weekly report', 'J2') + message('Lunch', 'J3'),
    ),
  );
  const find = (restriction: string) =>
    post(
      envelope(
        `<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>Default</t:BaseShape></m:ItemShape>` +
          `<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/>` +
          `<m:Restriction>${restriction}</m:Restriction>` +
          `<m:ParentFolderIds><t:DistinguishedFolderId Id="sentitems"/></m:ParentFolderIds></m:FindItem>`,
      ),
    );
  const prop =
    '<t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="Job" PropertyType="String"/>';
  const eq = (path: string, v: string) =>
    `<t:IsEqualTo>${path}<t:FieldURIOrConstant><t:Constant Value="${v}"/></t:FieldURIOrConstant></t:IsEqualTo>`;
  const subject = '<t:FieldURI FieldURI="item:Subject"/>';
  const contains = (v: string) =>
    `<t:Contains ContainmentMode="Substring" ContainmentComparison="IgnoreCase">${subject}<t:Constant Value="${v}"/></t:Contains>`;

  expect(texts((await find(eq(prop, 'J2'))).doc, 'Subject')).toEqual(['Weekly report']);
  expect(texts((await find(contains('REPORT'))).doc, 'Subject')).toEqual([
    'Weekly report',
    'Quarterly report',
  ]);
  expect(texts((await find(`<t:And>${contains('report')}${eq(prop, 'J1')}</t:And>`)).doc, 'Subject')).toEqual(
    ['Quarterly report'],
  );
  expect(texts((await find(`<t:Or>${eq(subject, 'Lunch')}${eq(prop, 'J1')}</t:Or>`)).doc, 'Subject')).toEqual(
    ['Lunch', 'Quarterly report'],
  );
  const root = (await find(eq(prop, 'none'))).doc.getElementsByTagNameNS('*', 'RootFolder')[0];
  expect(root.getAttribute('TotalItemsInView')).toBe('0');
  expect(root.getAttribute('IncludesLastItemInRange')).toBe('true');
});

test('unsupported operations and non-SOAP bodies fail with proper faults, never a crash', async () => {
  const unsupported = await post(
    envelope(
      '<m:EmptyFolder DeleteType="HardDelete" DeleteSubFolders="false">' +
        '<m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:EmptyFolder>',
    ),
  );
  expect(unsupported.status).toBe(500);
  expect(texts(unsupported.doc, 'ResponseCode')).toEqual(['ErrorInvalidOperation']);
  const notSoap = await post('<hello/>');
  expect(texts(notSoap.doc, 'ResponseCode')).toEqual(['ErrorInvalidRequest']);
  const broken = await post('<soap:Envelope');
  expect(texts(broken.doc, 'ResponseCode')).toEqual(['ErrorSchemaValidation']);
  const get = await fetch(sim.ewsUrl, { headers: { Authorization: AUTH } });
  expect(get.status).toBe(405);
});

test('SendItem with a stale ChangeKey fails with ErrorStaleObject; SaveItemToFolder=false deletes the draft', async () => {
  const saved = await post(create('SaveOnly', message('draft', 'D1')));
  const itemId = saved.doc.getElementsByTagNameNS(T, 'ItemId')[0];
  const id = itemId.getAttribute('Id');
  const send = (changeKey: string, save: string) =>
    post(
      envelope(
        `<m:SendItem SaveItemToFolder="${save}"><m:ItemIds><t:ItemId Id="${id}" ChangeKey="${changeKey}"/></m:ItemIds></m:SendItem>`,
      ),
    );
  expect(texts((await send('CQAAABYAAAAstale', 'true')).doc, 'ResponseCode')).toEqual(['ErrorStaleObject']);
  expect(texts((await send(itemId.getAttribute('ChangeKey') ?? '', 'false')).doc, 'ResponseCode')).toEqual([
    'NoError',
  ]);
  const mailbox = sim.store.getMailbox(USER)!;
  expect(sim.store.folder(mailbox, 'drafts').items.size).toBe(0);
  expect(sim.store.folder(mailbox, 'sentitems').items.size).toBe(0);
  expect(sim.store.outbound()).toHaveLength(1);
});

test('admin API: mailboxes, faults validation, reset; the web page escapes what it shows', async () => {
  const created = await fetch(`${sim.url}/_sim/mailboxes`, {
    method: 'POST',
    body: JSON.stringify({ address: 'new@sim.test', password: 'pw' }),
  });
  expect(created.status).toBe(201);
  const list = (await (await fetch(`${sim.url}/_sim/mailboxes`)).json()) as Array<{ address: string }>;
  expect(list.map((m) => m.address)).toEqual([USER, OTHER, 'new@sim.test']);
  expect(
    (await fetch(`${sim.url}/_sim/mailboxes`, { method: 'POST', body: '{"address":"nope"}' })).status,
  ).toBe(400);
  expect((await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{"throttleRate":2}' })).status).toBe(
    400,
  );
  const faults = await fetch(`${sim.url}/_sim/faults`, { method: 'POST', body: '{"latencyMs":1}' });
  expect(((await faults.json()) as { latencyMs: number }).latencyMs).toBe(1);
  sim.setFaults({ latencyMs: 0 });

  await post(create('SendAndSaveCopy', message('&lt;script&gt;alert(1)&lt;/script&gt;', 'W', OTHER)));
  const inboxId = sim.store.getMailbox(OTHER)?.folders.get('inbox')?.id ?? '';
  const folderPage = await fetch(`${sim.url}/mailboxes/${OTHER}/folders/${encodeURIComponent(inboxId)}`);
  expect(folderPage.headers.get('content-security-policy')).toContain("default-src 'none'");
  const page = await folderPage.text();
  expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(page).not.toContain('<script>alert');

  const inbox = (await (
    await fetch(`${sim.url}/_sim/mailboxes/${OTHER}/items?folder=inbox`)
  ).json()) as Array<Record<string, unknown>>;
  expect(inbox).toEqual([
    expect.objectContaining({
      subject: '<script>alert(1)</script>',
      from: USER,
      to: [OTHER],
      folder: 'inbox',
      extendedProperties: [],
    }),
  ]);
  expect((await fetch(`${sim.url}/_sim/reset`, { method: 'POST' })).status).toBe(200);
  expect(await (await fetch(`${sim.url}/_sim/mailboxes/${OTHER}/items`)).json()).toEqual([]);
  expect((await fetch(`${sim.url}/_sim/mailboxes/ghost@sim.test/items`)).status).toBe(404);
});
