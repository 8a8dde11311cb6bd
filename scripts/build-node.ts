import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

/**
 * Bundles everything that is not the renderer (the renderer is Vite's job):
 * - main/app/main.ts        → dist/main/main.cjs            (Electron main)
 * - preload/index.ts        → dist/preload/preload.cjs      (sandboxed preloads cannot be ESM)
 * - main/replica/worker.ts  → dist/main/replica-worker.cjs  (worker_threads worker, when present)
 * - tests/harness/page/bridge.ts → dist/harness/bridge.js   (IIFE injected into Chromium by the e2e harness)
 * Native and Electron modules stay external: better-sqlite3 loads its .node at run time.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (p: string): string => path.join(root, p);

const nodeCommon: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
  // The console ships one SQLite driver (decision 0025): code that imports better-sqlite3 (the
  // basemap store) gets the SQLCipher-capable drop-in, whose Electron build the package carries.
  alias: { 'better-sqlite3': 'better-sqlite3-multiple-ciphers' },
  logLevel: 'warning',
  // Modules that find files beside themselves test `import.meta.url` and fall back to __dirname.
  logOverride: { 'empty-import-meta': 'silent' },
  legalComments: 'none',
};

interface Entry {
  entry: string;
  outfile: string;
  options: BuildOptions;
  optional?: boolean;
}

const entries: Entry[] = [
  { entry: 'main/app/main.ts', outfile: 'dist/main/main.cjs', options: { ...nodeCommon, target: 'node22' } },
  {
    entry: 'preload/index.ts',
    outfile: 'dist/preload/preload.cjs',
    // A sandboxed preload gets a small require() that knows only electron and a few polyfills.
    options: { ...nodeCommon, platform: 'browser', target: 'chrome130', external: ['electron'], minify: true },
  },
  { entry: 'main/replica/worker.ts', outfile: 'dist/main/replica-worker.cjs', options: nodeCommon, optional: true },
  {
    entry: 'tests/harness/page/bridge.ts',
    outfile: 'dist/harness/bridge.js',
    options: {
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      sourcemap: false,
      minify: true,
      logLevel: 'warning',
    },
  },
];

/** The bundled worker reads its numbered migrations from dist/main/migrations (main/replica/migrate.ts). */
function copyMigrations(): void {
  const from = at('main/replica/migrations');
  if (!existsSync(from)) return;
  const to = at('dist/main/migrations');
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.sql')))
    cpSync(path.join(from, file), path.join(to, file));
  console.log('build-node: main/replica/migrations → dist/main/migrations');
}

/**
 * The bundled worker reads the shipped telemetry rules from dist/main/telemetry-rules
 * (main/telemetry/bundledRules.ts); electron-builder packs them with dist/main.
 */
function copyTelemetryRules(): void {
  const from = at('assets/telemetry-rules');
  if (!existsSync(from)) return;
  const to = at('dist/main/telemetry-rules');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.json')))
    cpSync(path.join(from, file), path.join(to, file));
  console.log('build-node: assets/telemetry-rules → dist/main/telemetry-rules');
}

async function main(): Promise<void> {
  const started = Date.now();
  for (const { entry, outfile, options, optional } of entries) {
    if (!existsSync(at(entry))) {
      if (optional) {
        console.log(`build-node: skipped ${entry} (not there yet)`);
        continue;
      }
      throw new Error(`build-node: ${entry} is missing`);
    }
    await build({ ...options, entryPoints: [at(entry)], outfile: at(outfile), absWorkingDir: root });
    console.log(`build-node: ${entry} → ${outfile}`);
  }
  copyMigrations();
  copyTelemetryRules();
  console.log(`build-node: done in ${Date.now() - started} ms`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
