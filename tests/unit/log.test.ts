import { PassThrough } from 'node:stream';
import { createLogger, redactText } from '../../worker/log';

function capture() {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  const logger = createLogger({ level: 'debug', format: 'json', stream });
  return { logger, lines };
}

describe('logging', () => {
  it('writes JSON lines with child-logger context', async () => {
    const { logger, lines } = capture();
    logger.child({ jobId: '42', mailbox: 'sales@example.com' }).info('job started');
    await new Promise((r) => setImmediate(r));
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({
      level: 'info',
      message: 'job started',
      jobId: '42',
      mailbox: 'sales@example.com',
    });
  });

  it('redacts secrets, credentials in URLs, auth headers and message bodies', async () => {
    const { logger, lines } = capture();
    logger.info('connecting to mssql://sa:TopSecret@db:1433/x with Bearer eyJabc.def.ghi', {
      password: 'hunter2',
      nested: { clientSecret: 'abc', authorization: 'Basic Zm9vOmJhcg==', ok: 'visible' },
      body: '<p>private mail</p>',
    });
    await new Promise((r) => setImmediate(r));
    const text = lines.join('\n');
    for (const secret of ['TopSecret', 'eyJabc', 'hunter2', '"abc"', 'Zm9vOmJhcg', 'private mail']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('visible');
    expect(text).toContain('mssql://sa:***@db:1433/x');
  });

  it('redactText leaves harmless text alone', () => {
    expect(redactText('job 7 sent to a@example.com')).toBe('job 7 sent to a@example.com');
  });
});
