/**
 * Shared ASN.1 pieces of the X.509 module on top of the strict DER reader in ../der.ts: limits,
 * errors, Time (RFC 5280 §4.1.2.5), directory strings and AlgorithmIdentifier (RFC 5280
 * §4.1.1.2).
 * @module
 */
import { TAG, derDecode, derEncode, derExpect, derOid, derTlv, type DerLimits, type DerNode } from '../der.js';
import { GuomiError } from '../errors.js';
import { pemDecodeAll } from '../pem.js';
import { bytesToHex, isBytes } from '../utils.js';
import { SIGNATURE_ALGORITHMS } from './oids.js';

/**
 * Limits for certificates, CSRs and extension values: 1 MiB per element (real certificates are
 * a few KiB) and 24 levels of nesting (a certificate needs about 10).
 */
export const X509_LIMITS: Required<DerLimits> = { maxLength: 1 << 20, maxDepth: 24 };

/** Largest DER or PEM input accepted for one certificate or CSR. */
export const MAX_INPUT = 1 << 20;

/** Throws GuomiError ERR_DECODE with an "X.509: " prefix. */
export function x509Fail(message: string, cause?: unknown): never {
  throw new GuomiError('ERR_DECODE', `X.509: ${message}`, cause === undefined ? undefined : { cause });
}

/** derDecode with the X.509 limits. */
export function decodeDer(bytes: Uint8Array): DerNode {
  return derDecode(bytes, X509_LIMITS);
}

/**
 * Reads one DER object from a PEM string, a DER Uint8Array, or a Uint8Array holding PEM text.
 * @param input the input
 * @param labels the acceptable PEM labels
 * @param name the parameter name for errors
 * @throws TypeError for another type; GuomiError ERR_DECODE for malformed PEM or no block
 */
export function readDerOrPem(input: unknown, labels: readonly string[], name: string): Uint8Array {
  let text: string | undefined;
  if (typeof input === 'string') text = input;
  else if (isBytes(input)) {
    if (input.length > MAX_INPUT * 2) x509Fail('input too long');
    // DER starts with a SEQUENCE; anything else that contains a BEGIN line is PEM text.
    if (input[0] !== 0x30 && hasPemMarker(input)) text = new TextDecoder().decode(input);
    else return input;
  } else {
    throw new TypeError(`"${name}" must be a PEM string or DER bytes (Uint8Array/Buffer)`);
  }
  const blocks = pemDecodeAll(text);
  const block = blocks.find((b) => labels.includes(b.label));
  if (!block) {
    const seen = blocks.map((b) => b.label).join(', ') || 'no PEM block';
    x509Fail(`expected a PEM ${labels.join(' or ')} block, found ${seen}`);
  }
  return block.der;
}

function hasPemMarker(bytes: Uint8Array): boolean {
  const marker = '-----BEGIN ';
  outer: for (let i = 0; i + marker.length <= bytes.length; i++) {
    for (let j = 0; j < marker.length; j++) if (bytes[i + j] !== marker.charCodeAt(j)) continue outer;
    return true;
  }
  return false;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Time ::= UTCTime | GeneralizedTime (RFC 5280 §4.1.2.5). UTCTime years 50–99 are 19xx, 00–49
 * are 20xx. The DER forms end in Z and carry seconds; a UTCTime without seconds and fractional
 * seconds in a GeneralizedTime are also read, as OpenSSL does.
 * @throws GuomiError ERR_DECODE for anything else
 */
export function decodeTime(node: DerNode | undefined): Date {
  if (!node || (node.tag !== TAG.UTC_TIME && node.tag !== TAG.GENERALIZED_TIME)) x509Fail('expected a UTCTime or GeneralizedTime');
  const text = latin1(node.content);
  const m =
    node.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
      : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (!m) x509Fail(`bad time "${text.slice(0, 32)}"`);
  let year = Number(m[1]);
  if (node.tag === TAG.UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (
    month < 1 || month > 12 ||
    day < 1 || day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !leap) ||
    hour > 23 || minute > 59 || second > 59
  ) {
    x509Fail(`bad time "${text}"`);
  }
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date;
}

/**
 * Time for a certificate: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5),
 * whole seconds, Z.
 */
export function encodeTime(date: Date): Uint8Array {
  const y = date.getUTCFullYear();
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const rest = `${p2(date.getUTCMonth() + 1)}${p2(date.getUTCDate())}${p2(date.getUTCHours())}${p2(date.getUTCMinutes())}${p2(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y <= 2049) return derTlv(TAG.UTC_TIME, ascii(`${p2(y % 100)}${rest}`));
  return derTlv(TAG.GENERALIZED_TIME, ascii(`${String(y).padStart(4, '0')}${rest}`));
}

/** Bytes of an ASCII string. */
export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** Each byte as one character (ISO 8859-1), as OpenSSL reads 1-byte string types. */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]!);
  return out;
}

const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8');

/** String tags of directory strings and the IA5String of GeneralName. */
export const STRING_TAG = {
  UTF8: 0x0c,
  NUMERIC: 0x12,
  PRINTABLE: 0x13,
  TELETEX: 0x14,
  IA5: 0x16,
  VISIBLE: 0x1a,
  UNIVERSAL: 0x1c,
  BMP: 0x1e,
} as const;

/**
 * The text of a string element: UTF8String as UTF-8, BMPString as UTF-16BE, UniversalString as
 * UTF-32BE, the 1-byte types (Printable, IA5, Teletex, Numeric, Visible) as ISO 8859-1 like
 * OpenSSL. Returns undefined for other tags.
 * @throws GuomiError ERR_DECODE for a BMP/Universal string of the wrong length
 */
export function decodeString(node: DerNode): string | undefined {
  const c = node.content;
  switch (node.tag) {
    case STRING_TAG.UTF8:
      return utf8Decoder.decode(c);
    case STRING_TAG.NUMERIC:
    case STRING_TAG.PRINTABLE:
    case STRING_TAG.TELETEX:
    case STRING_TAG.IA5:
    case STRING_TAG.VISIBLE:
      return latin1(c);
    case STRING_TAG.BMP: {
      if (c.length % 2 !== 0) x509Fail('BMPString of odd length');
      let out = '';
      for (let i = 0; i < c.length; i += 2) out += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
      return out;
    }
    case STRING_TAG.UNIVERSAL: {
      if (c.length % 4 !== 0) x509Fail('UniversalString length is not a multiple of 4');
      let out = '';
      for (let i = 0; i < c.length; i += 4) {
        const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0;
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2). */
export interface AlgorithmIdentifier {
  /** The algorithm OID, dotted. */
  readonly oid: string;
  /** A display name (OpenSSL's long name where known), or the OID. */
  readonly name: string;
  /** The DER of the parameters, or undefined when they are absent (NULL gives `05 00`). */
  readonly parameters: Uint8Array | undefined;
  /** The DER of the whole AlgorithmIdentifier, as it appears in the certificate. */
  readonly der: Uint8Array;
}

/** Reads an AlgorithmIdentifier. */
export function parseAlgorithm(node: DerNode | undefined, names: Readonly<Record<string, unknown>> = {}): AlgorithmIdentifier {
  const seq = derExpect(node, TAG.SEQUENCE);
  if (seq.children.length < 1 || seq.children.length > 2) x509Fail('AlgorithmIdentifier must have 1 or 2 elements');
  const oid = derOid(seq.children[0]);
  const known = SIGNATURE_ALGORITHMS[oid]?.[0] ?? names[oid];
  return {
    oid,
    name: typeof known === 'string' ? known : oid,
    parameters: seq.children[1]?.raw,
    der: seq.raw,
  };
}

/** DER AlgorithmIdentifier for SM2-with-SM3 with absent parameters (GM/T 0006; OpenSSL, GmSSL, BC). */
export function sm2WithSm3Algorithm(): Uint8Array {
  return derEncode.sequence(derEncode.oid('1.2.156.10197.1.501'));
}

/** Lower-case hex of an INTEGER's content without the sign-padding 00 (OpenSSL's serial form). */
export function integerHex(node: DerNode): string {
  const c = derExpect(node, TAG.INTEGER).content;
  const start = c.length > 1 && c[0] === 0 ? 1 : 0;
  return bytesToHex(c.subarray(start));
}
