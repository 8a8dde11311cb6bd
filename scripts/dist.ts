import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { buildAll, electronSqliteBinding, ensureElectronSqlite, repoRoot } from './electron';

/**
 * `npm run dist [-- <electron-builder args>] [-- --electron-dist=<dir>] [-- --sqlite-binding=<file>]`
 *
 * Builds the installers of electron-builder.yml (decision 0026):
 * 1. the SQLite driver for Electron's ABI into dist/native/electron (scripts/electron.ts,
 *    decision 0005: node_modules keeps the Node build that `npm install` and `npm test` use),
 *    or a prebuilt one given with --sqlite-binding;
 * 2. `npm run build`;
 * 3. electron-builder with the remaining arguments (default: this platform's targets).
 *    --electron-dist points electron-builder at an unpacked Electron instead of downloading it.
 *
 * `npm run dist -- --stand-in` is what the build machines can do without the internet and
 * without Electron: `--linux dir` against a stand-in Electron binary that carries only the
 * fuse wire (the sentinel and 8 fuses at Electron's defaults), with Node's build of the driver
 * in the place of Electron's. It then reads the packaged binary's fuse wire and the app.asar
 * listing and fails if a fuse or the file selection is not what electron-builder.yml says.
 * The result does not run; it proves the configuration end to end.
 */

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const standIn = args.includes('--stand-in');
const builderArgs = args.filter(
  (a) => a !== '--stand-in' && !a.startsWith('--electron-dist=') && !a.startsWith('--sqlite-binding='),
);

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse's state on the wire: ASCII '0' and '1' (@electron/fuses' FuseState, not exported from its index). */
const DISABLE = 0x30;
const ENABLE = 0x31;
/** Electron 38's fuse defaults, in wire order (docs/tutorial/fuses.md). */
const DEFAULT_WIRE = '10110001';

function electronVersion(): string {
  return (
    JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

/** An unpacked "Electron" whose binary is a shell script carrying a fuse wire. */
function makeStandInElectron(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-stand-in-electron-'));
  const binary = path.join(dir, 'electron');
  writeFileSync(
    binary,
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "Watchfloor packaging stand-in: not a real Electron"\nexit 1\n#'),
      Buffer.from(SENTINEL),
      Buffer.from([1, DEFAULT_WIRE.length]),
      Buffer.from(DEFAULT_WIRE),
      Buffer.from('\n'),
    ]),
  );
  chmodSync(binary, 0o755);
  writeFileSync(path.join(dir, 'version'), electronVersion());
  writeFileSync(path.join(dir, 'LICENSE'), '');
  writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '');
  mkdirSync(path.join(dir, 'resources'));
  return dir;
}

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: repoRoot, stdio: 'inherit', env: process.env });
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed (exit ${result.status ?? 'signal'}).`);
}

const bin = (name: string): string => path.join(repoRoot, 'node_modules', '.bin', name);

/** What --stand-in checks in the packaged output. */
async function verifyStandIn(outDir: string): Promise<string[]> {
  const problems: string[] = [];
  const unpacked = path.join(outDir, 'linux-unpacked');
  const wire = await getCurrentFuseWire(path.join(unpacked, 'watchfloor'));
  const expected: ReadonlyArray<[FuseV1Options, number]> = [
    [FuseV1Options.RunAsNode, DISABLE],
    [FuseV1Options.EnableCookieEncryption, ENABLE],
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable, DISABLE],
    [FuseV1Options.EnableNodeCliInspectArguments, DISABLE],
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation, ENABLE],
    [FuseV1Options.OnlyLoadAppFromAsar, ENABLE],
    [FuseV1Options.GrantFileProtocolExtraPrivileges, DISABLE],
  ];
  for (const [fuse, state] of expected) {
    const actual = wire[fuse] as number | undefined;
    if (actual !== state) problems.push(`fuse ${FuseV1Options[fuse]} is ${String(actual)}, expected ${state}`);
  }
  const listing = spawnSync(bin('asar'), ['list', path.join(unpacked, 'resources', 'app.asar')], {
    encoding: 'utf8',
  }).stdout.split('\n');
  for (const needed of ['/dist/main/main.cjs', '/dist/main/replica-worker.cjs', '/dist/preload/preload.cjs']) {
    if (!listing.includes(needed)) problems.push(`${needed} is missing from app.asar`);
  }
  if (!listing.some((f) => f.startsWith('/dist/renderer/'))) problems.push('dist/renderer is missing from app.asar');
  for (const f of listing) {
    if (/^\/(tests|bench|hub|docs|scripts|dist\/harness)\//.test(f) || f.endsWith('.map') || f.endsWith('.node')) {
      problems.push(`${f} should not be in app.asar`);
    }
  }
  if (!existsSync(path.join(unpacked, 'resources', 'native', 'better_sqlite3.node'))) {
    problems.push('resources/native/better_sqlite3.node is missing');
  }
  console.log(`dist: app.asar holds ${listing.filter(Boolean).length} entries; fuse wire checked.`);
  return problems;
}

async function main(): Promise<number> {
  const given = flag('sqlite-binding');
  // A real Electron build already there (a workstation that ran `npm start`) is used, and kept.
  const placeStandInDriver = standIn && !existsSync(electronSqliteBinding);
  if (placeStandInDriver) {
    // Node's build stands in for Electron's: the package is checked, never run.
    const nodeBuild = path.join(repoRoot, 'node_modules', 'better-sqlite3-multiple-ciphers', 'build', 'Release');
    mkdirSync(path.dirname(electronSqliteBinding), { recursive: true });
    cpSync(path.join(nodeBuild, 'better_sqlite3.node'), electronSqliteBinding);
    writeFileSync(`${electronSqliteBinding}.version`, 'stand-in: Node build');
  } else if (standIn) {
    // keep the Electron build that is there
  } else if (given) {
    mkdirSync(path.dirname(electronSqliteBinding), { recursive: true });
    cpSync(given, electronSqliteBinding);
  } else {
    ensureElectronSqlite();
  }
  buildAll();
  if (!standIn) {
    const electronDist = flag('electron-dist') ?? process.env.WATCHFLOOR_ELECTRON_DIST;
    run(bin('electron-builder'), [
      '--config',
      'electron-builder.yml',
      ...(electronDist ? [`-c.electronDist=${electronDist}`] : []),
      ...builderArgs,
    ]);
    return 0;
  }
  const electronDist = makeStandInElectron();
  const outDir = mkdtempSync(path.join(tmpdir(), 'wf-dist-stand-in-'));
  try {
    run(bin('electron-builder'), [
      '--config',
      'electron-builder.yml',
      '--linux',
      'dir',
      `-c.electronDist=${electronDist}`,
      `-c.electronVersion=${electronVersion()}`,
      `-c.directories.output=${outDir}`,
    ]);
    const problems = await verifyStandIn(outDir);
    for (const p of problems) console.error(`dist: ${p}`);
    if (problems.length === 0)
      console.log(`dist: stand-in package in ${outDir}/linux-unpacked matches electron-builder.yml.`);
    return problems.length === 0 ? 0 : 1;
  } finally {
    rmSync(electronDist, { recursive: true, force: true });
    if (placeStandInDriver) {
      // The stand-in driver must never be mistaken for Electron's build by `npm start`.
      rmSync(electronSqliteBinding, { force: true });
      rmSync(`${electronSqliteBinding}.version`, { force: true });
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`dist: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
