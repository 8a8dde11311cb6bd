import { isAscii } from 'node:buffer';
import { PullPageAck } from '../../shared/protocol';
import { z } from 'zod';

/**
 * Envelopes of pull acks and live batches. Their entries stay `unknown` here: each one is
 * parsed with HubEvent by the replica before it touches the database, so one bad entry stops
 * the apply at its seq instead of discarding its whole batch.
 */
export const PullEnvelope = z.object({ events: z.array(z.unknown()), head: z.number().int().nonnegative() });
export type PullEnvelope = z.infer<typeof PullEnvelope>;

/**
 * A pull answer as the envelope the apply takes: a PullAck (an older hub, or one that ignores
 * `as: 'bytes'`) or a PullPageAck whose page is decoded here (decision 0040). Null when it is
 * neither, or the page is not a JSON array of exactly `count` entries.
 */
export function pullEnvelope(raw: unknown): PullEnvelope | null {
  const bytes = PullPageAck.safeParse(raw);
  if (bytes.success) {
    const events = decodePage(bytes.data.page);
    return events && events.length === bytes.data.count ? { events, head: bytes.data.head } : null;
  }
  const plain = PullEnvelope.safeParse(raw);
  return plain.success ? plain.data : null;
}

/**
 * The JSON array a page holds, or null. The hub sends ASCII (decision 0040): decoded as a
 * one-byte string without a UTF-8 pass; any other page is decoded as UTF-8, so a hub that
 * sends raw UTF-8 is read right too, only slower.
 */
export function decodePage(page: Uint8Array): unknown[] | null {
  const buffer = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
  const text = isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(parsed) ? (parsed as unknown[]) : null;
}
