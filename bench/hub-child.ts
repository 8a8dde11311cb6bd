import type { EventDraft } from '../hub/events';
import { startHub } from '../hub/server';
import type { ValidatedDraft } from '../hub/store/hubStore';
import { cloneAlertPayload, simulatorAlertPayloads } from './fixtures';

/**
 * The hub in its own process, as in production (another machine), so that its
 * simulator and socket work do not share the console host's event loop.
 * Parent → child: { id, cmd: 'simulate', count } | { id, cmd: 'prepare', count } | { id, cmd: 'emit' }
 * | { id, cmd: 'live', rate } | { id, cmd: 'stop' } | 'head' | 'close'.
 * Child → parent: { ready: { url, token } } then { id, value } / { id, error }.
 */
interface Command {
  id: number;
  cmd: 'simulate' | 'prepare' | 'emit' | 'live' | 'stop' | 'head' | 'close';
  count?: number;
  rate?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string };
const send = (m: unknown) => process.send?.(m);

const hub = await startHub({ dataDir: config.dataDir, port: 0, simulate: null, log: () => undefined });

/**
 * Drafts made and checked before a figure's clock starts (hub.prepare), appended later by
 * `emit` and `live` through the hub's real append and publish path. The simulator makes only
 * 1 000–3 000 events/s here (bench/RESULTS.md) and the bench's console shares the machine with
 * it: made during the timing, its own time was in figures 1, 2 and 4 and the hub could not
 * reach 10 000 ev/s. Simulator alerts (Alerts, Updates, Cancels, the CAP shape consoles get)
 * made once, cloned under new identifiers per cycle (bench/fixtures.ts), then validated by the
 * hub one by one as its append would.
 */
const prepared: ValidatedDraft[] = [];
let templates: string[] = [];
let cycle = 0;
function prepare(count: number): number {
  if (templates.length === 0) templates = simulatorAlertPayloads(2_000, 7);
  const drafts: EventDraft[] = [];
  for (let i = 0; i < count; i++) {
    // cycle 0 is never used: the hub's own simulator (hub.simulate) issues those identifiers
    if (i % templates.length === 0) cycle++;
    drafts.push({
      type: 'alert.received',
      payload: JSON.parse(cloneAlertPayload(templates[i % templates.length]!, cycle)) as never,
    });
  }
  for (const d of hub.prepare(drafts)) prepared.push(d);
  return prepared.length;
}
/** Appends the next `n` prepared drafts (fewer when they run out); how many it appended. */
function appendPrepared(n: number): number {
  const batch = prepared.splice(0, n);
  if (batch.length > 0) hub.appendPrepared(batch);
  return batch.length;
}

/**
 * A live stream at `rate` ev/s of prepared drafts through the hub's append and publish path,
 * on a 10 ms timer. Unlike the hub's live simulator it starts on command, and it never owes
 * more than one second: a hub that cannot keep up reports the rate it achieved instead of
 * stalling its sockets. Without prepared drafts (or once they run out) it makes them with
 * hub.simulate, the simulator's own time included.
 */
let live: { timer: NodeJS.Timeout; appended: number; dropped: number; started: number; simulated: number } | null =
  null;
function startLive(rate: number): void {
  let owed = 0;
  let last = performance.now();
  let busy = false;
  const state = { appended: 0, dropped: 0, started: performance.now(), simulated: 0 };
  const timer = setInterval(() => {
    const now = performance.now();
    owed += (rate * (now - last)) / 1000;
    last = now;
    if (owed > rate) {
      state.dropped += owed - rate;
      owed = rate;
    }
    const n = Math.floor(owed);
    if (busy || n === 0) return;
    owed -= n;
    const fromPrepared = appendPrepared(n);
    state.appended += fromPrepared;
    if (fromPrepared === n) return;
    busy = true;
    hub.simulate(n - fromPrepared).then(
      () => ((busy = false), (state.appended += n - fromPrepared), (state.simulated += n - fromPrepared)),
      () => (busy = false),
    );
  }, 10);
  live = { timer, ...state };
  Object.defineProperty(live, 'appended', { get: () => state.appended });
  Object.defineProperty(live, 'dropped', { get: () => state.dropped });
  Object.defineProperty(live, 'simulated', { get: () => state.simulated });
}
const token = await hub.issueToken({ role: 'officer', name: 'Bench Officer' });
process.on('message', (raw) => {
  const m = raw as Command;
  void (async () => {
    try {
      if (m.cmd === 'simulate') {
        const t0 = performance.now();
        await hub.simulate(m.count ?? 0);
        send({ id: m.id, value: { ms: performance.now() - t0, head: hub.head() } });
      } else if (m.cmd === 'prepare') {
        const t0 = performance.now();
        const ready = prepare(m.count ?? 0);
        send({ id: m.id, value: { ms: performance.now() - t0, ready } });
      } else if (m.cmd === 'emit') {
        // every prepared draft now, in transactions of 1 000 (as hub.simulate's bulk runs), yielding between them
        const t0 = performance.now();
        let appended = 0;
        for (let n = appendPrepared(1_000); n > 0; n = appendPrepared(1_000)) {
          appended += n;
          await new Promise((r) => setImmediate(r));
        }
        send({ id: m.id, value: { ms: performance.now() - t0, head: hub.head(), appended } });
      } else if (m.cmd === 'live') {
        startLive(m.rate ?? 1_000);
        send({ id: m.id, value: hub.head() });
      } else if (m.cmd === 'stop') {
        if (live) clearInterval(live.timer);
        const value = live
          ? {
              appended: live.appended,
              dropped: Math.round(live.dropped),
              simulated: live.simulated,
              seconds: (performance.now() - live.started) / 1000,
            }
          : null;
        live = null;
        send({ id: m.id, value });
      } else if (m.cmd === 'head') send({ id: m.id, value: hub.head() });
      else {
        await hub.close();
        send({ id: m.id, value: null });
        process.exit(0);
      }
    } catch (err) {
      send({ id: m.id, error: String(err) });
    }
  })();
});
// The bench process gone (a part abandoned past its share, then the run's exit, or a crash): a
// hub left behind kept running and held the run's stdout open (seen at 03:46 today).
process.on('disconnect', () => process.exit(0));
send({ ready: { url: hub.url, token } });
