import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { SyncCounters } from '../main/sync/engine';
import { startHubProcess } from './hub-process';
import { tempDir, watchedHost, workerKind, type BenchContext } from './harness';
import { rawUpsertRate } from './raw-sqlite';
import type { Figure } from './report';

const SEVERITY_RANK: Record<string, number> = { Extreme: 4, Severe: 3, Moderate: 2, Minor: 1, Unknown: 0 };

/**
 * Figure 1. The console online, the hub (own process) appends N simulator alerts at once
 * through its append and publish path; measured from the hub's emit to the host's push
 * listener (the renderer's feed, coalesced per frame) reporting the cursor at the hub's head.
 * The alerts are made by the simulator and checked by the hub before the clock starts
 * (hub-child.ts), so the figure is the console's, not the simulator's. The renderer is not in
 * the loop here (figure 5 runs it). Raw limit: better-sqlite3 upserting the very same alert
 * rows (id, severity, sent, CAP JSON) in batches of 500.
 */
export async function ingest(ctx: BenchContext): Promise<Figure[]> {
  // Sized to the run's limit (issue 8); the ratio is against the raw rate of these same rows.
  const n = ctx.quick ? 300 : 3_000;
  const waitMs = Math.max(5_000, (ctx.budgetMs ?? 120_000) * 0.7);
  const hubDir = tempDir('ingest-hub');
  const consoleDir = tempDir('ingest-console');
  const hub = await startHubProcess({ dataDir: hubDir.path });
  try {
    // made in the hub's process while the console starts, before the clock
    const prepared = hub.prepare(n);
    prepared.catch(() => undefined);
    const watched = await watchedHost(hub, consoleDir.path);
    try {
      await watched.online();
      const made = await prepared;
      const before = (await watched.host.call('getSyncCounters')) as { ok: true; value: SyncCounters };
      const t0 = performance.now();
      const sim = await hub.emit();
      const emitted = performance.now();
      let complete = true;
      await watched.cursorAt(sim.head, waitMs).catch(() => (complete = false));
      const seconds = (performance.now() - t0) / 1000;
      const delivered = (watched.status()?.cursor ?? 0) - (sim.head - n);
      const after = (await watched.host.call('getSyncCounters')) as { ok: true; value: SyncCounters };
      const applied = after.value.eventsApplied - before.value.eventsApplied;
      const applyMs = after.value.applyMs - before.value.applyMs;

      // The same rows, raw.
      const db = new Database(join(hubDir.path, 'hub.sqlite'), { readonly: true });
      const rows = (
        db.prepare(`SELECT payload FROM events WHERE type = 'alert.received'`).all() as { payload: string }[]
      ).map((r) => {
        const p = JSON.parse(r.payload) as { alertId: string; cap: { sent: string; infos: { severity: string }[] } };
        return {
          id: p.alertId,
          doc: r.payload,
          severity: SEVERITY_RANK[p.cap.infos[0]?.severity ?? ''] ?? 0,
          sent: p.cap.sent,
        };
      });
      db.close();
      const limit = rawUpsertRate(rows);
      // Over what arrived when the budget ended short of the head: the rate so far.
      const value = Math.min(n, delivered) / seconds;
      if (!complete)
        ctx.note(
          `Ingest: the budget (${(waitMs / 1000).toFixed(0)} s) ended with ${delivered} of ${n} events delivered; the rate is over those.`,
        );
      ctx.note(
        `Ingest: ${n} simulator alerts (~2.3 KB each; made and checked by the hub in ${(made.ms / 1000).toFixed(1)} s ` +
          `before the clock) appended and published by the hub in its own process ` +
          `in ${(sim.ms / 1000).toFixed(2)} s (${Math.round(n / (sim.ms / 1000))} ev/s), ` +
          `delivered to the host's push listener (renderer not in the loop; ${workerKind}) ` +
          `${((performance.now() - emitted) / 1000).toFixed(2)} s after the hub finished. Worker apply alone: ` +
          `${applied} events in ${(applyMs / 1000).toFixed(2)} s = ${Math.round(applied / (applyMs / 1000))} ev/s ` +
          `(${((applyMs / 1000 / seconds) * 100).toFixed(0)} % of the wall time).`,
      );
      return [
        {
          name: 'ingest',
          value,
          unit: 'events/s',
          limit,
          ratio: value / limit,
          target: 'ratio >= 0.25',
          met: value / limit >= 0.25,
        },
        {
          name: 'ingest.replica-apply',
          value: applied / (applyMs / 1000),
          unit: 'events/s',
          limit,
          ratio: applied / (applyMs / 1000) / limit,
        },
      ];
    } finally {
      await watched.close();
    }
  } finally {
    await hub.close();
    hubDir.remove();
    consoleDir.remove();
  }
}
