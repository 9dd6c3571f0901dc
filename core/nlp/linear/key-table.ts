// Open-addressing hash table from 53-bit feature keys (stored exactly in doubles) to int32
// values; far faster than Map for the millions of n-gram lookups a classification batch makes.

const EMPTY = -1;

export class KeyTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  private shift: number;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
  }

  /** Slot index: Fibonacci hashing of the key's low 32 bits (`key >>> 0`) mixed with its high bits. */
  private slot(key: number): number {
    const hi = (key / 4294967296) | 0;
    let i = Math.imul((key >>> 0) ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    while (this.vals[i] !== EMPTY && this.keys[i] !== key) i = (i + 1) & this.mask;
    return i;
  }

  get(key: number): number {
    const i = this.slot(key);
    return this.vals[i]; // EMPTY (-1) when absent
  }

  set(key: number, value: number): void {
    const i = this.slot(key);
    if (this.vals[i] === EMPTY) {
      this.keys[i] = key;
      this.size++;
      this.vals[i] = value;
      if (this.size * 2 > this.mask) this.grow();
    } else {
      this.vals[i] = value;
    }
  }

  /** Adds `delta` to the value (absent counts as 0) and returns the new value. */
  add(key: number, delta: number): number {
    const i = this.slot(key);
    if (this.vals[i] === EMPTY) {
      this.keys[i] = key;
      this.vals[i] = delta;
      this.size++;
      if (this.size * 2 > this.mask) this.grow();
      return delta;
    }
    return (this.vals[i] += delta);
  }

  forEach(fn: (key: number, value: number) => void): void {
    for (let i = 0; i <= this.mask; i++) if (this.vals[i] !== EMPTY) fn(this.keys[i], this.vals[i]);
  }

  private grow(): void {
    const { keys, vals } = this;
    const cap = (this.mask + 1) * 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.shift = 32 - Math.log2(cap);
    for (let i = 0; i < keys.length; i++) {
      if (vals[i] === EMPTY) continue;
      const j = this.slot(keys[i]);
      this.keys[j] = keys[i];
      this.vals[j] = vals[i];
    }
  }
}
