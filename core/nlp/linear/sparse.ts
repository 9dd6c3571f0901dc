// Compressed sparse rows: the training matrix for the linear solvers.
export interface Csr {
  rows: number;
  cols: number;
  rowPtr: Int32Array; // length rows + 1
  colIdx: Int32Array;
  values: Float32Array;
}

export function shuffleInPlace(a: Int32Array, n: number, rand: () => number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
