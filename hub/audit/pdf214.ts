import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { GENESIS, type ChainStart } from '../../shared/audit/chain';
import type { ActivityLogEntry } from '../../shared/domain/activityLog';
import type { ExportStart, ExportSummary, LogSelection, StreamOptions } from './exportLog';
import { drained } from './exportLog';

/**
 * The activity log as an ICS 214 form (issue 6): block 1 incident name, 2 operational
 * period, 3 name / ICS position / home agency, 4 resources assigned, 5 activity log
 * (date/time, notable activities), 6 prepared by (name, position, signature, date/time);
 * page 2 onwards is the "ACTIVITY LOG (CONTINUATION)" page with the same header.
 *
 * Streamed in two passes over the same read transaction, so memory stays flat for any
 * size: pass 1 lays the rows out without drawing (page count for "Page x of y", the chain
 * head for the footer), pass 2 lays them out the same way and draws each page, reads the
 * finished page out of pdfkit into the sink and waits for the sink to drain (decision 0035).
 * Every glyph comes from one embedded, subsetted font (WenQuanYi
 * Micro Hei, Apache-2.0, assets/fonts/) so Chinese text prints on any reader.
 */
export interface Pdf214People {
  /** block 6; the CLI's --prepared-by, the supervisor's token over HTTP */
  readonly preparedBy?: { readonly name: string; readonly position?: string | undefined } | undefined;
  /** block 3's home agency */
  readonly homeAgency?: string | undefined;
}

export const FONT_FILE = fileURLToPath(new URL('../../assets/fonts/wqy-microhei.ttc', import.meta.url));
const FONT_NAME = 'WenQuanYiMicroHei';
export const DEFAULT_HOME_AGENCY = 'City Emergency Operations Centre';
export const CONTINUATION_TITLE = 'ACTIVITY LOG (CONTINUATION)';

// US Letter, as the ICS forms; points.
const PAGE = { width: 612, height: 792 };
const M = 36;
const WIDTH = PAGE.width - 2 * M;
const ROW_SIZE = 8;
const ROW_GAP = 1;
const ROW_PAD = 3;
const COL = { time: M + 3, seq: M + 96, text: M + 138 } as const;
const TEXT_WIDTH = PAGE.width - M - 3 - COL.text;
const FOOTER_HEIGHT = 58;
const BODY_BOTTOM = PAGE.height - M - FOOTER_HEIGHT;
const MAX_RESOURCES = 16;

interface Header {
  readonly incidentName: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly name: string;
  readonly position: string;
  readonly agency: string;
  readonly resources: readonly { name: string; position: string; agency: string }[];
  readonly moreResources: number;
  readonly preparedBy: { readonly name: string; readonly position: string };
  readonly preparedAt: string;
}

interface Pass1 {
  readonly pages: number;
  readonly entries: number;
  readonly head: string;
  readonly start: ChainStart;
  readonly firstAt: string | null;
  readonly lastAt: string | null;
}

/** "2026-03-14 09:05:00" from an ISO time (UTC, as the hub writes it). */
const stamp = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, '');

export async function writePdf214(
  sink: Writable,
  selection: LogSelection,
  options: StreamOptions & { readonly onStart?: ((info: ExportStart) => void) | undefined },
): Promise<ExportSummary> {
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    bufferPages: false,
    info: { Title: 'ICS 214 Activity Log', Producer: 'Watchfloor', Creator: 'Watchfloor hub' },
  });
  doc.registerFont('body', FONT_FILE, FONT_NAME);
  doc.font('body');
  const numbers = incidentNumbers(selection);
  const multi = options.incidentId === undefined;
  const activity = (e: ActivityLogEntry): string => {
    const where = multi ? `[${e.incidentId ? (numbers.get(e.incidentId) ?? e.incidentId) : '—'}] ` : '';
    const who = e.position ? `${e.author} (${e.position})` : e.author;
    return `${where}${e.text} — ${who}`;
  };
  const measure = (text: string): number => {
    doc.fontSize(ROW_SIZE);
    return Math.max(ROW_SIZE + ROW_GAP, doc.heightOfString(text, { width: TEXT_WIDTH, lineGap: ROW_GAP }));
  };

  // Pass 1: lay out, count pages, find the chain head and the period the entries cover.
  const header0 = headerFor(selection, options, null);
  const firstBodyTop = pageTop(doc, header0, true, 1, 1, false);
  const contBodyTop = pageTop(doc, header0, false, 1, 1, false);
  const split = (text: string) => pieces(text, measure, BODY_BOTTOM - contBodyTop - 2 * ROW_PAD);
  let pages = 1;
  let y = firstBodyTop;
  let entries = 0;
  let head = GENESIS;
  let start: ChainStart = { seq: selection.lo, prevHash: GENESIS };
  let firstAt: string | null = null;
  let lastAt: string | null = null;
  for (const { entry } of selection.rows()) {
    options.signal?.throwIfAborted();
    if (entries === 0) {
      start = { seq: entry.seq, prevHash: entry.prevHash! };
      firstAt = entry.at;
    }
    lastAt = entry.at;
    head = entry.chainHash!;
    entries++;
    for (const piece of split(activity(entry))) {
      const h = piece.height + 2 * ROW_PAD;
      if (y + h > BODY_BOTTOM) {
        pages++;
        if (pages % CACHE_PAGES === 0) forgetLayouts(doc);
        y = contBodyTop;
      }
      y += h;
    }
  }
  const pass1: Pass1 = { pages, entries, head, start, firstAt, lastAt };
  options.onStart?.({ entries, pages });

  // Pass 2: the same layout, drawn; each finished page goes to the sink before the next.
  const header = headerFor(selection, options, pass1);
  const ended = once(doc, 'end');
  const pump = (): void => moveOut(doc, sink);
  let page = 1;
  doc.addPage();
  y = pageTop(doc, header, true, page, pages, true);
  footer(doc, header, pass1, page);
  let written = 0;
  let released = 0;
  for (const { entry } of selection.rows()) {
    options.signal?.throwIfAborted();
    const parts = split(activity(entry));
    for (const [i, piece] of parts.entries()) {
      const h = piece.height + 2 * ROW_PAD;
      if (y + h > BODY_BOTTOM) {
        page++;
        if (page % CACHE_PAGES === 0) forgetLayouts(doc);
        doc.addPage(); // ends the page before: its objects are now in the document's read buffer
        released = releaseWrittenPages(doc, released);
        pump();
        await drained(sink, options.signal);
        y = pageTop(doc, header, false, page, pages, true);
        footer(doc, header, pass1, page);
      }
      doc.fontSize(ROW_SIZE).fillColor('black');
      if (i === 0) {
        doc.text(stamp(entry.at), COL.time, y + ROW_PAD, { lineBreak: false });
        doc.text(`#${entry.seq}`, COL.seq, y + ROW_PAD, { lineBreak: false });
      }
      doc.text(piece.text, COL.text, y + ROW_PAD, { width: TEXT_WIDTH, lineGap: ROW_GAP });
      y += h;
      doc
        .moveTo(M, y)
        .lineTo(M + WIDTH, y)
        .lineWidth(0.25)
        .strokeColor('#999999')
        .stroke();
    }
    written++;
    if (written % 1_000 === 0) {
      options.onProgress?.(written, entries);
      pump();
      await drained(sink, options.signal);
    }
  }
  if (entries === 0) doc.fontSize(9).text('No activity-log entries match this export.', COL.text, y + ROW_PAD);
  doc.end();
  pump();
  await ended;
  options.onProgress?.(written, entries);
  return { entries, head, contiguous: options.incidentId === undefined, start, pages };
}

/**
 * Moves what the document has written so far to the sink. pdfkit's document is a Readable in
 * which output waits until something reads it; with a 'data' listener that happens on a later
 * tick, and this loop never gives one up while the sink has room (rows come from a synchronous
 * SQLite iterator), so the sink never filled, never asked us to wait, and the whole PDF piled
 * up in the document's read buffer (~19 KB a page as small Uint8Arrays: the growth that stopped
 * the 250 000-entry export, outside the V8 heap the cap limits). Read synchronously after
 * every page, at most one page is ever held.
 */
function moveOut(doc: PDFKit.PDFDocument, sink: Writable): void {
  for (let chunk = doc.read() as Buffer | null; chunk !== null; chunk = doc.read() as Buffer | null) sink.write(chunk);
}

/**
 * pdfkit keeps every page's dictionary (and through it its content and resources) in the page
 * tree until the document ends, though a written page only needs its object number there.
 * Emptying the written ones keeps memory flat over thousands of pages. Returns how many are done.
 */
function releaseWrittenPages(doc: PDFKit.PDFDocument, from: number): number {
  const kids = (doc as unknown as { _root?: { data?: { Pages?: { data?: { Kids?: unknown[] } } } } })._root?.data?.Pages
    ?.data?.Kids as { offset?: number; data: Record<string, unknown> }[] | undefined;
  if (!kids) return from;
  let i = from;
  for (; i < kids.length - 1 && kids[i]!.offset !== undefined; i++) kids[i]!.data = {};
  return i;
}

/**
 * pdfkit caches the layout of every distinct word it measures, for the whole document: with
 * 250 000 entries (each with its own numbers) that cache alone grew past 300 MB. Emptied every
 * CACHE_PAGES pages it stays small and still serves the words a page repeats.
 */
const CACHE_PAGES = 20;
function forgetLayouts(doc: PDFKit.PDFDocument): void {
  const font = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (font?.layoutCache) font.layoutCache = Object.create(null) as Record<string, unknown>;
}

/** A row's text in pieces that each fit on a page (a 4 000-character entry in CJK is taller than one). */
function pieces(text: string, measure: (t: string) => number, max: number): { text: string; height: number }[] {
  const out: { text: string; height: number }[] = [];
  let rest = text;
  for (;;) {
    const height = measure(rest);
    if (height <= max) {
      out.push({ text: rest, height });
      return out;
    }
    const chars = [...rest];
    let lo = 1;
    let hi = chars.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(chars.slice(0, mid).join('')) <= max) lo = mid;
      else hi = mid - 1;
    }
    const head = chars.slice(0, lo).join('');
    out.push({ text: head, height: measure(head) });
    rest = chars.slice(lo).join('');
  }
}

function incidentNumbers(selection: LogSelection): Map<string, string> {
  const has = selection.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").get();
  if (!has) return new Map();
  const rows = selection.db.prepare("SELECT id, json_extract(doc, '$.number') AS number FROM incidents").all() as {
    id: string;
    number: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.number]));
}

function headerFor(selection: LogSelection, options: StreamOptions, pass1: Pass1 | null): Header {
  const db = selection.db;
  const agency = options.people?.homeAgency ?? DEFAULT_HOME_AGENCY;
  const prepared = options.people?.preparedBy;
  const incident =
    options.incidentId !== undefined
      ? (db.prepare('SELECT doc FROM incidents WHERE id = ?').pluck().get(options.incidentId) as string | undefined)
      : undefined;
  const parsed = incident ? (JSON.parse(incident) as { number: string; title: string; commanderName: string }) : null;
  const unitRows = (
    options.incidentId !== undefined
      ? db.prepare('SELECT doc FROM units WHERE incident_id = ? ORDER BY id').pluck().all(options.incidentId)
      : db.prepare('SELECT doc FROM units WHERE incident_id IS NOT NULL ORDER BY id').pluck().all()
  ) as string[];
  const resources = unitRows.map((d) => {
    const u = JSON.parse(d) as { id: string; callSign: string; type: string; homeStation: { name: string } };
    return { name: `${u.id} ${u.callSign}`, position: u.type, agency: u.homeStation.name };
  });
  return {
    incidentName: parsed
      ? `${parsed.number} ${parsed.title}`
      : options.incidentId !== undefined
        ? options.incidentId
        : 'All incidents (the whole activity log)',
    period: {
      from: options.from ?? pass1?.firstAt ?? '',
      to: options.to ?? pass1?.lastAt ?? '',
    },
    name: parsed?.commanderName || prepared?.name || '—',
    position: parsed?.commanderName ? 'Incident Commander' : (prepared?.position ?? 'EOC'),
    agency,
    resources: resources.slice(0, MAX_RESOURCES),
    moreResources: Math.max(0, resources.length - MAX_RESOURCES),
    preparedBy: { name: prepared?.name ?? '', position: prepared?.position ?? '' },
    preparedAt: (options.now ?? (() => new Date().toISOString()))(),
  };
}

const label = (doc: PDFKit.PDFDocument, text: string, x: number, y: number, width?: number): void => {
  doc
    .fontSize(7)
    .fillColor('#333333')
    .text(text, x, y, width ? { width } : { lineBreak: false });
};
const value = (doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number): number => {
  doc.fontSize(9).fillColor('black');
  const h = doc.heightOfString(text || ' ', { width });
  doc.text(text || ' ', x, y, { width });
  return h;
};
const box = (doc: PDFKit.PDFDocument, x: number, y: number, w: number, h: number, draw: boolean): void => {
  if (draw) doc.rect(x, y, w, h).lineWidth(0.75).strokeColor('black').stroke();
};

/**
 * Draws (or, with draw false, only measures) a page's header and returns where its
 * activity rows start. Page 1 has blocks 1–5; a continuation page blocks 1, 2 and 5.
 */
function pageTop(
  doc: PDFKit.PDFDocument,
  h: Header,
  first: boolean,
  page: number,
  pages: number,
  draw: boolean,
): number {
  const measureOnly = !draw;
  const text = (t: string, x: number, y: number, size: number, width?: number): number => {
    doc.fontSize(size);
    const height = width ? doc.heightOfString(t || ' ', { width }) : size * 1.2;
    if (!measureOnly) doc.fillColor('black').text(t, x, y, width ? { width } : { lineBreak: false });
    return height;
  };
  let y = M;
  text(first ? 'ACTIVITY LOG (ICS 214)' : CONTINUATION_TITLE, M, y, 14);
  if (!measureOnly) label(doc, `ICS 214, Page ${page} of ${pages}`, M + WIDTH - 120, y + 4, 120);
  y += 22;

  // 1. Incident Name | 2. Operational Period
  const w1 = 250;
  const w2 = WIDTH - w1;
  const row1 = Math.max(36, measureValue(doc, h.incidentName, w1 - 8) + 16);
  if (!measureOnly) {
    box(doc, M, y, w1, row1, true);
    box(doc, M + w1, y, w2, row1, true);
    label(doc, '1. Incident Name:', M + 4, y + 3);
    value(doc, h.incidentName, M + 4, y + 13, w1 - 8);
    label(doc, '2. Operational Period:', M + w1 + 4, y + 3);
    label(doc, 'Date/Time From (UTC):', M + w1 + 4, y + 13);
    value(doc, stamp(h.period.from), M + w1 + 90, y + 12, w2 - 94);
    label(doc, 'Date/Time To (UTC):', M + w1 + 4, y + 24);
    value(doc, stamp(h.period.to), M + w1 + 90, y + 23, w2 - 94);
  }
  y += row1;

  if (first) {
    // 3. Name | ICS Position | Home Agency (and Unit)
    const row3 = 30;
    const third = WIDTH / 3;
    if (!measureOnly) {
      box(doc, M, y, WIDTH, row3, true);
      label(doc, '3. Name:', M + 4, y + 3);
      value(doc, h.name, M + 4, y + 13, third - 8);
      label(doc, 'ICS Position:', M + third + 4, y + 3);
      value(doc, h.position, M + third + 4, y + 13, third - 8);
      label(doc, 'Home Agency (and Unit):', M + 2 * third + 4, y + 3);
      value(doc, h.agency, M + 2 * third + 4, y + 13, third - 8);
    }
    y += row3;

    // 4. Resources Assigned
    const lines = Math.max(1, h.resources.length) + (h.moreResources > 0 ? 1 : 0);
    const row4 = 24 + lines * 11;
    if (!measureOnly) {
      box(doc, M, y, WIDTH, row4, true);
      label(doc, '4. Resources Assigned:', M + 4, y + 3);
      label(doc, 'Name', M + 4, y + 13);
      label(doc, 'ICS Position', M + 200, y + 13);
      label(doc, 'Home Agency (and Unit)', M + 320, y + 13);
      let ry = y + 23;
      if (h.resources.length === 0) text('No units assigned at the time of export.', M + 4, ry, 8);
      for (const r of h.resources) {
        doc.fontSize(8).fillColor('black');
        doc.text(r.name, M + 4, ry, { width: 190, height: 10, ellipsis: true, lineBreak: false });
        doc.text(r.position, M + 200, ry, { width: 115, height: 10, ellipsis: true, lineBreak: false });
        doc.text(r.agency, M + 320, ry, { width: WIDTH - 324, height: 10, ellipsis: true, lineBreak: false });
        ry += 11;
      }
      if (h.moreResources > 0) text(`… and ${h.moreResources} more units assigned.`, M + 4, ry, 8);
    }
    y += row4;
  }

  // 5. Activity Log: column heads
  if (!measureOnly) {
    box(doc, M, y, WIDTH, 24, true);
    label(doc, first ? '5. Activity Log:' : '5. Activity Log (continuation):', M + 4, y + 3);
    label(doc, 'Date/Time (UTC)', COL.time, y + 13);
    label(doc, 'Log #', COL.seq, y + 13);
    label(doc, 'Notable Activities', COL.text, y + 13);
  }
  return y + 24;
}

function measureValue(doc: PDFKit.PDFDocument, text: string, width: number): number {
  doc.fontSize(9);
  return doc.heightOfString(text || ' ', { width });
}

/** Block 6 and the chain head, on every page: the head ties this PDF to the JSON export. */
function footer(doc: PDFKit.PDFDocument, h: Header, p: Pass1, page: number): void {
  const y = BODY_BOTTOM + 4;
  box(doc, M, y, WIDTH, 30, true);
  label(doc, '6. Prepared by:', M + 4, y + 3);
  label(doc, 'Name:', M + 4, y + 14);
  doc
    .fontSize(8)
    .fillColor('black')
    .text(h.preparedBy.name, M + 30, y + 13, {
      width: 130,
      height: 10,
      ellipsis: true,
      lineBreak: false,
    });
  label(doc, 'Position/Title:', M + 165, y + 14);
  doc.fontSize(8).text(h.preparedBy.position, M + 220, y + 13, {
    width: 90,
    height: 10,
    ellipsis: true,
    lineBreak: false,
  });
  label(doc, 'Signature:', M + 315, y + 14);
  doc
    .moveTo(M + 355, y + 22)
    .lineTo(M + 430, y + 22)
    .lineWidth(0.5)
    .strokeColor('black')
    .stroke();
  label(doc, 'Date/Time:', M + 435, y + 14);
  doc
    .fontSize(7)
    .fillColor('black')
    .text(stamp(h.preparedAt), M + 470, y + 14, { lineBreak: false });
  label(doc, `ICS 214, Page ${page} of ${p.pages}`, M, y + 34);
  label(
    doc,
    `Chain head ${p.head} · ${p.entries} entries, from seq ${p.start.seq} · verify with the JSON export (npm run audit -- verify)`,
    M,
    y + 44,
    WIDTH,
  );
}
