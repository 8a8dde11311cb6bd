import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import { EXPORT_ID_HEADER, type ExportProgress } from '../../shared/export';
import { newId } from '../../shared/ids';
import { exportLog } from '../../hub/audit/exportLog';
import type { EventDraft } from '../../hub/events';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { Exporter } from '../../main/console/export';
import { eventually, manualLogDraft, tempDir } from '../hub/helpers';

/**
 * Cancelling an export (issue 6): the console's real Exporter downloads a JSON export of
 * 2 000 long entries (~16 MB) from a real hub on 127.0.0.1, is cancelled once bytes have arrived, and
 * must end 'cancelled' with no file and no `.partial` left, stop pushing progress, and the
 * hub must record the export on the chain as one that did not complete.
 *
 * And what the hub records once it has sent a whole export (decision 0035): the console's
 * receipt decides. A cancel that lands when every byte has left the hub (the bytes are with
 * the client, not yet in its file) is audited as cancelled with no file kept, not as done; a
 * completed download as kept, with the file's size and SHA-256; no receipt as not known.
 */

// big enough that the hub is still writing when the cancel lands (it waits for the socket to drain)
const ENTRIES = 2_000;
/** ~8 KB per entry: the export (~16 MB) is far more than loopback buffers hold */
const LONG = '消防员正在疏散附近居民，水带已铺设。'.repeat(200);
const START = Date.parse('2026-03-14T09:00:00Z');
/** three short entries sealed 10 minutes after the long ones: a small export by time range */
const SMALL_AT = START + 600_000;
const SMALL = { from: new Date(SMALL_AT).toISOString(), to: new Date(SMALL_AT).toISOString() };
const RECEIPT_MS = 2_000;
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let token = '';

/** Seals entries through the hub store's real append path before the hub opens it. */
function seal(dataDir: string, n: number): void {
  const clock = new ManualClock(START);
  const store = HubStore.open(join(dataDir, 'hub.sqlite'), clock);
  const incidentId = newId();
  for (let done = 0; done < n; done += 500) {
    const drafts: EventDraft[] = Array.from({ length: 500 }, (_, i) =>
      manualLogDraft(
        incidentId,
        done + i + 1,
        clock.now(),
        `Engine ${(done + i) % 40} at sector ${i}: ${LONG}`.slice(0, 3_900),
      ),
    );
    store.append(drafts);
    clock.advance(1_000);
  }
  clock.set(SMALL_AT);
  store.append(
    ['水带已铺设', 'Sector 4 clear', 'Crew rotated'].map((text, i) =>
      manualLogDraft(incidentId, n + i + 1, clock.now(), text),
    ),
  );
  store.close();
}

/** The texts of the hub's export audit entries, in seq order, read from its store file. */
function exportAudits(): { seq: number; text: string }[] {
  const db = new Database(join(dir.dir, 'hub.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare("SELECT doc FROM activity_log WHERE json_extract(doc, '$.action') = 'audit.export' ORDER BY seq")
        .pluck()
        .all() as string[]
    ).map((doc) => JSON.parse(doc) as { seq: number; text: string });
  } finally {
    db.close();
  }
}

/** Waits for the audit entry of the export after the first `before` ones. */
const nextAudit = async (before: number) => (await eventually(() => exportAudits()[before]))!;

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
    exportReceiptMs: RECEIPT_MS,
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
    expect(audit).toMatchObject({ author: '李华 Li Hua', seq: ENTRIES + 3 + 1 });
    expect(audit.text).toContain('did not complete (the client closed the connection)');
  }, 120_000);

  it('a cancel after the hub sent every byte is audited as cancelled, no file kept (not as done)', async () => {
    const out = join(dir.dir, 'exports-late-cancel');
    mkdirSync(out, { recursive: true });
    const before = exportAudits().length;
    let hubDone = false;
    /**
     * The real fetch, the export body read in full from the socket first (so the hub has written
     * its last byte and sees a finished response), then handed to the console in two halves,
     * the second never: the cancel lands while the end of the file is still in flight.
     */
    const heldBack: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes('/export?') || !res.body) return res;
      const all = new Uint8Array(await res.arrayBuffer());
      hubDone = true;
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(all.subarray(0, all.length >> 1));
            return;
          }
          // the cancel may have landed before this read was asked for: an aborted signal fires no event
          await new Promise((_resolve, reject) => {
            const signal = init?.signal;
            if (!signal) return reject(new Error('the exporter passes no abort signal'));
            if (signal.aborted) return reject(signal.reason as Error);
            signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          });
        },
      });
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const pushes: ExportProgress[] = [];
    const exporter = new Exporter({
      hubUrl: hub.url,
      token: () => token,
      dir: out,
      push: (p) => pushes.push(p),
      fetch: heldBack,
    });
    const { exportId } = exporter.start({ format: 'csv', ...SMALL });
    await eventually(() => pushes.some((p) => p.bytes > 0));
    expect(hubDone).toBe(true);
    expect(exporter.cancel(exportId)).toBe(true);

    const last = (await eventually(() => pushes.find((p) => p.state !== 'running')))!;
    expect(last.state).toBe('cancelled');
    expect(readdirSync(out)).toEqual([]);
    const audit = await nextAudit(before);
    expect(audit.text).toMatch(
      /^李华 Li Hua cancelled an export of the activity log of a time range .* as CSV after the hub had sent all of it \(3 entries, chain head [0-9a-f]{64}, \d+ bytes, SHA-256 [0-9a-f]{64}\); the console kept no file\.$/,
    );
    expect(audit.text).not.toContain('confirmed');
    // one ending per export: nothing else is recorded for it later
    await new Promise((r) => setTimeout(r, RECEIPT_MS + 500));
    expect(exportAudits()).toHaveLength(before + 1);
  }, 60_000);

  it('a completed download is audited as kept, with the size and SHA-256 of the file the console kept', async () => {
    const out = join(dir.dir, 'exports-done');
    mkdirSync(out, { recursive: true });
    const before = exportAudits().length;
    const pushes: ExportProgress[] = [];
    const exporter = new Exporter({ hubUrl: hub.url, token: () => token, dir: out, push: (p) => pushes.push(p) });
    exporter.start({ format: 'json', ...SMALL });
    const last = (await eventually(() => pushes.find((p) => p.state !== 'running')))!;
    expect(last.state).toBe('done');
    const kept = readFileSync(last.file);
    const sha = createHash('sha256').update(kept).digest('hex');
    const audit = await nextAudit(before);
    expect(audit.text).toMatch(
      /^李华 Li Hua exported the activity log of a time range .* as JSON: 3 entries, chain head [0-9a-f]{64}\. /,
    );
    expect(audit.text).toContain(
      `The console confirmed it kept the whole file (${kept.length} bytes, SHA-256 ${sha}).`,
    );
  }, 60_000);

  it('an export nobody confirms is audited as sent, kept or not unknown; receipts are checked', async () => {
    const before = exportAudits().length;
    const query = new URLSearchParams({ format: 'csv', ...SMALL });
    const res = await fetch(`${hub.url}/export?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const id = res.headers.get(EXPORT_ID_HEADER)!;
    expect(id).toMatch(/^[\w-]+$/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const receipt = (body: unknown, who = token) =>
      fetch(`${hub.url}/export/receipt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // refused receipts change nothing: bad shape, another officer, an export that is not waiting
    const other = await hub.issueToken({ role: 'supervisor', name: 'Sam Reyes', position: 'EOC Supervisor' });
    const bad = await receipt({ exportId: id, outcome: 'received', bytes: bytes.length });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const forbidden = await receipt({ exportId: id, outcome: 'discarded', reason: 'cancelled', bytes: 0 }, other);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await receipt({ exportId: newId(), outcome: 'discarded', reason: 'cancelled', bytes: 0 })).status).toBe(
      404,
    );
    expect((await fetch(`${hub.url}/export/receipt`, { method: 'POST', body: '{}' })).status).toBe(401);

    const audit = await nextAudit(before);
    expect(audit.text).toContain(`the hub sent all of it (3 entries, chain head `);
    expect(audit.text).toContain(`${bytes.length} bytes, SHA-256 ${createHash('sha256').update(bytes).digest('hex')}`);
    expect(audit.text).toMatch(
      /but no receipt came from the client within 2 s, so whether the file was kept is not known\.$/,
    );
    // too late now: the export has its ending
    const late = await receipt({ exportId: id, outcome: 'received', bytes: bytes.length, sha256: '0'.repeat(64) });
    expect(late.status).toBe(404);
    expect(exportAudits()).toHaveLength(before + 1);
  }, 60_000);

  it('a console that could not save a fully sent export says so, and the hub audits it as not kept', async () => {
    const before = exportAudits().length;
    const query = new URLSearchParams({ format: 'json', ...SMALL });
    const res = await fetch(`${hub.url}/export?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const post = (body: unknown) =>
      fetch(`${hub.url}/export/receipt`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const exportId = res.headers.get(EXPORT_ID_HEADER);
    // a discard must say why
    expect((await post({ exportId, outcome: 'discarded', bytes: bytes.length })).status).toBe(400);
    expect((await post({ exportId, outcome: 'discarded', reason: 'failed', bytes: bytes.length })).status).toBe(200);
    const audit = await nextAudit(before);
    expect(audit.text).toMatch(
      /^李华 Li Hua's console could not save an export of the activity log of a time range .* as JSON that the hub had sent in full \(3 entries, .*\); no file was kept\.$/,
    );
  }, 60_000);
});
