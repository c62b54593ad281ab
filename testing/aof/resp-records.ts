// Test support: the argv of every RESP record in a plain AOF fragment (no RDB preamble, whole
// records only), as latin1 strings, in file order. For tests that compare the records a server
// wrote with what aofsim propagated; the real loader (src/resp, src/aof/loader) is not used here
// on purpose, so a loader bug cannot hide in both sides of a comparison.

/** The records of `data` (latin1 text of AOF bytes) as argv lists. */
export function respRecords(data: string): string[][] {
  return respRecordsWithEnds(data).map((r) => r.argv);
}

/** The records of `data` with the offset just past each one (where a cut leaves whole records). */
export function respRecordsWithEnds(data: string): { argv: string[]; end: number }[] {
  const out: { argv: string[]; end: number }[] = [];
  let i = 0;
  const line = (): string => {
    const e = data.indexOf('\r\n', i);
    const l = data.slice(i, e);
    i = e + 2;
    return l;
  };
  while (i < data.length) {
    const n = Number(line().slice(1));
    const argv: string[] = [];
    for (let k = 0; k < n; k++) {
      const len = Number(line().slice(1));
      argv.push(data.slice(i, i + len));
      i += len + 2;
    }
    out.push({ argv, end: i });
  }
  return out;
}
