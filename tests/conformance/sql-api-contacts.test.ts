/**
 * rc_CreateContact, rc_UpdateContact, rc_DeleteContact, one suite for every configured database: every parameter
 * (valid, each invalid form, the boundaries), the payload the worker reads, idempotency, item references, and that
 * a refused call writes nothing. The field helper's JSON-only rules (keys, JSON types, dates as text) are reached
 * through rc_SyncFolder's items, the other caller of rc_internal_ContactFields / rc.fn_contactfields.
 */
import type { ApiSession } from './api-driver';
import { factories, useApiFixture, type Profile } from './conformance-fixture';
import * as itemCases from './item-reference-cases';

const MAX_NOTES = 35 * 1024 * 1024;

/** Every text parameter limited to 255 characters, with the payload key (and address part) it lands in. */
const TEXT_PARAMS: Array<[string, string, string | null]> = [
  ['given_name', 'givenName', null],
  ['middle_name', 'middleName', null],
  ['surname', 'surname', null],
  ['display_name', 'displayName', null],
  ['company_name', 'companyName', null],
  ['department', 'department', null],
  ['job_title', 'jobTitle', null],
  ['business_phone', 'businessPhone', null],
  ['home_phone', 'homePhone', null],
  ['mobile_phone', 'mobilePhone', null],
  ['business_fax', 'businessFax', null],
  ['business_street', 'businessAddress', 'street'],
  ['business_city', 'businessAddress', 'city'],
  ['business_state', 'businessAddress', 'state'],
  ['business_postal_code', 'businessAddress', 'postalCode'],
  ['business_country', 'businessAddress', 'countryOrRegion'],
  ['home_street', 'homeAddress', 'street'],
  ['home_city', 'homeAddress', 'city'],
  ['home_state', 'homeAddress', 'state'],
  ['home_postal_code', 'homeAddress', 'postalCode'],
  ['home_country', 'homeAddress', 'countryOrRegion'],
];

const EMPTY_FIELDS = {
  givenName: null,
  middleName: null,
  surname: null,
  displayName: null,
  companyName: null,
  department: null,
  jobTitle: null,
  emailAddress1: null,
  emailAddress2: null,
  emailAddress3: null,
  businessPhone: null,
  homePhone: null,
  mobilePhone: null,
  businessFax: null,
  businessAddress: null,
  homeAddress: null,
  webPage: null,
  birthday: null,
  notes: null,
  categories: [],
};

const BAD_ADDRESSES = [
  'plain',
  'a@b',
  'a@@example.com',
  'Anna <anna@example.com>',
  '.a@example.com',
  'a..b@example.com',
  'a@-example.com',
  'a b@example.com',
  `${'x'.repeat(65)}@example.com`,
];

const BAD_URLS = [
  'www.example.com',
  'ftp://example.com',
  'http://',
  'https://',
  'http:///path',
  'https://exa mple.com',
  'mailto:a@example.com',
  `https://example.com/${'x'.repeat(2029)}`,
];

describe.each(factories)('contacts on %s', (_dialect, factory) => {
  const fx = useApiFixture(factory);
  const { refused, job, fieldsOf } = fx;
  let owner: ApiSession;
  let profile: Profile;

  beforeAll(async () => {
    owner = fx.owner;
    profile = await fx.newProfile();
  });

  const suite: itemCases.ItemSuite = {
    fx,
    kind: itemCases.CONTACT,
    other: itemCases.TASK,
    profile: () => profile,
  };
  const { create, update } = itemCases.itemCalls(suite);

  describe('rc_CreateContact', () => {
    test('queues one Pending CreateContact job: default folder, every field key, an enqueued event', async () => {
      const id = await create({ given_name: 'Anna' });
      await itemCases.expectQueuedCreate(suite, id, {
        ...EMPTY_FIELDS,
        givenName: 'Anna',
        displayName: 'Anna',
      });
    });

    test('stores every parameter: trimmed, addresses grouped, categories de-duplicated, notes kept as given', async () => {
      const id = await create({
        given_name: ' Anna\t',
        middle_name: 'Maria',
        surname: 'Berg',
        display_name: 'Berg, Anna',
        company_name: 'ACME GmbH',
        department: 'Sales',
        job_title: 'Key Account',
        email_address1: ' anna@example.com ',
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
        web_page: ' https://example.com/anna ',
        birthday: '1980-05-17',
        notes: '  Line 1\r\nLine 2  ',
        categories: 'Customer; VIP, customer;;',
      });
      expect(await fieldsOf(id)).toEqual({
        givenName: 'Anna',
        middleName: 'Maria',
        surname: 'Berg',
        displayName: 'Berg, Anna',
        companyName: 'ACME GmbH',
        department: 'Sales',
        jobTitle: 'Key Account',
        emailAddress1: 'anna@example.com',
        emailAddress2: 'anna.berg@example.org',
        emailAddress3: 'ab@example.net',
        businessPhone: '+49 30 1',
        homePhone: '+49 30 2',
        mobilePhone: '+49 170 3',
        businessFax: '+49 30 4',
        businessAddress: {
          street: 'Hauptstr. 1',
          city: 'Berlin',
          state: 'BE',
          postalCode: '10115',
          countryOrRegion: 'Germany',
        },
        homeAddress: {
          street: 'Gartenweg 2',
          city: 'Potsdam',
          state: 'BB',
          postalCode: '14467',
          countryOrRegion: 'Germany',
        },
        webPage: 'https://example.com/anna',
        birthday: '1980-05-17',
        notes: '  Line 1\r\nLine 2  ',
        categories: ['Customer', 'VIP'],
      });
    });

    test('an address with one part has the others null; empty strings count as not given', async () => {
      const id = await create({
        company_name: 'ACME',
        home_city: 'Potsdam',
        surname: '',
        notes: '',
        web_page: '',
      });
      const fields = await fieldsOf(id);
      expect(fields.homeAddress).toEqual({
        street: null,
        city: 'Potsdam',
        state: null,
        postalCode: null,
        countryOrRegion: null,
      });
      expect(fields).toMatchObject({ businessAddress: null, surname: null, notes: null, webPage: null });
    });

    test.each([
      [{ given_name: 'Anna', middle_name: 'M.', surname: 'Berg' }, 'Anna M. Berg'],
      [{ given_name: 'Anna', surname: 'Berg', company_name: 'ACME' }, 'Anna Berg'],
      [{ surname: 'Berg' }, 'Berg'],
      [{ company_name: 'ACME', email_address1: 'a@example.com' }, 'ACME'],
      [{ email_address2: 'second@example.com' }, 'second@example.com'],
      [{ email_address3: 'third@example.com', middle_name: 'M' }, 'M'],
      [{ display_name: 'The Boss', given_name: 'Anna' }, 'The Boss'],
    ])('display name defaults: %j → %s', async (params, expected) => {
      expect((await fieldsOf(await create(params))).displayName).toBe(expected);
    });

    test.each([
      [{}],
      [{ middle_name: 'Maria' }],
      [{ given_name: '  ', surname: '\t', company_name: '' }],
      [{ department: 'Sales', job_title: 'Boss', business_phone: '1', notes: 'x', categories: 'a' }],
    ])('50303 when the contact has no name: %j', async (params) => {
      await refused(() => create(params), 50303, 'rc_CreateContact: the contact has no name');
    });

    test.each(TEXT_PARAMS)(
      '%s: 255 characters are stored, 256 are refused (50304)',
      async (param, key, part) => {
        const value = 'x'.repeat(255);
        const fields = await fieldsOf(await create({ company_name: 'ACME', [param]: value }));
        expect(part ? (fields[key] as Record<string, unknown>)[part] : fields[key]).toBe(value);
        await refused(
          () => create({ company_name: 'ACME', [param]: 'y'.repeat(256) }),
          50304,
          `rc_CreateContact: @${param} is 256 characters long, at most 255 are allowed`,
        );
      },
    );

    test('length is counted after trimming', async () => {
      const fields = await fieldsOf(await create({ given_name: ` ${'x'.repeat(255)} ` }));
      expect(fields.givenName).toBe('x'.repeat(255));
    });

    test.each(['email_address1', 'email_address2', 'email_address3'])(
      '%s: a plain address is stored trimmed; every invalid form is refused (50305)',
      async (param) => {
        const key = param.replace('email_address', 'emailAddress');
        expect((await fieldsOf(await create({ [param]: '\tx.y+z@sub.example.com ' })))[key]).toBe(
          'x.y+z@sub.example.com',
        );
        for (const bad of BAD_ADDRESSES) {
          await refused(
            () => create({ given_name: 'A', [param]: bad }),
            50305,
            `rc_CreateContact: @${param} "${bad}" is not a valid e-mail address`,
          );
        }
      },
    );

    test('web_page: http and https URLs in any case up to 2048 characters; other forms refused (50306)', async () => {
      for (const url of [
        'http://example.com',
        'HTTPS://Example.com/a?b=c#d',
        `https://e.com/${'x'.repeat(2034)}`,
      ]) {
        expect((await fieldsOf(await create({ given_name: 'A', web_page: url }))).webPage).toBe(url);
      }
      for (const bad of BAD_URLS) {
        await refused(
          () => create({ given_name: 'A', web_page: bad }),
          50306,
          'rc_CreateContact: @web_page "',
        );
      }
    });

    test('birthday: 1601-01-01 … 4500-12-31 stored as YYYY-MM-DD; outside refused (50307)', async () => {
      for (const date of ['1601-01-01', '1980-02-29', '4500-12-31']) {
        expect((await fieldsOf(await create({ given_name: 'A', birthday: date }))).birthday).toBe(date);
      }
      for (const date of ['1600-12-31', '4501-01-01']) {
        await refused(
          () => create({ given_name: 'A', birthday: date }),
          50307,
          `rc_CreateContact: @birthday "${date}" is not a date`,
        );
      }
    });

    test('notes: 35 MB are stored, one character more is refused (50025)', async () => {
      const id = await create({ given_name: 'A', notes: 'n'.repeat(MAX_NOTES) });
      expect(((await fieldsOf(id)).notes as string).length).toBe(MAX_NOTES);
      await refused(
        () => create({ given_name: 'A', notes: 'n'.repeat(MAX_NOTES + 1) }),
        50025,
        `rc_CreateContact: @notes is ${MAX_NOTES + 1} characters long`,
      );
    });

    test('categories: the shared rules (50055 for a long entry or more than 50)', async () => {
      const fifty = Array.from({ length: 50 }, (_, i) => `c${i}`).join(';');
      expect((await fieldsOf(await create({ given_name: 'A', categories: fifty }))).categories).toHaveLength(
        50,
      );
      await refused(
        () => create({ given_name: 'A', categories: `${fifty};c50` }),
        50055,
        'rc_CreateContact: @categories',
      );
      await refused(
        () => create({ given_name: 'A', categories: 'x'.repeat(256) }),
        50055,
        'rc_CreateContact: the category',
      );
    });

    test('folder_name: a named contacts folder, a public folder; target_profile: another mailbox', async () => {
      const named = await create({ given_name: 'A', folder_name: ' Customers / North ' });
      expect((await fx.payloadOf(named)).folder).toEqual({
        owner: null,
        location: { kind: 'named', name: 'Customers/North' },
      });
      const pub = await create({ given_name: 'A', folder_name: 'PUBLIC:Field Staff/Customers' });
      expect((await fx.payloadOf(pub)).folder).toEqual({
        owner: null,
        location: { kind: 'public', path: 'Field Staff/Customers' },
      });
      const target = await fx.newProfile();
      const other = await create({ given_name: 'A', target_profile: target.name, folder_name: 'Team' });
      expect((await fx.payloadOf(other)).folder).toEqual({
        owner: target.smtpAddress,
        location: { kind: 'named', name: 'Team' },
      });
      expect((await job(other))?.mailboxid).toBe(Number(profile.id));
    });

    test('folder and target errors (50050, 50054, 50051, 50052, 50053)', async () => {
      await refused(
        () => create({ given_name: 'A', folder_name: 'a//b' }),
        50050,
        'rc_CreateContact: @folder_name "a//b"',
      );
      await refused(() => create({ given_name: 'A', folder_name: 'public:' }), 50050, '@folder_name');
      const target = await fx.newProfile();
      await refused(
        () => create({ given_name: 'A', folder_name: 'public:Sales', target_profile: target.name }),
        50054,
        'rc_CreateContact: @folder_name names the public folder',
      );
      await refused(
        () => create({ given_name: 'A', target_profile: `nobody_${fx.run}` }),
        50051,
        '@target_profile',
      );
      const disabled = await fx.newProfile();
      await owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [
        false,
        Number(disabled.id),
      ]);
      await refused(() => create({ given_name: 'A', target_profile: disabled.name }), 50052, 'is disabled');
      const writer = await fx.principal(profile, { can_write: true });
      await refused(
        () =>
          writer.call('rc_CreateContact', {
            profile_name: profile.name,
            given_name: 'A',
            target_profile: target.name,
          }),
        50053,
        'has no write right',
      );
    });

    itemCases.createCallCases(suite);
  });

  describe('rc_UpdateContact', () => {
    let created: string;
    const createKey = `upd-${Math.random().toString(36).slice(2)}`;

    beforeAll(async () => {
      created = await create({ given_name: 'Anna', surname: 'Berg', correlation_key: createKey });
    });

    test('by target_job_id: one Pending UpdateContact job with TargetJobId, only the given fields, onConflict fail', async () => {
      const id = await update({ target_job_id: created, surname: ' Lind ', business_city: 'Hamburg' });
      expect(await job(id)).toEqual(fx.pendingJob('UpdateContact', profile, created));
      expect(await fx.payloadOf(id)).toEqual({
        itemId: null,
        fields: { surname: 'Lind', businessAddress: { city: 'Hamburg' } },
        onConflict: 'fail',
      });
    });

    test('by correlation_key (the create call’s) and by item_id; force → overwrite; every call is a job', async () => {
      const byKey = await update({ correlation_key: createKey, job_title: 'CEO', force: true });
      expect((await job(byKey))?.targetjobid).toBe(created);
      expect(await fx.payloadOf(byKey)).toEqual({
        itemId: null,
        fields: { jobTitle: 'CEO' },
        onConflict: 'overwrite',
      });
      const again = await update({ correlation_key: createKey, job_title: 'CEO', force: false });
      expect(again).not.toBe(byKey);
      expect((await fx.payloadOf(again)).onConflict).toBe('fail');
      const byItem = await update({ item_id: '  AAMkAD=  ', mobile_phone: '+1 555' });
      expect((await job(byItem))?.targetjobid).toBeNull();
      expect(await fx.payloadOf(byItem)).toEqual({
        itemId: 'AAMkAD=',
        fields: { mobilePhone: '+1 555' },
        onConflict: 'fail',
      });
    });

    test("'' clears a text field, an address part, the categories; clear_fields clears any clearable field", async () => {
      const id = await update({
        target_job_id: created,
        surname: '',
        home_street: '',
        home_city: 'Potsdam',
        categories: '',
        clear_fields: 'birthday; @web_page, Email_Address2 , business_country',
      });
      expect(await fieldsOf(id)).toEqual({
        surname: null,
        homeAddress: { street: null, city: 'Potsdam' },
        businessAddress: { countryOrRegion: null },
        categories: [],
        birthday: null,
        webPage: null,
        emailAddress2: null,
      });
    });

    test('every field can be changed, with the create rules', async () => {
      const id = await update({
        target_job_id: created,
        given_name: 'Ann',
        middle_name: 'M',
        display_name: 'Ann Lind',
        company_name: 'X',
        department: 'D',
        email_address1: 'a@example.com',
        email_address3: 'c@example.com',
        home_phone: '2',
        business_phone: '1',
        business_fax: '4',
        web_page: 'http://x.example',
        birthday: '1990-01-31',
        notes: 'n',
        categories: 'A,B',
      });
      expect(await fieldsOf(id)).toEqual({
        givenName: 'Ann',
        middleName: 'M',
        displayName: 'Ann Lind',
        companyName: 'X',
        department: 'D',
        emailAddress1: 'a@example.com',
        emailAddress3: 'c@example.com',
        homePhone: '2',
        businessPhone: '1',
        businessFax: '4',
        webPage: 'http://x.example',
        birthday: '1990-01-31',
        notes: 'n',
        categories: ['A', 'B'],
      });
      await refused(
        () => update({ target_job_id: created, email_address2: 'bad' }),
        50305,
        'rc_UpdateContact: @email_address2',
      );
      await refused(
        () => update({ target_job_id: created, web_page: 'x' }),
        50306,
        'rc_UpdateContact: @web_page',
      );
      await refused(
        () => update({ target_job_id: created, birthday: '1500-01-01' }),
        50307,
        'rc_UpdateContact: @birthday',
      );
      await refused(
        () => update({ target_job_id: created, department: 'd'.repeat(256) }),
        50304,
        '@department is 256',
      );
      await refused(
        () => update({ target_job_id: created, notes: 'n'.repeat(MAX_NOTES + 1) }),
        50025,
        '@notes',
      );
      await refused(
        () => update({ target_job_id: created, categories: 'c'.repeat(256) }),
        50055,
        'rc_UpdateContact',
      );
    });

    test('50309 nothing to change, 50308 display name cleared, 50310 bad clear_fields', async () => {
      await refused(() => update({ target_job_id: created }), 50309, 'rc_UpdateContact: nothing to change');
      await refused(
        () => update({ target_job_id: created, clear_fields: ' ; ' }),
        50309,
        'nothing to change',
      );
      await refused(
        () => update({ target_job_id: created, display_name: '' }),
        50308,
        '@display_name cannot be cleared',
      );
      await refused(
        () => update({ target_job_id: created, clear_fields: 'display_name' }),
        50310,
        'rc_UpdateContact: @clear_fields names "display_name"',
      );
      await refused(
        () => update({ target_job_id: created, clear_fields: 'birthday, nickname' }),
        50310,
        '"nickname"',
      );
      await refused(
        () => update({ target_job_id: created, clear_fields: 'profile_name' }),
        50310,
        '"profile_name"',
      );
      await refused(
        () => update({ target_job_id: created, surname: 'X', clear_fields: 'surname' }),
        50310,
        '@clear_fields names "surname", which is also given a value',
      );
      // '' and clear_fields for the same field agree.
      expect(
        await fieldsOf(await update({ target_job_id: created, surname: '', clear_fields: 'surname' })),
      ).toEqual({
        surname: null,
      });
    });

    itemCases.updateReferenceCases(suite);
  });

  describe('rc_DeleteContact', () => {
    itemCases.deleteCases(suite);
  });

  describe('the field helper through rc_SyncFolder items (JSON-only rules)', () => {
    const sync = (item: unknown) =>
      owner.call('rc_SyncFolder', {
        profile_name: profile.name,
        kind: 'contacts',
        items: [{ external_key: 'c1', item: item as Record<string, unknown> }],
      });

    test('keys in any case; values as JSON strings; dates as text', async () => {
      const id = (await sync({ Given_Name: 'Anna', BIRTHDAY: '1980-05-17', categories: 'a;b' })) as string;
      const items = (await fx.payloadOf(id)).items as Array<{ fields: Record<string, unknown> }>;
      expect(items[0]!.fields).toMatchObject({
        givenName: 'Anna',
        birthday: '1980-05-17',
        categories: ['a', 'b'],
      });
    });

    test('50301 unknown or repeated key, 50302 a value that is not a string, 50307 a date that is not one', async () => {
      await refused(
        () => sync({ given_name: 'A', nickname: 'x' }),
        50301,
        'the key "nickname", which is not a contact field',
      );
      await refused(() => sync({ given_name: 'A', folder_name: 'x' }), 50301, '"folder_name"');
      await refused(() => sync({ given_name: 'A', clear_fields: 'surname' }), 50301, '"clear_fields"');
      await refused(() => sync({ given_name: 'A', GIVEN_NAME: 'B' }), 50301, 'the key "given_name" twice');
      await refused(() => sync({ given_name: 42 }), 50302, 'the value of "given_name" is a JSON number');
      await refused(() => sync({ given_name: 'A', categories: ['a'] }), 50302, 'is a JSON array');
      await refused(() => sync({ given_name: 'A', notes: { x: 1 } }), 50302, 'is a JSON object');
      await refused(() => sync({ given_name: true }), 50302, 'is a JSON boolean');
      for (const bad of ['2026-02-30', '17.05.1980', '1980-5-17', '1980-05-17T00:00:00Z']) {
        await refused(
          () => sync({ given_name: 'A', birthday: bad }),
          50307,
          `@birthday "${bad}" is not a date`,
        );
      }
    });
  });
});
