import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * electron-builder.yml (issue 7, decision 0026), parsed and checked: the installers,
 * the fuses (Electron security checklist #19), what ships and what does not, and the
 * native driver. The configuration is also run through electron-builder's own schema
 * validation, so a misspelt key fails here and not on a release machine.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const text = readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
const config = parse(text) as Record<string, unknown> & {
  appId: string;
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  npmRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  directories: { buildResources: string };
};

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config.js' as string)) as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = (await import('builder-util' as string)) as {
      DebugLogger: new (enabled: boolean) => unknown;
    };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The check bites: an unknown key is refused.
    await expect(validateConfiguration({ ...config, fusesTypo: {} }, new DebugLogger(false))).rejects.toThrow(
      /fusesTypo/,
    );
  }, 60_000); // app-builder-lib is a large import

  it('builds AppImage and deb for Linux, NSIS for Windows, dmg for macOS, under one app id', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('has an icon for every platform, and the files exist', () => {
    for (const icon of [config.linux.icon, config.win.icon, config.mac.icon]) {
      const bytes = readFileSync(path.join(root, config.directories.buildResources, icon));
      expect(bytes.length, icon).toBeGreaterThan(1000);
    }
    const png = readFileSync(path.join(root, 'assets/build/icon.png'));
    expect(png.readUInt32BE(16)).toBe(512); // IHDR width
    expect(png.readUInt32BE(20)).toBe(512);
    expect(readFileSync(path.join(root, 'assets/build/icon.icns')).subarray(0, 4).toString('ascii')).toBe('icns');
    expect(readFileSync(path.join(root, 'assets/build/icon.ico')).readUInt16LE(2)).toBe(1); // ICO type: icon
  });

  it('flips every security fuse', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the bundles only: no tests, benchmarks, hub, docs, sources, maps or node_modules wholesale', () => {
    const files = config.files;
    for (const shipped of ['dist/main/**', 'dist/preload/**', 'dist/renderer/**', 'package.json']) {
      expect(files).toContain(shipped);
    }
    expect(files).toContain('!**/*.map');
    expect(files).toContain('!dist/harness/**');
    const excludedTop = files.find((f) => f.startsWith('!{'))!;
    for (const folder of ['tests', 'bench', 'hub', 'docs', 'scripts', 'main', 'renderer', 'shared']) {
      expect(excludedTop, folder).toMatch(new RegExp(`[{,]${folder}[,}]`));
    }
    // node_modules: only the SQLite driver's JavaScript; its Node-ABI binary never ships.
    expect(files).toContain('!node_modules/**');
    expect(files.filter((f) => f.startsWith('node_modules/'))).toEqual([
      'node_modules/better-sqlite3-multiple-ciphers/package.json',
      'node_modules/better-sqlite3-multiple-ciphers/lib/**',
    ]);
  });

  it('carries the Electron build of the driver outside the asar, and never rebuilds node_modules in place', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.extraResources).toContainEqual({
      from: 'dist/native/electron/better_sqlite3.node',
      to: 'native/better_sqlite3.node',
    });
    // Rebuilding in place would leave node_modules built for Electron and break `npm test` (decision 0005).
    expect(config.npmRebuild).toBe(false);
  });

  it('has `npm run dist`, and the SQLite driver it packs is the one the replica opens', () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.scripts.dist).toBe('tsx scripts/dist.ts');
    expect(pkg.dependencies['better-sqlite3-multiple-ciphers']).toMatch(/^\^?12\./);
    expect(readFileSync(path.join(root, 'main/replica/db.ts'), 'utf8')).toContain(
      "from 'better-sqlite3-multiple-ciphers'",
    );
  });
});
