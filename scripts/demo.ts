import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startHub } from '../hub/server';
import { buildAll, electronBinary, ELECTRON_MISSING, ensureElectronSqlite, launchElectron, repoRoot } from './electron';

/**
 * `npm run demo`: a hub with the demo-city simulator (data in .data/demo/hub), an
 * officer token minted for it, and the desktop console pointed at it. Closing the
 * console stops the hub.
 *
 * Without the Electron binary the demo says so in one sentence, names
 * `npm run preview` (the same console in Chromium, with its own hub), and exits 1
 * before starting anything: a hub with no console attached would only leave a
 * process to clean up.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      rate: { type: 'string', default: '2' },
      port: { type: 'string', default: '0' },
    },
    strict: true,
  });
  const binary = electronBinary();
  if (binary === null) {
    console.error(ELECTRON_MISSING);
    return 1;
  }
  const binding = ensureElectronSqlite();
  buildAll();

  const dataRoot = path.join(repoRoot, '.data', 'demo');
  mkdirSync(dataRoot, { recursive: true });
  const hub = await startHub({
    dataDir: path.join(dataRoot, 'hub'),
    port: Number(values.port),
    simulate: { seed: Number(values.seed), rate: Number(values.rate) },
  });
  try {
    const token = await hub.issueToken({ role: 'officer', name: 'Demo Officer', position: 'Duty Officer' });
    console.log(`demo: hub with the demo-city simulator at ${hub.url}; starting the console…`);
    return await launchElectron(
      binary,
      ['--hub', hub.url, '--token', token, '--data', path.join(dataRoot, 'console')],
      {
        ...process.env,
        WATCHFLOOR_SQLITE_BINDING: binding,
      },
    );
  } finally {
    await hub.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
