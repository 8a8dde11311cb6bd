import { readConsoleConfig, type ConsoleConfig } from '../console/host';
import { parseExternalHosts } from './external';

/**
 * Where the shell finds its hub, token and data: the same flags and environment as
 * every console (`--hub`, `--token`, `--data`, or WATCHFLOOR_HUB_URL, WATCHFLOOR_TOKEN,
 * WATCHFLOOR_DATA_DIR; see main/console/config.ts). The data folder defaults to
 * Electron's userData. Sign-in replaces the token later; until then `npm run demo`
 * mints one.
 */
export interface ShellConfig extends ConsoleConfig {
  /** an Electron build of better-sqlite3 (see scripts/start.ts), if any */
  sqliteBinding: string | null;
  /** https hosts whose links open in the system browser (main/app/external.ts); default none */
  externalHosts: string[];
}

export function readShellConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultDataDir: string,
): ShellConfig {
  const console_ = readConsoleConfig(argv, { WATCHFLOOR_DATA_DIR: defaultDataDir, ...env });
  const bindingFlag = argv.find((a) => a.startsWith('--sqlite-binding='))?.slice('--sqlite-binding='.length);
  const sqliteBinding = bindingFlag || env.WATCHFLOOR_SQLITE_BINDING || null;
  const hostsFlag = argv.find((a) => a.startsWith('--external-hosts='))?.slice('--external-hosts='.length);
  const externalHosts = parseExternalHosts(hostsFlag ?? env.WATCHFLOOR_EXTERNAL_HOSTS);
  return { ...console_, sqliteBinding, externalHosts };
}
