/**
 * The zod schemas of the contact and task `fields` (worker/jobs/contact-fields-schema.ts, task-fields-schema.ts):
 * what the SQL helpers write on create (every key) and on update (some keys, nulls, partial addresses) passes;
 * anything else — an unknown key, a wrong type, an out-of-range value — is refused, so a payload written by
 * another program fails the job as payload_invalid instead of reaching Exchange half-understood.
 */
import { contactFieldsSchema } from '../../worker/jobs/contact-fields-schema';
import { taskFieldsSchema } from '../../worker/jobs/task-fields-schema';

const CREATE_CONTACT = {
  givenName: 'Anna',
  middleName: null,
  surname: 'Berg',
  displayName: 'Anna Berg',
  companyName: null,
  department: null,
  jobTitle: null,
  emailAddress1: 'anna@example.com',
  emailAddress2: null,
  emailAddress3: null,
  businessPhone: null,
  homePhone: null,
  mobilePhone: null,
  businessFax: null,
  businessAddress: { street: null, city: 'Berlin', state: null, postalCode: '10115', countryOrRegion: null },
  homeAddress: null,
  webPage: null,
  birthday: '1980-05-17',
  notes: null,
  categories: [],
};

const CREATE_TASK = {
  subject: 'Call',
  body: '',
  bodyType: 'Text',
  startDate: null,
  dueDate: '2026-05-04',
  status: 'NotStarted',
  percentComplete: 0,
  importance: 'Normal',
  reminderAt: '2026-05-03T07:30:00Z',
  categories: ['a'],
};

describe('contactFieldsSchema', () => {
  test('accepts a create payload (every key) and an update (some keys, nulls, address parts)', () => {
    expect(contactFieldsSchema.parse(CREATE_CONTACT)).toEqual(CREATE_CONTACT);
    const update = { surname: null, businessAddress: { city: 'Bonn', street: null }, categories: [] };
    expect(contactFieldsSchema.parse(update)).toEqual(update);
    expect(contactFieldsSchema.parse({})).toEqual({});
  });

  test.each([
    [{ nickname: 'x' }],
    [{ givenName: 42 }],
    [{ birthday: '17.05.1980' }],
    [{ businessAddress: { city: 'Bonn', district: 'Mitte' } }],
    [{ categories: 'a;b' }],
    [{ categories: null }],
  ])('refuses %j', (fields) => {
    expect(contactFieldsSchema.safeParse(fields).success).toBe(false);
  });
});

describe('taskFieldsSchema', () => {
  test('accepts a create payload (every key) and an update (some keys, nulls)', () => {
    expect(taskFieldsSchema.parse(CREATE_TASK)).toEqual(CREATE_TASK);
    const update = { dueDate: null, reminderAt: null, status: 'Completed', percentComplete: 100 };
    expect(taskFieldsSchema.parse(update)).toEqual(update);
  });

  test.each([
    [{ owner: 'x' }],
    [{ subject: null }],
    [{ status: 'Done' }],
    [{ percentComplete: 101 }],
    [{ percentComplete: 50.5 }],
    [{ importance: 'Urgent' }],
    [{ bodyType: 'RTF' }],
    [{ reminderAt: '2026-05-03T07:30:00' }],
    [{ startDate: '2026-5-4' }],
  ])('refuses %j', (fields) => {
    expect(taskFieldsSchema.safeParse(fields).success).toBe(false);
  });
});
