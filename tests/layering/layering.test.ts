import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layering rule bites: fixture files that break docs/architecture.md's table
 * are cruised with the project's own .dependency-cruiser.cjs, and each breach is
 * reported under the rule that forbids it. And the real tree has none.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CONFIG = path.join(repoRoot, '.dependency-cruiser.cjs');
const FOLDERS = ['shared', 'hub', 'main', 'preload', 'renderer', 'tests', 'bench', 'scripts'];

let options: ICruiseOptions;
let fixtureRoot: string;

const FIXTURES: Record<string, string> = {
  // allowed
  'shared/ok.ts': "import { z } from 'zod';\nexport const ok = z.string();\n",
  'main/x.ts': "import { ok } from '../shared/ok';\nexport const x = ok;\n",
  'main/app/shell.ts': "import { app } from 'electron';\nimport { x } from '../x';\nexport const shell = [app, x];\n",
  'preload/ok.ts':
    "import { contextBridge } from 'electron';\nimport { ok } from '../shared/ok';\nexport const p = [contextBridge, ok];\n",
  'renderer/ok.ts': "import { ok } from '../shared/ok';\nexport const r = ok;\n",
  'tests/helper.ts': 'export const helper = 1;\n',
  'tests/uses-everything.ts':
    "import { x } from '../main/x';\nimport { bad } from '../renderer/bad';\nimport { helper } from './helper';\nexport const t = [x, bad, helper];\n",
  // forbidden
  'renderer/bad.ts':
    "import { readFileSync } from 'node:fs';\nimport { x } from '../main/x';\nimport { h } from '../hub/h';\nexport const bad = [readFileSync, x, h];\n",
  'renderer/type-only.ts': "import type { x } from '../main/x';\nexport type T = typeof x;\n",
  'renderer/electron.ts': "import { ipcRenderer } from 'electron';\nexport const leak = ipcRenderer;\n",
  'shared/bad.ts':
    "import path from 'node:path';\nimport { x } from '../main/x';\nimport { shell } from 'electron';\nexport const bad = [path, x, shell];\n",
  'preload/bad.ts':
    "import { readFileSync } from 'fs';\nimport { r } from '../renderer/ok';\nexport const bad = [readFileSync, r];\n",
  'main/replica/bad.ts': "import { app } from 'electron';\nexport const bad = app;\n",
  'hub/h.ts': "import { x } from '../main/x';\nexport const h = x;\n",
  'hub/bad.ts':
    "import { BrowserWindow } from 'electron';\nimport { r } from '../renderer/ok';\nexport const bad = [BrowserWindow, r];\n",
  'main/uses-test.ts': "import { helper } from '../tests/helper';\nexport const m = helper;\n",
  'tests/harness/tool.ts': 'export const tool = 1;\n',
  'bench/uses-harness.ts': "import { tool } from '../tests/harness/tool';\nexport const b = tool;\n",
  'bench/uses-test.ts': "import { helper } from '../tests/helper';\nexport const b = helper;\n",
};

function violations(result: ICruiseResult): IViolation[] {
  return result.summary.violations;
}

function breaches(result: ICruiseResult): string[] {
  return (
    violations(result)
      // electron resolves into node_modules (through the fixture's symlink): name it as imported.
      .map((v) => `${v.rule.name}: ${v.from} -> ${/(^|\/)node_modules\/electron\//.test(v.to) ? 'electron' : v.to}`)
      .sort()
  );
}

beforeAll(async () => {
  options = await extractDepcruiseOptions(CONFIG);
  fixtureRoot = mkdtempSync(path.join(tmpdir(), 'wf-layering-'));
  for (const [file, text] of Object.entries(FIXTURES)) {
    mkdirSync(path.dirname(path.join(fixtureRoot, file)), { recursive: true });
    writeFileSync(path.join(fixtureRoot, file), text);
  }
  // npm packages (zod, electron) resolve as they do in the repo.
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(fixtureRoot, 'node_modules'), 'dir');
});

afterAll(() => {
  if (fixtureRoot) rmSync(fixtureRoot, { recursive: true, force: true });
});

async function cruiseIn(baseDir: string, folders: string[]): Promise<ICruiseResult> {
  const { output } = await cruise(folders, { ...options, validate: true, baseDir, outputType: 'json' });
  return (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
}

describe('layering (dependency-cruiser with .dependency-cruiser.cjs)', () => {
  it('reports every breach in the fixtures, under the rule that forbids it', async () => {
    const result = await cruiseIn(fixtureRoot, ['shared', 'hub', 'main', 'preload', 'renderer', 'tests', 'bench']);
    const found = breaches(result);
    const expected = [
      'renderer-no-node-builtins: renderer/bad.ts -> fs',
      'renderer-only-dom: renderer/bad.ts -> main/x.ts',
      'renderer-only-dom: renderer/bad.ts -> hub/h.ts',
      'renderer-only-dom: renderer/type-only.ts -> main/x.ts',
      'renderer-no-electron: renderer/electron.ts -> electron',
      'shared-no-node-builtins: shared/bad.ts -> path',
      'shared-is-std: shared/bad.ts -> main/x.ts',
      'shared-no-electron: shared/bad.ts -> electron',
      'preload-no-node-builtins: preload/bad.ts -> fs',
      'preload-only-shared-and-electron: preload/bad.ts -> renderer/ok.ts',
      'electron-only-in-main-app: main/replica/bad.ts -> electron',
      'hub-stands-alone: hub/h.ts -> main/x.ts',
      'hub-stands-alone: hub/bad.ts -> renderer/ok.ts',
      'hub-no-electron: hub/bad.ts -> electron',
      'only-tests-import-tests: main/uses-test.ts -> tests/helper.ts',
      'tools-use-only-the-harness: bench/uses-test.ts -> tests/helper.ts',
    ];
    for (const breach of expected) expect(found).toContain(breach);
    // and nothing the table allows is reported
    const allowedFiles = [
      'bench/uses-harness.ts',
      'shared/ok.ts',
      'main/x.ts',
      'main/app/shell.ts',
      'preload/ok.ts',
      'renderer/ok.ts',
      'tests/uses-everything.ts',
    ];
    for (const v of violations(result)) expect(allowedFiles).not.toContain(v.from);
  });

  it('finds no breach in the real tree', async () => {
    const present = FOLDERS.filter((f) => {
      try {
        return statSync(path.join(repoRoot, f)).isDirectory();
      } catch {
        return false;
      }
    });
    const result = await cruiseIn(repoRoot, present);
    expect(breaches(result)).toEqual([]);
    expect(result.summary.totalCruised).toBeGreaterThan(10);
  });
});
