/**
 * SentItemLookup's batching rule with a fake FindItem: when a batch leaves, what it carries, and that every
 * waiter gets its own answer or the batch's error.
 */
import { RcError } from '../../worker/errors';
import type { ItemRef, MailboxTarget } from '../../worker/exchange/gateway';
import { SentItemLookup, type FindByJobIds } from '../../worker/exchange/ews/sent-item-lookup';

const A: MailboxTarget = { smtpAddress: 'a@contoso.com', transport: 'ews', ewsUrl: null };
const B: MailboxTarget = { smtpAddress: 'b@contoso.com', transport: 'ews', ewsUrl: null };

function recordingFind(answer: (id: string) => ItemRef | undefined = (id) => ref(id)) {
  const calls: Array<{ mailbox: string; jobIds: string[] }> = [];
  const find: FindByJobIds = async (mailbox, jobIds) => {
    calls.push({ mailbox: mailbox.smtpAddress, jobIds });
    const found = new Map<string, ItemRef>();
    for (const id of jobIds) {
      const r = answer(id);
      if (r) found.set(id, r);
    }
    return found;
  };
  return { calls, find };
}

function ref(id: string): ItemRef {
  return { itemId: `item-${id}`, changeKey: `ck-${id}` };
}

describe('SentItemLookup', () => {
  it('a lone lookup leaves at once when no other send of the mailbox is in flight', async () => {
    const { calls, find } = recordingFind();
    const lookup = new SentItemLookup({ find, windowMs: 60_000 });
    await expect(lookup.announce(A).lookup('1')).resolves.toEqual(ref('1'));
    expect(calls).toEqual([{ mailbox: 'a@contoso.com', jobIds: ['1'] }]);
  });

  it('waits for announced sends of the same mailbox and asks for all of them in one request', async () => {
    const { calls, find } = recordingFind((id) => (id === '3' ? undefined : ref(id)));
    const lookup = new SentItemLookup({ find, windowMs: 60_000 });
    const sends = ['1', '2', '3'].map(() => lookup.announce(A));
    const other = lookup.announce(B);
    const first = sends[0].lookup('1');
    const second = sends[1].lookup('2');
    await Promise.resolve();
    expect(calls).toHaveLength(0);
    const third = sends[2].lookup('3');
    // Mailbox B's pending send does not hold back mailbox A's batch.
    await expect(Promise.all([first, second, third])).resolves.toEqual([ref('1'), ref('2'), null]);
    expect(calls).toEqual([{ mailbox: 'a@contoso.com', jobIds: ['1', '2', '3'] }]);
    other.withdraw();
  });

  it('a withdrawn send (CreateItem failed) releases the batch waiting for it', async () => {
    const { calls, find } = recordingFind();
    const lookup = new SentItemLookup({ find, windowMs: 60_000 });
    const ok = lookup.announce(A);
    const failed = lookup.announce(A);
    const result = ok.lookup('1');
    failed.withdraw();
    await expect(result).resolves.toEqual(ref('1'));
    expect(calls).toHaveLength(1);
  });

  it('leaves after the window even while other sends are in flight', async () => {
    const { calls, find } = recordingFind();
    const lookup = new SentItemLookup({ find, windowMs: 20 });
    const slow = lookup.announce(A);
    const started = Date.now();
    await expect(lookup.announce(A).lookup('1')).resolves.toEqual(ref('1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(calls).toHaveLength(1);
    slow.withdraw();
  });

  it('leaves as soon as maxBatch job ids wait, and the next ones start a new batch', async () => {
    const { calls, find } = recordingFind();
    const lookup = new SentItemLookup({ find, windowMs: 60_000, maxBatch: 3 });
    const sends = Array.from({ length: 5 }, () => lookup.announce(A));
    const results = sends.map((s, i) => s.lookup(String(i)));
    await Promise.all(results);
    expect(calls.map((c) => c.jobIds)).toEqual([
      ['0', '1', '2'],
      ['3', '4'],
    ]);
  });

  it('unannounced lookups (retries) join an open batch', async () => {
    const { calls, find } = recordingFind();
    const lookup = new SentItemLookup({ find, windowMs: 60_000 });
    const pending = lookup.announce(A);
    const retry = lookup.lookup(A, 'r');
    const fresh = pending.lookup('f');
    await expect(Promise.all([retry, fresh])).resolves.toEqual([ref('r'), ref('f')]);
    expect(calls.map((c) => c.jobIds)).toEqual([['r', 'f']]);
  });

  it('rejects every waiter with the error of the batch request', async () => {
    const error = new RcError('exchange_throttled', 'FindItem: server busy', { retryable: true });
    const lookup = new SentItemLookup({ find: () => Promise.reject(error), windowMs: 60_000 });
    const sends = [lookup.announce(A), lookup.announce(A)];
    const results = sends.map((s, i) => s.lookup(String(i)).catch((e: unknown) => e));
    await expect(Promise.all(results)).resolves.toEqual([error, error]);
    expect((await results[0]) as unknown).toBe(error);
  });
});
