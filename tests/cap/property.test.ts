import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CapAlert, CapCategory, CapCertainty, CapMsgType, CapResponseType, CapSeverity, CapStatus, CapUrgency,
} from '../../shared/domain/cap';
import { parseCapBytes, parseCapDocument } from '../../shared/cap/index';
import { createCapXsdValidator, validateCapDocument } from '../../hub/intake/xsd';
import { serializeCapAlert } from './serialize';

const enc = (s: string) => new TextEncoder().encode(s);

// ---- generators of valid CAP 1.2 alerts -----------------------------------------------------

const token = fc.stringMatching(/^[A-Za-z0-9._@:/-]{1,24}$/);
/** Free text with XML-special and non-ASCII characters; trimmed and non-empty (empty elements read as absent). */
const text = fc
  .string({ unit: fc.constantFrom(...'abcXYZ 019<>&"\'é中—\n'.split('')), minLength: 1, maxLength: 30 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);
const two = (n: number) => String(n).padStart(2, '0');
const dateTime = fc
  .record({
    y: fc.integer({ min: 1990, max: 2090 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }),
    h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }),
    sign: fc.constantFrom('+', '-'),
    // xs:dateTime offsets stop at ±14:00 (an earlier generator that went to +14:45 found the rule missing).
    offset: fc.oneof(fc.record({ oh: fc.integer({ min: 0, max: 13 }), om: fc.constantFrom(0, 30, 45) }), fc.constant({ oh: 14, om: 0 })),
  })
  .map((t) => `${t.y}-${two(t.mo)}-${two(t.d)}T${two(t.h)}:${two(t.mi)}:${two(t.s)}${t.sign}${two(t.offset.oh)}:${two(t.offset.om)}`);
const coord = (max: number) => fc.integer({ min: -max * 1000, max: max * 1000 }).map((n) => n / 1000);
const latLon = fc.record({ lat: coord(90), lon: coord(180) });
const ring = fc.array(latLon, { minLength: 3, maxLength: 6 }).map((pts) => [...pts, pts[0]!]);
const named = fc.record({ valueName: text, value: text });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const altitudes = fc.option(
  fc.tuple(fc.integer({ min: -500, max: 30_000 }), fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined })),
  { nil: undefined },
);
const area = fc
  .record({
    areaDesc: text,
    polygons: fc.array(ring, { maxLength: 2 }),
    circles: fc.array(fc.record({ center: latLon, radiusKm: fc.integer({ min: 0, max: 500_000 }).map((n) => n / 100) }), { maxLength: 2 }),
    geocodes: fc.array(named, { maxLength: 2 }),
    alt: altitudes,
  })
  .map(({ alt, ...a }) => ({ ...a, ...(alt ? { altitude: alt[0], ...(alt[1] !== undefined ? { ceiling: alt[0] + alt[1] } : {}) } : {}) }));

const resource = fc.record({
  resourceDesc: text, mimeType: fc.constantFrom('image/jpeg', 'text/html', 'audio/x-ipaws-audio-mp3'),
  size: opt(fc.integer({ min: 0, max: 1e9 })), uri: opt(fc.constant('https://example.org/r/1')),
  hasDerefUri: opt(fc.constant(true)), digest: opt(fc.constant('da39a3ee5e6b4b0d3255bfef95601890afd80709')),
});

const info = fc.record({
  language: fc.constantFrom('en-US', 'fr-CA', 'es-US', 'is-IS'),
  category: fc.array(fc.constantFrom(...CapCategory.options), { minLength: 1, maxLength: 3 }),
  event: text,
  responseType: fc.array(fc.constantFrom(...CapResponseType.options), { maxLength: 2 }),
  urgency: fc.constantFrom(...CapUrgency.options),
  severity: fc.constantFrom(...CapSeverity.options),
  certainty: fc.constantFrom(...CapCertainty.options),
  audience: opt(text), eventCode: fc.array(named, { maxLength: 2 }),
  effective: opt(dateTime), onset: opt(dateTime), expires: opt(dateTime),
  senderName: opt(text), headline: opt(text), description: opt(text), instruction: opt(text),
  web: opt(fc.constant('https://example.org/alert')), contact: opt(text),
  parameter: fc.array(named, { maxLength: 3 }),
  resources: fc.array(resource, { maxLength: 2 }),
  areas: fc.array(area, { maxLength: 2 }),
});

const reference = fc.record({ sender: token, identifier: token.map((t) => `ref-${t}`), sent: dateTime });

const validAlert = fc
  .record({
    identifier: token, sender: token, sent: dateTime,
    status: fc.constantFrom(...CapStatus.options), msgType: fc.constantFrom(...CapMsgType.options),
    source: opt(text), scope: fc.constantFrom('Public', 'Restricted', 'Private'),
    restriction: text, addresses: text,
    code: fc.array(text, { maxLength: 2 }), note: opt(text),
    references: fc.array(reference, { maxLength: 3 }), extraRef: reference,
    incidents: opt(text), infos: fc.array(info, { maxLength: 3 }),
  })
  .map(({ restriction, addresses, extraRef, ...a }) => {
    const refs = (a.msgType === 'Update' || a.msgType === 'Cancel') && a.references.length === 0 ? [extraRef] : a.references;
    return CapAlert.parse(JSON.parse(JSON.stringify({
      version: '1.2', ...a, references: refs,
      ...(a.scope === 'Restricted' ? { restriction } : {}),
      ...(a.scope === 'Private' ? { addresses } : {}),
    })));
  });

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
