/**
 * A small, strict DER (ITU-T X.690 §10) reader and writer for the structures guomi needs: SM2
 * signatures and ciphertexts (GM/T 0009-2012 §7), keys (RFC 5280 SubjectPublicKeyInfo, RFC 5208
 * PKCS#8, RFC 5915 / SEC 1 ECPrivateKey) and, later, certificates.
 *
 * The reader accepts only DER: single-byte tags (no high tag numbers), definite lengths in the
 * shortest form (X.690 §10.1), INTEGERs in their minimal two's-complement form (§8.3.2), BOOLEAN
 * 00/FF, BIT STRINGs with 0–7 unused bits (zero when empty), NULL with no content, OIDs without
 * padding bytes. Lengths are capped (16 MiB by default) and nesting is bounded (32 levels by
 * default), so malformed or hostile input gives a {@link GuomiError} with code ERR_DECODE —
 * never a crash, a hang or deep recursion.
 *
 * ```ts
 * const seq = derDecode(bytes);                       // the whole input must be one element
 * const [r, s] = derChildren(seq, TAG.SEQUENCE, 2);   // exactly two children
 * derUnsigned(r);                                     // magnitude bytes of a non-negative INTEGER
 * derEncode.sequence(derEncode.integer(rBytes), derEncode.integer(sBytes));
 * ```
 * @module
 */
import { GuomiError } from './errors.js';

/** Universal tags (X.680 §8.4) and the context-specific constructed tags [0]–[3]. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
  CONTEXT_1: 0xa1,
  CONTEXT_2: 0xa2,
  CONTEXT_3: 0xa3,
} as const;

/** One decoded element. */
export interface DerNode {
  /** The identifier octet. */
  readonly tag: number;
  /** Whether the constructed bit (0x20) is set. */
  readonly constructed: boolean;
  /** The contents octets (a view into the input). */
  readonly content: Uint8Array;
  /** The whole element, identifier and length included (a view into the input). */
  readonly raw: Uint8Array;
  /** The child elements of a constructed element (empty for a primitive one). */
  readonly children: readonly DerNode[];
}

/** Limits for {@link derDecode}. */
export interface DerLimits {
  /** Largest length accepted for any element (default 16 MiB). */
  maxLength?: number;
  /** Deepest nesting accepted (default 32). */
  maxDepth?: number;
}

const DEFAULT_MAX_LENGTH = 1 << 24;
const DEFAULT_MAX_DEPTH = 32;

function fail(message: string): never {
  throw new GuomiError('ERR_DECODE', `DER: ${message}`);
}

/** Reads one element at `offset`; returns it and the offset after it. */
function readElement(
  input: Uint8Array,
  offset: number,
  end: number,
  depth: number,
  maxLength: number,
  maxDepth: number,
): [DerNode, number] {
  if (depth > maxDepth) fail(`nesting deeper than ${maxDepth}`);
  if (offset + 2 > end) fail('truncated element header');
  const tag = input[offset]!;
  if ((tag & 0x1f) === 0x1f) fail('high tag numbers are not supported');
  let pos = offset + 1;
  const first = input[pos++]!;
  let length: number;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    // 0x80 is the indefinite form (BER only); more than 4 length bytes exceeds every limit here.
    if (count === 0) fail('indefinite length is not DER');
    if (count > 4) fail('length too large');
    if (pos + count > end) fail('truncated length');
    if (input[pos] === 0) fail('length not in its shortest form');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + input[pos++]!;
    if (length < 0x80) fail('length not in its shortest form');
  }
  if (length > maxLength) fail(`element longer than ${maxLength} bytes`);
  if (length > end - pos) fail('truncated contents');
  const content = input.subarray(pos, pos + length);
  const constructed = (tag & 0x20) !== 0;
  const children: DerNode[] = [];
  if (constructed) {
    let child = pos;
    while (child < pos + length) {
      const [node, next] = readElement(input, child, pos + length, depth + 1, maxLength, maxDepth);
      children.push(node);
      child = next;
    }
  } else {
    checkPrimitive(tag, content);
  }
  const node: DerNode = { tag, constructed, content, raw: input.subarray(offset, pos + length), children };
  return [node, pos + length];
}

/** The DER rules for the contents of the primitive universal types this module knows. */
function checkPrimitive(tag: number, content: Uint8Array): void {
  switch (tag) {
    case TAG.BOOLEAN:
      if (content.length !== 1 || (content[0] !== 0 && content[0] !== 0xff)) fail('bad BOOLEAN');
      break;
    case TAG.INTEGER:
      if (content.length === 0) fail('empty INTEGER');
      if (
        content.length > 1 &&
        ((content[0] === 0x00 && content[1]! < 0x80) || (content[0] === 0xff && content[1]! >= 0x80))
      ) {
        fail('INTEGER not in its minimal encoding');
      }
      break;
    case TAG.BIT_STRING:
      if (content.length === 0 || content[0]! > 7 || (content.length === 1 && content[0] !== 0)) {
        fail('bad BIT STRING');
      }
      if (content.length > 1 && (content[content.length - 1]! & ((1 << content[0]!) - 1)) !== 0) {
        fail('BIT STRING unused bits are not zero');
      }
      break;
    case TAG.NULL:
      if (content.length !== 0) fail('NULL with contents');
      break;
    case TAG.OID:
      if (content.length === 0 || (content[content.length - 1]! & 0x80) !== 0) fail('bad OBJECT IDENTIFIER');
      for (let i = 0; i < content.length; i++) {
        if (content[i] === 0x80 && (i === 0 || (content[i - 1]! & 0x80) === 0)) {
          fail('OBJECT IDENTIFIER subidentifier not in its shortest form');
        }
      }
      break;
    default:
      break;
  }
}

/**
 * Decodes `input`, which must be exactly one DER element (no trailing bytes).
 * @param input the DER bytes
 * @param limits optional length and depth limits
 * @returns the element, with its children decoded
 * @throws GuomiError ERR_DECODE if the input is not valid DER within the limits
 * @example derDecode(Uint8Array.of(0x05, 0x00)).tag // 5 (NULL)
 */
export function derDecode(input: Uint8Array, limits: DerLimits = {}): DerNode {
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  const [node, end] = readElement(input, 0, input.length, 1, maxLength, maxDepth);
  if (end !== input.length) fail(`${input.length - end} trailing byte(s)`);
  return node;
}

/**
 * Checks that `node` has tag `tag` and returns its children, optionally checking their number.
 * @param node a decoded element
 * @param tag the expected tag (e.g. TAG.SEQUENCE)
 * @param count the exact number of children expected, or [min, max]
 * @returns the children
 * @throws GuomiError ERR_DECODE on a mismatch
 * @example const [alg, key] = derChildren(spki, TAG.SEQUENCE, 2);
 */
export function derChildren(
  node: DerNode,
  tag: number,
  count?: number | [number, number],
): readonly DerNode[] {
  derExpect(node, tag);
  if (count !== undefined) {
    const [min, max] = typeof count === 'number' ? [count, count] : count;
    if (node.children.length < min || node.children.length > max) {
      fail(`expected ${min === max ? min : `${min} to ${max}`} elements, got ${node.children.length}`);
    }
  }
  return node.children;
}

/**
 * Checks the tag of an element.
 * @param node the element (undefined when missing)
 * @param tag the expected tag
 * @returns the element
 * @throws GuomiError ERR_DECODE when it differs or is missing
 * @example derExpect(node, TAG.OCTET_STRING)
 */
export function derExpect(node: DerNode | undefined, tag: number): DerNode {
  if (!node) fail(`missing element (tag 0x${tag.toString(16)})`);
  if (node.tag !== tag) fail(`expected tag 0x${tag.toString(16)}, got 0x${node.tag.toString(16)}`);
  return node;
}

/**
 * The magnitude of a non-negative INTEGER, without leading zero bytes (empty for zero).
 * @param node an INTEGER element (minimal encoding already checked by derDecode)
 * @param maxBytes the largest magnitude accepted, in bytes
 * @throws GuomiError ERR_DECODE if it is not an INTEGER, is negative or is too large
 * @example derUnsigned(derDecode(Uint8Array.of(2, 2, 0, 0x80))) // Uint8Array [0x80]
 */
export function derUnsigned(node: DerNode | undefined, maxBytes = Infinity): Uint8Array {
  const c = derExpect(node, TAG.INTEGER).content;
  if ((c[0]! & 0x80) !== 0) fail('negative INTEGER');
  let start = 0;
  while (start < c.length && c[start] === 0) start++;
  const out = c.subarray(start);
  if (out.length > maxBytes) fail(`INTEGER larger than ${maxBytes} bytes`);
  return out;
}

/**
 * A small non-negative INTEGER (up to 2^48) as a number.
 * @param node an INTEGER element
 * @returns its value
 * @throws GuomiError ERR_DECODE if it is not one
 * @example derSmallInteger(version) // 0
 */
export function derSmallInteger(node: DerNode | undefined): number {
  const m = derUnsigned(node, 6);
  let v = 0;
  for (let i = 0; i < m.length; i++) v = v * 256 + m[i]!;
  return v;
}

/**
 * The dotted form of an OBJECT IDENTIFIER, e.g. "1.2.156.10197.1.301".
 * @param node an OID element
 * @returns the dotted form
 * @throws GuomiError ERR_DECODE if it is not an OID
 * @example derOid(node) === OID.SM2
 */
export function derOid(node: DerNode | undefined): string {
  const c = derExpect(node, TAG.OID).content;
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < c.length; i++) {
    value = value * 128 + (c[i]! & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) fail('OBJECT IDENTIFIER arc too large');
    if ((c[i]! & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - 40 * first);
      } else {
        arcs.push(value);
      }
      value = 0;
    }
  }
  return arcs.join('.');
}

/**
 * The bytes of a BIT STRING whose length is a whole number of bytes (unused bits = 0), as keys
 * and signatures are.
 * @param node a BIT STRING element
 * @returns the bytes after the unused-bits octet
 * @throws GuomiError ERR_DECODE otherwise
 * @example derBitStringBytes(spkiKeyNode) // 04 || x || y
 */
export function derBitStringBytes(node: DerNode | undefined): Uint8Array {
  const c = derExpect(node, TAG.BIT_STRING).content;
  if (c[0] !== 0) fail('BIT STRING is not a whole number of bytes');
  return c.subarray(1);
}

// --- writer ---

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/**
 * One element from its tag and contents.
 * @param tag the identifier octet
 * @param content the contents octets
 * @returns the encoded element
 * @example derTlv(TAG.OCTET_STRING, key)
 */
export function derTlv(tag: number, content: Uint8Array): Uint8Array {
  const len = encodeLength(content.length);
  const out = new Uint8Array(1 + len.length + content.length);
  out[0] = tag;
  out.set(len, 1);
  out.set(content, 1 + len.length);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID "${dotted}"`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) {
    throw new RangeError(`bad OID "${dotted}"`);
  }
  const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
  const out: number[] = [];
  for (const v of values) {
    const groups: number[] = [v % 128];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x % 128) | 0x80);
    out.push(...groups);
  }
  return Uint8Array.from(out);
}

/**
 * DER writers. Each returns the complete encoded element.
 * @example derEncode.sequence(derEncode.integer(r), derEncode.integer(s))
 */
export const derEncode = {
  /** SEQUENCE of already-encoded elements. */
  sequence: (...items: Uint8Array[]): Uint8Array => derTlv(TAG.SEQUENCE, concat(items)),
  /** INTEGER from the big-endian magnitude of a non-negative value (leading zeros removed, a 00 added when needed). */
  integer(magnitude: Uint8Array): Uint8Array {
    let start = 0;
    while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
    const m = magnitude.length === 0 ? Uint8Array.of(0) : magnitude.subarray(start);
    return derTlv(TAG.INTEGER, (m[0]! & 0x80) !== 0 ? concat([Uint8Array.of(0), m]) : m);
  },
  /** INTEGER from a small non-negative number. */
  smallInteger(value: number): Uint8Array {
    const bytes: number[] = [];
    for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    return derEncode.integer(Uint8Array.from(bytes));
  },
  /** OCTET STRING. */
  octetString: (bytes: Uint8Array): Uint8Array => derTlv(TAG.OCTET_STRING, bytes),
  /** BIT STRING of whole bytes (unused bits 0). */
  bitString: (bytes: Uint8Array): Uint8Array => derTlv(TAG.BIT_STRING, concat([Uint8Array.of(0), bytes])),
  /** OBJECT IDENTIFIER from its dotted form. */
  oid: (dotted: string): Uint8Array => derTlv(TAG.OID, encodeOid(dotted)),
  /** NULL. */
  null: (): Uint8Array => Uint8Array.of(TAG.NULL, 0),
  /** A constructed context-specific element [n] (explicit tagging) around encoded elements. */
  context: (n: number, ...items: Uint8Array[]): Uint8Array => derTlv(0xa0 | n, concat(items)),
};
