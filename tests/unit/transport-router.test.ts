import { RcError } from '../../worker/errors';
import type { ExchangeGateway, MailboxTarget, OutgoingMail } from '../../worker/exchange/gateway';
import { TransportRouter } from '../../worker/exchange/transport-router';

function recordingGateway(name: string, calls: string[]): ExchangeGateway {
  return {
    sendMail: async (mailbox) => {
      calls.push(`${name}:send:${mailbox.smtpAddress}`);
      return { itemId: `${name}-id`, changeKey: 'ck' };
    },
    findItemByJobId: async (_mailbox, folder, jobId) => {
      calls.push(`${name}:find:${folder}:${jobId}`);
      return null;
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

  it('fails permanently, naming the fix, for a transport without a gateway', async () => {
    const router = new TransportRouter({ ews: recordingGateway('ews', []) });
    const err = await router.sendMail(graph, mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RcError);
    expect(err).toMatchObject({ code: 'transport_unsupported', retryable: false });
    expect((err as RcError).message).toContain("uses transport 'graph'");
    expect((err as RcError).message).toContain('available: ews');
  });
});
