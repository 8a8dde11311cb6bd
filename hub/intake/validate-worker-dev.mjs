// Entry of the intake validation worker: loads validateWorker.ts through tsx (the hub runs
// under tsx; Node 20 ignores ESM loaders in a Worker's execArgv — see decision 0008).
import { tsImport } from 'tsx/esm/api';

await tsImport('./validateWorker.ts', import.meta.url);
