/**
 * Configuration: read once from the environment, validated as a whole (every problem is listed at once),
 * returned frozen. Code receives a Config; nothing else reads process.env.
 * Every variable is documented in .env.example.
 */
import { hostname } from 'node:os';
import { z } from 'zod';
import { RcError } from './errors';

export const DEFAULT_DB_URL = 'postgres://rc:rc@127.0.0.1:5432/rc_exchange';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a whole number' })
    .int({ message: 'must be a whole number' })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` });

const dbUrl = z.string().refine((v) => /^(postgres|postgresql|mssql|sqlserver):\/\//.test(v), {
  message: 'must start with postgres:// or mssql:// (see .env.example for the full form)',
});

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL' });

const schema = z.object({
  RC_DB_URL: dbUrl.default(DEFAULT_DB_URL),
  RC_REDIS_URL: z
    .string()
    .refine((v) => /^rediss?:\/\//.test(v), { message: 'must start with redis:// or rediss://' })
    .default(DEFAULT_REDIS_URL),
  RC_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,40}$/, { message: 'letters, digits, _ . - only (at most 40)' })
    .default('rc'),
  RC_HTTP_PORT: int(0, 65535).default(8080),
  RC_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  RC_LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'debug'], { message: 'must be one of error, warn, info, debug' })
    .default('info'),
  RC_LOG_FORMAT: z
    .enum(['auto', 'json', 'pretty'], { message: 'must be one of auto, json, pretty' })
    .default('auto'),
  RC_WORKER_ID: z.string().min(1).max(200).optional(),
  RC_WORKER_CONCURRENCY: int(1, 1000).default(32),
  RC_MAILBOX_CONCURRENCY: int(1, 100).default(8),
  RC_MAILBOX_SENDS_PER_MINUTE: int(0, 100000).default(0),
  RC_DISPATCH_BATCH: int(1, 5000).default(500),
  RC_POLL_MIN_MS: int(10, 60000).default(50),
  RC_POLL_MAX_MS: int(10, 600000).default(2000),
  RC_LEASE_SECONDS: int(10, 86400).default(300),
  RC_RECONCILE_INTERVAL_MS: int(1000, 3600000).default(15000),
  RC_RETRY_BASE_MS: int(10, 3600000).default(2000),
  RC_RETRY_MAX_MS: int(100, 86400000).default(900000),
  RC_SHUTDOWN_TIMEOUT_MS: int(0, 600000).default(30000),

  RC_EWS_URL: httpUrl.optional(),
  RC_EWS_AUTH: z
    .enum(['basic', 'ntlm', 'oauth'], { message: 'must be one of basic, ntlm, oauth' })
    .default('basic'),
  RC_EWS_USERNAME: z.string().min(1).optional(),
  RC_EWS_PASSWORD: z.string().min(1).optional(),
  RC_EWS_DOMAIN: z.string().min(1).optional(),
  RC_EWS_TIMEOUT_MS: int(1000, 600000).default(100000),
  RC_EWS_SAVE_SENT_COPY: bool.default(true),
  RC_FILE_ATTACHMENT_DIR: z.string().trim().min(1).optional(),

  RC_OAUTH_TENANT_ID: z.string().min(1).optional(),
  RC_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  RC_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  RC_OAUTH_CERT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  RC_OAUTH_CERT_THUMBPRINT: z.string().min(1).optional(),
  RC_OAUTH_AUTHORITY_URL: httpUrl.default('https://login.microsoftonline.com'),
  RC_OAUTH_SCOPE: z.string().min(1).default('https://outlook.office365.com/.default'),
  RC_OAUTH_CA_FILE: z.string().min(1).optional(),
});

/**
 * Rules that involve several variables. They are checked on the raw input so that they are reported together
 * with the per-variable problems instead of only after those are fixed.
 */
function crossFieldProblems(raw: Record<string, string>, requireExchange: boolean): string[] {
  const problems: string[] = [];
  const auth = requireExchange ? (raw.RC_EWS_AUTH ?? 'basic') : 'none';
  const need = (key: string, why: string) => {
    if (raw[key] === undefined) problems.push(`${key} is required ${why}`);
  };
  if (auth === 'basic' || auth === 'ntlm') {
    need('RC_EWS_USERNAME', `when RC_EWS_AUTH=${auth}`);
    need('RC_EWS_PASSWORD', `when RC_EWS_AUTH=${auth}`);
  }
  if (auth === 'oauth') {
    need('RC_OAUTH_TENANT_ID', 'when RC_EWS_AUTH=oauth');
    need('RC_OAUTH_CLIENT_ID', 'when RC_EWS_AUTH=oauth');
    const hasSecret = raw.RC_OAUTH_CLIENT_SECRET !== undefined;
    const hasCert = raw.RC_OAUTH_CERT_PRIVATE_KEY_FILE !== undefined;
    if (hasSecret === hasCert) {
      problems.push(
        'RC_OAUTH_CLIENT_SECRET: set exactly one of RC_OAUTH_CLIENT_SECRET or RC_OAUTH_CERT_PRIVATE_KEY_FILE ' +
          '(+ RC_OAUTH_CERT_THUMBPRINT) when RC_EWS_AUTH=oauth',
      );
    }
    if (hasCert) need('RC_OAUTH_CERT_THUMBPRINT', 'with RC_OAUTH_CERT_PRIVATE_KEY_FILE');
  }
  const min = Number(raw.RC_POLL_MIN_MS ?? 50);
  const max = Number(raw.RC_POLL_MAX_MS ?? 2000);
  if (Number.isFinite(min) && Number.isFinite(max) && max < min) {
    problems.push('RC_POLL_MAX_MS must not be below RC_POLL_MIN_MS');
  }
  return problems;
}

type Env = z.infer<typeof schema>;

export type EwsAuth =
  | { kind: 'basic' | 'ntlm'; username: string; password: string; domain?: string }
  | {
      kind: 'oauth';
      tenantId: string;
      clientId: string;
      clientSecret?: string;
      certificate?: { privateKeyFile: string; thumbprint: string };
      authorityUrl: string;
      scope: string;
      /** PEM file of an extra CA to trust for the authority (simulator, private ADFS CA). */
      caFile?: string;
    };

export interface Config {
  db: { url: string };
  redis: { url: string; queuePrefix: string };
  http: { host: string; port: number };
  log: { level: Env['RC_LOG_LEVEL']; format: Env['RC_LOG_FORMAT'] };
  worker: {
    id: string;
    concurrency: number;
    mailboxConcurrency: number;
    mailboxSendsPerMinute: number;
    dispatchBatch: number;
    pollMinMs: number;
    pollMaxMs: number;
    leaseSeconds: number;
    reconcileIntervalMs: number;
    retryBaseMs: number;
    retryMaxMs: number;
    shutdownTimeoutMs: number;
  };
  ews: { defaultUrl: string | null; auth: EwsAuth; timeoutMs: number; saveSentCopy: boolean };
  /** rc_SendMail @file_attachments are read only below this directory; null → file attachments are refused. */
  attachments: { fileDir: string | null };
}

export interface LoadConfigOptions {
  /**
   * Whether Exchange credentials must be complete. Commands that never talk to Exchange (`rcx migrate`) pass
   * false so a DBA can migrate without the worker's secrets.
   */
  requireExchange?: boolean;
}

/** Parses the environment; throws one RcError('config_invalid') listing every bad or missing variable. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Readonly<Config> {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  const problems = [
    ...(parsed.error?.issues ?? []).map(
      (issue) => `${String(issue.path[0] ?? '(environment)')} ${issue.message}`,
    ),
    ...crossFieldProblems(input, options.requireExchange ?? true),
  ];
  if (!parsed.success || problems.length > 0) {
    const lines = problems.map((p) => `  - ${p}`);
    throw new RcError(
      'config_invalid',
      `Invalid configuration (${lines.length} problem${lines.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n` +
        'Fix the variables above in the environment or your .env file; .env.example documents each one.',
    );
  }
  return deepFreeze(toConfig(parsed.data as Env));
}

function toConfig(env: Env): Config {
  const auth: EwsAuth =
    env.RC_EWS_AUTH === 'oauth'
      ? {
          kind: 'oauth',
          tenantId: env.RC_OAUTH_TENANT_ID as string,
          clientId: env.RC_OAUTH_CLIENT_ID as string,
          clientSecret: env.RC_OAUTH_CLIENT_SECRET,
          certificate: env.RC_OAUTH_CERT_PRIVATE_KEY_FILE
            ? {
                privateKeyFile: env.RC_OAUTH_CERT_PRIVATE_KEY_FILE,
                thumbprint: env.RC_OAUTH_CERT_THUMBPRINT as string,
              }
            : undefined,
          authorityUrl: env.RC_OAUTH_AUTHORITY_URL,
          scope: env.RC_OAUTH_SCOPE,
          caFile: env.RC_OAUTH_CA_FILE,
        }
      : {
          kind: env.RC_EWS_AUTH,
          username: env.RC_EWS_USERNAME as string,
          password: env.RC_EWS_PASSWORD as string,
          domain: env.RC_EWS_DOMAIN,
        };
  return {
    db: { url: env.RC_DB_URL },
    redis: { url: env.RC_REDIS_URL, queuePrefix: env.RC_QUEUE_PREFIX },
    http: { host: env.RC_HTTP_HOST, port: env.RC_HTTP_PORT },
    log: { level: env.RC_LOG_LEVEL, format: env.RC_LOG_FORMAT },
    worker: {
      id: env.RC_WORKER_ID ?? `${hostname()}:${process.pid}`,
      concurrency: env.RC_WORKER_CONCURRENCY,
      mailboxConcurrency: env.RC_MAILBOX_CONCURRENCY,
      mailboxSendsPerMinute: env.RC_MAILBOX_SENDS_PER_MINUTE,
      dispatchBatch: env.RC_DISPATCH_BATCH,
      pollMinMs: env.RC_POLL_MIN_MS,
      pollMaxMs: env.RC_POLL_MAX_MS,
      leaseSeconds: env.RC_LEASE_SECONDS,
      reconcileIntervalMs: env.RC_RECONCILE_INTERVAL_MS,
      retryBaseMs: env.RC_RETRY_BASE_MS,
      retryMaxMs: env.RC_RETRY_MAX_MS,
      shutdownTimeoutMs: env.RC_SHUTDOWN_TIMEOUT_MS,
    },
    ews: {
      defaultUrl: env.RC_EWS_URL ?? null,
      auth,
      timeoutMs: env.RC_EWS_TIMEOUT_MS,
      saveSentCopy: env.RC_EWS_SAVE_SENT_COPY,
    },
    attachments: { fileDir: env.RC_FILE_ATTACHMENT_DIR ?? null },
  };
}

function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (child !== null && typeof child === 'object' && !Object.isFrozen(child)) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
