/**
 * mulberry32: a 32-bit seeded PRNG. Small, fast, and its whole state is one
 * integer, so the simulator's state can be saved to the store and resumed
 * exactly after a restart. Math.random is never used: the demo city must be
 * the same city, and the same alert stream, for the same seed.
 */
export class Prng {
  constructor(private state: number) {
    this.state = state >>> 0;
  }

  /** The state to persist; `new Prng(saved)` continues the same sequence. */
  get seed(): number {
    return this.state;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  int(min: number, maxInclusive: number): number {
    return Math.floor(this.range(min, maxInclusive + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Roughly normal (sum of uniforms), cheap and good enough for sensor noise. */
  noise(sd: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * sd;
  }
}

/** A stable 32-bit hash of a string, to derive independent sub-seeds by name. */
export function hashSeed(text: string): number {
  let h = 2_166_136_261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16_777_619);
  }
  return h >>> 0;
}
