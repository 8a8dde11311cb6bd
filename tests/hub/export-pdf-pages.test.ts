import { join } from 'node:path';
import { Writable } from 'node:stream';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../shared/clock';
import { newId } from '../../shared/ids';
import { streamExport, type ExportSummary } from '../../hub/audit/exportLog';
import type { EventDraft } from '../../hub/events';
import { HubStore } from '../../hub/store/hubStore';
import { manualLogDraft, tempDir } from './helpers';

/**
 * A long ICS 214 PDF (issue 6, decision 0035): 3 000 entries sealed through the hub store's
 * real append path, exported to a sink that counts what reaches it, then read back with
 * pdfjs. The document reaches the sink page by page while the export runs (it used to pile
 * up inside pdfkit until the end: the memory that stopped the 250 000-entry export), every
 * page says "Page x of y" with the right y, and every entry is printed once, in seq order,
 * the last one on the last page.
 */

const ENTRIES = 3_000;
const START = Date.parse('2026-03-14T09:00:00Z');
let dir: ReturnType<typeof tempDir>;

beforeAll(() => {
  dir = tempDir('watchfloor-export-pdf-');
  const clock = new ManualClock(START);
  const store = HubStore.open(join(dir.dir, 'hub.sqlite'), clock);
  const incidentId = newId();
  for (let done = 0; done < ENTRIES; done += 500) {
    const drafts: EventDraft[] = Array.from({ length: 500 }, (_, i) =>
      manualLogDraft(
        incidentId,
        done + i + 1,
        clock.now(),
        // every 7th entry wraps onto a second line, so rows are not all one height
        (done + i) % 7 === 0
          ? `Engine ${i % 40} at sector ${i}: 消防员正在疏散附近居民，水带已铺设，压力正常。`.repeat(3)
          : `Engine ${i % 40} on scene at sector ${i}; 消防车已到达现场`,
      ),
    );
    store.append(drafts);
    clock.advance(1_000);
  }
  store.close();
}, 120_000);

afterAll(() => dir?.remove());

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

describe('a long ICS 214 PDF', () => {
  it('streams out page by page, numbers every page x of y, and prints every entry in order', async () => {
    const chunks: Buffer[] = [];
    let received = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        received += chunk.length;
        done();
      },
    });
    /** bytes that had reached the sink each time the export reported progress (every 1 000 entries) */
    const seen: { written: number; bytes: number }[] = [];
    let pagesAtStart = 0;
    const summary: ExportSummary = await streamExport(sink, {
      hubData: dir.dir,
      format: 'pdf',
      onStart: (info) => (pagesAtStart = info.pages ?? 0),
      onProgress: (written) => seen.push({ written, bytes: received }),
    });
    const bytes = new Uint8Array(Buffer.concat(chunks));
    expect(summary.entries).toBe(ENTRIES);

    // streamed: a third of the way through, a third-ish of the file has already left
    const third = seen.find((s) => s.written === 1_000)!;
    const twoThirds = seen.find((s) => s.written === 2_000)!;
    expect(third.bytes).toBeGreaterThan(bytes.length / 5);
    expect(twoThirds.bytes).toBeGreaterThan(third.bytes);
    expect(twoThirds.bytes).toBeLessThan(bytes.length);

    const pages = await pdfPages(bytes);
    const y = pages.length;
    expect(y).toBeGreaterThan(100);
    // the count pass 1 announced (headers, progress) is the count pass 2 drew
    expect(summary.pages).toBe(y);
    expect(pagesAtStart).toBe(y);
    pages.forEach((text, i) => {
      expect(text).toContain(`ICS 214, Page ${i + 1} of ${y}`);
      // "Page x of y" is printed twice (top and footer) and no other page number appears
      expect(text.match(/Page \d+ of \d+/g)).toEqual([`Page ${i + 1} of ${y}`, `Page ${i + 1} of ${y}`]);
    });

    // every entry once, in seq order, page after page; the last entry on the last page
    const seqsOn = pages.map((text) => [...text.matchAll(/#(\d+)\b/g)].map((m) => Number(m[1])));
    expect(seqsOn.flat()).toEqual(Array.from({ length: ENTRIES }, (_, i) => i + 1));
    expect(seqsOn[0]![0]).toBe(1);
    expect(seqsOn.at(-1)!.at(-1)).toBe(ENTRIES);
    expect(seqsOn.every((seqs) => seqs.length > 0)).toBe(true);
  }, 180_000);
});
