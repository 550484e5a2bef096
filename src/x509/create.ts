/**
 * Issuing X.509 v3 certificates signed with SM2-with-SM3 and the ID 1234567812345678
 * (GM/T 0015; RFC 5280 §4.1): self-signed roots, intermediate CAs and server/client leaves.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { derEncode, derTlv } from '../der.js';
import { GuomiError } from '../errors.js';
import { Sm2PublicKey, type Sm2PrivateKeyInput, type Sm2PublicKeyInput } from '../sm2.js';
import { aoptions, equalBytes, hexToBytes, isBytes, randomBytes } from '../utils.js';
import { encodeTime, sm2WithSm3Algorithm } from './asn1.js';
import {
  checkExtKeyUsage,
  checkExtensions,
  checkKeyUsage,
  commonExtensions,
  extensionsSequence,
  keyIdentifier,
  signStructure,
  subjectPublicKeyInfo,
  withSigningKey,
  type ExtensionInput,
} from './build.js';
import { Certificate, parseCertificate, type CertificateInput } from './certificate.js';
import { CertificateRequest, parseCsr } from './csr.js';
import {
  encodeAuthorityInfoAccess,
  encodeAuthorityKeyIdentifier,
  encodeBasicConstraints,
  encodeCertificatePolicies,
  encodeCrlDistributionPoints,
  encodeExtension,
  type AltNameInput,
  type KeyUsageFlag,
} from './extensions.js';
import { X509Name, type X509NameInput } from './name.js';
import { EXT } from './oids.js';

/** Options of {@link createCertificate}. */
export interface CreateCertificateOptions {
  /**
   * The private key that signs: the issuer's key, or the subject's own key for a self-signed
   * certificate.
   */
  signingKey: Sm2PrivateKeyInput;
  /** The issuer's certificate; absent for a self-signed certificate (issuer = subject). */
  issuer?: CertificateInput;
  /** The subject name (required unless `csr` gives it; see X509Name.from). */
  subject?: X509NameInput;
  /**
   * The subject's public key: an SM2 key (key object, PEM, DER or point) or another
   * node:crypto KeyObject. Defaults to the CSR's key, or to the signing key's public key for a
   * self-signed certificate.
   */
  publicKey?: Sm2PublicKeyInput | KeyObject;
  /**
   * A CSR supplying `subject`, `publicKey` and, unless given here, `subjectAltName`. Its
   * signature must verify (ID 1234567812345678).
   */
  csr?: CertificateRequest | string | Uint8Array;
  /** The serial number: hex, bytes or a bigint (positive, at most 20 bytes). Default: 16 random bytes. */
  serialNumber?: string | Uint8Array | bigint;
  /** Start of validity (default now, to the second). */
  notBefore?: Date;
  /** End of validity (default notBefore + `days`). */
  notAfter?: Date;
  /** Validity in days when `notAfter` is absent (default 365). */
  days?: number;
  /** A CA certificate: basicConstraints critical cA TRUE, keyUsage keyCertSign + cRLSign by default. */
  ca?: boolean;
  /** basicConstraints pathLenConstraint (CA certificates only). */
  pathLength?: number;
  /** keyUsage bits (written critical). Default: CA keyCertSign, cRLSign; leaf digitalSignature. */
  keyUsage?: KeyUsageFlag[];
  /** extKeyUsage purposes: 'serverAuth', 'clientAuth', … or OIDs. */
  extKeyUsage?: string[];
  /** subjectAltName entries (critical when the subject is empty). */
  subjectAltName?: AltNameInput;
  /**
   * Write basicConstraints CA:FALSE (the empty `30 00`, critical) into a leaf. Default false:
   * GmSSL 3.x rejects that encoding, and RFC 5280 allows leaving it out.
   */
  leafBasicConstraints?: boolean;
  /** cRLDistributionPoints URIs. */
  crlDistributionPoints?: string[];
  /** authorityInfoAccess OCSP URIs. */
  ocsp?: string[];
  /** authorityInfoAccess caIssuers URIs. */
  caIssuers?: string[];
  /** certificatePolicies OIDs (no qualifiers). */
  policies?: string[];
  /** Further extensions, written after the standard ones. */
  extensions?: ExtensionInput[];
  /** The SM2 ID to sign with (default '1234567812345678'). */
  sm2Id?: string | Uint8Array;
}

function serialBytes(value: unknown): Uint8Array {
  let bytes: Uint8Array;
  if (value === undefined) {
    bytes = randomBytes(16);
    bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive, always 16 bytes
    return bytes;
  }
  if (typeof value === 'bigint') {
    if (value <= 0n) throw new RangeError('"serialNumber" must be positive');
    let hex = value.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    bytes = hexToBytes(hex, 'serialNumber');
  } else if (typeof value === 'string') {
    const hex = value.replace(/^0x/i, '').replace(/:/g, '');
    bytes = hexToBytes(hex.length % 2 ? '0' + hex : hex, 'serialNumber');
  } else if (isBytes(value)) {
    bytes = value;
  } else {
    throw new TypeError('"serialNumber" must be a hex string, a Uint8Array or a bigint');
  }
  let start = 0;
  while (start < bytes.length && bytes[start] === 0) start++;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) throw new RangeError('"serialNumber" must be positive');
  if (bytes.length > 20 || (bytes.length === 20 && bytes[0]! >= 0x80)) {
    throw new RangeError('"serialNumber" must fit in 20 octets (RFC 5280 §4.1.2.2)');
  }
  return bytes;
}

function checkDate(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof Date)) throw new TypeError(`"${name}" must be a Date`);
  if (!Number.isFinite(value.getTime())) throw new RangeError(`"${name}" is not a valid date`);
  const d = new Date(Math.floor(value.getTime() / 1000) * 1000);
  if (d.getUTCFullYear() < 1 || d.getUTCFullYear() > 9999) throw new RangeError(`"${name}" must be in the years 1–9999`);
  return d;
}

function urlList(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !/^[\x21-\x7e]+$/.test(v))) {
    throw new TypeError(`"${name}" must be an array of ASCII URIs`);
  }
  return value as string[];
}

/**
 * Creates a certificate signed with SM2-with-SM3 (signature AlgorithmIdentifier with absent
 * parameters, ID 1234567812345678), with subjectKeyIdentifier and, when issued by another
 * certificate, authorityKeyIdentifier (copied from the issuer's subjectKeyIdentifier).
 * `openssl x509 -text` reads the result and `openssl pkeyutl -verify -rawin -digest sm3
 * -pkeyopt distid:1234567812345678` verifies its signature over the TBS bytes.
 *
 * ```ts
 * const rootKey = Sm2PrivateKey.generate();
 * const root = createCertificate({ subject: 'CN=Root CA,O=Example,C=CN', signingKey: rootKey, ca: true, days: 3650 });
 * const leafKey = Sm2PrivateKey.generate();
 * const leaf = createCertificate({
 *   subject: 'CN=www.example.cn,O=Example,C=CN', publicKey: leafKey.publicKey,
 *   issuer: root, signingKey: rootKey, extKeyUsage: ['serverAuth'],
 *   subjectAltName: { dns: ['www.example.cn'], ip: ['127.0.0.1'] },
 * });
 * ```
 * @param options see {@link CreateCertificateOptions}
 * @returns the parsed certificate (`.der`, `.toPem()`)
 * @throws TypeError / RangeError for invalid options (including a signing key that does not
 *   match the issuer certificate); GuomiError ERR_SM2_INVALID_SIGNATURE when `csr`'s
 *   signature does not verify
 */
export function createCertificate(options: CreateCertificateOptions): Certificate {
  const opts = aoptions<CreateCertificateOptions>(options);
  if (opts.signingKey === undefined) throw new TypeError('"signingKey" is required');
  const csr = opts.csr === undefined ? undefined : parseCsr(opts.csr);
  if (csr && !csr.verifySignature({})) {
    throw new GuomiError('ERR_SM2_INVALID_SIGNATURE', 'the CSR signature does not verify with ID 1234567812345678');
  }
  const issuerCert = opts.issuer === undefined ? undefined : parseCertificate(opts.issuer);
  const subject =
    opts.subject !== undefined ? X509Name.from(opts.subject) : csr ? csr.subject : undefined;
  if (!subject) throw new TypeError('"subject" is required (or a "csr")');
  const ca = opts.ca ?? false;
  if (typeof ca !== 'boolean') throw new TypeError('"ca" must be a boolean');
  if (opts.pathLength !== undefined) {
    if (!ca) throw new RangeError('"pathLength" applies to CA certificates only');
    if (!Number.isInteger(opts.pathLength) || opts.pathLength < 0 || opts.pathLength > 1_000_000) {
      throw new RangeError('"pathLength" must be a non-negative integer');
    }
  }
  const notBefore = checkDate(opts.notBefore, 'notBefore') ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  let notAfter = checkDate(opts.notAfter, 'notAfter');
  if (!notAfter) {
    const days = opts.days ?? 365;
    if (typeof days !== 'number' || !Number.isFinite(days) || days <= 0 || days > 3_650_000) {
      throw new RangeError('"days" must be a positive number of days');
    }
    notAfter = new Date(notBefore.getTime() + Math.round(days * 86_400) * 1000);
  }
  if (notAfter.getTime() < notBefore.getTime()) throw new RangeError('"notAfter" is before "notBefore"');
  const serial = serialBytes(opts.serialNumber);
  const keyUsage = opts.keyUsage !== undefined ? checkKeyUsage(opts.keyUsage) : ca ? (['keyCertSign', 'cRLSign'] as KeyUsageFlag[]) : (['digitalSignature'] as KeyUsageFlag[]);
  const extKeyUsage = opts.extKeyUsage !== undefined ? checkExtKeyUsage(opts.extKeyUsage) : undefined;
  const san = opts.subjectAltName ?? (csr ? csrAltNames(csr) : undefined);
  if (subject.isEmpty && !san) throw new RangeError('a certificate with an empty subject needs "subjectAltName" (RFC 5280 §4.1.2.6)');
  const extra = checkExtensions(opts.extensions);
  const crl = urlList(opts.crlDistributionPoints, 'crlDistributionPoints');
  const ocsp = urlList(opts.ocsp, 'ocsp');
  const caIssuers = urlList(opts.caIssuers, 'caIssuers');
  const policies = opts.policies ?? [];
  if (!Array.isArray(policies) || policies.some((p) => typeof p !== 'string' || !/^\d+(\.\d+)+$/.test(p))) {
    throw new TypeError('"policies" must be an array of dotted OIDs');
  }
  if (opts.leafBasicConstraints !== undefined && typeof opts.leafBasicConstraints !== 'boolean') {
    throw new TypeError('"leafBasicConstraints" must be a boolean');
  }

  return withSigningKey(opts.signingKey, 'signingKey', (key) => {
    const signerSpki = key.publicKey.export({ format: 'der' });
    if (issuerCert) {
      const pub = issuerCert.publicKey;
      if (!(pub instanceof Sm2PublicKey) || !key.publicKey.equals(pub)) {
        throw new RangeError('"signingKey" does not match the public key of "issuer"');
      }
    }
    const spki =
      opts.publicKey !== undefined
        ? subjectPublicKeyInfo(opts.publicKey, 'publicKey')
        : csr
          ? csr.subjectPublicKeyInfo
          : issuerCert
            ? undefined
            : signerSpki;
    if (!spki) throw new TypeError('"publicKey" (or a "csr") is required when "issuer" is given');
    if (!issuerCert && !equalBytes(spki, signerSpki)) {
      throw new RangeError('a self-signed certificate must be for the signing key ("publicKey" differs from "signingKey")');
    }
    const issuerName = issuerCert ? issuerCert.subject : subject;
    const exts: Uint8Array[] = [];
    if (ca) exts.push(encodeExtension(EXT.BASIC_CONSTRAINTS, true, encodeBasicConstraints(true, opts.pathLength)));
    else if (opts.leafBasicConstraints) exts.push(encodeExtension(EXT.BASIC_CONSTRAINTS, true, encodeBasicConstraints(false)));
    exts.push(
      ...commonExtensions({
        keyUsage,
        ...(extKeyUsage ? { extKeyUsage } : {}),
        ...(san ? { subjectAltName: san } : {}),
        subjectEmpty: subject.isEmpty,
      }),
    );
    exts.push(encodeExtension(EXT.SUBJECT_KEY_IDENTIFIER, false, derEncode.octetString(keyIdentifier(spki))));
    if (issuerCert) {
      const keyId = issuerCert.subjectKeyIdentifier
        ? hexToBytes(issuerCert.subjectKeyIdentifier)
        : keyIdentifier(issuerCert.subjectPublicKeyInfo);
      exts.push(encodeExtension(EXT.AUTHORITY_KEY_IDENTIFIER, false, encodeAuthorityKeyIdentifier(keyId)));
    }
    if (crl.length) exts.push(encodeExtension(EXT.CRL_DISTRIBUTION_POINTS, false, encodeCrlDistributionPoints(crl)));
    if (ocsp.length || caIssuers.length) {
      exts.push(encodeExtension(EXT.AUTHORITY_INFO_ACCESS, false, encodeAuthorityInfoAccess(ocsp, caIssuers)));
    }
    if (policies.length) exts.push(encodeExtension(EXT.CERTIFICATE_POLICIES, false, encodeCertificatePolicies(policies)));
    for (const e of extra) exts.push(encodeExtension(e.oid, e.critical === true, e.value));

    const tbs = derEncode.sequence(
      derEncode.context(0, derEncode.smallInteger(2)),
      derEncode.integer(serial),
      sm2WithSm3Algorithm(),
      issuerName.der,
      derEncode.sequence(encodeTime(notBefore), encodeTime(notAfter!)),
      subject.der,
      spki,
      derTlv(0xa3, extensionsSequence(exts)),
    );
    return parseCertificate(signStructure(tbs, key, opts.sm2Id));
  });
}

function csrAltNames(csr: CertificateRequest): AltNameInput | undefined {
  const out: { dns: string[]; ip: string[]; email: string[]; uri: string[] } = { dns: [], ip: [], email: [], uri: [] };
  for (const n of csr.subjectAltName ?? []) {
    if (n.type === 'dns') out.dns.push(n.value);
    else if (n.type === 'ip' && (n.bytes.length === 4 || n.bytes.length === 16)) out.ip.push(n.value);
    else if (n.type === 'email') out.email.push(n.value);
    else if (n.type === 'uri') out.uri.push(n.value);
  }
  return out.dns.length + out.ip.length + out.email.length + out.uri.length ? out : undefined;
}
