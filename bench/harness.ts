import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { ChangeSet, ConnectionStatus } from '../shared/api';
import type { Figure } from './report';
import { startConsoleHost, type ConsoleHost } from '../main/console/host';

/** Options every figure gets from bench/run.ts. */
export interface BenchContext {
  quick: boolean;
  /** this part's share of the run's time limit (bench/run.ts); a part sizes its waits to it */
  budgetMs?: number;
  /** figures a part has taken so far, kept if it is abandoned past its share (bench/run.ts) */
  partial?: Figure[];
  /** notes for RESULTS.md */
  note(line: string): void;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `wf-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

const here = dirname(fileURLToPath(import.meta.url));
/** The worker bundled by bench/run.ts into bench/out (as scripts/build-node.ts bundles it for Electron). */
export const benchWorkerBundle = join(here, 'out', 'replica-worker.cjs');
export const migrationsDir = join(here, '..', 'main', 'replica', 'migrations');
export let workerPath: string | undefined;
export let workerKind = 'worker from source under tsx';

/** Bundles the replica worker from the current source, so no figure pays for tsx compiling it. */
export async function bundleWorker(): Promise<void> {
  await build({
    entryPoints: [join(here, '..', 'main', 'replica', 'worker.ts')],
    outfile: benchWorkerBundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
    logLevel: 'error',
    logOverride: { 'empty-import-meta': 'silent' },
  });
  workerPath = benchWorkerBundle;
  workerKind = 'worker bundled by esbuild';
}

/** Host options every figure uses for its worker. */
export const workerOptions = () => (workerPath ? { workerPath, migrationsDir } : {});

export interface WatchedHost {
  host: ConsoleHost;
  /** the newest pushed connection status */
  status(): ConnectionStatus | null;
  /** resolves when the pushed status says online */
  online(timeoutMs?: number): Promise<void>;
  /** resolves when the pushed cursor reaches `seq` */
  cursorAt(seq: number, timeoutMs?: number): Promise<void>;
  /** every push, with the time it was delivered to the listener */
  onChanges(listener: (changes: ChangeSet, at: number) => void): void;
  close(): Promise<void>;
}

/**
 * A console host whose pushes (the ones the renderer would get, already coalesced
 * per frame) are watched: this is "delivered" for the figures that do not run a page.
 */
export async function watchedHost(hub: { url: string; token: string }, dataDir: string): Promise<WatchedHost> {
  const host = await startConsoleHost({ dataDir, hubUrl: hub.url, token: hub.token, ...workerOptions() });
  let status: ConnectionStatus | null = null;
  const waiters = new Set<{ seq: number; resolve(): void }>();
  const onlineWaiters = new Set<() => void>();
  const listeners: ((changes: ChangeSet, at: number) => void)[] = [];
  host.onPush((_channel, payload) => {
    const at = performance.now();
    const changes = payload as ChangeSet;
    if (changes.status) status = changes.status;
    for (const l of listeners) l(changes, at);
    if (status?.state === 'online') {
      for (const w of [...onlineWaiters]) {
        onlineWaiters.delete(w);
        w();
      }
    }
    for (const w of [...waiters]) {
      if (status && status.cursor >= w.seq) {
        waiters.delete(w);
        w.resolve();
      }
    }
  });
  return {
    host,
    status: () => status,
    online(timeoutMs = 60_000) {
      if (status?.state === 'online') return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = () => (clearTimeout(timer), resolve());
        const timer = setTimeout(() => {
          onlineWaiters.delete(w);
          reject(new Error(`bench: the console was not online in ${timeoutMs} ms (${JSON.stringify(status)})`));
        }, timeoutMs);
        onlineWaiters.add(w);
      });
    },
    cursorAt(seq, timeoutMs = 600_000) {
      if (status && status.cursor >= seq) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = { seq, resolve: () => (clearTimeout(timer), resolve()) };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`bench: cursor did not reach ${seq} in ${timeoutMs} ms (at ${status?.cursor ?? '?'})`));
        }, timeoutMs);
        waiters.add(w);
      });
    },
    onChanges: (l) => void listeners.push(l),
    close: () => host.close(),
  };
}

/** Samples this process's RSS every `everyMs` until stopped. */
export function rssSampler(everyMs = 100): { stop(): { peakMiB: number; samples: number[] } } {
  const samples: number[] = [];
  const take = () => samples.push(process.memoryUsage.rss() / 2 ** 20);
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakMiB: Math.max(...samples), samples };
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
