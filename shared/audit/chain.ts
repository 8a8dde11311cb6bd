/**
 * The tamper-evident chain over the hub's activity log (issue 6). Std code: the SHA-256
 * function comes in as a parameter (Node passes node:crypto, a console could pass its own).
 *
 * Canonical form of a value (what gets hashed), documented in docs/audit.md:
 * - objects: keys sorted by UTF-16 code unit order (JS default sort), `"key":value` joined
 *   by `,` inside `{}`; keys whose value is `undefined` are left out;
 * - arrays: elements in order inside `[]`; strings, finite numbers, booleans and null as
 *   `JSON.stringify` writes them; no whitespace anywhere;
 * - the resulting string is encoded as UTF-8 (lone surrogates become U+FFFD).
 *
 * entryHash = sha256(canonical(entry without hash, prevHash, chainHash))
 * chainHash = sha256(prevHash + entryHash), prevHash of seq 1 = GENESIS; the head is the
 * chainHash of the newest entry. `seq` is part of the content, so removal and reorder show.
 */

/** SHA-256 of the bytes, as 64 lowercase hex digits. */
export type Sha256 = (bytes: Uint8Array) => string;

export const GENESIS = '0'.repeat(64);

/** The fields the chain adds to an entry; never part of the entry's own hash. */
export const CHAIN_FIELDS = ['hash', 'prevHash', 'chainHash'] as const;

export type ChainFields = {
  readonly hash: string;
  readonly prevHash: string;
  readonly chainHash: string;
};

/** An entry as the chain sees it: a gap-free `seq` and any other JSON content. */
export type ChainEntry = { readonly seq: number } & Readonly<Record<string, unknown>>;

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const parts: string[] = [];
      for (const key of Object.keys(obj).sort()) {
        if (obj[key] === undefined) continue;
        parts.push(`${JSON.stringify(key)}:${canonicalJson(obj[key])}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

/** UTF-8 bytes of a string (std code has no TextEncoder in its lib). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else c = 0xfffd;
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** The entry's content: everything but the chain fields. */
export function entryContent(entry: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const content: Record<string, unknown> = { ...entry };
  for (const f of CHAIN_FIELDS) delete content[f];
  return content;
}

export const entryHash = (sha256: Sha256, entry: Readonly<Record<string, unknown>>): string =>
  sha256(utf8(canonicalJson(entryContent(entry))));

export const linkHash = (sha256: Sha256, prevHash: string, hash: string): string => sha256(utf8(prevHash + hash));

/** The chain fields of `entry` when the entry before it has chain hash `prevHash` (GENESIS for seq 1). */
export function chainFields(sha256: Sha256, prevHash: string, entry: Readonly<Record<string, unknown>>): ChainFields {
  const hash = entryHash(sha256, entry);
  return { hash, prevHash, chainHash: linkHash(sha256, prevHash, hash) };
}

/** Seals entries in order, from `start` (default: the chain's beginning). */
export function sealChain<T extends ChainEntry>(
  sha256: Sha256,
  entries: readonly T[],
  start: ChainStart = { seq: 1, prevHash: GENESIS },
): (T & ChainFields)[] {
  let prev = start.prevHash;
  return entries.map((e) => {
    const f = chainFields(sha256, prev, e);
    prev = f.chainHash;
    return { ...entryContent(e), ...f } as T & ChainFields;
  });
}

/** Where a run of the chain begins: the first entry's seq and the chain hash before it. */
export interface ChainStart {
  readonly seq: number;
  readonly prevHash: string;
}

export type VerifyResult =
  | { readonly ok: true; readonly entries: number; readonly head: string }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly firstBad: { readonly index: number; readonly reason: string };
    };

export interface VerifyOptions {
  /** where the run begins; default the chain's beginning (seq 1 after GENESIS) */
  readonly start?: ChainStart;
  /** the head the export claims; a mismatch means entries were cut from or added at the end */
  readonly head?: string;
  /**
   * A filtered export (one incident) skips seqs. Then an entry after a gap is linked by its
   * own prevHash, which the export alone cannot prove; only runs of consecutive seqs are.
   */
  readonly allowGaps?: boolean;
}

/**
 * Recomputes the chain of `entries` in order. Finds the first entry that was edited
 * (hash), removed, inserted or moved (seq or prevHash), or a head that does not match.
 */
export function verifyChain(
  sha256: Sha256,
  entries: readonly object[],
  options: VerifyOptions = {},
): VerifyResult {
  const start = options.start ?? { seq: 1, prevHash: GENESIS };
  const bad = (index: number, reason: string): VerifyResult => ({
    ok: false,
    entries: entries.length,
    firstBad: { index, reason },
  });
  let prev = start.prevHash;
  let lastSeq = start.seq - 1;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Readonly<Record<string, unknown>>;
    const seq = e['seq'];
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return bad(i, 'entry has no integer seq');
    if (seq !== lastSeq + 1) {
      if (!options.allowGaps || seq <= lastSeq || i === 0)
        return bad(i, `expected seq ${lastSeq + 1}, found ${seq}: an entry was removed, inserted or moved`);
      // a gap in a filtered export: continue from the link the entry carries
      if (typeof e['prevHash'] !== 'string') return bad(i, 'entry has no prevHash');
      prev = e['prevHash'];
    }
    let hash: string;
    try {
      hash = entryHash(sha256, e);
    } catch {
      return bad(i, 'entry is not canonical JSON');
    }
    if (e['hash'] !== hash) return bad(i, `seq ${seq}: content does not match its hash (edited)`);
    if (e['prevHash'] !== prev)
      return bad(i, `seq ${seq}: prevHash does not match the entry before it (removed, inserted or moved)`);
    const link = linkHash(sha256, prev, hash);
    if (e['chainHash'] !== undefined && e['chainHash'] !== link) return bad(i, `seq ${seq}: chainHash is wrong`);
    prev = link;
    lastSeq = seq;
  }
  if (options.head !== undefined && options.head !== prev)
    return bad(entries.length, 'head does not match the last entry (entries cut from or added at the end)');
  return { ok: true, entries: entries.length, head: prev };
}
