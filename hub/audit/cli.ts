import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { systemClock } from '../../shared/clock';
import { recordAudit } from '../auditTrail';
import { HubStore } from '../store/hubStore';
import { EXPORT_FORMATS, exportLog, type ExportSummary } from './exportLog';
import { verifyExportFile } from './verifyExport';

/**
 * `npm run export -- --hub-data <dir> --format csv|json|pdf --out <file> [--incident <id>] [--from <iso>] [--to <iso>]
 *    [--prepared-by <name>] [--position <ICS position>] [--agency <home agency>]` (the last three name block 3/6 of the PDF)
 *    [--no-audit]: by default the export is an audit entry on the hub's chain, appended through the
 *    hub's own store code beside a running hub (decision 0035); --no-audit for a copy of a data
 *    folder that must not change (evidence), where an entry would alter the copy.
 * `npm run audit -- verify <export.json>`
 * Exit 0 done / verified, 1 failed / not verified, 2 bad arguments.
 */
class UsageError extends Error {}

const isoTime = (flag: string) =>
  z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), `${flag} must be an ISO 8601 time, e.g. 2026-11-28T08:00:00Z`)
    .transform((s) => new Date(s).toISOString());

const ExportArgs = z.object({
  'hub-data': z.string({ error: '--hub-data <dir> is required' }).min(1),
  format: z.enum(EXPORT_FORMATS, { error: '--format must be csv, json or pdf' }),
  out: z.string({ error: '--out <file> is required' }).min(1),
  incident: z.string().min(1).optional(),
  from: isoTime('--from').optional(),
  to: isoTime('--to').optional(),
  'prepared-by': z.string().trim().min(1).max(200).optional(),
  position: z.string().trim().min(1).max(200).optional(),
  agency: z.string().trim().min(1).max(200).optional(),
  'no-audit': z.boolean().optional(),
});

function parse<S extends z.ZodType>(
  schema: S,
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  allowPositionals = false,
): { values: z.infer<S>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const result = schema.safeParse(parsed.values);
  if (!result.success)
    throw new UsageError(
      result.error.issues
        .map((i) => `${i.message.startsWith('--') ? '' : `--${i.path.join('.')}: `}${i.message}`)
        .join('\n'),
    );
  return { values: result.data, positionals: parsed.positionals };
}

async function runExport(argv: string[]): Promise<number> {
  const { values: a } = parse(ExportArgs, argv, {
    'hub-data': { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    incident: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    'prepared-by': { type: 'string' },
    position: { type: 'string' },
    agency: { type: 'string' },
    'no-audit': { type: 'boolean' },
  });
  if (a.from && a.to && a.from > a.to) throw new UsageError('--from must not be after --to');
  const started = process.hrtime.bigint();
  const summary = await exportLog({
    hubData: resolve(a['hub-data']),
    format: a.format,
    out: resolve(a.out),
    incidentId: a.incident,
    from: a.from,
    to: a.to,
    people: {
      preparedBy: a['prepared-by'] ? { name: a['prepared-by'], position: a.position } : undefined,
      homeAgency: a.agency,
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let audited = false;
  if (!a['no-audit']) {
    try {
      await auditCliExport(resolve(a['hub-data']), resolve(a.out), a, summary);
      audited = true;
    } catch (err) {
      // the file is complete either way; say that no entry records it
      process.stderr.write(
        `The export is complete, but it could not be recorded on the hub's audit trail (${(err as Error).message}).\n`,
      );
    }
  }
  process.stdout.write(
    `${JSON.stringify({ out: resolve(a.out), format: a.format, entries: summary.entries, head: summary.head, contiguous: summary.contiguous, ...(summary.pages ? { pages: summary.pages } : {}), audited, ms: Math.round(ms) })}\n`,
  );
  return 0;
}

/**
 * The CLI's export as an `audit.recorded` entry (kind export), through the hub's own store and
 * chain code (HubStore.append seals it after the newest entry in an immediate transaction, so a
 * running hub's appends and this one are ordered by SQLite's write lock; consoles get it on
 * their next pull). Names the OS account: the CLI has no signed-in officer.
 */
async function auditCliExport(
  hubData: string,
  out: string,
  a: { format: string; incident?: string | undefined; from?: string | undefined; to?: string | undefined },
  summary: ExportSummary,
): Promise<void> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(out) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  const account = `${os.userInfo().username}@${os.hostname()}`.slice(0, 200);
  const store = HubStore.open(join(hubData, 'hub.sqlite'), systemClock);
  try {
    const incident = a.incident ? store.incident(a.incident) : null;
    const scope = a.incident
      ? `of ${incident?.number ?? a.incident}`
      : a.from || a.to
        ? 'of a time range'
        : 'of every incident';
    const range = a.from || a.to ? ` (${a.from ?? 'start'} to ${a.to ?? 'now'})` : '';
    recordAudit(store, {
      kind: 'export',
      officer: { name: account, role: 'supervisor', position: 'Hub CLI (not a signed-in officer)' },
      detail:
        `${account} exported the activity log ${scope}${range} as ${a.format.toUpperCase()} with the hub's CLI ` +
        `(npm run export, reading the data folder directly): ${summary.entries} entries, chain head ${summary.head}, ` +
        `${bytes} bytes, SHA-256 ${hash.digest('hex')}, written to ${out}.`,
      incidentId: incident?.id ?? null,
    });
  } finally {
    store.close();
  }
}

function runAudit(argv: string[]): number {
  const { positionals } = parse(z.object({}), argv, {}, true);
  const [command, file, ...rest] = positionals;
  if (command !== 'verify' || !file || rest.length > 0)
    throw new UsageError('usage: npm run audit -- verify <export.json>');
  if (!existsSync(resolve(file))) throw new UsageError(`No export file at ${resolve(file)}.`);
  const result = verifyExportFile(resolve(file));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return result.ok ? 0 : 1;
}

async function main(): Promise<number> {
  const [tool, ...argv] = process.argv.slice(2);
  try {
    if (tool === 'export') return await runExport(argv);
    if (tool === 'audit') return runAudit(argv);
    throw new UsageError('usage: tsx hub/audit/cli.ts export|audit …');
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
