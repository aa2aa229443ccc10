/**
 * The real `rcx` binary (compiled dist/, as `npx rcx` runs it) in child processes, on a fresh PostgreSQL
 * database each, with real Redis and the simulator.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startSimulator } from '../../simulator';
import { createTestDatabase, type TestDatabase } from '../helpers/pg-test-db';

const CLI = join(__dirname, '../../dist/worker/cli.js');
const REDIS_URL = process.env.RC_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function rcx(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', NO_PROXY: '127.0.0.1,localhost', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rcx ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);
});

describe('rcx', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase({ empty: true });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('lists its commands', async () => {
    const run = await rcx(['--help'], {});
    expect(run.code).toBe(0);
    for (const command of ['migrate', 'worker', 'simulator', 'doctor', 'demo', 'bench']) {
      expect(run.stdout).toContain(command);
    }
  });

  it('refuses a bad configuration naming every problem, without echoing secrets', async () => {
    const run = await rcx(['worker'], {
      RC_DB_URL: 'mysql://u:Secret1@h/d',
      RC_HTTP_PORT: 'http',
      RC_EWS_AUTH: 'basic',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('RC_DB_URL must start with postgres:// or mssql://');
    expect(run.stderr).toContain('RC_HTTP_PORT');
    expect(run.stderr).toContain('RC_EWS_USERNAME is required');
    expect(run.stderr).not.toContain('Secret1');
  });

  it('migrates, reports status, and prints a dry run without changing anything', async () => {
    const env = { RC_DB_URL: db.url };
    let run = await rcx(['migrate', 'status'], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('pending  V0001__create_core_tables.sql');
    run = await rcx(['migrate', 'up', '--dry-run'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CREATE TABLE');
    run = await rcx(['migrate', 'up'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Applied \d+ migration\(s\)/);
    run = await rcx(['migrate', 'up'], env);
    expect(run.stdout).toContain('Schema is up to date');
    run = await rcx(['migrate', 'status'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Schema is current.');
  });

  it('refuses to start a worker on an unmigrated database and says what to run', async () => {
    const run = await rcx(['worker'], {
      RC_DB_URL: db.url,
      RC_EWS_USERNAME: 'svc@example.com',
      RC_EWS_PASSWORD: 'x',
      RC_HTTP_PORT: '0',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('rcx migrate up');
  });

  it('runs the demo: mails sent through the procedure reach the simulator, bad ones fail readably', async () => {
    const run = await rcx(
      ['demo', '--exit', '--sim-port', '0'],
      {
        RC_DB_URL: db.url,
        RC_REDIS_URL: REDIS_URL,
        RC_QUEUE_PREFIX: `rc-e2e-${process.pid}`,
      },
      120_000,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/unsent → #\d+ sent/);
    expect(run.stdout).toContain('rejected, error 50011');
    expect(run.stdout).toMatch(/failed .*ErrorNonExistentMailbox/);
    expect(run.stdout).toContain('3 sent, 1 failed');
    expect(run.stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('doctor checks SQL, Redis and every mailbox, and names what is wrong', async () => {
    await rcx(['migrate', 'up'], { RC_DB_URL: db.url });
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    const sim = await startSimulator({ mailboxes: ['svc@contoso.com', 'sales@contoso.com'], password: 'pw' });
    try {
      sim.store.grantImpersonation('svc@contoso.com');
      await sql.query(
        `SELECT rc.rc_addmailbox(profile_name => 'sales', smtp_address => 'sales@contoso.com')`,
      );
      const env = {
        RC_DB_URL: db.url,
        RC_REDIS_URL: REDIS_URL,
        RC_EWS_URL: sim.ewsUrl,
        RC_EWS_USERNAME: 'svc@contoso.com',
        RC_EWS_PASSWORD: 'pw',
      };
      let run = await rcx(['doctor'], env);
      expect(run.stdout).toMatch(/ok\s+sql\s+postgres reachable, schema current/);
      expect(run.stdout).toMatch(/ok\s+redis\s+reachable/);
      expect(run.stdout).toMatch(/ok\s+mailbox sales\s+sales@contoso.com reachable/);
      expect(run.stdout).toContain('Everything looks right.');
      expect(run.code).toBe(0);

      run = await rcx(['doctor'], {
        ...env,
        RC_EWS_PASSWORD: 'Wrong-Secret',
        RC_REDIS_URL: 'redis://127.0.0.1:1',
      });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/FAIL\s+redis\s+connect ECONNREFUSED/);
      expect(run.stdout).toMatch(/FAIL\s+mailbox sales\s+.*rejected the credentials/);
      expect(run.stdout).not.toContain('Wrong-Secret');
    } finally {
      await sim.close();
      await sql.end();
    }
  });

  it('stops a worker gracefully on SIGTERM', async () => {
    await rcx(['migrate', 'up'], { RC_DB_URL: db.url });
    const child = spawn(process.execPath, [CLI, 'worker'], {
      env: {
        PATH: process.env.PATH ?? '',
        RC_DB_URL: db.url,
        RC_REDIS_URL: REDIS_URL,
        RC_QUEUE_PREFIX: `rc-e2e-w-${process.pid}`,
        RC_EWS_URL: 'http://127.0.0.1:9/EWS/Exchange.asmx',
        RC_EWS_USERNAME: 'svc@example.com',
        RC_EWS_PASSWORD: 'x',
        RC_HTTP_PORT: '0',
        RC_LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const started = Date.now();
    while (!out.includes('worker started') && Date.now() - started < 20_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('worker started');
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('worker stopped');
    expect(out).not.toContain('"x"');
  });
});
