/**
 * `rcx demo`: rc-exchange end to end on this machine. Starts the Exchange simulator, migrates the database in
 * RC_DB_URL (default: the local PostgreSQL that scripts/services.sh prepares), registers demo mailbox profiles,
 * starts a worker, then behaves like an application: it calls rc_SendMail over SQL and watches rc.vw_MailItems
 * until every mail is sent or failed. One call is rejected by the procedure itself, one job fails in Exchange.
 */
import { ApiCallError, type ApiClient, type ApiParams, type MailItemStatus } from '../db/api-client';
import { migrateUp } from '../db/migrate';
import { openApiClient, openMigrationTarget } from '../db/open-store';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { startWorkerProcess } from '../worker-process';
import { onShutdownSignal } from './command-context';

const DOMAIN = 'demo.local';
const SERVICE_ACCOUNT = `svc-rcx@${DOMAIN}`;
const PASSWORD = 'simulator';
const MAILBOXES = [SERVICE_ACCOUNT, `sales@${DOMAIN}`, `alice@${DOMAIN}`, `bob@${DOMAIN}`];

export interface DemoOptions {
  simulatorPort: number;
  exitWhenDone: boolean;
}

const out = (line = '') => process.stdout.write(`${line}\n`);

/** Creates the profile unless an earlier demo run did; it uses the worker's RC_EWS_URL (this run's simulator). */
async function ensureProfile(api: ApiClient, profile: string, address: string): Promise<void> {
  try {
    await api.call('rc_AddMailbox', { profile_name: profile, smtp_address: address });
  } catch (err) {
    if (!(err instanceof ApiCallError && err.number === 50101)) throw err;
  }
  await api.call('rc_GrantMailbox', { principal: 'public', profile_name: profile, can_send: true });
}

async function send(api: ApiClient, label: string, params: ApiParams): Promise<string | null> {
  try {
    const id = await api.call('rc_SendMail', params);
    out(`  EXEC rc.rc_SendMail … ${label.padEnd(44)} → mailitem_id ${id}`);
    return id;
  } catch (err) {
    if (!(err instanceof ApiCallError)) throw err;
    out(`  EXEC rc.rc_SendMail … ${label.padEnd(44)} → rejected, error ${err.number}: ${err.message}`);
    return null;
  }
}

function describe(item: MailItemStatus): string {
  const detail =
    item.sentStatus === 'failed'
      ? `${item.lastErrorCode}: ${item.lastError}`
      : item.sentStatus === 'retrying'
        ? `attempt ${item.attempts}, ${item.lastErrorCode}`
        : (item.recipients ?? '');
  return `#${item.mailitemId} ${item.sentStatus.padEnd(8)} ${JSON.stringify(item.subject)}  ${detail}`;
}

async function watch(api: ApiClient, ids: string[], timeoutMs: number): Promise<MailItemStatus[]> {
  // Every id was 'unsent' when the procedure returned it; print each change from there.
  const seen = new Map<string, string>(ids.map((id) => [id, 'unsent']));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = await api.mailItems(ids);
    for (const item of items) {
      const before = seen.get(item.mailitemId);
      if (before !== item.sentStatus) {
        out(`  ${before ? `${before} → ` : ''}${describe(item)}`);
        seen.set(item.mailitemId, item.sentStatus);
      }
    }
    if (
      items.length === ids.length &&
      items.every((i) => i.sentStatus === 'sent' || i.sentStatus === 'failed')
    ) {
      return items;
    }
    if (Date.now() > deadline) throw new Error(`demo mails not finished within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function runDemo(options: DemoOptions): Promise<void> {
  // The demo shows outcomes through rc.vw_MailItems, as an application sees them; only errors are logged.
  const logger = createLogger({ level: 'error', format: 'auto' });
  const sim: RunningSimulator = await startSimulator({
    port: options.simulatorPort,
    mailboxes: MAILBOXES,
    password: PASSWORD,
    logger,
  });
  sim.store.grantImpersonation(SERVICE_ACCOUNT);
  const config = loadConfig({
    RC_HTTP_PORT: '0',
    RC_RETRY_BASE_MS: '500',
    ...process.env,
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: SERVICE_ACCOUNT,
    RC_EWS_PASSWORD: PASSWORD,
  });

  out(`rc-exchange demo`);
  out(`  database   ${config.db.url.replace(/:[^:@/]*@/, ':***@')}`);
  out(`  simulator  ${sim.url}/  (EWS ${sim.ewsUrl})`);
  const target = await openMigrationTarget(config.db.url);
  try {
    const result = await migrateUp(target);
    out(
      `  schema     ${result.applied.length} migration(s) applied, ${result.procedures.length} procedure file(s) current`,
    );
  } finally {
    await target.close();
  }

  const api = await openApiClient(config.db.url);
  const worker = await startWorkerProcess(config, logger);
  out(`  worker     ${config.worker.id} (ops endpoints ${worker.ops?.url ?? 'off'})`);
  const stopAll = async () => {
    await worker.stop();
    await api.close();
    await sim.close();
  };

  try {
    await ensureProfile(api, 'sales', `sales@${DOMAIN}`);
    await ensureProfile(api, 'former-staff', `left-the-company@${DOMAIN}`);
    out();
    out(`Calling the stored procedure over SQL, as an application would:`);
    const run = Date.now().toString(36);
    const ids = [
      await send(api, `(HTML, to alice and bob)`, {
        profile_name: 'sales',
        recipients: `alice@${DOMAIN};bob@${DOMAIN}`,
        subject: 'Rechnung 4711 – Müller & Söhne',
        body: '<p>Sehr geehrte Damen und Herren,</p><p>anbei Ihre Rechnung <b>4711</b>.</p>',
        body_format: 'HTML',
        importance: 'High',
        correlation_key: `demo-${run}-invoice-4711`,
      }),
      await send(api, `(text, cc and bcc)`, {
        profile_name: 'sales',
        recipients: `bob@${DOMAIN}`,
        copy_recipients: `alice@${DOMAIN}`,
        blind_copy_recipients: 'audit@example.com',
        subject: 'Lieferavis <KW 48>',
        body: 'Ihre Lieferung kommt am Freitag. 🚚',
      }),
      await send(api, `(to an external address)`, {
        profile_name: 'sales',
        recipients: 'customer@example.com',
        subject: 'Thanks for your order',
        body: 'We received your order.',
      }),
      await send(api, `(bad address: the procedure refuses it)`, {
        profile_name: 'sales',
        recipients: 'alice@@demo',
        subject: 'never enqueued',
      }),
      await send(api, `(profile whose mailbox no longer exists)`, {
        profile_name: 'former-staff',
        recipients: `alice@${DOMAIN}`,
        subject: 'Out of office',
        body: 'This mailbox was removed from Exchange.',
      }),
    ].filter((id): id is string => id !== null);

    out();
    out(`Watching rc.vw_MailItems (sent_status):`);
    const items = await watch(api, ids, 60_000);
    const sent = items.filter((i) => i.sentStatus === 'sent').length;
    out();
    out(`${sent} sent, ${items.length - sent} failed. Look at what Exchange (the simulator) holds:`);
    out(`  ${sim.url}/                                   mailboxes, folders, items`);
    out(`  ${sim.url}/_sim/mailboxes/alice@${DOMAIN}/items?folder=inbox   (JSON)`);
    out(`Query it yourself: SELECT * FROM rc.vw_MailItems ORDER BY mailitem_id DESC;`);
  } catch (err) {
    await stopAll();
    throw err;
  }

  if (options.exitWhenDone) {
    await stopAll();
    return;
  }
  out();
  out(`Simulator and worker keep running; press Ctrl-C to stop.`);
  onShutdownSignal(logger, stopAll);
}
