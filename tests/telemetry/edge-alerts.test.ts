import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { citySensors, namedScenario, telemetryReading, type ScenarioName } from '../../hub/simulator/telemetry';
import { Replica } from '../../main/replica/replica';
import { EdgeWarnings } from '../../main/telemetry/edgeWarnings';
import { TelemetryRuleEngine } from '../../shared/telemetry/rules/engine';
import type { AlertSummary } from '../../shared/domain/alert';
import type { HubEvent } from '../../shared/domain/events';
import { EDGE_SENDER_PREFIX, RaiseAlertPayload } from '../../shared/telemetry/edge';
import type { TelemetryAlertDraft } from '../../shared/telemetry/rules/drafts';
import { tempDir } from '../main/fixtures';
import { demoCity, loadRuleSets, MINUTE, MONDAY } from './support';

/**
 * Early warning at the edge (issue 9, decision 0032), in a real replica file: the engine's
 * hits become local alerts in the replica's queue at once (no hub at all here), each with
 * its alert.raise outbox row; Cancel hits close what they clear; the hub's entry for the
 * same id later replaces the row instead of adding one; faulty sensors raise maintenance
 * notices only.
 */
const START = MONDAY + 10 * 60 * MINUTE;
const WARMUP = 2 * 60 * MINUTE;
let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.reverse()) c();
  cleanups = [];
});

function setup(): { replica: Replica; edge: EdgeWarnings; changed: string[][] } {
  const t = tempDir('watchfloor-edge-');
  cleanups.push(t.cleanup);
  const replica = new Replica({ file: path.join(t.dir, 'replica.sqlite'), consoleId: 'console-e1', officer: 'ada' });
  cleanups.push(() => replica.close());
  const events: HubEvent[] = demoCity().assets.map((a, i) => ({
    seq: i + 1,
    at: new Date(START).toISOString(),
    mutationId: null,
    type: 'asset.upserted',
    payload: a.asset,
  }));
  expect(replica.applyEvents(events).applied).toBe(events.length);
  const changed: string[][] = [];
  const edge = new EdgeWarnings({
    db: replica.db,
    ruleSets: loadRuleSets,
    record: (drafts, levelNow) => replica.edge.record(drafts, levelNow),
    onAlerts: (ids) => changed.push(ids),
  });
  return { replica, edge, changed };
}

/** Runs a named scenario minute by minute; `each` sees the drafts of every minute as they come. */
function run(
  edge: EdgeWarnings,
  name: ScenarioName,
  hours: number,
  each?: (drafts: TelemetryAlertDraft[], t: number) => void,
): { drafts: TelemetryAlertDraft[]; assetId: string } {
  const sc = namedScenario(demoCity(), name, START);
  const sensors = citySensors(demoCity()).filter((s) => s.asset.asset.id === sc.assetId);
  const drafts: TelemetryAlertDraft[] = [];
  for (let t = START - WARMUP; t <= START + hours * 60 * MINUTE; t += MINUTE) {
    const readings = sensors.map((s) => telemetryReading(s.asset, s.sensor, t, sc.scenarios)).filter((r) => r !== null);
    const out = [...edge.ingest(readings), ...edge.sweep(t)];
    drafts.push(...out);
    each?.(out, t);
  }
  return { drafts, assetId: sc.assetId };
}

/** The danger alerts this console raised, current or not. */
const edgeRows = (replica: Replica): AlertSummary[] =>
  replica.alertQueue().filter((a) => a.edge !== null && a.edge.kind === 'danger');

describe('edge alerts in the replica', () => {
  it('a strain ramp raises its prediction before the crossing, shown in the queue at once with its outbox row', () => {
    const { replica, edge, changed } = setup();
    expect(edge.sensorCount).toBeGreaterThan(0);
    let predictedAt: number | null = null;
    let crossedAt: number | null = null;
    const bridge = namedScenario(demoCity(), 'strain-ramp', START).assetId;
    run(edge, 'strain-ramp', 6, (drafts, t) => {
      for (const d of drafts) {
        // (the city's other sensors get no readings here: the sweep reports them missing)
        if (d.msgType !== 'Alert' || d.assetId !== bridge || d.kind !== 'danger') continue;
        // visible in the queue the moment the engine raised it: same call, no hub
        const row = replica.alertQueue().find((a) => a.identifier === d.id);
        expect(row, `${d.rule} in the queue`).toBeDefined();
        expect(row?.edge).toEqual({ kind: 'danger', consoleId: 'console-e1', here: true, onHub: false });
        expect(row?.sender).toBe(`${EDGE_SENDER_PREFIX}console-e1`);
        if (d.rule === 'prediction' && d.level === 'alarm') predictedAt ??= t;
        if (d.rule === 'threshold' && d.level === 'alarm') crossedAt ??= t;
      }
    });
    expect(predictedAt).not.toBeNull();
    expect(crossedAt).not.toBeNull();
    const leadMinutes = ((crossedAt as unknown as number) - (predictedAt as unknown as number)) / MINUTE;
    console.log(JSON.stringify({ edge: 'strain-ramp', alarmLeadMinutes: leadMinutes }));
    expect(leadMinutes).toBeGreaterThan(0);
    expect(changed.length).toBeGreaterThan(0);

    // every raised message waits in the outbox as alert.raise, with the CAP message whole
    const outbox = replica.outbox();
    const raises = outbox.filter((r) => r.type === 'alert.raise');
    expect(raises.length).toBe(replica.alertQueue().filter((a) => a.edge).length);
    for (const r of raises) {
      expect(r.state).toBe('pending');
      expect(RaiseAlertPayload.safeParse(r.payload).success).toBe(true);
      // the console's report, not Ada's action: her signing out cannot strand it (decision 0036)
      expect(r.officer).toBeNull();
    }
    expect(replica.acknowledgeAlert({ alertId: edgeRows(replica)[0]!.id }).created).toBe(true);
    expect(replica.outbox().find((r) => r.type === 'alert.acknowledge')?.officer).toBe('ada');
    const detail = replica.alertDetail(edgeRows(replica)[0]!.id);
    expect(detail?.cap.sender).toBe(`${EDGE_SENDER_PREFIX}console-e1`);
    expect(detail?.source.kind).toBe('sensor-rule');
  });

  it("the hub's entry for the same message replaces the local row: one alert, now on the hub", () => {
    const { replica, edge } = setup();
    run(edge, 'strain-ramp', 3);
    const before = replica.alertQueue().length;
    const local = edgeRows(replica)[0]!;
    const raise = replica.outbox().find((r) => r.type === 'alert.raise' && r.target === `alert:${local.id}`)!;
    const { cap } = RaiseAlertPayload.parse(raise.payload);
    const seq = replica.cursor() + 1;
    const result = replica.applyEvents([
      {
        seq,
        at: new Date().toISOString(),
        mutationId: raise.id,
        type: 'alert.received',
        payload: {
          alertId: local.id,
          cap,
          source: { kind: 'sensor-rule', name: 'Watchfloor console console-e1 (Ada)' },
        },
      },
    ]);
    expect(result.confirmed).toEqual([raise.id]);
    expect(replica.alertQueue()).toHaveLength(before);
    const merged = replica.alertSummaries([local.id])[0]!;
    expect(merged.edge).toMatchObject({ kind: 'danger', here: true, onHub: true });
    expect(merged.receivedSeq).toBe(seq);
  });

  it('a reported duplicate steps aside for the alert the hub already had', () => {
    const { replica, edge } = setup();
    run(edge, 'strain-ramp', 3);
    const local = edgeRows(replica).find((a) => a.lifecycle === 'current')!;
    const raise = replica.outbox().find((r) => r.target === `alert:${local.id}`)!;
    replica.markSent(raise.id);
    const r = replica.markCorroborated(raise.id, 5, 'sensors@porthalden.example,PH-00000001');
    expect(r?.alerts).toContain(local.id);
    expect(replica.outbox().find((o) => o.id === raise.id)?.state).toBe('confirmed');
    const row = replica.alertSummaries([local.id])[0]!;
    expect(row.lifecycle).toBe('superseded');
    expect(row.supersededBy).toBe('sensors@porthalden.example,PH-00000001');
  });

  it.each<ScenarioName>(['frozen-sensor', 'spiking-sensor', 'silent-sensor'])(
    '%s raises maintenance notices only, never danger',
    (name) => {
      const { replica, edge } = setup();
      const { drafts: all, assetId } = run(edge, name, 4);
      const drafts = all.filter((d) => d.assetId === assetId);
      const rows = replica.alertQueue().filter((a) => a.edge && a.identifier.includes(`:${assetId}/`));
      console.log(
        JSON.stringify({
          edge: name,
          maintenance: rows.filter((a) => a.edge?.kind === 'maintenance').length,
          danger: rows.filter((a) => a.edge?.kind === 'danger').length,
        }),
      );
      expect(drafts.some((d) => d.kind === 'maintenance' && d.msgType === 'Alert')).toBe(true);
      expect(rows.some((a) => a.edge?.kind === 'maintenance')).toBe(true);
      expect(rows.filter((a) => a.edge?.kind === 'danger')).toEqual([]);
      for (const a of rows.filter((r) => r.edge?.kind === 'maintenance')) {
        expect(a.severity).toBe('Minor');
        expect(a.event).toBe('Sensor maintenance');
      }
    },
  );

  it('a Cancel hit closes the message it clears (CAP Cancel), and a restarted engine does not raise it twice', () => {
    const { replica, edge } = setup();
    const sc = namedScenario(demoCity(), 'silent-sensor', START);
    // silent for a while, then reporting again: the notice is raised, then cancelled
    const sensors = citySensors(demoCity()).filter((s) => s.asset.asset.id === sc.assetId && s.sensor === 'strain');
    const ingestAt = (t: number, silent: boolean) => {
      if (!silent) edge.ingest(sensors.map((s) => telemetryReading(s.asset, s.sensor, t)).filter((r) => r !== null));
      edge.sweep(t);
    };
    for (let t = START - WARMUP; t < START; t += MINUTE) ingestAt(t, false);
    for (let t = START; t < START + 90 * MINUTE; t += MINUTE) ingestAt(t, true);
    const mine = (a: AlertSummary) => a.identifier.includes(`:${sc.assetId}/strain:`);
    const raised = replica
      .alertQueue()
      .filter((a) => mine(a) && a.edge?.kind === 'maintenance' && a.msgType === 'Alert');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.lifecycle).toBe('current');
    ingestAt(START + 90 * MINUTE, false);
    const after = replica.alertSummaries([raised[0]!.id])[0]!;
    expect(after.lifecycle).toBe('cancelled');
    const cancel = replica.alertQueue().find((a) => mine(a) && a.msgType === 'Cancel');
    expect(cancel?.edge?.kind).toBe('maintenance');
    expect(
      replica.outbox().filter((r) => r.type === 'alert.raise' && r.target.includes(`:${sc.assetId}/strain:`)),
    ).toHaveLength(2);

    // the same hit again (an engine rebuilt after a restart raises what it sees): once
    const again = new EdgeWarnings({
      db: replica.db,
      ruleSets: loadRuleSets,
      record: (d, l) => replica.edge.record(d, l),
      onAlerts: () => {},
    });
    for (let t = START + 91 * MINUTE; t < START + 200 * MINUTE; t += MINUTE) again.sweep(t);
    const notices = replica
      .alertQueue()
      .filter((a) => mine(a) && a.edge?.kind === 'maintenance' && a.msgType === 'Alert');
    // a new silence after the clear is a new notice; an open one is never raised twice
    const open = notices.filter((a) => a.lifecycle === 'current');
    expect(open.length).toBeLessThanOrEqual(1);
  });
});

describe('rebuilding the engine', () => {
  it('keeps what unchanged sensors learnt: a rebuild mid-ramp raises the same drafts as no rebuild', () => {
    const sc = namedScenario(demoCity(), 'strain-ramp', START);
    const sensors = citySensors(demoCity()).filter((s) => s.asset.asset.id === sc.assetId);
    const assets = [sensors[0]!.asset.asset];
    const runWith = (rebuildAt: number | null): string[] => {
      let engine = new TelemetryRuleEngine(loadRuleSets(), assets);
      const ids: string[] = [];
      for (let t = START - WARMUP; t <= START + 4 * 60 * MINUTE; t += MINUTE) {
        if (t === rebuildAt) {
          const next = new TelemetryRuleEngine(loadRuleSets(), assets);
          next.adoptFrom(engine);
          engine = next;
        }
        for (const s of sensors) {
          const r = telemetryReading(s.asset, s.sensor, t, sc.scenarios);
          if (r) ids.push(...engine.ingest(r).map((d) => d.id));
        }
      }
      return ids;
    };
    const straight = runWith(null);
    expect(straight.some((id) => id.includes(':prediction:'))).toBe(true);
    // rebuilt just as the trend begins to show: nothing is lost or raised twice
    expect(runWith(START + 20 * MINUTE)).toEqual(straight);
    // an engine that did not adopt starts its windows again and predicts later
    const fresh = (() => {
      let engine = new TelemetryRuleEngine(loadRuleSets(), assets);
      const ids: string[] = [];
      for (let t = START - WARMUP; t <= START + 4 * 60 * MINUTE; t += MINUTE) {
        if (t === START + 20 * MINUTE) engine = new TelemetryRuleEngine(loadRuleSets(), assets);
        for (const s of sensors) {
          const r = telemetryReading(s.asset, s.sensor, t, sc.scenarios);
          if (r) ids.push(...engine.ingest(r).map((d) => d.id));
        }
      }
      return ids;
    })();
    expect(fresh).not.toEqual(straight);
  });
});
