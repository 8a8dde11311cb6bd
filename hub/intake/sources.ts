import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AlertSource } from '../../shared/domain/alert';
import type { CapIntake, IntakeOutcome } from './intake';

/**
 * The hub's config file (`hub serve --config <file>`), JSON:
 *
 *   { "drop": "/var/watchfloor/drop",                       // optional, like --drop
 *     "feeds": [
 *       { "name": "NWS Atom", "kind": "cap-index", "url": "https://…/alerts.atom", "everySeconds": 120 },
 *       { "name": "USGS M2.5 day", "kind": "usgs-geojson", "url": "https://…/2.5_day.geojson", "everySeconds": 60 },
 *       { "name": "local file", "kind": "cap-index", "file": "/srv/feeds/index.atom", "fetchLinks": false } ] }
 *
 * Relative `file` and `drop` paths are relative to the config file.
 */
const Feed = z
  .object({
    name: z.string().trim().min(1).max(200),
    kind: z.enum(['cap-index', 'usgs-geojson']),
    url: z.string().url().optional(),
    file: z.string().min(1).optional(),
    everySeconds: z.number().min(1).max(86_400).default(120),
    /** fetch the CAP documents an index feed links to (default true) */
    fetchLinks: z.boolean().default(true),
    /** at most this many linked documents per poll */
    maxLinks: z.number().int().min(0).max(1_000).default(100),
  })
  .refine((f) => (f.url ? 1 : 0) + (f.file ? 1 : 0) === 1, { message: 'a feed needs exactly one of url or file' });
export type FeedConfig = z.infer<typeof Feed>;

export const HubConfig = z.object({
  drop: z.string().min(1).optional(),
  feeds: z.array(Feed).max(200).default([]),
  /** seconds between drop-folder scans */
  dropEverySeconds: z.number().min(0.1).max(3_600).default(2),
});
export type HubConfig = z.infer<typeof HubConfig>;

/** Reads and checks a config file; a bad one stops the hub with a sentence saying what is wrong. */
export function readHubConfig(file: string): HubConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`config ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = HubConfig.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`).join('; ');
    throw new Error(`config ${file}: ${detail}`);
  }
  const base = dirname(resolve(file));
  const abs = (p: string) => (isAbsolute(p) ? p : join(base, p));
  return {
    ...parsed.data,
    ...(parsed.data.drop ? { drop: abs(parsed.data.drop) } : {}),
    feeds: parsed.data.feeds.map((f) => (f.file ? { ...f, file: abs(f.file) } : f)),
  };
}

export interface DropResult {
  file: string;
  verdict: 'accepted' | 'rejected';
  stored: number;
  duplicates: number;
}

/**
 * The drop folder: every regular file put in `dir` (not starting with `.`, not ending in
 * `.tmp` or `.part`: write there, then rename) is submitted, then moved to `accepted/` (it
 * yielded at least one alert, new or already known) or `rejected/`, with
 * `<name>.verdict.json` beside it. Scanned every few seconds and on demand.
 */
export class DropFolder {
  private busy: Promise<DropResult[]> | null = null;

  constructor(
    readonly dir: string,
    private readonly intake: CapIntake,
  ) {
    for (const sub of ['', 'accepted', 'rejected']) mkdirSync(join(dir, sub), { recursive: true });
  }

  /** One scan; concurrent calls share it. */
  scan(): Promise<DropResult[]> {
    this.busy ??= this.scanOnce().finally(() => (this.busy = null));
    return this.busy;
  }

  private async scanOnce(): Promise<DropResult[]> {
    const results: DropResult[] = [];
    const names = readdirSync(this.dir)
      .filter((n) => !n.startsWith('.') && !/\.(tmp|part)$/i.test(n))
      .sort();
    for (const name of names) {
      const path = join(this.dir, name);
      let size: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        size = st.size;
      } catch {
        continue; // gone meanwhile
      }
      const source: AlertSource = { kind: 'cap-file', name: `drop:${name}`.slice(0, 500) };
      let outcome: IntakeOutcome | null = null;
      let error: { code: string; message: string } | null = null;
      if (size > this.intake.maxBytes) {
        error = { code: 'MESSAGE_TOO_LARGE', message: `${size} bytes; the limit is ${this.intake.maxBytes}.` };
        this.intake.counters.documents++;
        this.intake.counters.rejected.MESSAGE_TOO_LARGE = (this.intake.counters.rejected.MESSAGE_TOO_LARGE ?? 0) + 1;
      } else {
        outcome = await this.intake.submit(new Uint8Array(readFileSync(path)), source);
      }
      const ok = outcome !== null && outcome.stored.length + outcome.duplicates.length > 0;
      const verdict = ok ? 'accepted' : 'rejected';
      const target = join(this.dir, verdict, uniqueName(join(this.dir, verdict), name));
      renameSync(path, target);
      writeFileSync(
        `${target}.verdict.json`,
        JSON.stringify(
          {
            file: name,
            verdict,
            stored: outcome?.stored ?? [],
            duplicates: outcome?.duplicates ?? [],
            links: outcome?.links ?? [],
            format: outcome?.verdict.format ?? null,
            errors: error ? [error] : (outcome?.issues ?? []),
            warnings: outcome?.verdict.warnings ?? [],
          },
          null,
          2,
        ),
      );
      results.push({
        file: name,
        verdict,
        stored: outcome?.stored.length ?? 0,
        duplicates: outcome?.duplicates.length ?? 0,
      });
    }
    return results;
  }
}

function uniqueName(dir: string, name: string): string {
  let candidate = name;
  for (let i = 1; ; i++) {
    try {
      statSync(join(dir, candidate));
      candidate = `${i}-${name}`;
    } catch {
      return candidate;
    }
  }
}

export interface PollResult {
  feed: string;
  ok: boolean;
  stored: number;
  duplicates: number;
  links: number;
  error?: string;
}

/**
 * Polls the configured feeds: Atom/RSS CAP index feeds (embedded CAP is taken directly;
 * linked CAP documents are fetched, at most `maxLinks` per poll, skipping links already
 * fetched successfully) and USGS GeoJSON summary feeds. Each feed on its own timer; a
 * failing feed is reported in its result and retried at the next tick.
 */
export class FeedPoller {
  private timers: NodeJS.Timeout[] = [];
  private readonly fetched = new Map<string, Set<string>>();
  private readonly running = new Map<string, Promise<PollResult>>();
  readonly lastResults = new Map<string, PollResult>();

  constructor(
    private readonly feeds: readonly FeedConfig[],
    private readonly intake: CapIntake,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    for (const f of this.feeds) {
      const tick = () => void this.poll(f);
      tick();
      const t = setInterval(tick, f.everySeconds * 1000);
      t.unref();
      this.timers.push(t);
    }
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Poll every feed once now (tests, `hub serve` start). */
  pollAll(): Promise<PollResult[]> {
    return Promise.all(this.feeds.map((f) => this.poll(f)));
  }

  poll(feed: FeedConfig): Promise<PollResult> {
    const running = this.running.get(feed.name);
    if (running) return running;
    const p = this.pollOnce(feed).finally(() => this.running.delete(feed.name));
    this.running.set(feed.name, p);
    return p;
  }

  private async pollOnce(feed: FeedConfig): Promise<PollResult> {
    const result: PollResult = { feed: feed.name, ok: true, stored: 0, duplicates: 0, links: 0 };
    const kind: AlertSource['kind'] = feed.kind === 'usgs-geojson' ? 'usgs' : 'cap-feed';
    try {
      const where = feed.url ?? feed.file!;
      const bytes = await this.read(where, !!feed.file);
      const outcome = await this.intake.submit(bytes, { kind, name: feed.name });
      result.stored += outcome.stored.length;
      result.duplicates += outcome.duplicates.length;
      if (feed.fetchLinks && outcome.links.length) {
        const done = this.fetched.get(feed.name) ?? new Set<string>();
        this.fetched.set(feed.name, done);
        const todo = outcome.links
          .map((l) => (feed.url ? new URL(l, feed.url).href : l))
          .filter((l) => !done.has(l))
          .slice(0, feed.maxLinks);
        for (const link of todo) {
          try {
            const doc = await this.read(link, false);
            const linked = await this.intake.submit(doc, { kind, name: `${feed.name}: ${link}`.slice(0, 500) });
            result.stored += linked.stored.length;
            result.duplicates += linked.duplicates.length;
            result.links++;
            done.add(link);
          } catch (err) {
            this.log(`hub: feed ${feed.name}: ${link}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
      }
    } catch (err) {
      result.ok = false;
      result.error = err instanceof Error ? err.message : String(err);
      this.log(`hub: feed ${feed.name}: ${result.error}`);
    }
    this.lastResults.set(feed.name, result);
    return result;
  }

  /** Bytes of a file path, a file: URL or an http(s) URL, bounded by the intake limit and a 30 s timeout. */
  private async read(where: string, isFile: boolean): Promise<Uint8Array> {
    const limit = this.intake.maxBytes;
    if (isFile || where.startsWith('file:')) {
      const path = where.startsWith('file:') ? fileURLToPath(where) : where;
      if (statSync(path).size > limit) throw new Error(`${basename(path)} is over ${limit} bytes`);
      return new Uint8Array(readFileSync(path));
    }
    const url = new URL(where);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`cannot fetch ${url.protocol} URLs`);
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000), redirect: 'follow' });
    if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} from ${url.href}`);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.length;
      if (size > limit) throw new Error(`${url.href} is over ${limit} bytes`);
      chunks.push(chunk);
    }
    return new Uint8Array(Buffer.concat(chunks));
  }
}
