import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What `npm start` and `npm run demo` share: finding the Electron binary, giving
 * Electron its own build of better-sqlite3, and launching the shell.
 *
 * The Node build of better-sqlite3 stays in node_modules (npm install, npm test,
 * the hub); the Electron build lives in dist/native/electron/better_sqlite3.node and
 * reaches the replica through WATCHFLOOR_SQLITE_BINDING (better-sqlite3's
 * `nativeBinding` option), so switching between the two never rebuilds anything.
 */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

export const ELECTRON_MISSING =
  'The Electron binary is not installed on this machine (installs here use ELECTRON_SKIP_BINARY_DOWNLOAD=1), so the desktop shell cannot start: run `npm run preview` to use the same console in Chromium.';

/** The Electron executable, or null when the package is installed without its binary. */
export function electronBinary(): string | null {
  try {
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null; // electron/index.js throws when path.txt (written by its install script) is missing
  }
}

function packageVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The replica's SQLite driver (decision 0025: SQLCipher-capable, better-sqlite3's API and binary name). */
export const SQLITE_PACKAGE = 'better-sqlite3-multiple-ciphers';

export const electronSqliteBinding = path.join(repoRoot, 'dist', 'native', 'electron', 'better_sqlite3.node');

function run(command: string, args: string[], cwd: string): boolean {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: process.env });
  return result.status === 0;
}

/**
 * Builds better-sqlite3 for Electron's ABI into dist/native/electron, once per
 * (Electron, better-sqlite3) version pair. Works on a copy of the package so the
 * Node build in node_modules is never touched. Tries a prebuilt binary first
 * (prebuild-install), then compiles against Electron's headers (node-gyp).
 */
export function ensureElectronSqlite(): string {
  const electron = packageVersion('electron');
  const sqlite = packageVersion(SQLITE_PACKAGE);
  const stamp = `${electron}/${SQLITE_PACKAGE}@${sqlite}`;
  const stampFile = `${electronSqliteBinding}.version`;
  if (existsSync(electronSqliteBinding) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    return electronSqliteBinding;
  }
  console.log(`start: building ${SQLITE_PACKAGE} ${sqlite} for Electron ${electron} (once)…`);
  const work = path.join(repoRoot, 'dist', 'native', 'build', SQLITE_PACKAGE);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(path.dirname(work), { recursive: true });
  cpSync(path.join(repoRoot, 'node_modules', SQLITE_PACKAGE), work, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}build${path.sep}`) && !src.endsWith(`${path.sep}build`),
  });
  const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);
  const built =
    run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electron, '--arch', process.arch], work) ||
    run(
      bin('node-gyp'),
      [
        'rebuild',
        '--release',
        `--target=${electron}`,
        `--arch=${process.arch}`,
        '--dist-url=https://electronjs.org/headers',
      ],
      work,
    );
  const output = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(output)) {
    throw new Error(
      `${SQLITE_PACKAGE} could not be built for Electron ${electron}: it needs a prebuilt binary or Electron's headers from the internet, and a C++ toolchain.`,
    );
  }
  mkdirSync(path.dirname(electronSqliteBinding), { recursive: true });
  cpSync(output, electronSqliteBinding);
  writeFileSync(stampFile, stamp);
  rmSync(work, { recursive: true, force: true });
  return electronSqliteBinding;
}

/** npm run build (renderer + node bundles); throws if it fails. */
export function buildAll(): void {
  if (!run('npm', ['run', 'build', '--silent'], repoRoot)) throw new Error('The build failed; see above.');
}

/** Launches the shell and resolves with Electron's exit code. */
export function launchElectron(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [path.join(repoRoot, 'dist', 'main', 'main.cjs'), ...args], {
      cwd: repoRoot,
      stdio: 'inherit',
      env: { ...env, ELECTRON_ENABLE_LOGGING: env.ELECTRON_ENABLE_LOGGING ?? '1' },
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
  });
}
