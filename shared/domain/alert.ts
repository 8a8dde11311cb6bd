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
});
export type AlertSummary = z.infer<typeof AlertSummary>;

export const AlertDetail = z.object({
  summary: AlertSummary,
  cap: CapAlert,
  source: AlertSource,
});
export type AlertDetail = z.infer<typeof AlertDetail>;
