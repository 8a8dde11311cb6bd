import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { GENESIS, verifyChain, type VerifyResult } from '../../shared/audit/chain';
import { sha256 } from './sha256';
import { EXPORT_FORMAT } from './exportLog';

const Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** The envelope of a JSON export; entries are checked by the chain, not by a schema. */
const ExportFile = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  filter: z.object({ incidentId: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable() }),
  entries: z.array(z.record(z.string(), z.unknown())),
  chain: z.object({
    genesis: z.literal(GENESIS),
    start: z.object({ seq: z.number().int().positive(), prevHash: Hex }),
    head: Hex,
    entries: z.number().int().nonnegative(),
    contiguous: z.boolean(),
  }),
});

/**
 * Recomputes the chain of a JSON export. A whole-log export must start at seq 1 after
 * GENESIS; a time-range export is one contiguous run from its stated start; an incident
 * export skips other incidents' seqs, so only its runs of consecutive seqs are linked
 * (docs/audit.md says what each proves).
 */
export function verifyExportText(text: string): VerifyResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, entries: 0, firstBad: { index: -1, reason: 'not JSON' } };
  }
  const parsed = ExportFile.safeParse(data);
  if (!parsed.success)
    return {
      ok: false,
      entries: 0,
      firstBad: { index: -1, reason: `not a Watchfloor log export: ${parsed.error.issues[0]?.message ?? ''}` },
    };
  const { filter, entries, chain } = parsed.data;
  const whole = filter.incidentId === null && filter.from === null && filter.to === null;
  if (whole && (chain.start.seq !== 1 || chain.start.prevHash !== GENESIS))
    return bad(entries.length, 'a whole-log export must start at seq 1 after the genesis hash');
  if (filter.incidentId === null && !chain.contiguous)
    return bad(entries.length, 'an export of the whole log or a time range must be contiguous');
  if (filter.incidentId !== null && chain.contiguous)
    return bad(entries.length, 'an incident export cannot be contiguous');
  const result = verifyChain(sha256, entries, { start: chain.start, head: chain.head, allowGaps: !chain.contiguous });
  if (result.ok && chain.entries !== entries.length)
    return bad(entries.length, `the export says ${chain.entries} entries but holds ${entries.length}`);
  if (result.ok && filter.incidentId !== null) {
    const other = entries.findIndex((e) => e['incidentId'] !== filter.incidentId);
    if (other >= 0) return bad(other, `entry is not about incident ${filter.incidentId}`);
  }
  return result;

  function bad(index: number, reason: string): VerifyResult {
    return { ok: false, entries: entries.length, firstBad: { index, reason } };
  }
}

export const verifyExportFile = (file: string): VerifyResult => verifyExportText(readFileSync(file, 'utf8'));
