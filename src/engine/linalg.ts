/** Dense vectors and matrices as plain arrays (matrices are arrays of rows). */
export type Vector = number[];
export type Matrix = number[][];

export function zerosVector(n: number): Vector {
  return new Array<number>(n).fill(0);
}

export function zerosMatrix(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => zerosVector(cols));
}

/** A v */
export function matVec(A: Matrix, v: Vector): Vector {
  return A.map((row) => row.reduce((sum, a, j) => sum + a * v[j], 0));
}

/** A^T v, without building A^T */
export function transposeMatVec(A: Matrix, v: Vector): Vector {
  const out = zerosVector(A[0]?.length ?? 0);
  A.forEach((row, i) => row.forEach((a, j) => (out[j] += a * v[i])));
  return out;
}

/** u v^T */
export function outer(u: Vector, v: Vector): Matrix {
  return u.map((ui) => v.map((vj) => ui * vj));
}

export function addVectors(...vectors: Vector[]): Vector {
  return vectors[0].map((_, i) => vectors.reduce((sum, v) => sum + v[i], 0));
}

export function addMatrices(...matrices: Matrix[]): Matrix {
  return matrices[0].map((row, i) => row.map((_, j) => matrices.reduce((sum, M) => sum + M[i][j], 0)));
}

export function hadamard(u: Vector, v: Vector): Vector {
  return u.map((ui, i) => ui * v[i]);
}

export function scaleVector(v: Vector, s: number): Vector {
  return v.map((x) => x * s);
}

export function transpose(A: Matrix): Matrix {
  return (A[0] ?? []).map((_, j) => A.map((row) => row[j]));
}
