import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** WATCHFLOOR_RENDERER_DIST: another build of the renderer (a helper's own, beside a shared checkout's dist/). */
export const rendererDist = process.env.WATCHFLOOR_RENDERER_DIST
  ? path.resolve(process.env.WATCHFLOOR_RENDERER_DIST)
  : path.join(repoRoot, 'dist', 'renderer');
export const harnessBridgeBundle = path.join(repoRoot, 'dist', 'harness', 'bridge.js');
export const replicaWorkerBundle = path.join(repoRoot, 'dist', 'main', 'replica-worker.cjs');

/** The harness runs the production bundles: say how to make them when they are missing. */
export function assertBuilt(): void {
  for (const file of [path.join(rendererDist, 'index.html'), harnessBridgeBundle]) {
    if (!existsSync(file)) throw new Error(`${path.relative(repoRoot, file)} is missing: run npm run build first.`);
  }
}
