import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The console is restarted a hundred times or more in one suite run. Under tsx every start
 * compiles (or reads from cache) the whole console and starts the replica worker through tsx
 * again: seconds on a loaded 2-core machine. So the suite first bundles the console child and
 * the replica worker with esbuild (as scripts/build-node.ts does for Electron) into
 * out/faults/ (inside the checkout, so better-sqlite3 resolves from node_modules); the
 * replica reads its migrations from the source folder.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ConsoleBundle {
  child: string;
  worker: string;
  migrationsDir: string;
}

export async function bundleConsole(outDir = path.join(root, 'out', 'faults')): Promise<ConsoleBundle> {
  const common = {
    bundle: true,
    platform: 'node' as const,
    format: 'cjs' as const,
    target: 'node20',
    sourcemap: true,
    external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning' as const,
    logOverride: { 'empty-import-meta': 'silent' as const },
  };
  const bundle: ConsoleBundle = {
    child: path.join(outDir, 'console-child.cjs'),
    worker: path.join(outDir, 'replica-worker.cjs'),
    migrationsDir: path.join(root, 'main', 'replica', 'migrations'),
  };
  await Promise.all([
    build({
      ...common,
      entryPoints: [path.join(root, 'tests/faults/console-child.ts')],
      outfile: bundle.child,
      nodePaths: [path.join(root, 'node_modules')],
    }),
    build({
      ...common,
      entryPoints: [path.join(root, 'main/replica/worker.ts')],
      outfile: bundle.worker,
      nodePaths: [path.join(root, 'node_modules')],
    }),
  ]);
  return bundle;
}
