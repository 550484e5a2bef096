/**
 * Reading X.509 v1–v3 certificates (RFC 5280 §4.1) on the strict DER reader: every field,
 * the standard extensions, the public key (SM2 keys as {@link Sm2PublicKey} in either SPKI
 * form, other keys as node:crypto KeyObjects), SM3 and SHA-256 fingerprints and the original
 * TBS bytes that the signature covers.
 * @module
 */
import { Buffer } from 'node:buffer';
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { TAG, derBitStringBytes, derExpect, derOid, derSmallInteger, type DerNode } from '../der.js';
import { GuomiError } from '../errors.js';
import { pemDecodeAll, pemEncode } from '../pem.js';
import { Sm2PublicKey } from '../sm2.js';
import { sm3 } from '../sm3.js';
import { bytesToHex, equalBytes, isBytes } from '../utils.js';
import {
  MAX_INPUT,
  decodeDer,
  decodeTime,
  integerHex,
  parseAlgorithm,
  readDerOrPem,
  x509Fail,
  type AlgorithmIdentifier,
} from './asn1.js';
import {
  parseAltName,
  parseAuthorityKeyIdentifier,
  parseBasicConstraints,
  parseCertificatePolicies,
  parseCrlDistributionPoints,
  parseExtKeyUsage,
  parseInfoAccess,
  parseKeyUsage,
  parseNameConstraints,
  parseSubjectKeyIdentifier,
  type AccessDescription,
  type AuthorityKeyIdentifier,
  type BasicConstraints,
  type DistributionPoint,
  type GeneralName,
  type KeyUsageFlag,
  type NameConstraints,
  type PolicyInformation,
  type X509Extension,
} from './extensions.js';
import { parseName, type X509Name } from './name.js';
import { ALG, CURVES, EXT, EXTENSION_NAMES, KEY_ALGORITHMS } from './oids.js';
import { checkSignature, type SignatureOptions } from './signature.js';

/** The subject public key algorithm. */
export interface PublicKeyAlgorithm {
  /** The SPKI algorithm OID (id-ecPublicKey, sm2, rsaEncryption, …). */
  readonly oid: string;
  /** Its name, or the OID. */
  readonly name: string;
  /** For EC keys: the named curve OID. */
  readonly curve?: string;
  /** For EC keys: the curve name ('sm2', 'prime256v1', …) or the OID. */
  readonly curveName?: string;
  /** Whether the key is an SM2 key (id-ecPublicKey + sm2 curve, or the sm2 OID as algorithm). */
  readonly sm2: boolean;
}

/** Anything certificate-taking functions accept: a parsed certificate, PEM text or DER bytes. */
export type CertificateInput = Certificate | string | Uint8Array;

const INTERNAL = Symbol('Certificate');

/** Extensions whose contents this module understands (RFC 5280 §4.2). */
const KNOWN_EXTENSIONS = new Set<string>([
  EXT.SUBJECT_KEY_IDENTIFIER,
  EXT.KEY_USAGE,
  EXT.SUBJECT_ALT_NAME,
  EXT.ISSUER_ALT_NAME,
  EXT.BASIC_CONSTRAINTS,
  EXT.NAME_CONSTRAINTS,
  EXT.CRL_DISTRIBUTION_POINTS,
  EXT.CERTIFICATE_POLICIES,
  EXT.AUTHORITY_KEY_IDENTIFIER,
  EXT.EXT_KEY_USAGE,
  EXT.FRESHEST_CRL,
  EXT.AUTHORITY_INFO_ACCESS,
  EXT.SUBJECT_INFO_ACCESS,
]);

/**
 * A parsed certificate. Every field is read-only; the DER is kept as it was read, so the TBS
 * bytes are exactly what the issuer signed.
 *
 * ```ts
 * const cert = parseCertificate(pem);
 * cert.subject.toString();                 // 'CN=ROOTCA,O=NRCAC,C=CN'
 * cert.publicKey;                          // Sm2PublicKey (or a node:crypto KeyObject)
 * cert.basicConstraints;                   // { ca: true }
 * cert.fingerprints.sm3;                   // lower-case hex
 * ```
 */
export class Certificate {
  /** The whole certificate, DER. */
  readonly der: Uint8Array;
  /** The original DER of tbsCertificate: the bytes the signature covers. */
  readonly tbs: Uint8Array;
  /** 1, 2 or 3. */
  readonly version: number;
  /** The serial number as lower-case hex, as OpenSSL prints it (without a sign-padding 00). */
  readonly serialNumber: string;
  /** The signature algorithm inside tbsCertificate (must equal {@link signatureAlgorithm}). */
  readonly tbsSignatureAlgorithm: AlgorithmIdentifier;
/** The issuer name (compare names with X509Name.equals, print them with toString()). */
  readonly issuer: X509Name;
/** The subject name. */
  readonly subject: X509Name;
/** Start of the validity period. */
  readonly notBefore: Date;
/** End of the validity period (inclusive, RFC 5280 §4.1.2.5). */
  readonly notAfter: Date;
  /** The DER of subjectPublicKeyInfo. */
  readonly subjectPublicKeyInfo: Uint8Array;
  /** The subject public key algorithm. */
  readonly publicKeyAlgorithm: PublicKeyAlgorithm;
  /**
   * The subject public key: an {@link Sm2PublicKey} for SM2 keys (both SPKI forms), a
   * node:crypto KeyObject for keys node:crypto reads (RSA, ECDSA, EdDSA), else null.
   */
  readonly publicKey: Sm2PublicKey | KeyObject | null;
  /** The outer signatureAlgorithm. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
  /** The signature value (BIT STRING contents; for SM2 the DER SEQUENCE { r, s }). */
  readonly signature: Uint8Array;
  /** All extensions, in certificate order. */
  readonly extensions: readonly X509Extension[];
  /** basicConstraints, when present. */
  readonly basicConstraints?: BasicConstraints;
  /** keyUsage bits that are set, when the extension is present. */
  readonly keyUsage?: readonly KeyUsageFlag[];
  /** extKeyUsage: 'serverAuth', 'clientAuth', … for known purposes, dotted OIDs otherwise. */
  readonly extKeyUsage?: readonly string[];
/** subjectAltName entries (DNS names, IP addresses, e-mail, URIs, …), when present. */
  readonly subjectAltName?: readonly GeneralName[];
/** issuerAltName entries, when present. */
  readonly issuerAltName?: readonly GeneralName[];
  /** subjectKeyIdentifier as lower-case hex. */
  readonly subjectKeyIdentifier?: string;
/** authorityKeyIdentifier, when present (used to find the issuer). */
  readonly authorityKeyIdentifier?: AuthorityKeyIdentifier;
/** certificatePolicies, when present. */
  readonly certificatePolicies?: readonly PolicyInformation[];
/** cRLDistributionPoints, when present (revocation is not checked by verifyChain). */
  readonly crlDistributionPoints?: readonly DistributionPoint[];
/** authorityInfoAccess (OCSP responders, caIssuers URLs), when present. */
  readonly authorityInfoAccess?: readonly AccessDescription[];
/** subjectInfoAccess, when present. */
  readonly subjectInfoAccess?: readonly AccessDescription[];
/** nameConstraints of a CA, when present (enforced by verifyChain). */
  readonly nameConstraints?: NameConstraints;
  /** SM3 and SHA-256 of the DER, lower-case hex. */
  readonly fingerprints: {
    /** SM3 of the DER. */
    readonly sm3: string;
    /** SHA-256 of the DER (as `openssl x509 -fingerprint -sha256`, without colons). */
    readonly sha256: string;
  };

  /** @internal Use parseCertificate(). */
  constructor(token: symbol, der: Uint8Array) {
    if (token !== INTERNAL) throw new TypeError('use parseCertificate()');
    this.der = der;
    const top = derExpect(decodeDer(der), TAG.SEQUENCE);
    if (top.children.length !== 3) x509Fail('a Certificate has 3 elements');
    const [tbsNode, sigAlg, sigValue] = top.children as [DerNode, DerNode, DerNode];
    this.tbs = derExpect(tbsNode, TAG.SEQUENCE).raw;
    this.signatureAlgorithm = parseAlgorithm(sigAlg);
    this.signature = derBitStringBytes(sigValue);

    const f = tbsNode.children;
    let i = 0;
    let version = 1;
    if (f[i]?.tag === TAG.CONTEXT_0) {
      const v = f[i++]!;
      if (v.children.length !== 1) x509Fail('bad version');
      const n = derSmallInteger(v.children[0]);
      if (n > 2) x509Fail(`unknown certificate version ${n + 1}`);
      version = n + 1;
    }
    this.version = version;
    this.serialNumber = integerHex(derExpect(f[i++], TAG.INTEGER));
    this.tbsSignatureAlgorithm = parseAlgorithm(f[i++]);
    this.issuer = parseName(f[i++]);
    const validity = derExpect(f[i++], TAG.SEQUENCE);
    if (validity.children.length !== 2) x509Fail('Validity has 2 elements');
    this.notBefore = decodeTime(validity.children[0]);
    this.notAfter = decodeTime(validity.children[1]);
    this.subject = parseName(f[i++]);
    const spki = derExpect(f[i++], TAG.SEQUENCE);
    this.subjectPublicKeyInfo = spki.raw;
    [this.publicKeyAlgorithm, this.publicKey] = readPublicKey(spki);
    // issuerUniqueID [1] and subjectUniqueID [2] (v2/v3) are read past.
    if (f[i]?.tag === 0x81 || f[i]?.tag === 0xa1) i++;
    if (f[i]?.tag === 0x82 || f[i]?.tag === 0xa2) i++;
    const exts: X509Extension[] = [];
    if (f[i]?.tag === 0xa3) {
      const wrapper = f[i++]!;
      if (version !== 3) x509Fail('extensions in a certificate that is not version 3');
      if (wrapper.children.length !== 1) x509Fail('bad extensions');
      const list = derExpect(wrapper.children[0], TAG.SEQUENCE);
      if (list.children.length === 0) x509Fail('empty extensions');
      for (const e of list.children) exts.push(readExtension(e));
    }
    if (i !== f.length) x509Fail('unexpected elements in tbsCertificate');
    const seen = new Set<string>();
    for (const e of exts) {
      if (seen.has(e.oid)) x509Fail(`duplicate extension ${e.name} (RFC 5280 §4.2)`);
      seen.add(e.oid);
    }
    this.extensions = exts;
    const parsed = parseExtensions(exts);
    Object.assign(this, parsed);
    this.fingerprints = {
      sm3: bytesToHex(sm3(der)),
      sha256: createHash('sha256').update(der).digest('hex'),
    };
    Object.freeze(this.extensions);
  }

  /** Whether subject and issuer are the same name (RFC 5280 §6.1: "self-issued"). */
  get isSelfIssued(): boolean {
    return this.subject.equals(this.issuer);
  }

  /** Whether basicConstraints says cA = TRUE. */
  get isCA(): boolean {
    return this.basicConstraints?.ca === true;
  }

  /** Critical extensions this module does not process (a verifier must reject the certificate). */
  get unhandledCriticalExtensions(): readonly X509Extension[] {
    return this.extensions.filter((e) => e.critical && !KNOWN_EXTENSIONS.has(e.oid));
  }

  /**
   * Whether the certificate is within its validity period at `time` (inclusive bounds,
   * RFC 5280 §4.1.2.5).
   * @param time the instant (default now)
   */
  isValidAt(time: Date = new Date()): boolean {
    const t = time.getTime();
    return t >= this.notBefore.getTime() && t <= this.notAfter.getTime();
  }

  /**
   * Verifies this certificate's signature with the issuer's public key, over the original TBS
   * bytes. SM2: ID 1234567812345678 unless `sm2Id` is given; empty-ID signatures only with
   * `allowEmptyId`; signatures without Z never. Also checks that the inner and outer
   * signature algorithms are identical (RFC 5280 §4.1.1.2).
   * @param issuer the issuer's certificate or public key (this certificate itself for a
   *   self-signed one)
   * @param options `sm2Id`, `allowEmptyId`
   * @returns whether the signature is valid
   * @example leaf.verifySignature(intermediate)
   */
  verifySignature(issuer: Certificate | Sm2PublicKey | KeyObject, options?: SignatureOptions): boolean {
    const key = issuer instanceof Certificate ? issuer.publicKey : issuer;
    if (!equalBytes(this.signatureAlgorithm.der, this.tbsSignatureAlgorithm.der)) return false;
    return checkSignature(this, key, options).ok;
  }

  /** Whether `other` is the same certificate (same DER). */
  equals(other: Certificate): boolean {
    return this === other || equalBytes(this.der, other.der);
  }

  /** PEM text ("CERTIFICATE"). */
  toPem(): string {
    return pemEncode('CERTIFICATE', this.der);
  }

  /** A one-line description: subject, issuer, serial. */
  toString(): string {
    return `Certificate(subject=${this.subject.toString()}, issuer=${this.issuer.toString()}, serial=${this.serialNumber})`;
  }

  /** @internal */
  static create(der: Uint8Array): Certificate {
    return new Certificate(INTERNAL, der);
  }
}

function readExtension(node: DerNode): X509Extension {
  derExpect(node, TAG.SEQUENCE);
  const c = node.children;
  if (c.length < 2 || c.length > 3) x509Fail('an Extension has 2 or 3 elements');
  const oid = derOid(c[0]);
  let critical = false;
  if (c.length === 3) critical = derExpect(c[1], TAG.BOOLEAN).content[0] === 0xff;
  const value = derExpect(c[c.length - 1], TAG.OCTET_STRING).content;
  return { oid, name: EXTENSION_NAMES[oid] ?? oid, critical, value };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type ParsedExtensions = Mutable<
  Pick<
    Certificate,
    | 'basicConstraints'
    | 'keyUsage'
    | 'extKeyUsage'
    | 'subjectAltName'
    | 'issuerAltName'
    | 'subjectKeyIdentifier'
    | 'authorityKeyIdentifier'
    | 'certificatePolicies'
    | 'crlDistributionPoints'
    | 'authorityInfoAccess'
    | 'subjectInfoAccess'
    | 'nameConstraints'
  >
>;

/**
 * Reads the known extensions. Security-relevant ones (basicConstraints, keyUsage,
 * extKeyUsage, names, key identifiers, nameConstraints) must be well formed; the informational
 * ones (policies, CRL distribution points, information access) are left out when malformed and
 * not critical, so one odd URL does not make a CA certificate unusable.
 */
export function parseExtensions(exts: readonly X509Extension[]): ParsedExtensions {
  const out: ParsedExtensions = {};
  for (const e of exts) {
    const strict = <T>(what: string, fn: (v: Uint8Array) => T): T => {
      try {
        return fn(e.value);
      } catch (err) {
        return x509Fail(`malformed ${what} extension: ${(err as Error).message}`, err);
      }
    };
    const lenient = <T>(what: string, fn: (v: Uint8Array) => T): T | undefined => {
      try {
        return fn(e.value);
      } catch (err) {
        if (e.critical) return x509Fail(`malformed critical ${what} extension: ${(err as Error).message}`, err);
        return undefined;
      }
    };
    switch (e.oid) {
      case EXT.BASIC_CONSTRAINTS:
        out.basicConstraints = strict('basicConstraints', parseBasicConstraints);
        break;
      case EXT.KEY_USAGE:
        out.keyUsage = strict('keyUsage', parseKeyUsage);
        break;
      case EXT.EXT_KEY_USAGE:
        out.extKeyUsage = strict('extKeyUsage', parseExtKeyUsage);
        break;
      case EXT.SUBJECT_ALT_NAME:
        out.subjectAltName = strict('subjectAltName', parseAltName);
        break;
      case EXT.ISSUER_ALT_NAME:
        out.issuerAltName = lenient('issuerAltName', parseAltName);
        break;
      case EXT.SUBJECT_KEY_IDENTIFIER:
        out.subjectKeyIdentifier = strict('subjectKeyIdentifier', parseSubjectKeyIdentifier);
        break;
      case EXT.AUTHORITY_KEY_IDENTIFIER:
        out.authorityKeyIdentifier = strict('authorityKeyIdentifier', parseAuthorityKeyIdentifier);
        break;
      case EXT.NAME_CONSTRAINTS:
        out.nameConstraints = strict('nameConstraints', parseNameConstraints);
        break;
      case EXT.CERTIFICATE_POLICIES:
        out.certificatePolicies = lenient('certificatePolicies', parseCertificatePolicies);
        break;
      case EXT.CRL_DISTRIBUTION_POINTS:
        out.crlDistributionPoints = lenient('cRLDistributionPoints', parseCrlDistributionPoints);
        break;
      case EXT.AUTHORITY_INFO_ACCESS:
        out.authorityInfoAccess = lenient('authorityInfoAccess', parseInfoAccess);
        break;
      case EXT.SUBJECT_INFO_ACCESS:
        out.subjectInfoAccess = lenient('subjectInfoAccess', parseInfoAccess);
        break;
      default:
        break;
    }
  }
  for (const k of Object.keys(out) as (keyof ParsedExtensions)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * The public key of a SubjectPublicKeyInfo: SM2 (id-ecPublicKey + sm2 curve, or the sm2 OID as
 * algorithm; spec digest §4.3) as Sm2PublicKey, anything node:crypto reads as a KeyObject,
 * otherwise null.
 * @throws GuomiError ERR_DECODE for an SM2 key that is not a valid point, or a malformed SPKI
 */
export function readPublicKey(spki: DerNode): [PublicKeyAlgorithm, Sm2PublicKey | KeyObject | null] {
  if (spki.children.length !== 2) x509Fail('SubjectPublicKeyInfo has 2 elements');
  const alg = derExpect(spki.children[0], TAG.SEQUENCE);
  if (alg.children.length < 1 || alg.children.length > 2) x509Fail('bad AlgorithmIdentifier in SubjectPublicKeyInfo');
  derExpect(spki.children[1], TAG.BIT_STRING);
  const oid = derOid(alg.children[0]);
  const params = alg.children[1];
  const curve = oid === ALG.EC_PUBLIC_KEY && params?.tag === TAG.OID ? derOid(params) : undefined;
  const sm2 = oid === ALG.SM2 || curve === ALG.SM2;
  const info: PublicKeyAlgorithm = {
    oid,
    name: KEY_ALGORITHMS[oid] ?? oid,
    ...(curve ? { curve, curveName: CURVES[curve] ?? curve } : oid === ALG.SM2 ? { curve: ALG.SM2, curveName: 'sm2' } : {}),
    sm2,
  };
  if (sm2) {
    try {
      return [info, Sm2PublicKey.from(spki.raw)];
    } catch (err) {
      if (err instanceof GuomiError || err instanceof RangeError) x509Fail(`invalid SM2 public key: ${err.message}`, err);
      throw err;
    }
  }
  try {
    return [info, createPublicKey({ key: Buffer.from(spki.raw), format: 'der', type: 'spki' })];
  } catch {
    return [info, null];
  }
}

/**
 * Parses one certificate.
 * @param input PEM text (the first CERTIFICATE block; other text is ignored), DER bytes, or
 *   bytes holding PEM text
 * @returns the certificate
 * @throws TypeError for an input of the wrong type; GuomiError ERR_DECODE for malformed PEM or
 *   DER (truncated, wrong tags, bad lengths, too deep, trailing bytes, bad times, duplicate or
 *   malformed extensions, an invalid SM2 key)
 * @example const cert = parseCertificate(fs.readFileSync('server.pem', 'utf8'));
 */
export function parseCertificate(input: CertificateInput): Certificate {
  if (input instanceof Certificate) return input;
  const der = readDerOrPem(input, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE'], 'input');
  if (der.length > MAX_INPUT) x509Fail('certificate too long');
  return wrapDecode(() => Certificate.create(copy(der)));
}

/**
 * Parses every CERTIFICATE block of a PEM bundle (other blocks and text are skipped), or an
 * array of PEM/DER certificates.
 * @param input PEM text or bytes, or an array of certificate inputs
 * @returns the certificates, in order (possibly none)
 * @throws GuomiError ERR_DECODE if any block is malformed
 * @example parseCertificates(fs.readFileSync('chain.pem', 'utf8')).length
 */
export function parseCertificates(input: string | Uint8Array | readonly CertificateInput[]): Certificate[] {
  if (Array.isArray(input)) return input.map((c, i) => {
    try {
      return parseCertificate(c as CertificateInput);
    } catch (err) {
      if (err instanceof TypeError) throw new TypeError(`"input[${i}]": ${err.message}`);
      throw err;
    }
  });
  if (isBytes(input) && input[0] === 0x30) return [parseCertificate(input)];
  if (typeof input !== 'string' && !isBytes(input)) {
    throw new TypeError('"input" must be PEM text, DER bytes or an array of certificates');
  }
  return pemDecodeAll(input)
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
    .map((b) => wrapDecode(() => Certificate.create(b.der)));
}

function copy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Runs a decoder so that any failure inside becomes GuomiError ERR_DECODE. */
export function wrapDecode<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof GuomiError) {
      if (err.code === 'ERR_DECODE') throw err;
      x509Fail(err.message, err);
    }
    if (err instanceof RangeError || err instanceof TypeError) x509Fail(err.message, err);
    throw err;
  }
}
