/**
 * EwsGateway's item operations against the simulator over real sockets: target folders (default, named and
 * '/'-paths created on first use and reused, public folder paths, another owner's folders), create / update /
 * delete with the ChangeKey rules, the job stamps that make retries exactly-once. What Exchange holds is read
 * from the simulator's store, not only from the gateway's answers.
 */
import { loadConfig } from '../../worker/config';
import { RcError } from '../../worker/errors';
import { OAuthTokenProvider } from '../../worker/exchange/auth/oauth-token-provider';
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import {
  RC_JOB_ID_PROPERTY,
  RC_LAST_JOB_ID_PROPERTY,
  type FolderTarget,
  type ItemRef,
  type MailboxTarget,
} from '../../worker/exchange/gateway';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { toAdminItem } from '../../simulator/admin-api';
import type { Folder, StoredItem } from '../../simulator/model';

const OWNER = 'planner@contoso.com';
const OTHER = 'plant@contoso.com';
const PASSWORD = 'Pa55-w0rd';

let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({
    mailboxes: [OWNER, OTHER],
    password: PASSWORD,
    tls: {},
    oauthClients: [{ clientId: 'rc-exchange', clientSecret: 'app-secret' }],
  });
});
afterAll(async () => {
  await sim.close();
});

const gateways: EwsGateway[] = [];
const providers: OAuthTokenProvider[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
  for (const p of providers.splice(0)) p.close();
});

/** Basic auth as the job mailbox itself (no rights on other mailboxes). */
function basicGateway(): EwsGateway {
  const config = loadConfig({
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: OWNER,
    RC_EWS_PASSWORD: PASSWORD,
    RC_EWS_TIMEOUT_MS: '5000',
  });
  const gateway = new EwsGateway({ ews: config.ews });
  gateways.push(gateway);
  return gateway;
}

/** App-only OAuth: impersonates the job mailbox and may open other mailboxes' folders. */
function appGateway(): EwsGateway {
  const env = {
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'oauth',
    RC_OAUTH_TENANT_ID: 'contoso-tenant',
    RC_OAUTH_CLIENT_ID: 'rc-exchange',
    RC_OAUTH_CLIENT_SECRET: 'app-secret',
    RC_OAUTH_AUTHORITY_URL: sim.httpsUrl as string,
  };
  const config = loadConfig(env);
  const provider = new OAuthTokenProvider({
    tenantId: 'contoso-tenant',
    clientId: 'rc-exchange',
    clientSecret: 'app-secret',
    authorityUrl: sim.httpsUrl as string,
    scope: 'https://outlook.office365.com/.default',
    caPem: sim.caCertPem,
  });
  providers.push(provider);
  const gateway = new EwsGateway({ ews: config.ews, tokenProvider: provider });
  gateways.push(gateway);
  return gateway;
}

const mailbox: MailboxTarget = { smtpAddress: OWNER, transport: 'ews', ewsUrl: null };
const DEFAULT: FolderTarget = { owner: null, location: { kind: 'default' } };
const named = (name: string, owner: string | null = null): FolderTarget => ({
  owner,
  location: { kind: 'named', name },
});
const publicPath = (path: string): FolderTarget => ({ owner: null, location: { kind: 'public', path } });

let nextJob = 5000;
const jobId = () => String(nextJob++);

function contact(gateway: EwsGateway, folder: FolderTarget, givenName: string, id = jobId()) {
  return gateway.createItem(mailbox, {
    jobId: id,
    folder,
    item: { kind: 'contact', fields: { givenName, surname: 'Tester', displayName: `${givenName} Tester` } },
    meetingNotice: 'none',
  });
}

function task(gateway: EwsGateway, folder: FolderTarget, subject: string, id = jobId()) {
  return gateway.createItem(mailbox, {
    jobId: id,
    folder,
    item: { kind: 'task', fields: { subject } },
    meetingNotice: 'none',
  });
}

/** The simulator's folder at a display-name path below `root` (case-insensitive), or undefined. */
function folderAt(root: Folder, path: string[]): Folder | undefined {
  let folder: Folder | undefined = root;
  for (const name of path) {
    folder = [...(folder?.children.values() ?? [])].find(
      (f) => f.displayName.toLowerCase() === name.toLowerCase(),
    );
  }
  return folder;
}

function mailboxFolder(address: string, name: 'contacts' | 'tasks' | 'calendar'): Folder {
  return sim.store.folder(sim.store.getMailbox(address)!, name);
}

function storedItem(folder: Folder | undefined, ref: ItemRef): StoredItem | undefined {
  return (
    folder?.items.get(ref.itemId) ?? [...(folder?.items.values() ?? [])].find((i) => i.id === ref.itemId)
  );
}

function property(item: StoredItem | undefined, name: string): string | undefined {
  if (!item) return undefined;
  const found = toAdminItem(item).extendedProperties.find((p) => p.propertyName === name);
  return found === undefined ? undefined : String(found.value);
}

async function operations(address: string): Promise<Record<string, number>> {
  const res = await fetch(`${sim.url}/_sim/stats`);
  const stats = (await res.json()) as { mailboxes: Record<string, { operations: Record<string, number> }> };
  return stats.mailboxes[address]?.operations ?? {};
}

describe('target folders', () => {
  it('default folder: the kind’s well-known folder; the item carries the job id', async () => {
    const gw = basicGateway();
    const id = jobId();
    const ref = await contact(gw, DEFAULT, 'Dora', id);
    const item = storedItem(mailboxFolder(OWNER, 'contacts'), ref);
    expect(item).toBeDefined();
    expect(property(item, RC_JOB_ID_PROPERTY)).toBe(id);
    expect(await gw.findItemByJobId(mailbox, DEFAULT, id, 'contact')).toEqual(ref);
    expect(await gw.findItemByJobId(mailbox, DEFAULT, id, 'task')).toBeNull();
  });

  it('a named path is created on first use with the kind’s class, then reused (also by another spelling)', async () => {
    const gw = basicGateway();
    const before = await operations(OWNER);
    const first = await contact(gw, named('CRM/Customers'), 'Anna');
    const second = await contact(gw, named('crm/CUSTOMERS'), 'Bert');
    const crm = folderAt(mailboxFolder(OWNER, 'contacts'), ['CRM']);
    const customers = folderAt(mailboxFolder(OWNER, 'contacts'), ['CRM', 'Customers']);
    expect(crm?.folderClass).toBe('IPF.Contact');
    expect(customers?.folderClass).toBe('IPF.Contact');
    expect(customers?.children.size).toBe(0);
    expect(storedItem(customers, first)).toBeDefined();
    expect(storedItem(customers, second)).toBeDefined();
    const after = await operations(OWNER);
    expect((after.CreateFolder ?? 0) - (before.CreateFolder ?? 0)).toBe(2);
    // The second create found the path in the cache: no FindFolder for it.
    expect((after.FindFolder ?? 0) - (before.FindFolder ?? 0)).toBe(2);
  });

  it('concurrent first uses of a new folder end in one folder holding every item', async () => {
    const gw = basicGateway();
    const refs = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((s) => task(gw, named('Rush/Hour'), s)));
    const rush = folderAt(mailboxFolder(OWNER, 'tasks'), ['Rush']);
    expect(rush?.children.size).toBe(1);
    const hour = folderAt(mailboxFolder(OWNER, 'tasks'), ['Rush', 'Hour']);
    for (const ref of refs) expect(storedItem(hour, ref)).toBeDefined();
    expect(hour?.items.size).toBe(5);
  });

  it('an existing folder is found, not created again, by a new gateway (no cache)', async () => {
    await task(basicGateway(), named('Shop floor'), 'first');
    const before = await operations(OWNER);
    const ref = await task(basicGateway(), named('shop floor'), 'second');
    const after = await operations(OWNER);
    expect(after.CreateFolder ?? 0).toBe(before.CreateFolder ?? 0);
    const folder = folderAt(mailboxFolder(OWNER, 'tasks'), ['Shop floor']);
    expect(folder?.folderClass).toBe('IPF.Task');
    expect(folder?.items.size).toBe(2);
    expect(storedItem(folder, ref)).toBeDefined();
  });

  it('a cached folder deleted behind the cache’s back is resolved (and created) once more', async () => {
    const gw = basicGateway();
    await contact(gw, named('Volatile'), 'One');
    const folder = folderAt(mailboxFolder(OWNER, 'contacts'), ['Volatile'])!;
    sim.store.deleteFolder(folder);
    const ref = await contact(gw, named('Volatile'), 'Two');
    const again = folderAt(mailboxFolder(OWNER, 'contacts'), ['Volatile']);
    expect(again).toBeDefined();
    expect(again?.id).not.toBe(folder.id);
    expect(storedItem(again, ref)).toBeDefined();
  });

  it('a lookup never creates: a folder that does not exist holds no item', async () => {
    const gw = basicGateway();
    expect(await gw.findItemByJobId(mailbox, named('Nowhere/Deeper'), '1', 'contact')).toBeNull();
    expect(await gw.findItemByJobId(mailbox, publicPath('Nowhere'), '1', 'task')).toBeNull();
    expect(folderAt(mailboxFolder(OWNER, 'contacts'), ['Nowhere'])).toBeUndefined();
  });

  it('one name below different kinds is different folders; a last folder of another class is refused', async () => {
    const gw = basicGateway();
    const asTask = await task(gw, named('Mixed'), 'a task');
    const asContact = await contact(gw, named('Mixed'), 'A contact');
    expect(storedItem(folderAt(mailboxFolder(OWNER, 'tasks'), ['Mixed']), asTask)).toBeDefined();
    expect(storedItem(folderAt(mailboxFolder(OWNER, 'contacts'), ['Mixed']), asContact)).toBeDefined();

    const root = sim.store.publicFolders.folders.get('publicfoldersroot')!;
    sim.store.createFolder(root, 'Notes only', 'IPF.Note');
    const clash = await contact(gw, publicPath('Notes only'), 'Y').catch((e: unknown) => e);
    expect(clash).toBeInstanceOf(RcError);
    expect(clash).toMatchObject({ code: 'exchange_permanent', retryable: false });
    expect((clash as RcError).message).toContain('IPF.Note');
    expect(folderAt(root, ['Notes only'])?.items.size).toBe(0);
  });

  it('a public folder path is found or created below the public folder root', async () => {
    const gw = basicGateway();
    const id = jobId();
    const ref = await contact(gw, publicPath('Sales/Field staff'), 'Paula', id);
    const root = sim.store.publicFolders.folders.get('publicfoldersroot')!;
    const folder = folderAt(root, ['Sales', 'Field staff']);
    expect(folder?.folderClass).toBe('IPF.Contact');
    expect(property(storedItem(folder, ref), RC_JOB_ID_PROPERTY)).toBe(id);
    expect(
      await basicGateway().findItemByJobId(mailbox, publicPath('sales/field staff'), id, 'contact'),
    ).toEqual(ref);
  });

  it("another owner's folders through the FolderId's Mailbox; refused without rights on that mailbox", async () => {
    const app = appGateway();
    const id = jobId();
    const ref = await task(app, named('Production plan', OTHER), 'Line 3', id);
    const folder = folderAt(mailboxFolder(OTHER, 'tasks'), ['Production plan']);
    expect(storedItem(folder, ref)).toBeDefined();
    expect(folderAt(mailboxFolder(OWNER, 'tasks'), ['Production plan'])).toBeUndefined();
    const inDefault = await task(app, { owner: OTHER, location: { kind: 'default' } }, 'Line 4');
    expect(storedItem(mailboxFolder(OTHER, 'tasks'), inDefault)).toBeDefined();
    expect(await app.findItemByJobId(mailbox, named('Production plan', OTHER), id, 'task')).toEqual(ref);

    const denied = await task(basicGateway(), named('Production plan', OTHER), 'no').catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(RcError);
    expect(denied).toMatchObject({ code: 'access_denied', retryable: false });
  });
});

describe('create, update, delete', () => {
  it('update carries the ChangeKey, changes only the given fields and stamps the last job', async () => {
    const gw = basicGateway();
    const created = await contact(gw, DEFAULT, 'Carl');
    const updateJob = jobId();
    const updated = await gw.updateItem(mailbox, {
      jobId: updateJob,
      ref: created,
      item: { kind: 'contact', fields: { companyName: 'Contoso' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    expect(updated.itemId).toBe(created.itemId);
    expect(updated.changeKey).not.toBe(created.changeKey);
    const item = storedItem(mailboxFolder(OWNER, 'contacts'), created);
    expect(property(item, RC_LAST_JOB_ID_PROPERTY)).toBe(updateJob);
    expect(item?.contact).toMatchObject({ givenName: 'Carl', companyName: 'Contoso' });
    expect(await gw.getItemState(mailbox, created.itemId)).toEqual({ ref: updated, lastJobId: updateJob });
  });

  it('a stale ChangeKey is a conflict (nothing written); overwrite and an unknown ChangeKey write', async () => {
    const gw = basicGateway();
    const created = await task(gw, DEFAULT, 'Original');
    const edited = await gw.updateItem(mailbox, {
      jobId: jobId(),
      ref: created,
      item: { kind: 'task', fields: { subject: 'Edited in Outlook' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    const conflict = await gw
      .updateItem(mailbox, {
        jobId: jobId(),
        ref: created,
        item: { kind: 'task', fields: { subject: 'From SQL' } },
        onConflict: 'fail',
        meetingNotice: 'none',
      })
      .catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(RcError);
    expect(conflict).toMatchObject({ code: 'conflict', retryable: false, statusCode: 'conflict' });
    expect(storedItem(mailboxFolder(OWNER, 'tasks'), created)?.subject).toBe('Edited in Outlook');
    expect((await gw.getItemState(mailbox, created.itemId))?.ref).toEqual(edited);

    const forced = await gw.updateItem(mailbox, {
      jobId: jobId(),
      ref: created,
      item: { kind: 'task', fields: { subject: 'Forced' } },
      onConflict: 'overwrite',
      meetingNotice: 'none',
    });
    expect(storedItem(mailboxFolder(OWNER, 'tasks'), created)?.subject).toBe('Forced');
    await gw.updateItem(mailbox, {
      jobId: jobId(),
      ref: { itemId: created.itemId, changeKey: '' },
      item: { kind: 'task', fields: { subject: 'By item id' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    expect(storedItem(mailboxFolder(OWNER, 'tasks'), created)?.subject).toBe('By item id');

    const staleDelete = await gw
      .deleteItem(mailbox, {
        jobId: jobId(),
        ref: forced,
        kind: 'task',
        onConflict: 'fail',
        meetingNotice: 'none',
      })
      .catch((e: unknown) => e);
    expect(staleDelete).toMatchObject({ code: 'conflict' });
    expect(storedItem(mailboxFolder(OWNER, 'tasks'), created)).toBeDefined();
  });

  it('delete moves the item to Deleted Items; then the item is gone for every operation', async () => {
    const gw = basicGateway();
    const created = await contact(gw, named('To delete'), 'Dan');
    await gw.deleteItem(mailbox, {
      jobId: jobId(),
      ref: created,
      kind: 'contact',
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    expect(storedItem(folderAt(mailboxFolder(OWNER, 'contacts'), ['To delete']), created)).toBeUndefined();
    expect(sim.store.folder(sim.store.getMailbox(OWNER)!, 'deleteditems').items.size).toBeGreaterThan(0);
    expect(await gw.getItemState(mailbox, created.itemId)).toBeNull();
    const again = await gw
      .deleteItem(mailbox, {
        jobId: jobId(),
        ref: created,
        kind: 'contact',
        onConflict: 'overwrite',
        meetingNotice: 'none',
      })
      .catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'not_found', remoteCode: 'ErrorItemNotFound' });
    const update = await gw
      .updateItem(mailbox, {
        jobId: jobId(),
        ref: created,
        item: { kind: 'contact', fields: { surname: 'Gone' } },
        onConflict: 'fail',
        meetingNotice: 'none',
      })
      .catch((e: unknown) => e);
    expect(update).toMatchObject({ code: 'not_found' });
  });

  it('appointments: invitations, updates and cancellations follow the meeting notice', async () => {
    const gw = basicGateway();
    const inbox = () => [...sim.store.folder(sim.store.getMailbox(OTHER)!, 'inbox').items.values()];
    const before = inbox().length;
    const created = await gw.createItem(mailbox, {
      jobId: jobId(),
      folder: named('Meetings'),
      item: {
        kind: 'appointment',
        fields: {
          subject: 'Shift planning',
          start: '2026-06-01T07:00:00Z',
          end: '2026-06-01T08:00:00Z',
          timeZone: 'W. Europe Standard Time',
          requiredAttendees: [OTHER],
        },
      },
      meetingNotice: 'all',
    });
    const calendar = folderAt(mailboxFolder(OWNER, 'calendar'), ['Meetings']);
    expect(calendar?.folderClass).toBe('IPF.Appointment');
    expect(storedItem(calendar, created)).toBeDefined();
    expect(
      inbox()
        .map((i) => i.itemClass)
        .slice(before),
    ).toEqual(['IPM.Schedule.Meeting.Request']);

    const quiet = await gw.updateItem(mailbox, {
      jobId: jobId(),
      ref: created,
      item: { kind: 'appointment', fields: { location: 'Hall 2' } },
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    expect(inbox()).toHaveLength(before + 1);
    await gw.deleteItem(mailbox, {
      jobId: jobId(),
      ref: quiet,
      kind: 'appointment',
      onConflict: 'fail',
      meetingNotice: 'all',
    });
    expect(
      inbox()
        .map((i) => i.itemClass)
        .slice(before),
    ).toEqual(['IPM.Schedule.Meeting.Request', 'IPM.Schedule.Meeting.Canceled']);
    expect(storedItem(calendar, created)).toBeUndefined();
  });

  it('exactly-once: a create retried with the same job id is found in its folder', async () => {
    const gw = basicGateway();
    const id = jobId();
    const ref = await task(gw, named('Retry/Here'), 'once', id);
    const fresh = basicGateway();
    expect(await fresh.findItemByJobId(mailbox, named('Retry/Here'), id, 'task')).toEqual(ref);
    expect(await fresh.findItemByJobId(mailbox, named('Retry/Here'), jobId(), 'task')).toBeNull();
  });
});
