/**
 * Shared pieces of certificate and CSR creation: SM2-with-SM3 signing of a TBS structure,
 * key identifiers and the extensions guomi writes.
 * @module
 */
import { KeyObject, createPublicKey } from 'node:crypto';
import { domainToASCII } from 'node:url';
import { TAG, derBitStringBytes, derEncode, derExpect } from '../der.js';
import { Sm2PrivateKey, Sm2PublicKey, type Sm2PrivateKeyInput, type Sm2PublicKeyInput } from '../sm2.js';
import { sm3 } from '../sm3.js';
import { isBytes } from '../utils.js';
import { decodeDer, sm2WithSm3Algorithm } from './asn1.js';
import {
  KEY_USAGE_FLAGS,
  encodeExtKeyUsage,
  encodeExtension,
  encodeGeneralNames,
  encodeKeyUsage,
  type AltNameInput,
  type KeyUsageFlag,
} from './extensions.js';
import { EXT } from './oids.js';

/** An extra extension to write: its OID, criticality and the DER of its value. */
export interface ExtensionInput {
  /** The extension's OID, dotted. */
  oid: string;
  /** Mark it critical (default false). */
  critical?: boolean;
  /** The DER that goes inside extnValue. */
  value: Uint8Array;
}

/**
 * Runs `fn` with an Sm2PrivateKey object, destroying it afterwards if it was made here.
 * @throws TypeError naming `name` for an input that is not a key
 */
export function withSigningKey<T>(input: unknown, name: string, fn: (key: Sm2PrivateKey) => T): T {
  if (input instanceof Sm2PrivateKey) return fn(input);
  if (typeof input !== 'string' && !isBytes(input) && !(input instanceof KeyObject)) {
    throw new TypeError(`"${name}" must be an Sm2PrivateKey, PEM text, DER bytes or a private KeyObject`);
  }
  const key = Sm2PrivateKey.from(input as Sm2PrivateKeyInput);
  try {
    return fn(key);
  } finally {
    key.destroy();
  }
}

/**
 * The DER SubjectPublicKeyInfo of a subject key: SM2 keys as id-ecPublicKey + sm2 (the form
 * OpenSSL, GmSSL and BC write); other node:crypto public keys as node:crypto exports them.
 * @throws TypeError for an input that is not a key
 */
export function subjectPublicKeyInfo(input: unknown, name: string): Uint8Array {
  if (input instanceof KeyObject && input.asymmetricKeyType !== 'ec') {
    const pub = input.type === 'private' ? createPublicKey(input) : input;
    return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
  }
  if (input instanceof KeyObject && input.asymmetricKeyType === 'ec') {
    // An EC key: SM2 if it is on the SM2 curve, else exported as is.
    try {
      return Sm2PublicKey.from(input).export({ format: 'der' });
    } catch {
      const pub = input.type === 'private' ? createPublicKey(input) : input;
      return new Uint8Array(pub.export({ format: 'der', type: 'spki' }));
    }
  }
  if (!(input instanceof Sm2PublicKey) && !(input instanceof Sm2PrivateKey) && typeof input !== 'string' && !isBytes(input)) {
    throw new TypeError(`"${name}" must be an SM2 public key (key object, PEM, DER or point) or a KeyObject`);
  }
  return Sm2PublicKey.from(input as Sm2PublicKeyInput).export({ format: 'der' });
}

/**
 * A key identifier for a SubjectPublicKeyInfo: the leftmost 160 bits of SM3 over the
 * subjectPublicKey BIT STRING value (RFC 5280 §4.2.1.2 method 1, and RFC 7093 §2 method 1,
 * with SM3 as the hash).
 */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = derBitStringBytes(derExpect(decodeDer(spki), TAG.SEQUENCE).children[1]);
  return sm3(bits).subarray(0, 20);
}

/**
 * Signs a TBS structure with SM2-with-SM3 (ID 1234567812345678 unless `id` is given) and wraps
 * it: SEQUENCE { tbs, AlgorithmIdentifier { 1.2.156.10197.1.501 }, BIT STRING signature }.
 */
export function signStructure(tbs: Uint8Array, key: Sm2PrivateKey, id: string | Uint8Array | undefined): Uint8Array {
  const signature = key.sign(tbs, id === undefined ? {} : { id });
  return derEncode.sequence(tbs, sm2WithSm3Algorithm(), derEncode.bitString(signature));
}

/** DNS names for certificates: IDNA A-labels, keeping a leading "*." wildcard label. */
export function dnsToAscii(name: string): string {
  if (name.startsWith('*.')) {
    const rest = dnsToAscii(name.slice(2));
    return rest ? `*.${rest}` : '';
  }
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name);
}

/** Checks a keyUsage list. */
export function checkKeyUsage(value: unknown): KeyUsageFlag[] {
  if (!Array.isArray(value) || value.length === 0) throw new TypeError('"keyUsage" must be a non-empty array of usage names');
  for (const v of value) {
    if (!(KEY_USAGE_FLAGS as readonly string[]).includes(v as string)) {
      throw new RangeError(`"keyUsage": unknown usage "${String(v)}" (use ${KEY_USAGE_FLAGS.join(', ')})`);
    }
  }
  return value as KeyUsageFlag[];
}

/** Checks an extKeyUsage list. */
export function checkExtKeyUsage(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    throw new TypeError('"extKeyUsage" must be a non-empty array of purpose names or OIDs');
  }
  encodeExtKeyUsage(value as string[]); // validates the names
  return value as string[];
}

/** Checks extra extensions. */
export function checkExtensions(value: unknown): ExtensionInput[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError('"extensions" must be an array of {oid, critical, value}');
  return value.map((e: unknown, i) => {
    const x = e as ExtensionInput;
    if (!x || typeof x !== 'object' || typeof x.oid !== 'string' || !isBytes(x.value)) {
      throw new TypeError(`"extensions[${i}]" must be {oid: string, critical?: boolean, value: Uint8Array}`);
    }
    if (!/^\d+(\.\d+)+$/.test(x.oid)) throw new RangeError(`"extensions[${i}].oid" is not a dotted OID`);
    if (x.critical !== undefined && typeof x.critical !== 'boolean') throw new TypeError(`"extensions[${i}].critical" must be a boolean`);
    return x;
  });
}

/** The common request/certificate extensions, encoded. */
export function commonExtensions(opts: {
  keyUsage?: KeyUsageFlag[];
  extKeyUsage?: string[];
  subjectAltName?: AltNameInput;
  subjectEmpty: boolean;
}): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (opts.keyUsage) out.push(encodeExtension(EXT.KEY_USAGE, true, encodeKeyUsage(opts.keyUsage)));
  if (opts.extKeyUsage) out.push(encodeExtension(EXT.EXT_KEY_USAGE, false, encodeExtKeyUsage(opts.extKeyUsage)));
  if (opts.subjectAltName) {
    if (typeof opts.subjectAltName !== 'object') throw new TypeError('"subjectAltName" must be an object {dns, ip, email, uri}');
    // RFC 5280 §4.2.1.6: critical when the subject is empty.
    out.push(encodeExtension(EXT.SUBJECT_ALT_NAME, opts.subjectEmpty, encodeGeneralNames(opts.subjectAltName, dnsToAscii)));
  }
  return out;
}

/** Extensions ::= SEQUENCE OF Extension, with a duplicate check. */
export function extensionsSequence(encoded: Uint8Array[]): Uint8Array {
  const oids = new Set<string>();
  for (const e of encoded) {
    const oid = derExpect(decodeDer(e), TAG.SEQUENCE).children[0]!.raw;
    const k = Array.from(oid).join(',');
    if (oids.has(k)) throw new RangeError('an extension appears twice (RFC 5280 §4.2)');
    oids.add(k);
  }
  return derEncode.sequence(...encoded);
}

