// The RESP framing both loader floors (map-floor.ts, arena-floor.ts) walk: a cursor over a
// well-formed buffer of `*N` records of `$len` bulks, with no checks beyond the marker byte (the
// input is the benchmark's own file). One class so that both floors pay the same for it.

export class RespFraming {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}

  /** "<digits>\r\n" after a '*' or '$' at pos; leaves pos after the CRLF. */
  count(): number {
    const b = this.b;
    let pos = this.pos;
    if (b[pos] !== 0x2a && b[pos] !== 0x24) throw new Error(`loader floor: not RESP at ${pos}`);
    pos++;
    let v = 0;
    for (let c = b[pos]; c !== 0x0d; c = b[++pos]) v = v * 10 + (c - 0x30);
    this.pos = pos + 2;
    return v;
  }
}
