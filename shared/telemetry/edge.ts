import { z } from 'zod';
import { CapAlert, type CapArea, type CapReference } from '../domain/cap';
import type { LatLon } from '../domain/geo';
import { SensorKind, type SensorKind as SensorKindT } from './sensors';
import type { TelemetryAlertDraft } from './rules/drafts';

/**
 * Alerts raised by a console's own rule engine (issue 9, decision 0032): how a
 * TelemetryAlertDraft becomes a CAP 1.2 message, how such a message says who raised
 * it and whether it is about danger or a faulty sensor, and the hazard key the hub
 * deduplicates on. Shared: the console writes these messages, the hub reads them.
 */

/** CAP `sender` of every console-raised alert: `watchfloor-console:<consoleId>`. */
export const EDGE_SENDER_PREFIX = 'watchfloor-console:';
export const edgeSender = (consoleId: string): string => `${EDGE_SENDER_PREFIX}${consoleId}`;
export const consoleOfSender = (sender: string): string | null =>
  sender.startsWith(EDGE_SENDER_PREFIX) ? sender.slice(EDGE_SENDER_PREFIX.length) : null;

export const EdgeKind = z.enum(['danger', 'maintenance']);
export type EdgeKind = z.infer<typeof EdgeKind>;

/** CAP parameters and event codes a console-raised message carries (valueName). */
export const EDGE_PARAM = {
  assetId: 'WF-ASSET-ID',
  kind: 'WF-KIND',
  rule: 'WF-RULE',
  level: 'WF-LEVEL',
  value: 'WF-VALUE',
  predictedMinutes: 'WF-PREDICTED-MINUTES',
  sensor: 'WF-SENSOR',
} as const;

/**
 * The hub's own sensor messages (the demo city's simulator, a utility's SCADA feed) name
 * their sensor with an event code; these are the ones that mean a sensor kind.
 */
const SENSOR_EVENT_CODES: Readonly<Record<string, SensorKindT>> = {
  BRIDGE_STRAIN: 'strain',
  RIVER_LEVEL: 'river_level',
  GAS_PRESSURE: 'pressure',
  WATER_PRESSURE: 'pressure',
};

/** What two alerts must share to be the same hazard: one asset, one sensor, one kind. */
export interface HazardKey {
  readonly assetId: string;
  readonly sensor: SensorKindT;
  readonly kind: EdgeKind;
}

export const hazardKeyString = (k: HazardKey): string => `${k.assetId}/${k.sensor}/${k.kind}`;

/** The hazard a CAP message is about, or null when it names no asset and sensor. */
export function hazardOf(cap: CapAlert): HazardKey | null {
  let assetId: string | null = null;
  let sensor: SensorKindT | null = null;
  let kind: EdgeKind = 'danger';
  for (const info of cap.infos) {
    for (const p of info.parameter) {
      if (!assetId && /(^|[-_])ASSET[-_]ID$/i.test(p.valueName) && p.value) assetId = p.value;
      if (p.valueName === EDGE_PARAM.kind && p.value === 'maintenance') kind = 'maintenance';
    }
    for (const c of info.eventCode) {
      if (sensor) break;
      if (c.valueName === EDGE_PARAM.sensor) {
        const s = SensorKind.safeParse(c.value);
        if (s.success) sensor = s.data;
      } else if (/(^|[-_])SENSOR$/i.test(c.valueName)) sensor = SENSOR_EVENT_CODES[c.value] ?? null;
    }
  }
  return assetId && sensor ? { assetId, sensor, kind } : null;
}

/** 'danger' | 'maintenance' for a console-raised message, null for anyone else's. */
export function edgeKindOf(cap: CapAlert): EdgeKind | null {
  if (!cap.sender.startsWith(EDGE_SENDER_PREFIX)) return null;
  for (const info of cap.infos)
    for (const p of info.parameter)
      if (p.valueName === EDGE_PARAM.kind) return EdgeKind.safeParse(p.value).data ?? null;
  return 'danger';
}

/** CAP §3.3.2 date-time from ms (UTC, no fraction). */
export const capDateTime = (ms: number): string =>
  `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;

/** How long a console-raised alert stays active without a Cancel: predictions and notices fade. */
export function edgeExpiryMs(draft: TelemetryAlertDraft, sentMs: number): number {
  const HOUR = 3_600_000;
  if (draft.rule === 'prediction') return sentMs + Math.max(30 * 60_000, 2 * (draft.predictedMinutes ?? 30) * 60_000);
  if (draft.kind === 'maintenance') return sentMs + 24 * HOUR;
  return sentMs + 6 * HOUR;
}

export interface EdgeAsset {
  readonly id: string;
  readonly name: string;
  readonly location: LatLon;
}

/**
 * The CAP message for a draft. `references`: the console-raised messages a Cancel
 * clears (CAP Cancel semantics: the referenced messages end). The area is a small
 * circle round the asset, so the map shows the alert where the sensor is.
 */
export function capOfDraft(
  draft: TelemetryAlertDraft,
  consoleId: string,
  asset: EdgeAsset | null,
  references: readonly CapReference[] = [],
): CapAlert {
  const sentMs = Date.parse(draft.sent);
  const areas: CapArea[] = asset
    ? [{ areaDesc: asset.name, polygons: [], circles: [{ center: asset.location, radiusKm: 0.3 }], geocodes: [] }]
    : [];
  const parameter = [
    { valueName: EDGE_PARAM.assetId, value: draft.assetId },
    { valueName: EDGE_PARAM.kind, value: draft.kind },
    { valueName: EDGE_PARAM.rule, value: draft.rule },
    ...(draft.level ? [{ valueName: EDGE_PARAM.level, value: draft.level }] : []),
    ...(draft.value !== undefined ? [{ valueName: EDGE_PARAM.value, value: `${draft.value} ${draft.unit}` }] : []),
    ...(draft.predictedMinutes !== undefined
      ? [{ valueName: EDGE_PARAM.predictedMinutes, value: draft.predictedMinutes.toFixed(1) }]
      : []),
  ];
  return CapAlert.parse({
    version: '1.2',
    identifier: draft.id,
    sender: edgeSender(consoleId),
    sent: capDateTime(sentMs),
    status: draft.status,
    msgType: draft.msgType,
    scope: 'Restricted',
    restriction: 'Watchfloor consoles of this operations centre',
    note:
      draft.kind === 'maintenance'
        ? 'Raised by a Watchfloor console: sensor maintenance notice, not evidence of danger.'
        : 'Raised by a Watchfloor console from its own telemetry rules.',
    references: [...references],
    // one info block per language the draft carries (English, Simplified Chinese): the console
    // shows the block nearest the officer's language first; codes, parameters and areas are the same
    infos: draft.infos.map((info) => ({
      language: info.language,
      category: [info.category],
      event: info.event,
      urgency: draft.msgType === 'Cancel' ? 'Past' : info.urgency,
      severity: info.severity,
      certainty: info.certainty,
      senderName: `Watchfloor console ${consoleId}`,
      headline: info.headline,
      instruction: info.instruction,
      expires: capDateTime(edgeExpiryMs(draft, sentMs)),
      eventCode: [{ valueName: EDGE_PARAM.sensor, value: draft.sensor }],
      parameter,
      areas,
    })),
  });
}

/** What the hub needs besides the message: the hazard, stated, so it need not trust a parse alone. */
export const RaiseAlertPayload = z.object({
  cap: CapAlert,
  edge: z.object({
    kind: EdgeKind,
    assetId: z.string().min(1).max(64),
    sensor: SensorKind,
    rule: z.enum(['threshold', 'rate', 'prediction', 'frozen', 'spiking', 'missing']),
  }),
});
export type RaiseAlertPayload = z.infer<typeof RaiseAlertPayload>;

/** Everything the hub checks about a console-raised message before deciding it; null when it holds. */
export function edgeProblem(p: RaiseAlertPayload, consoleId: string | undefined): string | null {
  if (!consoleId) return 'The console has not said hello on this connection; reconnect and send it again.';
  if (p.cap.sender !== edgeSender(consoleId))
    return `A console may raise alerts only as ${edgeSender(consoleId)}, not as ${p.cap.sender}.`;
  if (p.cap.msgType !== 'Alert' && p.cap.msgType !== 'Cancel') return 'A console raises Alerts and Cancels only.';
  if (p.cap.msgType === 'Cancel' && p.cap.references.length === 0) return 'A Cancel must name what it cancels.';
  if (p.cap.references.some((r) => r.sender !== p.cap.sender))
    return 'A console may cancel only the alerts it raised itself.';
  const hazard = hazardOf(p.cap);
  if (!hazard || hazard.assetId !== p.edge.assetId || hazard.sensor !== p.edge.sensor || hazard.kind !== p.edge.kind)
    return 'The message does not name the asset, sensor and kind its report says.';
  return null;
}
