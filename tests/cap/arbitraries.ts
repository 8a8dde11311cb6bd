import fc from 'fast-check';
import { CapAlert, CapCategory, CapCertainty, CapMsgType, CapResponseType, CapSeverity, CapStatus, CapUrgency } from '../../shared/domain/cap';

/** fast-check generators of valid CAP 1.2 alerts (as the parser maps them), for the property tests. */

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

export const validAlert = fc
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
