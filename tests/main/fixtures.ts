import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import type { ConsoleHost } from '../../main/console/host';
import { Replica } from '../../main/replica/replica';
import type { WorkerOp } from '../../main/replica/rpc';
import { SyncEngine } from '../../main/sync/engine';
import type { HubEvent } from '../../shared/domain/events';

export function tempDir(prefix = 'watchfloor-main-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A replica in a temp dir and a sync engine on it against `hubUrl` (token 'good', fast reconnect),
 * not started; the dir, replica and engine are closed by `cleanups` (the sync engine tests' stubs).
 */
export function replicaWithEngine(
  hubUrl: string,
  cleanups: Array<() => unknown>,
  options: { ackTimeoutMs: number; pullLimit: number },
): { replica: Replica; engine: SyncEngine } {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const replica = new Replica({ file: path.join(t.dir, 'replica.sqlite'), consoleId: 'console-a' });
  cleanups.push(() => replica.close());
  const engine = new SyncEngine({
    replica,
    hubUrl,
    token: 'good',
    // A hello slower than the timeout (a loaded machine) is simply tried again.
    reconnect: { delayMs: 20, maxDelayMs: 100, jitter: 0 },
    ...options,
  });
  cleanups.push(() => engine.close());
  return { replica, engine };
}

const AT = '2026-11-28T10:00:00.000Z';

export function assetEvent(seq: number, id = `asset-${seq}`): HubEvent {
  return {
    seq,
    at: AT,
    mutationId: null,
    type: 'asset.upserted',
    payload: {
      id,
      kind: 'bridge',
      name: `Bridge ${id}`,
      district: 'Harbour',
      criticality: 4,
      location: { lat: 51.5 + seq / 10_000, lon: -0.1 },
      path: [
        { lat: 51.5, lon: -0.1 },
        { lat: 51.51, lon: -0.09 },
      ],
    },
  };
}

export function alertEvent(
  seq: number,
  opts: {
    identifier?: string;
    severity?: 'Extreme' | 'Severe' | 'Moderate' | 'Minor' | 'Unknown';
    urgency?: 'Immediate' | 'Expected' | 'Future' | 'Past' | 'Unknown';
    sent?: string;
    expires?: string;
  } = {},
): HubEvent {
  const identifier = opts.identifier ?? `A-${seq}`;
  const sender = 'sensors@demo-city';
  return {
    seq,
    at: AT,
    mutationId: null,
    type: 'alert.received',
    payload: {
      alertId: `${sender},${identifier}`,
      source: { kind: 'simulator', name: 'demo-city' },
      cap: {
        version: '1.2',
        identifier,
        sender,
        sent: opts.sent ?? '2026-11-28T10:00:00-00:00',
        status: 'Actual',
        msgType: 'Alert',
        scope: 'Public',
        code: [],
        references: [],
        infos: [
          {
            language: 'en-US',
            category: ['Infra'],
            event: 'Bridge strain',
            responseType: [],
            urgency: opts.urgency ?? 'Expected',
            severity: opts.severity ?? 'Moderate',
            certainty: 'Observed',
            eventCode: [],
            headline: `Strain on bridge ${identifier}`,
            parameter: [],
            resources: [],
            ...(opts.expires ? { expires: opts.expires } : {}),
            areas: [
              {
                areaDesc: 'Harbour bridge',
                polygons: [
                  [
                    { lat: 51.5, lon: -0.1 },
                    { lat: 51.52, lon: -0.1 },
                    { lat: 51.52, lon: -0.08 },
                    { lat: 51.5, lon: -0.1 },
                  ],
                ],
                circles: [],
                geocodes: [],
              },
            ],
          },
        ],
      },
    },
  };
}

export const alertIdOfSeq = (seq: number, identifier = `A-${seq}`): string => `sensors@demo-city,${identifier}`;

export function ackEvent(
  seq: number,
  alertId: string,
  mutationId: string | null = null,
  hlc = '000001800000000:00000:hub',
): HubEvent {
  return {
    seq,
    at: AT,
    mutationId,
    type: 'alert.acknowledged',
    payload: { alertId, by: { name: 'Officer Ada', role: 'officer' }, disposition: 'relevant-no-impact', hlc },
  };
}

/**
 * What a test starts and must stop: `later(fn)` runs fn after the test (newest first), `dir(name)`
 * is a temp folder removed then. Call once at a file's top level; it registers its own afterEach.
 */
export function testResources(): { later: (fn: () => unknown) => void; dir: (name: string) => string } {
  let cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups = [];
  });
  return {
    later: (fn) => {
      cleanups.push(fn);
    },
    dir: (name) => {
      const t = tempDir(`watchfloor-${name}-`);
      cleanups.push(t.cleanup);
      return t.dir;
    },
  };
}

/** A ConsoleApi channel's value through a console host; a refusal throws with its code. */
export async function hostValue<T>(host: ConsoleHost, channel: string, args?: unknown): Promise<T> {
  const r = await host.invoke(`watchfloor:${channel}`, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** A worker operation beyond the ConsoleApi (status, outbox, counters); a refusal throws. */
export async function hostCall<T>(host: ConsoleHost, op: WorkerOp, args?: unknown): Promise<T> {
  const r = await host.call(op, args);
  if (!r.ok) throw new Error(`${op}: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}
