import { buildAll, electronBinary, ELECTRON_MISSING, ensureElectronSqlite, launchElectron } from './electron';

/**
 * `npm start [-- --hub <url> --token <token> [--data <dir>]]`: the desktop console
 * against a hub you run (see `npm run hub`). Gives Electron its own better-sqlite3
 * build (dist/native/electron, Node's build untouched), builds, launches the shell.
 * For a hub and simulator started for you, use `npm run demo`.
 */
async function main(): Promise<number> {
  const binary = electronBinary();
  if (binary === null) {
    console.error(ELECTRON_MISSING);
    return 1;
  }
  const binding = ensureElectronSqlite();
  buildAll();
  return launchElectron(binary, process.argv.slice(2), { ...process.env, WATCHFLOOR_SQLITE_BINDING: binding });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
