/**
 * Certificate signing requests (PKCS #10, RFC 2986): reading, checking the self-signature and
 * creating them with SM2-with-SM3 and the ID 1234567812345678.
 * @module
 */
import type { KeyObject } from 'node:crypto';
import { TAG, derBitStringBytes, derEncode, derExpect, derOid, derSmallInteger, derTlv, type DerNode } from '../der.js';
import { pemEncode } from '../pem.js';
import type { Sm2PrivateKeyInput, Sm2PublicKey } from '../sm2.js';
import { aoptions, equalBytes } from '../utils.js';
import { MAX_INPUT, decodeDer, parseAlgorithm, readDerOrPem, x509Fail, type AlgorithmIdentifier } from './asn1.js';
import {
  checkExtKeyUsage,
  checkExtensions,
  checkKeyUsage,
  commonExtensions,
  extensionsSequence,
  signStructure,
  subjectPublicKeyInfo,
  withSigningKey,
  type ExtensionInput,
} from './build.js';
import { parseExtensions, readPublicKey, wrapDecode, type PublicKeyAlgorithm } from './certificate.js';
import { encodeExtension, type AltNameInput, type BasicConstraints, type GeneralName, type KeyUsageFlag, type X509Extension } from './extensions.js';
import { X509Name, parseName, type X509NameInput } from './name.js';
import { EXTENSION_NAMES, EXTENSION_REQUEST } from './oids.js';
import { checkSignature, type SignatureOptions } from './signature.js';

const INTERNAL = Symbol('CertificateRequest');

/** One attribute of a CSR. */
export interface CsrAttribute {
  /** The attribute type, dotted OID. */
  readonly oid: string;
  /** The DER of each value. */
  readonly values: readonly Uint8Array[];
}

/** A parsed PKCS #10 certification request. */
export class CertificateRequest {
  /** The whole request, DER. */
  readonly der: Uint8Array;
  /** The original DER of certificationRequestInfo (what the signature covers). */
  readonly tbs: Uint8Array;
  /** The subject name requested. */
  readonly subject: X509Name;
  /** The DER of subjectPKInfo. */
  readonly subjectPublicKeyInfo: Uint8Array;
/** The requested public key algorithm. */
  readonly publicKeyAlgorithm: PublicKeyAlgorithm;
  /** The requested public key: Sm2PublicKey for SM2 keys, a KeyObject for others, else null. */
  readonly publicKey: Sm2PublicKey | KeyObject | null;
/** The algorithm the request is signed with. */
  readonly signatureAlgorithm: AlgorithmIdentifier;
/** The signature value (for SM2 the DER SEQUENCE { r, s }). */
  readonly signature: Uint8Array;
  /** Every attribute. */
  readonly attributes: readonly CsrAttribute[];
  /** The extensions of the extensionRequest attribute (PKCS #9), if any. */
  readonly extensions: readonly X509Extension[];
/** Requested subjectAltName entries (from the extensionRequest attribute). */
  readonly subjectAltName?: readonly GeneralName[];
/** Requested keyUsage bits. */
  readonly keyUsage?: readonly KeyUsageFlag[];
/** Requested extKeyUsage purposes. */
  readonly extKeyUsage?: readonly string[];
/** Requested basicConstraints. */
  readonly basicConstraints?: BasicConstraints;

  /** @internal Use parseCsr(). */
  constructor(token: symbol, der: Uint8Array) {
    if (token !== INTERNAL) throw new TypeError('use parseCsr()');
    this.der = der;
    const top = derExpect(decodeDer(der), TAG.SEQUENCE);
    if (top.children.length !== 3) x509Fail('a CertificationRequest has 3 elements');
    const [info, alg, sig] = top.children as [DerNode, DerNode, DerNode];
    this.tbs = derExpect(info, TAG.SEQUENCE).raw;
    this.signatureAlgorithm = parseAlgorithm(alg);
    this.signature = derBitStringBytes(sig);
    const f = info.children;
    if (f.length !== 4) x509Fail('certificationRequestInfo has 4 elements');
    if (derSmallInteger(f[0]) !== 0) x509Fail('unknown CSR version');
    this.subject = parseName(f[1]);
    const spki = derExpect(f[2], TAG.SEQUENCE);
    this.subjectPublicKeyInfo = spki.raw;
    [this.publicKeyAlgorithm, this.publicKey] = readPublicKey(spki);
    const attrs = derExpect(f[3], TAG.CONTEXT_0);
    const attributes: CsrAttribute[] = [];
    let extensions: X509Extension[] = [];
    for (const a of attrs.children) {
      derExpect(a, TAG.SEQUENCE);
      if (a.children.length !== 2) x509Fail('an Attribute has 2 elements');
      const oid = derOid(a.children[0]);
      const values = derExpect(a.children[1], TAG.SET).children;
      attributes.push({ oid, values: values.map((v) => v.raw) });
      if (oid === EXTENSION_REQUEST) {
        if (values.length !== 1) x509Fail('extensionRequest must have one value');
        extensions = derExpect(values[0], TAG.SEQUENCE).children.map((e) => {
          derExpect(e, TAG.SEQUENCE);
          const c = e.children;
          if (c.length < 2 || c.length > 3) x509Fail('an Extension has 2 or 3 elements');
          const eoid = derOid(c[0]);
          return {
            oid: eoid,
            name: EXTENSION_NAMES[eoid] ?? eoid,
            critical: c.length === 3 && derExpect(c[1], TAG.BOOLEAN).content[0] === 0xff,
            value: derExpect(c[c.length - 1], TAG.OCTET_STRING).content,
          };
        });
      }
    }
    this.attributes = attributes;
    this.extensions = extensions;
    const parsed = parseExtensions(extensions);
    if (parsed.subjectAltName) this.subjectAltName = parsed.subjectAltName;
    if (parsed.keyUsage) this.keyUsage = parsed.keyUsage;
    if (parsed.extKeyUsage) this.extKeyUsage = parsed.extKeyUsage;
    if (parsed.basicConstraints) this.basicConstraints = parsed.basicConstraints;
  }

  /**
   * Checks the self-signature (proof of possession) with the requested key: SM2 with ID
   * 1234567812345678 unless `sm2Id` is given (`allowEmptyId` for CSRs made by OpenSSL 3.x
   * without `-sigopt distid:…`).
   * @param options `sm2Id`, `allowEmptyId`
   * @returns whether the signature is valid
   */
  verifySignature(options?: SignatureOptions): boolean {
    return checkSignature(this, this.publicKey, aoptions<SignatureOptions>(options)).ok;
  }

  /** PEM text ("CERTIFICATE REQUEST"). */
  toPem(): string {
    return pemEncode('CERTIFICATE REQUEST', this.der);
  }

  /** @internal */
  static create(der: Uint8Array): CertificateRequest {
    return new CertificateRequest(INTERNAL, der);
  }
}

/**
 * Parses a PKCS #10 request.
 * @param input PEM ("CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST") or DER
 * @returns the request (its signature is not checked here: see verifySignature())
 * @throws TypeError for the wrong type; GuomiError ERR_DECODE for malformed input
 * @example parseCsr(pem).subject.toString()
 */
export function parseCsr(input: CertificateRequest | string | Uint8Array): CertificateRequest {
  if (input instanceof CertificateRequest) return input;
  const der = readDerOrPem(input, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'], 'input');
  if (der.length > MAX_INPUT) x509Fail('request too long');
  const copy = new Uint8Array(der);
  return wrapDecode(() => CertificateRequest.create(copy));
}

/** Options of {@link createCsr}. */
export interface CreateCsrOptions {
  /** The subject name (see X509Name.from). */
  subject: X509NameInput;
  /** The private key of the requester (it signs the request; its public key is requested). */
  privateKey: Sm2PrivateKeyInput;
  /** Requested subjectAltName entries. */
  subjectAltName?: AltNameInput;
  /** Requested keyUsage. */
  keyUsage?: KeyUsageFlag[];
  /** Requested extKeyUsage: 'serverAuth', 'clientAuth', … or OIDs. */
  extKeyUsage?: string[];
  /** Further requested extensions. */
  extensions?: ExtensionInput[];
  /** The SM2 ID to sign with (default '1234567812345678'). */
  sm2Id?: string | Uint8Array;
}

/**
 * Creates a PKCS #10 request signed with SM2-with-SM3 (ID 1234567812345678); requested
 * extensions go into a PKCS #9 extensionRequest attribute. `openssl req -verify -vfyopt
 * distid:1234567812345678` accepts the result.
 * @param options `subject`, `privateKey`, `subjectAltName`, `keyUsage`, `extKeyUsage`,
 *   `extensions`, `sm2Id`
 * @returns the parsed request (`.der`, `.toPem()`)
 * @throws TypeError / RangeError for invalid options
 * @example createCsr({ subject: 'CN=www.example.cn,O=Example,C=CN', privateKey: key,
 *   subjectAltName: { dns: ['www.example.cn'] } }).toPem()
 */
export function createCsr(options: CreateCsrOptions): CertificateRequest {
  const opts = aoptions<CreateCsrOptions>(options);
  if (opts.subject === undefined) throw new TypeError('"subject" is required');
  const subject = X509Name.from(opts.subject);
  const exts = [
    ...commonExtensions({
      ...(opts.keyUsage !== undefined ? { keyUsage: checkKeyUsage(opts.keyUsage) } : {}),
      ...(opts.extKeyUsage !== undefined ? { extKeyUsage: checkExtKeyUsage(opts.extKeyUsage) } : {}),
      ...(opts.subjectAltName !== undefined ? { subjectAltName: opts.subjectAltName } : {}),
      subjectEmpty: subject.isEmpty,
    }),
    ...checkExtensions(opts.extensions).map((e) => encodeExtension(e.oid, e.critical === true, e.value)),
  ];
  return withSigningKey(opts.privateKey, 'privateKey', (key) => {
    const spki = subjectPublicKeyInfo(key.publicKey, 'privateKey');
    const attributes = exts.length
      ? derEncode.sequence(derEncode.oid(EXTENSION_REQUEST), derTlv(TAG.SET, extensionsSequence(exts)))
      : new Uint8Array(0);
    const info = derEncode.sequence(derEncode.smallInteger(0), subject.der, spki, derTlv(TAG.CONTEXT_0, attributes));
    const csr = CertificateRequest.create(signStructure(info, key, opts.sm2Id));
    if (!equalBytes(csr.subjectPublicKeyInfo, spki)) throw new Error('internal: CSR key mismatch');
    return csr;
  });
}
