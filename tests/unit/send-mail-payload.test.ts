import { splitAddressList, toOutgoingMail } from '../../worker/jobs/send-mail';
import { RcError } from '../../worker/errors';

describe('SendMail payload mapping', () => {
  it('maps a full payload to an OutgoingMail', () => {
    const mail = toOutgoingMail(
      '42',
      {
        recipients: 'a@x.com;b@y.com',
        copyRecipients: 'c@x.com',
        blindCopyRecipients: null,
        fromAddress: 'sender@x.com',
        replyTo: 'r@x.com',
        subject: 'Hi',
        body: '<b>x</b>',
        bodyFormat: 'HTML',
        importance: 'High',
        sensitivity: 'Confidential',
      },
      true,
    );
    expect(mail).toEqual({
      jobId: '42',
      to: ['a@x.com', 'b@y.com'],
      cc: ['c@x.com'],
      bcc: [],
      replyTo: ['r@x.com'],
      from: 'sender@x.com',
      subject: 'Hi',
      body: '<b>x</b>',
      bodyType: 'HTML',
      importance: 'High',
      sensitivity: 'Confidential',
      saveCopy: true,
    });
  });

  it('applies the contract defaults and maps TEXT to Text', () => {
    const mail = toOutgoingMail('1', { recipients: 'a@x.com', bodyFormat: 'TEXT' }, false);
    expect(mail).toMatchObject({
      subject: '',
      body: '',
      bodyType: 'Text',
      importance: 'Normal',
      sensitivity: 'Normal',
      from: null,
      replyTo: [],
      saveCopy: false,
    });
  });

  it('accepts blind copy only', () => {
    expect(toOutgoingMail('1', { blindCopyRecipients: 'z@x.com' }, true).bcc).toEqual(['z@x.com']);
  });

  it('splits on ; and tolerates , and blanks', () => {
    expect(splitAddressList(' a@x.com ; ;b@y.com,c@z.com ')).toEqual(['a@x.com', 'b@y.com', 'c@z.com']);
    expect(splitAddressList(null)).toEqual([]);
    expect(splitAddressList('')).toEqual([]);
  });

  it.each([
    ['not an object', 'hello'],
    ['no recipient', { subject: 'x' }],
    ['bad body format', { recipients: 'a@x.com', bodyFormat: 'RTF' }],
    ['wrong casing', { recipients: 'a@x.com', importance: 'high' }],
    ['subject not a string', { recipients: 'a@x.com', subject: 5 }],
  ])('rejects %s as a permanent payload_invalid', (_name, payload) => {
    let error: unknown;
    try {
      toOutgoingMail('7', payload, true);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RcError);
    expect((error as RcError).code).toBe('payload_invalid');
    expect((error as RcError).retryable).toBe(false);
    expect((error as RcError).message).toContain('job 7');
  });
});
