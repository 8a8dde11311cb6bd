import type { z } from 'zod';
import { AlertSource } from './alert';
import { AssetKind, type Asset } from './asset';
import {
  CapCategory,
  CapCertainty,
  CapMsgType,
  CapResponseType,
  CapScope,
  CapSeverity,
  CapStatus,
  CapUrgency,
  type CapAlert,
} from './cap';
import { HubEvent } from './events';

/**
 * `HubEvent.safeParse` with a hand-written check in front of it for the two entry types a console
 * applies by the thousand (`alert.received`, `asset.upserted`; decision 0039).
 *
 * Why: zod's parse of a ~2.2 KB CAP alert runs hundreds of small generic closures. Warm, that is
 * ~13 µs; but a replica worker is young when it matters (the ingest figure applies 3 000 entries
 * with a fresh worker, a catch-up's first pages), and until V8 has optimised those closures the
 * parse costs 90–150 µs per alert. This check is one monomorphic walk of the same shape: a few µs
 * cold or warm.
 *
 * It accepts exactly what the schemas accept and returns exactly what zod returns (the shape's
 * keys in the shape's order, unknown keys dropped, defaults filled, an optional key given as
 * `undefined` kept as `undefined`). Anything it does not accept — and every other entry type —
 * goes to `HubEvent.safeParse`, so a rejection carries zod's own issues and message. The
 * equivalence is tested against zod over the CAP corpus, the simulator, generated alerts and
 * mutations of each (tests/shared/hub-event-check.test.ts). A change to a schema in events.ts,
 * cap.ts, asset.ts, geo.ts or AlertSource must be made here too: those tests fail until it is.
 */
export function safeParseHubEvent(raw: unknown): z.ZodSafeParseResult<HubEvent> {
  const data = checkHot(raw);
  return data !== undefined ? { success: true, data } : HubEvent.safeParse(raw);
}

/** The check alone: the parsed entry, or undefined when it is not one of the hot types or is invalid. */
export function checkHot(raw: unknown): HubEvent | undefined {
  if (!isObject(raw)) return undefined;
  const type = raw.type;
  if (type !== 'alert.received' && type !== 'asset.upserted') return undefined;
  try {
    const seq = raw.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || !(seq > 0)) return invalid();
    const at = str(raw.at);
    const m = raw.mutationId;
    const mutationId = m === null ? null : str(m);
    if (type === 'alert.received') {
      const p = obj(raw.payload);
      const payload = { alertId: str(p.alertId), cap: capAlert(p.cap), source: alertSource(p.source) };
      return { seq, at, mutationId, type, payload };
    }
    return { seq, at, mutationId, type, payload: asset(raw.payload) };
  } catch (e) {
    if (e === INVALID) return undefined;
    throw e;
  }
}

// ------------------------------------------------------------------ primitives (zod 4 semantics)

/** Thrown (never an Error: no stack is captured) at the first thing the check does not accept. */
const INVALID: unique symbol = Symbol('invalid');
const invalid = (): never => {
  throw INVALID;
};

type Obj = Record<string, unknown>;
/** zod's isObject: an object, not null, not an array. */
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObject(v) ? v : invalid());

/**
 * Code points as zod 4.6 counts them for .max/.min (util.codePointLength): a surrogate pair is
 * one, a lone surrogate is one.
 */
function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++)
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  return n;
}

/**
 * z.string() with .max(max) and .min(min). zod measures in code points, counting them only when
 * the UTF-16 length alone cannot decide (over max; at least min but under twice min).
 */
const str = (v: unknown, max = Infinity, min = 0): string => {
  if (typeof v !== 'string') return invalid();
  const units = v.length;
  if (units > max && codePoints(v) > max) return invalid();
  if (units < min || (units < 2 * min && codePoints(v) < min)) return invalid();
  return v;
};

/** z.number() (finite, not NaN) with inclusive bounds. */
const num = (v: unknown, min = -Infinity, max = Infinity): number =>
  typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? v : invalid();

const int = (v: unknown, min: number, max: number): number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max ? v : invalid();

const oneOf = <T extends string>(values: readonly T[]): ((v: unknown) => T) => {
  const set = new Set<unknown>(values);
  return (v) => (set.has(v) ? (v as T) : invalid());
};

/** z.array(item) with .min/.max on its length; holes read as undefined, as zod reads them. */
function arr<T>(v: unknown, item: (x: unknown) => T, max = Infinity, min = 0): T[] {
  if (!Array.isArray(v) || v.length > max || v.length < min) return invalid();
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) out.push(item(v[i]));
  return out;
}

/** `.default(value)`: undefined gives the default (a new array each time), anything else is checked. */
const orEmpty = <T>(v: unknown, item: (x: unknown) => T, max = Infinity, min = 0): T[] =>
  v === undefined ? [] : arr(v, item, max, min);

/**
 * `.optional()` in an object: an absent key stays absent, a key present as undefined is kept as
 * undefined (zod's object parser copies a present optional key whatever its value).
 */
function opt(out: Obj, input: Obj, key: string, check: (v: unknown) => unknown): void {
  if (!(key in input)) return;
  const v = input[key];
  out[key] = v === undefined ? undefined : check(v);
}

// ------------------------------------------------------------------ the shapes (cap.ts, geo.ts, asset.ts)

const CAP_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/;
const capDateTime = (v: unknown): string => (typeof v === 'string' && CAP_DATE_TIME.test(v) ? v : invalid());
// Each check made once, not per call: this runs per entry, mostly before V8 has optimised it.
const text = (max: number) => (v: unknown) => str(v, max);
const text200 = text(200);
const text500 = text(500);
const text1k = text(1_000);
const text2k = text(2_000);
const text4k = text(4_000);
const text10k = text(10_000);
const text20k = text(20_000);
const size = (v: unknown) => int(v, 0, Number.MAX_SAFE_INTEGER);
const bool = (v: unknown) => (typeof v === 'boolean' ? v : invalid());
const path = (v: unknown) => arr(v, latLon, 10_000);

const version = oneOf(['1.0', '1.1', '1.2'] as const);
const status = oneOf(CapStatus.options);
const msgType = oneOf(CapMsgType.options);
const scope = oneOf(CapScope.options);
const category = oneOf(CapCategory.options);
const responseType = oneOf(CapResponseType.options);
const urgency = oneOf(CapUrgency.options);
const severity = oneOf(CapSeverity.options);
const certainty = oneOf(CapCertainty.options);
const sourceKind = oneOf(AlertSource.shape.kind.options);
const assetKind = oneOf(AssetKind.options);

function latLon(v: unknown): { lat: number; lon: number } {
  const o = obj(v);
  return { lat: num(o.lat, -90, 90), lon: num(o.lon, -180, 180) };
}

function namedValue(v: unknown): { valueName: string; value: string } {
  const o = obj(v);
  return { valueName: str(o.valueName, 500), value: str(o.value, 10_000) };
}

const polygon = (v: unknown) => arr(v, latLon, 100_000, 4);

function circle(v: unknown): { center: { lat: number; lon: number }; radiusKm: number } {
  const o = obj(v);
  return { center: latLon(o.center), radiusKm: num(o.radiusKm, 0, 20_000) };
}

function area(v: unknown): CapAlert['infos'][number]['areas'][number] {
  const o = obj(v);
  const out: Obj = {
    areaDesc: str(o.areaDesc, 2_000),
    polygons: orEmpty(o.polygons, polygon, 1_000),
    circles: orEmpty(o.circles, circle, 1_000),
    geocodes: orEmpty(o.geocodes, namedValue, 10_000),
  };
  opt(out, o, 'altitude', num);
  opt(out, o, 'ceiling', num);
  return out as CapAlert['infos'][number]['areas'][number];
}

function resource(v: unknown): CapAlert['infos'][number]['resources'][number] {
  const o = obj(v);
  const out: Obj = { resourceDesc: str(o.resourceDesc, 2_000), mimeType: str(o.mimeType, 200) };
  opt(out, o, 'size', size);
  opt(out, o, 'uri', text4k);
  opt(out, o, 'hasDerefUri', bool);
  opt(out, o, 'digest', text200);
  return out as CapAlert['infos'][number]['resources'][number];
}

function info(v: unknown): CapAlert['infos'][number] {
  const o = obj(v);
  const out: Obj = {
    language: o.language === undefined ? 'en-US' : str(o.language, 35),
    category: arr(o.category, category, Infinity, 1),
    event: str(o.event, 500),
    responseType: orEmpty(o.responseType, responseType),
    urgency: urgency(o.urgency),
    severity: severity(o.severity),
    certainty: certainty(o.certainty),
  };
  opt(out, o, 'audience', text2k);
  out.eventCode = orEmpty(o.eventCode, namedValue);
  opt(out, o, 'effective', capDateTime);
  opt(out, o, 'onset', capDateTime);
  opt(out, o, 'expires', capDateTime);
  opt(out, o, 'senderName', text500);
  opt(out, o, 'headline', text1k);
  opt(out, o, 'description', text20k);
  opt(out, o, 'instruction', text20k);
  opt(out, o, 'web', text4k);
  opt(out, o, 'contact', text2k);
  out.parameter = orEmpty(o.parameter, namedValue);
  out.resources = orEmpty(o.resources, resource);
  out.areas = orEmpty(o.areas, area);
  return out as CapAlert['infos'][number];
}

function reference(v: unknown): CapAlert['references'][number] {
  const o = obj(v);
  return { sender: str(o.sender, 500), identifier: str(o.identifier, 500), sent: str(o.sent, 40) };
}

function capAlert(v: unknown): CapAlert {
  const o = obj(v);
  const out: Obj = {
    version: version(o.version),
    identifier: str(o.identifier, 500, 1),
    sender: str(o.sender, 500, 1),
    sent: capDateTime(o.sent),
    status: status(o.status),
    msgType: msgType(o.msgType),
  };
  opt(out, o, 'source', text500);
  out.scope = scope(o.scope);
  opt(out, o, 'restriction', text2k);
  opt(out, o, 'addresses', text10k);
  out.code = orEmpty(o.code, text500);
  opt(out, o, 'note', text10k);
  out.references = orEmpty(o.references, reference);
  opt(out, o, 'incidents', text2k);
  out.infos = orEmpty(o.infos, info);
  return out as CapAlert;
}

function alertSource(v: unknown): AlertSource {
  const o = obj(v);
  return { kind: sourceKind(o.kind), name: str(o.name, 500) };
}

function asset(v: unknown): Asset {
  const o = obj(v);
  const out: Obj = {
    id: str(o.id, 64, 1),
    kind: assetKind(o.kind),
    name: str(o.name, 200, 1),
    district: str(o.district, 100),
    criticality: int(o.criticality, 1, 5),
    location: latLon(o.location),
  };
  opt(out, o, 'path', path);
  return out as Asset;
}
