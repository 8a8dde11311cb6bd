import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConnectionStatus } from '../../shared/api';
import type { OutboxRow } from '../../main/replica/replica';
import type { Result } from '../../shared/errors';
import type { ConsoleBundle } from './build';
import { startChild, type Child } from './child';
import { compareLog, HubLog, type EntryHash, type Ledger, type LogVerdict } from './checker';
import type { OfficerPlan } from './officer';
import { startProxy, type Proxy } from './proxy';

const HUB_CHILD = fileURLToPath(new URL('./hub-child.ts', import.meta.url));
const CONSOLE_CHILD = fileURLToPath(new URL('./console-child.ts', import.meta.url));

/** Console processes start from this bundle once the runner has built it; else from source under tsx. */
let consoleBundle: ConsoleBundle | null = null;
export const useConsoleBundle = (bundle: ConsoleBundle | null): void => void (consoleBundle = bundle);

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

/** Polls `check` until it holds; throws with `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (performance.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(50);
  }
}

/** The hub in a child process, behind a proxy that the consoles connect to. */
export class FaultHub {
  child: Child<{ port: number; hubId: string; head: number }> | null = null;
  readonly dataDir: string;
  private log: HubLog | null = null;

  private constructor(
    readonly root: string,
    readonly proxy: Proxy,
    private readonly seed: number,
    private readonly retainEvents?: number,
  ) {
    this.dataDir = path.join(root, 'hub');
  }

  static async start(root: string, seed: number, retainEvents?: number): Promise<FaultHub> {
    const proxy = await startProxy(1); // retargeted once the hub is up
    const hub = new FaultHub(root, proxy, seed, retainEvents);
    await hub.startChild();
    return hub;
  }

  private async startChild(): Promise<void> {
    this.child = await startChild(HUB_CHILD, {
      dataDir: this.dataDir,
      seed: this.seed,
      ...(this.retainEvents ? { retainEvents: this.retainEvents } : {}),
    });
    this.proxy.retarget(this.child.ready.port);
  }

  get url(): string {
    return this.proxy.url;
  }

  /** The hub's store, read from this process (opened lazily: the hub makes the file). */
  get store(): HubLog {
    this.log ??= new HubLog(path.join(this.dataDir, 'hub.sqlite'));
    return this.log;
  }

  ask<T>(cmd: string, extra: object = {}): Promise<T> {
    if (!this.child) throw new Error('the hub is down');
    return this.child.ask<T>(cmd, extra);
  }

  head = () => this.ask<number>('head');
  token = (name: string) => this.ask<string>('token', { name });
  simulate = (count: number) => this.ask<number>('simulate', { count });
  stream = (rate: number) => this.ask<null>('stream', { rate });
  stopStream = () => this.ask<number>('stopStream');
  /** retention (issue 5): entries before `beforeSeq` leave the log; answers the new tail */
  compact = (beforeSeq: number) => this.ask<number>('compact', { beforeSeq });

  /** SIGKILL the hub process; the proxy refuses consoles until it is back. */
  async kill(): Promise<void> {
    this.proxy.refuse(true);
    this.proxy.cut();
    await this.child?.kill();
    this.child = null;
  }

  async restart(): Promise<void> {
    await this.startChild();
    this.proxy.refuse(false);
  }

  async close(): Promise<void> {
    this.log?.close();
    if (this.child?.alive()) await this.child.ask('close').catch(() => undefined);
    await this.child?.kill();
    await this.proxy.close();
  }
}

export interface ConsoleVerdict extends LogVerdict {
  name: string;
}

/** One console process on its own data folder, restartable; feeds a ledger with what it reports. */
export class FaultConsole {
  child: Child<{ consoleId: string }> | null = null;
  readonly dataDir: string;
  starts = 0;
  private plan: OfficerPlan | null = null;

  constructor(
    readonly name: string,
    root: string,
    private readonly hubUrl: string,
    private readonly token: string,
    private readonly ledger: Ledger,
    private readonly ackTimeoutMs = 5_000,
  ) {
    this.dataDir = path.join(root, name);
    mkdirSync(this.dataDir, { recursive: true });
  }

  async start(): Promise<void> {
    this.starts++;
    const child = await startChild<{ consoleId: string }>(consoleBundle?.child ?? CONSOLE_CHILD, {
      ...(consoleBundle ? { workerPath: consoleBundle.worker, migrationsDir: consoleBundle.migrationsDir } : {}),
      dataDir: this.dataDir,
      hubUrl: this.hubUrl,
      token: this.token,
      consoleId: this.name,
      ackTimeoutMs: this.ackTimeoutMs,
    });
    child.onMessage((m) => {
      const written = m.written as { mutationId: string; type: string; marker: string } | undefined;
      if (written) this.ledger.written.set(written.mutationId, { ...written, console: this.name });
      for (const id of (m.confirmed as string[] | undefined) ?? []) this.ledger.confirmed.add(id);
      for (const r of (m.refused as Array<{ id: string; code: string }> | undefined) ?? [])
        this.ledger.refused.set(r.id, r.code);
    });
    this.child = child;
    if (this.plan) await this.officer(this.plan);
  }

  running(): boolean {
    return this.child?.alive() ?? false;
  }

  /** SIGKILL: the replica worker dies with it, mid-transaction or not. */
  async kill(): Promise<void> {
    await this.child?.kill();
    this.child = null;
  }

  /** Starts the officer's stream of actions, again after every restart. */
  async officer(plan: OfficerPlan): Promise<void> {
    this.plan = plan;
    await this.child?.ask('officer', { plan });
  }

  async stopOfficer(): Promise<void> {
    this.plan = null;
    await this.child?.ask('stopOfficer');
  }

  private async result<T>(cmd: string, extra: object): Promise<T> {
    if (!this.child) throw new Error(`${this.name} is not running`);
    const r = await this.child.ask<Result<T>>(cmd, extra);
    if (!r.ok) throw new Error(`${this.name} ${cmd}: ${r.error.code} ${r.error.message}`);
    return r.value;
  }

  invoke = <T>(channel: string, args?: unknown) => this.result<T>('invoke', { channel, args });
  call = <T>(op: string, args?: unknown) => this.result<T>('call', { op, args });
  status = () => this.call<ConnectionStatus>('getStatus');
  outbox = () => this.call<OutboxRow[]>('getOutbox');

  async verdict(hub: HubLog, after = 0): Promise<ConsoleVerdict> {
    if (!this.child) throw new Error(`${this.name} is not running`);
    const hashes = await this.child.ask<EntryHash[]>('logHashes', { after });
    return { name: this.name, ...compareLog(hashes, hub) };
  }

  async close(): Promise<void> {
    if (this.child?.alive()) await this.child.ask('close').catch(() => undefined);
    await this.child?.kill();
    this.child = null;
  }
}

/**
 * Every running console at the hub's head, online, with nothing left open in its outbox.
 * Fails only when nothing moves (no cursor, pending count or state changes) for `stallMs`:
 * on a loaded machine catching up may take long, and that is not what this suite judges.
 */
export async function converged(hub: FaultHub, consoles: readonly FaultConsole[], stallMs = 90_000): Promise<void> {
  let last = '';
  let lastChange = performance.now();
  for (;;) {
    const head = await hub.head();
    const states = await Promise.all(consoles.map((c) => c.status()));
    const now = `head ${head}; ${states
      .map(
        (s, i) =>
          `${consoles[i]!.name} ${s.state} at ${s.cursor}, ${s.pendingActions} pending${s.lastError ? ` (${s.lastError.code})` : ''}`,
      )
      .join('; ')}`;
    if (!states.some((s) => s.state !== 'online' || s.cursor !== head || s.pendingActions !== 0)) {
      if (head === (await hub.head())) return;
    }
    if (now !== last) {
      last = now;
      lastChange = performance.now();
    } else if (performance.now() - lastChange > stallMs) {
      throw new Error(`consoles did not converge, nothing moved for ${stallMs / 1000} s: ${now}`);
    }
    await sleep(100);
  }
}

export function scratch(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `watchfloor-faults-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
