import type { ConsoleHost } from '../../main/console/host';
import type { IncidentView } from '../../shared/domain/incident';
import type { UnitView } from '../../shared/domain/unit';
import type { AlertSummary } from '../../shared/domain/alert';
import type { IncidentDetail } from '../../shared/responseApi';

/** What one console's officer does (fault scenarios 2–5): its own incident, units and share of the alerts. */
export interface OfficerPlan {
  /** names this officer's incidents and marks every log line (`<tag> <n>`) */
  tag: string;
  /** units only this console moves, so no action is refused for another console's sake */
  units: string[];
  /** acknowledge alerts whose id hashes to `share[0]` modulo `share[1]` */
  share: [number, number];
  /** actions per second */
  rate: number;
}

export interface Written {
  mutationId: string;
  type: string;
  /** unique text carried by the action (log line, incident title), '' when it carries none */
  marker: string;
}

const hash = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

const NEXT_STATUS: Record<string, string | undefined> = {
  dispatched: 'en-route',
  'en-route': 'on-scene',
  'on-scene': 'clearing',
  clearing: 'available',
  'out-of-service': 'available',
};

/**
 * A duty officer at full tilt: opens an incident, dispatches and moves units, writes log
 * entries, ticks checklist steps and acknowledges alerts, each chosen from what the console
 * shows now (so a restarted console carries on from its own state). Every action the console
 * answers is reported as written; actions the console refuses locally are simply skipped.
 */
export class Officer {
  private running = false;
  private loop: Promise<void> | null = null;
  private n = 0;
  private alerts: string[] = [];
  private alertsAt = 0;

  constructor(
    private readonly host: ConsoleHost,
    private readonly plan: OfficerPlan,
    private readonly report: (w: Written) => void,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async value<T>(channel: string, args?: unknown): Promise<T | null> {
    const r = await this.host.invoke(`watchfloor:${channel}`, args);
    return r.ok ? (r.value as T) : null;
  }

  private marker(): string {
    return `${this.plan.tag} ${process.pid}.${++this.n}#`;
  }

  private async act(channel: string, args: Record<string, unknown>, marker = ''): Promise<void> {
    const r = await this.value<{ mutationId: string }>(channel, args);
    if (r) this.report({ mutationId: r.mutationId, type: channel, marker });
  }

  private async incident(): Promise<IncidentView> {
    const mine = (await this.value<IncidentView[]>('getIncidents'))?.filter(
      (i) => i.title.startsWith(`Fault ${this.plan.tag} `) && i.status !== 'closed',
    );
    if (mine?.length) return mine[0]!;
    const marker = this.marker();
    await this.act('openIncident', { title: `Fault ${marker}`, incidentType: 'flooding', priority: 2 }, marker);
    const again = (await this.value<IncidentView[]>('getIncidents'))?.find((i) => i.title === `Fault ${marker}`);
    if (!again) throw new Error('the incident just opened is not on the board');
    return again;
  }

  private async run(): Promise<void> {
    const gap = 1000 / this.plan.rate;
    while (this.running) {
      const started = performance.now();
      try {
        await this.once();
      } catch {
        // The console said no (a refusal is an answer, not a failure of the suite); carry on.
      }
      const wait = gap - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  private async once(): Promise<void> {
    const incident = await this.incident();
    const roll = Math.random();
    if (roll < 0.35) {
      const marker = this.marker();
      await this.act('appendLog', { incidentId: incident.id, text: `Fault log ${marker}` }, marker);
    } else if (roll < 0.65) {
      const units = (await this.value<UnitView[]>('getUnits')) ?? [];
      const mine = units.filter((u) => this.plan.units.includes(u.id));
      const unit = mine[Math.floor(Math.random() * mine.length)];
      if (!unit) return;
      if (unit.status === 'available') await this.act('dispatchUnits', { incidentId: incident.id, unitIds: [unit.id] });
      else if (unit.incidentId && unit.incidentId !== incident.id)
        await this.act('releaseUnit', { unitId: unit.id, incidentId: unit.incidentId });
      else if (NEXT_STATUS[unit.status])
        await this.act('setUnitStatus', { unitId: unit.id, status: NEXT_STATUS[unit.status] });
    } else if (roll < 0.8) {
      const detail = await this.value<IncidentDetail>('getIncident', { incidentId: incident.id });
      const steps = detail?.checklist ?? [];
      const step = steps[Math.floor(Math.random() * steps.length)];
      if (!step) return;
      const marker = this.marker();
      await this.act(
        'setChecklistStep',
        {
          incidentId: incident.id,
          stepId: step.stepId,
          state: step.state === 'done' ? 'open' : 'done',
          remark: marker,
        },
        marker,
      );
    } else if (roll < 0.97) {
      if (performance.now() - this.alertsAt > 5_000) {
        const snap = await this.value<{ alerts: AlertSummary[] }>('getSnapshot');
        this.alerts = (snap?.alerts ?? [])
          .filter((a) => a.ack === null && !a.pendingAck && hash(a.id) % this.plan.share[1] === this.plan.share[0])
          .map((a) => a.id);
        this.alertsAt = performance.now();
      }
      const alertId = this.alerts.shift();
      if (alertId) await this.act('acknowledgeAlert', { alertId, disposition: 'not-relevant' });
    } else {
      // Now and then a fresh incident (the old one is stood down first).
      if (incident.status === 'open' && incident.unitIds.length === 0)
        await this.act('setIncidentStatus', { incidentId: incident.id, status: 'closed' });
    }
  }
}
