import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { z } from 'zod';
import type { Clock } from '../shared/clock';
import { WatchfloorError } from '../shared/errors';

/**
 * The officers this hub signs in (issue 6, decision 0020): name, ICS position, home
 * agency, role and an scrypt verifier of the password. The plain password is never
 * stored or logged. Lives in the hub store's `officers` table (schema 5), managed by
 * `npm run hub -- officer add|list|remove`.
 */
export const PersonRole = z.enum(['officer', 'supervisor']);
export type PersonRole = z.infer<typeof PersonRole>;

export const MIN_PASSWORD = 8;
export const Password = z
  .string()
  .min(MIN_PASSWORD, `A password has at least ${MIN_PASSWORD} characters.`)
  .max(1_024, 'A password has at most 1024 characters.');

export const RosterEntry = z.object({
  name: z.string().trim().min(1).max(200),
  position: z.string().trim().min(1).max(200),
  agency: z.string().trim().min(1).max(200),
  role: PersonRole,
});
export type RosterEntry = z.infer<typeof RosterEntry>;

// scrypt cost: N = 2^14, r = 8 (16 MiB, ~50 ms here): costly for a guesser holding the
// store, cheap for one sign-in. The parameters are stored with the hash, so they can grow.
const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

/** `scrypt$N$r$p$<salt>$<hash>`, base64url. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_BYTES, { ...SCRYPT, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/**
 * Whether `password` matches the stored verifier; compares in constant time. Asynchronous:
 * scrypt runs on libuv's thread pool, so a sign-in never stalls the hub's event loop.
 */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const options: ScryptOptions = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  const actual = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A verifier for names not on the roster, so a wrong name costs the same time as a wrong password. */
const DECOY = hashPassword(randomBytes(12).toString('base64url'));

interface Row {
  name: string;
  position: string;
  agency: string;
  role: PersonRole;
  password_hash: string;
  active: number;
}

export class Roster {
  private readonly s: {
    get: Statement<[string], Row>;
    list: Statement<[], Row>;
    put: Statement<[string, string, string, string, string, string, string]>;
    deactivate: Statement<[string, string]>;
  };

  constructor(
    db: Database,
    private readonly clock: Clock,
  ) {
    this.s = {
      get: db.prepare('SELECT * FROM officers WHERE name = ?'),
      list: db.prepare('SELECT * FROM officers ORDER BY name'),
      put: db.prepare(
        `INSERT INTO officers (name, position, agency, role, password_hash, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?)
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, agency = excluded.agency,
           role = excluded.role, password_hash = excluded.password_hash, active = 1, updated_at = excluded.updated_at`,
      ),
      deactivate: db.prepare('UPDATE officers SET active = 0, updated_at = ? WHERE name = ?'),
    };
  }

  /** Adds an officer, or replaces one of the same name (new position, role or password). */
  put(entry: RosterEntry, password: string): RosterEntry {
    const e = RosterEntry.parse(entry);
    const pw = Password.safeParse(password);
    if (!pw.success) throw new WatchfloorError('BAD_REQUEST', pw.error.issues[0]?.message ?? 'Bad password.');
    const now = new Date(this.clock.now()).toISOString();
    this.s.put.run(e.name, e.position, e.agency, e.role, hashPassword(pw.data), now, now);
    return e;
  }

  /** Takes an officer off the roster: their sign-ins are refused from now on. */
  remove(name: string): boolean {
    return this.s.deactivate.run(new Date(this.clock.now()).toISOString(), name).changes > 0;
  }

  list(): (RosterEntry & { active: boolean })[] {
    return this.s.list.all().map((r) => ({ ...toEntry(r), active: r.active === 1 }));
  }

  /** The rostered officer when name and password match an active entry; otherwise null. */
  async check(name: string, password: string): Promise<RosterEntry | null> {
    const row = this.s.get.get(name.trim());
    const ok = await checkPassword(password, row?.password_hash ?? DECOY);
    return row && ok && row.active === 1 ? toEntry(row) : null;
  }
}

const toEntry = (r: Row): RosterEntry => ({ name: r.name, position: r.position, agency: r.agency, role: r.role });
