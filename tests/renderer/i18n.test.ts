import { describe, expect, it } from 'vitest';
import en from '../../renderer/i18n/en.json';
import zhCN from '../../renderer/i18n/zh-CN.json';

const keys = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

describe('translations', () => {
  it('zh-CN has every key English has, and no other', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it('keeps the names end-to-end tests find the console by', () => {
    expect(en.detail.acknowledge).toBe('Acknowledge');
    expect(en.queue.label).toBe('Alert queue');
    expect(en.map.label).toBe('Map');
    expect(en.status.region).toBe('Connection status');
    expect(en.status.language).toBe('Language');
    // The language control stays findable as "Language" after switching to Chinese.
    expect(zhCN.status.language).toContain('Language');
  });
});

// Every literal key the renderer asks for exists in English (and so, by the test above, in zh-CN).
const sources = import.meta.glob<string>('../../renderer/**/*.tsx', { query: '?raw', import: 'default', eager: true });

describe('keys used by the renderer', () => {
  it('are all translated', () => {
    const known = new Set(keys(en).map((k) => k.replace(/_(one|other)$/, '')));
    const missing: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      for (const m of text.matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) {
        if (!known.has(m[1]!)) missing.push(`${file}: ${m[1]}`);
      }
    }
    expect(Object.keys(sources).length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
