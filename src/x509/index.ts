/**
 * X.509 for SM2 (guomi/x509): parse certificates and CSRs, build and validate certification
 * paths, and issue certificates and requests signed with SM2-with-SM3.
 *
 * Chinese CAs (ROOTCA/NRCAC, CFCA, …) sign with SM2 over SM3 and the ID 1234567812345678
 * (GM/T 0009-2012 §10, GM/T 0015): e = SM3(Z || TBS) with Z from the issuer's key. This module
 * does exactly that, over the original TBS bytes, reads both SPKI forms of SM2 keys, both
 * encodings of the signature AlgorithmIdentifier (parameters absent or NULL) and the empty
 * basicConstraints `30 00`; RSA, ECDSA and EdDSA certificates in mixed chains are verified
 * through node:crypto.
 *
 * ```ts
 * import { parseCertificate, verifyChain, createCertificate, createCsr } from 'guomi/x509';
 * const leaf = parseCertificate(pem);
 * leaf.subject.toString();                // 'CN=ebssec.boc.cn,OU=SSL,…,O=中国银行股份有限公司,…,C=CN'
 * const r = verifyChain(leaf, { intermediates: [oca1Pem], roots: [rootPem], purpose: 'serverAuth',
 *                               hostname: 'ebssec.boc.cn' });
 * r.ok ? r.path : `${r.code}: ${r.reason}`;
 * ```
 *
 * Built only on the public guomi modules (sm2, sm3) and the shared DER/PEM code.
 * @module
 */
export {
  Certificate,
  parseCertificate,
  parseCertificates,
  type CertificateInput,
  type PublicKeyAlgorithm,
} from './certificate.js';
export { CertificateRequest, createCsr, parseCsr, type CreateCsrOptions, type CsrAttribute } from './csr.js';
export { createCertificate, type CreateCertificateOptions } from './create.js';
export type { ExtensionInput } from './build.js';
export {
  KEY_USAGE_FLAGS,
  type AccessDescription,
  type AltNameInput,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type DistributionPoint,
  type GeneralName,
  type KeyUsageFlag,
  type NameConstraints,
  type PolicyInformation,
  type X509Extension,
} from './extensions.js';
export { matchHostname, type HostnameOptions } from './hostname.js';
export { X509Name, type X509Attribute, type X509NameInput, type X509Rdn } from './name.js';
export { KEY_PURPOSES, type KeyPurposeName } from './oids.js';
export type { AlgorithmIdentifier } from './asn1.js';
export type { SignatureOptions } from './signature.js';
export {
  VERIFY_ERROR_CODES,
  verifyChain,
  type VerifyChainFailure,
  type VerifyChainOptions,
  type VerifyChainResult,
  type VerifyChainSuccess,
  type VerifyErrorCode,
  type VerifyPurpose,
} from './verify.js';
