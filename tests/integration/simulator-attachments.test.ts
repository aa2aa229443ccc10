/**
 * Attachments on the simulator driven by unmodified ews-javascript-api: AddFileAttachment + SendAndSaveCopy
 * (CreateItem, CreateAttachment, SendItem), GetItem + Load (GetAttachment) with byte-exact content, inline
 * attachments with ContentId, DeleteAttachment, error codes, and the admin download route. Responses validated
 * against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';
import { expectValidEwsResponses } from '../helpers/simulator-ews-schema';
import { useSimulatorSession } from '../helpers/simulator-session';
import { basicAuth, postSoap, soapEnvelope } from '../helpers/simulator-raw-soap';

bypassProxyForLocalhost();

const OWNER = 'attach@sim.test';
const PEER = 'peer@sim.test';
const session = useSimulatorSession([OWNER, PEER]);

/** ExchangeService.DeleteAttachments: what AttachmentCollection calls on save, missing from the library's typings. */
function deleteAttachments(
  attachments: ews.Attachment[],
): Promise<ews.ServiceResponseCollection<ews.ServiceResponse>> {
  const service = session.client.service as unknown as {
    DeleteAttachments(a: ews.Attachment[]): Promise<ews.ServiceResponseCollection<ews.ServiceResponse>>;
  };
  return service.DeleteAttachments(attachments);
}

const PDF = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x80, 0x0a, 0x0d, 0x7f]);
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

async function onlyItem(
  folder: ews.WellKnownFolderName,
  service: ews.ExchangeService = session.client.service,
): Promise<ews.EmailMessage> {
  const found = await service.FindItems(new ews.FolderId(folder), new ews.ItemView(10));
  expect(found.Items).toHaveLength(1);
  return ews.EmailMessage.Bind(service, found.Items[0].Id);
}

function fileAttachments(message: ews.EmailMessage): ews.FileAttachment[] {
  return message.Attachments.GetEnumerator() as ews.FileAttachment[];
}

test('AddFileAttachment + SendAndSaveCopy: the sent copy and the delivered copy carry byte-exact attachments', async () => {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = 'Report';
  m.Body = new ews.MessageBody(ews.BodyType.Text, 'see attached');
  m.ToRecipients.Add(PEER);
  m.Attachments.AddFileAttachment('report.pdf', PDF.toString('base64'));
  const inline = m.Attachments.AddFileAttachment('logo.png', PNG.toString('base64'));
  inline.IsInline = true;
  inline.ContentId = 'logo@rc';
  inline.ContentType = 'image/png';
  await m.SendAndSaveCopy();

  const peer = createEwsService(session.sim.ewsUrl, { user: PEER, password: 'simulator' });
  for (const [client, folder] of [
    [session.client, ews.WellKnownFolderName.SentItems],
    [peer, ews.WellKnownFolderName.Inbox],
  ] as const) {
    const sent = await onlyItem(folder, client.service);
    expect(sent.HasAttachments).toBe(true);
    const atts = fileAttachments(sent);
    expect(atts.map((a) => [a.Name, a.Size, a.IsInline, a.ContentId])).toEqual([
      ['report.pdf', PDF.length, false, null],
      ['logo.png', PNG.length, true, 'logo@rc'],
    ]);
    for (const a of atts) await a.Load();
    expect(Buffer.from(atts[0].Base64Content, 'base64').equals(PDF)).toBe(true);
    expect(Buffer.from(atts[1].Base64Content, 'base64').equals(PNG)).toBe(true);
    expect(atts[1].ContentType).toBe('image/png');
  }
  await expectValidEwsResponses(peer.responses.map((r) => r.body));

  const inbox = (await (
    await fetch(`${session.sim.url}/_sim/mailboxes/${PEER}/items?folder=inbox`)
  ).json()) as Array<{ id: string; attachments: unknown[] }>;
  expect(inbox[0].attachments).toEqual([
    { name: 'report.pdf', contentType: 'application/octet-stream', size: PDF.length, isInline: false },
    { name: 'logo.png', contentType: 'image/png', size: PNG.length, isInline: true, contentId: 'logo@rc' },
  ]);
  const download = await fetch(
    `${session.sim.url}/_sim/mailboxes/${PEER}/items/${encodeURIComponent(inbox[0].id)}/attachments/1`,
  );
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('image/png');
  expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
  const page = await (
    await fetch(
      `${session.sim.url}/mailboxes/${encodeURIComponent(PEER)}/items/${encodeURIComponent(inbox[0].id)}`,
    )
  ).text();
  expect(page).toContain(
    `href="/_sim/mailboxes/${encodeURIComponent(PEER)}/items/${encodeURIComponent(inbox[0].id)}/attachments/1" download>logo.png</a>`,
  );
  const missing = await fetch(
    `${session.sim.url}/_sim/mailboxes/${PEER}/items/${encodeURIComponent(inbox[0].id)}/attachments/7`,
  );
  expect(missing.status).toBe(404);
});

test('CreateAttachment on a saved draft bumps its ChangeKey; DeleteAttachment removes it; then SendItem works', async () => {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = 'Draft with files';
  m.ToRecipients.Add('someone@external.example');
  await m.Save(ews.WellKnownFolderName.Drafts);
  const firstKey = m.Id.ChangeKey;

  m.Attachments.AddFileAttachment('a.txt', Buffer.from('alpha').toString('base64'));
  m.Attachments.AddFileAttachment('b.txt', Buffer.from('beta').toString('base64'));
  await m.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  let draft = await onlyItem(ews.WellKnownFolderName.Drafts);
  expect(draft.Id.ChangeKey).not.toBe(firstKey);
  expect(fileAttachments(draft).map((a) => a.Name)).toEqual(['a.txt', 'b.txt']);

  draft.Attachments.Remove(fileAttachments(draft)[0]);
  await draft.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  draft = await onlyItem(ews.WellKnownFolderName.Drafts);
  const left = fileAttachments(draft);
  expect(left.map((a) => a.Name)).toEqual(['b.txt']);
  await left[0].Load();
  expect(Buffer.from(left[0].Base64Content, 'base64').toString()).toBe('beta');

  await draft.SendAndSaveCopy();
  const sent = await onlyItem(ews.WellKnownFolderName.SentItems);
  expect(fileAttachments(sent).map((a) => a.Name)).toEqual(['b.txt']);
});

test('GetAttachment and DeleteAttachment errors: malformed id, deleted attachment, item gone', async () => {
  const service = session.client.service;
  const malformed = await service.GetAttachments(['not-an-id'], ews.BodyType.Text, []);
  expect(malformed.Responses[0].ErrorCode).toBe(ews.ServiceError.ErrorInvalidIdMalformed);

  const m = new ews.EmailMessage(service);
  m.Subject = 'gone';
  m.Attachments.AddFileAttachment('x.bin', Buffer.from([1, 2, 3]).toString('base64'));
  await m.Save(ews.WellKnownFolderName.Drafts);
  const draft = await onlyItem(ews.WellKnownFolderName.Drafts);
  const attachment = fileAttachments(draft)[0];
  const id = attachment.Id;
  const deleted = await deleteAttachments([attachment]);
  expect(deleted.OverallResult).toBe(ews.ServiceResult.Success);
  const again = await service.GetAttachments([id], ews.BodyType.Text, []);
  expect(again.Responses[0].ErrorCode).toBe(ews.ServiceError.ErrorItemNotFound);

  await draft.Delete(ews.DeleteMode.HardDelete);
  const itemGone = await deleteAttachments([attachment]);
  expect(itemGone.OverallResult).toBe(ews.ServiceResult.Error);
  expect(itemGone.Responses[0].ErrorCode).toBe(ews.ServiceError.ErrorItemNotFound);
});

function decodedMime(message: ews.EmailMessage): string {
  return Buffer.from(message.MimeContent.Content, 'base64').toString('utf8');
}

test('GetItem with MimeContent returns a real RFC 5322 message with the attachments as MIME parts', async () => {
  const m = new ews.EmailMessage(session.client.service);
  m.Subject = 'Grüße &amp; more';
  m.Body = new ews.MessageBody(ews.BodyType.HTML, '&lt;p&gt;Hallo &lt;img src="cid:logo@rc"&gt;&lt;/p&gt;');
  m.ToRecipients.Add(new ews.EmailAddress('Zoë Peer', PEER));
  m.Importance = ews.Importance.High;
  m.Attachments.AddFileAttachment('report.pdf', PDF.toString('base64'));
  const inline = m.Attachments.AddFileAttachment('logo.png', PNG.toString('base64'));
  inline.IsInline = true;
  inline.ContentId = 'logo@rc';
  inline.ContentType = 'image/png';
  await m.SendAndSaveCopy();

  const sent = await onlyItem(ews.WellKnownFolderName.SentItems);
  await sent.Load(new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.ItemSchema.MimeContent]));
  expect(sent.MimeContent.CharacterSet).toBe('UTF-8');
  const mime = decodedMime(sent);
  const [head] = mime.split('\r\n\r\n');
  expect(head).toContain(`From: ${OWNER.split('@')[0]} <${OWNER}>`);
  expect(head).toContain(`To: =?UTF-8?B?${Buffer.from('Zoë Peer').toString('base64')}?= <${PEER}>`);
  expect(head).toContain(`Subject: =?UTF-8?B?${Buffer.from('Grüße & more').toString('base64')}?=`);
  expect(head).toMatch(/^Message-ID: <[0-9A-F]+@sim\.test>$/m);
  expect(head).toContain('Importance: high');
  expect(head).toContain('MIME-Version: 1.0');
  expect(head).toMatch(/^Content-Type: multipart\/mixed; boundary="[^"]+"$/m);
  expect(mime).toContain('Content-Type: multipart/related; type="text/html";');
  expect(mime).toContain('Content-Disposition: inline; filename="logo.png"');
  expect(mime).toContain('Content-ID: <logo@rc>');
  expect(mime).toContain('Content-Disposition: attachment; filename="report.pdf"');
  expect(mime).toContain(PNG.toString('base64'));
  expect(mime).toContain(PDF.toString('base64'));
});

test('CreateItem from MimeContent: headers become fields and parts become body and attachments', async () => {
  const raw = [
    `From: =?UTF-8?B?${Buffer.from('Jürgen Sender').toString('base64')}?= <${OWNER}>`,
    `To: "Peer, The" <${PEER}>, other@external.example`,
    `Subject: =?UTF-8?Q?Caf=C3=A9_report?=`,
    'Date: Tue, 3 Mar 2026 10:00:00 +0000',
    'Message-ID: <mime-1@client.example>',
    'Importance: low',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset="utf-8"',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Hello caf=C3=A9',
    '--b1',
    'Content-Type: application/pdf; name="r.pdf"',
    'Content-Disposition: attachment; filename="r.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    PDF.toString('base64'),
    '--b1--',
    '',
  ].join('\r\n');
  const m = new ews.EmailMessage(session.client.service);
  m.MimeContent = new ews.MimeContent('UTF-8', Buffer.from(raw).toString('base64'));
  await m.Save(ews.WellKnownFolderName.Drafts);

  const draft = await onlyItem(ews.WellKnownFolderName.Drafts);
  expect(draft.Subject).toBe('Café report');
  expect(draft.Body.BodyType).toBe(ews.BodyType.Text);
  expect(draft.Body.Text).toBe('Hello café');
  expect(draft.Importance).toBe(ews.Importance.Low);
  expect(draft.From.Name).toBe('Jürgen Sender');
  expect(draft.ToRecipients.GetEnumerator().map((r) => [r.Name, r.Address])).toEqual([
    ['Peer, The', PEER],
    ['other@external.example', 'other@external.example'],
  ]);
  const [att] = fileAttachments(draft);
  expect([att.Name, att.ContentType, att.Size]).toEqual(['r.pdf', 'application/pdf', PDF.length]);
  await att.Load();
  expect(Buffer.from(att.Base64Content, 'base64').equals(PDF)).toBe(true);

  await draft.Load(
    new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.EmailMessageSchema.InternetMessageId]),
  );
  expect(draft.InternetMessageId).toBe('<mime-1@client.example>');
});

describe('hand-made SOAP', () => {
  const raw: string[] = [];
  afterEach(async () => {
    await expectValidEwsResponses(raw.splice(0));
  });

  async function post(body: string): Promise<string> {
    const res = await postSoap(session.sim.ewsUrl, soapEnvelope(body), basicAuth(OWNER));
    const text = res.text;
    expect(res.status).toBe(200);
    raw.push(text);
    return text;
  }

  const attr = (xml: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(xml)?.[1] ?? '';

  test('CreateItem with an inline FileAttachment returns its AttachmentId; IncludeMimeContent; errors and RootItemId', async () => {
    const created = await post(
      '<m:CreateItem MessageDisposition="SaveOnly"><m:Items><t:Message><t:Subject>raw</t:Subject>' +
        '<t:Body BodyType="HTML">&lt;p&gt;x&lt;/p&gt;</t:Body><t:Attachments><t:FileAttachment><t:Name>a.bin</t:Name>' +
        '<t:ContentType>application/x-test</t:ContentType><t:ContentId>a@x</t:ContentId><t:IsInline>true</t:IsInline>' +
        `<t:Content>${PDF.toString('base64')}</t:Content></t:FileAttachment></t:Attachments></t:Message></m:Items></m:CreateItem>`,
    );
    expect(created).toMatch(
      /<t:Message><t:ItemId [^>]+\/><t:Attachments><t:FileAttachment><t:AttachmentId Id="[^"]+"\/><\/t:FileAttachment><\/t:Attachments><\/t:Message>/,
    );
    const itemId = attr(created, 'ItemId Id');
    const attachmentId = attr(created, 'AttachmentId Id');

    const got = await post(
      '<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent>' +
        `</m:ItemShape><m:ItemIds><t:ItemId Id="${itemId}"/></m:ItemIds></m:GetItem>`,
    );
    const mime = Buffer.from(
      /<t:MimeContent CharacterSet="UTF-8">([^<]+)</.exec(got)?.[1] ?? '',
      'base64',
    ).toString();
    expect(mime).toContain('Content-Type: multipart/related; type="text/html";');
    expect(mime).toContain('Content-ID: <a@x>');

    const noName = await post(
      `<m:CreateAttachment><m:ParentItemId Id="${itemId}"/><m:Attachments><t:FileAttachment>` +
        '<t:Content>AAEC</t:Content></t:FileAttachment><t:FileAttachment><t:Name>ok.txt</t:Name>' +
        '<t:Content>AAEC</t:Content></t:FileAttachment></m:Attachments></m:CreateAttachment>',
    );
    expect(noName).toContain(
      '<m:ResponseCode>ErrorRequiredPropertyMissing</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>' +
        '<m:MessageXml><t:ExceptionFieldURI FieldURI="attachment:Name"/></m:MessageXml><m:Attachments/>',
    );
    expect(noName).toMatch(/<t:AttachmentId Id="[^"]+" RootItemId="[^"]+" RootItemChangeKey="[^"]+"\/>/);

    const badParent = await post(
      '<m:CreateAttachment><m:ParentItemId Id="AAAA"/><m:Attachments><t:FileAttachment><t:Name>x</t:Name>' +
        '<t:Content>AAEC</t:Content></t:FileAttachment></m:Attachments></m:CreateAttachment>',
    );
    expect(badParent).toContain('<m:ResponseCode>ErrorInvalidIdMalformed</m:ResponseCode>');

    const deleted = await post(
      `<m:DeleteAttachment><m:AttachmentIds><t:AttachmentId Id="${attachmentId}"/></m:AttachmentIds></m:DeleteAttachment>`,
    );
    const stored = session.sim.store.getItem(itemId);
    expect(deleted).toContain(
      `<m:RootItemId RootItemId="${itemId}" RootItemChangeKey="${stored?.changeKey ?? ''}"/>`,
    );
    expect(stored?.attachments.map((a) => a.name)).toEqual(['ok.txt']);
  });
});
