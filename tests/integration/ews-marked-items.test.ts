/**
 * EwsGateway.listMarkedItems against the simulator over real sockets: only the items of the asked set come back
 * (unmarked items and other sets' items never), with their full markers (longer than FindItem's 255-character
 * cut, hence the GetItem step), across FindItem pages and GetItem batches; a folder that does not exist is empty
 * and is not created.
 */
import { loadConfig } from '../../worker/config';
import { EwsGateway } from '../../worker/exchange/ews/ews-gateway';
import { LOAD_BATCH, PAGE_SIZE } from '../../worker/exchange/ews/ews-marked-items';
import type { ContactFields } from '../../worker/exchange/contact-fields';
import type { FolderTarget, MailboxTarget, SyncMarker } from '../../worker/exchange/gateway';
import { encodeAppliedFields } from '../../worker/jobs/sync-marker';
import { startSimulator, type RunningSimulator } from '../../simulator';

const OWNER = 'crm@contoso.com';
const PASSWORD = 'Pa55-w0rd';
const SET = `contacts:${OWNER}:named:customers`;
const mailbox: MailboxTarget = { smtpAddress: OWNER, transport: 'ews', ewsUrl: null };
const CUSTOMERS: FolderTarget = { owner: null, location: { kind: 'named', name: 'Customers' } };

let sim: RunningSimulator;
let gateway: EwsGateway;

beforeAll(async () => {
  sim = await startSimulator({ mailboxes: [OWNER], password: PASSWORD });
  const config = loadConfig({
    RC_EWS_URL: sim.ewsUrl,
    RC_EWS_AUTH: 'basic',
    RC_EWS_USERNAME: OWNER,
    RC_EWS_PASSWORD: PASSWORD,
    RC_EWS_TIMEOUT_MS: '10000',
  });
  gateway = new EwsGateway({ ews: config.ews });
});
afterAll(async () => {
  await gateway.close();
  await sim.close();
});

const fields = (surname: string): ContactFields => ({ surname, displayName: surname, categories: [] });

async function create(folder: FolderTarget, surname: string, marker?: SyncMarker): Promise<string> {
  const ref = await gateway.createItem(mailbox, {
    jobId: '1',
    folder,
    item: { kind: 'contact', fields: fields(surname) },
    meetingNotice: 'none',
    marker,
  });
  return ref.itemId;
}

/** The simulator's per-operation request counters of the mailbox. */
async function operations(): Promise<Record<string, number>> {
  const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as {
    mailboxes: Record<string, { operations: Record<string, number> }>;
  };
  return stats.mailboxes[OWNER]!.operations;
}

/** Runs `fn` for 0..n-1, `width` at a time. */
async function inParallel(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

describe('EwsGateway.listMarkedItems', () => {
  it('a folder that does not exist holds no marked item and is not created', async () => {
    const missing: FolderTarget = { owner: null, location: { kind: 'named', name: 'Nowhere' } };
    expect(await gateway.listMarkedItems(mailbox, missing, 'contact', SET)).toEqual([]);
    const folders = (await (await fetch(`${sim.url}/_sim/mailboxes`)).json()) as Array<{
      address: string;
      folders: Record<string, number>;
    }>;
    expect(Object.keys(folders.find((m) => m.address === OWNER)!.folders).join(',')).not.toMatch(/Nowhere/i);
  });

  it(`returns exactly the set's items with their whole markers, over several pages (${PAGE_SIZE}) and batches (${LOAD_BATCH})`, async () => {
    const count = PAGE_SIZE * 2 + 37;
    // A whole contact's marker, as sync-folder.ts writes it: well over FindItem's 255 characters.
    const longFields = encodeAppliedFields({
      ...fields('x'),
      givenName: 'Anna-Lena',
      companyName: 'ACME Manufacturing International',
      department: 'Purchasing',
      jobTitle: 'Head of strategic procurement',
      emailAddress1: 'anna-lena.example@acme.example.com',
      businessPhone: '+49 30 1234567-89',
      notes: 'n'.repeat(1000),
    });
    expect(longFields.length).toBeGreaterThan(255);
    const ids = new Map<string, string>();
    await inParallel(count, 8, async (i) => {
      const key = `cust-${i}`;
      const appliedFields = i === 0 ? longFields : encodeAppliedFields(fields(`S${i}`));
      ids.set(key, await create(CUSTOMERS, `S${i}`, { setKey: SET, externalKey: key, appliedFields }));
    });
    // Neighbours that must never be listed: unmarked, another set in the same folder, the same set elsewhere.
    const unmarked = await create(CUSTOMERS, 'Manual');
    await create(CUSTOMERS, 'Other', { setKey: `${SET}-other`, externalKey: 'cust-1', appliedFields: '{}' });
    await create({ owner: null, location: { kind: 'default' } }, 'Elsewhere', {
      setKey: `contacts:${OWNER}:default`,
      externalKey: 'cust-2',
      appliedFields: '{}',
    });

    const before = await operations();
    const listed = await gateway.listMarkedItems(mailbox, CUSTOMERS, 'contact', SET);
    const after = await operations();
    expect(listed).toHaveLength(count);
    // Three FindItem pages, one GetItem per batch.
    expect(after.FindItem! - (before.FindItem ?? 0)).toBe(Math.ceil(count / PAGE_SIZE));
    expect(after.GetItem! - (before.GetItem ?? 0)).toBe(Math.ceil(count / LOAD_BATCH));
    expect(new Set(listed.map((m) => m.ref.itemId)).size).toBe(count);
    for (const item of listed) {
      expect(item.marker.setKey).toBe(SET);
      expect(item.ref.itemId).toBe(ids.get(item.marker.externalKey));
      expect(item.ref.changeKey).not.toBe('');
    }
    expect(listed.some((m) => m.ref.itemId === unmarked)).toBe(false);
    expect(listed.find((m) => m.marker.externalKey === 'cust-0')?.marker.appliedFields).toBe(longFields);
    expect(listed.find((m) => m.marker.externalKey === 'cust-5')?.marker.appliedFields).toBe(
      encodeAppliedFields(fields('S5')),
    );
  }, 120000);

  it('an item deleted meanwhile is simply not listed; a set with other characters is matched exactly', async () => {
    const folder: FolderTarget = { owner: null, location: { kind: 'named', name: 'Odd <&> "set"' } };
    const set = `contacts:${OWNER}:named:odd <&> "set"`;
    const keep = await create(folder, 'Keep', {
      setKey: set,
      externalKey: 'k <1> & "x"',
      appliedFields: '{}',
    });
    const gone = await create(folder, 'Gone', { setKey: set, externalKey: 'k2', appliedFields: '{}' });
    await gateway.deleteItem(mailbox, {
      jobId: '2',
      ref: { itemId: gone, changeKey: '' },
      kind: 'contact',
      onConflict: 'overwrite',
      meetingNotice: 'none',
    });
    const listed = await gateway.listMarkedItems(mailbox, folder, 'contact', set);
    expect(listed.map((m) => [m.ref.itemId, m.marker.externalKey])).toEqual([[keep, 'k <1> & "x"']]);
    expect(await gateway.listMarkedItems(mailbox, folder, 'contact', set.toUpperCase())).toEqual([]);
  });
});
