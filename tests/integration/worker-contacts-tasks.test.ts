/**
 * Contacts and tasks end to end: rc_CreateContact / rc_UpdateContact / rc_DeleteContact and the task twins →
 * PostgreSQL → worker → simulator, checked in what the simulator's Exchange holds (admin API): every field, a
 * named contacts folder created on first use and reused, an EWS public contacts folder, another mailbox through
 * @target_profile, updates by job id / ItemId / correlation key that change only the given fields and clear
 * fields, deletes, and the conflict rule with @force.
 */
import type { AdminItem } from '../../simulator';
import type { ApiParams, ApiProcedure } from '../../worker/db/api-client';
import { jobIdOf, startHarness, type Harness } from '../helpers/worker-harness';

const REP = 'rep.north@contoso.com';
const REP_PROFILE = 'rep-north';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({}, { mailboxes: [REP] });
  await h.startWorker();
}, 60000);

afterAll(async () => {
  await h?.close();
});

async function succeeded(proc: ApiProcedure, params: ApiParams) {
  const result = await h.run(proc, params);
  expect({ status: result.row.status, error: result.row.lasterror }).toEqual({
    status: 'Succeeded',
    error: null,
  });
  return result;
}

async function publicItems(): Promise<AdminItem[]> {
  const res = await fetch(`${h.sim.url}/_sim/public-folders/items`);
  expect(res.status).toBe(200);
  return (await res.json()) as AdminItem[];
}

describe('contacts through the worker', () => {
  it('a contact with every field lands in Contacts as given', async () => {
    const { id, row } = await succeeded('rc_CreateContact', {
      given_name: 'Anna',
      middle_name: 'Maria',
      surname: 'Berg & Söhne',
      company_name: 'Q&A <Tools> GmbH',
      department: 'Sales',
      job_title: 'Key Account',
      email_address1: 'anna@example.com',
      email_address2: 'anna.berg@example.org',
      email_address3: 'ab@example.net',
      business_phone: '+49 30 1',
      home_phone: '+49 30 2',
      mobile_phone: '+49 170 3',
      business_fax: '+49 30 4',
      business_street: 'Hauptstr. 1',
      business_city: 'Berlin',
      business_state: 'BE',
      business_postal_code: '10115',
      business_country: 'Germany',
      home_street: 'Gartenweg 2',
      home_city: 'Potsdam',
      home_state: 'BB',
      home_postal_code: '14467',
      home_country: 'Germany',
      web_page: 'https://example.com/?a=1&b=2',
      birthday: '1980-05-17',
      notes: 'Prefers calls after 10 <not before>',
      categories: 'Customer;VIP',
    });
    const item = await h.itemOf(id);
    expect(row.resultitemid).toBe(item.id);
    expect(item).toMatchObject({
      folderPath: 'Contacts',
      itemClass: 'IPM.Contact',
      subject: 'Anna Maria Berg & Söhne',
      body: 'Prefers calls after 10 <not before>',
      categories: ['Customer', 'VIP'],
    });
    expect(item.contact).toMatchObject({
      givenName: 'Anna',
      middleName: 'Maria',
      surname: 'Berg & Söhne',
      displayName: 'Anna Maria Berg & Söhne',
      companyName: 'Q&A <Tools> GmbH',
      department: 'Sales',
      jobTitle: 'Key Account',
      emails: {
        EmailAddress1: 'anna@example.com',
        EmailAddress2: 'anna.berg@example.org',
        EmailAddress3: 'ab@example.net',
      },
      phones: {
        BusinessPhone: '+49 30 1',
        HomePhone: '+49 30 2',
        MobilePhone: '+49 170 3',
        BusinessFax: '+49 30 4',
      },
      addresses: {
        Business: {
          street: 'Hauptstr. 1',
          city: 'Berlin',
          state: 'BE',
          postalCode: '10115',
          countryOrRegion: 'Germany',
        },
        Home: {
          street: 'Gartenweg 2',
          city: 'Potsdam',
          state: 'BB',
          postalCode: '14467',
          countryOrRegion: 'Germany',
        },
      },
      businessHomePage: 'https://example.com/?a=1&b=2',
      birthday: '1980-05-17T00:00:00.000Z',
    });
  });

  it('a named contacts folder is created on first use (IPF.Contact) and reused', async () => {
    const first = await succeeded('rc_CreateContact', {
      company_name: 'North 1',
      folder_name: 'Field staff',
    });
    const second = await succeeded('rc_CreateContact', {
      company_name: 'North 2',
      folder_name: 'field staff',
    });
    const a = await h.itemOf(first.id);
    const b = await h.itemOf(second.id);
    expect(a).toMatchObject({ folderPath: 'Contacts/Field staff', folderClass: 'IPF.Contact' });
    expect(b.folder).toBe(a.folder);
  });

  it('an EWS public contacts folder holds the contact; update and delete reach it', async () => {
    const { id } = await succeeded('rc_CreateContact', {
      given_name: 'Field',
      surname: 'Tech',
      mobile_phone: '+49 171 1',
      folder_name: 'public:Field Staff/Customers',
    });
    let found = (await publicItems()).filter((i) => jobIdOf(i) === id);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ folderPath: 'Field Staff/Customers', folderClass: 'IPF.Contact' });
    expect(await h.itemsOfJob(id)).toEqual([]);

    await succeeded('rc_UpdateContact', { target_job_id: id, mobile_phone: '+49 171 2' });
    found = (await publicItems()).filter((i) => jobIdOf(i) === id);
    expect(found[0]?.contact).toMatchObject({ givenName: 'Field', phones: { MobilePhone: '+49 171 2' } });

    await succeeded('rc_DeleteContact', { target_job_id: id });
    expect(
      (await publicItems()).filter((i) => jobIdOf(i) === id && i.folderPath === 'Field Staff/Customers'),
    ).toEqual([]);
  });

  it('another mailbox through @target_profile (FullAccess on that mailbox)', async () => {
    await h.addTargetProfile(REP_PROFILE, REP);
    const { id, row } = await succeeded('rc_CreateContact', {
      company_name: 'Customer of the rep',
      target_profile: REP_PROFILE,
      folder_name: 'Customers',
    });
    const item = await h.itemOf(id, REP);
    expect(item).toMatchObject({ folderPath: 'Contacts/Customers', subject: 'Customer of the rep' });
    expect(row.resultitemid).toBe(item.id);
    expect(await h.itemsOfJob(id)).toEqual([]);
    await succeeded('rc_UpdateContact', { target_job_id: id, department: 'Purchasing' });
    expect((await h.itemOf(id, REP)).contact).toMatchObject({
      department: 'Purchasing',
      companyName: 'Customer of the rep',
    });
  });

  it('updates by job id, ItemId and correlation key change only the given fields; clears; a delete removes it', async () => {
    const key = `crm-${Date.now()}`;
    const { id, row } = await succeeded('rc_CreateContact', {
      given_name: 'Bo',
      surname: 'Lind',
      company_name: 'ACME',
      job_title: 'Buyer',
      email_address1: 'bo@example.com',
      email_address2: 'bo.private@example.org',
      business_street: 'Weg 1',
      business_city: 'Köln',
      business_postal_code: '50667',
      web_page: 'https://acme.example',
      birthday: '1975-01-02',
      categories: 'Customer',
      correlation_key: key,
    });
    const before = await h.itemOf(id);

    await succeeded('rc_UpdateContact', { target_job_id: id, job_title: 'Head of purchasing' });
    let item = await h.itemOf(id);
    expect(item.contact).toMatchObject({
      givenName: 'Bo',
      surname: 'Lind',
      companyName: 'ACME',
      jobTitle: 'Head of purchasing',
      emails: before.contact!.emails,
      addresses: before.contact!.addresses,
    });
    expect(item.changeKey).not.toBe(before.changeKey);

    await succeeded('rc_UpdateContact', {
      item_id: row.resultitemid!,
      email_address2: '',
      business_city: 'Bonn',
      business_street: '',
      clear_fields: 'birthday, web_page',
    });
    item = await h.itemOf(id);
    expect(item.contact?.emails).toEqual({ EmailAddress1: 'bo@example.com' });
    expect(item.contact?.addresses).toEqual({ Business: { city: 'Bonn', postalCode: '50667' } });
    expect(item.contact?.birthday).toBeUndefined();
    expect(item.contact?.businessHomePage).toBeUndefined();
    expect(item.contact).toMatchObject({ jobTitle: 'Head of purchasing', companyName: 'ACME' });

    await succeeded('rc_UpdateContact', {
      correlation_key: key,
      categories: '',
      surname: 'Lindqvist',
      notes: 'Met at fair',
    });
    item = await h.itemOf(id);
    expect(item).toMatchObject({ categories: [], body: 'Met at fair' });
    expect(item.contact).toMatchObject({
      surname: 'Lindqvist',
      givenName: 'Bo',
      jobTitle: 'Head of purchasing',
    });

    await succeeded('rc_DeleteContact', { correlation_key: key });
    const left = await h.itemsOfJob(id);
    expect(left.map((i) => i.folder)).toEqual(['deleteditems']);
  });
});

describe('tasks through the worker', () => {
  it('a task with every field lands in Tasks; a named tasks folder is created on first use', async () => {
    const { id, row } = await succeeded('rc_CreateTask', {
      subject: 'Call <Anna> & confirm',
      body: '<p>Agenda</p>',
      body_format: 'HTML',
      start_date: '2026-05-01',
      due_date: '2026-05-04',
      status: 'InProgress',
      percent_complete: 25,
      importance: 'High',
      reminder_time: '2026-05-03T09:30:00+02:00',
      categories: 'Follow-up',
    });
    const item = await h.itemOf(id);
    expect(row.resultitemid).toBe(item.id);
    expect(item).toMatchObject({
      folderPath: 'Tasks',
      itemClass: 'IPM.Task',
      subject: 'Call <Anna> & confirm',
      body: '<p>Agenda</p>',
      bodyType: 'HTML',
      importance: 'High',
      categories: ['Follow-up'],
    });
    expect(item.task).toMatchObject({
      status: 'InProgress',
      percentComplete: 25,
      startDate: '2026-05-01T00:00:00.000Z',
      dueDate: '2026-05-04T00:00:00.000Z',
      reminderDueBy: '2026-05-03T07:30:00.000Z',
      reminderIsSet: true,
    });

    const named = await succeeded('rc_CreateTask', { subject: 'Shift handover', folder_name: 'Production' });
    expect(await h.itemOf(named.id)).toMatchObject({
      folderPath: 'Tasks/Production',
      folderClass: 'IPF.Task',
    });
  });

  it('updates change only the given fields: completing, clearing dates and reminder; by key and by ItemId; delete', async () => {
    const key = `task-${Date.now()}`;
    const { id, row } = await succeeded('rc_CreateTask', {
      subject: 'Order parts',
      due_date: '2026-06-01',
      reminder_time: '2026-05-31T08:00:00Z',
      importance: 'Low',
      correlation_key: key,
    });
    await succeeded('rc_UpdateTask', { correlation_key: key, percent_complete: 50 });
    let item = await h.itemOf(id);
    expect(item.task).toMatchObject({
      status: 'InProgress',
      percentComplete: 50,
      dueDate: '2026-06-01T00:00:00.000Z',
    });
    expect(item).toMatchObject({ subject: 'Order parts', importance: 'Low' });

    await succeeded('rc_UpdateTask', { item_id: row.resultitemid!, clear_fields: 'due_date, reminder_time' });
    item = await h.itemOf(id);
    expect(item.task?.dueDate).toBeUndefined();
    expect(item.task).toMatchObject({ reminderIsSet: false, percentComplete: 50 });

    await succeeded('rc_UpdateTask', { target_job_id: id, status: 'Completed' });
    item = await h.itemOf(id);
    expect(item.task).toMatchObject({ status: 'Completed', percentComplete: 100 });
    expect(item.subject).toBe('Order parts');

    await succeeded('rc_DeleteTask', { target_job_id: id });
    expect((await h.itemsOfJob(id)).map((i) => i.folder)).toEqual(['deleteditems']);
  });

  it('a task changed in Exchange meanwhile: the update fails with conflict and changes nothing; @force overwrites', async () => {
    const { id, row } = await succeeded('rc_CreateTask', { subject: 'Inspect press 7' });
    await h.editInExchange(
      { itemId: row.resultitemid!, changeKey: row.resultchangekey! },
      { kind: 'task', fields: { subject: 'Inspect press 7 (moved to Monday)' } },
      'fail',
    );

    const refused = await h.run('rc_UpdateTask', { target_job_id: id, subject: 'Inspect press 8' });
    expect(refused.row).toMatchObject({ status: 'Failed', lasterrorcode: 'conflict' });
    expect((await h.itemOf(id)).subject).toBe('Inspect press 7 (moved to Monday)');

    await succeeded('rc_UpdateTask', { target_job_id: id, subject: 'Inspect press 8', force: true });
    expect((await h.itemOf(id)).subject).toBe('Inspect press 8');

    // A delete after someone else's change is refused too, unless forced.
    await h.editInExchange(
      { itemId: row.resultitemid!, changeKey: '' },
      { kind: 'task', fields: { importance: 'High' } },
      'overwrite',
    );
    const kept = await h.run('rc_DeleteTask', { target_job_id: id });
    expect(kept.row).toMatchObject({ status: 'Failed', lasterrorcode: 'conflict' });
    expect((await h.itemOf(id)).folder).toBe('tasks');
    await succeeded('rc_DeleteTask', { item_id: row.resultitemid!, force: true });
    expect((await h.itemOf(id)).folder).toBe('deleteditems');
  });
});
