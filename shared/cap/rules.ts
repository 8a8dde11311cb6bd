import type { CapReference } from '../domain/cap';
import type { LatLon } from '../domain/geo';

/**
 * Value rules of CAP §3 that the OASIS schema does not express (or expresses only as
 * xs:string). Pure functions on strings; the alert mapper turns their failures into issues.
 */

/** identifier, sender, and the parts of a references triple: no whitespace, comma, `<` or `&` (§3.2.1). */
export const CAP_TOKEN = /^[^\s,<&]+$/;

/** §3.3.2 dateTime: offset required, no fractional seconds, no `Z`. */
const CAP_DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([-+])(\d\d):(\d\d)$/;

export type DateTimeCheck = { ok: true; epochMs: number } | { ok: false; reason: string };

export function checkCapDateTime(value: string): DateTimeCheck {
  const m = CAP_DATE_TIME.exec(value);
  if (!m) {
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value)) return { ok: false, reason: 'uses "Z"; CAP requires a numeric offset such as -00:00' };
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+/.test(value)) return { ok: false, reason: 'has fractional seconds, which CAP does not allow' };
    if (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(value)) return { ok: false, reason: 'carries no time-zone offset' };
    return { ok: false, reason: 'is not of the form YYYY-MM-DDThh:mm:ss±hh:mm' };
  }
  const [, y, mo, d, h, mi, s, sign, oh, om] = m.map(Number) as number[];
  const month = mo!, day = d!;
  const daysInMonth = new Date(Date.UTC(y!, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || h! > 23 || mi! > 59 || s! > 59) {
    return { ok: false, reason: 'is not a real calendar date and time' };
  }
  // xs:dateTime allows offsets up to ±14:00 only.
  if (om! > 59 || oh! * 60 + om! > 14 * 60) return { ok: false, reason: 'has a time-zone offset beyond ±14:00' };
  const offsetMin = (m[7] === '-' ? -1 : 1) * (oh! * 60 + om!);
  void sign;
  return { ok: true, epochMs: Date.UTC(y!, month - 1, day, h!, mi!, s!) - offsetMin * 60_000 };
}

export type ReferencesCheck = { ok: true; refs: CapReference[] } | { ok: false; reason: string };

/** §3.2.1 references: whitespace-separated `sender,identifier,sent` triples. */
export function parseReferences(value: string): ReferencesCheck {
  const tokens = value.trim().split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { ok: false, reason: 'is empty' };
  const refs: CapReference[] = [];
  for (const token of tokens) {
    const parts = token.split(',');
    if (parts.length !== 3) return { ok: false, reason: `entry "${token.slice(0, 80)}" is not a sender,identifier,sent triple` };
    const [sender, identifier, sent] = parts as [string, string, string];
    if (!CAP_TOKEN.test(sender) || !CAP_TOKEN.test(identifier)) return { ok: false, reason: `entry "${token.slice(0, 80)}" has an empty sender or identifier` };
    const dt = checkCapDateTime(sent);
    if (!dt.ok) return { ok: false, reason: `entry "${token.slice(0, 80)}": sent ${dt.reason}` };
    refs.push({ sender, identifier, sent });
  }
  return { ok: true, refs };
}

export type CoordCheck = { ok: true; point: LatLon } | { ok: false; reason: string; range?: boolean };

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A WGS 84 `lat,lon` pair. */
export function parsePair(pair: string): CoordCheck {
  const parts = pair.split(',');
  if (parts.length !== 2 || !NUMBER.test(parts[0]!) || !NUMBER.test(parts[1]!)) {
    return { ok: false, reason: `"${pair.slice(0, 60)}" is not a lat,lon pair` };
  }
  const lat = Number(parts[0]), lon = Number(parts[1]);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    return { ok: false, reason: `"${pair}" is out of range (latitude ±90, longitude ±180)`, range: true };
  }
  return { ok: true, point: { lat, lon } };
}

export type PolygonCheck =
  | { ok: true; ring: LatLon[] }
  | { ok: false; code: 'INVALID_POLYGON' | 'POLYGON_NOT_CLOSED' | 'INVALID_COORDINATES'; reason: string };

/** §3.3.3 polygon: ≥ 4 whitespace-separated pairs, first equals last. */
export function parsePolygon(value: string): PolygonCheck {
  const pairs = value.trim().split(/\s+/);
  const ring: LatLon[] = [];
  for (const p of pairs) {
    const c = parsePair(p);
    if (!c.ok) return { ok: false, code: c.range ? 'INVALID_COORDINATES' : 'INVALID_POLYGON', reason: c.reason };
    ring.push(c.point);
  }
  if (ring.length < 4) return { ok: false, code: 'INVALID_POLYGON', reason: `has ${ring.length} points; at least 4 are required` };
  const first = ring[0]!, last = ring[ring.length - 1]!;
  if (first.lat !== last.lat || first.lon !== last.lon) {
    return { ok: false, code: 'POLYGON_NOT_CLOSED', reason: 'is not closed: the first and last points differ' };
  }
  return { ok: true, ring };
}

export type CircleCheck =
  | { ok: true; center: LatLon; radiusKm: number }
  | { ok: false; code: 'INVALID_CIRCLE' | 'INVALID_COORDINATES'; reason: string };

/** §3.3.3 circle: `lat,lon radius`, radius in km (0 = a point). */
export function parseCircle(value: string): CircleCheck {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2) return { ok: false, code: 'INVALID_CIRCLE', reason: `"${value.trim().slice(0, 60)}" is not "lat,lon radius"` };
  const c = parsePair(parts[0]!);
  if (!c.ok) return { ok: false, code: c.range ? 'INVALID_COORDINATES' : 'INVALID_CIRCLE', reason: c.reason };
  if (!/^\+?(\d+(\.\d*)?|\.\d+)$/.test(parts[1]!)) return { ok: false, code: 'INVALID_CIRCLE', reason: `radius "${parts[1]}" is not a non-negative number of kilometres` };
  const radiusKm = Number(parts[1]);
  if (radiusKm > 20_000) return { ok: false, code: 'INVALID_CIRCLE', reason: `radius ${radiusKm} km is larger than the Earth` };
  return { ok: true, center: c.point, radiusKm };
}

/** xs:language (RFC 3066 shape). */
export const LANGUAGE = /^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$/;
export const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
export const INTEGER = /^[+-]?\d+$/;
export const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

/**
 * The part of xs:anyURI that libxml2 enforces and real mistakes hit: a colon before the first
 * "/", "?" or "#" must end a valid scheme (so "2020-01-01T00:00:00+02:00" is not a URI).
 */
export function isAnyUri(value: string): boolean {
  const end = value.search(/[/?#]/);
  const head = end === -1 ? value : value.slice(0, end);
  const colon = head.indexOf(':');
  return colon === -1 || /^[A-Za-z][A-Za-z0-9+.-]*$/.test(head.slice(0, colon));
}
