import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

/**
 * `npx tsx scripts/make-icons.ts`: draws Watchfloor's application icon and writes the
 * set electron-builder takes from assets/build/ (its buildResources):
 * - icon.png  512×512 (Linux AppImage/deb; the source electron-builder can scale)
 * - icon.ico  16–256 px, PNG-compressed entries (Windows NSIS)
 * - icon.icns 16–512 px, PNG entries (macOS dmg)
 * No image library: the shape is plain geometry (a watch ring and a sweep on the
 * control room's dark blue), encoded as PNG with zlib. Deterministic: the same bytes
 * every run, so a rerun changes nothing in git.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'assets', 'build');

type Rgba = [number, number, number, number];
const BACKGROUND: Rgba = [11, 15, 20, 255];
const RING: Rgba = [245, 166, 35, 255]; // amber: the console's attention colour
const SWEEP: Rgba = [80, 160, 255, 255];

/** Coverage of one pixel by the icon's shapes, supersampled 4×4 for smooth edges. */
function pixel(size: number, px: number, py: number): Rgba {
  const samples = 4;
  const acc = [0, 0, 0, 0];
  for (let sy = 0; sy < samples; sy++) {
    for (let sx = 0; sx < samples; sx++) {
      const x = (px + (sx + 0.5) / samples) / size; // 0..1
      const y = (py + (sy + 0.5) / samples) / size;
      const c = shade(x, y);
      for (let i = 0; i < 4; i++) acc[i]! += c[i]!;
    }
  }
  return acc.map((v) => Math.round(v / (samples * samples))) as Rgba;
}

function shade(x: number, y: number): Rgba {
  // A rounded square (the tile), transparent outside.
  const inset = 0.04;
  const radius = 0.18;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
  if (Math.hypot(qx, qy) > radius) return [0, 0, 0, 0];
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  if (r > 0.27 && r < 0.34) return RING;
  if (r < 0.06) return RING;
  // The sweep: a wedge from the centre towards one o'clock.
  const angle = Math.atan2(dx, -dy); // 0 = up, clockwise
  if (r < 0.27 && angle > 0.25 && angle < 0.75) return SWEEP;
  return BACKGROUND;
}

function render(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) rgba.set(pixel(size, x, y), (y * size + x) * 4);
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** ICO with PNG-compressed images (Windows Vista and later read them). */
function encodeIco(pngs: ReadonlyArray<[size: number, png: Buffer]>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // icon
  header.writeUInt16LE(pngs.length, 4);
  const entries: Buffer[] = [];
  let offset = 6 + 16 * pngs.length;
  for (const [size, png] of pngs) {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size; // 0 means 256
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    entries.push(e);
  }
  return Buffer.concat([header, ...entries, ...pngs.map(([, png]) => png)]);
}

/** ICNS with PNG entries: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512. */
function encodeIcns(pngs: ReadonlyMap<number, Buffer>): Buffer {
  const types: ReadonlyArray<[string, number]> = [
    ['icp4', 16],
    ['icp5', 32],
    ['icp6', 64],
    ['ic07', 128],
    ['ic08', 256],
    ['ic09', 512],
  ];
  const parts = types.map(([type, size]) => {
    const png = pngs.get(size)!;
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const total = 8 + parts.reduce((n, p) => n + p.length, 0);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(total, 4);
  return Buffer.concat([head, ...parts]);
}

function main(): void {
  mkdirSync(outDir, { recursive: true });
  const pngs = new Map<number, Buffer>();
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) pngs.set(size, encodePng(size, render(size)));
  writeFileSync(path.join(outDir, 'icon.png'), pngs.get(512)!);
  writeFileSync(
    path.join(outDir, 'icon.ico'),
    encodeIco([16, 24, 32, 48, 64, 128, 256].map((s) => [s, pngs.get(s)!] as [number, Buffer])),
  );
  writeFileSync(path.join(outDir, 'icon.icns'), encodeIcns(pngs));
  console.log(`make-icons: wrote icon.png, icon.ico, icon.icns to ${path.relative(root, outDir)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
