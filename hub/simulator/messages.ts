import type { AlertSource } from '../../shared/domain/alert';
import type { CapAlert, CapCertainty, CapInfo, CapReference, CapSeverity, CapUrgency } from '../../shared/domain/cap';
import type { CityAsset, DemoCity } from './city';
import { area, bearingWord, capTime, clockTime, corridor, fixed, refOf } from './capText';
import { distance, type Xy } from './geometry';

/**
 * The wording of every message the demo city sends. Each function turns one
 * observation (a reading past a threshold, a quake, a forecast) into a CAP 1.2
 * message whose severity, urgency and certainty follow from that observation.
 */
export const SENDERS = {
  sensors: 'sensors@porthalden.example',
  met: 'warnings@met-service.example',
  seismic: 'quakes@seismic-network.example',
  eoc: 'eoc@porthalden.example',
} as const;

export interface Envelope {
  identifier: string;
  sentMs: number;
  status?: CapAlert['status'];
  msgType: CapAlert['msgType'];
  references?: CapReference[];
}

export interface SimulatedAlert {
  alertId: string;
  cap: CapAlert;
  source: AlertSource;
}

const HOUR = 3_600_000;

/**
 * Areas and neighbour lists depend only on the asset, never on the reading: built
 * once per asset, so a bulk run does not redo the geometry for every message.
 * Shared objects are never mutated after they are made.
 */
const memo = new Map<string, unknown>();
function once<T>(key: string, make: () => T): T {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

function message(
  env: Envelope,
  sender: string,
  scope: CapAlert['scope'],
  info: Omit<CapInfo, 'language' | 'eventCode' | 'parameter' | 'resources' | 'responseType'> &
    Partial<Pick<CapInfo, 'eventCode' | 'parameter' | 'responseType'>>,
  sourceName: string,
  extra: Partial<Pick<CapAlert, 'restriction' | 'note' | 'incidents'>> = {},
): SimulatedAlert {
  const cap: CapAlert = {
    version: '1.2',
    identifier: env.identifier,
    sender,
    sent: capTime(env.sentMs),
    status: env.status ?? 'Actual',
    msgType: env.msgType,
    scope,
    ...(scope === 'Restricted' && !extra.restriction ? { restriction: 'Port Halden EOC and utility operators' } : {}),
    ...extra,
    code: [],
    references: env.references ?? [],
    infos: [
      {
        language: 'en-GB',
        responseType: [],
        eventCode: [],
        parameter: [],
        resources: [],
        senderName: sender === SENDERS.sensors ? 'Port Halden Infrastructure Monitoring' : undefined,
        ...info,
      },
    ],
  };
  if (cap.infos[0]?.senderName === undefined) delete cap.infos[0]?.senderName;
  return { alertId: `${sender},${env.identifier}`, cap, source: { kind: 'simulator', name: sourceName } };
}

export type Level = 0 | 1 | 2; // normal, warning, alarm

export interface Threshold {
  readonly unit: string;
  readonly warning: number;
  readonly alarm: number;
  readonly hysteresis: number;
  readonly falling: boolean;
  readonly digits: number;
}

export interface Reading {
  asset: CityAsset;
  value: number;
  /** change per hour, in the reading's unit */
  trend: number;
  level: Level;
  previous: Level;
  threshold: Threshold;
  peak: number;
}

const levelWord = (level: Level): string => (level === 2 ? 'alarm' : level === 1 ? 'warning' : 'normal');
const trendWord = (r: Reading): string => {
  const goingWorse = r.threshold.falling ? r.trend < 0 : r.trend > 0;
  if (Math.abs(r.trend) < 10 ** -r.threshold.digits) return 'steady';
  return goingWorse ? 'worsening' : 'easing';
};
const fmt = (r: Reading, v: number): string => `${fixed(v, r.threshold.digits)} ${r.threshold.unit}`;

function gradeOf(
  r: Reading,
  extremeAt: number,
): { severity: CapSeverity; urgency: CapUrgency; certainty: CapCertainty } {
  if (r.level === 0) return { severity: 'Minor', urgency: 'Past', certainty: 'Observed' };
  const extreme = r.threshold.falling ? r.value <= extremeAt : r.value >= extremeAt;
  if (r.level === 2) return { severity: extreme ? 'Extreme' : 'Severe', urgency: 'Immediate', certainty: 'Observed' };
  return { severity: 'Moderate', urgency: 'Expected', certainty: 'Observed' };
}

function readingParameters(r: Reading, kind: string) {
  return [
    { valueName: 'PH-ASSET-ID', value: r.asset.asset.id },
    { valueName: 'PH-READING', value: `${kind}=${fixed(r.value, r.threshold.digits)} ${r.threshold.unit}` },
    { valueName: 'PH-TREND-PER-HOUR', value: `${fixed(r.trend, r.threshold.digits)} ${r.threshold.unit}` },
    { valueName: 'PH-LEVEL', value: levelWord(r.level) },
    { valueName: 'PH-WARNING-LEVEL', value: fmt(r, r.threshold.warning) },
    { valueName: 'PH-ALARM-LEVEL', value: fmt(r, r.threshold.alarm) },
  ];
}

/** A river gauge reading past (or back below) its warning or alarm level. */
export function riverLevelMessage(city: DemoCity, env: Envelope, r: Reading): SimulatedAlert {
  const a = r.asset;
  const grade = gradeOf(r, r.threshold.alarm + 0.8);
  const place = a.asset.name.replace(/ river gauge$/, '');
  const { downstream, nearby, areas } = once(`river:${a.asset.id}`, () => {
    const reach = city.river.line.filter((p) => Math.abs(p.x - a.xy.x) <= 1.2);
    return {
      downstream: city.assets.filter(
        (o) =>
          o.asset.kind === 'river_gauge' && (o.reach ?? 0) > (a.reach ?? 0) && (o.reach ?? 0) - (a.reach ?? 0) < 0.2,
      ),
      nearby: assetsNear(city, a.xy, 1.0, ['hospital', 'school', 'substation', 'pumping_station', 'tunnel']),
      areas: [
        area(`River Hald at ${place}, ${a.asset.district}`, {
          polygons: reach.length >= 2 ? [corridor(reach, 0.45)] : [],
          circles: [{ centre: a.xy, radiusKm: 1.0 }],
          districts: [a.asset.district],
        }),
      ],
    };
  });
  const event =
    r.level === 0 ? 'River level back to normal' : r.level === 2 ? 'River flood alarm' : 'River flood warning';
  const headline =
    r.level === 0
      ? `All clear: River Hald at ${place} back below warning level (${fmt(r, r.value)})`
      : `${r.level === 2 ? 'Flood alarm' : 'Flood warning'}: River Hald at ${place} ${fmt(r, r.value)} and ${trendWord(r)}`;
  const description = [
    `The ${a.asset.name} (${a.asset.id}, ${a.asset.district}) reads ${fmt(r, r.value)} at ${clockTime(env.sentMs)}, ` +
      `changing ${fixed(r.trend, 2)} m per hour. Warning level ${fmt(r, r.threshold.warning)}, alarm level ${fmt(r, r.threshold.alarm)}.`,
    r.level > 0
      ? `Low-lying streets along the river in ${a.asset.district} may flood.` +
        (downstream.length ? ` The rise should reach ${downstream.map((d) => d.asset.name).join(' and ')} next.` : '')
      : `Peak this event: ${fmt(r, r.peak)}.`,
    nearby.length ? `Assets within 1 km: ${nearby.map((n) => `${n.asset.name} (${n.asset.id})`).join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const instruction =
    r.level === 2
      ? `Close riverside roads and underpasses in ${a.asset.district}. Deploy flood barriers and mobile pumps; ` +
        `warn residents of riverside properties and prepare the nearest shelters.`
      : r.level === 1
        ? `Check flood barriers and storm-water pumps in ${a.asset.district}; clear riverside car parks; watch the gauge.`
        : 'Stand down flood preparations at this reach once barriers are inspected.';
  return message(
    env,
    SENDERS.sensors,
    'Restricted',
    {
      category: ['Met', 'Infra'],
      event,
      responseType: r.level === 2 ? ['Avoid', 'Prepare'] : r.level === 1 ? ['Prepare', 'Monitor'] : ['AllClear'],
      ...grade,
      eventCode: [{ valueName: 'PH-SENSOR', value: 'RIVER_LEVEL' }],
      effective: capTime(env.sentMs),
      onset: capTime(env.sentMs),
      expires: capTime(env.sentMs + (r.level === 0 ? 1 : 6) * HOUR),
      headline,
      description,
      instruction,
      parameter: readingParameters(r, 'level'),
      areas,
    },
    'Port Halden demo city: river gauges',
  );
}

/** A bridge strain gauge past its structural warning or alarm level. */
export function bridgeStrainMessage(city: DemoCity, env: Envelope, r: Reading, cause: string): SimulatedAlert {
  const a = r.asset;
  const grade = gradeOf(r, r.threshold.alarm + 150);
  const { diversion, areas } = once(`bridge:${a.asset.id}`, () => ({
    diversion: city.assets
      .filter((o) => o.asset.kind === 'bridge' && o !== a && o.asset.criticality >= 5)
      .sort((p, q) => distance(p.xy, a.xy) - distance(q.xy, a.xy))[0],
    areas: [
      area(`${a.asset.name} and approaches, ${a.asset.district}`, {
        polygons: a.line ? [corridor(a.line, 0.12)] : [],
        circles: [{ centre: a.xy, radiusKm: 0.3 }],
        districts: [a.asset.district],
      }),
    ],
  }));
  const event =
    r.level === 0
      ? 'Bridge strain back to normal'
      : r.level === 2
        ? 'Bridge structural alarm'
        : 'Bridge structural warning';
  const headline =
    r.level === 0
      ? `All clear: ${a.asset.name} strain back to ${fmt(r, r.value)}`
      : `${r.level === 2 ? 'Structural alarm' : 'Structural warning'}: ${a.asset.name} strain ${fmt(r, r.value)} (${trendWord(r)})`;
  const description =
    `Strain gauges on ${a.asset.name} (${a.asset.id}, ${a.asset.district}) read ${fmt(r, r.value)} at ${clockTime(env.sentMs)}, ` +
    `changing ${fixed(r.trend, 0)} µε per hour; warning ${fmt(r, r.threshold.warning)}, alarm ${fmt(r, r.threshold.alarm)}. ` +
    `Likely cause: ${cause}.` +
    (r.level === 0 ? ` Peak this event: ${fmt(r, r.peak)}.` : '');
  const instruction =
    r.level === 2
      ? `Close ${a.asset.name} to all traffic and pedestrians` +
        (diversion ? `; divert via ${diversion.asset.name}` : '') +
        '. Send the bridge inspection team; keep river traffic clear of the piers.'
      : r.level === 1
        ? `Restrict ${a.asset.name} to one lane and ban vehicles over 7.5 t; request an inspection within the hour.`
        : `Lift traffic restrictions on ${a.asset.name} after the inspector's sign-off.`;
  return message(
    env,
    SENDERS.sensors,
    'Restricted',
    {
      category: ['Infra', 'Transport'],
      event,
      responseType: r.level === 2 ? ['Avoid', 'Execute'] : r.level === 1 ? ['Assess', 'Monitor'] : ['AllClear'],
      ...grade,
      eventCode: [{ valueName: 'PH-SENSOR', value: 'BRIDGE_STRAIN' }],
      effective: capTime(env.sentMs),
      expires: capTime(env.sentMs + (r.level === 0 ? 1 : 4) * HOUR),
      headline,
      description,
      instruction,
      parameter: readingParameters(r, 'strain'),
      areas,
    },
    'Port Halden demo city: structural monitoring',
  );
}

/** A pipeline segment losing pressure: a gas leak or a water main burst in the making. */
export function pipelinePressureMessage(city: DemoCity, env: Envelope, r: Reading): SimulatedAlert {
  const a = r.asset;
  const gas = a.asset.name.startsWith('Gas');
  const grade = gradeOf(r, r.threshold.alarm - 0.06);
  const radius = gas ? (r.level === 2 ? 0.4 : 0.25) : 0.3;
  const { nearby, areas } = once(`pipe:${a.asset.id}:${radius}`, () => ({
    nearby: assetsNear(city, a.xy, radius + 0.3, ['hospital', 'school', 'shelter', 'substation']),
    areas: [
      area(`${a.asset.name}, ${a.asset.district}`, {
        polygons: a.line ? [corridor(a.line, 0.08)] : [],
        circles: [{ centre: a.xy, radiusKm: radius }],
        districts: [a.asset.district],
      }),
    ],
  }));
  const what = gas ? 'gas main' : 'water main';
  const event =
    r.level === 0
      ? `${gas ? 'Gas' : 'Water'} main pressure restored`
      : r.level === 2
        ? gas
          ? 'Suspected gas leak'
          : 'Suspected water main burst'
        : `${gas ? 'Gas' : 'Water'} main pressure loss`;
  const headline =
    r.level === 0
      ? `All clear: pressure restored on ${a.asset.name} (${fmt(r, r.value)})`
      : `${event}: ${a.asset.name} at ${fmt(r, r.value)} (${trendWord(r)})`;
  const description =
    `Pressure on the ${what} segment ${a.asset.id} in ${a.asset.district} is ${fmt(r, r.value)} at ${clockTime(env.sentMs)}, ` +
    `changing ${fixed(r.trend, 3)} MPa per hour; warning below ${fmt(r, r.threshold.warning)}, alarm below ${fmt(r, r.threshold.alarm)}.` +
    (nearby.length ? ` Nearby: ${nearby.map((n) => n.asset.name).join(', ')}.` : '');
  const instruction =
    r.level === 0
      ? 'Stand down the cordon once the utility crew confirms the repair.'
      : gas
        ? r.level === 2
          ? `Cordon ${Math.round(radius * 1000)} m around the segment, no ignition sources, evacuate buildings downwind; ` +
            'send the gas emergency crew and a fire engine.'
          : 'Send the gas utility crew to walk the line with detectors; prepare a cordon.'
        : r.level === 2
          ? 'Send the water repair crew; expect road flooding and loss of supply; warn the hospital and schools nearby.'
          : 'Ask the water utility to check valves and pumps on this segment.';
  return message(
    env,
    SENDERS.sensors,
    'Restricted',
    {
      category: gas ? ['Safety', 'Infra'] : ['Infra'],
      event,
      responseType:
        r.level === 0
          ? ['AllClear']
          : gas && r.level === 2
            ? ['Evacuate', 'Avoid']
            : r.level === 2
              ? ['Avoid']
              : ['Assess'],
      ...grade,
      eventCode: [{ valueName: 'PH-SENSOR', value: gas ? 'GAS_PRESSURE' : 'WATER_PRESSURE' }],
      effective: capTime(env.sentMs),
      expires: capTime(env.sentMs + (r.level === 0 ? 1 : 3) * HOUR),
      headline,
      description,
      instruction,
      parameter: readingParameters(r, 'pressure'),
      areas,
    },
    'Port Halden demo city: pipeline pressure',
  );
}

export interface Quake {
  magnitude: number;
  depthKm: number;
  epicentre: Xy;
}

/** A quake report from the (fictional) national seismic network; revisions come as Updates. */
export function earthquakeMessage(city: DemoCity, env: Envelope, q: Quake, revised: boolean): SimulatedAlert {
  const centre = { x: 0, y: 0 };
  const km = Math.round(distance(q.epicentre, centre));
  const where = km < 2 ? `beneath ${city.name}` : `${km} km ${bearingWord(centre, q.epicentre)} of ${city.name}`;
  const m = q.magnitude;
  const severity: CapSeverity = m >= 5.5 ? 'Extreme' : m >= 4.5 ? 'Severe' : m >= 3.5 ? 'Moderate' : 'Minor';
  const feltKm = Math.round(10 ** (0.45 * m - 0.6));
  return message(
    env,
    SENDERS.seismic,
    'Public',
    {
      category: ['Geo'],
      event: 'Earthquake',
      responseType: m >= 4.5 ? ['Assess'] : ['Monitor'],
      urgency: m >= 4.5 ? 'Immediate' : 'Past',
      severity,
      certainty: 'Observed',
      eventCode: [{ valueName: 'SEISMIC-MAGNITUDE-TYPE', value: 'ML' }],
      effective: capTime(env.sentMs),
      expires: capTime(env.sentMs + 12 * HOUR),
      senderName: 'National Seismic Network',
      headline: `${revised ? 'Revised: ' : ''}M ${fixed(m, 1)} earthquake ${where}`,
      description:
        `A magnitude ${fixed(m, 1)} (ML) earthquake occurred ${where} at a depth of ${fixed(q.depthKm, 0)} km` +
        ` at ${clockTime(env.sentMs - 120_000)}. Shaking may have been felt up to about ${feltKm} km away.` +
        (revised ? ' This message revises the automatic magnitude after analyst review.' : ''),
      instruction:
        m >= 4.5
          ? 'Inspect bridges, tunnels and gas mains in the felt area; expect aftershocks; check on hospitals and schools.'
          : 'No action needed unless damage is reported.',
      parameter: [
        { valueName: 'MAGNITUDE', value: fixed(m, 1) },
        { valueName: 'DEPTH-KM', value: fixed(q.depthKm, 0) },
      ],
      areas: [
        area(`Felt area around the epicentre, ${where}`, { circles: [{ centre: q.epicentre, radiusKm: feltKm }] }),
      ],
    },
    'Port Halden demo city: national seismic network',
  );
}

export type WeatherHazard = 'rain' | 'thunderstorm' | 'wind';
export interface Weather {
  hazard: WeatherHazard;
  districts: string[];
  severe: boolean;
  onsetMs: number;
  expiresMs: number;
}

const WEATHER_WORDS: Record<WeatherHazard, { event: string; detail: string; advice: string }> = {
  rain: {
    event: 'Heavy rain warning',
    detail: 'Persistent heavy rain, 30 to 60 mm in 12 hours, locally more',
    advice: 'Clear storm drains, check storm-water pumping stations, and watch the river gauges.',
  },
  thunderstorm: {
    event: 'Thunderstorm warning',
    detail: 'Thunderstorms with hail, frequent lightning and gusts up to 90 km/h',
    advice: 'Secure loose objects at work sites; expect power cuts and fallen trees.',
  },
  wind: {
    event: 'Severe wind warning',
    detail: 'Gusts of 80 to 110 km/h, strongest on high ground',
    advice: 'Restrict high-sided vehicles on the bridges; close parks; expect fallen trees.',
  },
};

export function weatherMessage(city: DemoCity, env: Envelope, w: Weather, lifted: boolean): SimulatedAlert {
  const words = WEATHER_WORDS[w.hazard];
  const rings = city.districts.filter((d) => w.districts.includes(d.name));
  return message(
    env,
    SENDERS.met,
    'Public',
    {
      category: ['Met'],
      event: words.event,
      responseType: lifted ? ['AllClear'] : ['Prepare', 'Monitor'],
      urgency: lifted ? 'Past' : 'Expected',
      severity: lifted ? 'Minor' : w.severe ? 'Severe' : 'Moderate',
      certainty: lifted ? 'Observed' : 'Likely',
      effective: capTime(env.sentMs),
      onset: capTime(w.onsetMs),
      expires: capTime(lifted ? env.sentMs + HOUR : w.expiresMs),
      senderName: 'Regional Met Service',
      headline: lifted
        ? `${words.event} for ${city.name} lifted`
        : `${w.severe ? 'Severe ' : ''}${words.event.toLowerCase()} for ${w.districts.join(', ')} from ${clockTime(w.onsetMs)}`,
      description: lifted
        ? `The ${words.event.toLowerCase()} is lifted; conditions are easing.`
        : `${words.detail} expected from ${clockTime(w.onsetMs)} until ${clockTime(w.expiresMs)}.`,
      instruction: lifted ? 'No further action.' : words.advice,
      areas: [
        area(`${city.name}: ${w.districts.join(', ')}`, {
          polygons: rings.map((d) => d.ring),
          districts: w.districts,
        }),
      ],
    },
    'Port Halden demo city: regional met service',
  );
}

/** The weekly siren test and tabletop exercises: real message flow, not real events. */
export function drillMessage(
  city: DemoCity,
  env: Envelope,
  kind: 'siren-test' | 'exercise',
  asset: CityAsset,
): SimulatedAlert {
  if (kind === 'siren-test') {
    return message(
      { ...env, status: 'Test' },
      SENDERS.eoc,
      'Public',
      {
        category: ['Safety'],
        event: 'Siren system test',
        urgency: 'Future',
        severity: 'Minor',
        certainty: 'Observed',
        effective: capTime(env.sentMs),
        expires: capTime(env.sentMs + HOUR),
        senderName: `${city.name} Emergency Operations Centre`,
        headline: 'Test of the outdoor siren system. No action required.',
        description: 'The outdoor warning sirens will sound for one minute as part of the scheduled test.',
        instruction: 'No action required.',
        areas: [area(`${city.name}, all districts`, { circles: [{ centre: { x: 0, y: 0 }, radiusKm: 8 }] })],
      },
      'Port Halden demo city: EOC',
    );
  }
  return message(
    { ...env, status: 'Exercise' },
    SENDERS.eoc,
    'Restricted',
    {
      category: ['Infra', 'Rescue'],
      event: `Exercise: incident at ${asset.asset.name}`,
      responseType: ['Execute'],
      urgency: 'Immediate',
      severity: 'Severe',
      certainty: 'Possible',
      effective: capTime(env.sentMs),
      expires: capTime(env.sentMs + 3 * HOUR),
      senderName: `${city.name} Emergency Operations Centre`,
      headline: `EXERCISE EXERCISE EXERCISE: simulated failure at ${asset.asset.name}`,
      description: `Tabletop exercise: the scenario is a structural failure at ${asset.asset.name} (${asset.asset.id}, ${asset.asset.district}).`,
      instruction: 'Exercise players only: open an exercise incident and follow the SOP checklist.',
      areas: [area(`${asset.asset.name}, ${asset.asset.district}`, { circles: [{ centre: asset.xy, radiusKm: 0.5 }] })],
    },
    'Port Halden demo city: EOC',
    { restriction: 'EOC exercise players', note: 'EXERCISE - not a real event' },
  );
}

function assetsNear(city: DemoCity, at: Xy, km: number, kinds: string[]): CityAsset[] {
  return city.assets
    .filter((o) => kinds.includes(o.asset.kind) && distance(o.xy, at) <= km)
    .sort((p, q) => distance(p.xy, at) - distance(q.xy, at))
    .slice(0, 4);
}

export { refOf };
