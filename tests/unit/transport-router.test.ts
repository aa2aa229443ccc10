import { RcError } from '../../worker/errors';
import type {
  CreateItemRequest,
  DeleteItemRequest,
  ExchangeGateway,
  FolderTarget,
  ItemKind,
  MailboxTarget,
  OutgoingMail,
  UpdateItemRequest,
  WellKnownFolder,
} from '../../worker/exchange/gateway';
import { TransportRouter } from '../../worker/exchange/transport-router';

function recordingGateway(name: string, calls: string[]): ExchangeGateway {
  const ref = { itemId: `${name}-id`, changeKey: 'ck' };
  return {
    sendMail: async (mailbox) => {
      calls.push(`${name}:send:${mailbox.smtpAddress}`);
      return ref;
    },
    findItemByJobId: async (
      _mailbox: MailboxTarget,
      folder: WellKnownFolder | FolderTarget,
      jobId: string,
      kind?: ItemKind,
    ) => {
      const where = typeof folder === 'string' ? folder : `${kind}@${folder.location.kind}`;
      calls.push(`${name}:find:${where}:${jobId}`);
      return null;
    },
    createItem: async (_mailbox, request: CreateItemRequest) => {
      calls.push(`${name}:create:${request.item.kind}:${request.jobId}`);
      return ref;
    },
    updateItem: async (_mailbox, request: UpdateItemRequest) => {
      calls.push(`${name}:update:${request.ref.itemId}`);
      return ref;
    },
    deleteItem: async (_mailbox, request: DeleteItemRequest) => {
      calls.push(`${name}:delete:${request.ref.itemId}`);
    },
    getItemState: async (_mailbox, itemId) => {
      calls.push(`${name}:state:${itemId}`);
      return null;
    },
    listMarkedItems: async (_mailbox, _folder, kind, setKey) => {
      calls.push(`${name}:marked:${kind}:${setKey}`);
      return [];
    },
    close: async () => void calls.push(`${name}:close`),
  };
}

const mail = { jobId: '7' } as OutgoingMail;
const ews: MailboxTarget = { smtpAddress: 'a@contoso.com', transport: 'ews', ewsUrl: null };
const graph: MailboxTarget = { smtpAddress: 'b@contoso.com', transport: 'graph', ewsUrl: null };

describe('TransportRouter', () => {
  it("routes each call to the gateway of the mailbox's transport", async () => {
    const calls: string[] = [];
    const router = new TransportRouter({
      ews: recordingGateway('ews', calls),
      graph: recordingGateway('graph', calls),
    });
    await expect(router.sendMail(graph, mail)).resolves.toEqual({ itemId: 'graph-id', changeKey: 'ck' });
    await router.findItemByJobId(ews, 'sentitems', '7');
    await router.close();
    expect(calls).toEqual(['graph:send:b@contoso.com', 'ews:find:sentitems:7', 'ews:close', 'graph:close']);
  });

  it('routes every item operation, passing the kind of a FolderTarget lookup through', async () => {
    const calls: string[] = [];
    const router = new TransportRouter({
      ews: recordingGateway('ews', []),
      graph: recordingGateway('graph', calls),
    });
    const folder: FolderTarget = { owner: null, location: { kind: 'named', name: 'Plan' } };
    const ref = { itemId: 'I', changeKey: 'C' };
    const item = { kind: 'task' as const, fields: { subject: 's' } };
    await router.findItemByJobId(graph, folder, '8', 'contact');
    await router.createItem(graph, { jobId: '8', folder, item, meetingNotice: 'none' });
    await router.updateItem(graph, { jobId: '9', ref, item, onConflict: 'fail', meetingNotice: 'none' });
    await router.deleteItem(graph, {
      jobId: '10',
      ref,
      kind: 'task',
      onConflict: 'fail',
      meetingNotice: 'none',
    });
    await router.getItemState(graph, 'I');
    await router.listMarkedItems(graph, folder, 'contact', 'set-1');
    expect(calls).toEqual([
      'graph:find:contact@named:8',
      'graph:create:task:8',
      'graph:update:I',
      'graph:delete:I',
      'graph:state:I',
      'graph:marked:contact:set-1',
    ]);
  });

  it('fails permanently, naming the fix, for a transport without a gateway', async () => {
    const router = new TransportRouter({ ews: recordingGateway('ews', []) });
    const err = await router.sendMail(graph, mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcError);
    expect(err).toMatchObject({ code: 'transport_unsupported', retryable: false });
    expect((err as RcError).message).toContain("uses transport 'graph'");
    expect((err as RcError).message).toContain('available: ews');
  });
});
