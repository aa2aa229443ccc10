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
      categories: [],
      readReceipt: false,
      deliveryReceipt: false,
      saveCopy: true,
      attachments: [],
    });
  });

  it('maps categories, receipts and save_to_sent; saveToSent null falls back to the worker default', () => {
    const payload = {
      recipients: 'a@x.com',
      categories: ['Invoices', 'Q1'],
      readReceipt: true,
      deliveryReceipt: true,
      saveToSent: false,
    };
    expect(toOutgoingMail('1', payload, true)).toMatchObject({
      categories: ['Invoices', 'Q1'],
      readReceipt: true,
      deliveryReceipt: true,
      saveCopy: false,
    });
    expect(toOutgoingMail('1', { ...payload, saveToSent: true }, false).saveCopy).toBe(true);
    expect(toOutgoingMail('1', { ...payload, saveToSent: null }, false).saveCopy).toBe(false);
    expect(toOutgoingMail('1', { ...payload, saveToSent: null }, true).saveCopy).toBe(true);
  });

  it('reads payloads written before issue 4 (no categories, receipts or saveToSent)', () => {
    expect(toOutgoingMail('1', { recipients: 'a@x.com', categories: null }, true)).toMatchObject({
      categories: [],
      readReceipt: false,
      deliveryReceipt: false,
      saveCopy: true,
    });
  });

  it('passes the attachments through', () => {
    const attachment = {
      name: 'a.pdf',
      contentType: 'application/pdf',
      contentId: null,
      isInline: false,
      read: () => Promise.resolve(Buffer.from('x')),
    };
    expect(toOutgoingMail('1', { recipients: 'a@x.com' }, true, [attachment]).attachments).toEqual([
      attachment,
    ]);
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
    ['categories not strings', { recipients: 'a@x.com', categories: [1] }],
    ['readReceipt not a boolean', { recipients: 'a@x.com', readReceipt: 'yes' }],
    ['saveToSent not a boolean', { recipients: 'a@x.com', saveToSent: 0 }],
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
