import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChecklistTemplate } from '../shared/domain/checklist';
import type { IncidentType } from '../shared/domain/incident';

/**
 * SOP checklists are data (assets/checklists/*.json), parsed with the shared schema.
 * A file that fails it stops the hub at start rather than attaching half a checklist.
 */
export const DEFAULT_CHECKLISTS_DIR = fileURLToPath(new URL('../assets/checklists', import.meta.url));

export function loadChecklists(dir = DEFAULT_CHECKLISTS_DIR): Map<IncidentType, ChecklistTemplate> {
  const byType = new Map<IncidentType, ChecklistTemplate>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const parsed = ChecklistTemplate.safeParse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    if (!parsed.success) {
      throw new Error(
        `checklist ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    const ids = new Set(parsed.data.steps.map((s) => s.stepId));
    if (ids.size !== parsed.data.steps.length) throw new Error(`checklist ${file}: a stepId is used twice`);
    if (byType.has(parsed.data.incidentType))
      throw new Error(`checklist ${file}: a second checklist for ${parsed.data.incidentType}`);
    byType.set(parsed.data.incidentType, parsed.data);
  }
  return byType;
}

let cached: Map<IncidentType, ChecklistTemplate> | null = null;

/** The checklist attached to incidents of `type`, from the default directory (read once). */
export function checklistFor(type: IncidentType): ChecklistTemplate | null {
  cached ??= loadChecklists();
  return cached.get(type) ?? null;
}
