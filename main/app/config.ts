/**
 * Where the shell finds its hub and its data, from the command line first, then
 * the environment. Sign-in replaces the token later (it will come from the
 * officer, not from argv); until then, `npm run demo` mints one.
 */
export interface ShellConfig {
  hubUrl: string;
  token: string;
  /** where the replica lives; defaults to Electron's userData folder */
  dataDir: string | null;
  /** an Electron build of better-sqlite3 (see scripts/start.ts), if any */
  sqliteBinding: string | null;
}

export class ShellConfigError extends Error {
  override readonly name = 'ShellConfigError';
}

function flag(argv: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith(prefix)) return arg.slice(prefix.length);
    if (arg === `--${name}`) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) return next;
    }
  }
  return undefined;
}

const nonEmpty = (v: string | undefined): string | undefined =>
  v !== undefined && v.trim() !== '' ? v.trim() : undefined;

export function readShellConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ShellConfig {
  const hubUrl = nonEmpty(flag(argv, 'hub-url')) ?? nonEmpty(env.WATCHFLOOR_HUB_URL);
  const token = nonEmpty(flag(argv, 'token')) ?? nonEmpty(env.WATCHFLOOR_TOKEN);
  if (hubUrl === undefined) {
    throw new ShellConfigError(
      'No hub address: start with --hub-url <url> or set WATCHFLOOR_HUB_URL (npm run demo does this for you).',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(hubUrl);
  } catch {
    throw new ShellConfigError(
      `The hub address "${hubUrl}" is not a URL; expected something like http://127.0.0.1:7300.`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ShellConfigError(`The hub address must be http:// or https://, not ${parsed.protocol}`);
  }
  if (token === undefined) {
    throw new ShellConfigError(
      'No officer token: start with --token <token> or set WATCHFLOOR_TOKEN (mint one with npm run hub -- token).',
    );
  }
  return {
    hubUrl,
    token,
    dataDir: nonEmpty(flag(argv, 'data-dir')) ?? nonEmpty(env.WATCHFLOOR_DATA_DIR) ?? null,
    sqliteBinding: nonEmpty(flag(argv, 'sqlite-binding')) ?? nonEmpty(env.WATCHFLOOR_SQLITE_BINDING) ?? null,
  };
}
