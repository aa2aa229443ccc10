/**
 * `rcx demo`: rc-exchange end to end on this machine. Starts the Exchange simulator, migrates the database in
 * RC_DB_URL (default: the local PostgreSQL that scripts/services.sh prepares), registers demo mailbox profiles,
 * starts a worker, then behaves like an application: it calls rc_SendMail over SQL and watches rc.vw_MailItems
 * until every mail is sent or failed. One call is rejected by the procedure itself, one job fails in Exchange.
 * Then it uses the rest of the API the same way: an invoice with a PDF attachment, a meeting in a named
 * calendar with an attendee, and a contacts folder kept in a desired state (rc_SyncFolder), watched with
 * rc_GetJob.
 */
import {
  ApiCallError,
  type ApiClient,
  type ApiParams,
  type ApiProcedure,
  type MailItemStatus,
} from '../db/api-client';
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
  await api.call('rc_GrantMailbox', {
    principal: 'public',
    profile_name: profile,
    can_send: true,
    can_write: true,
    can_read: true,
  });
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

interface JobRow {
  jobid: unknown;
  kind: unknown;
  status: unknown;
  lasterrorcode: unknown;
  lasterror: unknown;
  resultmessage: unknown;
}

/** rc_GetJob's row with lower-case keys (SQL Server keeps the column names' case, PostgreSQL folds them). */
async function getJob(api: ApiClient, jobId: string): Promise<JobRow> {
  const [row] = await api.rows('rc_GetJob', { job_id: jobId });
  return Object.fromEntries(
    Object.entries(row ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  ) as unknown as JobRow;
}

async function watchJobs(api: ApiClient, ids: string[], timeoutMs: number): Promise<void> {
  const seen = new Map<string, unknown>(ids.map((id) => [id, 'Pending']));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let open = 0;
    for (const id of ids) {
      const job = await getJob(api, id);
      if (job.status !== seen.get(id)) {
        const detail =
          job.status === 'Failed'
            ? `${String(job.lasterrorcode)}: ${String(job.lasterror)}`
            : job.status === 'Succeeded' && job.resultmessage
              ? String(job.resultmessage)
              : '';
        out(
          `  ${String(seen.get(id))} → #${id} ${String(job.kind).padEnd(18)} ${String(job.status).padEnd(9)} ${detail}`,
        );
        seen.set(id, job.status);
      }
      if (job.status !== 'Succeeded' && job.status !== 'Failed' && job.status !== 'Cancelled') open++;
    }
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`demo jobs not finished within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A one-page PDF (enough for any viewer) standing in for an invoice. */
function invoicePdf(number: string): Buffer {
  const text = `Invoice ${number}`;
  const stream = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Calls one API procedure and prints the call and its job id. */
async function enqueue(
  api: ApiClient,
  proc: ApiProcedure,
  label: string,
  params: ApiParams,
): Promise<string> {
  const id = await api.call(proc, params);
  out(`  EXEC rc.${proc} … ${label.padEnd(44)} → job_id ${id}`);
  return id as string;
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
    out(`${sent} sent, ${items.length - sent} failed.`);

    out();
    out(`The rest of the API, the same way (watched with rc_GetJob):`);
    const jobs = [
      await enqueue(api, 'rc_SendMail', '(invoice with a PDF attachment)', {
        profile_name: 'sales',
        recipients: `alice@${DOMAIN}`,
        subject: 'Invoice 4712',
        body: 'Please find invoice 4712 attached.',
        attachments: [
          { name: 'invoice-4712.pdf', content_type: 'application/pdf', content: invoicePdf('4712') },
        ],
      }),
      await enqueue(api, 'rc_CreateAppointment', '(meeting in calendar "Production plan")', {
        profile_name: 'sales',
        subject: 'Press 7: maintenance',
        start_time: new Date(Date.now() + 86_400_000),
        end_time: new Date(Date.now() + 86_400_000 + 2 * 3_600_000),
        time_zone: 'Europe/Berlin',
        required_attendees: `bob@${DOMAIN}`,
        calendar_name: 'Production plan',
      }),
      await enqueue(api, 'rc_SyncFolder', '(contacts folder "Customers" = 2 items)', {
        profile_name: 'sales',
        folder_name: 'Customers',
        kind: 'contacts',
        items: [
          {
            external_key: 'C-1001',
            item: { company_name: 'Müller & Söhne GmbH', email_address1: 'info@mueller.example' },
          },
          {
            external_key: 'C-1002',
            item: { given_name: 'Ada', surname: 'Lovelace', mobile_phone: '+44 20 7946 0000' },
          },
        ],
      }),
    ];
    await watchJobs(api, jobs, 60_000);

    out();
    out(`Look at what Exchange (the simulator) holds:`);
    out(`  ${sim.url}/                                   mailboxes, folders, items`);
    out(
      `  ${sim.url}/_sim/mailboxes/bob@${DOMAIN}/items?folder=inbox   (JSON: mails and the meeting request)`,
    );
    out(
      `Query it yourself: SELECT * FROM rc.vw_MailItems ORDER BY mailitem_id DESC;  SELECT * FROM rc.vw_JobQueue;`,
    );
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
