import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_PULL, MutateAck, PullAck } from '../../shared/protocol';
import type { HubEvent } from '../../shared/domain/events';
import { newId } from '../../shared/ids';
import { validateCapDocument } from '../../hub/intake/xsd';
import { startHub, type Hub } from '../../hub/server';
import { acknowledge, ask, consoleFor, hlc, tempDir } from './helpers';

const DATA = join(__dirname, '../../../shared/data');
const corpus = (p: string) => join(DATA, p);
const POLYGON = 'cap/oasis-spec/v1dot2_appendix_adot2.xml';
const POLYGON_ID = 'KSTO@NWS.NOAA.GOV,KSTO1055887203';
const INVALID = 'cap/invalid/google-cap-library__invalid.cap';

const hubs: Hub[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function newHub(intake: Parameters<typeof startHub>[0]['intake'] = {}): Promise<{ hub: Hub; dir: string }> {
  const t = tempDir();
  const hub = await startHub({ dataDir: t.dir, port: 0, batchMs: 5, intake });
  hubs.push(hub);
  cleanups.push(t.remove, () => hub.close());
  return { hub, dir: t.dir };
}

async function post(hub: Hub, body: Uint8Array | string, token?: string | null) {
  const res = await fetch(`${hub.url}/cap`, {
    method: 'POST',
    headers: { 'content-type': 'application/cap+xml', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: { code: string } } };
}

async function log(hub: Hub): Promise<HubEvent[]> {
  const s = await consoleFor(hub, 'officer');
  try {
    return PullAck.parse(await ask(s, 'pull', { after: 0, limit: MAX_PULL })).events;
  } finally {
    s.close();
  }
}
const alertsOn = async (hub: Hub) => (await log(hub)).filter((e) => e.type === 'alert.received');
const feedToken = (hub: Hub) => hub.issueToken({ role: 'feed', name: 'NWS relay' });

describe('POST /cap', () => {
  it('a polygon alert from the corpus with a feed token lands on the log as alert.received', async () => {
    const { hub } = await newHub();
    const res = await post(hub, readFileSync(corpus(POLYGON)), await feedToken(hub));
    expect(res.status).toBe(202);
    expect(res.body.identifiers).toEqual([POLYGON_ID]);
    const [event] = await alertsOn(hub);
    expect(event).toMatchObject({ type: 'alert.received', payload: { alertId: POLYGON_ID } });
    if (event?.type !== 'alert.received') throw new Error('unreachable');
    expect(event.payload.source.kind).toBe('cap-post');
    expect(event.payload.cap.infos[0]!.areas[0]!.polygons[0]).toHaveLength(5);
    expect(hub.metrics().intake).toMatchObject({ documents: 1, alerts: 1, duplicates: 0 });
  });

  it('the same message twice is one alert, counted as a duplicate', async () => {
    const { hub } = await newHub();
    const token = await feedToken(hub);
    await post(hub, readFileSync(corpus(POLYGON)), token);
    const again = await post(hub, readFileSync(corpus(POLYGON)), token);
    expect(again).toMatchObject({ status: 202, body: { identifiers: [POLYGON_ID], stored: 0, duplicates: 1 } });
    expect(await alertsOn(hub)).toHaveLength(1);
    expect(hub.metrics().intake.duplicates).toBe(1);
  });

  it('refuses no token, a bad token, a non-feed role, an oversize body and invalid CAP, appending nothing', async () => {
    const { hub } = await newHub({ maxBytes: 64 * 1024 });
    const xml = readFileSync(corpus(POLYGON));
    const head = hub.head();
    expect(await post(hub, xml, null)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    expect(await post(hub, xml, 'not-a-jwt')).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
    const officer = await hub.issueToken({ role: 'officer', name: 'Ada' });
    expect(await post(hub, xml, officer)).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
    const token = await feedToken(hub);
    const big = new Uint8Array(64 * 1024 + 1).fill(0x20);
    expect(await post(hub, big, token)).toMatchObject({ status: 413, body: { error: { code: 'MESSAGE_TOO_LARGE' } } });
    const invalid = await post(hub, readFileSync(corpus(INVALID)), token);
    expect(invalid.status).toBe(422);
    const codes = (invalid.body.error as unknown as { issues: { code: string }[] }).issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['MISSING_ELEMENT', 'XSD_INVALID']));
    expect(await post(hub, '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><alert/>', token)).toMatchObject({
      status: 422,
      body: { error: { code: 'XML_DTD_FORBIDDEN' } },
    });
    expect(hub.head()).toBe(head);
    const m = hub.metrics();
    expect(m.errors.UNAUTHORIZED).toBe(2);
    expect(m.errors.FORBIDDEN).toBe(1);
    expect(m.intake.rejected).toMatchObject({ MESSAGE_TOO_LARGE: 1, XML_DTD_FORBIDDEN: 1 });
    expect(m.intake.alerts).toBe(0);
  });

  it('a hostile 2 MiB message is validated off the event loop: /health answers while it is parsed', async () => {
    const { hub } = await newHub();
    const token = await feedToken(hub);
    const hostile = '<a>' + '&#;'.repeat(600_000) + '</a>';
    const done: string[] = [];
    const posting = post(hub, hostile, token).then((r) => {
      done.push('post');
      return r;
    });
    // wait until the validator thread has the task, then ask the loop something
    for (;;) {
      if (hub.metrics().intake.documents === 1) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const health = await fetch(`${hub.url}/health`).then((r) => r.json());
    done.push('health');
    expect(health).toMatchObject({ status: 'ok' });
    const res = await posting;
    expect(res.status).toBe(422);
    expect(done).toEqual(['health', 'post']);
  });

  it('every accepted corpus file goes through the hub: one alert event per distinct message', async () => {
    const { hub } = await newHub();
    const token = await feedToken(hub);
    const files = ['cap', 'other/feeds', 'other/edxl-de', 'geojson'].flatMap((d) => walk(corpus(d)));
    const distinct = new Set<string>();
    for (const file of files) {
      const bytes = readFileSync(file);
      // the oracle: the same validator, in this thread
      const verdict = await validateCapDocument(new Uint8Array(bytes));
      const alerts = verdict.entries.filter((e) => e.accepted && e.alert).map((e) => e.alert!);
      const res = await post(hub, bytes, token);
      const name = relative(DATA, file);
      if (bytes.length > 2 * 1024 * 1024) expect(res.status, name).toBe(413);
      else expect(res.status, name).toBe(alerts.length > 0 ? 202 : 422);
      for (const a of alerts) distinct.add(`${a.sender}|${a.identifier}|${a.sent}`);
    }
    const onLog = await alertsOn(hub);
    expect(onLog).toHaveLength(distinct.size);
    expect(distinct.size).toBeGreaterThan(20);
    console.log(`[figures] corpus through POST /cap: ${files.length} files, ${onLog.length} alert events`);
    // 65 files validated twice (oracle here, pool in the hub): a bound for a loaded 2-core box, not an assertion.
  }, 300_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

describe('drop folder, feeds, USGS', () => {
  it('files dropped are taken and moved to accepted/ or rejected/ with a verdict beside', async () => {
    const drop = tempDir('watchfloor-drop-');
    cleanups.push(drop.remove);
    // no timer scan racing the test's own
    const { hub } = await newHub({ dropDir: drop.dir, config: { dropEverySeconds: 3600, feeds: [] } });
    copyFileSync(corpus(POLYGON), join(drop.dir, 'storm.xml'));
    copyFileSync(corpus(INVALID), join(drop.dir, 'broken.cap'));
    copyFileSync(corpus('other/edxl-de/google-cap-library__bushfire_valid.edxlde'), join(drop.dir, 'bushfire.edxlde'));
    writeFileSync(join(drop.dir, 'half-written.part'), '<alert');
    const results = await hub.intake.scanDrop();
    expect(results.map((r) => [r.file, r.verdict])).toEqual([
      ['broken.cap', 'rejected'],
      ['bushfire.edxlde', 'accepted'],
      ['storm.xml', 'accepted'],
    ]);
    expect(existsSync(join(drop.dir, 'accepted', 'storm.xml'))).toBe(true);
    expect(existsSync(join(drop.dir, 'half-written.part'))).toBe(true);
    const verdict = JSON.parse(readFileSync(join(drop.dir, 'rejected', 'broken.cap.verdict.json'), 'utf8'));
    expect(verdict.errors.map((e: { code: string }) => e.code)).toContain('MISSING_ELEMENT');
    const stored = results.reduce((n, r) => n + r.stored, 0);
    expect(await alertsOn(hub)).toHaveLength(stored);
    expect(stored).toBe(1 + 7);
    // The same message again, now by POST: a duplicate across sources.
    const again = await post(hub, readFileSync(corpus(POLYGON)), await feedToken(hub));
    expect(again.body).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await alertsOn(hub)).toHaveLength(stored);
  });

  it('an Atom index feed on 127.0.0.1 is polled, its linked CAP fetched; a USGS file feed gives one alert per feature', async () => {
    const files: Record<string, Buffer> = {
      '/alerts/storm.xml': readFileSync(corpus(POLYGON)),
      '/alerts/quake.xml': readFileSync(corpus('cap/oasis-spec/v1dot2_appendix_adot3.xml')),
    };
    const server: Server = createServer((req, res) => {
      const body = req.url === '/index.atom' ? Buffer.from(atomIndex(Object.keys(files))) : files[req.url ?? ''];
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/xml' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const usgs = corpus('geojson/usgs/EarthquakeData__significant_week.geojson');
    const features = (await validateCapDocument(new Uint8Array(readFileSync(usgs)))).entries.filter((e) => e.accepted);
    const { hub } = await newHub({
      config: {
        dropEverySeconds: 2,
        feeds: [
          {
            name: 'local index',
            kind: 'cap-index',
            url: `${base}/index.atom`,
            everySeconds: 3600,
            fetchLinks: true,
            maxLinks: 10,
          },
          { name: 'USGS week', kind: 'usgs-geojson', file: usgs, everySeconds: 3600, fetchLinks: false, maxLinks: 0 },
        ],
      },
    });
    const results = await hub.intake.pollFeeds();
    expect(results).toEqual([
      { feed: 'local index', ok: true, stored: 2, duplicates: 0, links: 2 },
      { feed: 'USGS week', ok: true, stored: features.length, duplicates: 0, links: 0 },
    ]);
    const alerts = await alertsOn(hub);
    expect(alerts).toHaveLength(2 + features.length);
    expect(alerts.filter((e) => e.type === 'alert.received' && e.payload.source.kind === 'usgs')).toHaveLength(
      features.length,
    );
    // Polled again: linked documents already fetched are skipped, the USGS features are duplicates.
    const second = await hub.intake.pollFeeds();
    expect(second[1]).toMatchObject({ stored: 0, duplicates: features.length });
    expect(await alertsOn(hub)).toHaveLength(2 + features.length);
  });
});

describe('USGS revisions', () => {
  it('a newer revision of an event is an Update of the previous one; an older one is stale', async () => {
    const { hub } = await newHub();
    const token = await feedToken(hub);
    const text = readFileSync(corpus('geojson/usgs/EarthquakeData__significant_week.geojson'), 'utf8');
    const feed = JSON.parse(text) as { features: { id: string; properties: { updated: number } }[] };
    const first = await post(hub, text, token);
    expect(first.status).toBe(202);
    const count = feed.features.length;
    expect(await alertsOn(hub)).toHaveLength(count);
    const revised = structuredClone(feed);
    revised.features[0]!.properties.updated += 60_000;
    const second = await post(hub, JSON.stringify(revised), token);
    expect(second.body).toMatchObject({ stored: 1, duplicates: count - 1 });
    const alerts = await alertsOn(hub);
    expect(alerts).toHaveLength(count + 1);
    const update = alerts[alerts.length - 1]!;
    if (update.type !== 'alert.received') throw new Error('unreachable');
    const id = feed.features[0]!.id;
    expect(update.payload.cap.msgType).toBe('Update');
    expect(update.payload.cap.references.map((r) => r.identifier)).toEqual([
      `${id}-${feed.features[0]!.properties.updated}`,
    ]);
    const older = structuredClone(feed);
    older.features[0]!.properties.updated -= 60_000;
    const third = await post(hub, JSON.stringify(older), token);
    expect(third.body).toMatchObject({ stored: 0, duplicates: count });
    expect(await alertsOn(hub)).toHaveLength(count + 1);
  });
});

function atomIndex(paths: string[]): string {
  const entries = paths
    .map(
      (p, i) => `<entry><id>urn:test:${i}</id><title>alert ${i}</title><updated>2026-11-28T10:00:00Z</updated>
        <link rel="alternate" type="application/cap+xml" href="${p}"/></entry>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:test:index</id>
    <title>Test index</title><updated>2026-11-28T10:00:00Z</updated>${entries}</feed>`;
}

describe('alert.reinstate on the hub', () => {
  it('only an acknowledged alert can be reinstated; the event carries who and the HLC', async () => {
    const { hub } = await newHub();
    await post(hub, readFileSync(corpus(POLYGON)), await feedToken(hub));
    const s = await consoleFor(hub, 'officer');
    cleanups.push(() => void s.close());
    await ask(s, 'hello', { consoleId: 'console-a', cursor: 0, schema: 1 });
    const reinstate = (id = newId()) => ({
      id,
      type: 'alert.reinstate',
      payload: { alertId: POLYGON_ID, note: 'new info' },
      hlc: hlc(),
    });
    expect(MutateAck.parse(await ask(s, 'mutate', reinstate()))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(MutateAck.parse(await ask(s, 'mutate', acknowledge(POLYGON_ID)))).toMatchObject({ ok: true });
    const r = MutateAck.parse(await ask(s, 'mutate', reinstate()));
    expect(r).toMatchObject({ ok: true });
    const events = await log(hub);
    // (other entries, e.g. the activity log's, may follow it)
    const last = events.find((e) => e.type === 'alert.reinstated')!;
    expect(last).toMatchObject({
      type: 'alert.reinstated',
      payload: { alertId: POLYGON_ID, note: 'new info', by: { name: 'Ada Okafor', role: 'officer' } },
    });
    if (last.type === 'alert.reinstated') expect(last.payload.hlc).toMatch(/^\d+/);
    expect(MutateAck.parse(await ask(s, 'mutate', reinstate()))).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    // back in the queue: it can be acknowledged again
    expect(MutateAck.parse(await ask(s, 'mutate', acknowledge(POLYGON_ID)))).toMatchObject({ ok: true });
    const feed = await consoleFor(hub, 'feed');
    cleanups.push(() => void feed.close());
    expect(MutateAck.parse(await ask(feed, 'mutate', reinstate()))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
