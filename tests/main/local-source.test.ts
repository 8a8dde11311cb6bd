import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startLocalSource } from '../../main/telemetry/localSource';
import { serveRecording } from '../../main/telemetry/recorder';
import type { TelemetryBatch } from '../../shared/telemetry/schema';
import { testResources } from './fixtures';
import { eventually } from './stub-hub';

const { dir, later } = testResources();

const batch = (seq: number, t: number): TelemetryBatch => ({
  type: 'telemetry.batch',
  v: 1,
  source: 'local',
  seq,
  readings: [{ assetId: 'bridge-1', sensor: 'strain', unit: 'µε', t, value: 120 }],
});

describe('local telemetry replay', () => {
  it('stop() ends a replay that is waiting for its next batch (a pending wait would keep the worker alive)', async () => {
    const file = path.join(dir('local-source'), 'gap.ndjson');
    const t0 = Date.UTC(2026, 10, 23, 10);
    // an hour of recorded time between the two batches: at speed 1 the replay waits (up to a minute)
    writeFileSync(file, `${JSON.stringify(batch(0, t0))}\n${JSON.stringify(batch(1, t0 + 3_600_000))}\n`);
    const delivered: unknown[] = [];
    const source = startLocalSource({ kind: 'replay', file, speed: 1 }, (raw) => {
      delivered.push(raw);
      return { ok: true };
    });
    await eventually(() => expect(delivered).toHaveLength(1));
    source.stop();
    await source.finished;
    expect(source.counters.done).toBe(true);
    expect(delivered).toHaveLength(1);
  });

  it('npm run telemetry -- replay skips a damaged line and serves the rest', async () => {
    const file = path.join(dir('local-source'), 'damaged.ndjson');
    const t0 = Date.UTC(2026, 10, 23, 10);
    writeFileSync(file, `{"type":"telemetry.batch",\n${JSON.stringify(batch(0, t0))}\n`);
    const server = await serveRecording({ file, speed: 0 });
    later(() => server.close());
    const received: TelemetryBatch[] = [];
    const client = io(server.url, { transports: ['websocket'] });
    later(() => client.close());
    client.on('telemetry', (b: TelemetryBatch) => received.push(b));
    expect(await server.done).toBe(1);
    await eventually(() => expect(received.map((b) => b.readings[0]!.value)).toEqual([120]));
  });
});
