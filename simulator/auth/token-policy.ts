/**
 * Lifetime and revocation of the simulator's access tokens. Tokens carry a sequence number (claim `uti`, the
 * claim Entra ID uses for its unique token identifier) so "every token issued so far expires now" is a single
 * comparison, exact to the token, even for tokens issued within the same second.
 */

/** Entra ID's default access-token lifetime for client credentials. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export class TokenPolicy {
  private lifetime: number;
  private issued = 0;
  /** Tokens with a sequence number up to this one count as expired. */
  private expiredThrough = 0;

  constructor(lifetimeSeconds: number = DEFAULT_TOKEN_LIFETIME_SECONDS) {
    this.lifetime = TokenPolicy.checkLifetime(lifetimeSeconds);
  }

  static checkLifetime(seconds: unknown): number {
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1)
      throw new RangeError('token lifetime must be a whole number of seconds ≥ 1');
    return seconds;
  }

  lifetimeSeconds(): number {
    return this.lifetime;
  }

  setLifetimeSeconds(seconds: unknown): void {
    this.lifetime = TokenPolicy.checkLifetime(seconds);
  }

  /** The `uti` claim for the next token. */
  nextTokenId(): string {
    this.issued += 1;
    return `sim-${this.issued}`;
  }

  /** Makes every token issued so far expire (Exchange Online then answers 401 invalid_token). */
  expireIssuedTokens(): number {
    const count = this.issued - this.expiredThrough;
    this.expiredThrough = this.issued;
    return count;
  }

  isExpired(uti: unknown): boolean {
    const m = typeof uti === 'string' ? /^sim-(\d+)$/.exec(uti) : null;
    return !m || Number(m[1]) <= this.expiredThrough;
  }
}
