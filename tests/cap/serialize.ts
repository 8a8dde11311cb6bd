import type { CapAlert, CapArea, CapInfo } from '../../shared/domain/cap';

/** Test-only: CapAlert → CAP 1.2 XML in schema order, for round-trip properties. */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const el = (name: string, v: string | number | undefined) => (v === undefined ? '' : `<${name}>${esc(String(v))}</${name}>`);
const pair = (name: string, p: { valueName: string; value: string }) => `<${name}>${el('valueName', p.valueName)}${el('value', p.value)}</${name}>`;

function area(a: CapArea): string {
  return `<area>${el('areaDesc', a.areaDesc)}`
    + a.polygons.map((ring) => el('polygon', ring.map((p) => `${p.lat},${p.lon}`).join(' '))).join('')
    + a.circles.map((c) => el('circle', `${c.center.lat},${c.center.lon} ${c.radiusKm}`)).join('')
    + a.geocodes.map((g) => pair('geocode', g)).join('')
    + el('altitude', a.altitude) + el('ceiling', a.ceiling)
    + '</area>';
}

function info(i: CapInfo): string {
  return '<info>' + el('language', i.language)
    + i.category.map((c) => el('category', c)).join('')
    + el('event', i.event)
    + i.responseType.map((r) => el('responseType', r)).join('')
    + el('urgency', i.urgency) + el('severity', i.severity) + el('certainty', i.certainty)
    + el('audience', i.audience)
    + i.eventCode.map((p) => pair('eventCode', p)).join('')
    + el('effective', i.effective) + el('onset', i.onset) + el('expires', i.expires)
    + el('senderName', i.senderName) + el('headline', i.headline) + el('description', i.description)
    + el('instruction', i.instruction) + el('web', i.web) + el('contact', i.contact)
    + i.parameter.map((p) => pair('parameter', p)).join('')
    + i.resources.map((r) => '<resource>' + el('resourceDesc', r.resourceDesc) + el('mimeType', r.mimeType) + el('size', r.size)
      + el('uri', r.uri) + (r.hasDerefUri ? el('derefUri', 'V2F0Y2hmbG9vcg==') : '') + el('digest', r.digest) + '</resource>').join('')
    + i.areas.map(area).join('')
    + '</info>';
}

export function serializeCapAlert(a: CapAlert, options: { prefix?: string } = {}): string {
  const p = options.prefix;
  let xml = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">'
    + el('identifier', a.identifier) + el('sender', a.sender) + el('sent', a.sent) + el('status', a.status) + el('msgType', a.msgType)
    + el('source', a.source) + el('scope', a.scope) + el('restriction', a.restriction) + el('addresses', a.addresses)
    + a.code.map((c) => el('code', c)).join('') + el('note', a.note)
    + (a.references.length > 0 ? el('references', a.references.map((r) => `${r.sender},${r.identifier},${r.sent}`).join(' ')) : '')
    + el('incidents', a.incidents)
    + a.infos.map(info).join('')
    + '</alert>';
  if (p) {
    // Same document with a prefixed namespace, as BoM writes it.
    xml = xml.replace(/<(\/?)([A-Za-z]+)/g, `<$1${p}:$2`).replace(` xmlns=`, ` xmlns:${p}=`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xml}`;
}
