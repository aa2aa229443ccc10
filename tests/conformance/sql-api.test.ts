/**
 * The public SQL API, one suite for every configured database: PostgreSQL always, SQL Server when
 * RC_TEST_MSSQL_URL is set (driver loaded lazily from ./mssql-api-driver). Cases are written against ApiSession
 * only, in SQL both dialects understand, so both implementations must behave identically.
 */
import type { ApiDatabase, ApiSession } from './api-driver';
import { expectApiError, factories, useApiFixture } from './conformance-fixture';

const MAX_BODY = 35 * 1024 * 1024;

describe.each(factories)('SQL API on %s', (_dialect, factory) => {
  const fixture = useApiFixture(factory);
  const { run, newProfile, count, payloadOf, totals } = fixture;
  let db: ApiDatabase;
  let owner: ApiSession;

  let sales: { name: string; id: string };

  beforeAll(async () => {
    db = fixture.db;
    owner = fixture.owner;
    sales = await newProfile();
  });

  const send = (params: Record<string, string | number | boolean | Date | null>, session?: ApiSession) =>
    (session ?? owner).call('rc_SendMail', { profile_name: sales.name, ...params });

  describe('rc_SendMail', () => {
    test('queues one Pending SendMail job with an enqueued event and the default payload', async () => {
      const id = await send({ recipients: 'a@example.com' });
      expect(id).toMatch(/^\d+$/);
      const [job] = await owner.select(
        'SELECT Kind, MailboxId, Status, Priority, Attempts, MaxAttempts, CreatedBy, CorrelationKey, Version FROM rc.Jobs WHERE JobId = ?',
        [id],
      );
      expect(job).toEqual({
        kind: 'SendMail',
        mailboxid: Number(sales.id),
        status: 'Pending',
        priority: 0,
        attempts: 0,
        maxattempts: 10,
        createdby: db.ownerPrincipal,
        correlationkey: null,
        version: 0,
      });
      expect(await payloadOf(id as string)).toEqual({
        recipients: 'a@example.com',
        copyRecipients: null,
        blindCopyRecipients: null,
        fromAddress: null,
        replyTo: null,
        subject: '',
        body: '',
        bodyFormat: 'TEXT',
        importance: 'Normal',
        sensitivity: 'Normal',
        categories: [],
        readReceipt: false,
        deliveryReceipt: false,
        saveToSent: null,
      });
      const events = await owner.select(
        'SELECT EventType, Status, Attempt, Code, Message, WorkerId FROM rc.JobEvents WHERE JobId = ?',
        [id],
      );
      expect(events).toEqual([
        {
          eventtype: 'enqueued',
          status: 'Pending',
          attempt: null,
          code: null,
          message: null,
          workerid: null,
        },
      ]);
    });

    test('stores every parameter normalised: lists trimmed and joined with ";", enums in canonical case', async () => {
      const id = await send({
        profile_name: `  ${sales.name.toUpperCase()} `,
        recipients: ' a@example.com ; b@example.org,c@example.net ;',
        copy_recipients: 'd@example.com,, e@example.com',
        blind_copy_recipients: '\tf@example.com\r\n',
        from_address: ' sender@example.com ',
        reply_to: 'r1@example.com, r2@example.com',
        subject: '  Quarterly report ',
        body: '<p>Hello</p>',
        body_format: 'html',
        importance: 'HIGH',
        sensitivity: 'confidential',
      });
      expect(await payloadOf(id as string)).toEqual({
        recipients: 'a@example.com;b@example.org;c@example.net',
        copyRecipients: 'd@example.com;e@example.com',
        blindCopyRecipients: 'f@example.com',
        fromAddress: 'sender@example.com',
        replyTo: 'r1@example.com;r2@example.com',
        subject: '  Quarterly report ',
        body: '<p>Hello</p>',
        bodyFormat: 'HTML',
        importance: 'High',
        sensitivity: 'Confidential',
        categories: [],
        readReceipt: false,
        deliveryReceipt: false,
        saveToSent: null,
      });
    });

    test.each([
      ['body_format', 'text', 'TEXT', 'bodyFormat'],
      ['body_format', 'Html', 'HTML', 'bodyFormat'],
      ['importance', 'low', 'Low', 'importance'],
      ['importance', 'NORMAL', 'Normal', 'importance'],
      ['importance', 'High', 'High', 'importance'],
      ['sensitivity', 'NORMAL', 'Normal', 'sensitivity'],
      ['sensitivity', 'personal', 'Personal', 'sensitivity'],
      ['sensitivity', 'Private', 'Private', 'sensitivity'],
      ['sensitivity', 'CONFIDENTIAL', 'Confidential', 'sensitivity'],
    ])('@%s is case-insensitive: %s → %s', async (param, input, stored, key) => {
      const id = await send({ recipients: 'a@example.com', [param]: input });
      expect((await payloadOf(id as string))[key]).toBe(stored);
    });

    test('NULL enums mean their defaults; only copy or blind-copy recipients are enough', async () => {
      const id = await send({
        recipients: null,
        copy_recipients: 'cc@example.com',
        body_format: null,
        importance: null,
        sensitivity: null,
      });
      expect(await payloadOf(id as string)).toMatchObject({
        recipients: null,
        copyRecipients: 'cc@example.com',
        bodyFormat: 'TEXT',
        importance: 'Normal',
        sensitivity: 'Normal',
      });
      const bcc = await send({ blind_copy_recipients: 'bcc@example.com', recipients: ' ; ' });
      expect(await payloadOf(bcc as string)).toMatchObject({
        recipients: null,
        blindCopyRecipients: 'bcc@example.com',
      });
    });

    test('50001 when profile_name is missing or blank', async () => {
      await expectApiError(owner.call('rc_SendMail', { recipients: 'a@example.com' }), 50001, 'profile_name');
      await expectApiError(send({ profile_name: '', recipients: 'a@example.com' }), 50001);
      await expectApiError(send({ profile_name: '   ', recipients: 'a@example.com' }), 50001);
      await expectApiError(send({ profile_name: null, recipients: 'a@example.com' }), 50001);
    });

    test('50002 when the profile does not exist', async () => {
      await expectApiError(
        send({ profile_name: `nope_${run}`, recipients: 'a@example.com' }),
        50002,
        `nope_${run}`,
      );
    });

    test('50003 when the profile is disabled', async () => {
      const p = await newProfile();
      await owner.select('UPDATE rc.Mailboxes SET Enabled = ? WHERE MailboxId = ?', [false, Number(p.id)]);
      await expectApiError(send({ profile_name: p.name, recipients: 'a@example.com' }), 50003, p.name);
    });

    test('50004 for a principal without a send grant; nothing is written', async () => {
      const p = await newProfile();
      const principal = `rc_conf_${run}_nogrant`;
      const other = await db.as(principal);
      const before = await totals();
      await expectApiError(
        send({ profile_name: p.name, recipients: 'a@example.com' }, other),
        50004,
        principal,
        p.name,
      );
      // A grant without can_send is not enough either.
      await owner.call('rc_GrantMailbox', { principal, profile_name: p.name, can_send: false });
      await expectApiError(send({ profile_name: p.name, recipients: 'a@example.com' }, other), 50004);
      expect(await totals()).toEqual(before);
    });

    test("a grant to 'public' lets every caller send; principals match case-insensitively", async () => {
      const p = await newProfile();
      const principal = `rc_conf_${run}_public`;
      const other = await db.as(principal);
      await owner.call('rc_GrantMailbox', { principal: 'PUBLIC', profile_name: p.name, can_write: false });
      const id = await send({ profile_name: p.name, recipients: 'a@example.com' }, other);
      const [job] = await owner.select('SELECT CreatedBy FROM rc.Jobs WHERE JobId = ?', [id]);
      expect(job?.createdby).toBe(principal);

      const q = await newProfile();
      await owner.call('rc_GrantMailbox', { principal: principal.toUpperCase(), profile_name: q.name });
      expect(await send({ profile_name: q.name, recipients: 'a@example.com' }, other)).toMatch(/^\d+$/);
    });

    test.each([
      ['recipients', null],
      ['recipients', ''],
      ['recipients', ' ; , ;'],
    ])('50010 when there is no recipient at all (%s = %p)', async (_name, value) => {
      await expectApiError(
        send({ recipients: value, copy_recipients: value, blind_copy_recipients: value }),
        50010,
      );
    });

    test.each([
      ['recipients', 'Bob <bob@example.com>'],
      ['recipients', 'bob@example'],
      ['recipients', 'bob@@example.com'],
      ['recipients', 'bob.@example.com'],
      ['recipients', '.bob@example.com'],
      ['recipients', 'bo..b@example.com'],
      ['recipients', 'bob@-example.com'],
      ['recipients', 'bob@example-.com'],
      ['recipients', 'bob@example..com'],
      ['recipients', 'bob smith@example.com'],
      ['recipients', `${'a'.repeat(65)}@example.com`],
      ['recipients', `a@${'b'.repeat(252)}.com`],
      ['copy_recipients', 'not-an-address'],
      ['blind_copy_recipients', 'x@y_z.com'],
    ])('50011 names the bad entry of %s: %s', async (param, address) => {
      const params: Record<string, string> = {
        recipients: 'ok@example.com',
        [param]: `good@example.com;${address}`,
      };
      await expectApiError(send(params), 50011, address, param);
    });

    test('accepts boundary-valid addresses', async () => {
      const addresses = [
        `${'a'.repeat(64)}@example.com`,
        "o'brien+tag!#$%&*/=?^_`{|}~-x@sub.example-x.org",
        'a.b.c@x.io',
        'A@B.CO',
      ];
      const id = await send({ recipients: addresses.join(',') });
      expect((await payloadOf(id as string)).recipients).toBe(addresses.join(';'));
    });

    test('50012 above 500 recipients in total; exactly 500 is accepted', async () => {
      const list = (n: number, tag: string) =>
        Array.from({ length: n }, (_, i) => `${tag}${i}@example.com`).join(';');
      const ok = await send({
        recipients: list(300, 't'),
        copy_recipients: list(150, 'c'),
        blind_copy_recipients: list(50, 'b'),
      });
      expect(ok).toMatch(/^\d+$/);
      await expectApiError(
        send({
          recipients: list(300, 't'),
          copy_recipients: list(150, 'c'),
          blind_copy_recipients: list(51, 'b'),
        }),
        50012,
        '501',
      );
    });

    test('50013 for an invalid from_address', async () => {
      await expectApiError(
        send({ recipients: 'a@example.com', from_address: 'Me <me@example.com>' }),
        50013,
        'me@example.com',
      );
      await expectApiError(
        send({ recipients: 'a@example.com', from_address: 'a@example.com;b@example.com' }),
        50013,
      );
    });

    test('50014 for an invalid reply_to entry', async () => {
      await expectApiError(
        send({ recipients: 'a@example.com', reply_to: 'ok@example.com; nope' }),
        50014,
        'nope',
      );
    });

    test.each([['XML'], ['text/html'], ['']])('50020 for body_format %p', async (value) => {
      await expectApiError(send({ recipients: 'a@example.com', body_format: value }), 50020);
    });

    test.each([['Urgent'], ['']])('50021 for importance %p', async (value) => {
      await expectApiError(send({ recipients: 'a@example.com', importance: value }), 50021);
    });

    test.each([['Secret'], ['']])('50022 for sensitivity %p', async (value) => {
      await expectApiError(send({ recipients: 'a@example.com', sensitivity: value }), 50022);
    });

    test('50023 when subject exceeds 255 characters (trailing spaces count); 255 is accepted', async () => {
      const id = await send({ recipients: 'a@example.com', subject: 's'.repeat(255) });
      expect((await payloadOf(id as string)).subject).toBe('s'.repeat(255));
      await expectApiError(send({ recipients: 'a@example.com', subject: 's'.repeat(256) }), 50023);
      await expectApiError(send({ recipients: 'a@example.com', subject: `${'s'.repeat(255)} ` }), 50023);
    });

    test('50024 when correlation_key exceeds 200 characters; 200 is accepted', async () => {
      expect(await send({ recipients: 'a@example.com', correlation_key: 'k'.repeat(200) })).toMatch(/^\d+$/);
      await expectApiError(send({ recipients: 'a@example.com', correlation_key: 'k'.repeat(201) }), 50024);
    });

    test('50025 when body exceeds 35 MB; exactly 35 MB is accepted', async () => {
      const id = await send({ recipients: 'a@example.com', body: 'b'.repeat(MAX_BODY) });
      const [row] = await owner.select('SELECT body FROM rc.vw_MailItems WHERE mailitem_id = ?', [id]);
      expect((row?.body as string).length).toBe(MAX_BODY);
      await expectApiError(send({ recipients: 'a@example.com', body: 'b'.repeat(MAX_BODY + 1) }), 50025);
    });

    test('the same correlation key returns the existing job and writes nothing', async () => {
      const key = `order-${run}-1`;
      const first = await send({ recipients: 'a@example.com', correlation_key: key });
      const before = await totals();
      const again = await send({ recipients: 'other@example.com', subject: 'changed', correlation_key: key });
      expect(again).toBe(first);
      expect(await totals()).toEqual(before);
      expect((await payloadOf(first as string)).recipients).toBe('a@example.com');

      // The key is per profile: another profile gets its own job.
      const p = await newProfile();
      const elsewhere = await send({
        profile_name: p.name,
        recipients: 'a@example.com',
        correlation_key: key,
      });
      expect(elsewhere).not.toBe(first);
      // Validation still runs for a repeated key.
      await expectApiError(send({ recipients: 'bad', correlation_key: key }), 50011);
    });

    test('send_at becomes NotBefore; without it the job is due now', async () => {
      const at = new Date(Date.now() + 3_600_000);
      at.setMilliseconds(250);
      const id = await send({ recipients: 'a@example.com', send_at: at });
      const [row] = await owner.select('SELECT send_at FROM rc.vw_MailItems WHERE mailitem_id = ?', [id]);
      expect((row?.send_at as Date).getTime()).toBe(at.getTime());

      const now = await send({ recipients: 'a@example.com' });
      const [due] = await owner.select('SELECT NotBefore, CreatedAt FROM rc.Jobs WHERE JobId = ?', [now]);
      expect((due?.notbefore as Date).getTime()).toBe((due?.createdat as Date).getTime());
    });

    test('a rolled-back caller enqueues nothing', async () => {
      const before = await totals();
      let inside: string | null = null;
      await owner.inRolledBackTransaction(async (tx) => {
        inside = await tx.call('rc_SendMail', { profile_name: sales.name, recipients: 'a@example.com' });
        expect(await tx.select('SELECT JobId FROM rc.Jobs WHERE JobId = ?', [inside])).toHaveLength(1);
      });
      expect(inside).toMatch(/^\d+$/);
      expect(await totals()).toEqual(before);
      expect(await count('SELECT COUNT(*) AS n FROM rc.Jobs WHERE JobId = ?', [inside])).toBe(0);
    });
  });

  describe('rc.vw_MailItems', () => {
    test('has the sysmail_allitems-like columns', async () => {
      const id = await send({
        recipients: 'a@example.com',
        copy_recipients: 'b@example.com',
        blind_copy_recipients: 'c@example.com',
        from_address: 'f@example.com',
        reply_to: 'r@example.com',
        subject: 'Hi',
        body: 'Body',
        correlation_key: `view-${run}`,
      });
      const [row] = await owner.select('SELECT * FROM rc.vw_MailItems WHERE mailitem_id = ?', [id]);
      expect(Object.keys(row ?? {}).sort()).toEqual(
        [
          'mailitem_id',
          'profile_id',
          'profile_name',
          'recipients',
          'copy_recipients',
          'blind_copy_recipients',
          'from_address',
          'reply_to',
          'subject',
          'body',
          'body_format',
          'importance',
          'sensitivity',
          'send_request_date',
          'send_request_user',
          'send_at',
          'sent_status',
          'sent_date',
          'last_mod_date',
          'attempts',
          'last_error_code',
          'last_error',
          'exchange_item_id',
          'correlation_key',
          'status',
          'attachment_count',
          'file_attachments',
        ].sort(),
      );
      expect(row).toMatchObject({
        profile_id: Number(sales.id),
        profile_name: sales.name,
        recipients: 'a@example.com',
        copy_recipients: 'b@example.com',
        blind_copy_recipients: 'c@example.com',
        from_address: 'f@example.com',
        reply_to: 'r@example.com',
        subject: 'Hi',
        body: 'Body',
        body_format: 'TEXT',
        importance: 'Normal',
        sensitivity: 'Normal',
        send_request_user: db.ownerPrincipal,
        sent_status: 'unsent',
        sent_date: null,
        attempts: 0,
        last_error_code: null,
        last_error: null,
        exchange_item_id: null,
        correlation_key: `view-${run}`,
        status: 'Pending',
      });
      expect(String(row?.mailitem_id)).toBe(id);
    });

    test.each([
      ['Pending', 0, null, 'unsent'],
      ['Queued', 0, null, 'unsent'],
      ['Running', 1, null, 'unsent'],
      ['Pending', 1, null, 'unsent'],
      ['Pending', 1, 'ErrorServerBusy', 'retrying'],
      ['Queued', 2, 'ErrorServerBusy', 'retrying'],
      ['Running', 2, 'network', 'retrying'],
      ['Retrying', 1, 'ErrorServerBusy', 'retrying'],
      ['Succeeded', 2, 'ErrorServerBusy', 'sent'],
      ['Failed', 3, 'ErrorInvalidRecipients', 'failed'],
      ['Cancelled', 0, null, 'failed'],
    ])(
      'Status %s, %d attempts, last error %s → sent_status %s',
      async (status, attempts, lastErrorCode, sentStatus) => {
        const id = await send({ recipients: 'a@example.com' });
        const completed = new Date(Date.now() - 1000);
        completed.setMilliseconds(0);
        await owner.select(
          'UPDATE rc.Jobs SET Status = ?, Attempts = ?, LastErrorCode = ?, CompletedAt = ? WHERE JobId = ?',
          [status, attempts, lastErrorCode, completed, id],
        );
        const [row] = await owner.select(
          'SELECT sent_status, sent_date, status, attempts FROM rc.vw_MailItems WHERE mailitem_id = ?',
          [id],
        );
        expect(row).toMatchObject({ sent_status: sentStatus, status, attempts });
        if (status === 'Succeeded') expect((row?.sent_date as Date).getTime()).toBe(completed.getTime());
        else expect(row?.sent_date).toBeNull();
      },
    );
  });

  describe('rc.vw_JobQueue', () => {
    test('counts jobs per status, kind and mailbox with the oldest age', async () => {
      const p = await newProfile();
      await send({ profile_name: p.name, recipients: 'a@example.com' });
      await send({ profile_name: p.name, recipients: 'b@example.com' });
      const rows = await owner.select('SELECT * FROM rc.vw_JobQueue WHERE MailboxId = ?', [Number(p.id)]);
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0] ?? {}).sort()).toEqual(
        [
          'status',
          'kind',
          'mailboxid',
          'profilename',
          'jobcount',
          'oldestcreatedat',
          'oldestageseconds',
        ].sort(),
      );
      expect(rows[0]).toMatchObject({
        status: 'Pending',
        kind: 'SendMail',
        mailboxid: Number(p.id),
        profilename: p.name,
        jobcount: 2,
      });
      expect(rows[0]?.oldestcreatedat).toBeInstanceOf(Date);
      expect(Number(rows[0]?.oldestageseconds)).toBeGreaterThanOrEqual(0);
    });
  });

  describe('rc_AddMailbox', () => {
    test('creates the profile and returns its id', async () => {
      const name = `add_${run}`;
      const id = await owner.call('rc_AddMailbox', {
        profile_name: ` ${name} `,
        smtp_address: ' shared@example.com ',
        transport: 'GRAPH',
        ews_url: null,
        description: 'Shared mailbox',
      });
      expect(id).toMatch(/^\d+$/);
      const [row] = await owner.select(
        'SELECT ProfileName, SmtpAddress, Transport, EwsUrl, Enabled, Description, CreatedBy FROM rc.Mailboxes WHERE MailboxId = ?',
        [Number(id)],
      );
      expect(row).toEqual({
        profilename: name,
        smtpaddress: 'shared@example.com',
        transport: 'graph',
        ewsurl: null,
        enabled: true,
        description: 'Shared mailbox',
        createdby: db.ownerPrincipal,
      });
      // No grant yet: even the owner may not send.
      await expectApiError(send({ profile_name: name, recipients: 'a@example.com' }), 50004);
    });

    test('defaults to ews and keeps an https EWS URL; 128-character names are fine', async () => {
      const name = `n${run}`.padEnd(128, 'x');
      const id = await owner.call('rc_AddMailbox', {
        profile_name: name,
        smtp_address: 'x@example.com',
        ews_url: 'https://mail.example.com/EWS/Exchange.asmx',
      });
      const [row] = await owner.select('SELECT Transport, EwsUrl FROM rc.Mailboxes WHERE MailboxId = ?', [
        Number(id),
      ]);
      expect(row).toEqual({ transport: 'ews', ewsurl: 'https://mail.example.com/EWS/Exchange.asmx' });
    });

    test('50100 for a missing, blank or too long profile_name', async () => {
      await expectApiError(owner.call('rc_AddMailbox', { smtp_address: 'x@example.com' }), 50100);
      await expectApiError(
        owner.call('rc_AddMailbox', { profile_name: '  ', smtp_address: 'x@example.com' }),
        50100,
      );
      await expectApiError(
        owner.call('rc_AddMailbox', { profile_name: 'p'.repeat(129), smtp_address: 'x@example.com' }),
        50100,
      );
    });

    test('50101 when the profile exists (in any case)', async () => {
      await expectApiError(
        owner.call('rc_AddMailbox', { profile_name: sales.name, smtp_address: 'x@example.com' }),
        50101,
        sales.name,
      );
      await expectApiError(
        owner.call('rc_AddMailbox', {
          profile_name: sales.name.toUpperCase(),
          smtp_address: 'x@example.com',
        }),
        50101,
      );
    });

    test('50102 for a missing or invalid smtp_address', async () => {
      await expectApiError(owner.call('rc_AddMailbox', { profile_name: `s1_${run}` }), 50102);
      await expectApiError(
        owner.call('rc_AddMailbox', { profile_name: `s1_${run}`, smtp_address: 'Shared <s@example.com>' }),
        50102,
      );
    });

    test('50103 for a transport other than ews/graph', async () => {
      await expectApiError(
        owner.call('rc_AddMailbox', {
          profile_name: `s2_${run}`,
          smtp_address: 's@example.com',
          transport: 'smtp',
        }),
        50103,
        'smtp',
      );
    });

    test.each([['ftp://mail.example.com/EWS'], ['mail.example.com'], ['https://']])(
      '50104 for ews_url %s',
      async (url) => {
        await expectApiError(
          owner.call('rc_AddMailbox', {
            profile_name: `s3_${run}`,
            smtp_address: 's@example.com',
            ews_url: url,
          }),
          50104,
        );
      },
    );
  });

  describe('rc_GrantMailbox / rc_RevokeMailbox', () => {
    test('grant is an upsert on (profile, principal case-insensitively)', async () => {
      const p = await newProfile();
      const principal = `rc_conf_${run}_grantee`;
      await owner.call('rc_GrantMailbox', { principal, profile_name: p.name, can_read: false });
      await owner.call('rc_GrantMailbox', {
        principal: principal.toUpperCase(),
        profile_name: p.name,
        can_send: false,
        can_write: true,
        can_read: true,
      });
      const rows = await owner.select(
        'SELECT Principal, CanSend, CanWrite, CanRead, GrantedBy FROM rc.MailboxGrants WHERE MailboxId = ? AND Principal <> ?',
        [Number(p.id), db.ownerPrincipal],
      );
      expect(rows).toEqual([
        { principal, cansend: false, canwrite: true, canread: true, grantedby: db.ownerPrincipal },
      ]);
    });

    test('revoke removes the grant: the principal can no longer send', async () => {
      const p = await newProfile();
      const principal = `rc_conf_${run}_revoked`;
      const other = await db.as(principal);
      await owner.call('rc_GrantMailbox', { principal, profile_name: p.name });
      expect(await send({ profile_name: p.name, recipients: 'a@example.com' }, other)).toMatch(/^\d+$/);
      expect(
        await owner.call('rc_RevokeMailbox', { principal, profile_name: p.name.toUpperCase() }),
      ).toBeNull();
      await expectApiError(send({ profile_name: p.name, recipients: 'a@example.com' }, other), 50004);
    });

    test('50110 when principal is missing or blank', async () => {
      await expectApiError(owner.call('rc_GrantMailbox', { profile_name: sales.name }), 50110);
      await expectApiError(
        owner.call('rc_GrantMailbox', { principal: ' ', profile_name: sales.name }),
        50110,
      );
      await expectApiError(owner.call('rc_RevokeMailbox', { profile_name: sales.name }), 50110);
    });

    test('50001 / 50002 for a missing or unknown profile', async () => {
      await expectApiError(owner.call('rc_GrantMailbox', { principal: 'someone' }), 50001);
      await expectApiError(
        owner.call('rc_GrantMailbox', { principal: 'someone', profile_name: `x_${run}` }),
        50002,
      );
      await expectApiError(owner.call('rc_RevokeMailbox', { principal: 'someone' }), 50001);
      await expectApiError(
        owner.call('rc_RevokeMailbox', { principal: 'someone', profile_name: `x_${run}` }),
        50002,
      );
    });

    test('50111 when revoking a grant that does not exist', async () => {
      await expectApiError(
        owner.call('rc_RevokeMailbox', { principal: `nobody_${run}`, profile_name: sales.name }),
        50111,
        `nobody_${run}`,
        sales.name,
      );
    });
  });
});
