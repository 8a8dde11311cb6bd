import { decodeJwt } from 'jose';
import { officerKey } from '../../shared/domain/officer';

/**
 * Whose name an outbox row is sent in (issue 6, decision 0036). Each row keeps the
 * officerKey of the officer who made it; the engine sends it on the connection's token
 * when that is the same officer, with the maker's own token (`asToken`) when the maker
 * has signed out since, and not at all when the maker's token is gone or has expired:
 * then the row is refused here, so that no action is recorded in another officer's name.
 *
 * The console cannot verify a token (it has no secret); it reads the name and expiry only
 * to choose which token to send. The hub verifies whatever is sent.
 */
export interface TokenClaims {
  key: string;
  /** ms since the epoch; null when the token carries no expiry */
  expiresAt: number | null;
}

export function claimsOfToken(token: string): TokenClaims | null {
  try {
    const claims = decodeJwt(token);
    if (typeof claims.name !== 'string' || !claims.name.trim()) return null;
    return {
      key: officerKey(claims.name),
      expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

export type SendAs =
  { kind: 'connection' } | { kind: 'own-token'; token: string } | { kind: 'undeliverable'; message: string };

export class Authors {
  /** the officer the connection's token names */
  readonly connection: string | null;
  private readonly held = new Map<string, { token: string; expiresAt: number | null }>();

  constructor(connectionToken: string, deliveryTokens: readonly string[] = []) {
    this.connection = claimsOfToken(connectionToken)?.key ?? null;
    for (const token of deliveryTokens) {
      const claims = claimsOfToken(token);
      if (!claims || claims.key === this.connection) continue;
      const had = this.held.get(claims.key);
      // the longest-lived token of an officer wins
      if (!had || (had.expiresAt ?? Infinity) < (claims.expiresAt ?? Infinity))
        this.held.set(claims.key, { token, expiresAt: claims.expiresAt });
    }
  }

  /** How a row made by `officer` (null: made before rows kept their maker) is sent now. */
  sendAs(officer: string | null, nowMs: number): SendAs {
    if (officer === null || officer === this.connection) return { kind: 'connection' };
    const held = this.held.get(officer);
    if (held && (held.expiresAt === null || held.expiresAt > nowMs)) return { kind: 'own-token', token: held.token };
    return {
      kind: 'undeliverable',
      message: `This action was made by ${officer}, whose sign-in at this console ${held ? 'expired' : 'ended'} before the hub could be reached. It was not sent, so that it is not recorded in another officer's name; do it again if it is still needed.`,
    };
  }
}
