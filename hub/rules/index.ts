import type { MutationType } from '../../shared/domain/mutations';
import { acknowledgeAlert, reinstateAlert } from './alerts';
import type { MutationRule } from './rule';

/**
 * Every mutation type in shared/domain/mutations.ts has exactly one rule here;
 * the mapped type makes a missing rule a compile error. Incidents and units
 * (issue 4) arrive as more modules beside alerts.ts.
 */
export const mutationRules: { readonly [T in MutationType]: MutationRule<T> } = {
  'alert.acknowledge': acknowledgeAlert,
  'alert.reinstate': reinstateAlert,
};

export type { Decision, MutationRule, RuleContext } from './rule';
