import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy between consoles and the hub (node:net). It can
 * - cut: destroy every open connection at once (a cable pulled, a NAT table flushed);
 * - stall: stop forwarding in both directions while keeping the sockets open (a link that
 *   goes silent without telling anyone), until resume;
 * - refuse: accept and close new connections at once (the hub unreachable);
 * - retarget: send new connections to another port (the hub restarted elsewhere);
 * - garble hub→console WebSocket traffic: duplicate and reorder Socket.IO message frames
 *   (live `events` batches and acks), see `FrameFaults`.
 *
 * The hub speaks Socket.IO over a plain WebSocket (no permessage-deflate, the Engine.IO
 * server's default): frames from the server are unmasked, so whole frames can be found in
 * the byte stream and re-emitted or held back without decoding their payload.
 */
export interface FrameFaults {
  /** chance that a message frame is sent twice */
  duplicate: number;
  /** chance that a message frame is held back and sent after the next one */
  reorder: number;
}

export interface ProxyCounters {
  connections: number;
  cuts: number;
  framesDuplicated: number;
  framesReordered: number;
}

export interface Proxy {
  readonly port: number;
  readonly url: string;
  readonly counters: ProxyCounters;
  cut(): void;
  stall(): void;
  resume(): void;
  refuse(on: boolean): void;
  retarget(port: number): void;
  faults(f: FrameFaults | null): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** bytes held while stalled, per direction */
  held: { up: Buffer[]; down: Buffer[] };
  down: FrameSplitter;
}

/** Splits the hub→console byte stream: the HTTP 101 answer first, then WebSocket frames. */
class FrameSplitter {
  private buf = Buffer.alloc(0);
  private upgraded = false;
  /** a message frame held back to be sent after the next one */
  private heldFrame: Buffer | null = null;
  private heldTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: (chunk: Buffer) => void,
    private readonly faults: () => FrameFaults | null,
    private readonly counters: ProxyCounters,
  ) {}

  push(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    if (!this.upgraded) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.out(this.buf.subarray(0, end + 4));
      this.buf = this.buf.subarray(end + 4);
      this.upgraded = true;
    }
    for (;;) {
      const len = frameLength(this.buf);
      if (len === null || this.buf.length < len) return;
      const frame = this.buf.subarray(0, len);
      this.buf = this.buf.subarray(len);
      this.frame(Buffer.from(frame));
    }
  }

  private frame(frame: Buffer): void {
    const f = this.faults();
    const message = isSocketIoMessage(frame);
    if (!f || !message) return this.out(frame);
    if (this.heldFrame) {
      // The held frame goes after this one: reordered.
      this.out(frame);
      this.releaseHeld();
    } else if (Math.random() < f.reorder) {
      this.heldFrame = frame;
      // Never hold a frame for long: if nothing follows, send it alone.
      this.heldTimer = setTimeout(() => this.releaseHeld(), 30);
      this.counters.framesReordered++;
      return;
    } else this.out(frame);
    if (Math.random() < f.duplicate) {
      this.counters.framesDuplicated++;
      this.out(frame);
    }
  }

  private releaseHeld(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = null;
    const held = this.heldFrame;
    this.heldFrame = null;
    if (held) this.out(held);
  }

  stop(): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
  }
}

/** Length of the first whole WebSocket frame in `buf` (server → client: unmasked), or null if incomplete. */
export function frameLength(buf: Buffer): number | null {
  if (buf.length < 2) return null;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  return offset + (masked ? 4 : 0) + len;
}

/**
 * A complete text frame holding a Socket.IO packet: an Engine.IO `message` ('4') carrying a
 * Socket.IO EVENT ('2') or ACK ('3'), e.g. `42/console,["events",…]` or `43/console,7[…]`.
 * Pings, pongs and the connect/disconnect packets pass untouched.
 */
export function isSocketIoMessage(frame: Buffer): boolean {
  const fin = (frame[0]! & 0x80) !== 0;
  const opcode = frame[0]! & 0x0f;
  if (!fin || opcode !== 1) return false;
  let offset = 2;
  const len = frame[1]! & 0x7f;
  if (len === 126) offset = 4;
  else if (len === 127) offset = 10;
  return frame[offset] === 0x34 && (frame[offset + 1] === 0x32 || frame[offset + 1] === 0x33);
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let target = targetPort;
  let stalled = false;
  let refusing = false;
  let frameFaults: FrameFaults | null = null;
  const pairs = new Set<Pair>();
  const counters: ProxyCounters = { connections: 0, cuts: 0, framesDuplicated: 0, framesReordered: 0 };

  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    counters.connections++;
    const upstream = connect(target, '127.0.0.1');
    const pair: Pair = {
      client,
      upstream,
      held: { up: [], down: [] },
      down: new FrameSplitter(
        (chunk) => {
          if (!client.destroyed) client.write(chunk);
        },
        () => frameFaults,
        counters,
      ),
    };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      pair.down.stop();
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (stalled) pair.held.up.push(chunk);
      else if (!upstream.destroyed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stalled) pair.held.down.push(chunk);
      else pair.down.push(chunk);
    });
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  const cut = () => {
    counters.cuts++;
    for (const p of [...pairs]) {
      p.client.destroy();
      p.upstream.destroy();
    }
  };

  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counters,
    cut,
    stall: () => void (stalled = true),
    resume() {
      stalled = false;
      for (const p of pairs) {
        for (const c of p.held.up.splice(0)) if (!p.upstream.destroyed) p.upstream.write(c);
        for (const c of p.held.down.splice(0)) p.down.push(c);
      }
    },
    refuse: (on) => void (refusing = on),
    retarget: (p) => void (target = p),
    faults: (f) => void (frameFaults = f),
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
