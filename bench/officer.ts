import { invokeChannels, type Snapshot } from '../shared/api';
import { startHubProcess } from './hub-process';
import { sleep, tempDir, watchedHost, workerKind, type BenchContext } from './harness';
import { percentile, type Figure } from './report';

/**
 * Figure 4. While the hub streams 1 000 ev/s of simulator alerts (made before the stream,
 * decision 0042) into the console, the officer acknowledges alerts and appends activity-log
 * entries, one every 50 ms. Timed: the
 * host's invoke (argument parsing, the worker's local commit with its outbox row, the
 * answer back), which is what the renderer waits for.
 */
export async function officerAction(ctx: BenchContext): Promise<Figure[]> {
  const seconds = ctx.quick ? 1.5 : 10;
  const hubDir = tempDir('officer-hub');
  const consoleDir = tempDir('officer-console');
  const hub = await startHubProcess({ dataDir: hubDir.path });
  try {
    const watched = await watchedHost(hub, consoleDir.path);
    try {
      await watched.online();
      await watched.cursorAt((await hub.simulate(ctx.quick ? 100 : 500)).head);
      // the stream's alerts made before it starts (hub-child.ts): the console shares this machine
      // with the hub, and the simulator's own time is not what an officer waits for
      await hub.prepare(Math.ceil(1_000 * (seconds + 0.5)));
      await hub.live(1_000);
      const snap = await watched.host.invoke(invokeChannels.getSnapshot.name, undefined);
      if (!snap.ok) throw new Error(`bench: no snapshot (${snap.error.message})`);
      const toAck = (snap.value as Snapshot).alerts.filter((a) => !a.ack).map((a) => a.id);
      const ack: number[] = [];
      const log: number[] = [];
      const errors: string[] = [];
      const end = performance.now() + seconds * 1000;
      let i = 0;
      while (performance.now() < end) {
        const t0 = performance.now();
        // decided before the pop: the last acknowledgement is timed as one, not as a log entry
        const isAck = i % 2 === 0 && toAck.length > 0;
        const r = isAck
          ? await watched.host.invoke(invokeChannels.acknowledgeAlert.name, { alertId: toAck.pop()! })
          : await watched.host.invoke(invokeChannels.appendLog.name, {
              incidentId: null,
              text: `Bench entry ${i}: checked the gauge on the Hald`,
            });
        const ms = performance.now() - t0;
        if (!r.ok) errors.push(r.error.message);
        (isAck ? ack : log).push(ms);
        i++;
        await sleep(50);
      }
      const stream = await hub.stopLive();
      const all = [...ack, ...log].sort((a, b) => a - b);
      ack.sort((a, b) => a - b);
      log.sort((a, b) => a - b);
      ctx.note(
        `Officer action under 1 000 ev/s live: ${ack.length} acknowledgements (p50 ${percentile(ack, 50).toFixed(1)}, ` +
          `p99 ${percentile(ack, 99).toFixed(1)} ms) and ${log.length} log entries (p50 ${percentile(log, 50).toFixed(1)}, ` +
          `p99 ${percentile(log, 99).toFixed(1)} ms), host invoke round trip; the hub streamed ` +
          `${stream ? Math.round(stream.appended / stream.seconds) : '?'} ev/s meanwhile (alerts made before the stream` +
          `${stream?.simulated ? `, ${stream.simulated} by the simulator during it` : ''}); ${errors.length} refused` +
          `${errors.length ? ` (${errors[0]})` : ''}; ${workerKind}.`,
      );
      return [
        { name: 'officer-action.p50', value: percentile(all, 50), unit: 'ms' },
        {
          name: 'officer-action.p99',
          value: percentile(all, 99),
          unit: 'ms',
          target: '< 10 ms',
          met: percentile(all, 99) < 10 && errors.length === 0,
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
