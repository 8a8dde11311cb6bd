import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import type { Actor, Role } from '../../shared/domain/officer';
import type { AppError } from '../../shared/errors';
import type { EventDraft } from '../events';
import type { HubState } from '../store/hubStore';

/**
 * One rule per mutation type: who may ask, and what the hub's state says.
 * A rule only decides; the mutation desk stores its answer and appends its
 * events in one transaction. Rules never touch the database themselves.
 */
export interface RuleContext {
  readonly actor: Actor;
  /** the HLC the console stamped on the action */
  readonly hlc: string;
  readonly state: HubState;
}

/**
 * `corroborates` (issue 9, `alert.raise`): accepted without an entry of its own, as a report
 * of an alert already on the log (that alert's id and entry); the desk records it.
 */
export type Decision =
  | {
      readonly ok: true;
      readonly events: EventDraft[];
      readonly corroborates?: { readonly alertId: string; readonly seq: number };
    }
  | { readonly ok: false; readonly error: AppError };

export interface MutationRule<T extends MutationType> {
  readonly type: T;
  readonly allowedRoles: readonly Role[];
  decide(payload: MutationPayload<T>, ctx: RuleContext): Decision;
}

export const accept = (...events: EventDraft[]): Decision => ({ ok: true, events });
export const refuse = (code: AppError['code'], message: string): Decision => ({ ok: false, error: { code, message } });
