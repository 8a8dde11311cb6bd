import type { IncidentType } from '../../shared/domain/incident';
import type { InvokeArgs } from '../../shared/api';

/** What the officer typed in the edit form. */
export interface IncidentEditForm {
  readonly title: string;
  readonly type: IncidentType;
  readonly priority: number;
  readonly commander: string;
}

interface Editable {
  readonly id: string;
  readonly title: string;
  readonly type: IncidentType;
  readonly priority: number;
  readonly commanderName: string;
}

/**
 * The `updateIncident` arguments for what changed, or null when nothing did (the hub
 * refuses an update that changes nothing). A blank title is not a change.
 */
export function incidentEditChanges(incident: Editable, form: IncidentEditForm): InvokeArgs<'updateIncident'> | null {
  const args: { -readonly [K in keyof InvokeArgs<'updateIncident'>]: InvokeArgs<'updateIncident'>[K] } = {
    incidentId: incident.id,
  };
  const title = form.title.trim();
  if (title && title !== incident.title) args.title = title;
  if (form.type !== incident.type) args.incidentType = form.type;
  if (form.priority !== incident.priority) args.priority = form.priority;
  const commander = form.commander.trim();
  if (commander !== (incident.commanderName ?? '')) args.commanderName = commander;
  return Object.keys(args).length > 1 ? args : null;
}

interface WithPeriods {
  readonly operationalPeriods: readonly {
    readonly number: number;
    readonly start: string;
    readonly end: string | null;
  }[];
}

/**
 * The operational period in force: the open one (end null), else the last one; period 1
 * for an incident the hub has not numbered any period of yet. The hub starts the next one
 * itself (`startOperationalPeriod: true`), ending this one at the same instant.
 */
export function periodInForce(incident: WithPeriods): number {
  const periods = incident.operationalPeriods;
  for (let i = periods.length - 1; i >= 0; i--) if (periods[i]!.end === null) return periods[i]!.number;
  return periods[periods.length - 1]?.number ?? 1;
}
