/**
 * Upgrading rc.rc_sendmail in PostgreSQL: issue 4 added parameters, so CREATE OR REPLACE creates a second
 * function next to the issue-2 one. stored-procedures/postgres/rc_SendMail.sql must drop the older signature
 * (calls by name would be ambiguous) and hand its EXECUTE grants to the new one, as a re-migrate keeps grants.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../helpers/pg-test-db';

const OLD_SIGNATURE =
  'rc.rc_sendmail(text, text, text, text, text, text, text, text, text, text, text, timestamptz, text)';
const FILE = path.resolve(__dirname, '../../stored-procedures/postgres/rc_SendMail.sql');

let db: TestDatabase;
let sql: Client;
const role = `rc_app_${randomBytes(4).toString('hex')}`;

beforeAll(async () => {
  db = await createTestDatabase();
  sql = new Client({ connectionString: db.url });
  await sql.connect();
  await sql.query(`CREATE ROLE ${role} NOLOGIN`);
});
afterAll(async () => {
  await sql?.end();
  await db?.drop();
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`);
  await admin.end();
});

async function overloads(): Promise<string[]> {
  const r = await sql.query<{ signature: string }>(
    `SELECT p.oid::regprocedure::text AS signature FROM pg_proc AS p
      WHERE p.pronamespace = 'rc'::regnamespace AND p.proname = 'rc_sendmail'`,
  );
  return r.rows.map((row) => row.signature);
}

it('drops the issue-2 signature, moves its EXECUTE grants, and calls by name work', async () => {
  // The state an issue-2 database is in: the old function, granted to an application role.
  await sql.query(`CREATE FUNCTION ${OLD_SIGNATURE.replace(/\(.*/, '')}(
      profile_name text DEFAULT NULL, recipients text DEFAULT NULL, copy_recipients text DEFAULT NULL,
      blind_copy_recipients text DEFAULT NULL, from_address text DEFAULT NULL, reply_to text DEFAULT NULL,
      subject text DEFAULT NULL, body text DEFAULT NULL, body_format text DEFAULT 'TEXT',
      importance text DEFAULT 'Normal', sensitivity text DEFAULT 'Normal', send_at timestamptz DEFAULT NULL,
      correlation_key text DEFAULT NULL) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint'`);
  await sql.query(`REVOKE ALL ON FUNCTION ${OLD_SIGNATURE} FROM PUBLIC`);
  await sql.query(`GRANT EXECUTE ON FUNCTION ${OLD_SIGNATURE} TO ${role}`);
  expect(await overloads()).toHaveLength(2);

  await sql.query(readFileSync(FILE, 'utf8'));

  const [signature] = await overloads();
  expect(await overloads()).toHaveLength(1);
  expect(signature).toContain('jsonb');
  const granted = await sql.query<{ ok: boolean; pub: boolean }>(
    `SELECT has_function_privilege($1, $2::regprocedure, 'EXECUTE') AS ok,
            has_function_privilege('public', $2::regprocedure, 'EXECUTE') AS pub`,
    [role, signature],
  );
  expect(granted.rows[0]).toEqual({ ok: true, pub: false });

  // Applying the file again (every migrate does) changes nothing.
  await sql.query(readFileSync(FILE, 'utf8'));
  expect(await overloads()).toEqual([signature]);
  await sql.query(`SELECT rc.rc_addmailbox(profile_name => 'p', smtp_address => 'p@example.com')`);
  await sql.query(`SELECT rc.rc_grantmailbox(principal => 'public', profile_name => 'p')`);
  const r = await sql.query<{ id: string }>(
    `SELECT rc.rc_sendmail(profile_name => 'p', recipients => 'a@example.com')::text AS id`,
  );
  expect(r.rows[0]?.id).toMatch(/^\d+$/);
});
