import type { Asset, AssetKind } from '../../shared/domain/asset';
import {
  buffer,
  centroid,
  circleRing,
  close,
  crossings,
  direction,
  distance,
  distanceToLine,
  lerp,
  pointInRing,
  splitLine,
  toLatLon,
  type Xy,
} from './geometry';
import { hashSeed, Prng } from './prng';

/**
 * Port Halden, the demo city: about 15 km across, centred on 45.0°N 10.0°E,
 * cut west to east by the River Hald. The layout is fixed (it is drawn into
 * the committed basemap), so it never depends on the simulation seed; the seed
 * only drives what happens in the city.
 */
export const CITY_NAME = 'Port Halden';
const CITY_LAYOUT_SEED = hashSeed('port-halden-layout-v1');
const HALF = 7.5; // km from the centre to the city limits

export interface District {
  readonly name: string;
  readonly ring: Xy[];
}
export interface Road {
  readonly name: string;
  readonly class: 'motorway' | 'ring' | 'arterial' | 'riverside';
  readonly line: Xy[];
}
export interface NamedArea {
  readonly name: string;
  readonly ring: Xy[];
}
/** A watched asset with its plane geometry kept alongside, for the simulator's areas. */
export interface CityAsset {
  readonly asset: Asset;
  readonly xy: Xy;
  readonly line?: Xy[];
  /** river gauges: 0 upstream … 1 at the harbour; drives flood-wave travel time */
  readonly reach?: number;
}
export interface DemoCity {
  readonly name: string;
  readonly districts: District[];
  readonly river: { name: string; line: Xy[]; banks: Xy[] };
  readonly roads: Road[];
  readonly parks: NamedArea[];
  readonly water: NamedArea[];
  readonly assets: CityAsset[];
}

const DISTRICT_NAMES = [
  ['Northmere', 'Vell Heights', 'Kingsgate', 'Eastcliff'],
  ['Westfield', 'Old Town', 'Riverside', 'Harbourside'],
  ['Lowmarsh', 'Millbrook', 'Southgate', 'Fenwick'],
] as const;

function riverLine(): Xy[] {
  const line: Xy[] = [];
  for (let x = -HALF - 0.5; x <= HALF + 0.5 + 1e-9; x += 0.25) {
    line.push({
      x,
      y: 0.9 * Math.sin(x * 0.45 + 0.6) + 0.35 * Math.sin(x * 1.3) - 0.12 * x,
    });
  }
  return line;
}

/** A 4×3 grid of districts with jittered, wiggly shared borders, so neighbours tile exactly. */
function buildDistricts(rng: Prng): District[] {
  const xs = [-HALF, -HALF / 2, 0, HALF / 2, HALF];
  const ys = [HALF, HALF / 3, -HALF / 3, -HALF];
  const vertex: Xy[][] = ys.map((y, r) =>
    xs.map((x, c) => {
      const interior = r > 0 && r < ys.length - 1 && c > 0 && c < xs.length - 1;
      return interior ? { x: x + rng.range(-0.6, 0.6), y: y + rng.range(-0.6, 0.6) } : { x, y };
    }),
  );
  const edges = new Map<string, Xy[]>();
  const key = (r1: number, c1: number, r2: number, c2: number) => `${r1},${c1}-${r2},${c2}`;
  const edge = (r1: number, c1: number, r2: number, c2: number): Xy[] => {
    const forward = edges.get(key(r1, c1, r2, c2));
    if (forward) return forward;
    const backward = edges.get(key(r2, c2, r1, c1));
    if (backward) return [...backward].reverse();
    const a = vertex[r1]?.[c1] as Xy;
    const b = vertex[r2]?.[c2] as Xy;
    const onLimit = (a.x === b.x && Math.abs(a.x) === HALF) || (a.y === b.y && Math.abs(a.y) === HALF);
    const pts: Xy[] = [a];
    const len = distance(a, b);
    for (let i = 1; i <= 3; i++) {
      const p = lerp(a, b, i / 4);
      const j = onLimit ? 0 : rng.range(-0.25, 0.25);
      pts.push({
        x: p.x - ((b.y - a.y) / len) * j,
        y: p.y + ((b.x - a.x) / len) * j,
      });
    }
    pts.push(b);
    edges.set(key(r1, c1, r2, c2), pts);
    return pts;
  };
  const districts: District[] = [];
  DISTRICT_NAMES.forEach((row, r) =>
    row.forEach((name, c) => {
      const ring = [
        ...edge(r, c, r, c + 1).slice(0, -1),
        ...edge(r, c + 1, r + 1, c + 1).slice(0, -1),
        ...edge(r + 1, c + 1, r + 1, c).slice(0, -1),
        ...edge(r + 1, c, r, c).slice(0, -1),
      ];
      districts.push({ name, ring: close(ring) });
    }),
  );
  return districts;
}

function buildRoads(rng: Prng, river: Xy[]): Road[] {
  const ring: Xy[] = [];
  for (let i = 0; i <= 48; i++) {
    const a = (i / 48) * 2 * Math.PI;
    const r = 4.2 + 0.25 * Math.sin(a * 3);
    ring.push({ x: Math.cos(a) * r, y: 0.3 + Math.sin(a) * r });
  }
  ring[48] = ring[0] as Xy;
  const radial = (name: string, angleDeg: number): Road => {
    const a = (angleDeg * Math.PI) / 180;
    const line: Xy[] = [];
    const bend = rng.range(-0.4, 0.4);
    for (let i = 0; i <= 14; i++) {
      const t = i / 14;
      const r = 0.2 + t * (HALF - 0.25);
      const side = Math.sin(t * Math.PI) * bend;
      line.push({
        x: Math.cos(a) * r - Math.sin(a) * side,
        y: Math.sin(a) * r + Math.cos(a) * side,
      });
    }
    return { name, class: 'arterial', line };
  };
  const bypass: Xy[] = [];
  for (let x = -HALF; x <= HALF + 1e-9; x += 0.5) bypass.push({ x, y: -5.9 + 0.4 * Math.sin(x * 0.5) });
  const riverside = river
    .filter((p) => Math.abs(p.x) <= 6.2)
    .map((p, i, all) => {
      const d = direction(all, Math.min(i, all.length - 2));
      return { x: p.x - d.y * 0.4, y: p.y + d.x * 0.4 };
    });
  return [
    { name: 'Halden Ring', class: 'ring', line: ring },
    radial('North Road', 95),
    radial('Kingsgate Avenue', 40),
    radial('Harbour Road', 350),
    radial('Southgate Road', 275),
    radial('Millbrook Road', 215),
    radial('Westfield Road', 165),
    { name: 'A7 Bypass', class: 'motorway', line: bypass },
    { name: 'Riverside Drive', class: 'riverside', line: riverside },
  ];
}

/** Counts per kind for the point assets placed in districts. */
const SCATTERED: ReadonlyArray<{
  kind: AssetKind;
  count: number;
  criticality: [number, number];
}> = [
  { kind: 'hospital', count: 6, criticality: [5, 5] },
  { kind: 'substation', count: 20, criticality: [3, 4] },
  { kind: 'shelter', count: 36, criticality: [3, 3] },
  { kind: 'fire_station', count: 10, criticality: [4, 4] },
  { kind: 'police_station', count: 8, criticality: [3, 4] },
  { kind: 'school', count: 60, criticality: [2, 3] },
  { kind: 'water_treatment', count: 3, criticality: [5, 5] },
];

const PREFIX: Readonly<Record<AssetKind, string>> = {
  bridge: 'BR',
  tunnel: 'TN',
  pipeline: 'PL',
  pumping_station: 'PS',
  river_gauge: 'RG',
  substation: 'SS',
  hospital: 'HO',
  shelter: 'SH',
  fire_station: 'FS',
  police_station: 'PD',
  school: 'SC',
  water_treatment: 'WT',
};

const FOOTBRIDGE_NAMES = ['Westweir Footbridge', 'Abbey Footbridge', 'Tanners Footbridge', 'Ferry Footbridge'];
const SCHOOL_WORDS = ['Primary School', 'Secondary School', 'Academy', 'Infant School', 'College', 'High School'];
const SHELTER_WORDS = [
  'Sports Hall',
  'Community Centre',
  'Leisure Centre',
  'Civic Hall',
  'Parish Hall',
  'Exhibition Hall',
];
const HOSPITAL_NAMES = [
  'Port Halden General Hospital',
  "St Brigid's Hospital",
  'Kingsgate Infirmary',
  'Harbourside Medical Centre',
  'Millbrook Children’s Hospital',
  'Eastcliff Community Hospital',
];
const TREATMENT_WORDS = ['Water Treatment Works', 'Water Treatment Works', 'Wastewater Works'];

export function buildDemoCity(): DemoCity {
  const rng = new Prng(CITY_LAYOUT_SEED);
  const line = riverLine();
  const banks = buffer(line, (i) => 0.07 + (i / line.length) * 0.08);
  const districts = buildDistricts(rng);
  const roads = buildRoads(rng, line);
  const inCity = (p: Xy) => Math.abs(p.x) < HALF - 0.2 && Math.abs(p.y) < HALF - 0.2;
  const districtOf = (p: Xy): string => districts.find((d) => pointInRing(p, d.ring))?.name ?? 'Outskirts';

  const parks: NamedArea[] = [
    { name: 'Castle Hill Park', centre: { x: -0.6, y: 2.6 }, r: 0.6 },
    { name: 'Vell Common', centre: { x: -4.6, y: 5.6 }, r: 0.9 },
    { name: 'Riverside Meadows', centre: { x: -5.4, y: -0.9 }, r: 0.7 },
    { name: 'Millbrook Gardens', centre: { x: -2.4, y: -3.6 }, r: 0.5 },
    { name: 'Fenwick Woods', centre: { x: 5.6, y: -4.4 }, r: 1.0 },
    { name: 'Eastcliff Park', centre: { x: 4.4, y: 4.8 }, r: 0.55 },
  ].map(({ name, centre, r }) => ({
    name,
    ring: circleRing(centre, r, 20, () => rng.range(0.8, 1.15)),
  }));
  const reservoirCentre = { x: -2.6, y: 5.9 };
  const harbourCentre = { x: 6.0, y: -1.2 };
  const water: NamedArea[] = [
    {
      name: 'Vell Reservoir',
      ring: circleRing(reservoirCentre, 0.75, 24, () => rng.range(0.85, 1.1)),
    },
    {
      name: 'Halden Harbour',
      ring: circleRing(harbourCentre, 0.55, 24, () => rng.range(0.9, 1.1)),
    },
  ];

  const assets: CityAsset[] = [];
  const counters = new Map<AssetKind, number>();
  const add = (
    kind: AssetKind,
    name: string,
    xy: Xy,
    criticality: number,
    extra: { line?: Xy[]; reach?: number } = {},
  ): CityAsset => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const asset: Asset = {
      id: `${PREFIX[kind]}-${String(n).padStart(3, '0')}`,
      kind,
      name,
      district: districtOf(xy),
      criticality,
      location: toLatLon(xy),
      ...(extra.line ? { path: extra.line.map(toLatLon) } : {}),
    };
    const made: CityAsset = { asset, xy, ...extra };
    assets.push(made);
    return made;
  };

  // Bridges stand where roads cross the river, plus the rail viaduct and footbridges.
  const bridgeSites: { at: Xy; road: string }[] = [];
  for (const road of roads)
    for (const hit of crossings(road.line, line)) bridgeSites.push({ at: hit.at, road: road.name });
  for (const x of [-6.3, -2.3, 1.6, 3.1, 5.2]) {
    const i = line.findIndex((p) => p.x >= x);
    bridgeSites.push({
      at: line[i] as Xy,
      road: x === 1.6 ? 'railway' : 'footpath',
    });
  }
  bridgeSites.sort((a, b) => a.at.x - b.at.x);
  let footbridges = 0;
  const bridgeName = (site: { at: Xy; road: string }): string => {
    if (site.road === 'railway') return 'Halden Rail Viaduct';
    if (site.road === 'footpath') return FOOTBRIDGE_NAMES[footbridges++] ?? `Footbridge ${footbridges}`;
    if (site.road === 'Halden Ring') return site.at.x < 0 ? 'Halden Ring West Bridge' : 'Halden Ring East Bridge';
    return `${site.road.replace(/ (Road|Avenue)$/, '')} Bridge`;
  };
  bridgeSites.forEach((site) => {
    const seg = line.findIndex((p) => p.x >= site.at.x);
    const d = direction(line, Math.max(0, seg - 1));
    const half = 0.16;
    const path = [
      { x: site.at.x + d.y * half, y: site.at.y - d.x * half },
      { x: site.at.x - d.y * half, y: site.at.y + d.x * half },
    ];
    const major = site.road !== 'footpath';
    add('bridge', bridgeName(site), site.at, major ? 5 : 3, { line: path });
  });

  // Tunnels: one under the river near the harbour, the rest under Castle Hill and the old town.
  const tunnel = (name: string, from: Xy, to: Xy, criticality: number) => {
    const path = [from, lerp(from, to, 0.5), to];
    add('tunnel', name, lerp(from, to, 0.5), criticality, { line: path });
  };
  tunnel('Harbour Tunnel', { x: 6.7, y: -1.9 }, { x: 6.9, y: 0.1 }, 5);
  tunnel('Castle Hill Tunnel', { x: -0.4, y: 2.0 }, { x: -0.3, y: 3.3 }, 4);
  tunnel('Old Town Underpass', { x: -1.6, y: -0.9 }, { x: -0.9, y: -1.1 }, 3);
  tunnel('Vell Road Tunnel', { x: -3.6, y: 4.4 }, { x: -3.1, y: 5.0 }, 3);

  // River gauges from the west weir down to the harbour, about every 1.2 km.
  const gaugeNames = [
    'Westweir',
    'Lowmarsh Sluice',
    'Meadow Bend',
    'Westfield Quay',
    'Castle Reach',
    'Old Town Steps',
    'Abbey Mill',
    'Kingsgate Wharf',
    'Riverside Basin',
    'Tanners Lock',
    'Ferry Landing',
    'Harbour Mouth',
    'Outer Harbour',
  ];
  gaugeNames.forEach((g, i) => {
    const reach = i / (gaugeNames.length - 1);
    const x = -HALF + 0.4 + reach * (2 * HALF - 0.8);
    const at = line[line.findIndex((p) => p.x >= x)] as Xy;
    add('river_gauge', `${g} river gauge`, at, 3, { reach });
  });

  // Pipelines follow the roads: gas mains on the ring and riverside, water mains on the radials.
  const pipe = (prefix: string, road: Road, pieces: number, criticality: number) =>
    splitLine(road.line, pieces).forEach((seg, i) => {
      const mid = seg[Math.floor(seg.length / 2)] as Xy;
      add('pipeline', `${prefix} ${road.name} segment ${i + 1}`, mid, criticality, { line: seg });
    });
  for (const road of roads) {
    if (road.class === 'ring') pipe('Gas main,', road, 12, 4);
    else if (road.class === 'riverside') pipe('Gas main,', road, 6, 4);
    else if (road.class === 'arterial') pipe('Water main,', road, 3, 3);
  }
  const trunk: Xy[] = [
    reservoirCentre,
    { x: -2.0, y: 4.2 },
    { x: -1.2, y: 2.6 },
    { x: -0.8, y: 1.6 },
    { x: 0, y: 0.2 },
  ];
  splitLine(trunk, 4).forEach((seg, i) =>
    add('pipeline', `Trunk water main from Vell Reservoir segment ${i + 1}`, seg[0] as Xy, 5, { line: seg }),
  );

  // Pumping stations: storm-water pumps along the river banks, booster pumps on the ring.
  for (let i = 0; i < 8; i++) {
    const p = line[6 + i * 7] as Xy;
    const d = direction(line, 6 + i * 7);
    const xy = {
      x: p.x + d.y * 0.3 * (i % 2 ? 1 : -1),
      y: p.y - d.x * 0.3 * (i % 2 ? 1 : -1),
    };
    add('pumping_station', `${districtOf(xy)} storm-water pumping station`, xy, 4);
  }
  const ringRoad = roads[0] as Road;
  for (let i = 0; i < 6; i++) {
    const xy = ringRoad.line[i * 8 + 4] as Xy;
    add('pumping_station', `${districtOf(xy)} booster pumping station`, xy, 3);
  }

  // Everything else sits in the districts, away from the river.
  const place = (): Xy => {
    for (;;) {
      const p = {
        x: rng.range(-HALF + 0.3, HALF - 0.3),
        y: rng.range(-HALF + 0.3, HALF - 0.3),
      };
      if (!inCity(p) || distanceToLine(p, line) < 0.35) continue;
      if (water.some((w) => pointInRing(p, w.ring))) continue;
      return p;
    }
  };
  const used = new Set<string>();
  const unique = (name: string): string => {
    let candidate = name;
    for (let n = 2; used.has(candidate); n++) candidate = `${name} ${n}`;
    used.add(candidate);
    return candidate;
  };
  for (const { kind, count, criticality } of SCATTERED) {
    for (let i = 0; i < count; i++) {
      const xy =
        kind === 'water_treatment' && i === 0 ? { x: reservoirCentre.x + 0.95, y: reservoirCentre.y } : place();
      const district = districtOf(xy);
      const name =
        kind === 'hospital'
          ? (HOSPITAL_NAMES[i] ?? `${district} Hospital`)
          : kind === 'water_treatment'
            ? i === 0
              ? 'Vell Reservoir Water Treatment Works'
              : `${district} ${TREATMENT_WORDS[i] ?? 'Water Works'}`
            : kind === 'school'
              ? `${district} ${rng.pick(SCHOOL_WORDS)}`
              : kind === 'shelter'
                ? `${district} ${rng.pick(SHELTER_WORDS)} (shelter)`
                : kind === 'fire_station'
                  ? `${district} Fire Station`
                  : kind === 'police_station'
                    ? `${district} Police Station`
                    : `${district} substation`;
      add(kind, unique(name), xy, rng.int(criticality[0], criticality[1]));
    }
  }

  return {
    name: CITY_NAME,
    districts,
    river: { name: 'River Hald', line, banks },
    roads,
    parks,
    water,
    assets,
  };
}

export const districtCentre = (d: District): Xy => centroid(d.ring.slice(0, -1));
