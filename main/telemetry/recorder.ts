import { createReadStream, createWriteStream } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { Server } from 'socket.io';
import { io } from 'socket.io-client';
import { newId } from '../../shared/ids';
import { CONSOLE_NAMESPACE, PROTOCOL_SCHEMA } from '../../shared/protocol';
import { TelemetryBatch } from '../../shared/telemetry/schema';

/**
 * Recording and replaying telemetry (issue 9): `npm run telemetry -- record` keeps a hub's
 * `telemetry` batches as NDJSON lines; `npm run telemetry -- replay` serves such a file as a
 * local Socket.IO endpoint (what a control room's own gateway would be), so a console started
 * with `--telemetry-local http://127.0.0.1:<port>` takes its readings when the hub is away.
 */

export interface Recording {
  readonly batches: number;
  stop(): Promise<void>;
}

/** Subscribes to a hub's telemetry as a console would (hello, then the `telemetry` event) and appends each batch. */
export async function recordHub(options: { hubUrl: string; token: string; file: string }): Promise<Recording> {
  const out = createWriteStream(options.file, { flags: 'a' });
  const socket = io(`${options.hubUrl.replace(/\/+$/, '')}${CONSOLE_NAMESPACE}`, {
    auth: { token: options.token },
    transports: ['websocket'],
  });
  let batches = 0;
  socket.on('connect', () => {
    socket.emit('hello', { consoleId: `recorder-${newId()}`, cursor: 0, schema: PROTOCOL_SCHEMA }, () => {});
  });
  socket.on('telemetry', (raw: unknown) => {
    const batch = TelemetryBatch.safeParse(raw);
    if (!batch.success) return; // the recording keeps only what a console would accept
    out.write(`${JSON.stringify(batch.data)}\n`);
    batches++;
  });
  return {
    get batches() {
      return batches;
    },
    stop: async () => {
      socket.close();
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}

export interface ReplayServer {
  readonly url: string;
  readonly port: number;
  /** resolves when the whole file has been sent once */
  readonly done: Promise<number>;
  close(): Promise<void>;
}

/**
 * Serves a recording on 127.0.0.1 (default): each line is emitted as a `telemetry` batch with
 * source 'local', paced at `speed` recorded seconds per second (0: as fast as it can), to
 * every client, starting when the first client connects. `shiftToNow` moves the times so the
 * first reading is the moment sending starts.
 */
export async function serveRecording(options: {
  file: string;
  port?: number;
  host?: string;
  speed?: number;
  shiftToNow?: boolean;
}): Promise<ReplayServer> {
  const http: HttpServer = createServer();
  const server = new Server(http, { serveClient: false, maxHttpBufferSize: 1e6 });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const speed = options.speed ?? 60;
  let resolveDone: (n: number) => void = () => {};
  const done = new Promise<number>((r) => (resolveDone = r));
  let started = false;
  let closed = false;
  const send = async (): Promise<void> => {
    const lines = createInterface({ input: createReadStream(options.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    const startedAt = Date.now();
    let firstT: number | null = null;
    let seq = 0;
    for await (const line of lines) {
      if (closed) break;
      if (!line.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        continue; // a damaged line is skipped, as the console's own replay does (it would end the send unhandled)
      }
      const parsed = TelemetryBatch.safeParse(json);
      if (!parsed.success || parsed.data.readings.length === 0) continue;
      const t0 = Math.min(...parsed.data.readings.map((r) => r.t));
      firstT ??= t0;
      const shift = options.shiftToNow === false ? 0 : startedAt - firstT;
      if (speed > 0) {
        const wait = startedAt + (t0 - firstT) / speed - Date.now();
        if (wait > 5) await new Promise((r) => setTimeout(r, Math.min(wait, 60_000)));
      } else if (seq % 50 === 0) {
        await new Promise((r) => setImmediate(r)); // let the sockets drain
      }
      server.emit('telemetry', {
        ...parsed.data,
        source: 'local',
        seq: seq++,
        readings: parsed.data.readings.map((r) => ({ ...r, t: r.t + shift })),
      });
    }
    resolveDone(seq);
  };
  server.on('connection', () => {
    if (started) return;
    started = true;
    void send();
  });
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    done,
    close: async () => {
      closed = true;
      server.disconnectSockets(true);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
