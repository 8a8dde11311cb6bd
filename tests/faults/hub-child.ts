import { startHub, type Hub } from '../../hub/server';

/**
 * The hub of the fault suite in its own process, so that it can be killed with SIGKILL and
 * started again on the same data folder (scenario 3). It runs the demo city (assets and the
 * unit roster on first start) with no live stream of its own: the runner asks for ingest.
 *
 * Parent → child: { id, cmd: 'simulate', count } | { id, cmd: 'stream', rate } | { id, cmd: 'stopStream' }
 *                 | { id, cmd: 'head' } | { id, cmd: 'token', name } | { id, cmd: 'compact', beforeSeq } | { id, cmd: 'close' }.
 * Child → parent: { ready: { port, hubId, head } } first, then { id, value } or { id, error }.
 */
interface Command {
  id: number;
  cmd: 'simulate' | 'stream' | 'stopStream' | 'head' | 'token' | 'compact' | 'close';
  count?: number;
  rate?: number;
  name?: string;
  beforeSeq?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; seed: number; retainEvents?: number };
const send = (m: unknown) => process.send?.(m);

const options: Parameters<typeof startHub>[0] & { retainEvents?: number } = {
  dataDir: config.dataDir,
  port: 0,
  simulate: { seed: config.seed, rate: 0 },
  log: (line) => process.stderr.write(`fault hub: ${line}\n`),
  ...(config.retainEvents ? { retainEvents: config.retainEvents } : {}),
};
const hub: Hub = await startHub(options);

/** A stream of `rate` entries per second in 50 ms ticks through the simulator's own append-and-publish path. */
let stream: NodeJS.Timeout | null = null;
function startStream(rate: number): void {
  if (stream) clearInterval(stream);
  let owed = 0;
  let busy = false;
  let last = performance.now();
  stream = setInterval(() => {
    const now = performance.now();
    owed = Math.min(rate, owed + (rate * (now - last)) / 1000);
    last = now;
    const n = Math.floor(owed);
    if (busy || n === 0) return;
    owed -= n;
    busy = true;
    hub.simulate(n).then(
      () => (busy = false),
      () => (busy = false),
    );
  }, 50);
}

process.on('message', (raw) => {
  const m = raw as Command;
  void (async () => {
    try {
      let value: unknown = null;
      if (m.cmd === 'simulate') {
        await hub.simulate(m.count ?? 0);
        value = hub.head();
      } else if (m.cmd === 'stream') startStream(m.rate ?? 100);
      else if (m.cmd === 'stopStream') {
        if (stream) clearInterval(stream);
        stream = null;
        value = hub.head();
      } else if (m.cmd === 'head') value = hub.head();
      else if (m.cmd === 'token')
        value = await hub.issueToken({ role: 'officer', name: m.name ?? 'Fault Officer', position: 'Duty Officer' });
      else if (m.cmd === 'compact') {
        // Retention (issue 5, helper A): hub.compact(beforeSeq) drops entries before it behind a snapshot.
        const compact = (hub as Hub & { compact?: (beforeSeq: number) => unknown }).compact;
        if (!compact) throw new Error('this hub has no compact(beforeSeq)');
        value = await compact.call(hub, m.beforeSeq ?? hub.head());
      } else {
        if (stream) clearInterval(stream);
        await hub.close();
        send({ id: m.id, value: null });
        process.exit(0);
      }
      send({ id: m.id, value });
    } catch (err) {
      send({ id: m.id, error: err instanceof Error ? err.message : String(err) });
    }
  })();
});
send({ ready: { port: hub.port, hubId: hub.hubId, head: hub.head() } });
