import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startHub, type Hub } from '../../hub/server';
import { openConsole, type HarnessConsole } from '../harness/console';

/**
 * Fixtures: `hub` is a real hub with the demo-city simulator on 127.0.0.1 (its own
 * temp data dir); `openConsole(name)` starts a console host with its own replica and
 * shows it in a page of the test's Chromium. Everything is closed after the test.
 */
export interface Fixtures {
  /** the simulator's live rate after the test's own `simulate` (events/s; 0: none). `test.use({ liveRate: 0 })` */
  liveRate: number;
  hub: Hub;
  openConsole: (name: string) => Promise<HarnessConsole>;
  /** saves a named screenshot into the test's output folder (test-results/e2e/...) */
  snap: (page: Page, name: string) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  liveRate: [2, { option: true }],
  hub: async ({ liveRate }, use) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-hub-'));
    const hub = await startHub({ dataDir, port: 0, simulate: { seed: 20_261_128, rate: liveRate } });
    try {
      await use(hub);
    } finally {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
  openConsole: async ({ browser, hub }, use, testInfo) => {
    const opened: HarnessConsole[] = [];
    const dirs: string[] = [];
    await use(async (name) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), `wf-e2e-${name}-`));
      dirs.push(dataDir);
      const token = await hub.issueToken({ role: 'officer', name: `Officer ${name}`, position: 'Duty Officer' });
      const console_ = await openConsole(browser, { dataDir, hubUrl: hub.url, token });
      opened.push(console_);
      return console_;
    });
    for (const [i, c] of opened.entries()) {
      if (c.diagnostics.length > 0) {
        await testInfo.attach(`console-${i + 1}-diagnostics.txt`, {
          body: c.diagnostics.join('\n'),
          contentType: 'text/plain',
        });
      }
    }
    for (const c of opened.reverse()) await c.close().catch(() => {});
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  },
  // eslint-disable-next-line no-empty-pattern
  snap: async ({}, use, testInfo) => {
    await use(async (page, name) => {
      await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
    });
  },
});

export { expect };

/** The alert queue, whichever list role the renderer gives it. */
export const alertQueue = (page: Page, name: string | RegExp = 'Alert queue') =>
  page.getByRole('listbox', { name }).or(page.getByRole('list', { name }));

/** The rows of the alert queue. */
export const queueRows = (page: Page, name: string | RegExp = 'Alert queue') =>
  alertQueue(page, name).locator('[role="option"], [role="listitem"]');
