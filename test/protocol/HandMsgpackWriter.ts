/**
 * A msgpack writer written from bridge/PROTOCOL.md alone, without msgpackr: it stands in for a game
 * client in another engine, so the tests prove that the documented bytes are what we decode.
 */
export class HandMsgpackWriter {
  private bytes: number[] = [];

  /** `uint8AsBin` writes Uint8Array as msgpack bin (what msgpackr does in browsers) instead of ext 0x74 code 1. */
  constructor(private readonly uint8AsBin = false) {}

  /** Encodes one value into a frame. */
  static encode(value: unknown, uint8AsBin = false): Uint8Array {
    const w = new HandMsgpackWriter(uint8AsBin);
    w.write(value);
    return Uint8Array.from(w.bytes);
  }

  private write(v: unknown): void {
    if (v === null || v === undefined) this.bytes.push(0xc0);
    else if (v === true) this.bytes.push(0xc3);
    else if (v === false) this.bytes.push(0xc2);
    else if (typeof v === 'number') this.number(v);
    else if (typeof v === 'string') this.string(v);
    else if (Array.isArray(v)) {
      this.header(v.length, 0x90, 15, 0xdc, 0xdd);
      v.forEach((x) => this.write(x));
    } else if (v instanceof Float32Array) this.typed(7, v, 4, (view, i, x) => view.setFloat32(i, x, true));
    else if (v instanceof Int32Array) this.typed(5, v, 4, (view, i, x) => view.setInt32(i, x, true));
    else if (v instanceof Uint8Array) {
      if (this.uint8AsBin) {
        this.bigEndianHeader(v.length, [0xc4, 0xc5, 0xc6]);
        this.append(v);
      } else this.typed(1, v, 1, (view, i, x) => view.setUint8(i, x));
    } else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      this.header(entries.length, 0x80, 15, 0xde, 0xdf);
      for (const [k, x] of entries) {
        this.string(k);
        this.write(x);
      }
    } else throw new Error(`HandMsgpackWriter: cannot write ${typeof v}`);
  }

  private number(v: number): void {
    if (Number.isInteger(v) && v >= 0 && v < 128) this.bytes.push(v);
    else if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
      this.bytes.push(0xd2);
      this.be(v >>> 0, 4);
    } else {
      const b = new DataView(new ArrayBuffer(8));
      b.setFloat64(0, v);
      this.bytes.push(0xcb);
      this.append(new Uint8Array(b.buffer));
    }
  }

  private string(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    if (utf8.length < 32) this.bytes.push(0xa0 | utf8.length);
    else this.bigEndianHeader(utf8.length, [0xd9, 0xda, 0xdb]);
    this.append(utf8);
  }

  // ext 0x74: the payload is one type-code byte followed by the array's little-endian bytes.
  private typed<T extends ArrayLike<number>>(code: number, a: T, width: number, put: (v: DataView, at: number, x: number) => void): void {
    const payload = 1 + a.length * width;
    this.bigEndianHeader(payload, [0xc7, 0xc8, 0xc9]);
    this.bytes.push(0x74, code);
    const data = new DataView(new ArrayBuffer(a.length * width));
    for (let i = 0; i < a.length; i++) put(data, i * width, a[i]!);
    this.append(new Uint8Array(data.buffer));
  }

  private header(n: number, fix: number, fixMax: number, c16: number, c32: number): void {
    if (n <= fixMax) this.bytes.push(fix | n);
    else if (n < 0x10000) {
      this.bytes.push(c16);
      this.be(n, 2);
    } else {
      this.bytes.push(c32);
      this.be(n, 4);
    }
  }

  /** 8-, 16- or 32-bit length after one of three codes (bin, str and ext share this shape). */
  private bigEndianHeader(n: number, codes: [number, number, number]): void {
    if (n < 0x100) this.bytes.push(codes[0], n);
    else if (n < 0x10000) {
      this.bytes.push(codes[1]);
      this.be(n, 2);
    } else {
      this.bytes.push(codes[2]);
      this.be(n, 4);
    }
  }

  private append(a: Uint8Array): void {
    for (let i = 0; i < a.length; i++) this.bytes.push(a[i]!);
  }

  private be(v: number, width: number): void {
    for (let k = width - 1; k >= 0; k--) this.bytes.push(Math.floor(v / 2 ** (8 * k)) & 0xff);
  }
}
