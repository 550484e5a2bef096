/**
 * SM2 key containers in DER: SubjectPublicKeyInfo (RFC 5280 §4.1.2.7 with RFC 5480), PKCS#8
 * PrivateKeyInfo / OneAsymmetricKey (RFC 5208, RFC 5958) and SEC 1 / RFC 5915 ECPrivateKey.
 *
 * Written as OpenSSL 3 writes them: AlgorithmIdentifier { id-ecPublicKey, namedCurve sm2 }; the
 * PKCS#8 ECPrivateKey without [0] (the curve is in the AlgorithmIdentifier) but with [1]; the
 * SEC 1 key with both. Read in every form seen in practice: the algorithm as id-ecPublicKey with
 * the sm2 curve, or as the sm2 OID itself (some OpenSSL 3.x, Tongsuo, GmSSL; parameters absent,
 * NULL or the sm2 OID again); [0] and [1] present or absent; a private key of up to 32 bytes
 * (shorter ones left-padded, as some encoders drop leading zeros).
 * @module
 */
import {
  TAG,
  derBitStringBytes,
  derChildren,
  derDecode,
  derEncode,
  derExpect,
  derOid,
  derSmallInteger,
  type DerNode,
} from '../der.js';
import { GuomiError } from '../errors.js';
import { OID } from './params.js';

function unsupported(message: string): never {
  throw new GuomiError('ERR_UNSUPPORTED', message);
}

function decodeError(message: string): never {
  throw new GuomiError('ERR_DECODE', message);
}

/** Checks an AlgorithmIdentifier names an SM2 key. */
function checkAlgorithm(node: DerNode | undefined): void {
  const [alg, params] = derChildren(derExpect(node, TAG.SEQUENCE), TAG.SEQUENCE, [1, 2]);
  const algorithm = derOid(alg);
  if (algorithm === OID.EC_PUBLIC_KEY) {
    if (!params || params.tag !== TAG.OID) {
      unsupported('EC keys with explicit or implicit curve parameters are not supported');
    }
    const curve = derOid(params);
    if (curve !== OID.SM2) unsupported(`not an SM2 key: the curve is ${curve}, not ${OID.SM2}`);
    return;
  }
  if (algorithm === OID.SM2) {
    if (params && params.tag !== TAG.NULL && !(params.tag === TAG.OID && derOid(params) === OID.SM2)) {
      decodeError('unexpected parameters for the sm2 algorithm');
    }
    return;
  }
  unsupported(`not an SM2 key: algorithm ${algorithm}`);
}

const ALGORITHM = /* @__PURE__ */ (() =>
  derEncode.sequence(derEncode.oid(OID.EC_PUBLIC_KEY), derEncode.oid(OID.SM2)))();

/**
 * The public point inside a DER SubjectPublicKeyInfo.
 * @param der the SubjectPublicKeyInfo
 * @returns the encoded point (not yet validated)
 * @throws GuomiError ERR_DECODE if malformed; ERR_UNSUPPORTED for a key that is not SM2
 * @example parseSpki(der) // 04 || x || y
 */
export function parseSpki(der: Uint8Array): Uint8Array {
  const [alg, key] = derChildren(derDecode(der), TAG.SEQUENCE, 2);
  checkAlgorithm(alg);
  return derBitStringBytes(key);
}

/**
 * DER SubjectPublicKeyInfo { id-ecPublicKey + sm2, point } for a point (65 or 33 bytes).
 * @param point the encoded point
 * @returns the DER (91 bytes for an uncompressed point)
 * @example encodeSpki(point).length // 91
 */
export function encodeSpki(point: Uint8Array): Uint8Array {
  return derEncode.sequence(ALGORITHM, derEncode.bitString(point));
}

/** A private key read from a container: d (32 bytes) and the public point if one was stored. */
export interface ParsedPrivateKey {
  d: Uint8Array;
  publicKey?: Uint8Array;
}

/** ECPrivateKey (RFC 5915 §3) from its decoded SEQUENCE. */
function parseEcPrivateKey(node: DerNode): ParsedPrivateKey {
  const items = derChildren(node, TAG.SEQUENCE, [2, 4]);
  if (derSmallInteger(items[0]) !== 1) decodeError('ECPrivateKey version must be 1');
  const key = derExpect(items[1], TAG.OCTET_STRING).content;
  // Leading zero bytes beyond 32 are tolerated; a longer value is not a 256-bit scalar.
  let start = 0;
  while (key.length - start > 32 && key[start] === 0) start++;
  if (key.length - start > 32 || key.length === 0) decodeError('the private key is not a 256-bit value');
  const d = new Uint8Array(32);
  d.set(key.subarray(start), 32 - (key.length - start));
  const out: ParsedPrivateKey = { d };
  for (const item of items.slice(2)) {
    if (item.tag === TAG.CONTEXT_0) {
      const [params] = derChildren(item, TAG.CONTEXT_0, 1);
      if (params!.tag !== TAG.OID) unsupported('EC keys with explicit curve parameters are not supported');
      const curve = derOid(params);
      if (curve !== OID.SM2) unsupported(`not an SM2 key: the curve is ${curve}`);
    } else if (item.tag === TAG.CONTEXT_1) {
      const [pub] = derChildren(item, TAG.CONTEXT_1, 1);
      out.publicKey = derBitStringBytes(pub);
    } else {
      decodeError(`unexpected element 0x${item.tag.toString(16)} in ECPrivateKey`);
    }
  }
  return out;
}

/**
 * A private key from DER: PKCS#8 (when `type` is 'pkcs8' or undefined and the structure is
 * PKCS#8) or SEC 1 ECPrivateKey.
 * @param der the DER
 * @param type force 'pkcs8' or 'sec1'; recognised from the structure when undefined
 * @returns d (32 bytes) and the stored public point, if any
 * @throws GuomiError ERR_DECODE if malformed; ERR_UNSUPPORTED for a key that is not SM2
 * @example parsePrivateKeyDer(der).d
 */
export function parsePrivateKeyDer(der: Uint8Array, type?: 'pkcs8' | 'sec1'): ParsedPrivateKey {
  const top = derDecode(der);
  const items = derChildren(top, TAG.SEQUENCE);
  const looksPkcs8 = items[1]?.tag === TAG.SEQUENCE;
  if (type === 'sec1' || (type === undefined && !looksPkcs8)) return parseEcPrivateKey(top);
  // PrivateKeyInfo { version 0 | 1, AlgorithmIdentifier, OCTET STRING, [0] attributes, [1] pub }
  derChildren(top, TAG.SEQUENCE, [3, 5]);
  const version = derSmallInteger(items[0]);
  if (version !== 0 && version !== 1) decodeError('PKCS#8 version must be 0 or 1');
  checkAlgorithm(items[1]);
  const inner = derExpect(items[2], TAG.OCTET_STRING).content;
  return parseEcPrivateKey(derDecode(inner));
}

/**
 * DER SEC 1 ECPrivateKey { 1, d, [0] sm2, [1] point } (the form of `openssl ec`).
 * @param d the private key, 32 bytes
 * @param point the public point, 65 bytes
 * @returns the DER (121 bytes)
 * @example encodeSec1(d, point)
 */
export function encodeSec1(d: Uint8Array, point: Uint8Array): Uint8Array {
  return derEncode.sequence(
    derEncode.smallInteger(1),
    derEncode.octetString(d),
    derEncode.context(0, derEncode.oid(OID.SM2)),
    derEncode.context(1, derEncode.bitString(point)),
  );
}

/**
 * DER PKCS#8 PrivateKeyInfo with ECPrivateKey { 1, d, [1] point } (OpenSSL 3's 138 bytes).
 * @param d the private key, 32 bytes
 * @param point the public point, 65 bytes
 * @returns the DER
 * @example encodePkcs8(d, point).length // 138
 */
export function encodePkcs8(d: Uint8Array, point: Uint8Array): Uint8Array {
  const inner = derEncode.sequence(
    derEncode.smallInteger(1),
    derEncode.octetString(d),
    derEncode.context(1, derEncode.bitString(point)),
  );
  return derEncode.sequence(derEncode.smallInteger(0), ALGORITHM, derEncode.octetString(inner));
}
