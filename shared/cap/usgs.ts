import { CapAlert, type CapSeverity } from '../domain/cap';
import { issue, type CapDocumentVerdict, type CapEntryVerdict, type CapIssue } from './verdict';

/**
 * USGS earthquake GeoJSON summary feeds → CAP-shaped alerts (mapping documented in docs/cap.md).
 * Parsed leniently: the feed's fields have changed over API versions (nullable tz/title/tsunami,
 * "REVIEWED" in upper case in 2013).
 */

export const USGS_SENDER = 'earthquake.usgs.gov';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Epoch ms → CAP date-time in UTC, written with the "-00:00" offset CAP uses for UTC. */
export function capDateTimeUtc(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}-00:00`;
}

const PAGER: Readonly<Record<string, CapSeverity>> = { red: 'Extreme', orange: 'Severe', yellow: 'Moderate', green: 'Minor' };

/** PAGER alert level when USGS computed one (it estimates impact); otherwise magnitude bands. */
export function usgsSeverity(mag: number | undefined, pager: string | undefined): CapSeverity {
  const fromPager = pager === undefined ? undefined : PAGER[pager.toLowerCase()];
  if (fromPager) return fromPager;
  if (mag === undefined) return 'Unknown';
  if (mag >= 7) return 'Severe';
  if (mag >= 6) return 'Moderate';
  return 'Minor';
}

const TOKEN_UNSAFE = /[\s,<&]/g;

export function usgsFeatureToVerdict(feature: unknown, index: number): CapEntryVerdict {
  const errors: CapIssue[] = [];
  const warnings: CapIssue[] = [];
  const reject = (message: string): CapEntryVerdict => ({ accepted: false, version: null, errors: [...errors, issue('USGS_FEATURE_INVALID', message)], warnings, index });
  if (!isObj(feature) || feature['type'] !== 'Feature') return reject(`features[${index}] is not a GeoJSON Feature.`);
  const id = str(feature['id']);
  const p = feature['properties'];
  const g = feature['geometry'];
  if (id === undefined) return reject(`features[${index}] has no id.`);
  if (!isObj(p)) return reject(`Feature ${id} has no properties.`);
  if (!isObj(g) || g['type'] !== 'Point' || !Array.isArray(g['coordinates'])) return reject(`Feature ${id} has no Point geometry.`);
  const [lon, lat, depth] = (g['coordinates'] as unknown[]).map(num);
  if (lon === undefined || lat === undefined || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
    return reject(`Feature ${id} has no valid [longitude, latitude] epicentre.`);
  }
  const time = num(p['time']);
  if (time === undefined) return reject(`Feature ${id} has no origin time.`);
  const updated = num(p['updated']) ?? time;
  const status = str(p['status'])?.toLowerCase();
  if (status === 'deleted') {
    return { accepted: false, version: null, errors: [issue('USGS_EVENT_DELETED', `USGS deleted event ${id}; it is not an alert.`)], warnings, index, entryId: id };
  }
  const type = str(p['type']) ?? 'earthquake';
  const event = type === 'earthquake' ? 'Earthquake' : type.replace(/\b\w/g, (ch) => ch.toUpperCase());
  if (type !== 'earthquake') warnings.push(issue('USGS_NON_EARTHQUAKE', `USGS event ${id} is a ${type}, not an earthquake.`));
  const mag = num(p['mag']);
  const magType = str(p['magType']);
  const pager = str(p['alert']);
  const place = str(p['place']) ?? `${lat.toFixed(3)}, ${lon.toFixed(3)}`;
  const tsunami = num(p['tsunami']) === 1;
  const magText = mag === undefined ? 'M ?' : `M ${mag}${magType ? ` ${magType}` : ''}`;
  const parameter: { valueName: string; value: string }[] = [
    { valueName: 'usgs:id', value: id },
    ...(mag !== undefined ? [{ valueName: 'usgs:mag', value: String(mag) }] : []),
    ...(magType ? [{ valueName: 'usgs:magType', value: magType }] : []),
    ...(depth !== undefined ? [{ valueName: 'usgs:depthKm', value: String(depth) }] : []),
    ...(pager ? [{ valueName: 'usgs:alert', value: pager }] : []),
    ...(status ? [{ valueName: 'usgs:status', value: status }] : []),
    { valueName: 'usgs:tsunami', value: tsunami ? '1' : '0' },
    ...(['sig', 'felt', 'cdi', 'mmi'] as const).flatMap((k) => (num(p[k]) !== undefined ? [{ valueName: `usgs:${k}`, value: String(num(p[k])) }] : [])),
  ];
  const candidate = {
    version: '1.2' as const,
    // A new identifier per revision (CAP: a changed message is a new message); `incidents`
    // carries the USGS event id so the hub can upsert by event and keep the newest.
    identifier: `${id}-${updated}`.replace(TOKEN_UNSAFE, '_'),
    sender: USGS_SENDER,
    sent: capDateTimeUtc(updated),
    status: 'Actual' as const,
    msgType: 'Alert' as const,
    source: 'USGS GeoJSON summary feed',
    scope: 'Public' as const,
    incidents: id,
    infos: [{
      language: 'en-US',
      category: ['Geo' as const],
      event,
      urgency: 'Past' as const,
      severity: usgsSeverity(mag, pager),
      certainty: status === 'reviewed' ? ('Observed' as const) : ('Likely' as const),
      onset: capDateTimeUtc(time),
      senderName: 'U.S. Geological Survey',
      headline: str(p['title']) ?? `${magText} - ${place}`,
      description: `${magText} ${type} ${place}` + (depth !== undefined ? `, depth ${depth} km` : '') + (tsunami ? '. USGS flags this as a large event in an oceanic region (possible tsunami; check the tsunami warning centre).' : '.'),
      ...(str(p['url']) ? { web: str(p['url']) } : {}),
      parameter,
      areas: [{ areaDesc: place, circles: [{ center: { lat, lon }, radiusKm: 0 }] }],
    }],
  };
  const parsed = CapAlert.safeParse(candidate);
  if (!parsed.success) return reject(`Feature ${id} does not fit the alert model: ${parsed.error.issues[0]?.message ?? ''}`);
  return { accepted: true, version: '1.2', alert: parsed.data, errors, warnings, index, entryId: id };
}

/** A parsed USGS summary feed (the JSON value) → one verdict per feature. */
export function usgsFeedToAlerts(json: unknown): CapDocumentVerdict {
  const errors: CapIssue[] = [];
  const warnings: CapIssue[] = [];
  if (!isObj(json) || json['type'] !== 'FeatureCollection' || !Array.isArray(json['features'])) {
    errors.push(issue('GEOJSON_INVALID', 'Not a GeoJSON FeatureCollection with a features array.'));
    return { format: 'unknown', accepted: false, errors, warnings, entries: [] };
  }
  const entries = (json['features'] as unknown[]).map((f, i) => usgsFeatureToVerdict(f, i));
  return { format: 'usgs-geojson', accepted: entries.every((e) => e.accepted), errors, warnings, entries };
}
