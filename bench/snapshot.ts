import { join } from 'node:path';
import { io } from 'socket.io-client';
import { startHub } from '../hub/server';
import { Replica } from '../main/replica/replica';
import { rebuildFromSnapshot } from '../main/replica/snapshot';
import { systemClock } from '../shared/clock';
import { CONSOLE_NAMESPACE, PROTOCOL_SCHEMA, Wire } from '../shared/protocol';
import { tempDir, type BenchContext } from './harness';
import type { Figure } from './report';

/**
 * Snapshot rebuild (issue 5, decision 0016): the demo city plus `alerts` simulated entries
 * (mostly CAP alerts) on a hub whose log is compacted to its head, and a new replica rebuilt
 * from its snapshot over real Socket.IO: fetch + staging apply, then the one-transaction swap.
 */
export async function snapshotRebuild(ctx: BenchContext): Promise<Figure[]> {
  // Sized to the run's 10-minute limit (issue 8): the hub's simulator makes only a few hundred entries/s when loaded.
  const entries = ctx.quick ? 500 : 5_000;
  const dir = tempDir('snapshot');
  const hub = await startHub({ dataDir: join(dir.path, 'hub'), port: 0, log: () => {} });
  try {
    await hub.simulate(entries);
    const t0 = performance.now();
    hub.compact(hub.head() + 1);
    const compactMs = performance.now() - t0;
    const token = await hub.issueToken({ role: 'officer', name: 'Bench' });
    const socket = io(`${hub.url}${CONSOLE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    await socket.emitWithAck(Wire.hello, { consoleId: 'bench', cursor: 0, schema: PROTOCOL_SCHEMA });
    const replica = new Replica({ file: join(dir.path, 'replica.sqlite') });
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const started = performance.now();
    let fetchedAt = started;
    const outcome = await rebuildFromSnapshot({
      replica,
      clock: systemClock,
      ask: (payload) => socket.timeout(120_000).emitWithAck(Wire.snapshot, payload),
      current: () => socket.connected,
      onProgress: () => {
        fetchedAt = performance.now();
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      },
    });
    const totalMs = performance.now() - started;
    socket.close();
    if (!outcome.ok) throw new Error(`rebuild failed: ${outcome.error.message}`);
    // The limit: the same entries through the plain apply, in memory of this process, no
    // network, no staging, no swap (what a catch-up costs at best on this machine, now).
    const entriesOnLog = replica.log(0, outcome.entries + 1);
    replica.close();
    const plain = new Replica({ file: join(dir.path, 'plain.sqlite') });
    const p0 = performance.now();
    const setCursor = plain.db.prepare('UPDATE meta SET cursor = ? WHERE id = 1');
    for (let i = 0; i < entriesOnLog.length;) {
      const slice = entriesOnLog.slice(i, i + 500);
      // below the tail the log has gaps (replaced asset upserts): step over them as the rebuild does
      if (slice[0]!.seq !== plain.cursor() + 1) setCursor.run(slice[0]!.seq - 1);
      const r = plain.applyEvents(slice);
      if (r.applied === 0) throw new Error(`plain apply stuck at seq ${slice[0]!.seq}`);
      i += r.applied;
    }
    const plainMs = performance.now() - p0;
    plain.close();
    const rate = outcome.entries / (totalMs / 1000);
    const plainRate = entriesOnLog.length / (plainMs / 1000);
    ctx.note(
      `Snapshot rebuild: ${outcome.entries} entries (${entries} simulated after the city) in ${(totalMs / 1000).toFixed(1)} s, ` +
        `swap ${(totalMs - (fetchedAt - started)).toFixed(0)} ms, compaction of the whole log ${compactMs.toFixed(0)} ms.`,
    );
    return [
      { name: 'snapshot.entries', value: outcome.entries, unit: 'entries' },
      {
        name: 'snapshot.rebuild_rate',
        value: Math.round(rate),
        unit: 'entries/s',
        limit: Math.round(plainRate),
        ratio: Number((rate / plainRate).toFixed(2)),
      },
      { name: 'snapshot.rebuild_total', value: Math.round(totalMs), unit: 'ms' },
      { name: 'snapshot.swap', value: Math.round(totalMs - (fetchedAt - started)), unit: 'ms' },
      { name: 'snapshot.compact_log', value: Math.round(compactMs), unit: 'ms' },
      { name: 'snapshot.rss_growth', value: Math.round((peakRss - rssBefore) / 1e6), unit: 'MB' },
    ];
  } finally {
    await hub.close();
    dir.remove();
  }
}
