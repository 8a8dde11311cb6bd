import { z } from 'zod';

/**
 * The replica's key at rest (decision 0025). A random 32-byte key, kept in
 * `replica.key` beside the replica encrypted by Electron's safeStorage (DPAPI on
 * Windows, the Keychain on macOS, libsecret or KWallet on Linux). The file alone
 * opens nothing: the OS releases the key only to this user on this machine.
 *
 * When there is no keychain (safeStorage unavailable, or Linux's `basic_text`
 * backend, which "encrypts" with a constant password), a key on disk would protect
 * nothing, so the console says so and asks the operator: continue with an
 * unencrypted replica (remembered for this keychain state; asked again if it
 * changes) or quit. When the key cannot be unlocked (keychain reset, profile
 * copied to another machine), the console says so and asks: start with a new
 * replica (pulled again from the hub; actions not yet sent are lost) or quit.
 *
 * Everything here takes its Electron and file-system parts as parameters, so tests
 * drive every branch with fakes.
 */

export const KEY_FILE = 'replica.key';

/** What resolveReplicaKey needs of Electron's safeStorage. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only */
  getSelectedStorageBackend?(): string;
}

/** Linux backends that are no keychain at all. */
const NO_KEYCHAIN_BACKENDS: ReadonlySet<string> = new Set(['basic_text', 'unknown']);

/** The keychain's name when it protects a key, else null (and why, for the log). */
export function keychain(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): { backend: string; usable: boolean } {
  const available = safeStorage.isEncryptionAvailable();
  const backend =
    platform === 'linux' && safeStorage.getSelectedStorageBackend
      ? safeStorage.getSelectedStorageBackend()
      : platform === 'win32'
        ? 'dpapi'
        : platform === 'darwin'
          ? 'keychain'
          : 'unknown';
  return { backend: available ? backend : 'unavailable', usable: available && !NO_KEYCHAIN_BACKENDS.has(backend) };
}

const KeyFile = z.discriminatedUnion('mode', [
  z.object({
    version: z.literal(1),
    mode: z.literal('safeStorage'),
    backend: z.string(),
    /** base64 of safeStorage.encryptString(hex key) */
    key: z.string().min(1),
  }),
  z.object({
    version: z.literal(1),
    mode: z.literal('unencrypted'),
    /** the keychain state the operator accepted (e.g. "basic_text", "unavailable") */
    backend: z.string(),
    acceptedAt: z.string(),
  }),
]);
export type KeyFile = z.infer<typeof KeyFile>;

export type KeyQuestion = 'no-keychain' | 'locked';
export type KeyAnswer = 'continue' | 'fresh' | 'quit';

export interface KeyStoreIo {
  /** the key file's text, or null when there is none */
  readKeyFile(): string | null;
  writeKeyFile(text: string): void;
  replicaExists(): boolean;
  /** deletes replica.sqlite and its -wal/-shm (the operator chose a new replica) */
  removeReplica(): void;
  /** encrypts the existing plain replica with the key (db.ts encryptInPlace) */
  encryptReplica(key: Buffer): void;
}

export interface ResolveKeyDeps {
  safeStorage: SafeStorageLike;
  platform: NodeJS.Platform;
  io: KeyStoreIo;
  randomBytes(size: number): Buffer;
  /** shows the question to the operator (a native dialog in the shell) */
  ask(question: KeyQuestion): Promise<KeyAnswer>;
  log(message: string): void;
  now?: () => Date;
}

export type KeyDecision =
  { kind: 'encrypted'; key: Buffer; backend: string } | { kind: 'unencrypted'; backend: string } | { kind: 'quit' };

const HEX_KEY = /^[0-9a-f]{64}$/;

function parseKeyFile(text: string | null): KeyFile | 'malformed' | null {
  if (text === null) return null;
  try {
    const parsed = KeyFile.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : 'malformed';
  } catch {
    return 'malformed';
  }
}

async function newKey(deps: ResolveKeyDeps, backend: string): Promise<KeyDecision> {
  const key = deps.randomBytes(32);
  // A replica that exists here should be plain (no key file, or an accepted unencrypted one): keep its rows.
  if (deps.io.replicaExists()) {
    try {
      deps.io.encryptReplica(key);
    } catch (err) {
      // Encrypted with a key that is gone (its key file deleted): nothing can read it.
      if ((err as { code?: unknown }).code === 'REPLICA_LOCKED')
        return locked(deps, true, backend, 'its key file is missing');
      throw err;
    }
    deps.log('the existing replica was encrypted in place');
  }
  const sealed = deps.safeStorage.encryptString(key.toString('hex'));
  const file: KeyFile = { version: 1, mode: 'safeStorage', backend, key: sealed.toString('base64') };
  deps.io.writeKeyFile(`${JSON.stringify(file, null, 2)}\n`);
  deps.log(`replica key created and sealed with ${backend}`);
  return { kind: 'encrypted', key, backend };
}

async function withoutKeychain(deps: ResolveKeyDeps, backend: string): Promise<KeyDecision> {
  deps.log(`no OS keychain (${backend}): asking the operator`);
  const answer = await deps.ask('no-keychain');
  if (answer !== 'continue') return { kind: 'quit' };
  const file: KeyFile = {
    version: 1,
    mode: 'unencrypted',
    backend,
    acceptedAt: (deps.now?.() ?? new Date()).toISOString(),
  };
  deps.io.writeKeyFile(`${JSON.stringify(file, null, 2)}\n`);
  deps.log('the operator chose to continue with an UNENCRYPTED replica');
  return { kind: 'unencrypted', backend };
}

async function locked(deps: ResolveKeyDeps, usable: boolean, backend: string, why: string): Promise<KeyDecision> {
  deps.log(`replica key cannot be unlocked (${why}): asking the operator`);
  const answer = await deps.ask('locked');
  if (answer !== 'fresh') return { kind: 'quit' };
  deps.io.removeReplica();
  deps.log('the operator chose a new replica; the old one was deleted');
  return usable ? newKey(deps, backend) : withoutKeychain(deps, backend);
}

/** Decides how the replica is opened this run (see the policy above and docs/security.md). */
export async function resolveReplicaKey(deps: ResolveKeyDeps): Promise<KeyDecision> {
  const { usable, backend } = keychain(deps.safeStorage, deps.platform);
  const file = parseKeyFile(deps.io.readKeyFile());

  if (file === 'malformed') {
    // A replica without a readable key cannot be opened; one without a replica is simply new.
    if (deps.io.replicaExists()) return locked(deps, usable, backend, 'the key file is damaged');
    return usable ? newKey(deps, backend) : withoutKeychain(deps, backend);
  }
  if (file === null) return usable ? newKey(deps, backend) : withoutKeychain(deps, backend);

  if (file.mode === 'safeStorage') {
    if (!usable) return locked(deps, usable, backend, `the keychain is ${backend}`);
    let hex: string;
    try {
      hex = deps.safeStorage.decryptString(Buffer.from(file.key, 'base64'));
    } catch {
      return locked(deps, usable, backend, 'the keychain refused to decrypt it');
    }
    if (!HEX_KEY.test(hex)) return locked(deps, usable, backend, 'the decrypted key is not a key');
    return { kind: 'encrypted', key: Buffer.from(hex, 'hex'), backend };
  }

  // mode 'unencrypted': the operator accepted it for a keychain state.
  if (usable) return newKey(deps, backend); // a keychain appeared: encrypt now
  if (file.backend === backend) {
    deps.log(`replica is NOT encrypted at rest (accepted for ${backend} on ${file.acceptedAt})`);
    return { kind: 'unencrypted', backend };
  }
  return withoutKeychain(deps, backend);
}
