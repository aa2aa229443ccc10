/**
 * rc_SendMail's issue-4 parameters in every configured database: @attachments (T-SQL rc.AttachmentList /
 * PostgreSQL jsonb), @file_attachments, @categories, @request_read_receipt, @request_delivery_receipt and
 * @save_to_sent — valid input, every invalid form with its numbered error, the boundaries (names of 255, paths of
 * 1024, 250 attachments, 35 MB in total), and that attachments are written with the job or not at all.
 */
import type { AttachmentParam } from '../../worker/db/api-client';
import type { ApiParams, ApiSession } from './api-driver';
import { expectApiError, factories, useApiFixture, type Profile } from './conformance-fixture';

const MAX_TOTAL = 35 * 1024 * 1024;

/** Every byte value once, so a round trip that mangles any of them shows. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const pdf = (name = 'invoice.pdf', patch: Partial<AttachmentParam> = {}): AttachmentParam => ({
  name,
  content: Buffer.from('%PDF-1.4 test'),
  ...patch,
});

interface AttachmentRow {
  name: string;
  contenttype: string | null;
  contentid: string | null;
  isinline: boolean;
  content: Buffer | null;
  filepath: string | null;
  sizebytes: number | null;
  ordinal: number;
}

describe.each(factories)('rc_SendMail attachments and options on %s', (dialect, factory) => {
  const fx = useApiFixture(factory);
  let owner: ApiSession;
  let sales: Profile;

  beforeAll(async () => {
    owner = fx.owner;
    sales = await fx.newProfile();
  });

  const send = (params: ApiParams, session?: ApiSession) =>
    (session ?? owner).call('rc_SendMail', {
      profile_name: sales.name,
      recipients: 'a@example.com',
      ...params,
    });

  const attachmentsOf = async (jobId: string): Promise<AttachmentRow[]> => {
    const rows = await owner.select(
      'SELECT Name, ContentType, ContentId, IsInline, Content, FilePath, SizeBytes, Ordinal FROM rc.JobAttachments WHERE JobId = ? ORDER BY Ordinal',
      [jobId],
    );
    return rows.map((r) => ({
      ...(r as unknown as AttachmentRow),
      isinline: Boolean(r.isinline),
      sizebytes: r.sizebytes === null ? null : Number(r.sizebytes),
      ordinal: Number(r.ordinal),
    }));
  };

  const attachmentTotal = () => fx.count('SELECT COUNT(*) AS n FROM rc.JobAttachments');

  /** The call must fail with `number` and leave rc.Jobs, rc.JobEvents and rc.JobAttachments as they were. */
  const refused = async (params: ApiParams, number: number, ...mentions: string[]) => {
    const before = { ...(await fx.totals()), attachments: await attachmentTotal() };
    await expectApiError(send(params), number, ...mentions);
    expect({ ...(await fx.totals()), attachments: await attachmentTotal() }).toEqual(before);
  };

  describe('valid input', () => {
    test('@attachments rows are stored in order with the job: names, types, ids, inline flags, exact bytes', async () => {
      const id = (await send({
        body: '<p>Invoice <img src="cid:logo"></p>',
        body_format: 'HTML',
        attachments: [
          { name: '  invoice-4711.pdf ', content_type: 'application/pdf', content: ALL_BYTES },
          { name: 'logo.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), content_id: 'logo' },
          {
            name: 'terms.txt',
            content_type: '  ',
            content: Buffer.from('terms'),
            content_id: 'terms-1',
            is_inline: false,
          },
          { name: 'empty.csv', content: Buffer.alloc(0), content_id: '', is_inline: null },
        ],
      })) as string;
      expect(await attachmentsOf(id)).toEqual([
        {
          name: 'invoice-4711.pdf',
          contenttype: 'application/pdf',
          contentid: null,
          isinline: false,
          content: ALL_BYTES,
          filepath: null,
          sizebytes: 256,
          ordinal: 1,
        },
        {
          name: 'logo.png',
          contenttype: null,
          contentid: 'logo',
          isinline: true,
          content: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
          filepath: null,
          sizebytes: 4,
          ordinal: 2,
        },
        {
          name: 'terms.txt',
          contenttype: null,
          contentid: 'terms-1',
          isinline: false,
          content: Buffer.from('terms'),
          filepath: null,
          sizebytes: 5,
          ordinal: 3,
        },
        {
          name: 'empty.csv',
          contenttype: null,
          contentid: null,
          isinline: false,
          content: Buffer.alloc(0),
          filepath: null,
          sizebytes: 0,
          ordinal: 4,
        },
      ]);
      const payload = await fx.payloadOf(id);
      expect(JSON.stringify(payload)).not.toMatch(/attachment|invoice-4711|logo\.png/i);
    });

    test('@file_attachments: absolute Windows, UNC and POSIX paths, split on ";" only, trimmed, after @attachments', async () => {
      const id = (await send({
        attachments: [pdf('first.pdf')],
        file_attachments:
          ' /srv/rc-files/Smith, John.pdf ;; C:\\Reports\\q1.xlsx;\td:/exports/a b.csv\r\n; \\\\fileserver\\share\\x.docx;/srv/..x/y.pdf',
      })) as string;
      const rows = await attachmentsOf(id);
      expect(rows.map((r) => [r.ordinal, r.name, r.filepath, r.content, r.sizebytes, r.isinline])).toEqual([
        [1, 'first.pdf', null, Buffer.from('%PDF-1.4 test'), 13, false],
        [2, 'Smith, John.pdf', '/srv/rc-files/Smith, John.pdf', null, null, false],
        [3, 'q1.xlsx', 'C:\\Reports\\q1.xlsx', null, null, false],
        [4, 'a b.csv', 'd:/exports/a b.csv', null, null, false],
        [5, 'x.docx', '\\\\fileserver\\share\\x.docx', null, null, false],
        [6, 'y.pdf', '/srv/..x/y.pdf', null, null, false],
      ]);
    });

    test('boundaries: a name of 255, a path of 1024, a file name of 255, content_type and content_id of 255', async () => {
      const name = `${'n'.repeat(251)}.pdf`;
      const path = `/${'d'.repeat(1023 - 256)}/${'f'.repeat(255)}`;
      expect(path).toHaveLength(1024);
      const id = (await send({
        attachments: [
          pdf(name, { content_type: `application/${'x'.repeat(243)}`, content_id: 'c'.repeat(255) }),
        ],
        file_attachments: path,
      })) as string;
      const rows = await attachmentsOf(id);
      expect(rows.map((r) => [r.name, r.contenttype?.length, r.contentid?.length, r.filepath])).toEqual([
        [name, 255, 255, null],
        ['f'.repeat(255), undefined, undefined, path],
      ]);
    });

    test('250 attachments in total are accepted (@attachments and @file_attachments together)', async () => {
      const id = (await send({
        attachments: Array.from({ length: 200 }, (_, i) => pdf(`a${i}.pdf`)),
        file_attachments: Array.from({ length: 50 }, (_, i) => `/srv/f${i}.pdf`).join(';'),
      })) as string;
      expect(await fx.count('SELECT COUNT(*) AS n FROM rc.JobAttachments WHERE JobId = ?', [id])).toBe(250);
      const [last] = (await attachmentsOf(id)).slice(-1);
      expect(last).toMatchObject({ ordinal: 250, name: 'f49.pdf' });
    });

    test('body plus attachments of exactly 35 MB are accepted', async () => {
      const body = 'b'.repeat(1_000_000);
      const id = (await send({
        body,
        attachments: [
          pdf('big.bin', { content: Buffer.alloc(MAX_TOTAL - 1_000_000 - 10, 7) }),
          pdf('ten.bin', { content: Buffer.alloc(10, 1) }),
        ],
      })) as string;
      const rows = await attachmentsOf(id);
      expect(rows.map((r) => r.sizebytes)).toEqual([MAX_TOTAL - 1_000_010, 10]);
      expect(rows[0]?.content?.equals(Buffer.alloc(MAX_TOTAL - 1_000_010, 7))).toBe(true);
    }, 120_000);

    test('payload: categories, receipts and save_to_sent; defaults are [], false, false and null', async () => {
      const plain = (await send({})) as string;
      expect(await fx.payloadOf(plain)).toMatchObject({
        categories: [],
        readReceipt: false,
        deliveryReceipt: false,
        saveToSent: null,
      });
      const full = (await send({
        categories: ' Invoices; customers ,invoices;;Q1 ',
        request_read_receipt: true,
        request_delivery_receipt: true,
        save_to_sent: false,
      })) as string;
      expect(await fx.payloadOf(full)).toMatchObject({
        categories: ['Invoices', 'customers', 'Q1'],
        readReceipt: true,
        deliveryReceipt: true,
        saveToSent: false,
      });
      const nulls = (await send({
        categories: null,
        request_read_receipt: null,
        request_delivery_receipt: false,
        save_to_sent: true,
      })) as string;
      expect(await fx.payloadOf(nulls)).toMatchObject({
        categories: [],
        readReceipt: false,
        deliveryReceipt: false,
        saveToSent: true,
      });
    });

    test('rc.vw_MailItems shows attachment_count and the file_attachments', async () => {
      const id = (await send({
        attachments: [pdf('a.pdf'), pdf('b.pdf')],
        file_attachments: '/srv/x.pdf;C:\\y.pdf',
      })) as string;
      const none = (await send({})) as string;
      const rows = await owner.select(
        'SELECT mailitem_id, attachment_count, file_attachments FROM rc.vw_MailItems WHERE mailitem_id IN (?, ?) ORDER BY mailitem_id',
        [id, none],
      );
      expect(
        rows.map((r) => [String(r.mailitem_id), Number(r.attachment_count), r.file_attachments]),
      ).toEqual([
        [id, 4, '/srv/x.pdf;C:\\y.pdf'],
        [none, 0, null],
      ]);
    });
  });

  describe('transactions and idempotency', () => {
    test('a rolled-back caller leaves no job and no attachment rows', async () => {
      const before = { ...(await fx.totals()), attachments: await attachmentTotal() };
      let inside: string | null = null;
      await owner.inRolledBackTransaction(async (tx) => {
        inside = await send({ attachments: [pdf()], file_attachments: '/srv/x.pdf' }, tx);
        expect(
          await tx.select('SELECT AttachmentId FROM rc.JobAttachments WHERE JobId = ?', [inside]),
        ).toHaveLength(2);
      });
      expect(inside).toMatch(/^\d+$/);
      expect({ ...(await fx.totals()), attachments: await attachmentTotal() }).toEqual(before);
    });

    test('a repeated correlation key returns the first job and writes no attachments', async () => {
      const key = `att-${fx.run}`;
      const first = (await send({ attachments: [pdf('one.pdf')], correlation_key: key })) as string;
      const before = { ...(await fx.totals()), attachments: await attachmentTotal() };
      const again = await send({ attachments: [pdf('two.pdf'), pdf('three.pdf')], correlation_key: key });
      expect(again).toBe(first);
      expect({ ...(await fx.totals()), attachments: await attachmentTotal() }).toEqual(before);
      expect((await attachmentsOf(first)).map((r) => r.name)).toEqual(['one.pdf']);
    });
  });

  describe('@attachments errors (50030–50037)', () => {
    test.each([
      ['NULL', null],
      ['empty', ''],
      ['blank', '   '],
    ])('50030 for a %s name, naming the row', async (_what, name) => {
      await refused({ attachments: [pdf('ok.pdf'), { name, content: Buffer.from('x') }] }, 50030, 'row 2');
    });

    test('50031 for a name of 256 characters', async () => {
      await refused({ attachments: [pdf(`${'n'.repeat(252)}.pdf`)] }, 50031, 'row 1', '256', 'n'.repeat(40));
    });

    test.each([
      ['a slash', 'reports/a.pdf'],
      ['a backslash', 'reports\\a.pdf'],
      ['a tab', 'a\tb.pdf'],
      ['a line feed', 'a\nb.pdf'],
      ['DEL', 'a\u007fb.pdf'],
      ['a C1 control', 'a\u0085b.pdf'],
    ])('50032 for a name with %s', async (_what, name) => {
      await refused({ attachments: [pdf(name)] }, 50032, 'row 1');
    });

    test('50033 for NULL content, naming row and name', async () => {
      await refused(
        { attachments: [pdf('a.pdf'), { name: 'b.pdf', content: null }] },
        50033,
        'row 2',
        'b.pdf',
      );
    });

    test.each([
      ['too long', `application/${'x'.repeat(244)}`],
      ['without a slash', 'pdf'],
      ['starting with a slash', '/pdf'],
      ['ending with a slash', 'application/'],
      ['with a control character', 'application/pdf\n'],
    ])('50034 for a content_type %s', async (_what, contentType) => {
      await refused({ attachments: [pdf('a.pdf', { content_type: contentType })] }, 50034, 'row 1', 'a.pdf');
    });

    test.each([
      ['too long', 'c'.repeat(256)],
      ['with a space', 'my logo'],
      ['in angle brackets', '<logo@x>'],
      ['with a control character', 'lo\tgo'],
    ])('50035 for a content_id %s', async (_what, contentId) => {
      await refused({ attachments: [pdf('a.png', { content_id: contentId })] }, 50035, 'row 1', 'a.png');
    });

    test('50036 for is_inline without a content_id', async () => {
      await refused(
        {
          attachments: [
            pdf('a.png', { is_inline: true }),
            pdf('b.png', { is_inline: true, content_id: ' ' }),
          ],
        },
        50036,
        'row 1',
        'content_id',
      );
    });

    test('50037 for a content_id used twice (case-insensitively), naming both rows', async () => {
      await refused(
        {
          attachments: [
            pdf('a.png', { content_id: 'logo' }),
            pdf('b.png', { content_id: 'other' }),
            pdf('c.png', { content_id: 'LOGO' }),
          ],
        },
        50037,
        'row 3',
        'c.png',
        'row 1',
      );
    });

    test('rules are checked one after the other over all rows: the first rule broken wins', async () => {
      // Row 1 breaks 50034, row 2 breaks 50030: the name rule comes first.
      await refused(
        { attachments: [pdf('a.pdf', { content_type: 'nope' }), { name: null, content: Buffer.from('x') }] },
        50030,
        'row 2',
      );
    });
  });

  describe('@file_attachments errors (50040–50044)', () => {
    test('50040 for an entry longer than 1024 characters', async () => {
      const long = `/${'d'.repeat(1019)}/x.pdf`;
      expect(long).toHaveLength(1026);
      await refused({ file_attachments: `/srv/ok.pdf;${long}` }, 50040, 'entry 2', '1026');
    });

    test.each([
      ['a tab inside', '/srv/a\tb.pdf'],
      ['a bell', '/srv/a\u0007b.pdf'],
      ['a C1 control', '/srv/a\u009bb.pdf'],
    ])('50041 for %s', async (_what, path) => {
      await refused({ file_attachments: path }, 50041, 'entry 1');
    });

    test.each([
      ['a bare file name', 'invoice.pdf'],
      ['a relative path', 'reports/invoice.pdf'],
      ['a drive-relative path', 'C:invoice.pdf'],
      ['a home-relative path', '~/invoice.pdf'],
      ['a dot path', './invoice.pdf'],
      ['a digit for a drive', '1:\\invoice.pdf'],
    ])('50042 for %s', async (_what, path) => {
      await refused(
        { file_attachments: `/srv/ok.pdf; ${path}` },
        50042,
        'entry 2',
        path,
        'RC_FILE_ATTACHMENT_DIR',
      );
    });

    test.each([
      ['POSIX', '/srv/rc-files/../../etc/passwd'],
      ['Windows', 'C:\\rc-files\\..\\secret.pdf'],
      ['mixed separators', 'C:/rc-files\\../secret.pdf'],
      ['at the end', '/srv/rc-files/..'],
    ])("50043 for a '..' segment (%s)", async (_what, path) => {
      await refused({ file_attachments: path }, 50043, 'entry 1', "'..'");
    });

    test.each([
      ['a directory (trailing slash)', '/srv/rc-files/'],
      ['a directory (trailing backslash)', 'C:\\rc-files\\'],
      ['a file name of 256 characters', `/srv/${'f'.repeat(256)}`],
    ])('50044 for %s', async (_what, path) => {
      await refused({ file_attachments: path }, 50044, 'entry 1');
    });
  });

  describe('limits and categories', () => {
    test('50038 above 250 attachments in total', async () => {
      await refused(
        {
          attachments: Array.from({ length: 200 }, (_, i) => pdf(`a${i}.pdf`)),
          file_attachments: Array.from({ length: 51 }, (_, i) => `/srv/f${i}.pdf`).join(';'),
        },
        50038,
        '251',
      );
      await refused({ attachments: Array.from({ length: 251 }, (_, i) => pdf(`a${i}.pdf`)) }, 50038, '251');
    });

    test('50039 when body and attachments exceed 35 MB together; 50025 stays for the body alone', async () => {
      await refused(
        {
          body: 'b'.repeat(1_000_000),
          attachments: [pdf('big.bin', { content: Buffer.alloc(MAX_TOTAL - 1_000_000 + 1) })],
        },
        50039,
        String(MAX_TOTAL + 1),
      );
      await refused({ body: 'b'.repeat(MAX_TOTAL + 1), attachments: [pdf()] }, 50025);
    }, 120_000);

    test('50055 from the shared categories rules', async () => {
      await refused({ categories: `ok;${'c'.repeat(256)}` }, 50055, 'rc_SendMail', '@categories');
      await refused({ categories: Array.from({ length: 51 }, (_, i) => `c${i}`).join(';') }, 50055);
    });
  });

  if (dialect === 'postgres') {
    describe('PostgreSQL jsonb forms', () => {
      const sendJson = (json: string) =>
        owner.select(
          'SELECT rc.rc_sendmail(profile_name => ?, recipients => ?, attachments => ?::jsonb) AS id',
          [sales.name, 'a@example.com', json],
        );
      const base64 = Buffer.from('hello').toString('base64');

      test('a single object is one attachment; JSON null is none; base64 may hold line breaks', async () => {
        const [one] = await sendJson(JSON.stringify({ name: 'a.txt', content: base64 }));
        expect((await attachmentsOf(String(one?.id))).map((r) => [r.name, r.content])).toEqual([
          ['a.txt', Buffer.from('hello')],
        ]);
        const [none] = await sendJson('null');
        expect(await attachmentsOf(String(none?.id))).toEqual([]);
        const [wrapped] = await sendJson(JSON.stringify([{ name: 'b.txt', content: 'aGVs\nbG8=' }]));
        expect((await attachmentsOf(String(wrapped?.id)))[0]?.content).toEqual(Buffer.from('hello'));
      });

      test.each([
        ['an element that is not an object', '["a.pdf"]', 50030, 'not a JSON object'],
        [
          'a name that is not a string',
          `[{"name": 5, "content": "${base64}"}]`,
          50030,
          'name must be a JSON string',
        ],
        ['content that is not base64', '[{"name": "a.txt", "content": "***"}]', 50033, 'not valid base64'],
        ['content that is not a string', '[{"name": "a.txt", "content": [1, 2]}]', 50033, 'base64 text'],
        [
          'a content_type that is not a string',
          `[{"name": "a.txt", "content": "${base64}", "content_type": 1}]`,
          50034,
          'must be a JSON string',
        ],
        [
          'a content_id that is not a string',
          `[{"name": "a.txt", "content": "${base64}", "content_id": true}]`,
          50035,
          'must be a JSON string',
        ],
        [
          'an is_inline that is not a boolean',
          `[{"name": "a.txt", "content": "${base64}", "is_inline": "yes"}]`,
          50036,
          'true, false or null',
        ],
      ])('%s is refused with its field number', async (_what, json, number, reason) => {
        const before = { ...(await fx.totals()), attachments: await attachmentTotal() };
        await expectApiError(sendJson(json), number, 'row 1', reason);
        expect({ ...(await fx.totals()), attachments: await attachmentTotal() }).toEqual(before);
      });
    });
  }
});
