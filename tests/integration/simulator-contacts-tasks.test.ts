/**
 * Contacts, tasks, ResolveNames and FindItem SortOrder on the simulator, driven by unmodified ews-javascript-api:
 * a contact with the CRM fields saved and bound back, indexed updates (EmailAddress2, a phone number, an address
 * part), a contact in a public contacts folder, tasks through Status/PercentComplete to Completed, name resolution
 * against mailboxes and contacts (one, several, none), and OrderBy. Responses validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import { bypassProxyForLocalhost } from '../helpers/simulator-ews-client';
import { rejection, useSimulatorSession } from '../helpers/simulator-session';
import { basicAuth, postSoap, soapEnvelope } from '../helpers/simulator-raw-soap';

bypassProxyForLocalhost();

const OWNER = 'alice.smith@sim.test';
const COLLEAGUE = 'alan.jones@sim.test';
const session = useSimulatorSession([OWNER, COLLEAGUE]);

const PROP = new ews.ExtendedPropertyDefinition(
  new ews.Guid('c11ff724-aa03-4555-9952-8fa248a11c3e'),
  'CrmId',
  ews.MapiPropertyType.String,
);

function crmContact(given: string, surname: string, email: string): ews.Contact {
  const c = new ews.Contact(session.client.service);
  c.GivenName = given;
  c.Surname = surname;
  c.EmailAddresses._setItem(ews.EmailAddressKey.EmailAddress1, new ews.EmailAddress(email));
  return c;
}

async function bindContact(id: ews.ItemId): Promise<ews.Contact> {
  return ews.Contact.Bind(
    session.client.service,
    id,
    new ews.PropertySet(ews.BasePropertySet.FirstClassProperties, [PROP]),
  );
}

test('Contact.Save with the CRM fields, then Bind returns them; UpdateItem changes EmailAddress2 and a phone, deletes a phone and a field', async () => {
  const c = crmContact('Grace', 'Hopper', 'grace@navy.example');
  c.MiddleName = 'Brewster';
  c.CompanyName = 'US Navy';
  c.Department = 'Computing';
  c.JobTitle = 'Rear Admiral';
  c.EmailAddresses._setItem(ews.EmailAddressKey.EmailAddress2, new ews.EmailAddress('ghopper@home.example'));
  c.PhoneNumbers._setItem(ews.PhoneNumberKey.BusinessPhone, '+1 555 0100');
  c.PhoneNumbers._setItem(ews.PhoneNumberKey.MobilePhone, '+1 555 0199');
  const business = new ews.PhysicalAddressEntry();
  business.Street = '1 Navy Way';
  business.City = 'Arlington';
  business.State = 'VA';
  business.CountryOrRegion = 'USA';
  business.PostalCode = '22202';
  c.PhysicalAddresses._setItem(ews.PhysicalAddressKey.Business, business);
  c.BusinessHomePage = 'https://navy.example/grace';
  c.Birthday = new ews.DateTime(Date.UTC(1906, 11, 9, 12, 0, 0));
  c.Body = new ews.MessageBody(ews.BodyType.Text, 'Met at the &lt;COBOL&gt; meeting');
  c.Categories.Add('VIP');
  c.SetExtendedProperty(PROP, 'crm-42');
  await c.Save(ews.WellKnownFolderName.Contacts);

  let got = await bindContact(c.Id);
  expect(got.DisplayName).toBe('Grace Brewster Hopper');
  expect(got.FileAs).toBe('Hopper, Grace');
  expect(got.Subject).toBe('Grace Brewster Hopper');
  expect(got.ItemClass).toBe('IPM.Contact');
  expect([got.GivenName, got.MiddleName, got.Surname]).toEqual(['Grace', 'Brewster', 'Hopper']);
  expect([got.CompanyName, got.Department, got.JobTitle]).toEqual(['US Navy', 'Computing', 'Rear Admiral']);
  expect(got.EmailAddresses._getItem(ews.EmailAddressKey.EmailAddress1).Address).toBe('grace@navy.example');
  expect(got.EmailAddresses._getItem(ews.EmailAddressKey.EmailAddress2).Address).toBe('ghopper@home.example');
  expect(got.PhoneNumbers._getItem(ews.PhoneNumberKey.BusinessPhone)).toBe('+1 555 0100');
  expect(got.PhoneNumbers._getItem(ews.PhoneNumberKey.MobilePhone)).toBe('+1 555 0199');
  const address = got.PhysicalAddresses._getItem(ews.PhysicalAddressKey.Business);
  expect([address.Street, address.City, address.State, address.CountryOrRegion, address.PostalCode]).toEqual([
    '1 Navy Way',
    'Arlington',
    'VA',
    'USA',
    '22202',
  ]);
  expect(got.BusinessHomePage).toBe('https://navy.example/grace');
  expect(got.Birthday.ToISOString()).toBe('1906-12-09T12:00:00.000Z');
  expect(got.Body.Text).toBe('Met at the <COBOL> meeting');
  expect(got.Categories.GetEnumerator()).toEqual(['VIP']);
  const out: { outValue: unknown } = { outValue: null };
  expect(got.TryGetProperty(PROP, out)).toBe(true);
  expect(out.outValue).toBe('crm-42');

  const before = got.Id.ChangeKey;
  got.EmailAddresses._setItem(
    ews.EmailAddressKey.EmailAddress2,
    new ews.EmailAddress('grace@retired.example'),
  );
  got.PhoneNumbers._setItem(ews.PhoneNumberKey.BusinessPhone, '+1 555 0111');
  got.JobTitle = 'Commodore';
  await got.Update(ews.ConflictResolutionMode.AutoResolve);
  expect(got.Id.ChangeKey).not.toBe(before);

  got = await bindContact(c.Id);
  expect(got.EmailAddresses._getItem(ews.EmailAddressKey.EmailAddress1).Address).toBe('grace@navy.example');
  expect(got.EmailAddresses._getItem(ews.EmailAddressKey.EmailAddress2).Address).toBe(
    'grace@retired.example',
  );
  expect(got.PhoneNumbers._getItem(ews.PhoneNumberKey.BusinessPhone)).toBe('+1 555 0111');
  expect(got.PhoneNumbers._getItem(ews.PhoneNumberKey.MobilePhone)).toBe('+1 555 0199');
  expect(got.JobTitle).toBe('Commodore');

  got.PhoneNumbers._setItem(ews.PhoneNumberKey.MobilePhone, null as unknown as string);
  got.Department = null as unknown as string;
  await got.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  got = await bindContact(c.Id);
  expect(got.PhoneNumbers.TryGetValue(ews.PhoneNumberKey.MobilePhone, { outValue: '' })).toBe(false);
  expect(got.Department).toBeFalsy();
});

test('a contact saved into a public contacts folder lives there for every mailbox', async () => {
  const folder = new ews.ContactsFolder(session.client.service);
  folder.DisplayName = 'Company contacts';
  await folder.Save(ews.WellKnownFolderName.PublicFoldersRoot);
  const c = crmContact('Ada', 'Lovelace', 'ada@engine.example');
  c.CompanyName = 'Analytical Engines';
  await c.Save(folder.Id);

  const got = await bindContact(c.Id);
  expect(got.ParentFolderId.UniqueId).toBe(folder.Id.UniqueId);
  expect(got.CompanyName).toBe('Analytical Engines');
  const found = await session.client.service.FindItems(folder.Id, new ews.ItemView(10));
  expect(found.Items.map((i) => (i as ews.Contact).DisplayName)).toEqual(['Ada Lovelace']);
});

test('Task save and update to Completed: PercentComplete 100 and Status Completed go together with CompleteDate', async () => {
  const t = new ews.Task(session.client.service);
  t.Subject = 'Write the quarterly report';
  t.Body = new ews.MessageBody(ews.BodyType.Text, 'numbers first');
  t.StartDate = new ews.DateTime(Date.UTC(2026, 0, 5, 9, 0, 0));
  t.DueDate = new ews.DateTime(Date.UTC(2026, 0, 9, 17, 0, 0));
  t.Importance = ews.Importance.High;
  t.Categories.Add('Reports');
  t.ReminderDueBy = new ews.DateTime(Date.UTC(2026, 0, 9, 9, 0, 0));
  t.IsReminderSet = true;
  t.PercentComplete = 25;
  await t.Save(ews.WellKnownFolderName.Tasks);

  let got = await ews.Task.Bind(session.client.service, t.Id);
  expect(got.Subject).toBe('Write the quarterly report');
  expect(got.ItemClass).toBe('IPM.Task');
  expect(got.Status).toBe(ews.TaskStatus.InProgress);
  expect(got.PercentComplete).toBe(25);
  expect(got.IsComplete).toBe(false);
  expect(got.DueDate.ToISOString()).toBe('2026-01-09T17:00:00.000Z');
  expect(got.StartDate.ToISOString()).toBe('2026-01-05T09:00:00.000Z');
  expect(got.IsReminderSet).toBe(true);
  expect(got.ReminderDueBy.ToISOString()).toBe('2026-01-09T09:00:00.000Z');
  expect(got.Importance).toBe(ews.Importance.High);
  expect(got.Categories.GetEnumerator()).toEqual(['Reports']);
  expect(got.CompleteDate).toBeFalsy();

  got.Status = ews.TaskStatus.Completed;
  await got.Update(ews.ConflictResolutionMode.AutoResolve);
  got = await ews.Task.Bind(session.client.service, t.Id);
  expect(got.Status).toBe(ews.TaskStatus.Completed);
  expect(got.PercentComplete).toBe(100);
  expect(got.IsComplete).toBe(true);
  expect(got.CompleteDate).toBeTruthy();

  got.PercentComplete = 50;
  await got.Update(ews.ConflictResolutionMode.AutoResolve);
  got = await ews.Task.Bind(session.client.service, t.Id);
  expect(got.Status).toBe(ews.TaskStatus.InProgress);
  expect(got.CompleteDate).toBeFalsy();

  got.PercentComplete = 100;
  await got.Update(ews.ConflictResolutionMode.AutoResolve);
  got = await ews.Task.Bind(session.client.service, t.Id);
  expect(got.Status).toBe(ews.TaskStatus.Completed);

  got.PercentComplete = 140;
  const err = await rejection<{ ErrorCode: number }>(got.Update(ews.ConflictResolutionMode.AutoResolve));
  expect(err.ErrorCode).toBe(ews.ServiceError.ErrorInvalidPercentCompleteValue);
});

test('ResolveNames finds mailboxes and contacts by prefix; several are a warning, none is ErrorNameResolutionNoResults', async () => {
  session.sim.store.getMailbox(OWNER)!.displayName = 'Alice Smith';
  session.sim.store.getMailbox(COLLEAGUE)!.displayName = 'Alan Jones';
  const c = crmContact('Alfred', 'Smithers', 'alfred@partner.example');
  c.CompanyName = 'Partner Ltd';
  await c.Save(ews.WellKnownFolderName.Contacts);
  const service = session.client.service;

  const one = await service.ResolveName('Jones', ews.ResolveNameSearchLocation.DirectoryOnly, false);
  expect(one.Count).toBe(1);
  expect(one._getItem(0).Mailbox.Address).toBe(COLLEAGUE);
  expect(one._getItem(0).Mailbox.Name).toBe('Alan Jones');
  expect(one._getItem(0).Mailbox.MailboxType).toBe(ews.MailboxType.Mailbox);

  const contact = await service.ResolveName('alfred@', ews.ResolveNameSearchLocation.ContactsOnly, true);
  expect(contact.Count).toBe(1);
  expect(contact._getItem(0).Mailbox.MailboxType).toBe(ews.MailboxType.Contact);
  expect(contact._getItem(0).Mailbox.Id.UniqueId).toBe(c.Id.UniqueId);
  expect(contact._getItem(0).Contact.CompanyName).toBe('Partner Ltd');

  const several = await service.ResolveName(
    'smith',
    ews.ResolveNameSearchLocation.DirectoryThenContacts,
    true,
  );
  expect(several.Count).toBe(2);
  expect(several._getItem(0).Mailbox.Address).toBe(OWNER);
  expect(several._getItem(0).Contact.DisplayName).toBe('Alice Smith');
  expect(several._getItem(1).Mailbox.Address).toBe('alfred@partner.example');
  const warning = session.client.responses.at(-1)?.body ?? '';
  expect(warning).toContain('ResponseClass="Warning"');
  expect(warning).toContain('<m:ResponseCode>ErrorNameResolutionMultipleResults</m:ResponseCode>');

  const scoped = await service.ResolveName('al', ews.ResolveNameSearchLocation.ContactsThenDirectory, false);
  expect(scoped.Count).toBe(3);
  expect(scoped._getItem(0).Mailbox.MailboxType).toBe(ews.MailboxType.Contact);

  const folder = new ews.ContactsFolder(service);
  folder.DisplayName = 'Suppliers';
  await folder.Save(ews.WellKnownFolderName.Contacts);
  const supplier = crmContact('Alvin', 'Parts', 'alvin@parts.example');
  await supplier.Save(folder.Id);
  const inFolder = await service.ResolveName(
    'al',
    [folder.Id],
    ews.ResolveNameSearchLocation.ContactsOnly,
    false,
  );
  expect(inFolder.Count).toBe(1);
  expect(inFolder._getItem(0).Mailbox.Address).toBe('alvin@parts.example');
  const wrongFolder = await rejection<{ ErrorCode: number }>(
    service.ResolveName(
      'al',
      [new ews.FolderId(ews.WellKnownFolderName.Inbox)],
      ews.ResolveNameSearchLocation.ContactsOnly,
      false,
    ),
  );
  expect(wrongFolder.ErrorCode).toBe(ews.ServiceError.ErrorResolveNamesInvalidFolderType);

  // Like the EWS Managed API it ports, ews-javascript-api turns ErrorNameResolutionNoResults into no resolutions.
  const none = await service.ResolveName(
    'zebedee',
    ews.ResolveNameSearchLocation.DirectoryThenContacts,
    false,
  );
  expect(none.Count).toBe(0);
  const error = session.client.responses.at(-1)?.body ?? '';
  expect(error).toContain('ResponseClass="Error"');
  expect(error).toContain('<m:ResponseCode>ErrorNameResolutionNoResults</m:ResponseCode>');
});

test('FindItems with OrderBy sorts by subject, display name and creation time either way', async () => {
  for (const [given, surname] of [
    ['Carol', 'Baker'],
    ['alice', 'Zeta'],
    ['Bob', 'Young'],
  ]) {
    await crmContact(given, surname, `${given.toLowerCase()}@example.com`).Save(
      ews.WellKnownFolderName.Contacts,
    );
  }
  const names = async (field: ews.PropertyDefinitionBase, order: ews.SortDirection) => {
    const view = new ews.ItemView(10);
    view.OrderBy.Add(field, order);
    const found = await session.client.service.FindItems(ews.WellKnownFolderName.Contacts, view);
    return found.Items.map((i) => i.Subject);
  };
  expect(await names(ews.ContactSchema.DisplayName, ews.SortDirection.Ascending)).toEqual([
    'alice Zeta',
    'Bob Young',
    'Carol Baker',
  ]);
  expect(await names(ews.ItemSchema.Subject, ews.SortDirection.Descending)).toEqual([
    'Carol Baker',
    'Bob Young',
    'alice Zeta',
  ]);
  expect(await names(ews.ContactSchema.Surname, ews.SortDirection.Ascending)).toEqual([
    'Carol Baker',
    'Bob Young',
    'alice Zeta',
  ]);
  const unsortable = new ews.ItemView(10);
  unsortable.OrderBy.Add(ews.ItemSchema.Body, ews.SortDirection.Ascending);
  const err = await rejection<{ ErrorCode: number }>(
    session.client.service.FindItems(ews.WellKnownFolderName.Contacts, unsortable),
  );
  expect(err.ErrorCode).toBe(ews.ServiceError.ErrorUnsupportedPathForSortGroup);
  expect(await names(ews.ItemSchema.DateTimeCreated, ews.SortDirection.Ascending)).toEqual([
    'Carol Baker',
    'alice Zeta',
    'Bob Young',
  ]);
});

/** A hand-made SOAP request as the mailbox owner; its response is schema-checked with the client's. */
async function soap(body: string): Promise<string> {
  const { status, text } = await postSoap(session.sim.ewsUrl, soapEnvelope(body), basicAuth(OWNER));
  session.client.responses.push({ status, body: text });
  return text;
}

test('UpdateItem on contacts:PhysicalAddress:* parts and GetItem with contacts:* AdditionalProperties', async () => {
  const c = crmContact('Ada', 'Lovelace', 'ada@engine.example');
  const home = new ews.PhysicalAddressEntry();
  home.Street = '12 St James Square';
  home.City = 'London';
  c.PhysicalAddresses._setItem(ews.PhysicalAddressKey.Home, home);
  await c.Save(ews.WellKnownFolderName.Contacts);
  const path = (part: string) =>
    `<t:IndexedFieldURI FieldURI="contacts:PhysicalAddress:${part}" FieldIndex="Home"/>`;
  const updated = await soap(
    '<m:UpdateItem ConflictResolution="AlwaysOverwrite"><m:ItemChanges><t:ItemChange>' +
      `<t:ItemId Id="${c.Id.UniqueId}"/><t:Updates>` +
      `<t:SetItemField>${path('City')}<t:Contact><t:PhysicalAddresses><t:Entry Key="Home">` +
      '<t:City>Marylebone</t:City></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>' +
      `<t:SetItemField>${path('PostalCode')}<t:Contact><t:PhysicalAddresses><t:Entry Key="Home">` +
      '<t:PostalCode>NW1</t:PostalCode></t:Entry></t:PhysicalAddresses></t:Contact></t:SetItemField>' +
      `<t:DeleteItemField>${path('Street')}</t:DeleteItemField>` +
      '</t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>',
  );
  expect(updated).toContain('<m:ResponseCode>NoError</m:ResponseCode>');

  const got = await soap(
    '<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>' +
      '<t:FieldURI FieldURI="contacts:PhysicalAddresses"/><t:FieldURI FieldURI="contacts:Surname"/>' +
      `</t:AdditionalProperties></m:ItemShape><m:ItemIds><t:ItemId Id="${c.Id.UniqueId}"/></m:ItemIds></m:GetItem>`,
  );
  expect(got).toContain(
    '<t:PhysicalAddresses><t:Entry Key="Home"><t:City>Marylebone</t:City><t:PostalCode>NW1</t:PostalCode>' +
      '</t:Entry></t:PhysicalAddresses><t:Surname>Lovelace</t:Surname></t:Contact>',
  );
  expect(got).not.toContain('GivenName');

  const mismatch = await soap(
    '<m:UpdateItem ConflictResolution="AlwaysOverwrite"><m:ItemChanges><t:ItemChange>' +
      `<t:ItemId Id="${c.Id.UniqueId}"/><t:Updates><t:SetItemField>${path('City')}<t:Contact>` +
      '<t:PhysicalAddresses><t:Entry Key="Business"><t:City>Paris</t:City></t:Entry></t:PhysicalAddresses>' +
      '</t:Contact></t:SetItemField></t:Updates></t:ItemChange></m:ItemChanges></m:UpdateItem>',
  );
  expect(mismatch).toContain('<m:ResponseCode>ErrorUpdatePropertyMismatch</m:ResponseCode>');
});
