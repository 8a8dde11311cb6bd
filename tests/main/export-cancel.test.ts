import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import type { ExportProgress } from '../../shared/export';
import { newId } from '../../shared/ids';
import { exportLog } from '../../hub/audit/exportLog';
import type { EventDraft } from '../../hub/events';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { Exporter } from '../../main/console/export';
import { eventually, tempDir } from '../hub/helpers';

/**
 * Cancelling an export (issue 6): the console's real Exporter downloads a JSON export of
 * 2 000 long entries (~16 MB) from a real hub on 127.0.0.1, is cancelled once bytes have arrived, and
 * must end 'cancelled' with no file and no `.partial` left, stop pushing progress, and the
 * hub must record the export on the chain as one that did not complete.
 */

// big enough that the hub is still writing when the cancel lands (it waits for the socket to drain)
const ENTRIES = 2_000;
/** ~8 KB per entry: the export (~16 MB) is far more than loopback buffers hold */
const LONG = '消防员正在疏散附近居民，水带已铺设。'.repeat(200);
const START = Date.parse('2026-03-14T09:00:00Z');
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let token = '';

/** Seals entries through the hub store's real append path before the hub opens it. */
function seal(dataDir: string, n: number): void {
  const clock = new ManualClock(START);
  const store = HubStore.open(join(dataDir, 'hub.sqlite'), clock);
  const incidentId = newId();
  for (let done = 0; done < n; done += 500) {
    const drafts: EventDraft[] = Array.from({ length: 500 }, (_, i) => ({
      type: 'log.appended',
      payload: {
        id: newId(),
        seq: done + i + 1,
        incidentId,
        operationalPeriod: 1,
        at: new Date(clock.now()).toISOString(),
        author: 'Ada Okafor',
        position: 'Duty Officer',
        text: `Engine ${(done + i) % 40} at sector ${i}: ${LONG}`.slice(0, 3_900),
        kind: 'manual',
        corrects: null,
        action: 'log.append',
      },
    }));
    store.append(drafts);
    clock.advance(1_000);
  }
  store.close();
}

/**
 * The real fetch, its body read as over a slow link (one chunk per 50 ms), so the hub is held
 * by backpressure mid-export when the cancel lands, rather than done with the whole file already
 * sitting in loopback buffers.
 */
const slowFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (!res.body) return res;
  const slow = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform: async (chunk, controller) => {
        await new Promise((r) => setTimeout(r, 50));
        controller.enqueue(chunk);
      },
    }),
    { signal: init?.signal ?? undefined },
  );
  return new Response(slow, { status: res.status, headers: res.headers });
};

beforeAll(async () => {
  dir = tempDir('watchfloor-export-cancel-');
  seal(dir.dir, ENTRIES);
  hub = await startHub({
    dataDir: dir.dir,
    port: 0,
    clock: new ManualClock(START + 3_600_000),
    simulate: { seed: 5, rate: 0 },
  });
  token = await hub.issueToken({ role: 'supervisor', name: '李华 Li Hua', position: 'EOC Supervisor' });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  dir?.remove();
});

describe('cancelling a console export', () => {
  it('ends cancelled, keeps no file, stops progress, and the hub audits the stopped export', async () => {
    const out = join(dir.dir, 'exports');
    mkdirSync(out, { recursive: true });
    const pushes: ExportProgress[] = [];
    const exporter = new Exporter({
      hubUrl: hub.url,
      token: () => token,
      dir: out,
      push: (p) => pushes.push(p),
      fetch: slowFetch,
    });

    const { exportId } = exporter.start({ format: 'json' });
    // cancel mid-way: bytes have arrived, the export has not finished
    await eventually(() => pushes.some((p) => p.bytes > 0 && p.total !== null));
    expect(pushes.some((p) => p.state !== 'running')).toBe(false);
    expect(readdirSync(out).some((f) => f.endsWith('.json.partial'))).toBe(true);
    expect(exporter.cancel(exportId)).toBe(true);

    const last = (await eventually(() => pushes.find((p) => p.state !== 'running')))!;
    expect(last).toMatchObject({ exportId, state: 'cancelled', error: null });
    expect(last.done).toBeLessThan(last.total ?? Infinity);
    // no final file and no .partial
    expect(readdirSync(out)).toEqual([]);
    // nothing is pushed after the end, and the export is no longer cancellable
    const count = pushes.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(pushes.length).toBe(count);
    expect(pushes.at(-1)).toBe(last);
    expect(exporter.cancel(exportId)).toBe(false);

    // the hub put the stopped export on the chain as an audit entry
    const audit = (await eventually(async () => {
      const file = join(dir.dir, `chain-${newId()}.json`);
      await exportLog({ hubData: dir.dir, format: 'json', out: file });
      const { entries } = JSON.parse(readFileSync(file, 'utf8')) as { entries: ActivityLogEntry[] };
      return entries.find((e) => e.action === 'audit.export');
    }))!;
    expect(audit).toMatchObject({ author: '李华 Li Hua', seq: ENTRIES + 1 });
    expect(audit.text).toContain('did not complete (the client closed the connection)');
  }, 120_000);
});
