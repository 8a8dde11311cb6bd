import {
  CapAlert, CapCategory, CapCertainty, CapMsgType, CapResponseType, CapScope, CapSeverity, CapStatus, CapUrgency,
  type CapArea, type CapInfo, type CapReference,
} from '../domain/cap';
import {
  BASE64, CAP_TOKEN, DECIMAL, INTEGER, LANGUAGE, checkCapDateTime, isAnyUri, parseCircle, parsePolygon, parseReferences,
} from './rules';
import { issue, type CapIssue, type CapIssueCode, type CapVerdict, type CapVersion } from './verdict';
import { elementChildren, ownText, type XmlElement } from './xml';

export const CAP_NAMESPACES: Readonly<Record<string, CapVersion>> = {
  'urn:oasis:names:tc:emergency:cap:1.2': '1.2',
  'urn:oasis:names:tc:emergency:cap:1.1': '1.1',
  'http://www.incident.com/cap/1.0': '1.0',
  // Some CAP 1.0 producers used the OASIS-style URN; the 1.0 spec names incident.com.
  'urn:oasis:names:tc:emergency:cap:1.0': '1.0',
};
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

export const capVersionOf = (el: XmlElement): CapVersion | undefined => CAP_NAMESPACES[el.ns];
export const isCapAlertElement = (el: XmlElement): boolean => el.local === 'alert' && capVersionOf(el) !== undefined;

/** `[name, min, max]` in schema order (CAP XSD `<sequence>`s). */
type Particle = readonly [string, 0 | 1, number];
const MANY = Number.POSITIVE_INFINITY;

const ALERT_SEQ: Record<CapVersion, readonly Particle[]> = {
  '1.0': [['identifier', 1, 1], ['sender', 1, 1], ['sent', 1, 1], ['status', 1, 1], ['msgType', 1, 1], ['password', 0, 1], ['source', 0, 1], ['scope', 1, 1], ['restriction', 0, 1], ['addresses', 0, 1], ['code', 0, MANY], ['note', 0, 1], ['references', 0, 1], ['incidents', 0, 1], ['info', 0, MANY]],
  '1.1': [['identifier', 1, 1], ['sender', 1, 1], ['sent', 1, 1], ['status', 1, 1], ['msgType', 1, 1], ['source', 0, 1], ['scope', 1, 1], ['restriction', 0, 1], ['addresses', 0, 1], ['code', 0, MANY], ['note', 0, 1], ['references', 0, 1], ['incidents', 0, 1], ['info', 0, MANY]],
  '1.2': [['identifier', 1, 1], ['sender', 1, 1], ['sent', 1, 1], ['status', 1, 1], ['msgType', 1, 1], ['source', 0, 1], ['scope', 1, 1], ['restriction', 0, 1], ['addresses', 0, 1], ['code', 0, MANY], ['note', 0, 1], ['references', 0, 1], ['incidents', 0, 1], ['info', 0, MANY]],
};
const INFO_TAIL: readonly Particle[] = [['urgency', 1, 1], ['severity', 1, 1], ['certainty', 1, 1], ['audience', 0, 1], ['eventCode', 0, MANY], ['effective', 0, 1], ['onset', 0, 1], ['expires', 0, 1], ['senderName', 0, 1], ['headline', 0, 1], ['description', 0, 1], ['instruction', 0, 1], ['web', 0, 1], ['contact', 0, 1], ['parameter', 0, MANY], ['resource', 0, MANY], ['area', 0, MANY]];
const INFO_SEQ: Record<CapVersion, readonly Particle[]> = {
  '1.0': [['language', 0, 1], ['category', 1, MANY], ['event', 1, 1], ...INFO_TAIL],
  '1.1': [['language', 0, 1], ['category', 1, MANY], ['event', 1, 1], ['responseType', 0, MANY], ...INFO_TAIL],
  '1.2': [['language', 0, 1], ['category', 1, MANY], ['event', 1, 1], ['responseType', 0, MANY], ...INFO_TAIL],
};
const RESOURCE_SEQ: Record<CapVersion, readonly Particle[]> = {
  '1.0': [['resourceDesc', 1, 1], ['mimeType', 0, 1], ['size', 0, 1], ['uri', 0, 1], ['digest', 0, 1]],
  '1.1': [['resourceDesc', 1, 1], ['mimeType', 0, 1], ['size', 0, 1], ['uri', 0, 1], ['derefUri', 0, 1], ['digest', 0, 1]],
  '1.2': [['resourceDesc', 1, 1], ['mimeType', 1, 1], ['size', 0, 1], ['uri', 0, 1], ['derefUri', 0, 1], ['digest', 0, 1]],
};
const AREA_SEQ: readonly Particle[] = [['areaDesc', 1, 1], ['polygon', 0, MANY], ['circle', 0, MANY], ['geocode', 0, MANY], ['altitude', 0, 1], ['ceiling', 0, 1]];
const PAIR_SEQ: readonly Particle[] = [['valueName', 1, 1], ['value', 1, 1]];

/** Values a version's schema lacks (CAP 1.1 added Draft, CBRNE, Observed; 1.2 added Avoid, AllClear). */
const NOT_IN_VERSION: Record<CapVersion, ReadonlySet<string>> = {
  '1.0': new Set(['Draft', 'CBRNE', 'Observed', 'Avoid', 'AllClear']),
  '1.1': new Set(['Avoid', 'AllClear']),
  '1.2': new Set(),
};

function versioned<T extends string>(values: readonly T[], version: CapVersion): readonly T[] {
  const missing = NOT_IN_VERSION[version];
  return missing.size === 0 ? values : values.filter((v) => !missing.has(v));
}

/** A hostile alert can break one rule 100 000 times; the verdict lists the first hundred. */
const MAX_ISSUES = 100;

class Collector {
  readonly errors: CapIssue[] = [];
  readonly warnings: CapIssue[] = [];
  error(code: CapIssueCode, message: string) { Collector.add(this.errors, code, message); }
  warn(code: CapIssueCode, message: string) { Collector.add(this.warnings, code, message); }
  private static add(list: CapIssue[], code: CapIssueCode, message: string) {
    if (list.length < MAX_ISSUES) list.push(issue(code, message));
    else if (list.length === MAX_ISSUES) list.push(issue(code, `… and more; only the first ${MAX_ISSUES} are listed.`));
  }
}

type Children = Map<string, XmlElement[]>;

/** Check one complex element against its sequence; return its CAP children grouped by name. */
function structure(el: XmlElement, seq: readonly Particle[], path: string, c: Collector, opts: { allowSignature?: boolean } = {}): Children {
  const byName: Children = new Map();
  const order = new Map(seq.map(([n], i) => [n, i]));
  let last = -1;
  let orderReported = false;
  for (const child of elementChildren(el)) {
    if (child.ns === XMLDSIG_NS && opts.allowSignature) continue;
    if (child.ns !== el.ns) {
      c.error('UNEXPECTED_ELEMENT', `<${child.name}> (namespace "${child.ns}") is not allowed in ${path}.`);
      continue;
    }
    const i = order.get(child.local);
    if (i === undefined) {
      c.error('UNEXPECTED_ELEMENT', `<${child.local}> is not a CAP element of ${path}.`);
      continue;
    }
    if (i < last && !orderReported) {
      c.error('ELEMENT_ORDER', `<${child.local}> appears after <${seq[last]![0]}> in ${path}; CAP fixes the element order.`);
      orderReported = true;
    }
    last = Math.max(last, i);
    const list = byName.get(child.local) ?? [];
    list.push(child);
    byName.set(child.local, list);
  }
  for (const [name, min, max] of seq) {
    const n = byName.get(name)?.length ?? 0;
    if (n < min) c.error('MISSING_ELEMENT', `${path} lacks the required <${name}>.`);
    if (n > max) c.error('DUPLICATE_ELEMENT', `${path} has ${n} <${name}> elements; at most ${max} is allowed.`);
  }
  const stray = ownText(el).trim();
  if (stray) c.error('UNEXPECTED_TEXT', `${path} contains text outside its elements: "${stray.slice(0, 40)}".`);
  return byName;
}

const textOf = (el: XmlElement | undefined): string | undefined => (el === undefined ? undefined : ownText(el).trim());
const rawOf = (el: XmlElement | undefined): string | undefined => (el === undefined ? undefined : ownText(el));
const first = (ch: Children, name: string) => ch.get(name)?.[0];
const all = (ch: Children, name: string) => ch.get(name) ?? [];

/** Optional string element; an empty one counts as absent, with a warning. */
function optional(ch: Children, name: string, path: string, c: Collector): string | undefined {
  const el = first(ch, name);
  if (el === undefined) return undefined;
  const v = textOf(el)!;
  if (v === '') {
    c.warn('EMPTY_ELEMENT', `${path}/<${name}> is empty; it is treated as absent.`);
    return undefined;
  }
  return v;
}

function enumValue<T extends string>(values: readonly T[], raw: string | undefined, what: string, c: Collector): T | undefined {
  if (raw === undefined) return undefined;
  if ((values as readonly string[]).includes(raw)) return raw as T;
  if ((values as readonly string[]).includes(raw.trim())) {
    // The schema's enumerations are xs:string: surrounding whitespace is part of the value.
    c.error('INVALID_ENUM', `${what} "${raw.replace(/\s/g, ' ').slice(0, 40)}" has whitespace around "${raw.trim()}"; CAP values are exact.`);
    return undefined;
  }
  const near = values.find((v) => v.toLowerCase() === raw.toLowerCase());
  c.error('INVALID_ENUM', raw === ''
    ? `${what} is empty; it must be one of ${values.join(', ')}.`
    : `${what} "${raw.slice(0, 40)}" is not one of ${values.join(', ')}${near ? ` (values are case-sensitive: "${near}")` : ''}.`);
  return undefined;
}

function dateTime(ch: Children, name: string, path: string, c: Collector): string | undefined {
  const v = textOf(first(ch, name));
  if (v === undefined) return undefined;
  const r = checkCapDateTime(v);
  if (!r.ok) {
    c.error('INVALID_DATETIME', `${path}/<${name}> "${v.slice(0, 40)}" ${r.reason}.`);
    return undefined;
  }
  return v;
}

function namedValues(list: XmlElement[], name: string, version: CapVersion, path: string, c: Collector) {
  const out: { valueName: string; value: string }[] = [];
  for (const el of list) {
    if (version === '1.0') {
      // CAP 1.0 writes these as "valueName=value" text.
      const t = textOf(el)!;
      const eq = t.indexOf('=');
      if (eq <= 0) {
        c.error('INVALID_VALUE_PAIR', `${path}/<${name}> "${t.slice(0, 40)}" is not of the CAP 1.0 form valueName=value.`);
        continue;
      }
      out.push({ valueName: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim() });
      continue;
    }
    const ch = structure(el, PAIR_SEQ, `${path}/<${name}>`, c);
    const valueName = textOf(first(ch, 'valueName'));
    const value = textOf(first(ch, 'value'));
    if (valueName === undefined || value === undefined) continue;
    if (valueName === '') c.warn('EMPTY_VALUE', `${path}/<${name}> has an empty valueName.`);
    if (value === '') c.warn('EMPTY_VALUE', `${path}/<${name}> "${valueName.slice(0, 40)}" has an empty value.`);
    out.push({ valueName, value });
  }
  return out;
}

function decimal(ch: Children, name: string, path: string, c: Collector): number | undefined {
  const v = textOf(first(ch, name));
  if (v === undefined) return undefined;
  if (!DECIMAL.test(v)) {
    c.error('INVALID_NUMBER', `${path}/<${name}> "${v.slice(0, 40)}" is not a decimal number.`);
    return undefined;
  }
  return Number(v);
}

function mapArea(el: XmlElement, version: CapVersion, path: string, c: Collector): CapArea {
  const ch = structure(el, AREA_SEQ, path, c);
  const polygons: CapArea['polygons'] = [];
  all(ch, 'polygon').forEach((p, i) => {
    const v = textOf(p)!;
    if (v === '') {
      c.warn('EMPTY_POLYGON', `${path}/<polygon>[${i + 1}] is empty; it is ignored (legacy NWS feeds send this).`);
      return;
    }
    const r = parsePolygon(v);
    if (r.ok) polygons.push(r.ring);
    else c.error(r.code, `${path}/<polygon>[${i + 1}] ${r.reason}.`);
  });
  const circles: CapArea['circles'] = [];
  all(ch, 'circle').forEach((p, i) => {
    const r = parseCircle(textOf(p)!);
    if (r.ok) circles.push({ center: r.center, radiusKm: r.radiusKm });
    else c.error(r.code, `${path}/<circle>[${i + 1}] ${r.reason}.`);
  });
  const altitude = decimal(ch, 'altitude', path, c);
  const ceiling = decimal(ch, 'ceiling', path, c);
  if (ceiling !== undefined && altitude === undefined) c.error('INVALID_ALTITUDE_CEILING', `${path} has <ceiling> without <altitude>.`);
  if (ceiling !== undefined && altitude !== undefined && ceiling < altitude) c.error('INVALID_ALTITUDE_CEILING', `${path} has <ceiling> ${ceiling} below <altitude> ${altitude}.`);
  const area: CapArea = {
    areaDesc: textOf(first(ch, 'areaDesc')) ?? '',
    polygons,
    circles,
    geocodes: namedValues(all(ch, 'geocode'), 'geocode', version, path, c),
  };
  if (altitude !== undefined) area.altitude = altitude;
  if (ceiling !== undefined) area.ceiling = ceiling;
  return area;
}

function mapInfo(el: XmlElement, version: CapVersion, path: string, c: Collector): CapInfo | undefined {
  const ch = structure(el, INFO_SEQ[version], path, c);
  const language = textOf(first(ch, 'language')) ?? 'en-US';
  if (!LANGUAGE.test(language)) c.error('INVALID_LANGUAGE', `${path}/<language> "${language.slice(0, 40)}" is not a language tag such as en-US.`);
  const category = all(ch, 'category')
    .map((e) => enumValue(versioned(CapCategory.options, version), rawOf(e), `${path}/<category>`, c))
    .filter((v): v is NonNullable<typeof v> => v !== undefined);
  const responseType = all(ch, 'responseType')
    .map((e) => enumValue(versioned(CapResponseType.options, version), rawOf(e), `${path}/<responseType>`, c))
    .filter((v): v is NonNullable<typeof v> => v !== undefined);
  const urgency = enumValue(CapUrgency.options, rawOf(first(ch, 'urgency')), `${path}/<urgency>`, c);
  const severity = enumValue(CapSeverity.options, rawOf(first(ch, 'severity')), `${path}/<severity>`, c);
  let certaintyRaw = rawOf(first(ch, 'certainty'));
  if (certaintyRaw === 'Very Likely' && version !== '1.2') {
    c.warn('CERTAINTY_VERY_LIKELY_DEPRECATED', `${path}/<certainty> "Very Likely" (CAP ${version}) is read as "Likely", its CAP 1.2 equivalent.`);
    certaintyRaw = 'Likely';
  }
  const certainty = enumValue(versioned(CapCertainty.options, version), certaintyRaw, `${path}/<certainty>`, c);

  const resources: CapInfo['resources'] = all(ch, 'resource').map((r, i) => {
    const rp = `${path}/<resource>[${i + 1}]`;
    const rc = structure(r, RESOURCE_SEQ[version], rp, c);
    const res: CapInfo['resources'][number] = {
      resourceDesc: textOf(first(rc, 'resourceDesc')) ?? '',
      mimeType: textOf(first(rc, 'mimeType')) ?? '',
    };
    const size = textOf(first(rc, 'size'));
    if (size !== undefined) {
      if (INTEGER.test(size) && Number(size) >= 0) res.size = Number(size);
      else c.error('INVALID_RESOURCE_SIZE', `${rp}/<size> "${size.slice(0, 40)}" is not a non-negative whole number of bytes.`);
    }
    const uri = optional(rc, 'uri', rp, c);
    if (uri !== undefined) {
      if (isAnyUri(uri)) res.uri = uri;
      else c.error('INVALID_URI', `${rp}/<uri> "${uri.slice(0, 60)}" is not a URI.`);
    }
    const deref = first(rc, 'derefUri');
    if (deref !== undefined) {
      if (!BASE64.test(ownText(deref))) c.error('INVALID_DEREF_URI', `${rp}/<derefUri> is not base64 data.`);
      res.hasDerefUri = true;
    }
    const digest = optional(rc, 'digest', rp, c);
    if (digest !== undefined) res.digest = digest;
    return res;
  });

  const areas = all(ch, 'area').map((a, i) => mapArea(a, version, `${path}/<area>[${i + 1}]`, c));
  if (urgency === undefined || severity === undefined || certainty === undefined) return undefined;
  const info: CapInfo = {
    language,
    category,
    event: textOf(first(ch, 'event')) ?? '',
    responseType,
    urgency,
    severity,
    certainty,
    eventCode: namedValues(all(ch, 'eventCode'), 'eventCode', version, path, c),
    parameter: namedValues(all(ch, 'parameter'), 'parameter', version, path, c),
    resources,
    areas,
  };
  for (const name of ['audience', 'senderName', 'headline', 'description', 'instruction', 'web', 'contact'] as const) {
    const v = optional(ch, name, path, c);
    if (v === undefined) continue;
    if (name === 'web' && !isAnyUri(v)) c.error('INVALID_URI', `${path}/<web> "${v.slice(0, 60)}" is not a URI.`);
    else info[name] = v;
  }
  for (const name of ['effective', 'onset', 'expires'] as const) {
    const v = dateTime(ch, name, path, c);
    if (v !== undefined) info[name] = v;
  }
  return info;
}

/**
 * Map one CAP `<alert>` element (any version) onto the CapAlert model, applying the
 * structural rules of the version's schema and the prose rules of CAP §3.
 * Never throws: a malformed alert yields `accepted: false` with errors.
 */
export function mapCapAlertElement(el: XmlElement): CapVerdict {
  const c = new Collector();
  const version = capVersionOf(el);
  if (version === undefined || el.local !== 'alert') {
    c.error('CAP_NAMESPACE_UNKNOWN', `<${el.name}> in namespace "${el.ns}" is not a CAP 1.0, 1.1 or 1.2 alert.`);
    return { accepted: false, version: null, errors: c.errors, warnings: c.warnings };
  }
  const path = '<alert>';
  const ch = structure(el, ALERT_SEQ[version], path, c, { allowSignature: true });

  const signatures = elementChildren(el).filter((e) => e.ns === XMLDSIG_NS);
  if (signatures.length > 0) {
    c.warn('SIGNATURE_NOT_VERIFIED', `The alert carries ${signatures.length} XML-DSig <Signature> element(s); they are kept but not verified.`);
    if (version !== '1.2') c.warn('SIGNATURE_OUTSIDE_SCHEMA', `The OASIS CAP ${version} schema does not allow <Signature>; accepted as CAP 1.2 does.`);
  }

  const identifier = rawOf(first(ch, 'identifier'));
  if (identifier !== undefined && !CAP_TOKEN.test(identifier)) {
    c.error('INVALID_IDENTIFIER', `<identifier> "${identifier.slice(0, 60)}" is empty or contains a space, comma, "<" or "&".`);
  }
  const sender = rawOf(first(ch, 'sender'));
  if (sender !== undefined && !CAP_TOKEN.test(sender)) {
    c.error('INVALID_SENDER', `<sender> "${sender.slice(0, 60)}" is empty or contains a space, comma, "<" or "&".`);
  }
  const sent = dateTime(ch, 'sent', path, c);
  const status = enumValue(versioned(CapStatus.options, version), rawOf(first(ch, 'status')), '<status>', c);
  const msgType = enumValue(CapMsgType.options, rawOf(first(ch, 'msgType')), '<msgType>', c);
  const scope = enumValue(CapScope.options, rawOf(first(ch, 'scope')), '<scope>', c);
  if (version === '1.0' && first(ch, 'password') !== undefined) {
    c.warn('EMPTY_ELEMENT', 'The CAP 1.0 <password> element is ignored (it was removed in CAP 1.1).');
  }
  const restriction = optional(ch, 'restriction', path, c);
  const addresses = optional(ch, 'addresses', path, c);
  if (restriction !== undefined && scope !== undefined && scope !== 'Restricted') {
    c.error('RESTRICTION_SCOPE_MISMATCH', `<restriction> is only allowed when <scope> is Restricted (here ${scope}).`);
  }
  if (scope === 'Restricted' && restriction === undefined) c.warn('MISSING_RESTRICTION', '<scope> is Restricted but no <restriction> says who may receive it.');
  if (scope === 'Private' && addresses === undefined) c.error('MISSING_ADDRESSES', '<scope> is Private but <addresses> is missing; CAP requires the recipients.');

  let references: CapReference[] = [];
  const refEl = first(ch, 'references');
  if (refEl !== undefined) {
    const raw = textOf(refEl)!;
    if (raw === '') {
      if (msgType !== 'Update' && msgType !== 'Cancel') c.warn('EMPTY_ELEMENT', '<references> is empty; it is treated as absent.');
    } else {
      const r = parseReferences(raw);
      if (r.ok) references = r.refs;
      else c.error('INVALID_REFERENCES', `<references> ${r.reason}.`);
    }
  }
  if ((msgType === 'Update' || msgType === 'Cancel') && references.length === 0 && !c.errors.some((e) => e.code === 'INVALID_REFERENCES')) {
    c.error('MISSING_REFERENCES', `A ${msgType} must name the message(s) it ${msgType === 'Update' ? 'supersedes' : 'cancels'} in <references>.`);
  }
  if ((msgType === 'Ack' || msgType === 'Error') && references.length === 0) {
    c.warn('MISSING_REFERENCES', `An ${msgType} normally names the message(s) it answers in <references>.`);
  }
  const sentMs = sent === undefined ? undefined : checkCapDateTime(sent);
  for (const ref of references) {
    if (ref.sender === sender && ref.identifier === identifier) {
      c.error('CIRCULAR_REFERENCE', `<references> names this alert itself (${ref.sender},${ref.identifier}).`);
    }
    const refMs = checkCapDateTime(ref.sent);
    if (sentMs?.ok && refMs.ok && refMs.epochMs > sentMs.epochMs) {
      c.warn('POSTDATED_REFERENCE', `<references> names ${ref.identifier}, sent ${ref.sent}, after this alert (${sent}).`);
    }
  }

  const alertText: Partial<Record<'source' | 'note' | 'incidents', string>> = {};
  for (const name of ['source', 'note', 'incidents'] as const) {
    const v = optional(ch, name, path, c);
    if (v !== undefined) alertText[name] = v;
  }
  const code = all(ch, 'code').map((e) => textOf(e)!).filter((v) => v !== '');
  const infos = all(ch, 'info')
    .map((e, i) => mapInfo(e, version, `<info>[${i + 1}]`, c))
    .filter((v): v is CapInfo => v !== undefined);

  if (c.errors.length > 0 || identifier === undefined || sender === undefined || sent === undefined || status === undefined || msgType === undefined || scope === undefined) {
    return { accepted: false, version, errors: c.errors, warnings: c.warnings };
  }
  const candidate: CapAlert = { version, identifier, sender, sent, status, msgType, scope, code, references, infos, ...alertText };
  if (restriction !== undefined) candidate.restriction = restriction;
  if (addresses !== undefined) candidate.addresses = addresses;
  const parsed = CapAlert.safeParse(candidate);
  if (!parsed.success) {
    for (const e of parsed.error.issues.slice(0, 10)) {
      c.error('MODEL_CONSTRAINT', `${e.path.join('.')}: ${e.message} (limit of the console's alert model).`);
    }
    return { accepted: false, version, errors: c.errors, warnings: c.warnings };
  }
  return { accepted: true, version, alert: parsed.data, errors: c.errors, warnings: c.warnings };
}
