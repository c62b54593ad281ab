// The RESP framing both loader floors (map-floor.ts, arena-floor.ts) walk: a cursor over a
// well-formed buffer of `*N` records of `$len` bulks, with no checks beyond the marker bytes (the
// input is the benchmark's own file). One class so that both floors pay the same for it.
//
// Invariant: after next(), keyAt/keyLen and valueAt/valueLen locate the record's argv[1] and argv[2]
// in the buffer (0/0 when the record has fewer arguments), and pos is the next record's start.

export class RespFraming {
  pos = 0;
  keyAt = 0;
  keyLen = 0;
  valueAt = 0;
  valueLen = 0;
  constructor(private readonly b: Uint8Array) {}

  /** Whether a record is left. */
  more(): boolean {
    return this.pos < this.b.length;
  }

  /** Steps over one record, noting where its key and value lie. */
  next(): void {
    const argc = this.count();
    this.keyAt = this.keyLen = this.valueAt = this.valueLen = 0;
    for (let j = 0; j < argc; j++) {
      const len = this.count();
      if (j === 1) {
        this.keyAt = this.pos;
        this.keyLen = len;
      } else if (j === 2) {
        this.valueAt = this.pos;
        this.valueLen = len;
      }
      this.pos += len + 2;
    }
  }

  /** "<digits>\r\n" after a '*' or '$' at pos; leaves pos after the CRLF. */
  private count(): number {
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
