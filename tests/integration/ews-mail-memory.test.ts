/**
 * Memory of sending large attachments (issue 4: "large attachments must not be held in memory more than once per
 * job"). The sender runs in its own process (tests/helpers/ews-mail-memory-child.ts, --expose-gc) against this
 * process's simulator, once the way rc-exchange sends (draft → one CreateAttachment per attachment → SendItem)
 * and once the way ews-javascript-api does by itself (all attachments in one CreateAttachment). The figures are
 * printed (peak RSS is a figure, not an assertion: it depends on GC timing and machine load); the assertions
 * check, after a forced GC, that nothing of an uploaded attachment is still alive when the next one is read on
 * the draft path, while the library's own path keeps them all.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startSimulator, type AdminItem, type RunningSimulator } from '../../simulator';

const SENDER = 'sender@contoso.com';
const PASSWORD = 'mem-pass';
const MB = 1024 * 1024;
const ROOT = path.resolve(__dirname, '..', '..');

interface Figures {
  mode: 'draft' | 'library';
  count: number;
  size: number;
  reads: number;
  ms: number;
  baseRss: number;
  peakRssDelta: number;
  maxRssGrewBy: number;
  peakHeapDelta: number;
  peakExternalDelta: number;
  retained: Array<{ heap: number; buffers: number }>;
}

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [SENDER], password: PASSWORD });
});
afterAll(async () => {
  await sim.close();
});

function measure(mode: Figures['mode'], count: number, size: number): Promise<Figures> {
  const child = spawn(
    process.execPath,
    [
      '--expose-gc',
      '-r',
      path.join(ROOT, 'tests/helpers/swc-register.cjs'),
      path.join(ROOT, 'tests/helpers/ews-mail-memory-child.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        MODE: mode,
        COUNT: String(count),
        SIZE: String(size),
        EWS_URL: sim.ewsUrl,
        SENDER,
        PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child (${mode}) exited with ${code}: ${err}`));
      resolve(JSON.parse(out.trim().split('\n').pop() as string) as Figures);
    });
  });
}

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

describe('memory of sending 3 × 10 MB attachments over EWS', () => {
  it('the draft path holds about one attachment at a time; the library path holds all of them', async () => {
    const size = 10 * MB;
    const draft = await measure('draft', 3, size);
    const library = await measure('library', 3, size);
    console.log(
      [
        'EWS send of 3 × 10 MB attachments, memory above the idle process (peak):',
        ...[draft, library].map(
          (f) =>
            `  ${f.mode.padEnd(7)} RSS +${mb(f.peakRssDelta)} (${(f.peakRssDelta / f.size).toFixed(1)} × one attachment), ` +
            `heap +${mb(f.peakHeapDelta)}, buffers +${mb(f.peakExternalDelta)}, ${f.ms} ms; ` +
            `live before reading attachment 1/2/3: ${f.retained.map((r) => `heap ${mb(r.heap)} + buffers ${mb(r.buffers)}`).join(' / ')}`,
        ),
      ].join('\n'),
    );
    expect(draft.reads).toBe(3);
    expect(library.reads).toBe(3);
    // Every attachment arrived (the simulator holds 3 × 10 MB per sent item).
    const res = await fetch(`${sim.url}/_sim/mailboxes/${encodeURIComponent(SENDER)}/items?folder=sentitems`);
    const sizes = ((await res.json()) as AdminItem[])
      .filter((i) => i.subject.startsWith('memory '))
      .map((i) => i.attachments.map((a) => a.size));
    expect(sizes).toEqual([
      [size, size, size],
      [size, size, size],
    ]);
    // Peak RSS (printed above) depends on when the GC runs and on what else the machine does, so it is a figure,
    // not an assertion; what is asserted is measured after a forced GC: what stays alive between attachments.
    // Nothing of an uploaded attachment is still alive when the next one is read; the library keeps them all.
    for (const r of draft.retained) expect(r.heap + r.buffers).toBeLessThan(size / 5);
    const last = library.retained[2] as { heap: number; buffers: number };
    expect(last.heap + last.buffers).toBeGreaterThan(2 * size);
  }, 180_000);
});
