import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHubConfig } from '../../hub/intake/sources';
import { tempDir } from './helpers';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function configFile(content: string): string {
  const t = tempDir('watchfloor-config-');
  cleanups.push(t.remove);
  const file = join(t.dir, 'hub.json');
  writeFileSync(file, content);
  return file;
}

describe('hub config (--config)', () => {
  it('reads feeds and the drop folder, with defaults, relative paths resolved against the file', () => {
    const file = configFile(
      JSON.stringify({
        drop: 'drop',
        feeds: [
          { name: 'NWS', kind: 'cap-index', url: 'http://127.0.0.1:9/alerts.atom' },
          { name: 'USGS', kind: 'usgs-geojson', file: 'usgs.geojson', everySeconds: 60 },
        ],
      }),
    );
    const config = readHubConfig(file);
    expect(config.drop).toBe(join(file, '..', 'drop'));
    expect(config.feeds).toEqual([
      {
        name: 'NWS',
        kind: 'cap-index',
        url: 'http://127.0.0.1:9/alerts.atom',
        everySeconds: 120,
        fetchLinks: true,
        maxLinks: 100,
      },
      {
        name: 'USGS',
        kind: 'usgs-geojson',
        file: join(file, '..', 'usgs.geojson'),
        everySeconds: 60,
        fetchLinks: true,
        maxLinks: 100,
      },
    ]);
  });

  it('refuses a bad config with a sentence naming the field', () => {
    expect(() => readHubConfig(configFile('{ not json'))).toThrow(/hub\.json/);
    expect(() => readHubConfig(configFile(JSON.stringify({ feeds: [{ name: 'x', kind: 'cap-index' }] })))).toThrow(
      /feeds\.0: a feed needs exactly one of url or file/,
    );
    expect(() =>
      readHubConfig(configFile(JSON.stringify({ feeds: [{ name: 'x', kind: 'rss', url: 'http://a' }] }))),
    ).toThrow(/feeds\.0\.kind/);
  });
});
