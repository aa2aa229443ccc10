/**
 * The usual frame of a simulator EWS test file: one simulator for the file with the given mailboxes, the store
 * reset and a fresh recording ews-javascript-api client (as the first mailbox) before each test, and every
 * response of the test validated against messages.xsd after it.
 */
import { startSimulator, type RunningSimulator } from '../../simulator/index';
import { createEwsService, type RecordingService } from './simulator-ews-client';
import { expectValidEwsResponses } from './simulator-ews-schema';

export interface SimulatorSession {
  readonly sim: RunningSimulator;
  readonly client: RecordingService;
}

export function useSimulatorSession(mailboxes: [string, ...string[]]): SimulatorSession {
  const session = {} as { sim: RunningSimulator; client: RecordingService };
  beforeAll(async () => {
    session.sim = await startSimulator({ mailboxes });
  });
  afterAll(async () => {
    await session.sim.close();
  });
  beforeEach(() => {
    session.sim.store.reset();
    session.client = createEwsService(session.sim.ewsUrl, { user: mailboxes[0], password: 'simulator' });
  });
  afterEach(async () => {
    await expectValidEwsResponses(session.client.responses.map((r) => r.body));
  });
  return session;
}

/** The error a call rejects with (ews-javascript-api rejects with non-Error objects too); fails if it resolves. */
export async function rejection<T = Record<string, unknown>>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (err) {
    return err as T;
  }
  throw new Error('expected the call to fail');
}
