/**
 * EWS schema validation of requests (simulator/ews/schema-*.ts): requests that ews-javascript-api sends pass
 * (every simulator test runs with validation on, see tests/helpers/simulator-schema-env.ts), hand-made requests
 * that break messages.xsd get Exchange's ErrorSchemaValidation fault, and the per-request cost is printed.
 * Skipped, with a message, when the schemas are absent (RC_EWS_SCHEMA_DIR, default ../shared/ews-schema).
 */
import { DOMParser, type Element } from '@xmldom/xmldom';
import * as ews from 'ews-javascript-api';
import { requestValidation } from '../../simulator/ews/schema-request-validation';
import { hasEwsSchemas } from '../../simulator/ews/schema-loader';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { ewsSchemaDir } from '../helpers/simulator-ews-schema';

bypassProxyForLocalhost();

const SCHEMA_DIR = ewsSchemaDir();
const present = hasEwsSchemas(SCHEMA_DIR);
if (!present) {
  console.warn(
    `EWS request schema validation tests skipped: no messages.xsd/types.xsd in ${SCHEMA_DIR} (set RC_EWS_SCHEMA_DIR).`,
  );
}
const describeWithSchemas = present ? describe : describe.skip;

const USER = 'schema@sim.test';
const OTHER = 'peer@sim.test';
const M = 'http://schemas.microsoft.com/exchange/services/2006/messages';
const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const AUTH = `Basic ${Buffer.from(`${USER}:simulator`).toString('base64')}`;

function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
    `xmlns:m="${M}" xmlns:t="${T}">\n<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header>\n` +
    `<soap:Body>${body}</soap:Body></soap:Envelope>`
  );
}

const FIND_ITEM =
  '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape>' +
  '<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/>' +
  '<m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds></m:FindItem>';

function createItem(messageChildren: string): string {
  return (
    '<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:SavedItemFolderId><t:DistinguishedFolderId Id="sentitems"/>' +
    `</m:SavedItemFolderId><m:Items><t:Message>${messageChildren}</t:Message></m:Items></m:CreateItem>`
  );
}

const TO = `<t:ToRecipients><t:Mailbox><t:EmailAddress>${OTHER}</t:EmailAddress></t:Mailbox></t:ToRecipients>`;
const CREATE_ITEM = createItem(
  '<t:Subject>Quarterly report</t:Subject><t:Body BodyType="HTML">&lt;p&gt;Hello&lt;/p&gt;</t:Body>' +
    '<t:ExtendedProperty><t:ExtendedFieldURI PropertySetId="c11ff724-aa03-4555-9952-8fa248a11c3e" ' +
    'PropertyName="rcMailItemId" PropertyType="String"/><t:Value>42</t:Value></t:ExtendedProperty>' +
    TO,
);

interface Posted {
  status: number;
  text: string;
  violation?: string;
  line?: number;
  position?: number;
}

async function post(sim: RunningSimulator, xml: string): Promise<Posted> {
  const res = await fetch(sim.ewsUrl, {
    method: 'POST',
    headers: { Authorization: AUTH, 'Content-Type': 'text/xml; charset=utf-8' },
    body: xml,
  });
  const text = await res.text();
  const doc = new DOMParser().parseFromString(text, 'text/xml');
  const one = (name: string) => doc.getElementsByTagNameNS(T, name).item(0)?.textContent ?? undefined;
  return {
    status: res.status,
    text,
    violation: one('Violation'),
    line: one('LineNumber') === undefined ? undefined : Number(one('LineNumber')),
    position: one('LinePosition') === undefined ? undefined : Number(one('LinePosition')),
  };
}

describeWithSchemas('EWS schema validation of requests', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ mailboxes: [USER, OTHER], schemaDir: SCHEMA_DIR });
  });
  afterAll(async () => {
    await sim.close();
  });

  test('the simulator reports schema mode', () => {
    expect(sim.requestValidation).toMatchObject({ mode: 'schema', schemaDir: SCHEMA_DIR });
    expect(sim.requestValidation.description).toContain('messages.xsd');
  });

  test('requests ews-javascript-api sends pass validation', async () => {
    const { service, responses } = createEwsService(sim.ewsUrl, { user: USER, password: 'simulator' });
    const prop = new ews.ExtendedPropertyDefinition(
      new ews.Guid('c11ff724-aa03-4555-9952-8fa248a11c3e'),
      'rcMailItemId',
      ews.MapiPropertyType.String,
    );
    const m = new ews.EmailMessage(service);
    m.Subject = 'schema &amp; validation';
    m.Body = new ews.MessageBody(ews.BodyType.HTML, '&lt;p&gt;hi&lt;/p&gt;');
    m.ToRecipients.Add(OTHER);
    m.CcRecipients.Add('external@example.com');
    m.Importance = ews.Importance.High;
    m.SetExtendedProperty(prop, '7');
    await m.SendAndSaveCopy(ews.WellKnownFolderName.SentItems);

    const view = new ews.ItemView(5);
    view.PropertySet = new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [prop]);
    const filter = new ews.SearchFilter.SearchFilterCollection(ews.LogicalOperator.And, [
      new ews.SearchFilter.IsEqualTo(prop, '7'),
      new ews.SearchFilter.ContainsSubstring(ews.ItemSchema.Subject, 'schema'),
    ]);
    const found = await service.FindItems(ews.WellKnownFolderName.SentItems, filter, view);
    expect(found.Items).toHaveLength(1);
    const items = await service.BindToItems(
      [found.Items[0].Id],
      new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [prop]),
    );
    expect(items.Responses[0].Item.Subject).toBe('schema & validation');
    await ews.Folder.Bind(service, ews.WellKnownFolderName.Inbox);
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });

  test('a valid hand-made CreateItem and FindItem pass', async () => {
    expect((await post(sim, envelope(CREATE_ITEM))).status).toBe(200);
    expect((await post(sim, envelope(FIND_ITEM))).status).toBe(200);
  });

  const invalid: Array<[string, string, RegExp]> = [
    [
      'wrong element order',
      FIND_ITEM.replace(
        '<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/>',
        '',
      ).replace(
        '<m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds>',
        '<m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds>' +
          '<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/>',
      ),
      /^The element 'FindItem' in namespace '[^']+messages' has invalid child element 'IndexedPageItemView' in namespace '[^']+messages'\. List of possible elements expected: 'QueryString' in namespace '[^']+messages'\. Line 4, position \d+\.$/,
    ],
    [
      'unknown element',
      createItem(`<t:Subject>s</t:Subject><t:Colour>red</t:Colour>${TO}`),
      /^The element 'Message' in namespace '[^']+types' has invalid child element 'Colour' in namespace '[^']+types'\. List of possible elements expected: '[^']*\bSensitivity, Body\b[^']*' in namespace '[^']+types'\. Line 4, position \d+\.$/,
    ],
    [
      'bad enum value',
      createItem(`<t:Subject>s</t:Subject><t:Body BodyType="Markdown">x</t:Body>${TO}`),
      /^The 'BodyType' attribute is invalid - The value 'Markdown' is invalid according to its datatype '[^']+types:BodyTypeType' - The Enumeration constraint failed\. Line 4, position \d+\.$/,
    ],
    [
      'missing required element',
      '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape></m:FindItem>',
      /^The element 'FindItem' in namespace '[^']+messages' has incomplete content\. List of possible elements expected: '[^']*\bParentFolderIds' in namespace '[^']+messages'\. Line 4, position \d+\.$/,
    ],
    [
      'missing required attribute',
      FIND_ITEM.replace(' Traversal="Shallow"', ''),
      /^The required attribute 'Traversal' is missing\. Line 4, position 13\.$/,
    ],
  ];

  test.each(invalid)(
    '%s → HTTP 500 ErrorSchemaValidation with the violation',
    async (_name, body, violation) => {
      const res = await post(sim, envelope(body));
      expect(res.status).toBe(500);
      expect(res.text).toContain(
        '<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode>',
      );
      expect(res.text).toContain(
        '<e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorSchemaValidation</e:ResponseCode>',
      );
      expect(res.violation).toMatch(violation);
      expect(res.line).toBe(4);
      expect(res.position).toBeGreaterThan(0);
    },
  );

  test('an unknown empty element inside an item is refused too', async () => {
    const res = await post(sim, envelope(createItem(`<t:Subject>s</t:Subject><t:Unknown/>${TO}`)));
    expect(res.status).toBe(500);
    expect(res.violation).toContain("invalid child element 'Unknown'");
  });

  test('a SOAP header the schema declares is validated too', async () => {
    const xml = envelope(FIND_ITEM).replace('Version="Exchange2013_SP1"', 'Version="Exchange2099"');
    const res = await post(sim, xml);
    expect(res.status).toBe(500);
    expect(res.violation).toMatch(
      /^The 'Version' attribute is invalid - The value 'Exchange2099' is invalid/,
    );
  });

  test('per-request validation cost (typical CreateItem / FindItem)', () => {
    const validation = requestValidation(SCHEMA_DIR);
    const operationOf = (xml: string) => {
      const doc = new DOMParser().parseFromString(xml, 'text/xml');
      return doc.getElementsByTagNameNS(M, '*').item(0) as Element;
    };
    const create = operationOf(envelope(CREATE_ITEM));
    const find = operationOf(envelope(FIND_ITEM));
    // The timing below is only worth printing when it measures real schema validation: valid requests pass and
    // a broken one is caught.
    expect(validation.mode).toBe('schema');
    expect(() => validation.validate(create)).not.toThrow();
    expect(() => validation.validate(find)).not.toThrow();
    const broken = operationOf(envelope(FIND_ITEM.replace(' Traversal="Shallow"', '')));
    expect(() => validation.validate(broken)).toThrow(/The required attribute 'Traversal' is missing/);
    const rounds = 2000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i += 1) {
      validation.validate(create);
      validation.validate(find);
    }
    const micros = Number(process.hrtime.bigint() - started) / 1000 / (rounds * 2);
    console.log(`EWS schema validation: ${micros.toFixed(1)} µs per request (CreateItem/FindItem, warm)`);
  });
});

test('without a schema folder the simulator checks well-formedness only', async () => {
  const saved = process.env.RC_EWS_SCHEMA_DIR;
  delete process.env.RC_EWS_SCHEMA_DIR;
  const sim = await startSimulator({ mailboxes: [USER] });
  try {
    expect(sim.requestValidation.mode).toBe('well-formed');
    expect(sim.requestValidation.description).toContain('well-formedness checks only');
    const res = await post(
      sim,
      envelope(createItem(`<t:Subject>s</t:Subject><t:Colour>red</t:Colour>${TO}`)),
    );
    expect(res.violation).toBeUndefined();
  } finally {
    if (saved !== undefined) process.env.RC_EWS_SCHEMA_DIR = saved;
    await sim.close();
  }
});

test('an explicit schema folder without the schemas is refused', async () => {
  await expect(startSimulator({ schemaDir: '/nonexistent/ews-schema' })).rejects.toThrow(
    /no messages\.xsd and types\.xsd in \/nonexistent\/ews-schema/,
  );
});
