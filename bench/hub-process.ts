import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface HubProcess {
  url: string;
  token: string;
  pid: number;
  /** appends `count` simulator events; ms spent by the hub, and its head after */
  simulate(count: number): Promise<{ ms: number; head: number }>;
  /**
   * makes `count` simulator alerts and has the hub check them against the log's schema, to be
   * appended later by emit() or live() (see hub-child.ts): not timed; how many are ready
   */
  prepare(count: number): Promise<{ ms: number; ready: number }>;
  /** appends every prepared draft now through the hub's append and publish path; ms spent by the hub */
  emit(): Promise<{ ms: number; head: number; appended: number }>;
  /** starts a live stream at `rate` ev/s of prepared drafts (see hub-child.ts); answers the head at the start */
  live(rate: number): Promise<number>;
  /**
   * stops it: what was appended, what was dropped because the hub could not keep up, and how
   * many of those the simulator had to make during the stream (the prepared ones ran out)
   */
  stopLive(): Promise<{ appended: number; dropped: number; simulated: number; seconds: number } | null>;
  head(): Promise<number>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./hub-child.ts', import.meta.url));

/** Starts bench/hub-child.ts (the real hub, under tsx) in its own process. */
export async function startHubProcess(options: { dataDir: string }): Promise<HubProcess> {
  const child: ChildProcess = fork(CHILD, [JSON.stringify(options)], {
    // BENCH_HUB_CPU_PROF=<dir>: the hub process writes its own CPU profile there (profiling the catch-up's hub side)
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_HUB_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_HUB_CPU_PROF}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  const ready = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench: the hub process exited (${code}) before it was ready`)));
    child.on('message', (raw) => {
      const m = raw as { ready?: { url: string; token: string }; id?: number; value?: unknown; error?: string };
      if (m.ready) return resolve(m.ready);
      const p = m.id === undefined ? undefined : pending.get(m.id);
      if (!p) return;
      pending.delete(m.id!);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.value);
    });
  });
  child.removeAllListeners('exit');
  const ask = <T>(cmd: string, extra: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, cmd, ...extra });
    });
  let closed: Promise<void> | null = null;
  return {
    ...ready,
    pid: child.pid!,
    simulate: (count) => ask('simulate', { count }),
    prepare: (count) => ask('prepare', { count }),
    emit: () => ask('emit'),
    live: (rate) => ask('live', { rate }),
    stopLive: () => ask('stop'),
    head: () => ask('head'),
    close() {
      closed ??= new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        ask('close').catch(() => undefined);
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
      return closed;
    },
  };
}
