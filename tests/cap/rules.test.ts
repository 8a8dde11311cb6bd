import { describe, expect, it } from 'vitest';
import { parseCapBytes, parseCapDocument, usgsFeedToAlerts, usgsSeverity } from '../../shared/cap/index';
import { validateCapDocument } from '../../hub/intake/xsd';

/** CAP §3 prose rules on small hand-made messages: one rule broken per case. */

const enc = (s: string) => new TextEncoder().encode(s);
const NS = 'urn:oasis:names:tc:emergency:cap:1.2';

interface Parts {
  identifier?: string; sender?: string; sent?: string; status?: string; msgType?: string; scope?: string;
  restriction?: string; addresses?: string; references?: string; area?: string; info?: string; ns?: string;
}
function alert(p: Parts = {}): string {
  const tag = (n: string, v: string | undefined) => (v === undefined ? '' : `<${n}>${v}</${n}>`);
  const info = p.info ?? `<info><category>Met</category><event>Storm</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>${p.area ? `<area><areaDesc>Here</areaDesc>${p.area}</area>` : ''}</info>`;
  return `<alert xmlns="${p.ns ?? NS}">${tag('identifier', p.identifier ?? 'ID-1')}${tag('sender', p.sender ?? 'ops@city.example')}${tag('sent', p.sent ?? '2024-05-01T10:00:00+02:00')}`
    + `${tag('status', p.status ?? 'Actual')}${tag('msgType', p.msgType ?? 'Alert')}${tag('scope', p.scope ?? 'Public')}`
    + `${tag('restriction', p.restriction)}${tag('addresses', p.addresses)}${tag('references', p.references)}${info}</alert>`;
}
const codes = (p: Parts) => {
  const v = parseCapBytes(enc(alert(p)));
  return { accepted: v.accepted, errors: v.errors.map((e) => e.code), warnings: v.warnings.map((w) => w.code) };
};
const REF = 'ops@city.example,ID-0,2024-05-01T09:00:00+02:00';

describe('CAP §3 rules', () => {
  it('accepts the baseline message', () => {
    expect(codes({})).toEqual({ accepted: true, errors: [], warnings: [] });
  });

  it('Update and Cancel need references', () => {
    expect(codes({ msgType: 'Update' }).errors).toEqual(['MISSING_REFERENCES']);
    expect(codes({ msgType: 'Cancel', references: '' }).errors).toEqual(['MISSING_REFERENCES']);
    expect(codes({ msgType: 'Cancel', references: REF }).accepted).toBe(true);
  });

  it('references are whitespace-separated sender,identifier,sent triples', () => {
    expect(codes({ msgType: 'Update', references: `${REF}\n  ${REF.replace('ID-0', 'ID-00')}` }).accepted).toBe(true);
    expect(codes({ msgType: 'Update', references: 'ops@city.example,ID-0' }).errors).toEqual(['INVALID_REFERENCES']);
    expect(codes({ msgType: 'Update', references: 'ops@city.example,ID-0,yesterday' }).errors).toEqual(['INVALID_REFERENCES']);
    expect(codes({ msgType: 'Update', references: `${REF}, ${REF}` }).errors).toEqual(['INVALID_REFERENCES']);
  });

  it('an alert may not reference itself; a postdated reference is a warning', () => {
    expect(codes({ msgType: 'Update', references: 'ops@city.example,ID-1,2024-05-01T10:00:00+02:00' }).errors).toEqual(['CIRCULAR_REFERENCE']);
    expect(codes({ msgType: 'Update', references: 'ops@city.example,ID-0,2024-05-02T10:00:00+02:00' }).warnings).toEqual(['POSTDATED_REFERENCE']);
  });

  it('identifier and sender carry no space, comma, < or &', () => {
    expect(codes({ identifier: 'INVALID, ' }).errors).toEqual(['INVALID_IDENTIFIER']);
    expect(codes({ identifier: 'a&amp;b' }).errors).toEqual(['INVALID_IDENTIFIER']);
    expect(codes({ sender: 'ops centre' }).errors).toEqual(['INVALID_SENDER']);
    expect(codes({ sender: 'a&lt;b' }).errors).toEqual(['INVALID_SENDER']);
  });

  it('date-times carry a numeric zone offset, no Z, no fractions', () => {
    expect(codes({ sent: '2024-05-01T10:00:00Z' }).errors).toEqual(['INVALID_DATETIME']);
    expect(codes({ sent: '2024-05-01T10:00:00' }).errors).toEqual(['INVALID_DATETIME']);
    expect(codes({ sent: '2024-05-01T10:00:00.5+02:00' }).errors).toEqual(['INVALID_DATETIME']);
    expect(codes({ sent: '2024-02-30T10:00:00+02:00' }).errors).toEqual(['INVALID_DATETIME']);
    expect(codes({ sent: '2024-05-01T10:00:00-00:00' }).accepted).toBe(true);
  });

  it('enumerations are case-sensitive', () => {
    const r = parseCapBytes(enc(alert({ status: 'actual' })));
    expect(r.errors.map((e) => e.code)).toEqual(['INVALID_ENUM']);
    expect(r.errors[0]!.message).toMatch(/case-sensitive: "Actual"/);
    expect(codes({ msgType: 'ALERT' }).errors).toEqual(['INVALID_ENUM']);
    expect(codes({ scope: 'public' }).errors).toEqual(['INVALID_ENUM']);
  });

  it('restriction only with Restricted scope; Private needs addresses', () => {
    expect(codes({ restriction: 'EOC staff' }).errors).toEqual(['RESTRICTION_SCOPE_MISMATCH']);
    expect(codes({ scope: 'Restricted', restriction: 'EOC staff' }).accepted).toBe(true);
    expect(codes({ scope: 'Restricted' }).warnings).toEqual(['MISSING_RESTRICTION']);
    expect(codes({ scope: 'Private' }).errors).toEqual(['MISSING_ADDRESSES']);
    expect(codes({ scope: 'Private', addresses: 'eoc@city.example' }).accepted).toBe(true);
  });

  it('polygons are closed rings of at least 4 in-range lat,lon pairs', () => {
    const ok = '<polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.47,-120.14</polygon>';
    expect(codes({ area: ok }).accepted).toBe(true);
    expect(codes({ area: '<polygon>38.47,-120.14 38.34,-119.95 38.47,-120.14</polygon>' }).errors).toEqual(['INVALID_POLYGON']);
    expect(codes({ area: '<polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89</polygon>' }).errors).toEqual(['POLYGON_NOT_CLOSED']);
    expect(codes({ area: '<polygon>98.47,-120.14 38.34,-119.95 38.52,-119.74 98.47,-120.14</polygon>' }).errors).toEqual(['INVALID_COORDINATES']);
    expect(codes({ area: '<polygon>38.47;-120.14 38.34,-119.95 38.52,-119.74 38.47;-120.14</polygon>' }).errors).toEqual(['INVALID_POLYGON']);
    expect(codes({ area: '<polygon></polygon>' })).toEqual({ accepted: true, errors: [], warnings: ['EMPTY_POLYGON'] });
  });

  it('circle is "lat,lon radius" with radius in km', () => {
    expect(codes({ area: '<circle>32.9525,-115.5527 0</circle>' }).accepted).toBe(true);
    expect(codes({ area: '<circle>32.9525,-115.5527</circle>' }).errors).toEqual(['INVALID_CIRCLE']);
    expect(codes({ area: '<circle>32.9525,-115.5527 -5</circle>' }).errors).toEqual(['INVALID_CIRCLE']);
    expect(codes({ area: '<circle>32.9525,-215.5527 5</circle>' }).errors).toEqual(['INVALID_COORDINATES']);
  });

  it('ceiling needs altitude and lies above it', () => {
    expect(codes({ area: '<altitude>100</altitude><ceiling>200</ceiling>' }).accepted).toBe(true);
    expect(codes({ area: '<ceiling>200</ceiling>' }).errors).toEqual(['INVALID_ALTITUDE_CEILING']);
    expect(codes({ area: '<altitude>300</altitude><ceiling>200</ceiling>' }).errors).toEqual(['INVALID_ALTITUDE_CEILING']);
  });

  it('checks structure: required, order, unknown elements', () => {
    const noScope = alert().replace('<scope>Public</scope>', '');
    expect(parseCapBytes(enc(noScope)).errors.map((e) => e.code)).toEqual(['MISSING_ELEMENT']);
    const swapped = alert().replace('<sender>ops@city.example</sender>', '').replace('</identifier>', '</identifier><sent>2024-05-01T10:00:00+02:00</sent><sender>ops@city.example</sender>').replace(/<sent>2024-05-01T10:00:00\+02:00<\/sent><status>/, '<status>');
    expect(parseCapBytes(enc(swapped)).errors.map((e) => e.code)).toEqual(['ELEMENT_ORDER']);
    const extra = alert().replace('<scope>', '<foo>x</foo><scope>');
    expect(parseCapBytes(enc(extra)).errors.map((e) => e.code)).toEqual(['UNEXPECTED_ELEMENT']);
  });

  it('rejects an alert in an unknown namespace, or none', () => {
    expect(codes({ ns: 'urn:oasis:names:tc:emergency:cap:9.9' }).errors).toEqual(['CAP_NAMESPACE_UNKNOWN']);
    expect(parseCapBytes(enc(alert().replace(` xmlns="${NS}"`, ''))).errors.map((e) => e.code)).toEqual(['CAP_NAMESPACE_UNKNOWN']);
  });

  it('enumerations follow the message version', () => {
    const v10 = 'http://www.incident.com/cap/1.0';
    const v11 = 'urn:oasis:names:tc:emergency:cap:1.1';
    const info = (rt: string, certainty = 'Observed') => `<info><category>Met</category><event>Storm</event>${rt}<urgency>Immediate</urgency><severity>Severe</severity><certainty>${certainty}</certainty></info>`;
    expect(codes({ ns: v10, info: info('', 'Likely') }).accepted).toBe(true);
    expect(codes({ ns: v10, info: info('', 'Likely'), status: 'Draft' }).errors).toEqual(['INVALID_ENUM']);
    expect(codes({ ns: v10 }).errors).toEqual(['INVALID_ENUM']); // Observed came with CAP 1.1
    expect(codes({ ns: v11, status: 'Draft' }).accepted).toBe(true);
    expect(codes({ ns: v11, info: info('<responseType>AllClear</responseType>') }).errors).toEqual(['INVALID_ENUM']);
    expect(codes({ info: info('<responseType>AllClear</responseType>') }).accepted).toBe(true);
    expect(codes({ ns: v10, info: info('').replace('<category>Met', '<category>CBRNE') }).errors).toEqual(['INVALID_ENUM', 'INVALID_ENUM']);
  });

  it('Very Likely is an error in CAP 1.2', () => {
    const info = '<info><category>Geo</category><event>Quake</event><urgency>Past</urgency><severity>Minor</severity><certainty>Very Likely</certainty></info>';
    expect(codes({ info }).errors).toEqual(['INVALID_ENUM']);
  });

  it('whitespace inside an enumeration is refused by the rules and by the schema', async () => {
    const v = await validateCapDocument(enc(alert().replace('<status>Actual</status>', '<status> Actual </status>')));
    expect(v.accepted).toBe(false);
    expect(v.entries[0]!.errors.map((e) => e.code)).toEqual(['INVALID_ENUM', 'XSD_INVALID']);
  });

  it('typed elements may not be empty; web must be a URI', () => {
    const info = (extra: string, head = '') => `<info>${head}<category>Met</category><event>Storm</event><urgency>Immediate</urgency><severity>Severe</severity><certainty>Observed</certainty>${extra}</info>`;
    expect(codes({ info: info('<effective></effective>') }).errors).toEqual(['INVALID_DATETIME']);
    expect(codes({ info: info('', '<language></language>') }).errors).toEqual(['INVALID_LANGUAGE']);
    expect(codes({ info: info('<web>2020-01-01T00:00:00+02:00</web>') }).errors).toEqual(['INVALID_URI']);
    expect(codes({ info: info('<web>https://example.org/alert?id=1</web>') }).accepted).toBe(true);
    expect(codes({ info: info('<headline></headline>') }).warnings).toEqual(['EMPTY_ELEMENT']);
  });

  it('CAP 1.0 and 1.1 are not schema-checked, and say so', async () => {
    const v = await validateCapDocument(enc(alert({ ns: 'urn:oasis:names:tc:emergency:cap:1.1' })));
    expect(v.accepted).toBe(true);
    expect(v.entries[0]!.version).toBe('1.1');
    expect(v.entries[0]!.warnings.map((w) => w.code)).toEqual(['XSD_NOT_APPLICABLE']);
  });

  it('parseCapBytes refuses envelopes and feeds (use parseCapDocument)', () => {
    const edxl = `<EDXLDistribution xmlns="urn:oasis:names:tc:emergency:EDXL:DE:1.0"/>`;
    expect(parseCapBytes(enc(edxl)).accepted).toBe(false);
    expect(parseCapDocument(enc(edxl)).verdict.format).toBe('edxl-de');
  });
});

describe('USGS mapping', () => {
  const feature = (props: Record<string, unknown>, coords: unknown = [-122.5, 38.1, 8.2]) => ({
    type: 'Feature', id: 'nc123', geometry: { type: 'Point', coordinates: coords },
    properties: { mag: 4.2, time: 1512342950000, updated: 1512343950000, place: '5km N of Somewhere, CA', status: 'reviewed', type: 'earthquake', tsunami: 0, ...props },
  });
  const feed = (...features: unknown[]) => ({ type: 'FeatureCollection', metadata: {}, features });

  it('severity from PAGER first, magnitude otherwise', () => {
    expect(usgsSeverity(5, 'red')).toBe('Extreme');
    expect(usgsSeverity(8, 'green')).toBe('Minor');
    expect(usgsSeverity(7.1, undefined)).toBe('Severe');
    expect(usgsSeverity(6.2, undefined)).toBe('Moderate');
    expect(usgsSeverity(3, undefined)).toBe('Minor');
    expect(usgsSeverity(undefined, undefined)).toBe('Unknown');
  });

  it('maps a feature to an Alert with a point circle at the epicentre', () => {
    const v = usgsFeedToAlerts(feed(feature({ alert: 'orange', status: 'REVIEWED' })));
    const a = v.entries[0]!.alert!;
    expect(a).toMatchObject({ version: '1.2', sender: 'earthquake.usgs.gov', msgType: 'Alert', status: 'Actual', scope: 'Public', incidents: 'nc123', sent: '2017-12-03T23:32:30-00:00' });
    expect(a.infos[0]).toMatchObject({ event: 'Earthquake', category: ['Geo'], urgency: 'Past', severity: 'Severe', certainty: 'Observed', onset: '2017-12-03T23:15:50-00:00' });
    expect(a.infos[0]!.areas[0]!.circles[0]).toEqual({ center: { lat: 38.1, lon: -122.5 }, radiusKm: 0 });
  });

  it('rejects features without geometry or time, and deleted events; flags non-earthquakes', () => {
    const v = usgsFeedToAlerts(feed(feature({}, null), feature({ time: null }), feature({ status: 'deleted' }), feature({ type: 'quarry blast' })));
    expect(v.entries.map((e) => e.accepted)).toEqual([false, false, false, true]);
    expect(v.entries[0]!.errors[0]!.code).toBe('USGS_FEATURE_INVALID');
    expect(v.entries[2]!.errors[0]!.code).toBe('USGS_EVENT_DELETED');
    expect(v.entries[3]!.warnings[0]!.code).toBe('USGS_NON_EARTHQUAKE');
    expect(v.entries[3]!.alert!.infos[0]!.event).toBe('Quarry Blast');
  });

  it('reads GeoJSONP and refuses non-GeoJSON', () => {
    const jsonp = `eqfeed_callback(${JSON.stringify(feed(feature({})))});`;
    const { verdict } = parseCapDocument(enc(jsonp));
    expect(verdict.accepted).toBe(true);
    expect(verdict.warnings.map((w) => w.code)).toEqual(['USGS_JSONP_STRIPPED']);
    expect(parseCapDocument(enc('{"type":"Feature"}')).verdict.errors[0]!.code).toBe('GEOJSON_INVALID');
    expect(parseCapDocument(enc('{oops')).verdict.errors[0]!.code).toBe('JSON_MALFORMED');
  });
});
