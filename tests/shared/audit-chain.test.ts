import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS, sealChain, utf8, verifyChain, type Sha256 } from '../../shared/audit/chain';

const sha256: Sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Activity-log-shaped entries with gap-free seqs, CJK and quotes in the text. */
const text = fc.oneof(fc.string({ minLength: 1 }), fc.constantFrom('消防车已到达现场', 'He said "go", then left\r\n'));
const content = fc.record({
  id: fc.uuid(),
  incidentId: fc.option(fc.uuid()),
  at: fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4e12) }).map((d) => d.toISOString()),
  author: fc.string({ minLength: 1 }),
  text,
  kind: fc.constantFrom('auto', 'manual'),
  operationalPeriod: fc.option(fc.integer({ min: 1, max: 9 })),
});
const chain = fc.array(content, { minLength: 1, maxLength: 30 }).map((cs) =>
  sealChain(
    sha256,
    cs.map((c, i) => ({ seq: i + 1, ...c })),
  ),
);
const headOf = (entries: readonly { chainHash: string }[]) => entries.at(-1)?.chainHash ?? GENESIS;

describe('canonical form', () => {
  it('sorts keys, drops whitespace and undefined, keeps array order', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: null, c: '雨' }, u: undefined })).toBe(
      '{"a":{"c":"雨","d":null},"b":[2,1]}',
    );
  });
  it('encodes UTF-8 as the platform does, astral and CJK included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(Buffer.from(utf8(s)).equals(Buffer.from(s, 'utf8'))).toBe(true);
      }),
    );
  });
  it('is independent of key order', () => {
    expect(entryHash(sha256, { seq: 1, a: 1, b: '2' })).toBe(entryHash(sha256, { b: '2', a: 1, seq: 1 }));
  });
});

describe('verifyChain', () => {
  it('an untouched chain verifies, with its head', () => {
    fc.assert(
      fc.property(chain, (entries) => {
        expect(verifyChain(sha256, entries, { head: headOf(entries) })).toEqual({
          ok: true,
          entries: entries.length,
          head: headOf(entries),
        });
      }),
    );
  });

  it('finds any single edited field, chain fields included', () => {
    fc.assert(
      fc.property(chain, fc.nat(), fc.nat(), fc.string({ minLength: 1 }), (entries, i, k, value) => {
        const index = i % entries.length;
        const target = { ...entries[index]! } as Record<string, unknown>;
        const keys = Object.keys(target);
        const key = keys[k % keys.length]!;
        const next = key === 'seq' ? (target[key] as number) + 1 + (k % 5) : `${String(target[key])}${value}`;
        target[key] = next;
        const edited = entries.map((e, j) => (j === index ? target : e));
        const result = verifyChain(sha256, edited, { head: headOf(entries) });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.firstBad.index).toBe(index);
      }),
    );
  });

  it('finds any single removed entry', () => {
    fc.assert(
      fc.property(chain, fc.nat(), (entries, i) => {
        const index = i % entries.length;
        const cut = entries.filter((_, j) => j !== index);
        const result = verifyChain(sha256, cut, { head: headOf(entries) });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.firstBad.index).toBe(index);
      }),
    );
  });

  it('finds any single inserted entry, even one sealed onto the entry before it', () => {
    fc.assert(
      fc.property(chain, fc.nat(), content, fc.boolean(), (entries, i, extra, copy) => {
        const at = i % (entries.length + 1);
        const before = at === 0 ? GENESIS : entries[at - 1]!.chainHash;
        const forged = copy
          ? entries[i % entries.length]!
          : sealChain(sha256, [{ seq: at + 1, ...extra }], { seq: at + 1, prevHash: before })[0]!;
        const grown = [...entries.slice(0, at), forged, ...entries.slice(at)];
        expect(verifyChain(sha256, grown, { head: headOf(entries) }).ok).toBe(false);
      }),
    );
  });

  it('finds any swap of two entries', () => {
    fc.assert(
      fc.property(
        chain.filter((e) => e.length >= 2),
        fc.nat(),
        fc.nat(),
        (entries, a, b) => {
          const i = a % entries.length;
          const j = (i + 1 + (b % (entries.length - 1))) % entries.length;
          const swapped = [...entries];
          [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
          const result = verifyChain(sha256, swapped, { head: headOf(entries) });
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.firstBad.index).toBe(Math.min(i, j));
        },
      ),
    );
  });

  it('a filtered run with gaps links each entry by its own prevHash and still finds an edit', () => {
    const entries = sealChain(
      sha256,
      [1, 2, 3, 4, 5].map((seq) => ({ seq, text: `entry ${seq}` })),
    );
    const picked = [entries[0]!, entries[2]!, entries[3]!];
    const start = { seq: 1, prevHash: GENESIS };
    expect(verifyChain(sha256, picked, { start, allowGaps: true })).toMatchObject({ ok: true, entries: 3 });
    expect(verifyChain(sha256, picked, { start })).toMatchObject({ ok: false, firstBad: { index: 1 } });
    const edited = [picked[0]!, { ...picked[1]!, text: 'entry three' }, picked[2]!];
    expect(verifyChain(sha256, edited, { start, allowGaps: true })).toMatchObject({
      ok: false,
      firstBad: { index: 1 },
    });
  });
});
