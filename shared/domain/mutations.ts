import { z } from 'zod';
import { Disposition } from './alert';
import { ResponseMutations } from './responseMutations';
import { RaiseAlertPayload } from '../telemetry/edge';
import { SetTelemetryRulePayload } from '../telemetry/rules/edits';

/**
 * What a console asks the hub to do. Each is made locally with a UUIDv7 id, written
 * to the outbox in the same transaction as its local effect, and sent when the hub
 * is reachable. The hub decides; its answer is an event on the log, or a coded refusal.
 */
export const AcknowledgeAlert = z.object({
  type: z.literal('alert.acknowledge'),
  payload: z.object({
    alertId: z.string().min(1).max(1_100),
    disposition: Disposition.optional(),
    note: z.string().max(2_000).optional(),
  }),
});

/** Put an acknowledged alert back in the queue (a wrong disposition, new information). */
export const ReinstateAlert = z.object({
  type: z.literal('alert.reinstate'),
  payload: z.object({
    alertId: z.string().min(1).max(1_100),
    note: z.string().max(2_000).optional(),
  }),
});

/** A supervisor replaces one telemetry rule set (issue 9, decision 0034); the reason goes on the log. */
export const SetTelemetryRules = z.object({
  type: z.literal('telemetry.rules.set'),
  payload: SetTelemetryRulePayload,
});

/**
 * An alert raised by this console's own telemetry rules (issue 9, decision 0032): a CAP
 * message from `watchfloor-console:<consoleId>`. The hub deduplicates it against its own
 * alerts on the same asset and sensor; see docs/protocol.md.
 */
export const RaiseAlert = z.object({ type: z.literal('alert.raise'), payload: RaiseAlertPayload });

/** Incident response (issue 4): incident.*, unit.*, log.append, checklist.setStep — see ./responseMutations. */
export const Mutation = z.discriminatedUnion('type', [
  AcknowledgeAlert,
  ReinstateAlert,
  RaiseAlert,
  SetTelemetryRules,
  ...ResponseMutations,
]);
export type Mutation = z.infer<typeof Mutation>;
export type MutationType = Mutation['type'];
export type MutationPayload<T extends MutationType> = Extract<Mutation, { type: T }>['payload'];
