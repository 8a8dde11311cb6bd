import Database from 'better-sqlite3';
import { existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startConsoleHost, type ConsoleHost } from '../../main/console/host';
import { BasemapStore } from '../../main/basemap/store';
import { invokeChannels } from '../../shared/api';
import { BasemapList, BasemapTile, DEMO_BASEMAP_ID, ImportedBasemap } from '../../shared/basemap';
import { WatchfloorError, type ErrorCode } from '../../shared/errors';
import { cityMbtiles, DEMO_CITY_BOUNDS, solidPng, writeMbtiles, type XyzTile } from '../harness/mbtiles';
import { tempDir } from './fixtures';
import { startStubHub, type StubHub } from './stub-hub';

let dir: string;
let cleanup: () => void;
let store: BasemapStore | null = null;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('watchfloor-basemap-'));
});
afterEach(() => {
  store?.close();
  store = null;
  cleanup();
});

const consoleDir = () => path.join(dir, 'console');
const openStore = (maxBytes?: number) => {
  store?.close();
  store = new BasemapStore({ dataDir: consoleDir(), ...(maxBytes ? { maxBytes } : {}), log: () => {} });
  return store;
};
const file = (name: string) => path.join(dir, name);

async function refusal(s: BasemapStore, source: string): Promise<{ code: ErrorCode; message: string }> {
  try {
    await s.import(source);
  } catch (err) {
    if (err instanceof WatchfloorError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`${source} was imported; expected a refusal`);
}

const GOOD_META = {
  name: 'Riverside raster',
  format: 'png',
  bounds: '9.9,44.93,10.1,45.06',
  minzoom: '1',
  maxzoom: '2',
};

/** Every tile different: its bytes name its XYZ address, so a flipped row would be caught. */
function distinctTiles(): XyzTile[] {
  const tiles: XyzTile[] = [];
  for (let z = 1; z <= 2; z++)
    for (let x = 0; x < 2 ** z; x++)
      for (let y = 0; y < 2 ** z; y++) tiles.push({ z, x, y, data: solidPng([z * 40, x * 50, y * 50], 4) });
  return tiles;
}

describe('importing an MBTiles basemap', () => {
  it('checks, copies and activates a raster file; tiles come back by XYZ address (TMS rows flipped)', async () => {
    const source = file('riverside.mbtiles');
    const tiles = distinctTiles();
    writeMbtiles(source, { metadata: { ...GOOD_META, attribution: '<b>&copy; City GIS</b>' }, tiles });
    const s = openStore();
    expect(s.list()).toEqual({ active: DEMO_BASEMAP_ID, imported: [] });

    const imported = ImportedBasemap.parse(await s.import(source));
    expect(imported).toMatchObject({
      name: 'Riverside raster',
      format: 'png',
      bounds: { west: 9.9, south: 44.93, east: 10.1, north: 45.06 },
      minZoom: 1,
      maxZoom: 2,
      attribution: '© City GIS',
      sourceName: 'riverside.mbtiles',
    });
    expect(s.list().active).toBe(imported.id);

    // The original may go: the console reads its own copy.
    rmSync(source);
    for (const t of tiles) {
      const got = BasemapTile.parse(s.tile({ id: imported.id, z: t.z, x: t.x, y: t.y }));
      expect(got?.mime).toBe('image/png');
      expect(Buffer.from(got!.base64, 'base64').equals(Buffer.from(t.data))).toBe(true);
    }
    // Outside the file's zoom levels: no tile, not an error.
    expect(s.tile({ id: imported.id, z: 5, x: 3, y: 3 })).toBeNull();
    expect(s.counters).toMatchObject({ imported: 1, tilesServed: tiles.length, tilesMissing: 1 });

    // A restarted console finds the same list and the same active basemap.
    const again = openStore();
    expect(again.list()).toEqual({ active: imported.id, imported: [imported] });
    expect(again.tile({ id: imported.id, z: 2, x: 3, y: 0 })).not.toBeNull();

    expect(again.setActive(DEMO_BASEMAP_ID).active).toBe(DEMO_BASEMAP_ID);
    expect(openStore().list().active).toBe(DEMO_BASEMAP_ID);
  });

  it('reads zoom levels and bounds from the tiles when the optional rows are missing; name falls back to the file name', async () => {
    const source = file('no-extent.mbtiles');
    // z 2, x 2, XYZ y 1: north-east quadrant row below the top.
    writeMbtiles(source, {
      metadata: { name: '', format: 'image/png' },
      tiles: [{ z: 2, x: 2, y: 1, data: solidPng([1, 2, 3], 4) }],
    });
    const imported = await openStore().import(source);
    expect(imported.name).toBe('no-extent');
    expect(imported.minZoom).toBe(2);
    expect(imported.maxZoom).toBe(2);
    expect(imported.bounds.west).toBeCloseTo(0, 6);
    expect(imported.bounds.east).toBeCloseTo(90, 6);
    expect(imported.bounds.south).toBeCloseTo(0, 6);
    expect(imported.bounds.north).toBeCloseTo(66.5132604, 5);
  });

  it('takes a file exported in WAL mode', async () => {
    const source = file('wal.mbtiles');
    writeMbtiles(source, { metadata: GOOD_META, tiles: distinctTiles() });
    const db = new Database(source);
    db.pragma('journal_mode = WAL');
    db.close();
    const s = openStore();
    const imported = await s.import(source);
    expect(s.tile({ id: imported.id, z: 1, x: 1, y: 1 })).not.toBeNull();
  });

  it('refuses bad files with stable codes, changes nothing and leaves no copy behind', async () => {
    const png = solidPng([9, 9, 9], 4);
    const cases: [string, () => string, ErrorCode, RegExp][] = [
      ['missing file', () => file('nowhere.mbtiles'), 'BASEMAP_UNREADABLE', /cannot read/],
      ['a folder', () => dir, 'BASEMAP_UNREADABLE', /folder/],
      [
        'not SQLite',
        () => {
          writeFileSync(file('text.mbtiles'), 'name,format\ncity,png\n');
          return file('text.mbtiles');
        },
        'BASEMAP_NOT_SQLITE',
        /not an MBTiles file/,
      ],
      [
        'SQLite header, then garbage',
        () => {
          writeFileSync(file('torn.mbtiles'), Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 7)]));
          return file('torn.mbtiles');
        },
        'BASEMAP_NOT_SQLITE',
        /SQLite could not/,
      ],
      [
        'no tiles table',
        () => {
          writeMbtiles(file('notiles.mbtiles'), { metadata: GOOD_META, tiles: [], omit: 'tiles' });
          return file('notiles.mbtiles');
        },
        'BASEMAP_NOT_MBTILES',
        /no tiles table/,
      ],
      [
        'no metadata table',
        () => {
          writeMbtiles(file('nometa.mbtiles'), {
            metadata: {},
            tiles: [{ z: 0, x: 0, y: 0, data: png }],
            omit: 'metadata',
          });
          return file('nometa.mbtiles');
        },
        'BASEMAP_NOT_MBTILES',
        /no metadata table/,
      ],
      [
        'vector tiles (pbf)',
        () => {
          writeMbtiles(file('vector.mbtiles'), {
            metadata: { ...GOOD_META, format: 'pbf' },
            tiles: [{ z: 1, x: 0, y: 0, data: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]) }],
          });
          return file('vector.mbtiles');
        },
        'BASEMAP_VECTOR_TILES',
        /vector tiles \(pbf\); the map draws raster tiles only/,
      ],
      [
        'gzip tiles claiming png',
        () => {
          writeMbtiles(file('liar.mbtiles'), {
            metadata: GOOD_META,
            tiles: [{ z: 1, x: 0, y: 0, data: Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]) }],
          });
          return file('liar.mbtiles');
        },
        'BASEMAP_VECTOR_TILES',
        /raster tiles only/,
      ],
      [
        'no format row',
        () => {
          writeMbtiles(file('noformat.mbtiles'), {
            metadata: { ...GOOD_META, format: null },
            tiles: [{ z: 1, x: 0, y: 0, data: png }],
          });
          return file('noformat.mbtiles');
        },
        'BASEMAP_BAD_METADATA',
        /"format" is missing/,
      ],
      [
        'an unknown format',
        () => {
          writeMbtiles(file('tiff.mbtiles'), {
            metadata: { ...GOOD_META, format: 'tiff' },
            tiles: [{ z: 1, x: 0, y: 0, data: png }],
          });
          return file('tiff.mbtiles');
        },
        'BASEMAP_BAD_METADATA',
        /"tiff"/,
      ],
      [
        'bounds upside down',
        () => {
          writeMbtiles(file('bounds.mbtiles'), {
            metadata: { ...GOOD_META, bounds: '10.1,45.06,9.9,44.93' },
            tiles: [{ z: 1, x: 0, y: 0, data: png }],
          });
          return file('bounds.mbtiles');
        },
        'BASEMAP_BAD_METADATA',
        /bounds/,
      ],
      [
        'minzoom above maxzoom',
        () => {
          writeMbtiles(file('zoom.mbtiles'), {
            metadata: { ...GOOD_META, minzoom: '9', maxzoom: '3' },
            tiles: [{ z: 1, x: 0, y: 0, data: png }],
          });
          return file('zoom.mbtiles');
        },
        'BASEMAP_BAD_METADATA',
        /zoom levels/,
      ],
      [
        'zoom not a number',
        () => {
          writeMbtiles(file('zoomtext.mbtiles'), {
            metadata: { ...GOOD_META, maxzoom: 'street' },
            tiles: [{ z: 1, x: 0, y: 0, data: png }],
          });
          return file('zoomtext.mbtiles');
        },
        'BASEMAP_BAD_METADATA',
        /whole numbers/,
      ],
      [
        'empty tiles table',
        () => {
          writeMbtiles(file('empty.mbtiles'), { metadata: GOOD_META, tiles: [] });
          return file('empty.mbtiles');
        },
        'BASEMAP_NO_TILES',
        /no tiles/,
      ],
      [
        'tiles that are not images',
        () => {
          writeMbtiles(file('text-tiles.mbtiles'), {
            metadata: GOOD_META,
            tiles: [{ z: 1, x: 0, y: 0, data: Buffer.from('hello, not a picture') }],
          });
          return file('text-tiles.mbtiles');
        },
        'BASEMAP_NO_TILES',
        /not png images/,
      ],
    ];
    const s = openStore();
    for (const [what, make, code, sentence] of cases) {
      const got = await refusal(s, make());
      expect(got.code, what).toBe(code);
      expect(got.message, what).toMatch(sentence);
    }
    expect(s.list()).toEqual({ active: DEMO_BASEMAP_ID, imported: [] });
    expect(s.counters.imported).toBe(0);
    expect(Object.values(s.counters.refused).reduce((a, b) => a + (b ?? 0), 0)).toBe(cases.length);
    expect(readdirSync(s.dir).filter((n) => n !== 'basemaps.json')).toEqual([]);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const source = file('city.mbtiles');
    cityMbtiles(source);
    const s = openStore(1024);
    const got = await refusal(s, source);
    expect(got.code).toBe('BASEMAP_TOO_BIG');
    expect(got.message).toMatch(/up to 1 MB/);
  });

  it('a truncated copy is refused, not served', async () => {
    const source = file('cut.mbtiles');
    cityMbtiles(source);
    truncateSync(source, 2048);
    const got = await refusal(openStore(), source);
    expect(got.code).toMatch(/BASEMAP_NOT_SQLITE|BASEMAP_NOT_MBTILES/);
  });

  it('asks for tiles of a basemap that is not there: NOT_FOUND', () => {
    const s = openStore();
    expect(() => s.tile({ id: 'nope', z: 0, x: 0, y: 0 })).toThrow(/not on this console/);
    expect(() => s.setActive('nope')).toThrow(/not on this console/);
  });

  it('a damaged basemaps.json is set aside; the demo basemap stays', async () => {
    const s = openStore();
    const source = file('city.mbtiles');
    cityMbtiles(source);
    await s.import(source);
    s.close();
    writeFileSync(path.join(s.dir, 'basemaps.json'), '{"version":1,"active":');
    const lines: string[] = [];
    store = new BasemapStore({ dataDir: consoleDir(), log: (l) => lines.push(l) });
    expect(store.list()).toEqual({ active: DEMO_BASEMAP_ID, imported: [] });
    expect(lines.join('\n')).toMatch(/moved to .*damaged/);
    expect(readdirSync(store.dir).some((n) => n.startsWith('basemaps.json.damaged-'))).toBe(true);
  });
});

describe('basemap operations through the console host', () => {
  let hub: StubHub;
  let host: ConsoleHost | null = null;
  beforeEach(async () => {
    hub = await startStubHub();
  });
  afterEach(async () => {
    await host?.close();
    host = null;
    await hub.close();
  });

  it('are answered by the host with schema-checked arguments; no file dialog without a shell', async () => {
    host = await startConsoleHost({ dataDir: consoleDir(), hubUrl: hub.url, token: 'good', consoleId: 'c-1' });
    const source = file('city.mbtiles');
    const { tiles } = cityMbtiles(source);
    expect(tiles).toBeGreaterThan(4);

    const imported = await host.invoke(invokeChannels.importBasemap.name, { path: source });
    expect(imported.ok).toBe(true);
    const id = ImportedBasemap.parse((imported as { value: unknown }).value).id;
    const list = await host.invoke(invokeChannels.getBasemaps.name, undefined);
    expect(list).toMatchObject({ ok: true, value: { active: id, importByPath: true } });
    expect(BasemapList.safeParse((list as { value: unknown }).value).success).toBe(true);

    // z 12 tile over the city centre.
    const centre = { lon: (DEMO_CITY_BOUNDS.west + DEMO_CITY_BOUNDS.east) / 2, lat: 45 };
    const n = 2 ** 12;
    const x = Math.floor(((centre.lon + 180) / 360) * n);
    const r = (centre.lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    const tile = await host.invoke(invokeChannels.getBasemapTile.name, { id, z: 12, x, y });
    expect(tile.ok && BasemapTile.parse(tile.value)?.mime).toBe('image/png');

    const bad = [
      [invokeChannels.getBasemapTile.name, { id, z: 2, x: 4, y: 0 }],
      [invokeChannels.getBasemapTile.name, { id: '../replica', z: 1, x: 0, y: 0 }],
      [invokeChannels.importBasemap.name, { path: '' }],
      [invokeChannels.setActiveBasemap.name, { id: 'NOT AN ID' }],
    ] as const;
    for (const [channel, args] of bad) {
      const got = await host.invoke(channel, args);
      expect(got.ok ? null : got.error.code, JSON.stringify(args)).toBe('BAD_REQUEST');
    }
    expect(host.stats().badRequests).toBe(bad.length);

    const dialog = await host.invoke(invokeChannels.chooseBasemapFile.name, undefined);
    expect(dialog.ok ? null : dialog.error.code).toBe('NOT_FOUND');

    const refused = await host.invoke(invokeChannels.importBasemap.name, { path: file('nothing-here.mbtiles') });
    expect(refused.ok ? null : refused.error.code).toBe('BASEMAP_UNREADABLE');
    expect(host.stats().basemaps).toEqual({
      imported: 1,
      refused: { BASEMAP_UNREADABLE: 1 },
      tilesServed: 1,
      tilesMissing: 0,
    });
    expect(existsSync(path.join(consoleDir(), 'basemaps', `${id}.mbtiles`))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(consoleDir(), 'basemaps', 'basemaps.json'), 'utf8')).active).toBe(id);
  });

  it('with a shell, imports only a file picked in its dialog', async () => {
    const source = file('city.mbtiles');
    cityMbtiles(source);
    let answer: string | null = null;
    host = await startConsoleHost({
      dataDir: consoleDir(),
      hubUrl: hub.url,
      token: 'good',
      consoleId: 'c-2',
      basemaps: { shell: { chooseBasemapFile: () => Promise.resolve(answer) } },
    });
    expect(await host.invoke(invokeChannels.getBasemaps.name, undefined)).toMatchObject({
      ok: true,
      value: { importByPath: false },
    });
    // A typed path is refused, even of a good file.
    const typed = await host.invoke(invokeChannels.importBasemap.name, { path: source });
    expect(typed.ok ? null : typed.error.code).toBe('FORBIDDEN');
    // Cancelled dialog: nothing chosen.
    expect(await host.invoke(invokeChannels.chooseBasemapFile.name, undefined)).toEqual({
      ok: true,
      value: { path: null },
    });
    answer = source;
    expect(await host.invoke(invokeChannels.chooseBasemapFile.name, undefined)).toEqual({
      ok: true,
      value: { path: source },
    });
    const picked = await host.invoke(invokeChannels.importBasemap.name, { path: source });
    expect(picked.ok).toBe(true);
    // Once: the same path again needs the dialog again.
    const again = await host.invoke(invokeChannels.importBasemap.name, { path: source });
    expect(again.ok ? null : again.error.code).toBe('FORBIDDEN');
  });
});
