import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startHub, type Hub } from '../../hub/server';
import { chromiumLaunchOptions } from './chromium';
import { openConsole, type HarnessConsole } from './console';
import { repoRoot } from './paths';

/**
 * `npm run preview`: the console in Chromium through the e2e harness (real replica
 * worker, real hub), for machines without the Electron binary.
 *
 *   npm run preview                                   hub + simulator here, console in Chromium
 *   npm run preview -- --hub <url> --token <token>    console against a running hub
 *   npm run preview -- --screenshot out.png --after 8 picture of the live console, then exit
 *
 * Headed when a display exists, headless otherwise (then only --screenshot is useful).
 */
const USAGE = `usage: npm run preview -- [--hub <url> --token <token>] [--data <dir>] [--seed <n>] [--rate <events/s>]
                          [--screenshot <file.png> [--after <seconds>]] [--headless]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hub: { type: 'string' },
      token: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string', default: '1' },
      rate: { type: 'string', default: '2' },
      screenshot: { type: 'string' },
      after: { type: 'string', default: '5' },
      headless: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if ((values.hub === undefined) !== (values.token === undefined)) {
    throw new Error(`--hub and --token go together.\n${USAGE}`);
  }
  const afterSeconds = Number(values.after);
  if (!Number.isFinite(afterSeconds) || afterSeconds < 0)
    throw new Error(`--after wants seconds, got "${values.after}".`);

  const dataRoot = path.resolve(values.data ?? path.join(repoRoot, '.data', 'preview'));
  mkdirSync(dataRoot, { recursive: true });

  let hub: Hub | null = null;
  let hubUrl: string;
  let token: string;
  if (values.hub !== undefined && values.token !== undefined) {
    hubUrl = values.hub;
    token = values.token;
  } else {
    hub = await startHub({
      dataDir: path.join(dataRoot, 'hub'),
      port: 0,
      simulate: { seed: Number(values.seed), rate: Number(values.rate) },
    });
    hubUrl = hub.url;
    token = await hub.issueToken({ role: 'officer', name: 'Preview Officer', position: 'Duty Officer' });
    console.log(`preview: hub with the demo-city simulator at ${hubUrl}`);
  }

  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const headless = values.headless || values.screenshot !== undefined || !hasDisplay;
  const browser = await chromium.launch(chromiumLaunchOptions(headless));
  let console_: HarnessConsole | null = null;
  const shutdown = async (): Promise<void> => {
    await console_?.close().catch(() => {});
    await browser.close().catch(() => {});
    await hub?.close().catch(() => {});
  };

  try {
    console_ = await openConsole(browser, { dataDir: path.join(dataRoot, 'console'), hubUrl, token });
  } catch (err) {
    await shutdown();
    throw err;
  }

  if (values.screenshot !== undefined) {
    const file = path.resolve(values.screenshot);
    await new Promise((resolve) => setTimeout(resolve, afterSeconds * 1000));
    mkdirSync(path.dirname(file), { recursive: true });
    await console_.page.screenshot({ path: file });
    console.log(`preview: wrote ${file}`);
    await shutdown();
    return;
  }

  console.log(
    headless
      ? 'preview: no display, running headless (Ctrl-C to stop; use --screenshot to see it).'
      : 'preview: console open (close the window or Ctrl-C to stop).',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    console_?.page.once('close', () => resolve());
    browser.once('disconnected', () => resolve());
  });
  await shutdown();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`preview: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
