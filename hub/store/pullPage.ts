import type { Database as Db, Statement } from 'better-sqlite3';

/**
 * Pull pages as bytes (decision 0040). A page of 5 000 alerts is ~11 MB of JSON: parsing every
 * stored payload into objects and stringifying them again for Socket.IO cost the hub ~125 µs per
 * entry, more than the console's whole budget at the catch-up target. The rows already hold
 * JSON text (written by HubStore.append from a checked HubEvent), so SQLite concatenates the
 * page itself and hands it over as one blob: `[{"seq":…,"type":…,"at":…,"mutationId":…,"payload":…},…]`,
 * the same text JSON.stringify gives for HubStore.read's entries.
 */
export interface PullPage {
  /** the JSON array of the entries, ASCII (see asciiJson) */
  page: Buffer;
  count: number;
}

export class PullPages {
  private readonly stmt: Statement<[number, number], { n: number; page: Buffer | null }>;

  constructor(db: Db) {
    // group_concat(… ORDER BY seq) (SQLite ≥ 3.44): the order does not depend on the plan.
    this.stmt = db.prepare(`SELECT count(*) AS n,
        CAST('[' || coalesce(group_concat(
          '{"seq":' || seq || ',"type":' || json_quote(type) || ',"at":' || json_quote(at) ||
          ',"mutationId":' || json_quote(mutation_id) || ',"payload":' || payload || '}', ',' ORDER BY seq), '') || ']' AS BLOB) AS page
      FROM (SELECT seq, type, at, mutation_id, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?)`);
  }

  /** Entries with seq > after, oldest first, at most `limit`, as one JSON text. */
  read(after: number, limit: number): PullPage {
    const row = this.stmt.get(after, limit)!;
    return { page: asciiJson(row.page ?? Buffer.from('[]')), count: row.n };
  }
}

const HEX = '0123456789abcdef';
const escape = (unit: number): string =>
  `\\u${HEX[(unit >> 12) & 15]}${HEX[(unit >> 8) & 15]}${HEX[(unit >> 4) & 15]}${HEX[unit & 15]}`;

/**
 * The same JSON with every character above U+007F written as a \uXXXX escape (two, a surrogate
 * pair, above U+FFFF). Outside strings valid JSON has no such character, inside a string the
 * escape means the same character: JSON.parse gives equal values. The console can then decode
 * the page as a one-byte string: the UTF-8 decode of the alerts' few µ and ε made the whole
 * 11 MB page a two-byte string and cost it about as much as JSON.parse. Pages without such a
 * character (most) come back as they are.
 */
export function asciiJson(utf8: Buffer): Buffer {
  let i = 0;
  while (i < utf8.length && utf8[i]! < 0x80) i++;
  if (i === utf8.length) return utf8;
  const parts: Buffer[] = [];
  let from = 0;
  for (; i < utf8.length; i++) {
    const b = utf8[i]!;
    if (b < 0x80) continue;
    let code: number;
    let length: number;
    if (b >= 0xf0) {
      code = ((b & 0x07) << 18) | ((utf8[i + 1]! & 0x3f) << 12) | ((utf8[i + 2]! & 0x3f) << 6) | (utf8[i + 3]! & 0x3f);
      length = 4;
    } else if (b >= 0xe0) {
      code = ((b & 0x0f) << 12) | ((utf8[i + 1]! & 0x3f) << 6) | (utf8[i + 2]! & 0x3f);
      length = 3;
    } else {
      code = ((b & 0x1f) << 6) | (utf8[i + 1]! & 0x3f);
      length = 2;
    }
    parts.push(utf8.subarray(from, i));
    const text =
      code >= 0x10000
        ? escape(0xd800 + ((code - 0x10000) >> 10)) + escape(0xdc00 + ((code - 0x10000) & 0x3ff))
        : escape(code);
    parts.push(Buffer.from(text, 'latin1'));
    i += length - 1;
    from = i + 1;
  }
  parts.push(utf8.subarray(from));
  return Buffer.concat(parts);
}
