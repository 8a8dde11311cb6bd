// Development entry of the replica worker: loads worker.ts through tsx.
// Node 20 ignores ESM loaders passed in a Worker's execArgv (nodejs/node#47747), so
// `execArgv: ['--import', 'tsx']` cannot work there; tsx's tsImport does, in any Node.
// Production runs the esbuild bundle (dist/main/replica-worker.cjs) and never loads this.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
