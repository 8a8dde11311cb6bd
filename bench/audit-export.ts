import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../shared/clock';
import { newId } from '../shared/ids';
import { exportLog } from '../hub/audit/exportLog';
import type { EventDraft } from '../hub/events';
import { HubStore } from '../hub/store/hubStore';

/**
 * `npx tsx bench/audit-export.ts [N] [dir]`: seals N activity-log entries through the hub
 * store (the real append path), then exports them as JSON and CSV, printing one JSON line
 * per figure. Peak memory of the export alone: run `npm run export` under /usr/bin/time -v
 * on the data dir this prints.
 */
const n = Number(process.argv[2] ?? 250_000);
const dir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'watchfloor-audit-bench-'));
const clock = new ManualClock(Date.parse('2026-03-14T09:00:00Z'));
const store = HubStore.open(join(dir, 'hub.sqlite'), clock);
const incidents = Array.from({ length: 20 }, () => newId());
let t = performance.now();
for (let done = store.lastLogSeq(); done < n; ) {
  const batch = Math.min(1_000, n - done);
  const drafts: EventDraft[] = Array.from({ length: batch }, (_, i) => ({
    type: 'log.appended',
    payload: {
      id: newId(),
      seq: done + i + 1,
      incidentId: incidents[(done + i) % incidents.length]!,
      operationalPeriod: 1,
      at: new Date(clock.now()).toISOString(),
      author: 'Ada Okafor',
      position: 'Duty Officer',
      text: `Engine ${(done + i) % 40} on scene, "all clear" at sector ${i}; 消防车已到达现场`,
      kind: 'manual',
      corrects: null,
      action: 'log.append',
    },
  }));
  store.append(drafts);
  clock.advance(1_000);
  done += batch;
}
store.close();
console.log(JSON.stringify({ figure: 'audit.seal', entries: n, ms: Math.round(performance.now() - t), dir }));
for (const format of ['json', 'csv'] as const) {
  t = performance.now();
  const s = await exportLog({ hubData: dir, format, out: join(dir, `export.${format}`) });
  const ms = performance.now() - t;
  console.log(
    JSON.stringify({
      figure: `audit.export.${format}`,
      entries: s.entries,
      ms: Math.round(ms),
      entriesPerSecond: Math.round(s.entries / (ms / 1000)),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}
