/**
 * The contact and task EwsItemKinds (worker/exchange/ews/ews-contact.ts, ews-task.ts) against the simulator, the
 * way ews-items.ts uses them: applyFields on a new item then Save; applyFields on an object that knows only the
 * ItemId (nothing loaded) then Update — only the fields given change, null clears (indexed entries included).
 * What Exchange holds is read through the simulator's admin API. Responses validated against messages.xsd.
 */
import * as ews from 'ews-javascript-api';
import type { AdminItem } from '../../simulator';
import { ewsContact } from '../../worker/exchange/ews/ews-contact';
import { ewsTask } from '../../worker/exchange/ews/ews-task';
import type { ContactFields } from '../../worker/exchange/contact-fields';
import type { TaskFields } from '../../worker/exchange/task-fields';
import { bypassProxyForLocalhost } from '../helpers/simulator-ews-client';
import { useSimulatorSession } from '../helpers/simulator-session';

bypassProxyForLocalhost();

const OWNER = 'owner@sim.test';
const session = useSimulatorSession([OWNER]);

async function adminItems(folder: string): Promise<AdminItem[]> {
  const res = await fetch(`${session.sim.url}/_sim/mailboxes/${OWNER}/items?folder=${folder}`);
  return (await res.json()) as AdminItem[];
}

async function only(folder: string): Promise<AdminItem> {
  const items = await adminItems(folder);
  expect(items).toHaveLength(1);
  return items[0]!;
}

/** An item object standing for an existing item, nothing loaded (as ews-items.ts builds it for UpdateItem). */
async function existing<T extends ews.Item>(
  id: ews.ItemId,
  bind: typeof ews.Contact | typeof ews.Task,
): Promise<T> {
  return (await bind.Bind(
    session.client.service,
    id,
    new ews.PropertySet(ews.BasePropertySet.IdOnly),
  )) as unknown as T;
}

const ALL_CONTACT_FIELDS: ContactFields = {
  givenName: 'Anna',
  middleName: 'Maria',
  surname: 'Berg & Söhne',
  displayName: 'Anna Berg <Sales>',
  companyName: 'Q&A "Tools" GmbH',
  department: 'Vertrieb',
  jobTitle: 'Key Account',
  emailAddress1: 'anna@example.com',
  emailAddress2: "o'brien@example.org",
  emailAddress3: 'third@example.net',
  businessPhone: '+49 30 1234',
  homePhone: '+49 30 9876',
  mobilePhone: '+49 170 555',
  businessFax: '+49 30 1235',
  businessAddress: {
    street: 'Hauptstr. 1\nHinterhaus',
    city: 'Berlin',
    state: 'BE',
    postalCode: '10115',
    countryOrRegion: 'Germany',
  },
  homeAddress: {
    street: 'Gartenweg 2',
    city: 'Potsdam',
    state: null,
    postalCode: '14467',
    countryOrRegion: null,
  },
  webPage: 'https://example.com/?a=1&b=<2>',
  birthday: '1980-05-17',
  notes: 'Prefers <email> & calls\r\nafter 10',
  categories: ['Customer', 'A&B'],
};

test('a new contact gets every field, strings arrive unescaped (XML escaping is right)', async () => {
  const contact = ewsContact.newItem(session.client.service);
  ewsContact.applyFields(contact, ALL_CONTACT_FIELDS, session.client.service);
  await contact.Save(ews.WellKnownFolderName.Contacts);

  const item = await only('contacts');
  expect(item.categories).toEqual(['Customer', 'A&B']);
  expect(item.body).toBe('Prefers <email> & calls\r\nafter 10');
  expect(item.subject).toBe('Anna Berg <Sales>');
  expect(item.contact).toMatchObject({
    givenName: 'Anna',
    middleName: 'Maria',
    surname: 'Berg & Söhne',
    displayName: 'Anna Berg <Sales>',
    companyName: 'Q&A "Tools" GmbH',
    department: 'Vertrieb',
    jobTitle: 'Key Account',
    emails: {
      EmailAddress1: 'anna@example.com',
      EmailAddress2: "o'brien@example.org",
      EmailAddress3: 'third@example.net',
    },
    phones: {
      BusinessPhone: '+49 30 1234',
      HomePhone: '+49 30 9876',
      MobilePhone: '+49 170 555',
      BusinessFax: '+49 30 1235',
    },
    addresses: {
      Business: {
        street: 'Hauptstr. 1\nHinterhaus',
        city: 'Berlin',
        state: 'BE',
        postalCode: '10115',
        countryOrRegion: 'Germany',
      },
      // Parts given as null are simply not set on a new contact.
      Home: { street: 'Gartenweg 2', city: 'Potsdam', postalCode: '14467' },
    },
    businessHomePage: 'https://example.com/?a=1&b=<2>',
    birthday: '1980-05-17T00:00:00.000Z',
  });
});

test('a new contact with nulls and no categories sets nothing for them', async () => {
  const contact = ewsContact.newItem(session.client.service);
  ewsContact.applyFields(
    contact,
    {
      givenName: 'Bo',
      surname: null,
      emailAddress1: null,
      businessAddress: null,
      birthday: null,
      categories: [],
    },
    session.client.service,
  );
  await contact.Save(ews.WellKnownFolderName.Contacts);
  const item = await only('contacts');
  expect(item.categories).toEqual([]);
  expect(item.contact?.surname).toBeUndefined();
  expect(item.contact?.emails ?? {}).toEqual({});
  expect(item.contact?.addresses ?? {}).toEqual({});
  expect(item.contact?.birthday).toBeUndefined();
});

test('an update changes the given fields only; null clears simple, indexed and address-part fields', async () => {
  const contact = ewsContact.newItem(session.client.service);
  ewsContact.applyFields(contact, ALL_CONTACT_FIELDS, session.client.service);
  await contact.Save(ews.WellKnownFolderName.Contacts);

  const target = await existing<ews.Contact>(contact.Id, ews.Contact);
  ewsContact.applyFields(
    target,
    {
      surname: 'Lind',
      jobTitle: null,
      emailAddress2: null,
      emailAddress3: 'new3@example.net',
      mobilePhone: null,
      homePhone: '+49 331 1',
      businessAddress: { city: 'Hamburg', street: null },
      homeAddress: null,
      webPage: null,
      birthday: null,
      notes: null,
      categories: [],
    },
    session.client.service,
  );
  await target.Update(ews.ConflictResolutionMode.AlwaysOverwrite);

  const item = await only('contacts');
  expect(item.categories).toEqual([]);
  expect(item.body).toBe('');
  const c = item.contact!;
  expect(c.surname).toBe('Lind');
  expect(c.jobTitle).toBeUndefined();
  // Untouched.
  expect(c.givenName).toBe('Anna');
  expect(c.companyName).toBe('Q&A "Tools" GmbH');
  expect(c.displayName).toBe('Anna Berg <Sales>');
  expect(c.emails).toEqual({ EmailAddress1: 'anna@example.com', EmailAddress3: 'new3@example.net' });
  expect(c.phones).toEqual({
    BusinessPhone: '+49 30 1234',
    HomePhone: '+49 331 1',
    BusinessFax: '+49 30 1235',
  });
  expect(c.addresses).toEqual({
    Business: { city: 'Hamburg', state: 'BE', postalCode: '10115', countryOrRegion: 'Germany' },
  });
  expect(c.businessHomePage).toBeUndefined();
  expect(c.birthday).toBeUndefined();
});

const ALL_TASK_FIELDS: TaskFields = {
  subject: 'Call <Anna> & ask',
  body: '<p>Agenda &amp; notes</p>',
  bodyType: 'HTML',
  startDate: '2026-05-01',
  dueDate: '2026-05-04',
  status: 'InProgress',
  percentComplete: 40,
  importance: 'High',
  reminderAt: '2026-05-03T07:30:00Z',
  categories: ['Follow-up'],
};

test('a new task gets every field', async () => {
  const task = ewsTask.newItem(session.client.service);
  ewsTask.applyFields(task, ALL_TASK_FIELDS, session.client.service);
  await task.Save(ews.WellKnownFolderName.Tasks);

  const item = await only('tasks');
  expect(item).toMatchObject({
    subject: 'Call <Anna> & ask',
    body: '<p>Agenda &amp; notes</p>',
    bodyType: 'HTML',
    importance: 'High',
    categories: ['Follow-up'],
  });
  expect(item.task).toMatchObject({
    status: 'InProgress',
    percentComplete: 40,
    startDate: '2026-05-01T00:00:00.000Z',
    dueDate: '2026-05-04T00:00:00.000Z',
    reminderDueBy: '2026-05-03T07:30:00.000Z',
    reminderIsSet: true,
  });
});

test('a new completed task without reminder: status Completed, 100 %, reminder off', async () => {
  const task = ewsTask.newItem(session.client.service);
  ewsTask.applyFields(
    task,
    {
      subject: 'Done',
      body: '',
      bodyType: 'Text',
      status: 'Completed',
      percentComplete: 100,
      reminderAt: null,
    },
    session.client.service,
  );
  await task.Save(ews.WellKnownFolderName.Tasks);
  const item = await only('tasks');
  expect(item.task).toMatchObject({ status: 'Completed', percentComplete: 100, reminderIsSet: false });
});

test('task updates: given fields only, dates and reminder cleared, Exchange couples a lone percentage', async () => {
  const task = ewsTask.newItem(session.client.service);
  ewsTask.applyFields(
    task,
    { ...ALL_TASK_FIELDS, status: 'NotStarted', percentComplete: 0 },
    session.client.service,
  );
  await task.Save(ews.WellKnownFolderName.Tasks);

  let target = await existing<ews.Task>(task.Id, ews.Task);
  ewsTask.applyFields(
    target,
    { percentComplete: 50, dueDate: null, reminderAt: null },
    session.client.service,
  );
  await target.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  let item = await only('tasks');
  expect(item.subject).toBe('Call <Anna> & ask');
  expect(item.importance).toBe('High');
  expect(item.task).toMatchObject({ status: 'InProgress', percentComplete: 50, reminderIsSet: false });
  expect(item.task?.dueDate).toBeUndefined();
  expect(item.task?.startDate).toBe('2026-05-01T00:00:00.000Z');

  target = await existing<ews.Task>(task.Id, ews.Task);
  ewsTask.applyFields(
    target,
    { status: 'Completed', percentComplete: 100, body: 'plain', bodyType: 'Text', categories: [] },
    session.client.service,
  );
  await target.Update(ews.ConflictResolutionMode.AlwaysOverwrite);
  item = await only('tasks');
  expect(item).toMatchObject({ body: 'plain', bodyType: 'Text', categories: [] });
  expect(item.task).toMatchObject({ status: 'Completed', percentComplete: 100 });
});
