import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CapDocumentVerdict } from '../../shared/cap/index';
import { DEFAULT_MAX_BYTES, issue } from '../../shared/cap/index';

/**
 * Intake validation off the hub's event loop (decision 0013): a small pool of
 * worker_threads, each running `validateCapDocument` (rules + OASIS schema). A task that
 * runs past `taskTimeoutMs` has its worker terminated and replaced, and is answered
 * with a rejected verdict (`XSD_UNAVAILABLE`): a hostile message can cost a thread a few
 * seconds, never the Socket.IO loop, and never forever.
 */
export interface ValidatorPoolOptions {
  size?: number; // default 1 (the dev box has 2 cores; the hub's loop keeps the other)
  taskTimeoutMs?: number; // default 30 000
  maxBytes?: number; // default 2 MiB (shared/cap DEFAULT_MAX_BYTES)
}

interface Task {
  id: number;
  bytes: Uint8Array;
  resolve: (v: CapDocumentVerdict) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  task: Task | null;
  timer: NodeJS.Timeout | null;
}

const ENTRY = fileURLToPath(new URL('./validate-worker-dev.mjs', import.meta.url));

function failed(message: string): CapDocumentVerdict {
  return {
    format: 'unknown',
    accepted: false,
    errors: [issue('XSD_UNAVAILABLE', `${message}; the message is held back, send it again later.`)],
    warnings: [],
    entries: [],
  };
}

export class ValidatorPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  readonly maxBytes: number;
  private readonly timeoutMs: number;
  private readonly size: number;
  /** tasks answered, timed out, and the longest queue seen (metrics) */
  readonly stats = { validated: 0, timedOut: 0, maxQueue: 0 };

  constructor(options: ValidatorPoolOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.timeoutMs = options.taskTimeoutMs ?? 30_000;
    // Threads start on first use: a hub nobody sends CAP to costs nothing.
    this.size = Math.max(1, options.size ?? 1);
  }

  validate(bytes: Uint8Array): Promise<CapDocumentVerdict> {
    if (this.closed) return Promise.resolve(failed('The hub is closing'));
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, bytes, resolve });
      this.stats.maxQueue = Math.max(this.stats.maxQueue, this.queue.length);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.resolve(failed('The hub is closing'));
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.timer) clearTimeout(s.timer);
        s.task?.resolve(failed('The hub is closing'));
        s.task = null;
        await s.worker.terminate();
      }),
    );
  }

  private busy(): number {
    return this.slots.filter((s) => s.task).length;
  }

  private spawn(): Slot {
    const worker = new Worker(ENTRY);
    let markReady: () => void = () => {};
    const slot: Slot = { worker, ready: new Promise((r) => (markReady = r)), task: null, timer: null };
    worker.on(
      'message',
      (msg: { ready?: boolean; id?: number; ok?: boolean; verdict?: CapDocumentVerdict; message?: string }) => {
        if (msg.ready) {
          markReady();
          return;
        }
        const task = slot.task;
        if (!task || msg.id !== task.id) return;
        if (slot.timer) clearTimeout(slot.timer);
        slot.task = null;
        this.stats.validated++;
        task.resolve(msg.ok && msg.verdict ? msg.verdict : failed(`Validation failed (${msg.message ?? 'unknown'})`));
        this.pump();
      },
    );
    worker.on('error', () => this.replace(slot, 'The validator stopped'));
    worker.on('exit', () => {
      if (!this.closed && this.slots.includes(slot)) this.replace(slot, 'The validator stopped');
    });
    return slot;
  }

  private replace(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task?.resolve(failed(why));
    slot.task = null;
    this.slots.splice(i, 1);
    void slot.worker.terminate();
    if (!this.closed) {
      this.slots.push(this.spawn());
      this.pump();
    }
  }

  private pump(): void {
    while (!this.closed && this.slots.length < Math.min(this.size, this.queue.length + this.busy())) {
      this.slots.push(this.spawn());
    }
    for (const slot of this.slots) {
      if (slot.task || this.queue.length === 0) continue;
      const task = this.queue.shift()!;
      slot.task = task;
      void slot.ready.then(() => {
        if (slot.task !== task) return;
        slot.timer = setTimeout(() => {
          this.stats.timedOut++;
          this.replace(slot, `Validation took longer than ${this.timeoutMs} ms`);
        }, this.timeoutMs);
        slot.worker.postMessage({ id: task.id, bytes: task.bytes, maxBytes: this.maxBytes });
      });
    }
  }
}
