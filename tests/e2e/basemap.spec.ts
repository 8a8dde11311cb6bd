import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { HARNESS_ORIGIN } from '../harness/console';
import { cityMbtiles } from '../harness/mbtiles';
import { expect, test } from './fixtures';

/** The test basemap's one colour: far from every alert, asset and built-in basemap colour. */
const TILE_RGB = [0xc8, 0x3c, 0xdc] as const;

/** The little of the page's DOM used below (this tsconfig has no DOM lib). */
interface PageImage {
  src: string;
  naturalWidth: number;
  naturalHeight: number;
  decode(): Promise<void>;
}
interface PageGlobals {
  Image: new () => PageImage;
  document: {
    createElement(tag: 'canvas'): {
      width: number;
      height: number;
      getContext(kind: '2d'): {
        drawImage(img: PageImage, x: number, y: number): void;
        getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
      } | null;
    };
  };
}

/**
 * Pixels of the map as the officer sees them (a screenshot, decoded in the page) within
 * `tolerance` of the test tiles' colour, as a fraction of the map's area.
 */
async function tileColourShare(page: Page, map: Locator, tolerance = 6): Promise<number> {
  const shot = (await map.screenshot()).toString('base64');
  return page.evaluate(
    async ({ shot, rgb, tolerance }) => {
      const dom = globalThis as unknown as PageGlobals;
      const img = new dom.Image();
      img.src = `data:image/png;base64,${shot}`;
      await img.decode();
      const canvas = dom.document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let hits = 0;
      for (let i = 0; i < data.length; i += 4)
        if (
          Math.abs(data[i]! - rgb[0]) <= tolerance &&
          Math.abs(data[i + 1]! - rgb[1]) <= tolerance &&
          Math.abs(data[i + 2]! - rgb[2]) <= tolerance
        )
          hits++;
      return hits / (data.length / 4);
    },
    { shot, rgb: TILE_RGB, tolerance },
  );
}

test('an imported MBTiles basemap is drawn from local storage, named on the map, and switched back', async ({
  openConsole,
  snap,
}) => {
  // Two page loads and several screenshots decoded in the page: longer than one plain load.
  test.setTimeout(240_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'wf-e2e-basemap-'));
  try {
    const source = path.join(dir, 'riverside.mbtiles');
    cityMbtiles(source, { name: 'Riverside raster', rgb: TILE_RGB, minZoom: 10, maxZoom: 13 });
    const notMbtiles = path.join(dir, 'notes.mbtiles');
    writeFileSync(notMbtiles, 'not a database\n');

    const console_ = await openConsole('a');
    const { page } = console_;
    // Every request the page makes; the harness answers only its own origin and aborts the rest.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    const map = page.getByRole('region', { name: 'Map' });
    await expect(map.getByText('Basemap: Demo city (built in)')).toBeVisible();
    await expect(page.locator('.wf-district-label').first()).toBeVisible();
    expect(await tileColourShare(page, map)).toBe(0);

    // A file that is not MBTiles is refused with a sentence; nothing changes.
    await map.getByRole('button', { name: 'Change basemap' }).click();
    const panel = map.getByRole('group', { name: 'Basemaps' });
    await expect(panel).toBeVisible();
    const pathBox = panel.getByRole('textbox', { name: "or type the file's path" });
    await pathBox.fill(notMbtiles);
    await panel.getByRole('button', { name: 'Import' }).click();
    await expect(panel.getByRole('alert')).toContainText('This is not an MBTiles file.');
    await expect(map.getByText('Basemap: Demo city (built in)')).toBeVisible();

    // The harness has no file dialog: it says so and points to the path box.
    await panel.getByRole('button', { name: 'Choose file…' }).click();
    await expect(panel.getByRole('alert')).toContainText('type the path of the .mbtiles file');

    // Import the city's raster basemap.
    await pathBox.fill(source);
    await panel.getByRole('button', { name: 'Import' }).click();
    await expect(panel.getByRole('status')).toContainText('Imported Riverside raster (zoom 10–13)');
    await expect(map.getByText('Basemap: Riverside raster')).toBeVisible();
    await expect(map.getByText('© Test Mapping')).toBeVisible();
    // It replaces the built-in basemap, whose district names go with it.
    await expect(page.locator('.wf-district-label')).toHaveCount(0);
    await expect
      .poll(() => tileColourShare(page, map), { message: 'share of the map drawn in the imported tiles' })
      .toBeGreaterThan(0.3);
    await snap(page, 'imported-basemap');

    // Back to the demo city: its basemap returns, the tiles go.
    await panel.getByRole('radio', { name: 'Demo city (built in)' }).check();
    await expect(map.getByText('Basemap: Demo city (built in)')).toBeVisible();
    await expect(page.locator('.wf-district-label').first()).toBeVisible();
    await expect(page.locator('.wf-basemap-tiles')).toHaveCount(0);

    // Chosen again, then the original file deleted and the window reloaded: the console's copy
    // is drawn and the choice was kept.
    await panel.getByRole('radio', { name: /Riverside raster/ }).check();
    await expect(map.getByText('Basemap: Riverside raster')).toBeVisible();
    rmSync(source);
    await page.reload();
    await expect(map.getByText('Basemap: Riverside raster')).toBeVisible();
    await expect.poll(() => tileColourShare(page, map)).toBeGreaterThan(0.3);

    // No request left the harness origin (tiles came over the bridge as data: URLs), and the
    // shell's CSP held.
    const outside = requests.filter((u) => !u.startsWith(`${HARNESS_ORIGIN}/`) && !u.startsWith('data:'));
    expect(outside).toEqual([]);
    expect(console_.diagnostics.filter((l) => /Content Security Policy|requestfailed/i.test(l))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
