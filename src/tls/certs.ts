/**
 * Certificates and keys for guomi/tls: the credentials of one endpoint (a secure context), the
 * validation of the peer's chain with guomi/x509 (SM2 signatures with the default ID, RFC 8998
 * §3.2.1) and the node:tls-shaped description of a peer certificate.
 * @module
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { TAG, derDecode } from '../der.js';
import { GuomiError } from '../errors.js';
import { decryptPrivateKeyInfo } from '../sm2/pbes2.js';
import { Sm2PrivateKey, Sm2PublicKey } from '../sm2.js';
import { isBytes } from '../utils.js';
import {
  Certificate,
  KEY_PURPOSES,
  matchHostname,
  parseCertificate,
  parseCertificates,
  verifyChain,
  type X509Name,
} from '../x509/index.js';
import { AlertDescription } from './constants.js';
import { TlsError } from './errors.js';

/** A certificate as the options take it: PEM text (one or more blocks), DER bytes or a parsed one. */
export type CertificateLike = string | Uint8Array | Certificate;

/** A private key as the options take it: PEM text, DER bytes or an Sm2PrivateKey. */
export type PrivateKeyLike = string | Uint8Array | Sm2PrivateKey;

/** The credentials and trust anchors of one endpoint (see {@link createSecureContext}). */
export interface SecureContextOptions {
  /**
   * The certificate chain, leaf first: PEM text (a bundle is read in order), DER bytes, a
   * Certificate, or an array of those. The leaf must hold an SM2 key matching `key`.
   */
  cert?: CertificateLike | readonly CertificateLike[];
  /**
   * The SM2 private key of the leaf: PEM (PKCS#8, SEC 1, or encrypted PKCS#8 with `passphrase`),
   * DER or an Sm2PrivateKey.
   */
  key?: PrivateKeyLike;
  /**
   * Passphrase of an encrypted `key` ("ENCRYPTED PRIVATE KEY": PBES2 with PBKDF2 over HMAC-SM3
   * as GmSSL and Tongsuo write it, or over SHA-2, and SM4-CBC).
   */
  passphrase?: string;
  /**
   * Trust anchors for the peer's chain: PEM text (bundles allowed), DER, Certificates, or an
   * array of those. There is no default store of SM2 roots: without `ca` no peer chain is
   * trusted.
   */
  ca?: CertificateLike | readonly CertificateLike[];
}

/**
 * Parsed credentials, made once and shared by every connection that uses them (parsing and
 * key precomputation are then not repeated per handshake).
 */
export class SecureContext {
  /** Own chain, leaf first (empty when no `cert` was given). */
  readonly chain: readonly Certificate[];
  /** DER of {@link chain}, as sent in Certificate messages. */
  readonly chainDer: readonly Uint8Array[];
  /** Own private key, if any. */
  readonly key: Sm2PrivateKey | undefined;
  /** Trust anchors. */
  readonly ca: readonly Certificate[];

  /** @internal Use createSecureContext(). */
  constructor(chain: Certificate[], key: Sm2PrivateKey | undefined, ca: Certificate[]) {
    this.chain = chain;
    this.chainDer = chain.map((c) => c.der);
    this.key = key;
    this.ca = ca;
  }
}

function certList(input: unknown, name: string): Certificate[] {
  if (input === undefined || input === null) return [];
  const items = Array.isArray(input) ? (input as unknown[]) : [input];
  const out: Certificate[] = [];
  items.forEach((item, i) => {
    const where = `"${name}${Array.isArray(input) ? `[${i}]` : ''}"`;
    // PEM text must hold at least one certificate: a file name passed instead of the file's
    // contents would otherwise become an empty list (no trust anchors, or no chain).
    const pem = (text: string) => {
      const found = parseCertificates(text);
      if (found.length === 0) {
        throw new GuomiError('ERR_DECODE', `${where} holds no PEM certificate (pass the file's contents, not its name)`);
      }
      return found;
    };
    if (item instanceof Certificate) out.push(item);
    else if (typeof item === 'string') out.push(...pem(item));
    else if (isBytes(item)) {
      // DER starts with a SEQUENCE; anything else is taken as PEM text in a Buffer.
      if (item[0] === 0x30) out.push(parseCertificate(item));
      else out.push(...pem(new TextDecoder().decode(item)));
    } else {
      throw new TypeError(`"${name}${Array.isArray(input) ? `[${i}]` : ''}" must be PEM text, DER bytes or a Certificate`);
    }
  });
  return out;
}

/** Reads PKCS#8 DER decrypted from an EncryptedPrivateKeyInfo, then wipes it. */
function fromDecrypted(input: string | Uint8Array, passphrase: unknown): Sm2PrivateKey {
  if (passphrase === undefined || passphrase === null) {
    throw new TypeError('"key" is an encrypted private key: give its "passphrase"');
  }
  if (typeof passphrase !== 'string' && !isBytes(passphrase)) throw new TypeError('"passphrase" must be a string or bytes');
  const der = decryptPrivateKeyInfo(input, passphrase);
  try {
    return Sm2PrivateKey.from(der, { format: 'der', type: 'pkcs8' });
  } catch (err) {
    // Garbage that happened to end in valid padding: most likely the wrong passphrase.
    throw new GuomiError('ERR_DECODE', `"key": wrong passphrase or corrupted key (${(err as Error).message})`, { cause: err });
  } finally {
    der.fill(0);
  }
}

function privateKey(input: unknown, passphrase: unknown): Sm2PrivateKey | undefined {
  if (input === undefined || input === null) return undefined;
  if (input instanceof Sm2PrivateKey) return input;
  // PEM in a Buffer (as fs.readFileSync returns it) is read as text.
  const text = typeof input === 'string' ? input : isBytes(input) && input[0] === 0x2d /* '-' */ ? new TextDecoder().decode(input) : undefined;
  if (text !== undefined) {
    if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) return fromDecrypted(text, passphrase);
    return Sm2PrivateKey.from(text);
  }
  if (isBytes(input)) {
    // DER: an EncryptedPrivateKeyInfo starts with an AlgorithmIdentifier (a SEQUENCE), a
    // PrivateKeyInfo with its version (an INTEGER), SEC 1 with its version too.
    if (input.length > 4 && input[0] === 0x30 && isEncryptedDer(input)) return fromDecrypted(input, passphrase);
    return Sm2PrivateKey.from(input, { format: 'der' });
  }
  throw new TypeError('"key" must be PEM text, DER bytes or an Sm2PrivateKey');
}

function isEncryptedDer(der: Uint8Array): boolean {
  try {
    return derDecode(der).children[0]?.tag === TAG.SEQUENCE;
  } catch {
    return false;
  }
}

/**
 * Parses credentials once: the chain, the private key (checked against the leaf's public key)
 * and the trust anchors. Pass the result as `secureContext` to many connections, or let
 * connect()/createServer() make one from the same options.
 * @param options `cert`, `key`, `ca`
 * @returns the context
 * @throws TypeError for inputs of the wrong type; RangeError when only one of cert/key is
 *   given, or the leaf key is not SM2 or does not match `key`; GuomiError ERR_DECODE for
 *   malformed certificates or keys
 * @example const ctx = createSecureContext({ cert: fs.readFileSync('server.pem'), key: fs.readFileSync('server.key') });
 */
export function createSecureContext(options: SecureContextOptions = {}): SecureContext {
  const chain = certList(options.cert, 'cert');
  const key = privateKey(options.key, options.passphrase);
  const ca = certList(options.ca, 'ca');
  if (chain.length > 0 !== (key !== undefined)) {
    throw new RangeError('"cert" and "key" must be given together');
  }
  if (key && chain[0]) {
    const pub = chain[0].publicKey;
    if (!(pub instanceof Sm2PublicKey)) {
      throw new RangeError('the certificate does not hold an SM2 public key (RFC 8998 §3.3.3)');
    }
    if (!pub.equals(key.publicKey)) throw new RangeError('"key" does not match the public key of the certificate');
  }
  return new SecureContext(chain, key, ca);
}

/** The outcome of checking a peer's chain. */
export interface PeerCheck {
  /** The parsed chain as received, leaf first. */
  certificates: Certificate[];
  /** The leaf's SM2 key (for CertificateVerify). */
  publicKey: Sm2PublicKey;
  /** Undefined when the chain is trusted; otherwise the failure (with its alert). */
  error: TlsError | undefined;
}

/** The alert for a guomi/x509 verification failure (RFC 8446 §6.2). */
export function alertForVerifyCode(code: string): number {
  switch (code) {
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return AlertDescription.CERTIFICATE_EXPIRED;
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return AlertDescription.UNKNOWN_CA;
    case 'INVALID_PURPOSE':
    case 'UNSUPPORTED_SIGNATURE_ALGORITHM':
      return AlertDescription.UNSUPPORTED_CERTIFICATE;
    default:
      return AlertDescription.BAD_CERTIFICATE;
  }
}

/**
 * Parses and validates the peer's certificate_list (RFC 8446 §4.4.2.4): the leaf must carry an
 * SM2 key with digitalSignature usage (RFC 8998 §3.3.3); the path is built from the rest of the
 * list to `ca`, with the given purpose. A malformed certificate throws bad_certificate at once;
 * a chain that is not trusted is returned as `error` (the caller decides whether to go on).
 */
export function checkPeerChain(entries: readonly Uint8Array[], ca: readonly Certificate[], purpose: 'serverAuth' | 'clientAuth'): PeerCheck {
  let certificates: Certificate[];
  try {
    certificates = entries.map((der) => parseCertificate(der));
  } catch (err) {
    throw new TlsError(`peer certificate could not be parsed: ${(err as Error).message}`, {
      alert: AlertDescription.BAD_CERTIFICATE,
      cause: err,
    });
  }
  const leaf = certificates[0]!;
  const publicKey = leaf.publicKey;
  if (!(publicKey instanceof Sm2PublicKey)) {
    throw new TlsError('peer certificate does not hold an SM2 public key (RFC 8998 §3.3.3)', {
      alert: AlertDescription.UNSUPPORTED_CERTIFICATE,
    });
  }
  if (leaf.keyUsage && !leaf.keyUsage.includes('digitalSignature')) {
    throw new TlsError('peer certificate keyUsage lacks digitalSignature (RFC 8998 §3.3.3)', {
      alert: AlertDescription.UNSUPPORTED_CERTIFICATE,
    });
  }
  let error: TlsError | undefined;
  if (ca.length === 0) {
    error = new TlsError('no trust anchors configured ("ca") for the peer certificate', {
      alert: AlertDescription.UNKNOWN_CA,
    });
    error.verifyCode = 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  } else {
    let r;
    try {
      r = verifyChain(leaf, { roots: ca as Certificate[], intermediates: certificates.slice(1), purpose });
    } catch (err) {
      throw new TlsError(`peer certificate chain could not be processed: ${(err as Error).message}`, {
        alert: AlertDescription.BAD_CERTIFICATE,
        cause: err,
      });
    }
    if (!r.ok) {
      error = new TlsError(`peer certificate rejected: ${r.code}: ${r.reason}`, { alert: alertForVerifyCode(r.code) });
      error.verifyCode = r.code;
    }
  }
  return { certificates, publicKey, error };
}

/**
 * The default server identity check (RFC 6125 via guomi/x509's matchHostname): returns an
 * Error (code ERR_TLS_CERT_ALTNAME_INVALID, as node:tls) when `cert` does not match
 * `hostname`, undefined when it does.
 * @param hostname the name or IP address the client connected to
 * @param cert the peer certificate as {@link PeerCertificate} (its `x509` field is used)
 */
export function checkServerIdentity(hostname: string, cert: PeerCertificate): Error | undefined {
  const x = cert.x509;
  if (x && matchHostname(x, hostname)) return undefined;
  const err = new Error(
    `Hostname/IP does not match certificate's altnames: ${isIP(hostname) ? 'IP' : 'Host'}: ${hostname} is not in the cert's altnames: ${cert.subjectaltname ?? ''}`,
  ) as Error & { code: string; reason: string; host: string; cert: PeerCertificate };
  err.code = 'ERR_TLS_CERT_ALTNAME_INVALID';
  err.reason = `${isIP(hostname) ? 'IP' : 'Host'}: ${hostname} is not in the cert's altnames`;
  err.host = hostname;
  err.cert = cert;
  return err;
}

/**
 * A peer certificate in the shape node:tls's getPeerCertificate() returns, plus the parsed
 * guomi/x509 {@link Certificate} as `x509` and its SM3 fingerprint.
 */
export interface PeerCertificate {
  subject: Record<string, string | string[]>;
  issuer: Record<string, string | string[]>;
  /** "DNS:a, IP Address:1.2.3.4" as node:tls writes it, when the certificate has SANs. */
  subjectaltname?: string;
  ca: boolean;
  /** The uncompressed SM2 point. */
  pubkey: Buffer;
  bits: number;
  asn1Curve: string;
  valid_from: string;
  valid_to: string;
  /** SHA-1, SHA-256 and SHA-512 fingerprints as colon-separated upper-case hex. */
  fingerprint: string;
  fingerprint256: string;
  fingerprint512: string;
  /** SM3 fingerprint, colon-separated upper-case hex (guomi addition). */
  fingerprintSm3: string;
  /** extKeyUsage OIDs. */
  ext_key_usage?: string[];
  serialNumber: string;
  raw: Buffer;
  /** The parsed certificate (guomi addition). */
  x509: Certificate;
  /** With getPeerCertificate(true): the issuer's entry (the root refers to itself). */
  issuerCertificate?: PeerCertificate;
}

function nameObject(name: X509Name): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const rdn of name.rdns) {
    for (const a of rdn) {
      const prev = out[a.name];
      if (prev === undefined) out[a.name] = a.value;
      else out[a.name] = Array.isArray(prev) ? [...prev, a.value] : [prev, a.value];
    }
  }
  return out;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** OpenSSL's ASN1_TIME_print format, as node:tls uses: "Jan  1 00:00:00 2030 GMT". */
function opensslTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p(d.getUTCHours())}:${p(
    d.getUTCMinutes(),
  )}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`;
}

function colonHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

const PURPOSE_OIDS: Readonly<Record<string, string>> = KEY_PURPOSES;

/** Describes a certificate as node:tls does (see {@link PeerCertificate}). */
export function describeCertificate(cert: Certificate): PeerCertificate {
  const der = cert.der;
  const san = cert.subjectAltName
    ?.map((n) => {
      if (n.type === 'dns') return `DNS:${n.value}`;
      if (n.type === 'ip') return `IP Address:${n.value}`;
      if (n.type === 'email') return `email:${n.value}`;
      if (n.type === 'uri') return `URI:${n.value}`;
      return undefined;
    })
    .filter((s): s is string => s !== undefined)
    .join(', ');
  const pub = cert.publicKey instanceof Sm2PublicKey ? cert.publicKey.toBytes() : new Uint8Array(0);
  const out: PeerCertificate = {
    subject: nameObject(cert.subject),
    issuer: nameObject(cert.issuer),
    ca: cert.isCA,
    pubkey: Buffer.from(pub),
    bits: 256,
    asn1Curve: 'SM2',
    valid_from: opensslTime(cert.notBefore),
    valid_to: opensslTime(cert.notAfter),
    fingerprint: colonHex(createHash('sha1').update(der).digest()),
    fingerprint256: colonHex(createHash('sha256').update(der).digest()),
    fingerprint512: colonHex(createHash('sha512').update(der).digest()),
    fingerprintSm3: cert.fingerprints.sm3.toUpperCase().replace(/(..)(?!$)/g, '$1:'),
    serialNumber: cert.serialNumber.toUpperCase(),
    raw: Buffer.from(der),
    x509: cert,
  };
  if (san) out.subjectaltname = san;
  if (cert.extKeyUsage) out.ext_key_usage = cert.extKeyUsage.map((p) => PURPOSE_OIDS[p] ?? p);
  return out;
}

/**
 * node:tls's getPeerCertificate(detailed) over a received chain: the leaf, and with `detailed`
 * each entry linked to the next through issuerCertificate (the last one to itself when it is
 * self-issued).
 */
export function describeChain(chain: readonly Certificate[], detailed: boolean): PeerCertificate | Record<string, never> {
  if (chain.length === 0) return {};
  const first = describeCertificate(chain[0]!);
  if (!detailed) return first;
  let cur = first;
  for (let i = 1; i < chain.length; i++) {
    const next = describeCertificate(chain[i]!);
    cur.issuerCertificate = next;
    cur = next;
  }
  if (cur.x509.isSelfIssued) cur.issuerCertificate = cur;
  return first;
}

/** The context of connect()/createServer() options: `secureContext`, or one made from cert/key/ca. */
export function contextFromOptions(options: SecureContextOptions & { secureContext?: SecureContext }): SecureContext {
  if (options.secureContext !== undefined) {
    if (!(options.secureContext instanceof SecureContext)) {
      throw new TypeError('"secureContext" must come from createSecureContext()');
    }
    return options.secureContext;
  }
  return createSecureContext(options);
}
