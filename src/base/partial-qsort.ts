// Redis's partial quicksort (pqsort.c: Bentley and McIlroy's "Engineering a Sort Function", with a
// range of interest): it sorts an array only as far as needed for positions [lrange, rrange] to hold
// what a full sort would put there. GEORADIUS / GEOSEARCH use it (7.0) when COUNT returns fewer
// members than were found. It is not stable, so members at the same distance come out in the order
// this algorithm leaves them, which is why it is reproduced step for step here (same pivot choice,
// same three-way partition, same insertion sort below 7 elements).
//
// Invariants: after partialQsort(a, cmp, l, r), a[l..r] are the elements a full sort by cmp would
// put there, in order; the swaps, and so the final order of equal elements, are pqsort's.

type Cmp<T> = (x: T, y: T) => number;

function swap<T>(a: T[], i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function vecswap<T>(a: T[], i: number, j: number, n: number): void {
  for (let k = 0; k < n; k++) swap(a, i + k, j + k);
}

function med3<T>(a: T[], i: number, j: number, k: number, cmp: Cmp<T>): number {
  return cmp(a[i], a[j]) < 0
    ? cmp(a[j], a[k]) < 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? k
        : i
    : cmp(a[j], a[k]) > 0
      ? j
      : cmp(a[i], a[k]) < 0
        ? i
        : k;
}

/** Whether the slice [start, start + len) overlaps the range of interest [l, r]. */
const overlaps = (start: number, len: number, l: number, r: number): boolean => !(r < start || l >= start + len);

function sortSlice<T>(a: T[], start: number, n: number, cmp: Cmp<T>, l: number, r: number): void {
  for (;;) {
    if (n < 7) {
      for (let pm = start + 1; pm < start + n; pm++) {
        for (let pl = pm; pl > start && cmp(a[pl - 1], a[pl]) > 0; pl--) swap(a, pl, pl - 1);
      }
      return;
    }
    let pm = start + Math.floor(n / 2);
    if (n > 7) {
      let pl = start;
      let pn = start + n - 1;
      if (n > 40) {
        const d = Math.floor(n / 8);
        pl = med3(a, pl, pl + d, pl + 2 * d, cmp);
        pm = med3(a, pm - d, pm, pm + d, cmp);
        pn = med3(a, pn - 2 * d, pn - d, pn, cmp);
      }
      pm = med3(a, pl, pm, pn, cmp);
    }
    swap(a, start, pm);
    let pa = start + 1;
    let pb = pa;
    let pc = start + n - 1;
    let pd = pc;
    for (;;) {
      let c: number;
      while (pb <= pc && (c = cmp(a[pb], a[start])) <= 0) {
        if (c === 0) swap(a, pa++, pb);
        pb++;
      }
      while (pb <= pc && (c = cmp(a[pc], a[start])) >= 0) {
        if (c === 0) swap(a, pc, pd--);
        pc--;
      }
      if (pb > pc) break;
      swap(a, pb++, pc--);
    }
    const end = start + n;
    let k = Math.min(pa - start, pb - pa);
    vecswap(a, start, pb - k, k);
    k = Math.min(pd - pc, end - pd - 1);
    vecswap(a, pb, end - k, k);
    k = pb - pa;
    if (k > 1 && overlaps(start, k, l, r)) sortSlice(a, start, k, cmp, l, r);
    k = pd - pc;
    if (k > 1) {
      start = end - k;
      n = k;
      if (overlaps(start, n, l, r)) continue;
    }
    return;
  }
}

/** redis: pqsort(a, n, size, cmp, lrange, rrange), in place. */
export function partialQsort<T>(a: T[], cmp: Cmp<T>, lrange: number, rrange: number): void {
  sortSlice(a, 0, a.length, cmp, lrange, rrange);
}
