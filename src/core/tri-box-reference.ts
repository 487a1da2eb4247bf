/**
 * Test oracle for triangle vs closed-box overlap, deliberately unlike the SAT in tri-box.ts: clip the
 * triangle polygon against the box's 6 closed half-spaces (Sutherland–Hodgman) and report overlap iff
 * something is left. It runs in exact rational arithmetic (BigInt): every float64 is a dyadic
 * rational, so the inputs convert exactly. Float64 clipping would not do as a referee: a clipped
 * vertex such as a + (b − a)·(1/3) is rounded, and exactly the touching cases the tests care about
 * (an edge through a box corner) then fall on either side. Slow; for tests only.
 */

interface Rational {
  /** Numerator. */
  n: bigint;
  /** Denominator, always > 0 and coprime with n. */
  d: bigint;
}

type Point = [Rational, Rational, Rational];

export function triBoxOverlapByClipping(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  c: ArrayLike<number>,
  min: ArrayLike<number>,
  max: ArrayLike<number>,
): boolean {
  // Exact shortcuts on plain float comparisons (which are exact): a vertex inside the closed box, or
  // the triangle's bounding box strictly beside the box on one axis.
  for (const v of [a, b, c]) {
    if (
      v[0] >= min[0] &&
      v[0] <= max[0] &&
      v[1] >= min[1] &&
      v[1] <= max[1] &&
      v[2] >= min[2] &&
      v[2] <= max[2]
    ) {
      return true;
    }
  }
  for (let k = 0; k < 3; k++) {
    if (Math.min(a[k], b[k], c[k]) > max[k] || Math.max(a[k], b[k], c[k]) < min[k]) return false;
  }
  let polygon: Point[] = [toPoint(a), toPoint(b), toPoint(c)];
  for (let k = 0; k < 3 && polygon.length > 0; k++) {
    polygon = clip(polygon, k, fromNumber(min[k]), 1);
    if (polygon.length > 0) polygon = clip(polygon, k, fromNumber(max[k]), -1);
  }
  return polygon.length > 0;
}

/** Keeps the part of the polygon with side·(p[axis] − bound) ≥ 0. */
function clip(polygon: Point[], axis: number, bound: Rational, side: 1 | -1): Point[] {
  const out: Point[] = [];
  const dist = (p: Point): Rational => {
    const s = sub(p[axis], bound);
    return side === 1 ? s : { n: -s.n, d: s.d };
  };
  for (let i = 0; i < polygon.length; i++) {
    const p = polygon[i];
    const q = polygon[(i + 1) % polygon.length];
    const dp = dist(p);
    const dq = dist(q);
    const pIn = dp.n >= 0n;
    const qIn = dq.n >= 0n;
    if (pIn !== qIn) {
      // t = dp / (dp − dq) is in (0, 1] or [0, 1) since the signs differ.
      const t = div(dp, sub(dp, dq));
      out.push([0, 1, 2].map((k) => add(p[k], mul(t, sub(q[k], p[k])))) as Point);
    }
    if (qIn) out.push(q);
  }
  return out;
}

function toPoint(v: ArrayLike<number>): Point {
  return [fromNumber(v[0]), fromNumber(v[1]), fromNumber(v[2])];
}

function fromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new Error(`non-finite coordinate ${x}`);
  let d = 1n;
  let m = x;
  // Doubling a finite float64 is exact until it becomes an integer (at most 1074 steps).
  while (!Number.isInteger(m)) {
    m *= 2;
    d *= 2n;
  }
  return normalize(BigInt(m), d);
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function normalize(n: bigint, d: bigint): Rational {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

function add(a: Rational, b: Rational): Rational {
  return normalize(a.n * b.d + b.n * a.d, a.d * b.d);
}

function sub(a: Rational, b: Rational): Rational {
  return normalize(a.n * b.d - b.n * a.d, a.d * b.d);
}

function mul(a: Rational, b: Rational): Rational {
  return normalize(a.n * b.n, a.d * b.d);
}

function div(a: Rational, b: Rational): Rational {
  return normalize(a.n * b.d, a.d * b.n);
}
