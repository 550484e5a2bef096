/**
 * Password-encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY", RFC 5958 §3) as the ShangMi tools write
 * it: PBES2 (RFC 8018 §6.2) with PBKDF2 over HMAC-SM3 and SM4-CBC. GmSSL names the PRF
 * 1.2.156.10197.1.401.2 and Tongsuo/OpenSSL hmacWithSM3 1.2.156.10197.1.401.3.1 (toolchain.md
 * C.4 #6); both are read, and so are the SHA-2 PRFs OpenSSL uses by default.
 * @module
 */
import { pbkdf2Sync } from 'node:crypto';
import { TAG, derChildren, derDecode, derExpect, derOid, derSmallInteger, type DerNode } from '../der.js';
import { GuomiError } from '../errors.js';
import { pemDecode } from '../pem.js';
import { pbkdf2Sm3 } from '../sm3.js';
import { sm4 } from '../sm4.js';
import { wipe } from '../utils.js';

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_SM4_CBC = '1.2.156.10197.1.104.2';
/** PRFs: OID → node:crypto digest name, or 'sm3' for guomi's own PBKDF2-HMAC-SM3. */
const PRFS: Readonly<Record<string, string>> = {
  '1.2.156.10197.1.401.2': 'sm3', // GmSSL
  '1.2.156.10197.1.401.3.1': 'sm3', // hmacWithSM3 (Tongsuo, OpenSSL)
  '1.2.840.113549.2.7': 'sha1', // hmacWithSHA1, the RFC 8018 default
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
/** More iterations than any tool writes (GmSSL 65536, OpenSSL 2048): refuse rather than hang. */
const MAX_ITERATIONS = 10_000_000;

function bad(message: string): never {
  throw new GuomiError('ERR_DECODE', `encrypted private key: ${message}`);
}

/** An AlgorithmIdentifier's OID and parameters (absent or NULL parameters → undefined). */
function algorithm(node: DerNode | undefined): [string, DerNode | undefined] {
  const parts = derChildren(derExpect(node, TAG.SEQUENCE), TAG.SEQUENCE, [1, 2]);
  const params = parts[1];
  return [derOid(parts[0]), params && params.tag !== TAG.NULL ? params : undefined];
}

/**
 * Decrypts an EncryptedPrivateKeyInfo (PEM "ENCRYPTED PRIVATE KEY" or DER) and returns the
 * PKCS#8 PrivateKeyInfo DER inside.
 * @param input PEM text or DER bytes
 * @param passphrase the password (a string is taken as UTF-8)
 * @returns the decrypted PKCS#8 DER (the caller wipes it)
 * @throws GuomiError ERR_DECODE for malformed input or a wrong passphrase (bad padding);
 *   ERR_UNSUPPORTED for schemes other than PBES2/PBKDF2 with SM4-CBC
 */
export function decryptPrivateKeyInfo(input: string | Uint8Array, passphrase: string | Uint8Array): Uint8Array {
  const der = typeof input === 'string' ? pemDecode(input, ['ENCRYPTED PRIVATE KEY']).der : input;
  const [alg, data] = derChildren(derDecode(der), TAG.SEQUENCE, 2);
  const [scheme, params] = algorithm(alg);
  if (scheme !== OID_PBES2) throw new GuomiError('ERR_UNSUPPORTED', `encrypted private key: scheme ${scheme} is not PBES2`);
  const [kdfNode, encNode] = derChildren(params ?? bad('PBES2 without parameters'), TAG.SEQUENCE, 2);
  const [kdf, kdfParams] = algorithm(kdfNode);
  if (kdf !== OID_PBKDF2) throw new GuomiError('ERR_UNSUPPORTED', `encrypted private key: key derivation ${kdf} is not PBKDF2`);
  const kp = derChildren(kdfParams ?? bad('PBKDF2 without parameters'), TAG.SEQUENCE, [2, 4]);
  const salt = derExpect(kp[0], TAG.OCTET_STRING).content;
  const iterations = derSmallInteger(kp[1]);
  if (iterations < 1 || iterations > MAX_ITERATIONS) bad(`iteration count ${iterations}`);
  let i = 2;
  if (kp[i]?.tag === TAG.INTEGER) {
    if (derSmallInteger(kp[i]) !== 16) bad('SM4 needs a 16-byte key');
    i++;
  }
  const prfOid = kp[i] ? algorithm(kp[i])[0] : '1.2.840.113549.2.7';
  const prf = PRFS[prfOid];
  if (!prf) throw new GuomiError('ERR_UNSUPPORTED', `encrypted private key: PRF ${prfOid}`);
  const [enc, encParams] = algorithm(encNode);
  if (enc !== OID_SM4_CBC) throw new GuomiError('ERR_UNSUPPORTED', `encrypted private key: cipher ${enc} is not SM4-CBC`);
  const iv = derExpect(encParams, TAG.OCTET_STRING).content;
  if (iv.length !== 16) bad('SM4-CBC IV must be 16 bytes');
  const ciphertext = derExpect(data, TAG.OCTET_STRING).content;
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) bad('ciphertext is not a whole number of blocks');

  const pass = typeof passphrase === 'string' ? new TextEncoder().encode(passphrase) : passphrase;
  const key = prf === 'sm3' ? pbkdf2Sm3(pass, salt, iterations, 16) : new Uint8Array(pbkdf2Sync(pass, salt, iterations, 16, prf));
  const c = sm4.cbc(key, iv);
  try {
    return c.decrypt(ciphertext);
  } catch (err) {
    // A wrong passphrase shows up as bad PKCS#7 padding (or, rarely, as garbage DER later).
    throw new GuomiError('ERR_DECODE', 'encrypted private key: wrong passphrase or corrupted data', { cause: err });
  } finally {
    c.destroy();
    wipe(key);
    if (pass !== passphrase) wipe(pass);
  }
}
