/**
 * Child process of tests/integration/ews-mail-memory.test.ts: sends one mail with COUNT attachments of SIZE bytes
 * to the simulator at EWS_URL and prints the memory it took, as one JSON line on stdout. Runs alone in its
 * process (started with --expose-gc) so the figures are the sender's only, not the simulator's or jest's.
 *
 * MODE=draft   EwsGateway.sendMail: draft → one CreateAttachment per attachment → SendItem (what rc-exchange does)
 * Reported: the RSS peak (garbage the GC has not collected yet included — what the machine has to have), and
 * the live memory left by earlier attachments each time the next one is read (after a forced GC).
 *
 * MODE=library every attachment added to the message through ews-javascript-api's own collection, which then
 *              uploads them all in one CreateAttachment request (what the library does by itself)
 */
import { WellKnownFolderName } from 'ews-javascript-api';
import { loadConfig } from '../../worker/config';
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import { EwsServicePool } from '../../worker/exchange/ews/ews-service-pool';
import { buildMessage } from '../../worker/exchange/ews/ews-mail';
import { JOB_ID_PROPERTY } from '../../worker/exchange/ews/ews-properties';
import type { OutgoingMail } from '../../worker/exchange/gateway';

const env = process.env;
const mode = env.MODE === 'library' ? 'library' : 'draft';
const count = Number(env.COUNT ?? 3);
const size = Number(env.SIZE ?? 10 * 1024 * 1024);
const sender = env.SENDER as string;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

interface Sample {
  rss: number;
  heap: number;
  external: number;
}

function sample(): Sample {
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed, external: m.external + m.arrayBuffers };
}

async function main(): Promise<void> {
  const config = loadConfig({
    RC_EWS_URL: env.EWS_URL as string,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: sender,
    RC_EWS_PASSWORD: env.PASSWORD as string,
    RC_EWS_TIMEOUT_MS: '120000',
  });
  const mailbox = { smtpAddress: sender, transport: 'ews' as const, ewsUrl: null };
  let reads = 0;
  let base: Sample = sample();
  /** Live memory (after a full GC) above the baseline each time an attachment is about to be read. */
  const retained: Array<{ heap: number; buffers: number }> = [];
  const mail: OutgoingMail = {
    jobId: `mem-${mode}`,
    to: ['someone@example.org'],
    cc: [],
    bcc: [],
    replyTo: [],
    from: null,
    subject: `memory ${mode}`,
    body: 'see attachments',
    bodyType: 'Text',
    importance: 'Normal',
    sensitivity: 'Normal',
    categories: [],
    readReceipt: false,
    deliveryReceipt: false,
    saveCopy: true,
    attachments: Array.from({ length: count }, (_, i) => ({
      name: `part-${i}.bin`,
      contentType: 'application/octet-stream',
      contentId: null,
      isInline: false,
      read: () => {
        reads += 1;
        // What the earlier attachments left alive: collected garbage excluded (measurement only).
        gc();
        gc();
        const now = sample();
        retained.push({ heap: now.heap - base.heap, buffers: now.external - base.external });
        return Promise.resolve(Buffer.alloc(size, i + 1));
      },
    })),
  };

  // Warm up: one small mail loads the library's code paths and opens the connection.
  const gateway = new EwsGateway({ ews: config.ews, findAfterSendDelaysMs: [0] });
  await gateway.sendMail(mailbox, { ...mail, jobId: 'warm-up', subject: 'warm-up', attachments: [] });
  gc();
  gc();
  base = sample();
  let peak = base;
  const timer = setInterval(() => {
    const now = sample();
    peak = {
      rss: Math.max(peak.rss, now.rss),
      heap: Math.max(peak.heap, now.heap),
      external: Math.max(peak.external, now.external),
    };
  }, 1);
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  const started = Date.now();
  if (mode === 'draft') {
    await gateway.sendMail(mailbox, mail);
  } else {
    const pool = new EwsServicePool({ ews: config.ews });
    const message = buildMessage(await pool.get(mailbox), mail, JOB_ID_PROPERTY);
    for (const a of mail.attachments) {
      message.Attachments.AddFileAttachment(a.name, (await a.read()).toString('base64'));
    }
    await message.SendAndSaveCopy(WellKnownFolderName.SentItems);
    pool.close();
  }
  const ms = Date.now() - started;
  clearInterval(timer);
  const after = sample();
  peak = {
    rss: Math.max(peak.rss, after.rss),
    heap: Math.max(peak.heap, after.heap),
    external: Math.max(peak.external, after.external),
  };
  const maxRss = process.resourceUsage().maxRSS * 1024;
  await gateway.close();
  process.stdout.write(
    `${JSON.stringify({
      mode,
      count,
      size,
      reads,
      ms,
      baseRss: base.rss,
      peakRssDelta: Math.max(peak.rss, maxRss) - base.rss,
      maxRssGrewBy: Math.max(0, maxRss - maxRssBefore),
      peakHeapDelta: peak.heap - base.heap,
      peakExternalDelta: peak.external - base.external,
      retained,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
