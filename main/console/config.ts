import { z } from 'zod';
import { WatchfloorError } from '../../shared/errors';
import { LocalTelemetrySource, localSourceFromArgs } from '../telemetry/localSource';

/**
 * Where a console finds its hub, its token and its data, from flags or the environment.
 * Without a token the console opens at the sign-in screen (issue 6, main/console/sessionHost.ts).
 */
export const ConsoleConfig = z.object({
  dataDir: z.string().min(1),
  hubUrl: z.string().url(),
  token: z.string().min(1).optional(),
  consoleId: z.string().min(1).max(100).optional(),
  /** a second telemetry source on the control room's network, or a recording to replay (issue 9) */
  localTelemetry: LocalTelemetrySource.optional(),
});
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

const FLAGS: Record<string, keyof ConsoleConfig> = {
  '--data': 'dataDir',
  '--hub': 'hubUrl',
  '--token': 'token',
  '--console-id': 'consoleId',
};
const ENV: Record<string, keyof ConsoleConfig> = {
  WATCHFLOOR_DATA_DIR: 'dataDir',
  WATCHFLOOR_HUB_URL: 'hubUrl',
  WATCHFLOOR_TOKEN: 'token',
  WATCHFLOOR_CONSOLE_ID: 'consoleId',
};

/** Flags (`--hub <url>` or `--hub=<url>`) win over the environment. Throws BAD_REQUEST naming what is missing. */
export function readConsoleConfig(
  argv: readonly string[] = process.argv.slice(2),
  env: Readonly<Record<string, string | undefined>> = process.env,
): ConsoleConfig {
  const raw: Partial<Record<keyof ConsoleConfig, string>> = {};
  for (const [name, key] of Object.entries(ENV)) if (env[name]) raw[key] = env[name];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const key = FLAGS[flag];
    if (!key) continue;
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value !== undefined) raw[key] = value;
  }
  let localTelemetry: LocalTelemetrySource | undefined;
  try {
    localTelemetry = localSourceFromArgs(argv, env);
  } catch {
    throw new WatchfloorError(
      'BAD_REQUEST',
      '--telemetry-local takes an http(s) URL of a Socket.IO telemetry endpoint or the path of a recorded NDJSON file; --telemetry-replay-speed a number ≥ 0.',
    );
  }
  const parsed = ConsoleConfig.safeParse({ ...raw, ...(localTelemetry ? { localTelemetry } : {}) });
  if (!parsed.success) {
    const missing = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new WatchfloorError(
      'BAD_REQUEST',
      `The console needs ${missing}: pass --data <dir> --hub <url> [--token <token>] or set WATCHFLOOR_DATA_DIR, WATCHFLOOR_HUB_URL [, WATCHFLOOR_TOKEN]; without a token officers sign in at the console.`,
    );
  }
  return parsed.data;
}
