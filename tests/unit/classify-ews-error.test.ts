import {
  ServiceError,
  ServiceResponse,
  ServiceResponseException,
  SoapFaultDetails,
} from 'ews-javascript-api';
import {
  classifyEwsError,
  parseRetryAfter,
  type ServiceErrorNames,
} from '../../worker/exchange/ews/classify-ews-error';
import { RcError } from '../../worker/errors';

const names = ServiceError as unknown as ServiceErrorNames;

/** A ServiceResponseException as ews-javascript-api throws it for a ResponseClass="Error" message. */
function responseError(code: string, message: string, details: Record<string, string> = {}): unknown {
  const fault = new SoapFaultDetails();
  fault.ResponseCode = ServiceError[code as keyof typeof ServiceError];
  fault.Message = message;
  for (const [k, v] of Object.entries(details)) fault.ErrorDetails.Add(k, v);
  const Response = ServiceResponse as unknown as new (f: SoapFaultDetails) => ServiceResponse;
  const Exception = ServiceResponseException as unknown as new (r: ServiceResponse) => unknown;
  return new Exception(new Response(fault));
}

/** A SoapFaultDetails as rejected for an HTTP 500 with a parsed soap:Fault. */
function soapFault(code: string, details: Record<string, string> = {}): unknown {
  const fault = new SoapFaultDetails('fault text');
  fault.FaultString = 'fault text';
  fault.ResponseCode = ServiceError[code as keyof typeof ServiceError];
  fault.HttpStatusCode = 500;
  for (const [k, v] of Object.entries(details)) fault.ErrorDetails.Add(k, v);
  return fault;
}

/** A SoapFaultDetails as rejected for a non-500 status or a network error (ResponseCode is a mere default). */
function httpFault(status: number | undefined, message: string): unknown {
  const fault = new SoapFaultDetails(message);
  fault.HttpStatusCode = status as number;
  return fault;
}

const classify = (err: unknown, probe?: NonNullable<Parameters<typeof classifyEwsError>[1]>['probe']) =>
  classifyEwsError(err, { names, probe, what: 'CreateItem for a@x.com' });

describe('classifyEwsError: Exchange ResponseCodes', () => {
  it('ErrorServerBusy with BackOffMilliseconds → throttled, retryAfterMs from Exchange', () => {
    const e = classify(responseError('ErrorServerBusy', 'busy', { BackOffMilliseconds: '2500' }));
    expect(e).toBeInstanceOf(RcError);
    expect(e).toMatchObject({
      code: 'exchange_throttled',
      retryable: true,
      retryAfterMs: 2500,
      remoteCode: 'ErrorServerBusy',
    });
    expect(e.statusCode).toBe('ErrorServerBusy');
    expect(e.message).toContain('CreateItem for a@x.com');
  });

  it('ErrorServerBusy as an HTTP 500 SOAP fault → throttled with BackOffMilliseconds', () => {
    const e = classify(soapFault('ErrorServerBusy', { BackOffMilliseconds: '800' }), { status: 500 });
    expect(e).toMatchObject({
      code: 'exchange_throttled',
      retryable: true,
      retryAfterMs: 800,
      remoteCode: 'ErrorServerBusy',
    });
  });

  it('reads BackOffMilliseconds from the raw body when the library did not', () => {
    const body = '<m:MessageXml><t:Value Name="BackOffMilliseconds">1234</t:Value></m:MessageXml>';
    const e = classify(soapFault('ErrorServerBusy'), { status: 500, body });
    expect(e.retryAfterMs).toBe(1234);
  });

  it.each([
    'ErrorExceededConnectionCount',
    'ErrorTimeoutExpired',
    'ErrorInternalServerTransientError',
    'ErrorMailboxStoreUnavailable',
    'ErrorConnectionFailed',
    'ErrorMailboxMoveInProgress',
  ])('%s is transient', (code) => {
    const e = classify(responseError(code, 'x'));
    expect(e.retryable).toBe(true);
    expect(e.remoteCode).toBe(code);
  });

  it.each([
    ['ErrorInvalidRecipients', 'exchange_permanent'],
    ['ErrorItemNotFound', 'not_found'],
    ['ErrorNonExistentMailbox', 'not_found'],
    ['ErrorAccessDenied', 'access_denied'],
    ['ErrorImpersonateUserDenied', 'access_denied'],
    ['ErrorMessageSizeExceeded', 'exchange_permanent'],
    ['ErrorSchemaValidation', 'exchange_permanent'],
  ])('%s is permanent (%s)', (code, rc) => {
    const e = classify(responseError(code, 'nope'));
    expect(e).toMatchObject({ code: rc, retryable: false, remoteCode: code });
    expect(e.retryAfterMs).toBeUndefined();
  });

  it.each(['ErrorIrresolvableConflict', 'ErrorChangeKeyRequiredForWriteOperations'])(
    '%s is a permanent conflict recorded as LastErrorCode "conflict"',
    (code) => {
      const e = classify(responseError(code, 'changed meanwhile'));
      expect(e).toMatchObject({ code: 'conflict', retryable: false, statusCode: 'conflict' });
      expect(e.remoteCode).toBeUndefined();
      expect(e.message).toContain(code);
    },
  );

  it('ignores the default ResponseCode of a fault that was never parsed', () => {
    const e = classify(httpFault(404, 'not here'), { status: 404 });
    expect(e.remoteCode).toBeUndefined();
    expect(e).toMatchObject({ code: 'exchange_permanent', retryable: false });
  });
});

describe('classifyEwsError: HTTP statuses', () => {
  it('429 with Retry-After seconds → throttled', () => {
    const e = classify(httpFault(429, ''), { status: 429, headers: { 'retry-after': '7' } });
    expect(e).toMatchObject({ code: 'exchange_throttled', retryable: true, retryAfterMs: 7000 });
  });

  it('503 with Retry-After → throttled; 502/504 → transient', () => {
    expect(classify(httpFault(503, ''), { status: 503, headers: { 'Retry-After': '2' } })).toMatchObject({
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(classify(httpFault(502, ''), { status: 502 })).toMatchObject({
      code: 'exchange_transient',
      retryable: true,
    });
    expect(classify(httpFault(504, ''), { status: 504 })).toMatchObject({ retryable: true });
  });

  it('500 without a SOAP fault → transient', () => {
    expect(
      classify(httpFault(undefined, 'HTTP 500 without a SOAP fault'), { status: 500, body: '<html/>' }),
    ).toMatchObject({
      code: 'exchange_transient',
      retryable: true,
    });
  });

  it('401 with an expired token → retryable auth error', () => {
    const e = classify(httpFault(401, '401 Unauthorized'), {
      status: 401,
      headers: {
        'www-authenticate': 'Bearer error="invalid_token", error_description="The access token has expired"',
      },
    });
    expect(e).toMatchObject({ code: 'exchange_auth', retryable: true });
    const e2 = classify(httpFault(401, ''), {
      status: 401,
      headers: {
        'x-ms-diagnostics': '2000008;reason="The token has expired.";error_category="invalid_token"',
      },
    });
    expect(e2.retryable).toBe(true);
  });

  it('401 with bad credentials → permanent auth error that says what to fix', () => {
    const e = classify(httpFault(401, '401 Unauthorized'), {
      status: 401,
      headers: { 'www-authenticate': 'Basic realm="x"' },
    });
    expect(e).toMatchObject({ code: 'exchange_auth', retryable: false });
    expect(e.message).toMatch(/RC_EWS_USERNAME/);
  });

  it('403 → access denied, 400 → permanent', () => {
    expect(classify(httpFault(403, ''), { status: 403 })).toMatchObject({
      code: 'access_denied',
      retryable: false,
    });
    expect(classify(httpFault(400, ''), { status: 400 })).toMatchObject({
      code: 'exchange_permanent',
      retryable: false,
    });
  });
});

describe('classifyEwsError: network', () => {
  it.each(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED'])(
    '%s from the probe → network, retryable',
    (code) => {
      const e = classify(httpFault(undefined, `connect ${code} 127.0.0.1:1`), { networkCode: code });
      expect(e).toMatchObject({ code: 'network', retryable: true });
    },
  );

  it('recognises socket hang up and axios timeouts from the message alone', () => {
    expect(classify(httpFault(undefined, 'socket hang up'))).toMatchObject({
      code: 'network',
      retryable: true,
    });
    expect(classify(new Error('timeout of 1000ms exceeded'))).toMatchObject({
      code: 'network',
      retryable: true,
    });
  });

  it('passes RcErrors through and treats the unknown as internal, not retryable', () => {
    const own = new RcError('config_invalid', 'x');
    expect(classify(own)).toBe(own);
    expect(classify(new TypeError('boom'))).toMatchObject({ code: 'internal', retryable: false });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
