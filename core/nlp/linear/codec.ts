// Typed arrays ⇄ base64, always little-endian so a model file means the same on every machine.
export function encodeF32(a: Float32Array): string {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeFloatLE(a[i], i * 4);
  return b.toString('base64');
}

export function decodeF32(s: string, expected: number, what: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  if (b.length !== expected * 4) throw new Error(`model: ${what} has ${b.length / 4} values, expected ${expected}`);
  const a = new Float32Array(expected);
  for (let i = 0; i < expected; i++) a[i] = b.readFloatLE(i * 4);
  return a;
}

export function encodeF64(a: Float64Array): string {
  const b = Buffer.alloc(a.length * 8);
  for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i], i * 8);
  return b.toString('base64');
}

export function decodeF64(s: string, expected: number, what: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  if (b.length !== expected * 8) throw new Error(`model: ${what} has ${b.length / 8} values, expected ${expected}`);
  const a = new Float64Array(expected);
  for (let i = 0; i < expected; i++) a[i] = b.readDoubleLE(i * 8);
  return a;
}

/** int8 quantisation with one scale per column group: value ≈ q * scale. */
export function encodeQ8(a: Float32Array, groups: number): { scales: number[]; data: string } {
  const scales: number[] = [];
  const b = Buffer.alloc(a.length);
  for (let g = 0; g < groups; g++) {
    let max = 0;
    for (let i = g; i < a.length; i += groups) max = Math.max(max, Math.abs(a[i]));
    const scale = max > 0 ? max / 127 : 1;
    scales.push(scale);
    for (let i = g; i < a.length; i += groups) b.writeInt8(Math.round(a[i] / scale), i);
  }
  return { scales, data: b.toString('base64') };
}

export function decodeQ8(q: { scales: number[]; data: string }, expected: number, what: string): Float32Array {
  const b = Buffer.from(q.data, 'base64');
  if (b.length !== expected) throw new Error(`model: ${what} has ${b.length} values, expected ${expected}`);
  const groups = q.scales.length;
  const a = new Float32Array(expected);
  for (let i = 0; i < expected; i++) a[i] = b.readInt8(i) * q.scales[i % groups];
  return a;
}
