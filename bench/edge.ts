import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoCity } from '../hub/simulator/city';
import { Replica } from '../main/replica/replica';
import type { HubEvent } from '../shared/domain/events';
import { toAlertDraft } from '../shared/telemetry/rules/drafts';
import type { BenchContext } from './harness';
import type { Figure } from './report';

/**
 * Early warning at the edge (issue 9, decision 0032): what it costs the replica worker to make
 * a rule hit an alert the officer sees — the CAP message, its `alerts` row (lifecycle, affected
 * assets queued, group), its `edge_alerts` row and its `alert.raise` outbox row, in one
 * transaction on a real SQLite file holding the demo city — and to clear it again (a Cancel
 * that references it). Timed per hit; p50 and p99.
 */
export async function edge(ctx: BenchContext): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'watchfloor-bench-edge-'));
  const replica = new Replica({ file: join(dir, 'replica.sqlite'), consoleId: 'bench-edge' });
  try {
    const city = buildDemoCity();
    const events: HubEvent[] = city.assets.map((a, i) => ({
      seq: i + 1,
      at: new Date().toISOString(),
      mutationId: null,
      type: 'asset.upserted',
      payload: a.asset,
    }));
    replica.applyEvents(events);
    const bridges = city.assets.filter((a) => a.asset.kind === 'bridge').map((a) => a.asset);
    const n = ctx.quick ? 100 : 600;
    const raise: number[] = [];
    const clear: number[] = [];
    let t = Date.now();
    for (let i = 0; i < n; i++) {
      const b = bridges[i % bridges.length]!;
      const base = { assetId: b.id, assetName: b.name, sensor: 'strain' as const, level: 'warning' as const };
      t += 60_000;
      const up = toAlertDraft({ ...base, rule: 'threshold', phase: 'raised', t, value: 610 });
      let start = performance.now();
      replica.edge.record([up], () => 'warning');
      raise.push(performance.now() - start);
      const down = toAlertDraft({ ...base, rule: 'threshold', phase: 'cleared', t: t + 1_000, value: 560 });
      start = performance.now();
      replica.edge.record([down], () => 'normal');
      clear.push(performance.now() - start);
    }
    const pct = (xs: number[], p: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
    ctx.note(
      `edge: ${n} threshold hits raised and cleared on a replica with the demo city (${city.assets.length} assets); ` +
        `each is the alerts row + edge_alerts row + alert.raise outbox row in one transaction.`,
    );
    return [
      { name: 'edge alert raised locally (row + outbox), p50', value: +pct(raise, 0.5).toFixed(2), unit: 'ms' },
      { name: 'edge alert raised locally (row + outbox), p99', value: +pct(raise, 0.99).toFixed(2), unit: 'ms' },
      { name: 'edge alert cleared locally (CAP Cancel + outbox), p50', value: +pct(clear, 0.5).toFixed(2), unit: 'ms' },
      {
        name: 'edge alert cleared locally (CAP Cancel + outbox), p99',
        value: +pct(clear, 0.99).toFixed(2),
        unit: 'ms',
      },
    ];
  } finally {
    replica.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
