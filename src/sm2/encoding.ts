/**
 * SM2 signature and ciphertext encodings.
 *
 * Signatures (GM/T 0009-2012 §7.2): `SEQUENCE { r INTEGER, s INTEGER }` in DER, or raw r || s
 * (64 bytes, each left-padded to 32 — never 63, see tjfoc/gmsm#33).
 *
 * Ciphertexts: C1 || C3 || C2 (GB/T 32918.4-2016 §6.1 A8, the default), C1 || C2 || C3 (the
 * 2010 draft order, still BouncyCastle's default), and GM/T 0009-2012 §7.3
 * `SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING (32), ciphertext OCTET STRING }` in DER,
 * x and y being C1's coordinates (left-padded again to 32 bytes when read). C1 is 04 || x || y;
 * the prefix-less 64-byte C1 of sm-crypto is read and written only when asked for.
 * @module
 */
import { TAG, derChildren, derDecode, derEncode, derExpect, derUnsigned } from '../der.js';
import { GuomiError } from '../errors.js';

/** The two signature encodings. */
export type Sm2SignatureEncoding = 'der' | 'raw';

/** The three ciphertext layouts. */
export type Sm2CiphertextFormat = 'c1c3c2' | 'c1c2c3' | 'der';

/** Left-pads a magnitude of at most 32 bytes to 32 bytes. */
function pad32(m: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(m, 32 - m.length);
  return out;
}

/**
 * DER SEQUENCE { r, s } (GM/T 0009-2012 §7.2) from raw r || s.
 * @param raw r || s, 64 bytes
 * @returns the DER signature (minimal INTEGERs)
 * @example signatureToDer(raw).length // usually 70-72
 */
export function signatureToDer(raw: Uint8Array): Uint8Array {
  return derEncode.sequence(derEncode.integer(raw.subarray(0, 32)), derEncode.integer(raw.subarray(32, 64)));
}

/**
 * Raw r || s from a strict DER signature, or null if it is not exactly one SEQUENCE of two
 * minimal non-negative INTEGERs below 2^256 with nothing after it.
 * @param der the DER signature
 * @returns r || s (64 bytes, each left-padded), or null
 * @example signatureFromDer(der) ?? fail()
 */
export function signatureFromDer(der: Uint8Array): Uint8Array | null {
  try {
    const [r, s] = derChildren(derDecode(der, { maxDepth: 2, maxLength: 256 }), TAG.SEQUENCE, 2);
    const out = new Uint8Array(64);
    out.set(pad32(derUnsigned(r, 32)), 0);
    out.set(pad32(derUnsigned(s, 32)), 32);
    return out;
  } catch {
    return null;
  }
}

/** The pieces of a ciphertext: C1 (65 bytes, 04 || x || y), C3 (32 bytes) and C2. */
export interface CiphertextParts {
  c1: Uint8Array;
  c3: Uint8Array;
  c2: Uint8Array;
}

const decryptFailed = (why: string): GuomiError =>
  new GuomiError('ERR_SM2_DECRYPT_FAILED', `SM2 decryption failed: ${why}`);

/**
 * Writes C1 || C3 || C2 (as the backend returns it) in the requested layout.
 * @param raw C1 (65) || C3 (32) || C2
 * @param format the output layout
 * @param c1Prefix false to drop the 04 of C1 (raw layouts only)
 * @returns the ciphertext in that layout
 * @example formatCiphertext(raw, 'der', true)
 */
export function formatCiphertext(raw: Uint8Array, format: Sm2CiphertextFormat, c1Prefix: boolean): Uint8Array {
  const c1 = raw.subarray(0, 65), c3 = raw.subarray(65, 97), c2 = raw.subarray(97);
  if (format === 'der') {
    return derEncode.sequence(
      derEncode.integer(c1.subarray(1, 33)),
      derEncode.integer(c1.subarray(33, 65)),
      derEncode.octetString(c3),
      derEncode.octetString(c2),
    );
  }
  const head = c1Prefix ? c1 : c1.subarray(1);
  const out = new Uint8Array(head.length + raw.length - 65);
  out.set(head, 0);
  if (format === 'c1c3c2') {
    out.set(c3, head.length);
    out.set(c2, head.length + 32);
  } else {
    out.set(c2, head.length);
    out.set(c3, head.length + c2.length);
  }
  return out;
}

/**
 * Splits a ciphertext into C1, C3 and C2.
 *
 * With `format` undefined the layout is detected: a ciphertext that starts with 0x30 is read as
 * GM/T 0009 DER (a raw one with the 04 prefix never starts with 0x30), anything else as raw
 * C1 || C3 || C2. C1 || C2 || C3 cannot be told apart from C1 || C3 || C2 and must be named.
 * With `c1Prefix` false the input is raw with a 64-byte C1 (C1 || C3 || C2 unless `format`
 * says 'c1c2c3').
 * @param ct the ciphertext
 * @param format the layout, or undefined to detect DER vs C1 || C3 || C2
 * @param c1Prefix whether C1 carries the 04 prefix
 * @returns C1 (65 bytes with 04), C3 and C2
 * @throws GuomiError ERR_SM2_DECRYPT_FAILED when the ciphertext cannot be split
 * @example const { c1, c3, c2 } = parseCiphertext(ct, undefined, true);
 */
export function parseCiphertext(
  ct: Uint8Array,
  format: Sm2CiphertextFormat | undefined,
  c1Prefix: boolean,
): CiphertextParts {
  if (format === 'der' || (format === undefined && c1Prefix && ct[0] === 0x30)) {
    let parts: CiphertextParts;
    try {
      const [x, y, hash, body] = derChildren(derDecode(ct, { maxDepth: 2 }), TAG.SEQUENCE, 4);
      const c1 = new Uint8Array(65);
      c1[0] = 0x04;
      c1.set(pad32(derUnsigned(x, 32)), 1);
      c1.set(pad32(derUnsigned(y, 32)), 33);
      const c3 = derExpect(hash, TAG.OCTET_STRING).content;
      const c2 = derExpect(body, TAG.OCTET_STRING).content;
      parts = { c1, c3, c2 };
    } catch {
      throw decryptFailed(
        format === 'der'
          ? 'the ciphertext is not GM/T 0009 DER'
          : 'the ciphertext starts with 0x30 but is not GM/T 0009 DER (a raw one without the 04 of C1 needs c1Prefix: false)',
      );
    }
    if (parts.c3.length !== 32) throw decryptFailed('C3 is not 32 bytes');
    if (parts.c2.length === 0) throw decryptFailed('C2 is empty');
    return parts;
  }
  let c1: Uint8Array;
  let off: number;
  if (c1Prefix) {
    if (ct[0] !== 0x04) {
      throw decryptFailed(
        ct.length === 0
          ? 'the ciphertext is empty'
          : 'C1 does not start with 04 (for a 64-byte C1 without it, pass c1Prefix: false)',
      );
    }
    c1 = ct.subarray(0, 65);
    off = 65;
  } else {
    c1 = new Uint8Array(65);
    c1[0] = 0x04;
    c1.set(ct.subarray(0, 64), 1);
    off = 64;
  }
  if (ct.length < off + 32 + 1) throw decryptFailed('the ciphertext is too short');
  if ((format ?? 'c1c3c2') === 'c1c3c2') {
    return { c1, c3: ct.subarray(off, off + 32), c2: ct.subarray(off + 32) };
  }
  return { c1, c3: ct.subarray(ct.length - 32), c2: ct.subarray(off, ct.length - 32) };
}
