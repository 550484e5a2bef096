/**
 * Verifying the signature on a certificate or CSR over its original TBS bytes.
 *
 * SM2-with-SM3 (GM/T 0015; spec digest §4.4): e = SM3(Z || TBS) with Z from the issuer's key and
 * the ID 1234567812345678 (GM/T 0009-2012 §10; RFC 8998 §3.2.1 for certificate chains), or the
 * caller's `sm2Id`. Signatures made with an empty ID (OpenSSL 1.1.1–3.x without
 * `-sigopt distid:…`) verify only with `allowEmptyId`; signatures made without Z (e = SM3(TBS))
 * never do. RSA (PKCS #1 v1.5, PSS), ECDSA and EdDSA go through node:crypto; SHA-1 and MD5
 * signatures are refused.
 * @module
 */
import { constants, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { TAG, derExpect, derOid, derSmallInteger, type DerNode } from '../der.js';
import { Sm2PublicKey } from '../sm2.js';
import { sm3 } from '../sm3.js';
import { decodeDer, type AlgorithmIdentifier } from './asn1.js';
import { ALG, HASH_ALGORITHMS, SIGNATURE_ALGORITHMS } from './oids.js';

/** Options for SM2 signature checks. */
export interface SignatureOptions {
  /** The SM2 ID of the signer (default '1234567812345678', GM/T 0009-2012 §10). */
  sm2Id?: string | Uint8Array;
  /**
   * Also accept SM2 signatures made with an empty ID (ENTL = 0), as OpenSSL 1.1.1–3.x make them
   * by default. Not standard; off by default. Signatures without Z are never accepted.
   */
  allowEmptyId?: boolean;
}

/** What was signed and how. */
export interface SignedData {
  /** The original DER of the signed part (tbsCertificate / certificationRequestInfo). */
  readonly tbs: Uint8Array;
  /** The outer signatureAlgorithm. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signature bytes (the BIT STRING contents). */
  readonly signature: Uint8Array;
}

/** The result of {@link checkSignature}. */
export type SignatureCheck =
  | { ok: true; emptyId: boolean }
  | { ok: false; code: 'CERT_SIGNATURE_FAILURE' | 'UNSUPPORTED_SIGNATURE_ALGORITHM'; reason: string };

const fail = (reason: string): SignatureCheck => ({ ok: false, code: 'CERT_SIGNATURE_FAILURE', reason });
const unsupported = (reason: string): SignatureCheck => ({ ok: false, code: 'UNSUPPORTED_SIGNATURE_ALGORITHM', reason });

function isNullOrAbsent(params: Uint8Array | undefined): boolean {
  return params === undefined || (params.length === 2 && params[0] === TAG.NULL && params[1] === 0);
}

/**
 * Checks `data`'s signature with `key`. Never throws for a bad signature, an unknown algorithm
 * or a key of the wrong type; returns a failure with a reason instead.
 * @param data the signed data
 * @param key the signer's public key (null when the key type is not supported)
 * @param options SM2 ID choices
 * @returns `{ok: true, emptyId}` or `{ok: false, code, reason}`
 */
export function checkSignature(
  data: SignedData,
  key: Sm2PublicKey | KeyObject | null,
  options: SignatureOptions = {},
): SignatureCheck {
  const alg = data.signatureAlgorithm;
  const entry = SIGNATURE_ALGORITHMS[alg.oid];
  if (!entry) return unsupported(`unsupported signature algorithm ${alg.oid}`);
  const [name, hash, kind] = entry;
  if (key === null) return unsupported(`the issuer's public key type is not supported`);
  if (kind === 'sm2') {
    if (!isNullOrAbsent(alg.parameters)) return unsupported('SM2-with-SM3 with parameters other than absent or NULL');
    if (!(key instanceof Sm2PublicKey)) return fail('an SM2-with-SM3 signature needs an SM2 issuer key');
    return checkSm2(data, key, options);
  }
  if (key instanceof Sm2PublicKey) return fail(`a ${name} signature cannot be checked with an SM2 key`);
  if (hash === 'sha1' || hash === 'md5') return unsupported(`${name}: SHA-1 and MD5 signatures are not accepted`);
  const type = key.asymmetricKeyType;
  try {
    switch (kind) {
      case 'rsa':
        if (!isNullOrAbsent(alg.parameters)) return unsupported(`${name} with unexpected parameters`);
        if (type !== 'rsa') return fail(`a ${name} signature needs an RSA issuer key, got ${type}`);
        return nodeVerify(hash, data.tbs, key, data.signature) ? ok : fail('signature does not verify');
      case 'rsa-pss': {
        const pss = parsePssParams(alg.parameters);
        if (typeof pss === 'string') return unsupported(`rsassaPss: ${pss}`);
        if (type !== 'rsa' && type !== 'rsa-pss') return fail(`an RSASSA-PSS signature needs an RSA issuer key, got ${type}`);
        return nodeVerify(pss.hash, data.tbs, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, data.signature)
          ? ok
          : fail('signature does not verify');
      }
      case 'ecdsa':
        if (alg.parameters !== undefined) return unsupported(`${name} with parameters`);
        if (type !== 'ec') return fail(`an ECDSA signature needs an EC issuer key, got ${type}`);
        return nodeVerify(hash, data.tbs, { key, dsaEncoding: 'der' }, data.signature) ? ok : fail('signature does not verify');
      case 'eddsa': {
        if (alg.parameters !== undefined) return unsupported(`${name} with parameters`);
        const want = alg.oid === ALG.ED25519 ? 'ed25519' : 'ed448';
        if (type !== want) return fail(`an ${name} signature needs an ${want} issuer key, got ${type}`);
        return nodeVerify(null, data.tbs, key, data.signature) ? ok : fail('signature does not verify');
      }
      default:
        return unsupported(`unsupported signature algorithm ${alg.oid}`);
    }
  } catch (err) {
    return fail(`signature does not verify (${(err as Error).message})`);
  }
}

const ok: SignatureCheck = { ok: true, emptyId: false };

function checkSm2(data: SignedData, key: Sm2PublicKey, options: SignatureOptions): SignatureCheck {
  const sig = data.signature;
  if (key.verify(data.tbs, sig, { id: options.sm2Id, encoding: 'der' })) return ok;
  // Diagnose the two legacy variants (cheap: only on failure).
  const emptyId = key.verify(data.tbs, sig, { id: '', encoding: 'der' });
  if (emptyId && options.allowEmptyId) return { ok: true, emptyId: true };
  if (emptyId) {
    return fail(
      'SM2 signature made with an empty ID (the OpenSSL 1.1.1–3.x default), not with 1234567812345678; accepted only with allowEmptyId',
    );
  }
  if (key.verify(sm3(data.tbs), sig, { prehashed: true, encoding: 'der' })) {
    return fail('SM2 signature made without Z (e = SM3(TBS)); GM/T 0009 and RFC 8998 verifiers reject it');
  }
  return fail('SM2 signature does not verify');
}

/** RSASSA-PSS-params (RFC 4055 §3.1): hash, MGF1 with the same hash, salt length, trailer 1. */
function parsePssParams(params: Uint8Array | undefined): { hash: string; saltLength: number } | string {
  if (!params) return 'parameters missing';
  let seq: DerNode;
  try {
    seq = derExpect(decodeDer(params), TAG.SEQUENCE);
  } catch {
    return 'malformed parameters';
  }
  let hash = 'sha1';
  let mgfHash = 'sha1';
  let saltLength = 20;
  try {
    for (const item of seq.children) {
      const inner = item.children[0];
      if (item.children.length !== 1 || !inner) return 'malformed parameters';
      if (item.tag === 0xa0) {
        hash = HASH_ALGORITHMS[derOid(inner.children[0])] ?? 'unknown';
      } else if (item.tag === 0xa1) {
        if (derOid(inner.children[0]) !== ALG.MGF1) return 'mask generation function other than MGF1';
        mgfHash = HASH_ALGORITHMS[derOid(inner.children[1]?.children[0])] ?? 'unknown';
      } else if (item.tag === 0xa2) {
        saltLength = derSmallInteger(inner);
      } else if (item.tag === 0xa3) {
        if (derSmallInteger(inner) !== 1) return 'trailer field other than 1';
      } else {
        return 'malformed parameters';
      }
    }
  } catch {
    return 'malformed parameters';
  }
  if (hash === 'sha1' || hash === 'unknown' || hash === 'sm3') return `hash ${hash} is not accepted`;
  if (mgfHash !== hash) return 'MGF1 hash differs from the message hash';
  return { hash, saltLength };
}
