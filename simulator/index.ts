/**
 * The Exchange simulator: a real HTTP(S) server with an in-memory mailbox store, an EWS SOAP face at
 * /EWS/Exchange.asmx, an Entra ID look-alike token endpoint, a JSON admin API under /_sim and a web page at /.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'winston';
import { silentLogger } from '../worker/log';
import { OAuthClients } from './auth/oauth-token-endpoint';
import { TokenPolicy } from './auth/token-policy';
import { type FaultSettings, mergeFaults, NO_FAULTS } from './faults';
import { Limits, limitsProfile, type LimitsProfile } from './limits';
import { MailboxStore } from './mailbox-store';
import { DataFileWriter, loadDataFile } from './persistence';
import { type RequestValidation, requestValidation } from './ews/schema-request-validation';
import { createRequestListener, EWS_PATH } from './server';
import { selfSignedCertificate } from './tls';

export type { FaultSettings } from './faults';
export type { LimitSettings, LimitsProfile } from './limits';
export { MailboxStore } from './mailbox-store';
export type { AdminItem } from './admin-api';

export interface SimulatorOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** HTTP port; 0 (default) picks a free one. */
  port?: number;
  /** Mailboxes created at start (all with `password`). */
  mailboxes?: string[];
  /** Basic-auth password of the start mailboxes and secret of the default OAuth client; default 'simulator'. */
  password?: string;
  /** Extra OAuth clients; client 'rc-exchange' with secret `password` always exists. No secret = assertion only. */
  oauthClients?: Array<{ clientId: string; clientSecret?: string }>;
  /** Also listen with HTTPS (self-signed certificate generated at start); port 0/absent picks a free one. */
  tls?: { port?: number };
  faults?: Partial<FaultSettings>;
  /** Exchange Online's per-mailbox limits (27 concurrent requests, 30 messages/minute, 35 MB) or none (default). */
  limits?: LimitsProfile;
  /** Lifetime of access tokens from the token endpoint; default 3600 s. */
  tokenLifetimeSeconds?: number;
  /**
   * Folder with Exchange's messages.xsd + types.xsd: every request is then validated against them
   * (ErrorSchemaValidation like Exchange). Default $RC_EWS_SCHEMA_DIR; without schemas only well-formedness.
   */
  schemaDir?: string;
  /**
   * JSON file holding the whole store: loaded at start (a corrupt file fails the start), rewritten shortly
   * after every change and on close. Absent = memory only.
   */
  dataFile?: string;
  logger?: Logger;
}

export interface RunningSimulator {
  /** http base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** url + /EWS/Exchange.asmx */
  ewsUrl: string;
  /** https base URL when opts.tls was given. */
  httpsUrl?: string;
  /** PEM of the self-signed certificate (trust it to talk to httpsUrl). */
  caCertPem?: string;
  store: MailboxStore;
  faults(): FaultSettings;
  setFaults(patch: Partial<FaultSettings>): FaultSettings;
  /** Limit settings and per-mailbox limit counters (also GET|POST /_sim/limits). */
  limits: Limits;
  /** Token lifetime and "expire every token issued so far" (also /_sim/tokens). */
  tokens: TokenPolicy;
  /** 'schema' (requests validated against the EWS schema) or 'well-formed' (well-formedness checks only). */
  requestValidation: Pick<RequestValidation, 'mode' | 'schemaDir' | 'description'>;
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server | https.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const password = opts.password ?? 'simulator';
  const logger = opts.logger ?? silentLogger();
  const store = new MailboxStore(password);
  const loaded = opts.dataFile !== undefined && loadDataFile(opts.dataFile, store);
  for (const address of opts.mailboxes ?? []) store.addMailbox(address);
  const dataFile = opts.dataFile === undefined ? undefined : new DataFileWriter(opts.dataFile, store, logger);
  if (dataFile) store.onChange(() => dataFile.schedule());
  const clients = new OAuthClients();
  clients.register('rc-exchange', password);
  for (const c of opts.oauthClients ?? []) clients.register(c.clientId, c.clientSecret);

  let faults = mergeFaults({ ...NO_FAULTS }, opts.faults ?? {});
  const getFaults = () => faults;
  const setFaults = (patch: Partial<FaultSettings>) => (faults = mergeFaults(faults, patch));
  const limits = new Limits(limitsProfile(opts.limits ?? 'none'));
  const tokens = new TokenPolicy(opts.tokenLifetimeSeconds);

  const validation = requestValidation(opts.schemaDir, (message) => logger.warn(`simulator: ${message}`));
  const listener = createRequestListener({
    validateRequest: validation.validate,
    store,
    clients,
    signingKey: randomBytes(32),
    getFaults,
    setFaults,
    limits,
    tokens,
    logger,
  });
  const handler: typeof listener = dataFile
    ? (req, res) => {
        // Admin API and EWS writes (mailboxes, grants, outbound log…) are all non-GET requests.
        if (req.method !== 'GET') res.once('finish', () => dataFile.schedule());
        listener(req, res);
      }
    : listener;
  const servers: Array<http.Server | https.Server> = [];
  const httpServer = http.createServer({ keepAliveTimeout: 65_000 }, handler);
  servers.push(httpServer);
  const port = await listen(httpServer, opts.port ?? 0, host);
  const url = `http://${urlHost(host)}:${port}`;

  let httpsUrl: string | undefined;
  let caCertPem: string | undefined;
  if (opts.tls) {
    const material = await selfSignedCertificate(host);
    const httpsServer = https.createServer(
      { key: material.key, cert: material.cert, keepAliveTimeout: 65_000 },
      handler,
    );
    servers.push(httpsServer);
    try {
      const tlsPort = await listen(httpsServer, opts.tls.port ?? 0, host);
      httpsUrl = `https://${urlHost(host)}:${tlsPort}`;
      caCertPem = material.cert;
    } catch (err) {
      await closeServer(httpServer);
      throw err;
    }
  }
  logger.info('simulator: listening', {
    url,
    httpsUrl,
    mailboxes: store.listMailboxes().length,
    requestValidation: validation.description,
    dataFile: opts.dataFile && `${opts.dataFile} (${loaded ? 'loaded' : 'new'})`,
  });

  return {
    url,
    ewsUrl: `${url}${EWS_PATH}`,
    httpsUrl,
    caCertPem,
    store,
    faults: getFaults,
    setFaults,
    limits,
    tokens,
    requestValidation: {
      mode: validation.mode,
      schemaDir: validation.schemaDir,
      description: validation.description,
    },
    close: async () => {
      limits.close();
      await Promise.all(servers.map(closeServer));
      await dataFile?.close();
    },
  };
}
