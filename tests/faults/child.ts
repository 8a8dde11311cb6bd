import { fork, type ChildProcess } from 'node:child_process';

/**
 * A child Node process running a TypeScript entry through tsx, driven over IPC:
 * it sends `{ ready }` once, then answers `{ id, value }` / `{ id, error }` to `ask`, and may
 * send other messages of its own at any time (`onMessage`). `kill()` is SIGKILL: no goodbye.
 */
export interface Child<Ready> {
  readonly pid: number;
  readonly ready: Ready;
  ask<T>(cmd: string, extra?: object, timeoutMs?: number): Promise<T>;
  onMessage(listener: (message: Record<string, unknown>) => void): void;
  /** SIGKILL now; resolves when the process is gone */
  kill(): Promise<void>;
  readonly exited: Promise<number | null>;
  alive(): boolean;
}

export async function startChild<Ready>(entry: string, args: unknown, readyTimeoutMs = 60_000): Promise<Child<Ready>> {
  const child: ChildProcess = fork(entry, [JSON.stringify(args)], {
    // A bundle (tests/faults/build.ts) needs no loader; TypeScript sources run through tsx.
    execArgv: entry.endsWith('.cjs') ? [] : ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const listeners: Array<(m: Record<string, unknown>) => void> = [];
  let nextId = 1;
  let alive = true;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      alive = false;
      for (const p of pending.values()) p.reject(new Error(`child ${entry} exited (${code})`));
      pending.clear();
      resolve(code);
    }),
  );
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`child ${entry} not ready in ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`child ${entry} exited (${code}) before it was ready`));
    });
    child.on('message', (raw) => {
      const m = raw as Record<string, unknown> & { ready?: Ready; id?: number; value?: unknown; error?: string };
      if (m.ready !== undefined) {
        clearTimeout(timer);
        resolve(m.ready);
        return;
      }
      const p = typeof m.id === 'number' ? pending.get(m.id) : undefined;
      if (p) {
        pending.delete(m.id!);
        if (typeof m.error === 'string') p.reject(new Error(m.error));
        else p.resolve(m.value);
        return;
      }
      for (const l of listeners) l(m);
    });
  }).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    pid: child.pid!,
    ready,
    exited,
    alive: () => alive,
    ask<T>(cmd: string, extra: object = {}, timeoutMs = 60_000): Promise<T> {
      if (!alive) return Promise.reject(new Error(`child ${entry} is not running`));
      return new Promise<T>((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`child ${entry}: ${cmd} not answered in ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => (clearTimeout(timer), resolve(v as T)),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        child.send({ id, cmd, ...extra });
      });
    },
    onMessage: (listener) => void listeners.push(listener),
    async kill() {
      if (alive) child.kill('SIGKILL');
      await exited;
    },
  };
}
