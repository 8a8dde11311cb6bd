import { z } from 'zod';
import { LatLon } from './geo';

/**
 * The CAP model every alert is mapped to, whatever its source (CAP 1.0/1.1/1.2 XML,
 * USGS GeoJSON, the city's own sensors). Field names follow OASIS CAP 1.2 §3.
 * The console never parses XML: the hub ingests and sends this model.
 */
export const CapStatus = z.enum(['Actual', 'Exercise', 'System', 'Test', 'Draft']);
export const CapMsgType = z.enum(['Alert', 'Update', 'Cancel', 'Ack', 'Error']);
export const CapScope = z.enum(['Public', 'Restricted', 'Private']);
export const CapCategory = z.enum([
  'Geo', 'Met', 'Safety', 'Security', 'Rescue', 'Fire', 'Health', 'Env', 'Transport', 'Infra', 'CBRNE', 'Other',
]);
export const CapResponseType = z.enum([
  'Shelter', 'Evacuate', 'Prepare', 'Execute', 'Avoid', 'Monitor', 'Assess', 'AllClear', 'None',
]);
export const CapUrgency = z.enum(['Immediate', 'Expected', 'Future', 'Past', 'Unknown']);
export const CapSeverity = z.enum(['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']);
export const CapCertainty = z.enum(['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown']);
export type CapStatus = z.infer<typeof CapStatus>;
export type CapMsgType = z.infer<typeof CapMsgType>;
export type CapUrgency = z.infer<typeof CapUrgency>;
export type CapSeverity = z.infer<typeof CapSeverity>;
export type CapCertainty = z.infer<typeof CapCertainty>;

/** CAP date-time: offset required, no fractional seconds, e.g. 2022-10-10T18:15:20-00:00. */
export const CapDateTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d$/, 'not a CAP date-time');

const text = (max: number) => z.string().max(max);

export const NamedValue = z.object({ valueName: text(500), value: text(10_000) });

/** A ring of at least 4 points whose first and last are equal (CAP §3.3.3 polygon). */
export const Polygon = z.array(LatLon).min(4).max(100_000);
export const Circle = z.object({ center: LatLon, radiusKm: z.number().min(0).max(20_000) });

export const CapArea = z.object({
  areaDesc: text(2_000),
  polygons: z.array(Polygon).max(1_000).default([]),
  circles: z.array(Circle).max(1_000).default([]),
  geocodes: z.array(NamedValue).max(10_000).default([]),
  altitude: z.number().optional(),
  ceiling: z.number().optional(),
});
export type CapArea = z.infer<typeof CapArea>;

export const CapResource = z.object({
  resourceDesc: text(2_000),
  mimeType: text(200),
  size: z.number().int().nonnegative().optional(),
  uri: text(4_000).optional(),
  /** Inline content is not carried to consoles; only whether the message had it. */
  hasDerefUri: z.boolean().optional(),
  digest: text(200).optional(),
});

export const CapInfo = z.object({
  language: text(35).default('en-US'),
  category: z.array(CapCategory).min(1),
  event: text(500),
  responseType: z.array(CapResponseType).default([]),
  urgency: CapUrgency,
  severity: CapSeverity,
  certainty: CapCertainty,
  audience: text(2_000).optional(),
  eventCode: z.array(NamedValue).default([]),
  effective: CapDateTime.optional(),
  onset: CapDateTime.optional(),
  expires: CapDateTime.optional(),
  senderName: text(500).optional(),
  headline: text(1_000).optional(),
  description: text(20_000).optional(),
  instruction: text(20_000).optional(),
  web: text(4_000).optional(),
  contact: text(2_000).optional(),
  parameter: z.array(NamedValue).default([]),
  resources: z.array(CapResource).default([]),
  areas: z.array(CapArea).default([]),
});
export type CapInfo = z.infer<typeof CapInfo>;

/** One entry of `references`: "sender,identifier,sent". */
export const CapReference = z.object({ sender: text(500), identifier: text(500), sent: text(40) });
export type CapReference = z.infer<typeof CapReference>;

export const CapAlert = z.object({
  /** The CAP version the message was written in; all are mapped to this model. */
  version: z.enum(['1.0', '1.1', '1.2']),
  identifier: text(500).min(1),
  sender: text(500).min(1),
  sent: CapDateTime,
  status: CapStatus,
  msgType: CapMsgType,
  source: text(500).optional(),
  scope: CapScope,
  restriction: text(2_000).optional(),
  addresses: text(10_000).optional(),
  code: z.array(text(500)).default([]),
  note: text(10_000).optional(),
  references: z.array(CapReference).default([]),
  incidents: text(2_000).optional(),
  infos: z.array(CapInfo).default([]),
});
export type CapAlert = z.infer<typeof CapAlert>;

/** Severity rank for ordering queues: higher is worse. */
export const severityRank: Readonly<Record<CapSeverity, number>> = {
  Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 0,
};
export const urgencyRank: Readonly<Record<CapUrgency, number>> = {
  Immediate: 4, Expected: 3, Future: 2, Past: 1, Unknown: 0,
};
export const certaintyRank: Readonly<Record<CapCertainty, number>> = {
  Observed: 4, Likely: 3, Possible: 2, Unlikely: 1, Unknown: 0,
};
