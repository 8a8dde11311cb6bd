import { HubEvent } from '../shared/domain/events';
import { checkHot } from '../shared/domain/hubEventCheck';
import { syntheticLog } from './fixtures';

/**
 * `npx tsx bench/parse-check.ts [zod|check] [entries] [assets]`: CPU per entry of the HubEvent
 * parse from a fresh process, per 2 000 entries (assets first, then cloned simulator alerts), so
 * the cold start shows: zod's parse is slow until V8 has optimised it, the hand-written check in
 * front of it much less (decision 0039). Run each kind in its own process.
 */
const kind = process.argv[2] === 'check' ? 'check' : 'zod';
const n = Number(process.argv[3] ?? 20_000);
const assets = Number(process.argv[4] ?? 1_000);
const entries = syntheticLog(n, assets);
const perChunk: number[] = [];
for (let i = 0; i < entries.length; i += 2_000) {
  const c0 = process.cpuUsage();
  for (let j = i; j < Math.min(entries.length, i + 2_000); j++)
    if ((kind === 'check' ? checkHot(entries[j]) : HubEvent.safeParse(entries[j]).data) === undefined)
      throw new Error(`bench: entry ${j} was not accepted`);
  const c = process.cpuUsage(c0);
  perChunk.push(+((c.user + c.system) / Math.min(2_000, entries.length - i)).toFixed(1));
}
console.log(JSON.stringify({ kind, entries: entries.length, cpuUsPerEntryPer2000: perChunk }));
