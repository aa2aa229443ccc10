/**
 * The simulator's web view in a real headless Chromium (Debian package `chromium`, driven by playwright-core):
 * a mail sent through the EWS face with a hostile HTML body and markup in its subject is browsed to from `/`,
 * shown escaped, its body runs nothing, and a second mail appears in the open folder page without a reload.
 * Without /usr/bin/chromium (RC_CHROMIUM overrides the path) the test is skipped outside CI; scripts/browser.sh
 * installs it, and CI runs that script, so there it always runs.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ews from 'ews-javascript-api';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { xmlEscape } from '../../worker/exchange/ews/xml-escape';
import { bypassProxyForLocalhost, createEwsService } from '../helpers/simulator-ews-client';

bypassProxyForLocalhost();

const CHROMIUM = process.env.RC_CHROMIUM ?? '/usr/bin/chromium';
const runs = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!runs) {
  console.warn(
    `[simulator-web] SKIPPED: no Chromium at ${CHROMIUM}. Run \`bash scripts/browser.sh\` (installs the Debian ` +
      'package chromium) or set RC_CHROMIUM to a Chromium binary.',
  );
}
const describeBrowser = runs ? describe : describe.skip;

const SENDER = 'web.sender@sim.test';
const RECEIVER = 'web.receiver@sim.test';
const SUBJECT = `Q&A <b>bold</b> "quoted" > 'single' &amp;`;
const HOSTILE_BODY =
  '<p>Hello <b>world</b></p>' +
  '<script>window.pwned = "script"; document.title = "pwned";</script>' +
  '<img src="x" onerror="window.pwned = \'onerror\'; document.title = \'pwned\'">' +
  '<a href="javascript:window.pwned=1">js link</a>' +
  '<img src="https://example.invalid/tracker.png" alt="remote">';
const JOB_PROP = new ews.ExtendedPropertyDefinition(
  new ews.Guid('c11ff724-aa03-4555-9952-8fa248a11c3e'),
  'RcJobId',
  ews.MapiPropertyType.String,
);

describeBrowser('simulator web view in headless Chromium', () => {
  let sim: RunningSimulator;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ mailboxes: [SENDER, RECEIVER] });
    userDataDir = mkdtempSync(join(tmpdir(), 'rc-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-proxy-server',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(10_000);
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (d) => void d.dismiss());
  });

  afterAll(async () => {
    await context?.close();
    await sim?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** ews-javascript-api (it escapes nothing, so values are escaped first). */
  async function sendWithLibrary(subject: string, body: string): Promise<void> {
    const { service } = createEwsService(sim.ewsUrl, { user: SENDER, password: 'simulator' });
    const m = new ews.EmailMessage(service);
    m.Subject = xmlEscape(subject);
    m.Body = new ews.MessageBody(ews.BodyType.Text, xmlEscape(body));
    m.ToRecipients.Add(RECEIVER);
    m.SetExtendedProperty(JOB_PROP, 'job-2');
    await m.SendAndSaveCopy();
  }

  /**
   * A hand-made CreateItem: ews-javascript-api adds attachments with a separate CreateAttachment call, which the
   * simulator does not implement, while an inline t:Attachments in CreateItem is accepted.
   */
  async function sendWithAttachment(
    subject: string,
    htmlBody: string,
    attachmentName: string,
  ): Promise<void> {
    const x = xmlEscape;
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" ' +
      'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><soap:Header>' +
      '<t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header><soap:Body>' +
      '<m:CreateItem MessageDisposition="SendAndSaveCopy"><m:SavedItemFolderId>' +
      '<t:DistinguishedFolderId Id="sentitems"/></m:SavedItemFolderId><m:Items><t:Message>' +
      `<t:Subject>${x(subject)}</t:Subject><t:Body BodyType="HTML">${x(htmlBody)}</t:Body>` +
      `<t:Attachments><t:FileAttachment><t:Name>${x(attachmentName)}</t:Name>` +
      '<t:ContentType>text/plain</t:ContentType>' +
      `<t:Content>${Buffer.from('hello attachment').toString('base64')}</t:Content></t:FileAttachment></t:Attachments>` +
      '<t:ExtendedProperty><t:ExtendedFieldURI PropertySetId="c11ff724-aa03-4555-9952-8fa248a11c3e" ' +
      `PropertyName="RcJobId" PropertyType="String"/><t:Value>${x('job-<1>')}</t:Value></t:ExtendedProperty>` +
      `<t:ToRecipients><t:Mailbox><t:EmailAddress>${RECEIVER}</t:EmailAddress></t:Mailbox></t:ToRecipients>` +
      '</t:Message></m:Items></m:CreateItem></soap:Body></soap:Envelope>';
    const res = await fetch(sim.ewsUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${SENDER}:simulator`).toString('base64')}`,
        'Content-Type': 'text/xml; charset=utf-8',
      },
      body: xml,
    });
    const text = await res.text();
    expect(text).toContain('ResponseClass="Success"');
  }

  test('browse to a sent mail: escaped subject, rows present, no script runs, live update', async () => {
    await sendWithAttachment(SUBJECT, HOSTILE_BODY, 'report <1>.txt');

    await page.goto(`${sim.url}/`);
    await page.getByRole('link', { name: SENDER }).click();
    await page.getByRole('link', { name: 'Sent Items' }).click();
    await page.getByRole('link', { name: SUBJECT }).click();

    // The subject is text, not markup: exactly the characters sent, and no <b> element made from it.
    await expect(page.locator('#subject').textContent()).resolves.toBe(SUBJECT);
    await expect(page.locator('#subject b').count()).resolves.toBe(0);
    await expect(page.title()).resolves.toBe(`${SUBJECT} · rc-exchange simulator`);
    await expect(page.locator('#headers').textContent()).resolves.toContain(RECEIVER);
    await expect(page.locator('#attachments').textContent()).resolves.toContain('report <1>.txt');
    await expect(page.locator('#extended-properties').textContent()).resolves.toContain('job-<1>');
    await expect(page.locator('#extended-properties').textContent()).resolves.toContain('RcJobId');

    // The body renders inside the sandboxed frame, and nothing in it ran or loaded.
    const frame = page.frameLocator('#body');
    await expect(frame.locator('p > b').textContent()).resolves.toBe('world');
    const bodyFrame = page.frames().find((f) => f !== page.mainFrame());
    expect(bodyFrame).toBeDefined();
    const frameHtml = await bodyFrame!.content();
    expect(frameHtml).not.toMatch(/<script|onerror|javascript:|example\.invalid/i);
    await expect(frame.getByText('js link').getAttribute('href')).resolves.toBeNull();
    await page.waitForTimeout(300);
    await expect(page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).resolves.toBeUndefined();
    await expect(
      bodyFrame!.evaluate(() => (globalThis as { pwned?: unknown }).pwned),
    ).resolves.toBeUndefined();
    await expect(bodyFrame!.title()).resolves.not.toBe('pwned');
    expect(requests.filter((url) => !url.startsWith(sim.url))).toEqual([]);

    // Back to Sent Items; a mail sent while the page is open shows up without a reload.
    await page.getByRole('link', { name: 'Sent Items' }).click();
    await page.evaluate(() => ((globalThis as { sameDocument?: boolean }).sameDocument = true));
    const second = 'Second <mail> & co';
    await sendWithLibrary(second, 'plain <text>');
    await page.getByRole('link', { name: second }).waitFor({ timeout: 10_000 });
    await expect(page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).resolves.toBe(
      true,
    );
    await expect(page.locator('h1').textContent()).resolves.toBe('Sent Items (2)');

    // The text body of the second mail is shown escaped, as text.
    await page.getByRole('link', { name: second }).click();
    await expect(page.locator('pre#body').textContent()).resolves.toBe('plain <text>');
    expect(pageErrors).toEqual([]);
  });
});
