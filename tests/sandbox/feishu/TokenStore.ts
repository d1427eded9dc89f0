import { randomBytes } from 'node:crypto';

/** The platform re-issues a tenant token only when the current one has less than this left. */
export const tokenReuseThresholdMs = 30 * 60 * 1000;

/** How the sandbox sees a bearer token. */
export type TokenCheck = 'tenant' | 'user' | 'unknownTenant' | 'unknownUser' | 'badPrefix';

/** A tenant token as answered by the token endpoint. */
export interface IssuedToken {
  token: string;
  /** Seconds left, as in the `expire` field. */
  expire: number;
}

/**
 * The tenant tokens the sandbox issued and the user tokens it was told to accept.
 *
 * @example
 * const store = new TokenStore(7200);
 * const { token } = store.issue(Date.now());
 * store.check(token, Date.now()); // 'tenant'
 */
export class TokenStore {
  readonly #expireMs: number;
  /** Every valid tenant token with its expiry time; revoked ones are deleted. */
  readonly #tenantTokens = new Map<string, number>();
  readonly #userTokens = new Set<string>();
  #current: string | undefined;

  constructor(expireSeconds: number) {
    this.#expireMs = expireSeconds * 1000;
  }

  /** Answers a token request with the documented reuse rule. */
  issue(now: number): IssuedToken {
    const expiresAt = this.#current === undefined ? undefined : this.#tenantTokens.get(this.#current);
    if (this.#current !== undefined && expiresAt !== undefined && expiresAt - now >= tokenReuseThresholdMs) {
      return { token: this.#current, expire: Math.floor((expiresAt - now) / 1000) };
    }
    // The previous token stays in the map: it keeps working until it runs out.
    const token = `t-${randomBytes(20).toString('hex')}`;
    this.#tenantTokens.set(token, now + this.#expireMs);
    this.#current = token;
    return { token, expire: Math.floor(this.#expireMs / 1000) };
  }

  /** Classifies a bearer token; expired tenant tokens are unknown. */
  check(token: string, now: number): TokenCheck {
    if (token.startsWith('t-')) {
      const expiresAt = this.#tenantTokens.get(token);
      return expiresAt !== undefined && now < expiresAt ? 'tenant' : 'unknownTenant';
    }
    if (token.startsWith('u-')) return this.#userTokens.has(token) ? 'user' : 'unknownUser';
    return 'badPrefix';
  }

  /** Accepts a user_access_token from now on. */
  addUserToken(token: string): void {
    if (!token.startsWith('u-')) throw new Error(`a user_access_token starts with 'u-', got '${token}'`);
    this.#userTokens.add(token);
  }

  /** Invalidates every tenant token issued so far. */
  revokeTenantTokens(): void {
    this.#tenantTokens.clear();
    this.#current = undefined;
  }

  /** Forgets the tenant tokens; user tokens are configuration, so they stay. */
  reset(): void {
    this.revokeTenantTokens();
  }
}
