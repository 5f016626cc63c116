/**
 * A small DER (X.690) encoder and reader: just what certificates and CMS signatures need.
 * Encoders return complete TLVs as Buffers so structures read like the ASN.1 they build.
 */

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(content.length), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));

/** SET OF: DER orders the encoded elements (X.690 11.6). */
export const setOf = (...items: Buffer[]): Buffer =>
  tlv(0x31, Buffer.concat([...items].sort(Buffer.compare)));

export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);

export function integer(value: bigint | number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (typeof value === "bigint" || typeof value === "number") {
    let hex = BigInt(value).toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    bytes = Buffer.from(hex, "hex");
  } else {
    bytes = Buffer.from(value);
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1]! & 0x80) === 0) start++;
    bytes = bytes.subarray(start);
  }
  // A positive INTEGER whose top bit is set needs a leading zero byte.
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split(".").map((p) => BigInt(p));
  const [first, second, ...rest] = parts;
  if (first === undefined || second === undefined) throw new Error(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const chunk: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) chunk.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

export const octetString = (data: Uint8Array): Buffer => tlv(0x04, data);
export const bitString = (data: Uint8Array): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), data]));
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, "utf8"));
export const printableString = (text: string): Buffer => tlv(0x13, Buffer.from(text, "ascii"));
export const boolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

/** [n] EXPLICIT: wraps a complete TLV. */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
/** [n] IMPLICIT for a constructed type: re-tags the contents of a SEQUENCE/SET. */
export const implicitConstructed = (n: number, contents: Buffer): Buffer => tlv(0xa0 | n, contents);

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, "").slice(0, 14); // yyyymmddHHMMSS
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, "ascii"));
  return tlv(0x18, Buffer.from(`${iso}Z`, "ascii"));
}

// --- Reading -------------------------------------------------------------------------------------

export interface Node {
  tag: number;
  /** The whole TLV, as found in the input. */
  raw: Buffer;
  content: Buffer;
  /** Offset of the TLV inside the buffer it was read from. */
  offset: number;
}

export function read(buf: Buffer, offset = 0): Node {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new Error("DER: truncated");
  if ((tag & 0x1f) === 0x1f) throw new Error("DER: high tag numbers are not supported");
  let pos = offset + 2;
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) throw new Error("DER: unsupported length");
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = buf[pos++];
      if (b === undefined) throw new Error("DER: truncated");
      length = length * 256 + b;
    }
  }
  const end = pos + length;
  if (end > buf.length) throw new Error("DER: truncated");
  return { tag, raw: buf.subarray(offset, end), content: buf.subarray(pos, end), offset };
}

/** The elements of a constructed value (SEQUENCE, SET, [n] …). */
export function children(node: Node): Node[] {
  const out: Node[] = [];
  for (let pos = 0; pos < node.content.length; ) {
    const child = read(node.content, pos);
    out.push(child);
    pos = child.offset + child.raw.length;
  }
  return out;
}

export function expectTag(node: Node | undefined, tag: number, what: string): Node {
  if (!node || node.tag !== tag) throw new Error(`DER: expected ${what}`);
  return node;
}

export function readOid(node: Node): string {
  expectTag(node, 0x06, "OBJECT IDENTIFIER");
  const arcs: bigint[] = [];
  let value = 0n;
  for (const b of node.content) {
    value = (value << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    }
  }
  const [head, ...rest] = arcs;
  if (head === undefined) throw new Error("DER: empty OID");
  const first = head < 80n ? head / 40n : 2n;
  return [first, head - first * 40n, ...rest].join(".");
}

export function readTime(node: Node): Date {
  const text = node.content.toString("ascii");
  const m = /^(\d{2}|\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m || (node.tag !== 0x17 && node.tag !== 0x18)) throw new Error("DER: expected a UTC time");
  let year = Number(m[1]);
  if (node.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}
