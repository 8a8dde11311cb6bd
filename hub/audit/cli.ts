import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { EXPORT_FORMATS, exportLog } from './exportLog';
import { verifyExportFile } from './verifyExport';

/**
 * `npm run export -- --hub-data <dir> --format csv|json|pdf --out <file> [--incident <id>] [--from <iso>] [--to <iso>]
 *    [--prepared-by <name>] [--position <ICS position>] [--agency <home agency>]` (the last three name block 3/6 of the PDF)
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
  process.stdout.write(
    `${JSON.stringify({ out: resolve(a.out), format: a.format, entries: summary.entries, head: summary.head, contiguous: summary.contiguous, ...(summary.pages ? { pages: summary.pages } : {}), ms: Math.round(ms) })}\n`,
  );
  return 0;
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
