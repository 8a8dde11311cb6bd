import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CapAlert } from '../../shared/domain/cap';
import { parseCapBytes, parseCapDocument, parseXml, serializeElement, type XmlElement } from '../../shared/cap/index';
import { createCapXsdValidator } from '../../hub/intake/xsd';
import { validAlert } from './arbitraries';
import { serializeCapAlert } from './serialize';

const enc = (s: string) => new TextEncoder().encode(s);

// ---- properties ----------------------------------------------------------------------------

describe('CAP parser properties', () => {
  it('a valid alert round-trips through the serializer and the parser', () => {
    fc.assert(
      fc.property(validAlert, fc.constantFrom(undefined, 'cap'), (alert, prefix) => {
        const v = parseCapBytes(enc(serializeCapAlert(alert, prefix ? { prefix } : {})));
        expect(v.errors).toEqual([]);
        expect(v.accepted).toBe(true);
        expect(v.alert).toEqual(alert);
      }),
      { numRuns: 300 },
    );
  });

  it('generated alerts are also valid against the OASIS CAP 1.2 schema', async () => {
    // One libxml2 run for a batch of generated alerts (a run per alert with shrinking is too slow).
    const xsd = createCapXsdValidator();
    const alerts = fc.sample(validAlert, 60);
    const results = await xsd.validate(alerts.map((a) => serializeCapAlert(a)));
    const failures = results.flatMap((errors, i) => (errors.length > 0 ? [{ alert: serializeCapAlert(alerts[i]!), errors }] : []));
    expect(failures).toEqual([]);
  });

  it('the rules reject what the schema rejects for date-times (offset beyond ±14:00)', () => {
    const a = fc.sample(validAlert, { numRuns: 1, seed: 7 })[0]!;
    const xml = serializeCapAlert({ ...a, sent: '2020-01-01T00:00:00+14:30' });
    expect(parseCapBytes(enc(xml)).errors.map((e) => e.code)).toContain('INVALID_DATETIME');
  });

  it('the rules never accept what the OASIS schema rejects (well-formed mutations, fixed seed)', async () => {
    // Differential test: the rules must stand alone for CAP 1.0/1.1 and for callers without
    // the schema step. It found empty typed elements, whitespace in enumerations and
    // non-URIs in <web> when it was introduced.
    const values = ['', ' ', ' Actual', 'Actual ', 'actual', 'Alert', 'Met', 'x', '12', '-1', '1.5', '1e3', 'x,y', 'a b',
      '2020-01-01T00:00:00Z', '2020-01-01T00:00:00+02:00', '2020-01-01T00:00:00.5+02:00', 'en_US', '1,2 3', '\n Immediate\n',
      '38.47,-120.14 38.34,-119.95 38.52,-119.74 38.47,-120.14', 'http://example.org/a b', 'urn:x', '#frag', 'ftp:x'];
    type Mutable = { children: (XmlElement | string)[] } & XmlElement;
    const elements = (el: XmlElement, out: { parent: Mutable; i: number }[] = []) => {
      el.children.forEach((c, i) => { if (typeof c !== 'string') { out.push({ parent: el as Mutable, i }); elements(c, out); } });
      return out;
    };
    const docs = fc.sample(fc.tuple(validAlert, fc.nat(), fc.nat(), fc.nat(3)), { numRuns: 600, seed: 20261128 }).map(([alert, n, m, kind]) => {
      const root = parseXml(serializeCapAlert(alert));
      const all = elements(root);
      const { parent, i } = all[n % all.length]!;
      const target = parent.children[i] as Mutable;
      if (kind <= 1 && target.children.every((c) => typeof c === 'string')) target.children.splice(0, target.children.length, values[m % values.length]!);
      else if (kind === 2) parent.children.splice(i, 1);
      else parent.children.splice(i, 0, target);
      return serializeElement(root);
    });
    const schema = await createCapXsdValidator().validate(docs);
    const gaps = docs.flatMap((doc, i) => {
      const rules = parseCapBytes(enc(doc));
      return rules.accepted && schema[i]!.length > 0 ? [{ doc, schema: schema[i]![0]!.message }] : [];
    });
    expect(gaps).toEqual([]);
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({
      kind: fc.constant('insert' as const), at: fc.nat(),
      what: fc.oneof(
        fc.constantFrom('<', '>', '&', '&amp;', '&#0;', '&#x110000;', ']]>', '<![CDATA[', '<!--', '<!DOCTYPE x>', '<?pi?>', '</alert>', '<info>', '\u0000', '\uFFFE', 'x:y', ' xmlns:p="u"', '<p:q/>'),
        fc.string({ maxLength: 12 }),
      ),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  );

  it('random mutations never crash the parser: always a verdict', () => {
    fc.assert(
      fc.property(validAlert, fc.array(mutation, { minLength: 1, maxLength: 4 }), (alert, mutations) => {
        let xml = serializeCapAlert(alert);
        for (const m of mutations) {
          if (m.kind === 'delete') { const at = m.at % xml.length; xml = xml.slice(0, at) + xml.slice(at + m.len); }
          if (m.kind === 'insert') { const at = m.at % (xml.length + 1); xml = xml.slice(0, at) + m.what + xml.slice(at); }
          if (m.kind === 'truncate') xml = xml.slice(0, m.at % (xml.length + 1));
          if (m.kind === 'swap' && xml.length > 0) {
            const a = m.a % xml.length, b = m.b % xml.length;
            const chars = [...xml]; [chars[a], chars[b]] = [chars[b]!, chars[a]!]; xml = chars.join('');
          }
        }
        const { verdict } = parseCapDocument(enc(xml));
        expect(typeof verdict.accepted).toBe('boolean');
        for (const e of [...verdict.errors, ...verdict.entries.flatMap((x) => x.errors)]) {
          expect(typeof e.code).toBe('string');
          expect(e.message.length).toBeGreaterThan(0);
        }
        for (const e of verdict.entries) {
          if (e.accepted) expect(CapAlert.safeParse(e.alert).success).toBe(true);
          else expect(e.errors.length + verdict.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('random bytes never crash the parser', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const { verdict } = parseCapDocument(bytes);
        expect(typeof verdict.accepted).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
