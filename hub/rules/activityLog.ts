import { authorLabel } from '../../shared/domain/activityLog';
import { currentPeriod } from '../../shared/domain/incident';
import { newId } from '../../shared/ids';
import type { EventDraft } from '../events';
import type { MutationRule, RuleContext } from './rule';
import { accept, refuse } from './rule';

const PEOPLE = ['officer', 'supervisor'] as const;

/**
 * Automatic ICS 214 entries for one decision. A rule adds them to the events it
 * returns, so they are appended in the same transaction as the action they record
 * (and refused with it). Entries of one decision take consecutive log seqs.
 */
export class LogWriter {
  private readonly drafts: EventDraft[] = [];
  private seq: number;

  constructor(
    private readonly ctx: RuleContext,
    private readonly action: string,
  ) {
    this.seq = ctx.state.lastLogSeq();
  }

  /** An entry about `incidentId` (or none), in the incident's current operational period. */
  add(
    incidentId: string | null,
    text: string,
    extra: { id?: string; kind?: 'auto' | 'manual'; corrects?: string } = {},
  ): this {
    const incident = incidentId ? this.ctx.state.incident(incidentId) : null;
    this.seq += 1;
    this.drafts.push({
      type: 'log.appended',
      payload: {
        id: extra.id ?? newId(),
        seq: this.seq,
        incidentId,
        operationalPeriod: incident ? currentPeriod(incident) : incidentId ? 1 : null,
        at: this.ctx.state.now(),
        author: this.ctx.actor.name,
        position: this.ctx.actor.position ?? '',
        text: text.slice(0, 4_000),
        kind: extra.kind ?? 'auto',
        corrects: extra.corrects ?? null,
        action: this.action,
      },
    });
    return this;
  }

  entries(): EventDraft[] {
    return this.drafts;
  }
}

export const who = (ctx: RuleContext): string => authorLabel(ctx.actor);

/**
 * A manual entry, or a correction: a new entry that names the one it corrects (entries
 * are never edited). A correction stays in the corrected entry's incident.
 */
export const appendLog: MutationRule<'log.append'> = {
  type: 'log.append',
  allowedRoles: PEOPLE,
  decide(p, ctx) {
    if (ctx.state.logEntry(p.entryId))
      return refuse('CONFLICT', `Log entry ${p.entryId} already exists; the console must give each entry a new id.`);
    if (p.incidentId !== null && !ctx.state.incident(p.incidentId))
      return refuse(
        'NOT_FOUND',
        `The hub has no incident ${p.incidentId}; it may have been opened offline and refused.`,
      );
    if (p.corrects !== undefined) {
      const corrected = ctx.state.logEntry(p.corrects);
      if (!corrected)
        return refuse(
          'NOT_FOUND',
          `The hub has no log entry ${p.corrects} to correct; it may not have been confirmed yet.`,
        );
      if (corrected.incidentId !== p.incidentId)
        return refuse(
          'BAD_REQUEST',
          `A correction belongs to the same incident as the entry it corrects (entry ${corrected.seq}).`,
        );
    }
    return accept(
      ...new LogWriter(ctx, 'log.append')
        .add(p.incidentId, p.text, { id: p.entryId, kind: 'manual', ...(p.corrects ? { corrects: p.corrects } : {}) })
        .entries(),
    );
  },
};
