import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { EXPORT_ID_HEADER } from '../../shared/export';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import type { MutationPayload, MutationType } from '../../shared/domain/mutations';
import { newId } from '../../shared/ids';
import { MutateAck } from '../../shared/protocol';
import { CSV_COLUMNS, exportLog } from '../../hub/audit/exportLog';
import { CONTINUATION_TITLE } from '../../hub/audit/pdf214';
import { verifyExportText } from '../../hub/audit/verifyExport';
import { startHub, type Hub } from '../../hub/server';
import { buildDemoCity } from '../../hub/simulator/city';
import { demoRoster } from '../../hub/simulator/units';
import { ask, consoleFor, hlc, tempDir } from './helpers';

/**
 * Exports over HTTP from a real hub (issue 6): GET /export streams CSV, JSON and the ICS 214
 * PDF to a supervisor and refuses an officer; golden structure checks of what comes back,
 * and the PDF read back with pdfjs.
 */

const START = Date.parse('2026-03-14T09:00:00Z');
const clock = new ManualClock(START);
let dir: ReturnType<typeof tempDir>;
let hub: Hub;
let ada: Socket;
let supervisorToken = '';
let officerToken = '';
let fire = '';
const FIRE_TITLE = '仓库火灾 Warehouse fire';
const LONG_CJK = '消防员正在疏散附近居民。'.repeat(330); // ~4 000 characters: taller than a page
const NOTES = Array.from({ length: 70 }, (_, i) =>
  i % 3 === 0 ? `第${i}条：水带已铺设，压力正常` : `Note ${i}: "sector ${i}", all clear`,
);

async function mutate<T extends MutationType>(type: T, payload: MutationPayload<T>) {
  const ack = MutateAck.parse(await ask(ada, 'mutate', { id: newId(), type, payload, hlc: hlc() }));
  expect(ack).toMatchObject({ ok: true });
}

const get = (query: string, token?: string) =>
  fetch(`${hub.url}/export${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});

/** The text of every page of a PDF, items joined by spaces. */
async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pdf = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  await pdf.destroy();
  return pages;
}

beforeAll(async () => {
  dir = tempDir('watchfloor-export-http-');
  hub = await startHub({ dataDir: dir.dir, port: 0, clock, simulate: { seed: 5, rate: 0 } });
  ada = await consoleFor(hub, 'officer', 'Ada Okafor');
  supervisorToken = await hub.issueToken({ role: 'supervisor', name: '李华 Li Hua', position: 'EOC Supervisor' });
  officerToken = await hub.issueToken({ role: 'officer', name: 'Ada Okafor', position: 'Duty Officer' });
  await hub.simulate(5);
  fire = newId();
  await mutate('incident.open', { incidentId: fire, title: FIRE_TITLE, incidentType: 'fire', priority: 1 });
  const unitId = demoRoster(buildDemoCity(), '')[0]!.id;
  await mutate('unit.dispatch', { incidentId: fire, unitIds: [unitId] });
  for (const text of NOTES) {
    clock.advance(30_000);
    await mutate('log.append', { entryId: newId(), incidentId: fire, text });
  }
  await mutate('log.append', { entryId: newId(), incidentId: fire, text: LONG_CJK });
}, 120_000);

afterAll(async () => {
  ada?.close();
  await hub?.close();
  dir?.remove();
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

describe('GET /export refuses what it must', () => {
  it('an officer token gets 403 FORBIDDEN, and the refusal is on the chain', async () => {
    const res = await get('?format=csv', officerToken);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect(hub.metrics().errors.FORBIDDEN).toBeGreaterThan(0);
    await exportLog({ hubData: dir.dir, format: 'json', out: join(dir.dir, 'after-refusal.json') });
    const { entries } = JSON.parse(readFileSync(join(dir.dir, 'after-refusal.json'), 'utf8')) as {
      entries: ActivityLogEntry[];
    };
    expect(entries.at(-1)).toMatchObject({ action: 'audit.refused', author: 'Ada Okafor' });
  });

  it('no token is 401, a bad query 400, an unknown incident 404', async () => {
    expect((await get('?format=csv')).status).toBe(401);
    const bad = await get('?format=docx', supervisorToken);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    expect((await get('?format=csv&from=soon', supervisorToken)).status).toBe(400);
    expect((await get('?format=csv&extra=1', supervisorToken)).status).toBe(400);
    expect((await get('?format=csv&incident=nope', supervisorToken)).status).toBe(404);
  });
});

describe('GET /export streams to a supervisor', () => {
  it('JSON: every field of every entry, the chain head, verifies; the export is audited once received', async () => {
    const res = await get('?format=json', supervisorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    // the receipt the console sends when it has kept the file (main/console/export.ts)
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const receipt = await fetch(`${hub.url}/export/receipt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        exportId: res.headers.get(EXPORT_ID_HEADER),
        outcome: 'received',
        bytes: bytes.length,
        sha256,
      }),
    });
    expect(receipt.status).toBe(200);
    const file = JSON.parse(text) as {
      filter: unknown;
      entries: ActivityLogEntry[];
      chain: { head: string; entries: number; start: { seq: number } };
    };
    expect(Number(res.headers.get('x-export-entries'))).toBe(file.entries.length);
    expect(file.filter).toEqual({ incidentId: null, from: null, to: null });
    expect(file.entries.map((e) => e.seq)).toEqual(file.entries.map((_, i) => i + 1));
    for (const e of file.entries) for (const c of CSV_COLUMNS) expect(e).toHaveProperty(c);
    expect(file.entries.filter((e) => e.kind === 'manual').map((e) => e.text)).toEqual([...NOTES, LONG_CJK]);
    expect(file.chain).toMatchObject({ head: file.entries.at(-1)!.chainHash, entries: file.entries.length });
    expect(verifyExportText(text)).toEqual({ ok: true, entries: file.entries.length, head: file.chain.head });

    // the export's own audit entry follows it on the chain
    await exportLog({ hubData: dir.dir, format: 'json', out: join(dir.dir, 'after-export.json') });
    const after = JSON.parse(readFileSync(join(dir.dir, 'after-export.json'), 'utf8')) as {
      entries: ActivityLogEntry[];
    };
    const audit = after.entries.at(-1)!;
    expect(audit).toMatchObject({ action: 'audit.export', author: '李华 Li Hua', seq: file.entries.length + 1 });
    expect(audit.text).toContain(file.chain.head);
    expect(audit.text).toContain(
      `The console confirmed it kept the whole file (${bytes.length} bytes, SHA-256 ${sha256}).`,
    );
    expect(audit.prevHash).toBe(file.chain.head);
  });

  it('CSV of one incident: BOM, header, quoting, Chinese intact, rows in seq order', async () => {
    const res = await get(`?format=csv&incident=${fire}`, supervisorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="watchfloor-ics214-INC-\d+-.*\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.subarray(3));
    expect(text.split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
    expect(text).toContain('"Note 1: ""sector 1"", all clear"');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...CSV_COLUMNS]);
    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect(rows.every((r) => r[col('incidentId')] === fire)).toBe(true);
    const seqs = rows.map((r) => Number(r[col('seq')]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(rows.filter((r) => r[col('kind')] === 'manual').map((r) => r[col('text')])).toEqual([...NOTES, LONG_CJK]);
    expect(Number(res.headers.get('x-export-entries'))).toBe(rows.length);
  });

  it('PDF: the ICS 214 headings, the entries in order, Chinese text, continuation pages numbered x of y', async () => {
    // what the hub holds for the incident now (a CLI export is not an audit event, an HTTP one is)
    await exportLog({ hubData: dir.dir, format: 'json', out: join(dir.dir, 'fire.json'), incidentId: fire });
    const json = JSON.parse(readFileSync(join(dir.dir, 'fire.json'), 'utf8')) as {
      entries: ActivityLogEntry[];
      chain: { head: string };
    };
    const res = await get(`?format=pdf&incident=${fire}`, supervisorToken);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('%PDF-');
    // the font is embedded (a subset), not referenced by name
    expect(Buffer.from(bytes).includes('/FontFile2')).toBe(true);
    const pages = await pdfPages(bytes);
    const y = pages.length;
    expect(y).toBe(Number(res.headers.get('x-export-pages')));
    expect(y).toBeGreaterThan(2);

    const first = pages[0]!;
    for (const heading of [
      'ACTIVITY LOG (ICS 214)',
      '1. Incident Name:',
      '2. Operational Period:',
      '3. Name:',
      'ICS Position:',
      'Home Agency (and Unit):',
      '4. Resources Assigned:',
      '5. Activity Log:',
      'Date/Time',
      'Notable Activities',
      '6. Prepared by:',
      'Signature:',
    ])
      expect(first).toContain(heading);
    expect(first).toContain(FIRE_TITLE);
    expect(first).toContain('李华 Li Hua');
    expect(first).toContain('EOC Supervisor');
    expect(first).toContain(`ICS 214, Page 1 of ${y}`);
    pages.slice(1).forEach((text, i) => {
      expect(text).toContain(CONTINUATION_TITLE);
      expect(text).toContain(`ICS 214, Page ${i + 2} of ${y}`);
      expect(text).toContain(FIRE_TITLE);
    });

    // every page carries the chain head of the export, the same as the JSON's
    for (const text of pages) expect(text).toContain(`Chain head ${json.chain.head}`);

    // entries in order: each note's text appears after the one before it (lines join with spaces)
    const all = pages.join('\n').replace(/\s+/g, '');
    let at = 0;
    for (const e of json.entries) {
      const piece = e.text.replace(/\s+/g, '').slice(0, 12);
      const found = all.indexOf(piece, at);
      expect(found, `entry #${e.seq} "${e.text.slice(0, 20)}" in order`).toBeGreaterThanOrEqual(0);
      at = found;
    }
    expect(all).toContain('第3条：水带已铺设，压力正常');
    // the 4 000-character entry is printed whole, across pages
    // (split between pages, so count a character that occurs once in each of its 330 sentences)
    expect(all.split('疏').length - 1).toBe(330);
  });

  it('the CLI writes the same PDF structure (--format pdf)', async () => {
    const out = join(dir.dir, 'cli.pdf');
    const summary = await exportLog({
      hubData: dir.dir,
      format: 'pdf',
      out,
      incidentId: fire,
      people: { preparedBy: { name: 'CLI Operator' } },
    });
    const pages = await pdfPages(new Uint8Array(readFileSync(out)));
    expect(pages).toHaveLength(summary.pages!);
    expect(pages[0]).toContain('CLI Operator');
  });
});
