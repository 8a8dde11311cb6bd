import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HandoverNote, OfficerProfile, SignOutRequest } from '../../shared/domain/officer';

/**
 * What a console keeps between sign-ins (issue 6, decision 0020), in `<dataDir>/session.json`
 * (0600):
 * - per officer who signed in here with the hub, a **sealed credential**: their last token,
 *   profile and expiry, encrypted with AES-256-GCM under a key derived from their password
 *   with scrypt. The password is never stored; the GCM tag is the verifier: only the right
 *   password opens it, so offline sign-in checks the password and recovers the role at once;
 * - the console's last handover note, shown to the next officer who signs in here;
 * - sign-outs made while the hub was unreachable, delivered when it is back, and the tokens of
 *   officers who signed out with actions still in the outbox (decision 0036). Both hold live
 *   tokens, so they are written only **sealed** with AES-256-GCM under a key derived (HKDF)
 *   from the replica's key, which the shell keeps in the OS keychain (decision 0025). A console
 *   without that key (no keychain, tests) keeps them in memory only: a restart forgets them.
 */
export const OFFLINE_DAYS = 7;
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

const B64 = z.string().regex(/^[\w-]*$/);
const SealedCredential = z.object({
  /** the name as typed at sign-in, lower-cased: the lookup key and the cipher's associated data */
  key: z.string().min(1).max(200),
  salt: B64,
  iv: B64,
  tag: B64,
  sealed: B64,
  /** when the hub last confirmed this officer here: the offline sign-in's limit counts from it */
  cachedAt: z.string(),
});
type SealedCredential = z.infer<typeof SealedCredential>;

/** What a sealed credential holds. */
export const CachedCredential = z.object({
  token: z.string().min(1),
  officer: OfficerProfile,
  expiresAt: z.string(),
});
export type CachedCredential = z.infer<typeof CachedCredential>;

export const PendingSignOut = z.object({ token: z.string().min(1), request: SignOutRequest });
export type PendingSignOut = z.infer<typeof PendingSignOut>;

/** What the sealed box holds: everything in this file that carries a live token. */
const Tokens = z.object({
  pendingSignOuts: z.array(PendingSignOut).max(100),
  /** tokens kept to send their officers' actions still in the outbox (decision 0036) */
  held: z.array(z.string().min(1).max(8_192)).max(100),
});
type Tokens = z.infer<typeof Tokens>;

const SealedBox = z.object({ iv: B64, tag: B64, sealed: B64 });

const CacheFile = z.object({
  version: z.literal(1),
  consoleId: z.string().min(1).max(100).nullable(),
  credentials: z.array(SealedCredential).max(200),
  lastHandover: HandoverNote.nullable(),
  /** before decision 0036 pending sign-outs were written here in clear; read once, never written */
  pendingSignOuts: z.array(PendingSignOut).max(100),
  /** the Tokens, sealed under the replica key; null when there are none or no key */
  tokens: SealedBox.nullable().optional(),
});
type CacheFile = z.infer<typeof CacheFile>;

const empty = (): CacheFile => ({
  version: 1,
  consoleId: null,
  credentials: [],
  lastHandover: null,
  pendingSignOuts: [],
  tokens: null,
});

export const nameKey = (name: string): string => name.trim().toLowerCase();

export type OpenResult =
  { ok: true; credential: CachedCredential } | { ok: false; reason: 'unknown' | 'wrong-password' | 'too-old' };

export class SessionCache {
  private data: CacheFile;
  private readonly file: string;
  /** the key the tokens are sealed with, derived from the replica key; null: memory only */
  private readonly tokenKey: Buffer | null;
  private tokens: Tokens = { pendingSignOuts: [], held: [] };

  constructor(dataDir: string, replicaKey?: Uint8Array | null) {
    this.file = join(dataDir, 'session.json');
    this.data = read(this.file);
    this.tokenKey = replicaKey
      ? Buffer.from(hkdfSync('sha256', replicaKey, Buffer.alloc(0), 'watchfloor/session-tokens/v1', 32))
      : null;
    const opened = this.data.tokens && this.tokenKey ? openBox(this.data.tokens, this.tokenKey) : null;
    if (opened) this.tokens = opened;
    // Sign-outs written in clear by an older console move into the sealed box (or memory) now.
    if (this.data.pendingSignOuts.length > 0) {
      this.tokens.pendingSignOuts = [...this.tokens.pendingSignOuts, ...this.data.pendingSignOuts].slice(-100);
      this.data.pendingSignOuts = [];
      this.save();
    }
  }

  get consoleId(): string | null {
    return this.data.consoleId;
  }
  set consoleId(id: string | null) {
    this.data.consoleId = id;
    this.save();
  }

  get lastHandover(): HandoverNote | null {
    return this.data.lastHandover;
  }
  set lastHandover(note: HandoverNote | null) {
    this.data.lastHandover = note;
    this.save();
  }

  get pendingSignOuts(): readonly PendingSignOut[] {
    return this.tokens.pendingSignOuts;
  }
  setPendingSignOuts(list: readonly PendingSignOut[]): void {
    this.tokens.pendingSignOuts = [...list].slice(-100);
    this.save();
  }

  /** Tokens of officers who signed out with actions still in the outbox (decision 0036). */
  get heldTokens(): readonly string[] {
    return this.tokens.held;
  }
  setHeldTokens(list: readonly string[]): void {
    this.tokens.held = [...new Set(list)].slice(-100);
    this.save();
  }

  /** Seals the credential under the password, replacing this name's previous one. */
  store(name: string, password: string, credential: CachedCredential, nowMs: number): void {
    const key = nameKey(name);
    const salt = randomBytes(16);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', derive(password, salt), iv);
    cipher.setAAD(Buffer.from(key, 'utf8'));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(credential), 'utf8'), cipher.final()]);
    const entry: SealedCredential = {
      key,
      salt: salt.toString('base64url'),
      iv: iv.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      sealed: sealed.toString('base64url'),
      cachedAt: new Date(nowMs).toISOString(),
    };
    this.data.credentials = [...this.data.credentials.filter((c) => c.key !== key), entry];
    this.save();
  }

  /** Opens this name's credential with the password, if it is here, right and recent enough. */
  open(name: string, password: string, nowMs: number): OpenResult {
    const entry = this.data.credentials.find((c) => c.key === nameKey(name));
    if (!entry) {
      derive(password, randomBytes(16)); // the same cost either way: no hint which names are cached
      return { ok: false, reason: 'unknown' };
    }
    let credential: CachedCredential;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        derive(password, Buffer.from(entry.salt, 'base64url')),
        Buffer.from(entry.iv, 'base64url'),
      );
      decipher.setAAD(Buffer.from(entry.key, 'utf8'));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64url'));
      const plain = Buffer.concat([decipher.update(Buffer.from(entry.sealed, 'base64url')), decipher.final()]);
      credential = CachedCredential.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      return { ok: false, reason: 'wrong-password' };
    }
    if (nowMs - Date.parse(entry.cachedAt) > OFFLINE_DAYS * 86_400_000) return { ok: false, reason: 'too-old' };
    return { ok: true, credential };
  }

  /** Forgets a name's credential (the hub refused it: password changed, officer removed). */
  forget(name: string): void {
    this.data.credentials = this.data.credentials.filter((c) => c.key !== nameKey(name));
    this.save();
  }

  private save(): void {
    const empty = this.tokens.pendingSignOuts.length === 0 && this.tokens.held.length === 0;
    this.data.tokens = this.tokenKey && !empty ? sealBox(this.tokens, this.tokenKey) : null;
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.data)}\n`, { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.file);
  }
}

/** AES-256-GCM with a fresh IV each time; the file name is the associated data. */
function sealBox(tokens: Tokens, key: Buffer): z.infer<typeof SealedBox> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from('session.json tokens', 'utf8'));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(tokens), 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64url'),
    tag: cipher.getAuthTag().toString('base64url'),
    sealed: sealed.toString('base64url'),
  };
}

/** The sealed tokens, or null when the key is not the one they were sealed with (a new replica key) or the box is damaged. */
function openBox(box: z.infer<typeof SealedBox>, key: Buffer): Tokens | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64url'));
    decipher.setAAD(Buffer.from('session.json tokens', 'utf8'));
    decipher.setAuthTag(Buffer.from(box.tag, 'base64url'));
    const plain = Buffer.concat([decipher.update(Buffer.from(box.sealed, 'base64url')), decipher.final()]);
    const parsed = Tokens.safeParse(JSON.parse(plain.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const derive = (password: string, salt: Buffer): Buffer => scryptSync(password.normalize('NFC'), salt, 32, SCRYPT);

/** The cache, or an empty one when the file is missing or unreadable (the officer signs in with the hub). */
function read(file: string): CacheFile {
  if (!existsSync(file)) return empty();
  try {
    const parsed = CacheFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : empty();
  } catch {
    return empty();
  }
}
