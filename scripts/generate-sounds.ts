/**
 * Writes the alert sounds, one per CAP severity, into assets/sounds/ as small
 * 16-bit mono WAV files. Run with `npx tsx scripts/generate-sounds.ts`; the output
 * is committed (assets/sounds/README.md lists the parameters below).
 *
 * The four must be told apart without looking: Extreme is fast, high and repeated;
 * each step down is slower, lower, shorter and softer; Minor is one soft chime.
 * Everything is synthesised here, so there is no licence to track.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SAMPLE_RATE = 22_050;

/** One tone: a frequency for a duration, with a peak level and a shape. */
export interface Tone {
  hz: number;
  ms: number;
  /** 0..1 of full scale */
  level: number;
  /** square-ish (odd harmonics) cuts through room noise; sine is soft */
  wave: 'sine' | 'bright';
  /** 'flat' with 5 ms edges (no clicks), or 'bell': quick attack, exponential decay */
  envelope: 'flat' | 'bell';
}

export interface SoundSpec {
  name: 'extreme' | 'severe' | 'moderate' | 'minor';
  /** the tones in order; a tone with hz 0 is a pause */
  tones: readonly Tone[];
}

const beep = (hz: number, ms: number, level: number): Tone => ({ hz, ms, level, wave: 'bright', envelope: 'flat' });
const gap = (ms: number): Tone => ({ hz: 0, ms, level: 0, wave: 'sine', envelope: 'flat' });
const chime = (hz: number, ms: number, level: number): Tone => ({ hz, ms, level, wave: 'sine', envelope: 'bell' });

export const SOUNDS: readonly SoundSpec[] = [
  // Fast high two-tone (1400/1050 Hz, 110 ms each), three times.
  {
    name: 'extreme',
    tones: [0, 1, 2].flatMap(() => [beep(1400, 110, 0.8), beep(1050, 110, 0.8), gap(40)]),
  },
  // Slower, lower two-tone (1000/800 Hz, 170 ms each), twice.
  { name: 'severe', tones: [0, 1].flatMap(() => [beep(1000, 170, 0.65), beep(800, 170, 0.65), gap(80)]) },
  // Two rising chimes (660 then 880 Hz).
  { name: 'moderate', tones: [chime(660, 260, 0.5), chime(880, 420, 0.5)] },
  // A single soft chime (880 Hz).
  { name: 'minor', tones: [chime(880, 600, 0.3)] },
];

function sample(tone: Tone, i: number, n: number): number {
  if (tone.hz === 0) return 0;
  const t = i / SAMPLE_RATE;
  const phase = 2 * Math.PI * tone.hz * t;
  const raw =
    tone.wave === 'sine'
      ? Math.sin(phase)
      : // the first odd harmonics of a square wave: bright, not harsh
        (Math.sin(phase) + Math.sin(3 * phase) / 3 + Math.sin(5 * phase) / 5) / 1.2;
  let gain: number;
  if (tone.envelope === 'bell') {
    const attack = Math.min(1, i / (0.01 * SAMPLE_RATE));
    gain = attack * Math.exp((-4 * i) / n);
  } else {
    const edge = 0.005 * SAMPLE_RATE;
    gain = Math.min(1, i / edge, (n - 1 - i) / edge);
  }
  return raw * gain * tone.level;
}

/** The PCM samples of a sound, -1..1. */
export function renderSamples(spec: SoundSpec): Float32Array {
  const counts = spec.tones.map((tone) => Math.round((tone.ms / 1000) * SAMPLE_RATE));
  const out = new Float32Array(counts.reduce((a, b) => a + b, 0));
  let at = 0;
  spec.tones.forEach((tone, k) => {
    const n = counts[k]!;
    for (let i = 0; i < n; i++) out[at + i] = sample(tone, i, n);
    at += n;
  });
  return out;
}

/** A RIFF/WAVE file: PCM, 16-bit, mono. */
export function encodeWav(samples: Float32Array, sampleRate = SAMPLE_RATE): Buffer {
  const data = samples.length * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    buf.writeInt16LE(Math.round(s * 32_767), 44 + i * 2);
  }
  return buf;
}

function main(): void {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = resolve(root, 'assets/sounds');
  mkdirSync(dir, { recursive: true });
  for (const spec of SOUNDS) {
    const samples = renderSamples(spec);
    const file = resolve(dir, `${spec.name}.wav`);
    writeFileSync(file, encodeWav(samples));
    console.log(`sounds: ${file} (${Math.round((samples.length / SAMPLE_RATE) * 1000)} ms)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
