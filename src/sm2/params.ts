/**
 * Constants of SM2 on sm2p256v1 and the user-identity hash Z (GB/T 32918.2-2016 §5.5), shared by
 * the public sm2 module, the key exchange and the tests.
 * @module
 */
import type { Sm3Backend } from '../backend/types.js';
import { isBytes } from '../utils.js';

const utf8 = /* @__PURE__ */ new TextEncoder();

/**
 * The default distinguishing identifier of GM/T 0009-2012 §10 (GB/T 35276-2017 §10): the ASCII
 * string "1234567812345678" (ENTL = 0x0080). Used whenever no `id` is given.
 */
export const SM2_DEFAULT_ID = '1234567812345678';

/** The largest ID: ENTL is the bit length in two bytes, so at most 8191 bytes. */
export const SM2_MAX_ID_LENGTH = 8191;

/** The curve constants that enter Z: a, b, xG, yG (32 bytes each, big-endian). */
export interface Sm2ZCurve {
  a: Uint8Array;
  b: Uint8Array;
  gx: Uint8Array;
  gy: Uint8Array;
}

const hex = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.substr(2 * i, 2), 16);
  return out;
};

/** sm2p256v1 (GB/T 32918.5-2017 §4) as it enters Z. */
export const SM2P256V1_Z: Sm2ZCurve = /* @__PURE__ */ (() => ({
  a: hex('fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'),
  b: hex('28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'),
  gx: hex('32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7'),
  gy: hex('bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0'),
}))();

/** Object identifiers (GM/T 0006-2012; RFC 5480). */
export const OID = {
  /** id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1). */
  EC_PUBLIC_KEY: '1.2.840.10045.2.1',
  /** The SM2 curve sm2p256v1 / "SM2", 1.2.156.10197.1.301 (GM/T 0006-2012). */
  SM2: '1.2.156.10197.1.301',
} as const;

/**
 * Checks an SM2 user ID and returns its bytes: strings are UTF-8, bytes are taken as they are,
 * undefined is the default ID.
 * @param id the ID
 * @param name the parameter name for error messages
 * @returns the ID bytes
 * @throws TypeError if it is neither; RangeError if it is longer than 8191 bytes
 * @example idBytes('ALICE123@YAHOO.COM')
 */
export function idBytes(id: unknown, name = 'id'): Uint8Array {
  if (id === undefined) return utf8.encode(SM2_DEFAULT_ID);
  let bytes: Uint8Array;
  if (typeof id === 'string') bytes = utf8.encode(id);
  else if (isBytes(id)) bytes = id;
  else throw new TypeError(`"${name}" must be a string or a Uint8Array, got ${id === null ? 'null' : typeof id}`);
  if (bytes.length > SM2_MAX_ID_LENGTH) {
    throw new RangeError(`"${name}" must be at most ${SM2_MAX_ID_LENGTH} bytes long, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA) (GB/T 32918.2-2016 §5.5), ENTL being
 * the bit length of ID as two big-endian bytes.
 * @param sm3 the SM3 implementation to use
 * @param curve the curve constants
 * @param point the public key, 04 || x || y
 * @param id the user ID bytes (at most 8191)
 * @returns Z, 32 bytes
 * @example zValue(pureSm3, SM2P256V1_Z, point, idBytes(undefined))
 */
export function zValue(sm3: Sm3Backend, curve: Sm2ZCurve, point: Uint8Array, id: Uint8Array): Uint8Array {
  const h = sm3.sm3Create();
  const bits = id.length * 8;
  h.update(Uint8Array.of(bits >>> 8, bits & 0xff));
  h.update(id);
  h.update(curve.a);
  h.update(curve.b);
  h.update(curve.gx);
  h.update(curve.gy);
  h.update(point.subarray(1));
  return h.digest();
}
