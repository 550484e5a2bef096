/**
 * Certification path building and validation (RFC 5280 §6.1, with path building as in
 * RFC 4158): from the target certificate up to one of the given trust anchors, through any of
 * the given intermediates, trying every candidate issuer (cross-certificates included) without
 * loops, and checking on each path:
 *
 * - signatures over the original TBS bytes (§6.1.3 (a)(1)): SM2-with-SM3 with the ID
 *   1234567812345678 (GM/T 0009-2012 §10, GM/T 0015, RFC 8998 §3.2.1), RSA/ECDSA/EdDSA through
 *   node:crypto; tbsCertificate.signature must equal signatureAlgorithm (§4.1.1.2);
 * - validity at `time` of every certificate, the trust anchor included (§6.1.3 (a)(2));
 * - name chaining (§6.1.3 (a)(4)), candidates ordered by authority/subject key identifier;
 * - basicConstraints cA and pathLenConstraint (§6.1.4 (k), (l), (m)), keyUsage keyCertSign
 *   (§6.1.4 (n)); version 1/2 certificates are accepted as trust anchors only;
 * - nameConstraints for DNS names, IP addresses, e-mail addresses, URIs and directory names
 *   (§6.1.3 (b), (c));
 * - unknown critical extensions (§6.1.4 (o), §6.1.5 (f));
 * - extKeyUsage for the requested purpose on the leaf and on intermediates that carry it
 *   (§4.2.1.12, as OpenSSL does);
 * - the host name against subjectAltName (RFC 6125).
 *
 * Revocation (CRL/OCSP) and certificate policies are not processed.
 * @module
 */
import { aoptions, isBytes } from '../utils.js';
import { Certificate, parseCertificate, parseCertificates, type CertificateInput } from './certificate.js';
import type { GeneralName } from './extensions.js';
import { keyPurposeOid } from './extensions.js';
import { canonicalHost, matchHostname } from './hostname.js';
import type { X509Name } from './name.js';
import { KEY_PURPOSES } from './oids.js';
import { checkSignature } from './signature.js';

/**
 * The stable failure codes of {@link verifyChain} (named after OpenSSL's X509_V_ERR_* codes,
 * which node:tls also reports), with what each means.
 */
export const VERIFY_ERROR_CODES = {
  /** A certificate of the path (trust anchor included) is past its notAfter at `time`. */
  CERT_HAS_EXPIRED: 'certificate has expired',
  /** A certificate of the path is before its notBefore at `time`. */
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  /** No issuer of the certificate at `index` was found among the intermediates and roots. */
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  /** The target is self-issued and not a trust anchor. */
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  /** The path ends in a self-issued certificate that is not a trust anchor. */
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  /**
   * A signature does not verify: wrong key, tampered data, the issuer key of the wrong type,
   * an SM2 signature made with an empty ID (without `allowEmptyId`) or without Z.
   */
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  /** tbsCertificate.signature differs from signatureAlgorithm (RFC 5280 §4.1.1.2). */
  SIGNATURE_ALGORITHM_INCONSISTENCY: 'signature algorithm inconsistency',
  /** The signature algorithm (or its parameters, or the issuer key type) is not supported, including SHA-1 and MD5. */
  UNSUPPORTED_SIGNATURE_ALGORITHM: 'unsupported signature algorithm',
  /** An issuer is not a CA: basicConstraints absent or cA FALSE, or a v1/v2 intermediate. */
  INVALID_CA: 'invalid CA certificate',
  /** An issuer's pathLenConstraint is exceeded. */
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  /** An issuer's keyUsage does not include keyCertSign. */
  KEYUSAGE_NO_CERTSIGN: 'key usage does not include certificate signing',
  /** extKeyUsage (of the leaf or an intermediate) does not allow `purpose`. */
  INVALID_PURPOSE: 'unsupported certificate purpose',
  /** The leaf does not match `hostname`. */
  HOSTNAME_MISMATCH: 'hostname mismatch',
  /** A certificate has a critical extension this verifier does not process. */
  UNHANDLED_CRITICAL_EXTENSION: 'unhandled critical extension',
  /** A name is outside an issuer's permitted subtrees. */
  PERMITTED_VIOLATION: 'permitted subtree violation',
  /** A name is inside an issuer's excluded subtrees (or of a constrained form that cannot be checked). */
  EXCLUDED_VIOLATION: 'excluded subtree violation',
  /** The path would exceed `maxChainLength`, or path building gave up after too many candidates. */
  CERT_CHAIN_TOO_LONG: 'certificate chain too long',
} as const;

/** A failure code of {@link verifyChain}; see {@link VERIFY_ERROR_CODES}. */
export type VerifyErrorCode = keyof typeof VERIFY_ERROR_CODES;

/** What the leaf must be good for. */
export type VerifyPurpose = keyof typeof KEY_PURPOSES | 'any' | (string & {});

/** Options of {@link verifyChain}. */
export interface VerifyChainOptions {
  /** The trust anchors (required, at least one): certificates, PEM/DER, or a PEM bundle. */
  roots: readonly CertificateInput[] | string | Uint8Array;
  /** Untrusted certificates that may complete the path, in any order (cross-certificates welcome). */
  intermediates?: readonly CertificateInput[] | string | Uint8Array;
  /** The instant at which validity is checked (default: now). */
  time?: Date | number;
  /**
   * The purpose the leaf must allow: 'serverAuth', 'clientAuth', 'codeSigning',
   * 'emailProtection', 'timeStamping', 'ocspSigning', a dotted OID, or 'any' (default; no
   * extKeyUsage check).
   */
  purpose?: VerifyPurpose;
  /** The expected server name or IP address of the leaf (RFC 6125); not checked when absent. */
  hostname?: string;
  /** With `hostname`: fall back to the subject CN when the leaf has no DNS/IP alternative names. */
  cnFallback?: boolean;
  /** The SM2 ID the certificates were signed with (default '1234567812345678'). */
  sm2Id?: string | Uint8Array;
  /**
   * Accept SM2 certificate signatures made with an empty ID (legacy OpenSSL 1.1.1–3.x). Off by
   * default. Certificates signed without Z are rejected whatever this says.
   */
  allowEmptyId?: boolean;
  /** The longest path accepted, in certificates, leaf and anchor included (default 16). */
  maxChainLength?: number;
}

/** A successful validation: the path from the leaf (index 0) to the trust anchor (last). */
export interface VerifyChainSuccess {
  /** Always true. */
  ok: true;
  /** The validated path: the leaf first, the trust anchor last. */
  path: Certificate[];
}

/** A failed validation. */
export interface VerifyChainFailure {
  /** Always false. */
  ok: false;
  /** The stable failure code. */
  code: VerifyErrorCode;
  /** A human-readable explanation (may change between versions). */
  reason: string;
  /** The position, in `path`, of the certificate the failure is about (0 = the leaf). */
  index: number;
  /** The (partial) path on which the failure was found, leaf first. */
  path: Certificate[];
}

/** The result of {@link verifyChain}. */
export type VerifyChainResult = VerifyChainSuccess | VerifyChainFailure;

/** Link checks tried before path building gives up (cross-certificate meshes stay bounded). */
const MAX_LINK_CHECKS = 256;

interface Context {
  time: number;
  purposeOid: string | undefined;
  roots: Certificate[];
  rootSet: Set<string>;
  bySubject: Map<string, Certificate[]>;
  sigCache: Map<string, ReturnType<typeof checkSignature>>;
  sm2Id: string | Uint8Array | undefined;
  allowEmptyId: boolean;
  maxChainLength: number;
  linkChecks: number;
  best: (VerifyChainFailure & { rank: number }) | undefined;
}

function toCertificates(input: unknown, name: string): Certificate[] {
  if (input === undefined) return [];
  if (typeof input === 'string' || isBytes(input)) return parseCertificates(input);
  if (Array.isArray(input)) {
    return input.map((c, i) => {
      if (!(c instanceof Certificate) && typeof c !== 'string' && !isBytes(c)) {
        throw new TypeError(`"${name}[${i}]" must be a Certificate, PEM text or DER bytes`);
      }
      return parseCertificate(c);
    });
  }
  throw new TypeError(`"${name}" must be an array of certificates or a PEM bundle`);
}

/**
 * Builds and validates a certification path from `leaf` to one of `roots`.
 *
 * ```ts
 * const r = verifyChain(serverPem, { intermediates: [subCaPem], roots: [rootPem],
 *                                     purpose: 'serverAuth', hostname: 'www.example.cn' });
 * if (r.ok) console.log(r.path.map((c) => c.subject.toString()));
 * else console.log(r.code, r.reason, r.index);   // e.g. 'CERT_HAS_EXPIRED'
 * ```
 *
 * When `leaf` is itself one of the roots, its self-signature is checked (if it is self-issued)
 * along with its validity, purpose and host name. Of several failed paths, the failure found
 * deepest in the longest path is reported.
 * @param leaf the certificate to validate
 * @param options `roots` (required), `intermediates`, `time`, `purpose`, `hostname`,
 *   `cnFallback`, `sm2Id`, `allowEmptyId`, `maxChainLength`
 * @returns `{ok: true, path}` or `{ok: false, code, reason, index, path}` (codes:
 *   {@link VERIFY_ERROR_CODES})
 * @throws TypeError / RangeError for invalid options; GuomiError ERR_DECODE when `leaf`, a root
 *   or an intermediate is not a well-formed certificate
 */
export function verifyChain(leaf: CertificateInput, options: VerifyChainOptions): VerifyChainResult {
  if (options === undefined) throw new TypeError('"options" with "roots" is required');
  const opts = aoptions<VerifyChainOptions>(options);
  const target = parseCertificate(leaf);
  const roots = toCertificates(opts.roots, 'roots');
  if (roots.length === 0) throw new RangeError('"roots" must contain at least one certificate');
  const intermediates = toCertificates(opts.intermediates, 'intermediates');
  let time: number;
  if (opts.time === undefined) time = Date.now();
  else if (opts.time instanceof Date) time = opts.time.getTime();
  else if (typeof opts.time === 'number') time = opts.time;
  else throw new TypeError('"time" must be a Date or a number of milliseconds');
  if (!Number.isFinite(time)) throw new RangeError('"time" is not a valid date');
  let purposeOid: string | undefined;
  if (opts.purpose !== undefined) {
    if (typeof opts.purpose !== 'string') throw new TypeError('"purpose" must be a string');
    purposeOid = opts.purpose === 'any' ? undefined : keyPurposeOid(opts.purpose);
  }
  if (opts.hostname !== undefined && (typeof opts.hostname !== 'string' || opts.hostname === '')) {
    throw new TypeError('"hostname" must be a non-empty string');
  }
  for (const b of ['allowEmptyId', 'cnFallback'] as const) {
    if (opts[b] !== undefined && typeof opts[b] !== 'boolean') throw new TypeError(`"${b}" must be a boolean`);
  }
  if (opts.sm2Id !== undefined && typeof opts.sm2Id !== 'string' && !isBytes(opts.sm2Id)) {
    throw new TypeError('"sm2Id" must be a string or a Uint8Array');
  }
  const maxChainLength = opts.maxChainLength ?? 16;
  if (!Number.isInteger(maxChainLength) || maxChainLength < 1 || maxChainLength > 64) {
    throw new RangeError('"maxChainLength" must be an integer from 1 to 64');
  }

  const ctx: Context = {
    time,
    purposeOid,
    roots,
    rootSet: new Set(roots.map((r) => r.fingerprints.sha256)),
    bySubject: new Map(),
    sigCache: new Map(),
    sm2Id: opts.sm2Id,
    allowEmptyId: opts.allowEmptyId === true,
    maxChainLength,
    linkChecks: 0,
    best: undefined,
  };
  const seen = new Set<string>();
  for (const c of [...roots, ...intermediates]) {
    if (seen.has(c.fingerprints.sha256)) continue;
    seen.add(c.fingerprints.sha256);
    const key = c.subject.matchKey;
    const list = ctx.bySubject.get(key);
    if (list) list.push(c);
    else ctx.bySubject.set(key, [c]);
  }

  // The target's own checks: nothing below can repair them.
  const own =
    checkCertificate(ctx, [target], 0) ??
    checkPurpose(ctx, [target], 0) ??
    (opts.hostname !== undefined && !matchHostname(target, opts.hostname, { cnFallback: opts.cnFallback === true })
      ? failure([target], 0, 'HOSTNAME_MISMATCH', `the certificate is not valid for "${opts.hostname}"`)
      : undefined);
  if (own) return own;

  if (ctx.rootSet.has(target.fingerprints.sha256)) {
    if (target.isSelfIssued) {
      const sig = signatureOf(ctx, target, target);
      if (!sig.ok) return failure([target], 0, sig.code, `trust anchor self-signature: ${sig.reason}`);
    }
    return { ok: true, path: [target] };
  }
  const result = extend(ctx, [target]);
  if (result) return { ok: true, path: result };
  const best = ctx.best!;
  return { ok: false, code: best.code, reason: best.reason, index: best.index, path: best.path };
}

function failure(path: Certificate[], index: number, code: VerifyErrorCode, reason: string): VerifyChainFailure {
  const c = path[index]!;
  return { ok: false, code, reason: `${reason} (certificate ${index}: ${c.subject.toString() || '<empty subject>'})`, index, path };
}

function record(ctx: Context, f: VerifyChainFailure): void {
  const rank = f.path.length * 64 + f.index;
  if (!ctx.best || rank > ctx.best.rank) ctx.best = { ...f, rank };
}

function signatureOf(ctx: Context, child: Certificate, issuer: Certificate): ReturnType<typeof checkSignature> {
  const key = `${child.fingerprints.sha256}:${issuer.fingerprints.sha256}`;
  let r = ctx.sigCache.get(key);
  if (!r) {
    r = checkSignature(child, issuer.publicKey, { sm2Id: ctx.sm2Id, allowEmptyId: ctx.allowEmptyId });
    ctx.sigCache.set(key, r);
  }
  return r;
}

/** Checks that do not depend on the issuer: algorithm consistency, validity, critical extensions. */
function checkCertificate(ctx: Context, path: Certificate[], index: number): VerifyChainFailure | undefined {
  const c = path[index]!;
  const a = c.signatureAlgorithm.der;
  const b = c.tbsSignatureAlgorithm.der;
  if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
    return failure(path, index, 'SIGNATURE_ALGORITHM_INCONSISTENCY',
      `signatureAlgorithm ${c.signatureAlgorithm.oid} differs from tbsCertificate.signature ${c.tbsSignatureAlgorithm.oid}`);
  }
  if (ctx.time > c.notAfter.getTime()) {
    return failure(path, index, 'CERT_HAS_EXPIRED', `notAfter ${c.notAfter.toISOString()} is before ${new Date(ctx.time).toISOString()}`);
  }
  if (ctx.time < c.notBefore.getTime()) {
    return failure(path, index, 'CERT_NOT_YET_VALID', `notBefore ${c.notBefore.toISOString()} is after ${new Date(ctx.time).toISOString()}`);
  }
  const unknown = c.unhandledCriticalExtensions;
  if (unknown.length) {
    return failure(path, index, 'UNHANDLED_CRITICAL_EXTENSION', `critical extension ${unknown.map((e) => e.oid).join(', ')} is not supported`);
  }
  return undefined;
}

/** extKeyUsage, when present, must include the purpose or anyExtendedKeyUsage. */
function checkPurpose(ctx: Context, path: Certificate[], index: number): VerifyChainFailure | undefined {
  const c = path[index]!;
  if (!ctx.purposeOid || !c.extKeyUsage) return undefined;
  const oids = c.extKeyUsage.map((p) => (KEY_PURPOSES as Record<string, string>)[p] ?? p);
  if (oids.includes(ctx.purposeOid) || oids.includes(KEY_PURPOSES.anyExtendedKeyUsage)) return undefined;
  return failure(path, index, 'INVALID_PURPOSE', `extKeyUsage (${c.extKeyUsage.join(', ')}) does not allow ${ctx.purposeOid}`);
}

/** Candidate issuers of `c`: subject = c's issuer, not already on the path; best first. */
function candidates(ctx: Context, c: Certificate, path: Certificate[]): Certificate[] {
  const list = ctx.bySubject.get(c.issuer.matchKey) ?? [];
  const onPath = new Set(path.map((p) => p.fingerprints.sha256));
  const aki = c.authorityKeyIdentifier?.keyIdentifier;
  const score = (x: Certificate): number => {
    const keyRank = aki && x.subjectKeyIdentifier ? (aki === x.subjectKeyIdentifier ? 0 : 2) : 1;
    return keyRank * 2 + (ctx.rootSet.has(x.fingerprints.sha256) ? 0 : 1);
  };
  return list
    .filter((x) => !onPath.has(x.fingerprints.sha256))
    .map((x, i) => [x, score(x), i] as const)
    .sort((p, q) => p[1] - q[1] || p[2] - q[2])
    .map((p) => p[0]);
}

/** Depth-first path building; returns the full path, or undefined after recording failures. */
function extend(ctx: Context, path: Certificate[]): Certificate[] | undefined {
  const j = path.length - 1;
  const c = path[j]!;
  const list = candidates(ctx, c, path);
  if (list.length === 0) {
    if (c.isSelfIssued) {
      record(ctx, j === 0
        ? failure(path, j, 'DEPTH_ZERO_SELF_SIGNED_CERT', 'self-issued certificate is not a trust anchor')
        : failure(path, j, 'SELF_SIGNED_CERT_IN_CHAIN', 'the path ends in a self-issued certificate that is not a trust anchor'));
    } else {
      record(ctx, failure(path, j, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', `no issuer "${c.issuer.toString()}" among the intermediates and roots`));
    }
    return undefined;
  }
  for (const cand of list) {
    const next = [...path, cand];
    if (next.length > ctx.maxChainLength) {
      record(ctx, failure(path, j, 'CERT_CHAIN_TOO_LONG', `a path would be longer than ${ctx.maxChainLength} certificates`));
      continue;
    }
    if (++ctx.linkChecks > MAX_LINK_CHECKS) {
      record(ctx, failure(path, j, 'CERT_CHAIN_TOO_LONG', `path building gave up after ${MAX_LINK_CHECKS} candidate issuers`));
      return undefined;
    }
    const f = checkLink(ctx, next);
    if (f) {
      record(ctx, f);
      continue;
    }
    if (ctx.rootSet.has(cand.fingerprints.sha256)) return next;
    const done = extend(ctx, next);
    if (done) return done;
  }
  return undefined;
}

/** Checks adding `path[k]` as the issuer of `path[k-1]`. */
function checkLink(ctx: Context, path: Certificate[]): VerifyChainFailure | undefined {
  const k = path.length - 1;
  const issuer = path[k]!;
  const child = path[k - 1]!;
  const isRoot = ctx.rootSet.has(issuer.fingerprints.sha256);
  const sig = signatureOf(ctx, child, issuer);
  if (!sig.ok) return failure(path, k - 1, sig.code, sig.reason);
  const own = checkCertificate(ctx, path, k);
  if (own) return own;
  // RFC 5280 §6.1.4 (k): an intermediate must be a v3 CA. A trust anchor is trusted out of band
  // (v1 roots included) and fails only when its basicConstraints says cA FALSE.
  if (isRoot ? issuer.basicConstraints?.ca === false : !issuer.basicConstraints?.ca) {
    return failure(path, k, 'INVALID_CA', issuer.basicConstraints
      ? 'basicConstraints cA is FALSE'
      : issuer.version === 3 ? 'no basicConstraints extension' : `a version ${issuer.version} certificate cannot be an intermediate CA`);
  }
  // §6.1.4 (n)
  if (issuer.keyUsage && !issuer.keyUsage.includes('keyCertSign')) {
    return failure(path, k, 'KEYUSAGE_NO_CERTSIGN', `keyUsage (${issuer.keyUsage.join(', ')}) lacks keyCertSign`);
  }
  // §6.1.4 (l), (m): non-self-issued intermediates between the leaf and this issuer.
  const limit = issuer.basicConstraints?.pathLength;
  if (limit !== undefined) {
    let count = 0;
    for (let i = 1; i < k; i++) if (!path[i]!.isSelfIssued) count++;
    if (count > limit) {
      return failure(path, k, 'PATH_LENGTH_EXCEEDED', `pathLenConstraint ${limit} allows ${limit} intermediate(s) below it, the path has ${count}`);
    }
  }
  if (!isRoot) {
    const p = checkPurpose(ctx, path, k);
    if (p) return p;
  }
  if (issuer.nameConstraints) return checkNameConstraints(path, k);
  return undefined;
}

// --- name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b), (c)) ---

function dnsWithin(name: string, constraint: string): boolean {
  const n = canonicalHost(name) || name.toLowerCase();
  let c = constraint.toLowerCase();
  if (c === '') return true;
  if (c.startsWith('.')) return n.endsWith(c);
  if (c.endsWith('.')) c = c.slice(0, -1);
  return n === c || n.endsWith(`.${c}`);
}

function emailWithin(mail: string, constraint: string): boolean {
  const at = mail.lastIndexOf('@');
  if (at < 0) return false;
  const host = mail.slice(at + 1).toLowerCase();
  const c = constraint.toLowerCase();
  if (c.includes('@')) return mail.slice(0, at) === constraint.slice(0, constraint.lastIndexOf('@')) && host === c.slice(c.lastIndexOf('@') + 1);
  if (c.startsWith('.')) return host.endsWith(c);
  return host === c;
}

function uriHost(uri: string): string | undefined {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(uri);
  return m?.[1] || undefined;
}

function uriWithin(uri: string, constraint: string): boolean {
  const host = uriHost(uri)?.toLowerCase();
  if (!host) return false;
  const c = constraint.toLowerCase();
  return c.startsWith('.') ? host.endsWith(c) : host === c;
}

function ipWithin(bytes: Uint8Array, constraint: Uint8Array): boolean {
  const half = constraint.length / 2;
  if (bytes.length !== half) return false;
  for (let i = 0; i < half; i++) if ((bytes[i]! & constraint[half + i]!) !== (constraint[i]! & constraint[half + i]!)) return false;
  return true;
}

function dirWithin(name: X509Name, constraint: X509Name): boolean {
  if (constraint.rdns.length > name.rdns.length) return false;
  const a = JSON.parse(name.matchKey) as string[][];
  const b = JSON.parse(constraint.matchKey) as string[][];
  return b.every((rdn, i) => JSON.stringify(rdn) === JSON.stringify(a[i]));
}

/** Whether `name` is within subtree `base` (same form), or undefined when the form is not handled. */
function within(name: GeneralName, base: GeneralName): boolean | undefined {
  switch (base.type) {
    case 'dns':
      return name.type === 'dns' ? dnsWithin(name.value, base.value) : undefined;
    case 'email':
      return name.type === 'email' ? emailWithin(name.value, base.value) : undefined;
    case 'uri':
      return name.type === 'uri' ? uriWithin(name.value, base.value) : undefined;
    case 'ip':
      return name.type === 'ip' ? ipWithin(name.bytes, base.bytes) : undefined;
    case 'dirName':
      return name.type === 'dirName' ? dirWithin(name.value, base.value) : undefined;
    default:
      return undefined;
  }
}

/** The names of a certificate that name constraints apply to. */
function constrainedNames(c: Certificate): GeneralName[] {
  const names: GeneralName[] = [...(c.subjectAltName ?? [])];
  if (!c.subject.isEmpty) names.push({ type: 'dirName', value: c.subject });
  // RFC 5280 §4.2.1.10: emailAddress attributes of the subject are rfc822Name constraints' business too.
  for (const mail of c.subject.get('emailAddress')) names.push({ type: 'email', value: mail });
  return names;
}

function checkNameConstraints(path: Certificate[], k: number): VerifyChainFailure | undefined {
  const nc = path[k]!.nameConstraints!;
  for (let i = k - 1; i >= 0; i--) {
    const c = path[i]!;
    if (i > 0 && c.isSelfIssued) continue;
    for (const name of constrainedNames(c)) {
      const form = name.type;
      const excluded = (nc.excluded ?? []).filter((b) => b.type === form);
      const permitted = (nc.permitted ?? []).filter((b) => b.type === form);
      for (const b of excluded) {
        const r = within(name, b);
        if (r !== false) {
          return failure(path, i, 'EXCLUDED_VIOLATION', r === undefined
            ? `name form ${form} is constrained by certificate ${k} but cannot be checked`
            : `${describe(name)} is in an excluded subtree of certificate ${k}`);
        }
      }
      if (permitted.length) {
        const results = permitted.map((b) => within(name, b));
        if (results.includes(undefined)) {
          return failure(path, i, 'EXCLUDED_VIOLATION', `name form ${form} is constrained by certificate ${k} but cannot be checked`);
        }
        if (!results.includes(true)) {
          return failure(path, i, 'PERMITTED_VIOLATION', `${describe(name)} is outside the permitted subtrees of certificate ${k}`);
        }
      }
    }
  }
  return undefined;
}

function describe(n: GeneralName): string {
  if (n.type === 'dirName') return `directory name "${n.value.toString()}"`;
  if (typeof n.value === 'string') return `${n.type} "${n.value}"`;
  return n.type;
}
