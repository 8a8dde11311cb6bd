import { startHub } from '../hub/server';

/**
 * The hub in its own process, as in production (another machine), so that its
 * simulator and socket work do not share the console host's event loop.
 * Parent → child: { id, cmd: 'simulate', count } | { id, cmd: 'live', rate } | { id, cmd: 'stop' } | 'head' | 'close'.
 * Child → parent: { ready: { url, token } } then { id, value } / { id, error }.
 */
interface Command {
  id: number;
  cmd: 'simulate' | 'live' | 'stop' | 'head' | 'close';
  count?: number;
  rate?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string };
const send = (m: unknown) => process.send?.(m);

const hub = await startHub({ dataDir: config.dataDir, port: 0, simulate: null, log: () => undefined });

/**
 * A live stream at `rate` ev/s through hub.simulate (the simulator's own append and
 * publish path), on a 10 ms timer. Unlike the hub's live simulator it starts on
 * command, and it never owes more than one second: a hub that cannot keep up reports
 * the rate it achieved instead of stalling its sockets.
 */
let live: { timer: NodeJS.Timeout; appended: number; dropped: number; started: number } | null = null;
function startLive(rate: number): void {
  let owed = 0;
  let last = performance.now();
  let busy = false;
  const state = { appended: 0, dropped: 0, started: performance.now() };
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
    busy = true;
    hub.simulate(n).then(
      () => ((busy = false), (state.appended += n)),
      () => (busy = false),
    );
  }, 10);
  live = { timer, ...state };
  Object.defineProperty(live, 'appended', { get: () => state.appended });
  Object.defineProperty(live, 'dropped', { get: () => state.dropped });
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
      } else if (m.cmd === 'live') {
        startLive(m.rate ?? 1_000);
        send({ id: m.id, value: hub.head() });
      } else if (m.cmd === 'stop') {
        if (live) clearInterval(live.timer);
        const value = live
          ? {
              appended: live.appended,
              dropped: Math.round(live.dropped),
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
send({ ready: { url: hub.url, token } });
