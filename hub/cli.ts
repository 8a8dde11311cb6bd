/**
 * The hub's command line (`npm run hub -- <command>`):
 *
 *   serve --port <p> --data <dir> [--simulate demo-city] [--rate <events/s>] [--seed <n>] [--host 127.0.0.1] [--drop <dir>] [--config <file>] [--retain <N>]
 *         [--telemetry-every <seconds>] [--no-telemetry] [--scenario <name>[@<minutes>]]...
 *   token --data <dir> --role officer|supervisor|feed --name "<display name>" [--position "<ICS position>"] [--days <n>]
 *   officer add --data <dir> --name "<name>" --position "<ICS position>" --agency "<home agency>" --role officer|supervisor
 *       (password from WATCHFLOOR_PASSWORD or the first line of stdin; never a flag, which ps would show)
 *   officer list --data <dir>      officer remove --data <dir> --name "<name>"
 *
 * Bad arguments print what is wrong and exit with status 2.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import { systemClock } from '../shared/clock';
import { Role } from '../shared/domain/officer';
import { TokenAuthority } from './auth';
import { officerCommand } from './rosterCli';
import { readHubConfig } from './intake/sources';
import { startHub } from './server';
import type { ScenarioName } from './simulator/telemetry';

const USAGE = `usage:
  npm run hub -- serve --port <p> --data <dir> [--simulate demo-city] [--rate <events/s>] [--seed <n>] [--host 127.0.0.1] [--drop <dir>] [--config <file>] [--retain <N>]
        [--telemetry-every <seconds>] [--no-telemetry] [--scenario strain-ramp|gas-leak|flood-wave|frozen-sensor|spiking-sensor|silent-sensor[@<minutes from now>]]...
  npm run hub -- token --data <dir> --role officer|supervisor|feed --name "<display name>" [--position "<ICS position>"] [--days <n>]
  npm run hub -- officer add --data <dir> --name "<name>" --position "<ICS position>" --agency "<home agency>" --role officer|supervisor   (password: WATCHFLOOR_PASSWORD or stdin)
  npm run hub -- officer list --data <dir>
  npm run hub -- officer remove --data <dir> --name "<name>"`;

const numberArg = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .regex(/^\d+(\.\d+)?$/, `${what} must be a non-negative number`)
    .transform(Number);

const ServeArgs = z.object({
  port: numberArg('--port').pipe(z.number().int().min(0).max(65_535)),
  data: z.string({ error: '--data <dir> is required' }).min(1, '--data needs a directory'),
  host: z.string().min(1).default('127.0.0.1'),
  simulate: z.literal('demo-city', { error: '--simulate only knows demo-city' }).optional(),
  rate: numberArg('--rate').pipe(z.number().max(10_000, '--rate is at most 10000 events/s')).default(2),
  seed: numberArg('--seed').pipe(z.number().int().max(4_294_967_295)).default(1),
  drop: z.string().min(1, '--drop needs a directory').optional(),
  config: z.string().min(1, '--config needs a file').optional(),
  /** issue 5: keep at least the newest N log entries; consoles further behind rebuild from a snapshot */
  retain: numberArg('--retain').pipe(z.number().int('--retain must be a whole number').min(1)).optional(),
  /** issue 9: sensor readings every N seconds (demo city); on with --simulate, else only with this flag */
  'telemetry-every': numberArg('--telemetry-every')
    .pipe(z.number().min(0.1, '--telemetry-every is at least 0.1 s').max(3_600))
    .optional(),
  'no-telemetry': z.boolean().optional(),
  /** named telemetry scenarios, each starting now or @<minutes> from now */
  scenario: z
    .array(
      z
        .string()
        .regex(
          /^(strain-ramp|gas-leak|flood-wave|frozen-sensor|spiking-sensor|silent-sensor)(@\d+(\.\d+)?)?$/,
          '--scenario is one of strain-ramp, gas-leak, flood-wave, frozen-sensor, spiking-sensor, silent-sensor, optionally @<minutes from now>',
        ),
    )
    .optional(),
});

/** `--scenario gas-leak@10` → gas-leak starting 10 minutes after the hub starts. */
function scenarioSpecs(args: string[] | undefined, now: number): { name: ScenarioName; startMs: number }[] {
  return (args ?? []).map((arg) => {
    const [name, minutes] = arg.split('@') as [ScenarioName, string | undefined];
    return { name, startMs: now + Number(minutes ?? 0) * 60_000 };
  });
}

const TokenArgs = z.object({
  data: z.string({ error: '--data <dir> is required' }).min(1, '--data needs a directory'),
  role: z.enum(Role.options, { error: '--role must be officer, supervisor or feed' }),
  name: z
    .string({ error: '--name "<display name>" is required' })
    .trim()
    .min(1, '--name needs the officer’s display name')
    .max(200),
  position: z.string().trim().min(1).max(200).optional(),
  days: numberArg('--days').pipe(z.number().positive().max(3_650)).optional(),
});

class UsageError extends Error {}

function parse<S extends z.ZodType>(
  schema: S,
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
): z.infer<S> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const result = schema.safeParse(values);
  if (!result.success) {
    throw new UsageError(
      result.error.issues
        .map((i) => `${i.message.startsWith('--') ? '' : `--${i.path.join('.')}: `}${i.message}`)
        .join('\n'),
    );
  }
  return result.data;
}

async function serve(argv: string[]): Promise<void> {
  const args = parse(ServeArgs, argv, {
    port: { type: 'string' },
    data: { type: 'string' },
    host: { type: 'string' },
    simulate: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    drop: { type: 'string' },
    config: { type: 'string' },
    retain: { type: 'string' },
    'telemetry-every': { type: 'string' },
    'no-telemetry': { type: 'boolean' },
    scenario: { type: 'string', multiple: true },
  });
  const config = args.config ? readHubConfig(resolve(args.config)) : undefined;
  const hub = await startHub({
    intake: { ...(args.drop ? { dropDir: resolve(args.drop) } : {}), ...(config ? { config } : {}) },
    dataDir: resolve(args.data),
    port: args.port,
    host: args.host,
    simulate: args.simulate ? { seed: args.seed, rate: args.rate } : null,
    log: (line) => console.error(line),
    ...(args.retain !== undefined ? { retainEvents: args.retain } : {}),
    ...telemetryOption(args),
  });
  const retention = args.retain !== undefined ? ` keeping the newest ${args.retain} log entries,` : '';
  const streaming = hub.telemetry
    ? ` streaming telemetry every ${hub.telemetry.everyMs / 1000} s${args.scenario?.length ? ` (scenarios ${args.scenario.join(', ')})` : ''},`
    : '';
  const sim = args.simulate ? ` simulating ${args.simulate} (seed ${args.seed}, ${args.rate} events/s)` : '';
  console.log(
    `watchfloor hub ${hub.hubId} listening on ${hub.url} (Socket.IO /console, GET /health), head ${hub.head()},${retention}${streaming}${sim} data in ${resolve(args.data)}`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`hub: ${signal}, closing`);
    hub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`hub: close failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function telemetryOption(args: z.infer<typeof ServeArgs>): {
  telemetry?: false | { everyMs?: number; scenarios: { name: ScenarioName; startMs: number }[] };
} {
  if (args['no-telemetry']) return { telemetry: false };
  if (args['telemetry-every'] === undefined && !args.scenario?.length) return {};
  return {
    telemetry: {
      ...(args['telemetry-every'] !== undefined ? { everyMs: Math.round(args['telemetry-every'] * 1000) } : {}),
      scenarios: scenarioSpecs(args.scenario, Date.now()),
    },
  };
}

async function token(argv: string[]): Promise<void> {
  const args = parse(TokenArgs, argv, {
    data: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    position: { type: 'string' },
    days: { type: 'string' },
  });
  const authority = TokenAuthority.open(resolve(args.data), systemClock);
  const signed = await authority.issue(
    { role: args.role, name: args.name, ...(args.position ? { position: args.position } : {}) },
    args.days ? { ttlDays: args.days } : {},
  );
  process.stdout.write(`${signed}\n`);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'token') return token(rest);
  if (command === 'officer') return officerCommand(rest, (m) => new UsageError(m));
  throw new UsageError(command ? `unknown command "${command}"` : 'missing command');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(`hub: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  console.error(`hub: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
