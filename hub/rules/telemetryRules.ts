import { authorLabel } from '../../shared/domain/activityLog';
import { checkRuleSet, describeRuleChange, ruleSetKey, ruleSetLabel } from '../../shared/telemetry/rules/edits';
import { bundledRuleSet } from '../telemetryRules';
import { LogWriter } from './activityLog';
import type { MutationRule } from './rule';
import { accept, refuse } from './rule';

/**
 * A supervisor replaces one telemetry rule set (issue 9, decision 0034). Supervisors
 * only: the levels decide when every console in the room warns. The hub checks the
 * rule set with the same schema as the editor and the console, appends the change
 * with what it replaced (the hub's newest edit, else the bundled file), and writes an
 * ICS 214 entry outside any incident naming every setting changed and the reason,
 * so the change is on the hash chain and in the after-action review.
 */
export const setTelemetryRules: MutationRule<'telemetry.rules.set'> = {
  type: 'telemetry.rules.set',
  allowedRoles: ['supervisor'],
  decide(payload, ctx) {
    const checked = checkRuleSet(payload.ruleSet);
    if (!checked.ok)
      return refuse('BAD_REQUEST', `The rule set was refused: ${checked.message}. Correct it and save again.`);
    const ruleSet = checked.value;
    const edited = ctx.state.editedRuleSet(ruleSet.assetKind, ruleSet.namePrefix ?? '');
    const bundled = edited ? null : bundledRuleSet(ruleSetKey(ruleSet));
    const previous = edited
      ? { ruleSet: edited.ruleSet, source: 'edited' as const }
      : bundled
        ? { ruleSet: bundled, source: 'bundled' as const }
        : null;
    const changes = describeRuleChange(previous?.ruleSet ?? null, ruleSet);
    if (previous && changes.length === 0)
      return refuse(
        'CONFLICT',
        `The ${ruleSetLabel(ruleSet)} rules in force already have these settings; nothing changed.`,
      );
    const what = previous ? changes.join('; ') : `new rule set (${ruleSet.sensors.map((s) => s.sensor).join(', ')})`;
    const text = `Telemetry rules for ${ruleSetLabel(ruleSet)} changed by ${authorLabel(ctx.actor)}: ${what}. Reason: ${payload.reason}`;
    const log = new LogWriter(ctx, 'telemetry.rules.set').add(null, text);
    return accept(
      {
        type: 'telemetry.rules.changed',
        payload: { ruleSet, previous, reason: payload.reason, by: ctx.actor, hlc: ctx.hlc },
      },
      ...log.entries(),
    );
  },
};
