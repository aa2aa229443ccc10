/** Minimal HS256 JWTs: the simulator's access tokens are JWT-shaped like Entra ID's, signed with a per-process key. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(claims: JwtClaims, key: Buffer): string {
  const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'rc-exchange-simulator' }));
  const body = b64url(JSON.stringify(claims));
  const signature = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

/** Decodes a JWT payload without checking its signature (used only for client assertions; see token endpoint). */
export function decodeJwtPayload(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' ? (payload as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

export type VerifyResult = { ok: true; claims: JwtClaims } | { ok: false; reason: string };

export function verifyJwt(
  token: string,
  key: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'The token is not a JWT.' };
  const expected = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'The token signature is invalid.' };
  }
  const claims = decodeJwtPayload(token);
  if (!claims) return { ok: false, reason: 'The token payload is not JSON.' };
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds)
    return { ok: false, reason: 'The token has expired.' };
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds + 300)
    return { ok: false, reason: 'The token is not yet valid.' };
  return { ok: true, claims };
}
