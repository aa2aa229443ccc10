import sql from 'mssql';
import { RcError } from '../../worker/errors';
import {
  isTransientMssqlError,
  sqlErrorNumber,
  toMssqlRcError,
} from '../../worker/db/mssql/transient-errors';

function requestError(number: number, message = 'boom'): sql.RequestError {
  const inner = Object.assign(new Error(message), { info: { number, state: 1, class: 16 } });
  return new sql.RequestError(inner as unknown as string, 'EREQUEST');
}

describe('mssql transient error mapping', () => {
  it.each([1205, 1222, 40197, 40501, 40613, 49918, 49919, 49920, 4060, 233, 10053, 10054, 10060, 64, 20])(
    'error %i is transient and retryable',
    (number) => {
      const err = toMssqlRcError(requestError(number), 'claiming jobs');
      expect(isTransientMssqlError(requestError(number))).toBe(true);
      expect(err.code).toBe('db_transient');
      expect(err.retryable).toBe(true);
      expect(err.remoteCode).toBe(String(number));
    },
  );

  it.each(['ETIMEOUT', 'ESOCKET', 'ECONNRESET'])('driver code %s is transient', (code) => {
    const err = toMssqlRcError(Object.assign(new Error('socket'), { code }), 'starting a job');
    expect(err.code).toBe('db_transient');
    expect(err.retryable).toBe(true);
  });

  it('finds a transient cause nested in originalError / precedingErrors', () => {
    const wrapped = Object.assign(new Error('outer'), {
      code: 'EREQUEST',
      precedingErrors: [Object.assign(new Error('deadlock'), { number: 1205 })],
    });
    expect(isTransientMssqlError(wrapped)).toBe(true);
    const viaOriginal = Object.assign(new Error('outer'), {
      originalError: Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    });
    expect(isTransientMssqlError(viaOriginal)).toBe(true);
  });

  it('maps constraint violations and API errors to permanent db_error with the number', () => {
    for (const number of [2627, 547, 50002]) {
      const err = toMssqlRcError(requestError(number, 'nope'), 'completing a job');
      expect(err.code).toBe('db_error');
      expect(err.retryable).toBe(false);
      expect(err.remoteCode).toBe(String(number));
      expect(err.message).toContain('completing a job');
      expect(sqlErrorNumber(requestError(number))).toBe(number);
    }
  });

  it('maps refused connections to db_unavailable and bad logins to a permanent error', () => {
    const refused = toMssqlRcError(
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      'connecting',
    );
    expect(refused.code).toBe('db_unavailable');
    expect(refused.retryable).toBe(true);
    const login = toMssqlRcError(Object.assign(new Error('Login failed'), { code: 'ELOGIN' }), 'connecting');
    expect(login.code).toBe('db_unavailable');
    expect(login.retryable).toBe(false);
    expect(login.message).toMatch(/user and password/);
  });

  it('passes an RcError through unchanged', () => {
    const original = new RcError('conflict', 'x');
    expect(toMssqlRcError(original, 'y')).toBe(original);
  });
});
