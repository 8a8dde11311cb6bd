import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENESIS } from '../../shared/audit/chain';
import { ManualClock } from '../../shared/clock';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { CSV_COLUMNS, exportLog } from '../../hub/audit/exportLog';
import { verifyExportText } from '../../hub/audit/verifyExport';
import { startHub, type Hub } from '../../hub/server';
import { HubStore } from '../../hub/store/hubStore';
import { buildDemoCity } from '../../hub/simulator/city';
import { demoRoster } from '../../hub/simulator/units';
import { ask, consoleFor, hlc, tempDir } from './helpers';

/**
 * The activity log's chain and its exports (issue 6), from a real hub data dir after real
 * mutations over Socket.IO, across a hub restart.
 */

const START = Date.parse('2026-03-14T09:00:00Z');
const clock = new ManualClock(START);
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let ada: Socket;
let fire = '';
let flood = '';
let beforeRestart: ActivityLogEntry[] = [];
const TRICKY = [
  '消防车已到达现场，正在灭火。',
  'Caller said "bridge is moving", then hung up',
  'Line one\r\nline two, with a comma',
];

async function mutate<T extends MutationType>(type: T, payload: MutationPayload<T>) {
  const ack = MutateAck.parse(await ask(ada, 'mutate', { id: newId(), type, payload, hlc: hlc() }));
  expect(ack).toMatchObject({ ok: true });
}

async function openHub(): Promise<void> {
  hub = await startHub({ dataDir: dir.dir, port: 0, clock, simulate: { seed: 5, rate: 0 } });
  ada = await consoleFor(hub, 'officer', 'Ada Okafor');
}

async function closeHub(): Promise<void> {
  ada.close();
  await hub.close();
}

const out = (name: string) => join(dir.dir, name);
const readJson = (file: string) =>
  JSON.parse(readFileSync(file, 'utf8')) as { entries: ActivityLogEntry[]; chain: Record<string, unknown> };

beforeAll(async () => {
  dir = tempDir('watchfloor-audit-');
  await openHub();
  await hub.simulate(10);
  const unitId = demoRoster(buildDemoCity(), '')[0]!.id;
  fire = newId();
  flood = newId();
  await mutate('incident.open', {
    incidentId: fire,
    title: '仓库火灾 Warehouse fire',
    incidentType: 'fire',
    priority: 1,
  });
  clock.advance(60_000);
  await mutate('incident.open', {
    incidentId: flood,
    title: 'Underpass flooding',
    incidentType: 'flooding',
    priority: 3,
  });
  clock.advance(60_000);
  await mutate('unit.dispatch', { incidentId: fire, unitIds: [unitId] });
  for (const text of TRICKY) {
    clock.advance(60_000);
    await mutate('log.append', { entryId: newId(), incidentId: fire, text });
  }
  await mutate('log.append', { entryId: newId(), incidentId: flood, text: 'Pumps requested' });
  await closeHub();
  await exportLog({ hubData: dir.dir, format: 'json', out: out('before.json') });
  beforeRestart = readJson(out('before.json')).entries;

  clock.advance(3_600_000);
  await openHub();
  await mutate('log.append', { entryId: newId(), incidentId: fire, text: '交接班：火势已控制 (after restart)' });
  await mutate('incident.setStatus', { incidentId: flood, status: 'active' });
  await closeHub();
}, 60_000);

afterAll(() => dir?.remove());

describe('the hub seals every activity-log entry', () => {
  it('keeps one chain across a hub restart, and the whole export verifies', async () => {
    const summary = await exportLog({ hubData: dir.dir, format: 'json', out: out('all.json') });
    const file = readJson(out('all.json'));
    const { entries } = file;
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(entries.length).toBeGreaterThan(beforeRestart.length);
    // the first entry written after the restart links to the last one before it
    const last = beforeRestart.at(-1)!;
    expect(entries[beforeRestart.length - 1]).toEqual(last);
    expect(entries[beforeRestart.length]!.prevHash).toBe(last.chainHash);
    expect(entries[0]!.prevHash).toBe(GENESIS);
    expect(file.chain).toMatchObject({
      head: summary.head,
      entries: entries.length,
      contiguous: true,
      start: { seq: 1 },
    });
    expect(verifyExportText(readFileSync(out('all.json'), 'utf8'))).toEqual({
      ok: true,
      entries: entries.length,
      head: entries.at(-1)!.chainHash,
    });
  });

  it('JSON carries every field of each entry, CJK intact', () => {
    const { entries } = readJson(out('all.json'));
    const manual = entries.filter((e) => e.kind === 'manual');
    expect(manual.map((e) => e.text)).toEqual([...TRICKY, 'Pumps requested', '交接班：火势已控制 (after restart)']);
    for (const e of entries) expect(Object.keys(e).sort()).toEqual([...CSV_COLUMNS].sort());
  });

  it('seals, once at open, entries written before the chain existed', () => {
    const store = HubStore.open(join(dir.dir, 'hub.sqlite'), clock);
    store.db.exec(
      "UPDATE activity_log SET doc = json_remove(doc, '$.hash', '$.prevHash', '$.chainHash') WHERE seq > 2",
    );
    store.close();
    HubStore.open(join(dir.dir, 'hub.sqlite'), clock).close();
    return exportLog({ hubData: dir.dir, format: 'json', out: out('resealed.json') }).then(() => {
      expect(verifyExportText(readFileSync(out('resealed.json'), 'utf8'))).toMatchObject({ ok: true });
      expect(readJson(out('resealed.json')).entries).toEqual(readJson(out('all.json')).entries);
    });
  });
});

/** RFC 4180 reader, enough to read back what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

describe('exports', () => {
  it('CSV: UTF-8 with BOM, the header, RFC 4180 quoting, CJK round trip, entries in order', async () => {
    await exportLog({ hubData: dir.dir, format: 'csv', out: out('all.csv') });
    const bytes = readFileSync(out('all.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(text).toContain('"Caller said ""bridge is moving"", then hung up"');
    expect(text).toContain('"Line one\r\nline two, with a comma"');
    const [header, ...rows] = parseCsv(text);
    const { entries } = readJson(out('all.json'));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(entries.length);
    rows.forEach((r, i) => {
      const e = entries[i]!;
      expect(r).toEqual(CSV_COLUMNS.map((c) => (e[c] === null || e[c] === undefined ? '' : String(e[c]))));
    });
  });

  it('one incident: only its entries, in order; verifies with gaps allowed; an edit is still found', async () => {
    const summary = await exportLog({ hubData: dir.dir, format: 'json', out: out('fire.json'), incidentId: fire });
    const text = readFileSync(out('fire.json'), 'utf8');
    const { entries, chain } = readJson(out('fire.json'));
    expect(entries.every((e) => e.incidentId === fire)).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => a - b));
    expect(chain).toMatchObject({ contiguous: false, entries: entries.length, head: summary.head });
    expect(verifyExportText(text)).toMatchObject({ ok: true, entries: entries.length });
    expect(verifyExportText(text.replace('正在灭火', '正在撤离'))).toMatchObject({ ok: false });
  });

  it('a time range is one contiguous run of the chain and verifies from its stated start', async () => {
    const from = new Date(START + 150_000).toISOString();
    const to = new Date(START + 250_000).toISOString();
    await exportLog({ hubData: dir.dir, format: 'json', out: out('range.json'), from, to });
    const { entries, chain } = readJson(out('range.json'));
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.at >= from && e.at <= to)).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => entries[0]!.seq + i));
    expect(chain).toMatchObject({ contiguous: true, start: { seq: entries[0]!.seq, prevHash: entries[0]!.prevHash } });
    expect(verifyExportText(readFileSync(out('range.json'), 'utf8'))).toMatchObject({ ok: true });
  });
});

describe('the CLIs', () => {
  const run = async (args: string[]) => {
    try {
      const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'hub/audit/cli.ts', ...args]);
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('export writes a file that audit verify accepts (exit 0); a tampered copy exits 1 naming the entry', async () => {
    const exported = await run(['export', '--hub-data', dir.dir, '--format', 'json', '--out', out('cli.json')]);
    expect(exported.code).toBe(0);
    const good = await run(['audit', 'verify', out('cli.json')]);
    expect(good.code).toBe(0);
    const { entries } = readJson(out('cli.json'));
    expect(JSON.parse(good.stdout)).toEqual({ ok: true, entries: entries.length, head: entries.at(-1)!.chainHash });

    const tampered = readJson(out('cli.json'));
    const index = tampered.entries.findIndex((e) => e.text === TRICKY[0]);
    tampered.entries[index] = { ...tampered.entries[index]!, author: 'Someone Else' };
    writeFileSync(out('tampered.json'), JSON.stringify(tampered));
    const bad = await run(['audit', 'verify', out('tampered.json')]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, entries: entries.length, firstBad: { index } });
  }, 180_000); // each CLI run is a tsx process: ~15 s each on a loaded 2-core machine

  it('--format pdf writes an ICS 214 PDF (exit 0); bad arguments exit 2 with a message', async () => {
    const pdf = await run(['export', '--hub-data', dir.dir, '--format', 'pdf', '--out', out('x.pdf')]);
    expect(pdf.code).toBe(0);
    expect(JSON.parse(pdf.stdout)).toMatchObject({ format: 'pdf', pages: 1 });
    expect(readFileSync(out('x.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await run(['export', '--hub-data', dir.dir, '--format', 'docx', '--out', out('x.docx')])).stderr).toMatch(
      /--format must be csv, json or pdf/,
    );
    const badTime = await run([
      'export',
      '--hub-data',
      dir.dir,
      '--format',
      'csv',
      '--out',
      out('x.csv'),
      '--from',
      'soon',
    ]);
    expect(badTime.code).toBe(2);
    expect(badTime.stderr).toMatch(/--from must be an ISO 8601 time/);
    expect((await run(['audit', 'check', out('cli.json')])).code).toBe(2);
  }, 180_000);

  it('a CLI export beside a running hub is an audit entry on the same chain; --no-audit adds none', async () => {
    await openHub();
    try {
      const exported = await run(['export', '--hub-data', dir.dir, '--format', 'csv', '--out', out('audited.csv')]);
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ audited: true });
      // the hub goes on appending after the CLI's entry, on one chain
      await mutate('log.append', { entryId: newId(), incidentId: fire, text: 'After the CLI export' });
      await exportLog({ hubData: dir.dir, format: 'json', out: out('after-cli.json') });
      const text = readFileSync(out('after-cli.json'), 'utf8');
      expect(verifyExportText(text)).toMatchObject({ ok: true });
      const { entries } = readJson(out('after-cli.json'));
      const [audit, next] = entries.slice(-2);
      const csv = readFileSync(out('audited.csv'));
      expect(audit).toMatchObject({ action: 'audit.export', position: 'Hub CLI (not a signed-in officer)' });
      expect(audit!.text).toContain(`as CSV with the hub's CLI`);
      expect(audit!.text).toContain(`${csv.length} bytes, SHA-256 ${createHash('sha256').update(csv).digest('hex')}`);
      expect(next).toMatchObject({ text: 'After the CLI export', seq: audit!.seq + 1, prevHash: audit!.chainHash });

      const quiet = await run([
        'export',
        '--hub-data',
        dir.dir,
        '--format',
        'json',
        '--out',
        out('q.json'),
        '--no-audit',
      ]);
      expect(JSON.parse(quiet.stdout)).toMatchObject({ audited: false });
      await exportLog({ hubData: dir.dir, format: 'json', out: out('after-quiet.json') });
      expect(readJson(out('after-quiet.json')).entries).toHaveLength(entries.length);
    } finally {
      await closeHub();
    }
  }, 180_000);
});
