import { z } from 'zod';
import { CapAlert, CapCertainty, CapMsgType, CapSeverity, CapStatus, CapUrgency } from './cap';
import { BBox, LatLon } from './geo';

/** Where an alert came from, for dedupe and for the officer's trust in it. */
export const AlertSource = z.object({
  kind: z.enum(['simulator', 'cap-post', 'cap-file', 'cap-feed', 'usgs', 'sensor-rule']),
  name: z.string().max(500),
});
export type AlertSource = z.infer<typeof AlertSource>;

/** An officer's verdict on an alert (ISA-18.2 / EOC triage). */
export const Disposition = z.enum([
  'relevant-no-impact',
  'relevant-some-impact',
  'relevant-significant-impact',
  'duplicate',
  'not-relevant',
  'false-positive',
]);
export type Disposition = z.infer<typeof Disposition>;

/** Stable id of a CAP message on the hub: its sender and identifier (unique per sender, CAP §3.2.1). */
export const alertIdOf = (cap: { sender: string; identifier: string }): string => `${cap.sender},${cap.identifier}`;

export const AlertAck = z.object({
  by: z.string(),
  at: z.string(),
  disposition: Disposition.optional(),
  note: z.string().max(2_000).optional(),
});
export type AlertAck = z.infer<typeof AlertAck>;

/**
 * What the queue and the map need about one alert: small, flat, and the same shape
 * from the replica to the renderer store. The full CAP message is fetched on demand.
 */
export const AlertSummary = z.object({
  id: z.string(),
  identifier: z.string(),
  sender: z.string(),
  sent: z.string(),
  status: CapStatus,
  msgType: CapMsgType,
  event: z.string(),
  headline: z.string(),
  severity: CapSeverity,
  urgency: CapUrgency,
  certainty: CapCertainty,
  /** Where to put the marker: the centre of the first area, if any. */
  center: LatLon.nullable(),
  bbox: BBox.nullable(),
  receivedSeq: z.number().int(),
  receivedAt: z.string(),
  /** hub-confirmed acknowledgement */
  ack: AlertAck.nullable(),
  /** an acknowledgement made here and not yet confirmed by the hub */
  pendingAck: z.boolean(),
  /**
   * Where the message stands in its Update/Cancel chain (CAP `references` as a set):
   * `current` is shown in the queue; `superseded` by a later Update, or `cancelled`,
   * stay one click away in the history of the message that replaced them.
   */
  lifecycle: z.enum(['current', 'superseded', 'cancelled']).default('current'),
  /** the id of the message that superseded or cancelled this one */
  supersededBy: z.string().nullable().default(null),
  /** correlation group: alerts of one event type over overlapping areas, or on one asset */
  groupId: z.string().nullable().default(null),
  /** how many replica assets lie inside the alert's areas */
  affectedCount: z.number().int().nonnegative().default(0),
  /** languages of the info blocks, in message order */
  languages: z.array(z.string()).default([]),
  /**
   * Raised by a console's own telemetry rules (issue 9, decision 0032), else null:
   * `kind` danger or a sensor maintenance notice, which console, whether it is this one,
   * and whether the hub has it on its log yet (false: only here, waiting in the outbox).
   */
  edge: z
    .object({
      kind: z.enum(['danger', 'maintenance']),
      consoleId: z.string(),
      here: z.boolean(),
      onHub: z.boolean(),
    })
    .nullable()
    .default(null),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

/** An asset inside an alert's area, for the detail's list (ordered by criticality). */
export const AffectedAsset = z.object({
  assetId: z.string(),
  name: z.string(),
  kind: z.string(),
  district: z.string(),
  criticality: z.number().int(),
});
export type AffectedAsset = z.infer<typeof AffectedAsset>;

export const AlertDetail = z.object({
  summary: AlertSummary,
  cap: CapAlert,
  source: AlertSource,
  /** earlier messages this one superseded or cancelled, oldest first */
  history: z.array(AlertSummary).default([]),
  affectedAssets: z.array(AffectedAsset).default([]),
  /** other members of the correlation group, if any */
  groupMembers: z.array(AlertSummary).default([]),
});
export type AlertDetail = z.infer<typeof AlertDetail>;
