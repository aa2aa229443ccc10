/**
 * The worker side of rc_SendMail's attachments without Exchange or SQL: content types from extensions, the
 * allowed-directory rule for @file_attachments (symbolic links, swaps between check and read), the 35 MB total,
 * and the SendMail handler's order of work (retry checks, then files, then the gateway) against fakes.
 */
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RcError } from '../../worker/errors';
import { silentLogger } from '../../worker/log';
import type { JobAttachment, StartedJob } from '../../worker/db/store';
import type { ExchangeGateway, OutgoingMail } from '../../worker/exchange/gateway';
import { contentTypeFor } from '../../worker/jobs/attachment-content-type';
import { checkFileAttachment, isInsideDirectory, readCheckedFile } from '../../worker/jobs/file-attachment';
import type { JobContext, JobStore } from '../../worker/jobs/job-handler';
import { loadMailAttachments, MAX_MESSAGE_BYTES } from '../../worker/jobs/mail-attachments';
import { sendMailHandler } from '../../worker/jobs/send-mail';

async function caught(promise: Promise<unknown>): Promise<RcError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(RcError);
    return err as RcError;
  }
  throw new Error('expected a rejection');
}

describe('contentTypeFor', () => {
  it.each([
    ['Invoice 4711.PDF', 'application/pdf'],
    ['logo.png', 'image/png'],
    ['photo.JPEG', 'image/jpeg'],
    ['report.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['export.csv', 'text/csv'],
    ['archive.tar.gz', 'application/gzip'],
    ['README', 'application/octet-stream'],
    ['.pdf', 'application/octet-stream'],
    ['trailing.', 'application/octet-stream'],
    ['data.unknownext', 'application/octet-stream'],
    ['evil.constructor', 'application/octet-stream'],
    ['evil.__proto__', 'application/octet-stream'],
  ])('%s → %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe('isInsideDirectory', () => {
  it.each([
    ['/srv/rc', '/srv/rc/a.pdf', true],
    ['/srv/rc', '/srv/rc/sub/a.pdf', true],
    ['/srv/rc', '/srv/rc/..a.pdf', true],
    ['/srv/rc', '/srv/rc', false],
    ['/srv/rc', '/srv/rc-other/a.pdf', false],
    ['/srv/rc', '/srv/a.pdf', false],
    ['/srv/rc', '/etc/passwd', false],
  ])('POSIX %s contains %s: %s', (dir, candidate, inside) => {
    expect(isInsideDirectory(dir, candidate, path.posix)).toBe(inside);
  });

  it.each([
    ['C:\\rc', 'C:\\rc\\a.pdf', true],
    ['C:\\rc', 'c:\\RC\\Sub\\a.pdf', true],
    ['C:\\rc', 'D:\\rc\\a.pdf', false],
    ['C:\\rc', 'C:\\rc2\\a.pdf', false],
  ])('Windows %s contains %s: %s', (dir, candidate, inside) => {
    expect(isInsideDirectory(dir, candidate, path.win32)).toBe(inside);
  });
});

describe('file attachments below RC_FILE_ATTACHMENT_DIR', () => {
  let root: string;
  let allowed: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'rc-file-att-'));
    allowed = path.join(root, 'allowed');
    outside = path.join(root, 'outside');
    await mkdir(path.join(allowed, 'sub'), { recursive: true });
    await mkdir(outside);
    await writeFile(path.join(allowed, 'a.pdf'), 'inside');
    await writeFile(path.join(allowed, 'sub', 'b.pdf'), 'deeper');
    await writeFile(path.join(outside, 'secret.pdf'), 'secret');
    await symlink(path.join(outside, 'secret.pdf'), path.join(allowed, 'to-secret.pdf'));
    await symlink(path.join(allowed, 'a.pdf'), path.join(allowed, 'to-a.pdf'));
    await symlink(outside, path.join(allowed, 'outside-dir'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('accepts files inside, also below sub-directories and through links that stay inside', async () => {
    for (const [name, content] of [
      ['a.pdf', 'inside'],
      ['sub/b.pdf', 'deeper'],
      ['sub/../a.pdf', 'inside'],
      ['to-a.pdf', 'inside'],
    ]) {
      const file = await checkFileAttachment('1', path.join(allowed, name as string), allowed);
      expect((await readCheckedFile('1', file)).toString()).toBe(content);
    }
  });

  it('works when RC_FILE_ATTACHMENT_DIR itself is reached through a symbolic link', async () => {
    const link = path.join(root, 'allowed-link');
    await symlink(allowed, link);
    const file = await checkFileAttachment('1', path.join(link, 'a.pdf'), link);
    expect(file.realPath).toBe(path.join(allowed, 'a.pdf'));
  });

  it.each([
    ['a file outside', () => path.join(outside, 'secret.pdf'), 'is not inside'],
    ['a path escaping with ..', () => path.join(allowed, '..', 'outside', 'secret.pdf'), 'is not inside'],
    ['a link to a file outside', () => path.join(allowed, 'to-secret.pdf'), 'resolves to'],
    [
      'a file below a linked directory outside',
      () => path.join(allowed, 'outside-dir', 'secret.pdf'),
      'resolves to',
    ],
    ['a Windows path on a POSIX worker', () => 'C:\\rc-files\\a.pdf', 'is not inside'],
    ['the directory itself', () => allowed, 'is not inside'],
  ])('refuses %s as access_denied, naming the path and RC_FILE_ATTACHMENT_DIR', async (_what, file, text) => {
    const error = await caught(checkFileAttachment('7', file(), allowed));
    expect(error).toMatchObject({ code: 'access_denied', retryable: false });
    expect(error.message).toContain(file());
    expect(error.message).toContain(text);
    expect(error.message).toContain('RC_FILE_ATTACHMENT_DIR');
    expect(error.message).toContain('job 7');
  });

  it('does not tell whether a file outside exists', async () => {
    const missing = await caught(checkFileAttachment('1', path.join(outside, 'nope.pdf'), allowed));
    const present = await caught(checkFileAttachment('1', path.join(outside, 'secret.pdf'), allowed));
    expect([missing.code, present.code]).toEqual(['access_denied', 'access_denied']);
  });

  it('refuses everything while the setting is missing, and a setting that does not resolve', async () => {
    const unset = await caught(checkFileAttachment('1', path.join(allowed, 'a.pdf'), null));
    expect(unset).toMatchObject({ code: 'access_denied', retryable: false });
    expect(unset.message).toContain('RC_FILE_ATTACHMENT_DIR is not set');
    const bad = await caught(checkFileAttachment('1', path.join(allowed, 'a.pdf'), path.join(root, 'nope')));
    expect(bad.message).toContain(path.join(root, 'nope'));
  });

  it('a missing file is a permanent not_found; a directory is no file', async () => {
    const missing = await caught(checkFileAttachment('1', path.join(allowed, 'gone.pdf'), allowed));
    expect(missing).toMatchObject({ code: 'not_found', retryable: false });
    expect(missing.message).toContain('does not exist');
    const dir = await caught(checkFileAttachment('1', path.join(allowed, 'sub'), allowed));
    expect(dir).toMatchObject({ code: 'payload_invalid', retryable: false });
  });

  it('a file swapped between check and read is not read', async () => {
    const name = path.join(allowed, 'swap.pdf');
    await writeFile(name, 'original');
    const file = await checkFileAttachment('1', name, allowed);
    await unlink(name);
    await symlink(path.join(outside, 'secret.pdf'), name);
    const linked = await caught(readCheckedFile('1', file));
    expect(linked.code).toBe('access_denied');
    await unlink(name);
    await writeFile(name, 'another file');
    const other = await caught(readCheckedFile('1', file));
    expect(other.code).toBe('access_denied');
    expect(other.message).toContain('replaced');
  });
});

describe('loadMailAttachments', () => {
  const rows: JobAttachment[] = [
    {
      attachmentId: '11',
      name: 'invoice.pdf',
      contentType: null,
      contentId: null,
      isInline: false,
      sizeBytes: 100,
      filePath: null,
    },
    {
      attachmentId: '12',
      name: 'logo.png',
      contentType: 'image/x-custom',
      contentId: 'logo',
      isInline: true,
      sizeBytes: 50,
      filePath: null,
    },
  ];

  const storeWith = (list: JobAttachment[], reads: string[] = []): JobStore => ({
    listAttachments: () => Promise.resolve(list),
    readAttachmentContent: (id) => {
      reads.push(id);
      return Promise.resolve(Buffer.from(`content of ${id}`));
    },
    findTargetItem: () => Promise.resolve(null),
    findNewerSyncJob: () => Promise.resolve(null),
  });

  it('maps rows in order, derives missing content types and reads nothing until asked', async () => {
    const reads: string[] = [];
    const loaded = await loadMailAttachments(storeWith(rows, reads), '5', null, 10);
    expect(loaded.totalBytes).toBe(150);
    expect(loaded.attachments.map((a) => [a.name, a.contentType, a.contentId, a.isInline])).toEqual([
      ['invoice.pdf', 'application/pdf', null, false],
      ['logo.png', 'image/x-custom', 'logo', true],
    ]);
    expect(reads).toEqual([]);
    expect((await loaded.attachments[1]!.read()).toString()).toBe('content of 12');
    expect(reads).toEqual(['12']);
  });

  it('counts the body and every attachment towards 35 MB', async () => {
    const big = [{ ...rows[0]!, sizeBytes: MAX_MESSAGE_BYTES - 10 }];
    await expect(loadMailAttachments(storeWith(big), '5', null, 10)).resolves.toBeDefined();
    const error = await caught(loadMailAttachments(storeWith(big), '5', null, 11));
    expect(error).toMatchObject({ code: 'payload_invalid', retryable: false });
    expect(error.message).toContain(String(MAX_MESSAGE_BYTES + 1));
  });
});

describe('sendMailHandler', () => {
  const mailbox = {
    mailboxId: 1,
    profileName: 'alerts',
    smtpAddress: 'sender@contoso.com',
    transport: 'ews' as const,
    ewsUrl: null,
    enabled: true,
  };

  function fakeGateway(found: Partial<Record<string, { itemId: string; changeKey: string }>> = {}) {
    const calls: string[] = [];
    const sent: OutgoingMail[] = [];
    const gateway = {
      sendMail: (_m: unknown, mail: OutgoingMail) => {
        calls.push('sendMail');
        sent.push(mail);
        return Promise.resolve({ itemId: 'new-item', changeKey: 'ck' });
      },
      findItemByJobId: (_m: unknown, folder: string) => {
        calls.push(`find ${folder}`);
        return Promise.resolve(found[folder] ?? null);
      },
    } as unknown as ExchangeGateway;
    return { gateway, calls, sent };
  }

  function context(
    gateway: ExchangeGateway,
    options: { attempt?: number; payload?: unknown; files?: string[]; dir?: string | null } = {},
  ): JobContext {
    const job: StartedJob = {
      jobId: '42',
      kind: 'SendMail',
      payload: options.payload ?? { recipients: 'a@example.com', saveToSent: null },
      attempt: options.attempt ?? 1,
      maxAttempts: 10,
      mailbox,
      targetJobId: null,
      attachmentCount: (options.files ?? []).length,
    };
    const list = (options.files ?? []).map((filePath, i) => ({
      attachmentId: String(i + 1),
      name: path.basename(filePath),
      contentType: null,
      contentId: null,
      isInline: false,
      sizeBytes: null,
      filePath,
    }));
    return {
      job,
      gateway,
      store: {
        listAttachments: () => Promise.resolve(list),
        readAttachmentContent: () => Promise.reject(new Error('not used')),
        findTargetItem: () => Promise.resolve(null),
        findNewerSyncJob: () => Promise.resolve(null),
      },
      logger: silentLogger(),
      settings: { saveSentCopy: true, fileAttachmentDir: options.dir ?? null },
    };
  }

  it('first attempt: no lookups, attachments passed to the gateway', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rc-handler-'));
    try {
      await writeFile(path.join(dir, 'a.pdf'), 'pdf bytes');
      const fake = fakeGateway();
      const result = await sendMailHandler(context(fake.gateway, { files: [path.join(dir, 'a.pdf')], dir }));
      expect(result).toEqual({ itemId: 'new-item', changeKey: 'ck' });
      expect(fake.calls).toEqual(['sendMail']);
      const [attachment] = fake.sent[0]!.attachments;
      expect(attachment).toMatchObject({ name: 'a.pdf', contentType: 'application/pdf' });
      expect((await attachment!.read()).toString()).toBe('pdf bytes');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a refused file fails the job before Exchange is asked anything', async () => {
    const fake = fakeGateway();
    const error = await caught(
      sendMailHandler(context(fake.gateway, { files: ['/etc/passwd'], dir: tmpdir() })),
    );
    expect(error.code).toBe('access_denied');
    expect(fake.calls).toEqual([]);
  });

  it('a retry records the mail found in Sent Items (files are not even checked any more)', async () => {
    const fake = fakeGateway({ sentitems: { itemId: 'old', changeKey: 'k1' } });
    const result = await sendMailHandler(context(fake.gateway, { attempt: 2, files: ['/gone.pdf'] }));
    expect(result).toEqual({ itemId: 'old', changeKey: 'k1' });
    expect(fake.calls).toEqual(['find sentitems']);
  });

  it('a retry that finds the mail in the Outbox waits for Sent Items (with a copy) or is done (without)', async () => {
    const withCopy = fakeGateway({ outbox: { itemId: 'o', changeKey: 'k' } });
    const error = await caught(sendMailHandler(context(withCopy.gateway, { attempt: 3 })));
    expect(error).toMatchObject({ code: 'exchange_transient', retryable: true });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(withCopy.calls).toEqual(['find sentitems', 'find outbox']);

    const withoutCopy = fakeGateway({ outbox: { itemId: 'o', changeKey: 'k' } });
    const payload = { recipients: 'a@example.com', saveToSent: false };
    expect(await sendMailHandler(context(withoutCopy.gateway, { attempt: 2, payload }))).toEqual({
      itemId: null,
      changeKey: null,
    });
    expect(withoutCopy.calls).not.toContain('sendMail');
  });

  it('a retry that finds nothing sends again with the same job id', async () => {
    const fake = fakeGateway();
    await sendMailHandler(context(fake.gateway, { attempt: 2 }));
    expect(fake.calls).toEqual(['find sentitems', 'find outbox', 'sendMail']);
    expect(fake.sent[0]).toMatchObject({ jobId: '42', saveCopy: true });
  });
});
