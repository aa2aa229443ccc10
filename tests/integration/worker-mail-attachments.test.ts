/**
 * rc_SendMail with attachments and the issue-4 options, end to end on real PostgreSQL, Redis and the simulator:
 * rc_sendmail → worker → EWS (draft → CreateAttachment per attachment → SendItem) → what Exchange holds, checked
 * through the simulator's admin API (attachment bytes downloaded) — not only the status column.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AdminItem } from '../../simulator';
import type { ApiParams, AttachmentParam } from '../../worker/db/api-client';
import { jobIdOf, PROFILE, SENDER, startHarness, type Harness } from '../helpers/worker-harness';

const RECIPIENT = 'billing@contoso.com';

let h: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await h?.close();
  h = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tempDir(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), `rc-mail-${tag}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A PDF-looking file of `size` bytes: a real header, random bytes (every byte value occurs), an EOF marker. */
function pdfBytes(size: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n');
  return Buffer.concat([head, randomBytes(size - head.length - tail.length), tail]);
}

/** 1×1 transparent PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function sendMail(harness: Harness, params: ApiParams): Promise<string> {
  return (await harness.call('rc_SendMail', {
    profile_name: PROFILE,
    recipients: RECIPIENT,
    ...params,
  })) as string;
}

async function download(harness: Harness, address: string, item: AdminItem, n: number): Promise<Buffer> {
  const res = await fetch(
    `${harness.sim.url}/_sim/mailboxes/${encodeURIComponent(address)}/items/${encodeURIComponent(item.id)}/attachments/${n}`,
  );
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function sentItem(harness: Harness, jobId: string): Promise<AdminItem> {
  const items = (await harness.sentItems()).filter((i) => jobIdOf(i) === jobId);
  expect(items).toHaveLength(1);
  return items[0] as AdminItem;
}

/** EWS requests the simulator counted for the sender, by operation. */
async function operations(harness: Harness): Promise<Record<string, number>> {
  const res = await fetch(`${harness.sim.url}/_sim/stats`);
  const stats = (await res.json()) as { mailboxes: Record<string, { operations: Record<string, number> }> };
  return stats.mailboxes[SENDER]?.operations ?? {};
}

describe('SendMail with attachments, end to end', () => {
  it('PDF attachments arrive byte for byte, with content types from the extension, one CreateAttachment each', async () => {
    h = await startHarness({}, { mailboxes: [RECIPIENT] });
    await h.startWorker();
    const invoice = pdfBytes(300_000);
    const terms = pdfBytes(1_200_000);
    const empty = Buffer.alloc(0);
    const id = await sendMail(h, {
      subject: 'Invoice 4711',
      body: 'Please find attached invoice 4711.',
      attachments: [
        { name: 'Invoice 4711.pdf', content: invoice },
        { name: 'terms & conditions <2026>.PDF', content: terms },
        { name: 'no-items.csv', content: empty, content_type: 'text/csv; charset=utf-8' },
      ],
    });
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row).toMatchObject({ status: 'Succeeded', attempts: 1, lasterrorcode: null });
    const item = await sentItem(h, id);
    expect(item.id).toBe(row?.resultitemid);
    expect(item.attachments).toEqual([
      { name: 'Invoice 4711.pdf', contentType: 'application/pdf', size: invoice.length, isInline: false },
      {
        name: 'terms & conditions <2026>.PDF',
        contentType: 'application/pdf',
        size: terms.length,
        isInline: false,
      },
      { name: 'no-items.csv', contentType: 'text/csv; charset=utf-8', size: 0, isInline: false },
    ]);
    expect((await download(h, SENDER, item, 0)).equals(invoice)).toBe(true);
    expect((await download(h, SENDER, item, 1)).equals(terms)).toBe(true);
    expect((await download(h, SENDER, item, 2)).length).toBe(0);
    // The recipient (a simulator mailbox) got the same bytes.
    const [received] = (await h.items(RECIPIENT, 'inbox')).filter((i) => i.subject === 'Invoice 4711');
    expect(received?.attachments.map((a) => a.size)).toEqual([invoice.length, terms.length, 0]);
    expect((await download(h, RECIPIENT, received as AdminItem, 1)).equals(terms)).toBe(true);
    // Draft → one CreateAttachment per attachment → SendItem; nothing left in Drafts.
    expect(await operations(h)).toMatchObject({ CreateAttachment: 3, SendItem: 1 });
    expect((await h.items(SENDER, 'drafts')).filter((i) => jobIdOf(i) === id)).toEqual([]);
  });

  it('an inline image is shown by the HTML body through its content id', async () => {
    h = await startHarness();
    await h.startWorker();
    const body = '<p>Dear customer,</p><p><img src="cid:logo-1" alt="Contoso"></p>';
    const id = await sendMail(h, {
      subject: 'With logo',
      body,
      body_format: 'HTML',
      attachments: [
        { name: 'logo.png', content: PNG, content_id: 'logo-1' },
        { name: 'invoice.pdf', content: pdfBytes(5000) },
      ],
    });
    const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
    expect(row?.status).toBe('Succeeded');
    const item = await sentItem(h, id);
    expect(item.bodyType).toBe('HTML');
    expect(item.body).toContain('cid:logo-1');
    expect(item.attachments).toEqual([
      { name: 'logo.png', contentType: 'image/png', size: PNG.length, isInline: true, contentId: 'logo-1' },
      { name: 'invoice.pdf', contentType: 'application/pdf', size: 5000, isInline: false },
    ]);
    expect((await download(h, SENDER, item, 0)).equals(PNG)).toBe(true);
  });

  it('categories, read and delivery receipts are set on the sent item', async () => {
    h = await startHarness();
    await h.startWorker();
    const id = await sendMail(h, {
      subject: 'Receipts',
      categories: 'Invoices; Customers & Co',
      request_read_receipt: true,
      request_delivery_receipt: true,
      attachments: [{ name: 'a.pdf', content: pdfBytes(2000) }],
    });
    const plain = await sendMail(h, { subject: 'No receipts' });
    const rows = await h.waitFor([id, plain], ['Succeeded', 'Failed']);
    expect(rows.map((r) => r.status)).toEqual(['Succeeded', 'Succeeded']);
    const item = await sentItem(h, id);
    expect(item.categories).toEqual(['Invoices', 'Customers & Co']);
    const stored = h.sim.store.getItem(item.id);
    expect(stored).toMatchObject({ isReadReceiptRequested: true, isDeliveryReceiptRequested: true });
    const other = await sentItem(h, plain);
    expect(other.categories).toEqual([]);
    expect(h.sim.store.getItem(other.id)).toMatchObject({
      isReadReceiptRequested: false,
      isDeliveryReceiptRequested: false,
    });
  });

  it('save_to_sent 0 sends without a copy in Sent Items (with and without attachments); NULL keeps one', async () => {
    h = await startHarness({}, { mailboxes: [RECIPIENT] });
    await h.startWorker();
    const noCopy = await sendMail(h, {
      subject: 'no copy',
      save_to_sent: false,
      attachments: [{ name: 'a.pdf', content: pdfBytes(3000) }],
    });
    const noCopyPlain = await sendMail(h, { subject: 'no copy plain', save_to_sent: false });
    const copy = await sendMail(h, { subject: 'copy', save_to_sent: null });
    const rows = await h.waitFor([noCopy, noCopyPlain, copy], ['Succeeded', 'Failed']);
    expect(rows.map((r) => [r.status, r.resultitemid === null])).toEqual([
      ['Succeeded', true],
      ['Succeeded', true],
      ['Succeeded', false],
    ]);
    const sent = await h.sentItems();
    expect(sent.map(jobIdOf)).toEqual([copy]);
    expect((await h.items(SENDER, 'drafts')).length).toBe(0);
    const inbox = await h.items(RECIPIENT, 'inbox');
    expect(inbox.map((i) => i.subject).sort()).toEqual(['copy', 'no copy', 'no copy plain']);
    expect(inbox.find((i) => i.subject === 'no copy')?.attachments.map((a) => a.name)).toEqual(['a.pdf']);
  });

  describe('@file_attachments', () => {
    it('reads a file from RC_FILE_ATTACHMENT_DIR (also in a sub-directory) byte for byte', async () => {
      const dir = await tempDir('allowed');
      const invoice = pdfBytes(400_000);
      await mkdir(path.join(dir, 'invoices', '2026'), { recursive: true });
      await writeFile(path.join(dir, 'invoices', '2026', 'Rechnung 4711.pdf'), invoice);
      await writeFile(path.join(dir, 'summary.txt'), 'total: 42 EUR\n');
      h = await startHarness({ RC_FILE_ATTACHMENT_DIR: dir });
      await h.startWorker();
      const id = await sendMail(h, {
        subject: 'From files',
        attachments: [{ name: 'cover.pdf', content: pdfBytes(1000) }],
        file_attachments: `${path.join(dir, 'invoices', '2026', 'Rechnung 4711.pdf')}; ${dir}/./summary.txt`,
      });
      const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
      expect(row).toMatchObject({ status: 'Succeeded', lasterror: null });
      const item = await sentItem(h, id);
      expect(item.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
        ['cover.pdf', 'application/pdf', 1000],
        ['Rechnung 4711.pdf', 'application/pdf', invoice.length],
        ['summary.txt', 'text/plain', 14],
      ]);
      expect((await download(h, SENDER, item, 1)).equals(invoice)).toBe(true);
      expect((await download(h, SENDER, item, 2)).toString()).toBe('total: 42 EUR\n');
    });

    it('refuses files outside the directory (also through a symbolic link) and missing files, sending nothing', async () => {
      const dir = await tempDir('allowed');
      const elsewhere = await tempDir('secret');
      await writeFile(path.join(elsewhere, 'secret.pdf'), pdfBytes(1000));
      await symlink(path.join(elsewhere, 'secret.pdf'), path.join(dir, 'link.pdf'));
      h = await startHarness({ RC_FILE_ATTACHMENT_DIR: dir });
      await h.startWorker();
      const outside = await sendMail(h, { file_attachments: path.join(elsewhere, 'secret.pdf') });
      const viaLink = await sendMail(h, { file_attachments: path.join(dir, 'link.pdf') });
      const missing = await sendMail(h, { file_attachments: path.join(dir, 'not-there.pdf') });
      const rows = await h.waitFor([outside, viaLink, missing], ['Succeeded', 'Failed']);
      expect(rows.map((r) => [r.status, r.attempts, r.lasterrorcode])).toEqual([
        ['Failed', 1, 'access_denied'],
        ['Failed', 1, 'access_denied'],
        ['Failed', 1, 'not_found'],
      ]);
      expect(rows[0]?.lasterror).toContain(path.join(elsewhere, 'secret.pdf'));
      expect(rows[0]?.lasterror).toContain('RC_FILE_ATTACHMENT_DIR');
      expect(rows[1]?.lasterror).toContain('resolves to');
      expect(rows[2]?.lasterror).toContain('does not exist');
      expect(await h.items(SENDER)).toEqual([]);
      const mi = await h.sql.query(
        `SELECT sent_status, file_attachments FROM rc.vw_mailitems WHERE mailitem_id = $1`,
        [outside],
      );
      expect(mi.rows[0]).toEqual({
        sent_status: 'failed',
        file_attachments: path.join(elsewhere, 'secret.pdf'),
      });
    });

    it('refuses every file while RC_FILE_ATTACHMENT_DIR is not set', async () => {
      const dir = await tempDir('unset');
      await writeFile(path.join(dir, 'a.pdf'), pdfBytes(1000));
      h = await startHarness();
      await h.startWorker();
      const id = await sendMail(h, { file_attachments: path.join(dir, 'a.pdf') });
      const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
      expect(row).toMatchObject({ status: 'Failed', attempts: 1, lasterrorcode: 'access_denied' });
      expect(row?.lasterror).toContain('RC_FILE_ATTACHMENT_DIR is not set');
      expect(await h.items(SENDER)).toEqual([]);
    });

    it('a file that makes the mail larger than 35 MB fails the job before anything is sent', async () => {
      const dir = await tempDir('big');
      await writeFile(path.join(dir, 'huge.bin'), Buffer.alloc(35 * 1024 * 1024 - 10));
      h = await startHarness({ RC_FILE_ATTACHMENT_DIR: dir });
      await h.startWorker();
      const id = await sendMail(h, { body: 'x'.repeat(11), file_attachments: path.join(dir, 'huge.bin') });
      const [row] = await h.waitFor([id], ['Succeeded', 'Failed']);
      expect(row).toMatchObject({ status: 'Failed', lasterrorcode: 'payload_invalid' });
      expect(row?.lasterror).toContain(String(35 * 1024 * 1024 + 1));
      expect(await h.items(SENDER)).toEqual([]);
    });
  });

  describe('exactly once after a crash between draft and send', () => {
    /**
     * A proxy in front of the simulator that, once, breaks the connection of the first SendItem: before the
     * simulator sees it ('request': the draft stays in Drafts) or after it was processed ('response': the mail
     * went out, but the worker never hears so).
     */
    async function startCrashingProxy(mode: 'request' | 'response') {
      let target = '';
      let crashed = false;
      const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = Buffer.concat(chunks);
          const isSend = !crashed && /<(\w+:)?SendItem[\s>]/.test(body.toString('utf8'));
          if (isSend && mode === 'request') {
            crashed = true;
            req.socket.destroy();
            return;
          }
          const upstream = http.request(
            `${target}${req.url ?? ''}`,
            { method: req.method, headers: { ...req.headers, host: new URL(target).host } },
            (answer) => {
              if (isSend && mode === 'response') {
                crashed = true;
                answer.resume();
                answer.on('end', () => req.socket.destroy());
                return;
              }
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          upstream.on('error', () => req.socket.destroy());
          upstream.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      return {
        ewsUrl: `http://127.0.0.1:${port}/EWS/Exchange.asmx`,
        setTarget: (url: string) => (target = url),
        crashed: () => crashed,
      };
    }

    it.each([
      ['before Exchange saw the SendItem: the leftover draft is replaced', 'request' as const],
      ['after Exchange sent it: the retry finds it in Sent Items', 'response' as const],
    ])('%s', async (_name, mode) => {
      const proxy = await startCrashingProxy(mode);
      h = await startHarness({ RC_EWS_URL: proxy.ewsUrl }, { mailboxes: [RECIPIENT] });
      proxy.setTarget(h.sim.url);
      await h.startWorker();
      const files: AttachmentParam[] = [
        { name: 'invoice.pdf', content: pdfBytes(200_000) },
        { name: 'delivery-note.pdf', content: pdfBytes(50_000) },
      ];
      const id = await sendMail(h, { subject: `crash ${mode}`, attachments: files });
      const [row] = await h.waitFor([id], ['Succeeded', 'Failed'], 30_000);
      expect(proxy.crashed()).toBe(true);
      expect(row).toMatchObject({ status: 'Succeeded', attempts: 2 });
      const item = await sentItem(h, id);
      expect(item.id).toBe(row?.resultitemid);
      expect(item.attachments.map((a) => [a.name, a.size])).toEqual([
        ['invoice.pdf', 200_000],
        ['delivery-note.pdf', 50_000],
      ]);
      expect((await download(h, SENDER, item, 0)).equals(files[0]?.content as Buffer)).toBe(true);
      expect(await h.items(SENDER, 'drafts')).toEqual([]);
      // 'request': the retry deleted the first draft and built a second one; 'response': it found the mail.
      const ops = await operations(h);
      expect([ops.CreateItem, ops.DeleteItem ?? 0, ops.SendItem]).toEqual(
        mode === 'request' ? [2, 1, 1] : [1, 0, 1],
      );
      const received = (await h.items(RECIPIENT, 'inbox')).filter((i) => i.subject === `crash ${mode}`);
      expect(received).toHaveLength(1);
      expect((await h.events(id)).map((e) => e.eventtype)).toContain('retrying');
    });
  });
});
