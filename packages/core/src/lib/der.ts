// Just enough DER to tell key containers apart (SPKI, PKCS#1, PKCS#8) and to wrap a PKCS#1
// RSA public key into SPKI for WebCrypto. Internal.

export interface DerNode {
  tag: number;
  /** offset of the content */
  start: number;
  /** offset after the content */
  end: number;
}

export function readNode(bytes: Uint8Array, offset: number): DerNode | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset]!;
  let len = bytes[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > bytes.length) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > bytes.length) return undefined;
  return { tag, start, end };
}

export function children(bytes: Uint8Array, node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let o = node.start;
  while (o < node.end) {
    const c = readNode(bytes, o);
    if (!c || c.end > node.end) return [];
    out.push(c);
    o = c.end;
  }
  return out;
}

function encodeLength(len: number): number[] {
  if (len < 0x80) return [len];
  const b: number[] = [];
  while (len > 0) {
    b.unshift(len & 0xff);
    len = Math.floor(len / 256);
  }
  return [0x80 | b.length, ...b];
}

export function wrap(tag: number, content: Uint8Array): Uint8Array {
  const head = [tag, ...encodeLength(content.length)];
  const out = new Uint8Array(head.length + content.length);
  out.set(head, 0);
  out.set(content, head.length);
  return out;
}

/** DER of OID 1.2.840.113549.1.1.1 (rsaEncryption) followed by NULL. */
const RSA_ALGORITHM = new Uint8Array([
  0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
]);
export const OID_RSA = '2a864886f70d010101';
export const OID_DSA = '2a8648ce380401';
export const OID_EC = '2a8648ce3d0201';

export function pkcs1ToSpki(pkcs1: Uint8Array): Uint8Array {
  const bitString = new Uint8Array(pkcs1.length + 1);
  bitString.set(pkcs1, 1);
  const inner = new Uint8Array(RSA_ALGORITHM.length + 0);
  inner.set(RSA_ALGORITHM);
  const bs = wrap(0x03, bitString);
  const body = new Uint8Array(inner.length + bs.length);
  body.set(inner, 0);
  body.set(bs, inner.length);
  return wrap(0x30, body);
}

/** PKCS#8 PrivateKeyInfo around a PKCS#1 RSAPrivateKey: version 0, rsaEncryption, the key as OCTET STRING. */
export function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  const version = new Uint8Array([0x02, 0x01, 0x00]);
  const octets = wrap(0x04, pkcs1);
  const body = new Uint8Array(version.length + RSA_ALGORITHM.length + octets.length);
  body.set(version, 0);
  body.set(RSA_ALGORITHM, version.length);
  body.set(octets, version.length + RSA_ALGORITHM.length);
  return wrap(0x30, body);
}

export function hexOf(bytes: Uint8Array, node: DerNode): string {
  let s = '';
  for (let i = node.start; i < node.end; i++) s += bytes[i]!.toString(16).padStart(2, '0');
  return s;
}
