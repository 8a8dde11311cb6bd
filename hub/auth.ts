import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Clock } from '../shared/clock';
import { Role } from '../shared/domain/officer';
import { WatchfloorError } from '../shared/errors';
import { newId } from '../shared/ids';

/**
 * Officers' tokens: HS256 JWTs signed with a secret that never leaves the hub's
 * data dir. The token names the officer and carries the role the hub enforces;
 * consoles only present it.
 */
export const TOKEN_ISSUER = 'watchfloor-hub';
export const TOKEN_AUDIENCE = 'watchfloor-console';
export const SECRET_FILE = 'secret.key';
const DEFAULT_TTL_DAYS = 30;

export const OfficerClaims = z.object({
  name: z.string().trim().min(1).max(200),
  role: Role,
  position: z.string().trim().min(1).max(200).optional(),
  /** home agency from the roster (issue 6), e.g. "Port Halden Fire & Rescue" */
  agency: z.string().trim().min(1).max(200).optional(),
  /** 'roster': issued at sign-in (hub/session.ts); the hub re-checks the roster on connect */
  via: z.literal('roster').optional(),
});
export type OfficerClaims = z.infer<typeof OfficerClaims>;

export class TokenAuthority {
  private constructor(
    private readonly secret: Uint8Array,
    private readonly clock: Clock,
  ) {}

  /** Reads `<dataDir>/secret.key`, creating it (0600) on first use. */
  static open(dataDir: string, clock: Clock): TokenAuthority {
    return new TokenAuthority(loadOrCreateSecret(dataDir), clock);
  }

  /** A signed token; sign-in tokens (hub/session.ts) pass `ttlSeconds` for one shift. */
  async issue(claims: OfficerClaims, options: { ttlDays?: number; ttlSeconds?: number } = {}): Promise<string> {
    const c = OfficerClaims.parse(claims);
    const nowSec = Math.floor(this.clock.now() / 1000);
    const ttl = options.ttlSeconds ?? Math.round((options.ttlDays ?? DEFAULT_TTL_DAYS) * 86_400);
    return new SignJWT({
      name: c.name,
      role: c.role,
      ...(c.position ? { position: c.position } : {}),
      ...(c.agency ? { agency: c.agency } : {}),
      ...(c.via ? { via: c.via } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(c.name)
      .setJti(newId())
      .setIssuedAt(nowSec)
      .setExpirationTime(nowSec + ttl)
      .sign(this.secret);
  }

  /** The officer a token names, or UNAUTHORIZED with a sentence saying what to do. */
  async verify(token: string): Promise<OfficerClaims> {
    try {
      const { payload } = await jwtVerify(token, this.secret, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: ['HS256'],
        currentDate: new Date(this.clock.now()),
      });
      const claims = OfficerClaims.safeParse(payload);
      if (!claims.success)
        throw new WatchfloorError('UNAUTHORIZED', 'The token does not name an officer and a role; issue a new one.');
      return claims.data;
    } catch (err) {
      if (err instanceof WatchfloorError) throw err;
      if (err instanceof joseErrors.JWTExpired) {
        throw new WatchfloorError(
          'UNAUTHORIZED',
          'The token has expired; ask a supervisor for a new one (npm run hub -- token).',
        );
      }
      throw new WatchfloorError(
        'UNAUTHORIZED',
        'The token was not signed by this hub; ask a supervisor for a new one (npm run hub -- token).',
      );
    }
  }
}

function loadOrCreateSecret(dataDir: string): Uint8Array {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, SECRET_FILE);
  try {
    // 'wx' fails if the file exists, so two hubs starting at once never overwrite each other's secret.
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // A secret readable by others lets them mint tokens: tighten it rather than trust it.
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  if (secret.length < 32) {
    throw new WatchfloorError(
      'INTERNAL',
      `${file} holds fewer than 32 bytes of secret; delete it to make a new one (all tokens change).`,
    );
  }
  return new Uint8Array(secret);
}
