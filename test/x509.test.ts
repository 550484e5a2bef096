/**
 * guomi/x509 once per backend: the conformance corpus (certs.json fields and signature
 * verdicts, every chains.json case with its expected reason), chains issued here (root ->
 * intermediate -> leaf) with every failure kind, names, extensions, host names, CSRs and the
 * argument checks. Expected values come from the corpus, from the structure of what was issued
 * (round trips) or from node:crypto; openssl and BouncyCastle checks are in x509-interop.test.ts.
 */
import crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TAG, derDecode, derEncode, derTlv } from '../src/der.js';
import { GuomiError } from '../src/errors.js';
import { Sm2PrivateKey, Sm2PublicKey, sign } from '../src/sm2.js';
import { sm3 } from '../src/sm3.js';
import {
  Certificate,
  VERIFY_ERROR_CODES,
  X509Name,
  createCertificate,
  createCsr,
  matchHostname,
  parseCertificate,
  parseCertificates,
  parseCsr,
  verifyChain,
  type CreateCertificateOptions,
  type VerifyChainOptions,
  type VerifyChainResult,
  type VerifyErrorCode,
} from '../src/x509/index.js';
import * as rootIndex from '../src/index.js';
import { forEachBackend } from './backends.js';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE, readConformance } from './conformance.js';
import { timeScale } from './time-scale.js';

interface CertCase {
  file: string;
  parse: string;
  subject?: string;
  issuer?: string;
  serial_hex?: string;
  not_before?: string;
  not_after?: string;
  sha256_fingerprint?: string;
  sig_alg_oid?: string;
  sig_alg_has_null_params?: boolean;
  spki_alg_oid?: string;
  spki_curve_oid?: string;
  public_key_hex?: string;
  self_issued?: boolean;
  signature_checks?: { issuer_file: string; verifies_with: string[] }[];
}

interface ChainCase {
  id: string;
  chain: string[];
  trust_anchor: string;
  at_time: string;
  expected: string;
  distid: string;
}

const certCases = HAVE_CONFORMANCE ? readConformance<{ certificates: CertCase[] }>('certs/certs.json').certificates : [];
const chainCases = HAVE_CONFORMANCE ? readConformance<{ cases: ChainCase[] }>('certs/chains.json').cases : [];
const corpus = (file: string): string => readFileSync(join(CONFORMANCE_DIR, file), 'utf8');
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const oidOf = (s: string | undefined): string => (s ?? '').split(' ')[0]!;

/** The corpus reasons and the codes that express them. */
const REASONS: Record<string, VerifyErrorCode[]> = {
  expired: ['CERT_HAS_EXPIRED'],
  'issuer-mismatch': ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  signature: ['CERT_SIGNATURE_FAILURE'],
  'signature-or-algorithm': ['CERT_SIGNATURE_FAILURE', 'SIGNATURE_ALGORITHM_INCONSISTENCY'],
};

function expectCode(fn: () => unknown, code: string): GuomiError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(GuomiError);
  expect((err as GuomiError).code).toBe(code);
  return err as GuomiError;
}

function expectFailure(r: VerifyChainResult, code: VerifyErrorCode, index?: number): void {
  expect(r.ok ? 'ok' : `${r.code} at ${r.index}: ${r.reason}`).toMatch(new RegExp(`^${code} at ${index ?? '\\d+'}:`));
}

/** Runs one chains.json case; returns 'valid', 'parse' or the failure code. */
function runChainCase(cs: ChainCase, extra: Partial<VerifyChainOptions> = {}): string {
  let target: Certificate;
  let intermediates: Certificate[];
  let root: Certificate;
  try {
    target = parseCertificate(corpus(cs.chain[0] ?? cs.trust_anchor));
    intermediates = cs.chain.slice(1).map((f) => parseCertificate(corpus(f)));
    root = parseCertificate(corpus(cs.trust_anchor));
  } catch (err) {
    expect(err).toBeInstanceOf(GuomiError);
    expect((err as GuomiError).code).toBe('ERR_DECODE');
    return 'parse';
  }
  const r = verifyChain(target, { intermediates, roots: [root], time: new Date(cs.at_time), ...extra });
  if (r.ok) {
    // The path runs from the target, through the given intermediates, to the anchor.
    expect(r.path[0]).toBe(target);
    expect(r.path[r.path.length - 1]!.equals(root)).toBe(true);
    expect(r.path.length).toBe(cs.chain.length === 0 ? 1 : cs.chain.length + 1);
    return 'valid';
  }
  return r.code;
}

forEachBackend(() => {
  describe.runIf(HAVE_CONFORMANCE)('conformance corpus: certs.json', () => {
    it.each(certCases.filter((c) => c.parse === 'ok'))('$file parses with the recorded fields', (c) => {
      const cert = parseCertificate(corpus(c.file));
      expect(cert.subject.toString()).toBe(c.subject);
      expect(cert.issuer.toString()).toBe(c.issuer);
      expect(cert.serialNumber).toBe(c.serial_hex);
      expect(cert.notBefore.toISOString()).toBe(c.not_before);
      expect(cert.notAfter.toISOString()).toBe(c.not_after);
      expect(cert.fingerprints.sha256).toBe(c.sha256_fingerprint);
      expect(cert.signatureAlgorithm.oid).toBe(oidOf(c.sig_alg_oid));
      expect(cert.signatureAlgorithm.parameters !== undefined).toBe(c.sig_alg_has_null_params);
      if (c.sig_alg_has_null_params) expect(toHex(cert.signatureAlgorithm.parameters!)).toBe('0500');
      expect(cert.publicKeyAlgorithm.oid).toBe(oidOf(c.spki_alg_oid));
      expect(cert.publicKeyAlgorithm.curve).toBe(oidOf(c.spki_curve_oid) || '1.2.156.10197.1.301');
      expect(cert.publicKeyAlgorithm.sm2).toBe(true);
      expect(cert.publicKey).toBeInstanceOf(Sm2PublicKey);
      expect(toHex((cert.publicKey as Sm2PublicKey).toBytes())).toBe(c.public_key_hex);
      expect(cert.isSelfIssued).toBe(c.self_issued);
      expect(cert.version).toBe(3);
      // The TBS is the first element of the DER, byte for byte; fingerprints from node:crypto.
      expect(toHex(cert.der.subarray(4, 4 + cert.tbs.length))).toBe(toHex(cert.tbs));
      expect(cert.fingerprints.sm3).toBe(crypto.createHash('sm3').update(cert.der).digest('hex'));
      expect(cert.toPem()).toBe(corpus(c.file).replace(/\r\n/g, '\n').slice(corpus(c.file).indexOf('-----BEGIN')));
    });

    it('the malformed certificate gives ERR_DECODE', () => {
      const bad = certCases.filter((c) => c.parse !== 'ok');
      expect(bad.length).toBe(1);
      for (const c of bad) expectCode(() => parseCertificate(corpus(c.file)), 'ERR_DECODE');
    });

    it('signature_checks: each candidate issuer verifies exactly as recorded, per SM2 variant', () => {
      let checks = 0;
      for (const c of certCases) {
        for (const sc of c.signature_checks ?? []) {
          const cert = parseCertificate(corpus(c.file));
          const issuer = parseCertificate(corpus(sc.issuer_file));
          const defaultId = sc.verifies_with.includes('default-id-1234567812345678');
          const emptyId = sc.verifies_with.includes('empty-id (ENTL=0)');
          expect(cert.verifySignature(issuer), `${c.file} by ${sc.issuer_file}`).toBe(defaultId);
          expect(cert.verifySignature(issuer, { allowEmptyId: true }), `${c.file} (empty ID allowed)`).toBe(defaultId || emptyId);
          // No-Z signatures (tongsuo-sm2-noza-*) never verify, whatever the options.
          if (sc.verifies_with.includes('no-Z (e = SM3(TBS))')) {
            expect(cert.verifySignature(issuer, { allowEmptyId: true })).toBe(false);
          }
          checks++;
        }
      }
      expect(checks).toBeGreaterThanOrEqual(40);
    });

    it('parseCertificates reads every block of a bundle, skipping other blocks and text', () => {
      const files = certCases.filter((c) => c.parse === 'ok').map((c) => c.file);
      const bundle = files.map((f) => `# ${f}\n${corpus(f)}`).join('\n') + '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
      const certs = parseCertificates(bundle);
      expect(certs.map((c) => c.fingerprints.sha256)).toEqual(files.map((f) => certCases.find((c) => c.file === f)!.sha256_fingerprint));
      expect(parseCertificates(Buffer.from(bundle)).length).toBe(files.length);
      expect(parseCertificates('no certificates here')).toEqual([]);
    });
  });

  describe.runIf(HAVE_CONFORMANCE)('conformance corpus: chains.json', () => {
    it.each(chainCases)('$id: $expected', (cs) => {
      const got = runChainCase(cs);
      if (cs.expected === 'valid') expect(got).toBe('valid');
      else {
        const reason = cs.expected.replace(/^invalid:/, '');
        if (reason === 'parse') expect(got).toBe('parse');
        else expect(REASONS[reason], reason).toContain(got);
      }
    });

    it('every case matches; the legacy empty-ID opt-in changes only the OpenSSL 3 edge case', () => {
      let matched = 0;
      for (const cs of chainCases) {
        const got = runChainCase(cs, { allowEmptyId: true });
        const reason = cs.expected.replace(/^invalid:/, '');
        if (cs.id === 'edge-openssl3-empty-id-self-signed') expect(got).toBe('valid');
        else if (cs.expected === 'valid') expect(got).toBe('valid');
        else if (reason === 'parse') expect(got).toBe('parse');
        else expect(REASONS[reason]).toContain(got);
        matched++;
      }
      expect(matched).toBe(31);
    });

    it('intermediates as a PEM bundle in any order, with unrelated certificates and extra roots', () => {
      const cs = chainCases.find((c) => c.id === 'real-cfca-ebssec-via-national-root')!;
      const others = certCases.filter((c) => c.parse === 'ok' && !c.file.includes('ebssec')).map((c) => corpus(c.file));
      const bundle = [...others, ...cs.chain.slice(1).map(corpus)].reverse().join('');
      const r = verifyChain(corpus(cs.chain[0]!), {
        intermediates: bundle,
        roots: corpus(cs.trust_anchor) + corpus('certs/tongsuo-sm2-root-ca.pem'),
        time: new Date(cs.at_time),
        purpose: 'serverAuth',
        hostname: 'ebssec.boc.cn',
      });
      expect(r.ok).toBe(true);
      // Every chain must still end at the trusted national root.
      expect(r.ok && r.path[r.path.length - 1]!.subject.toString()).toBe('CN=ROOTCA,O=NRCAC,C=CN');
    });

    it('the Bank of China TLCP certificates: host name, purposes, the encryption certificate too', () => {
      const at = new Date('2025-01-01T00:00:00Z');
      const opts = { intermediates: [corpus('certs/real-cfca-sm2-oca1.pem')], roots: [corpus('certs/real-cfca-cs-sm2-ca-selfsigned.pem')], time: at };
      for (const f of ['certs/real-ebssec.boc.cn-sign.pem', 'certs/real-ebssec.boc.cn-enc.pem']) {
        expect(verifyChain(corpus(f), { ...opts, purpose: 'serverAuth', hostname: 'EBSSEC.boc.cn.' }).ok).toBe(true);
        expect(verifyChain(corpus(f), { ...opts, purpose: 'clientAuth' }).ok).toBe(true);
        expectFailure(verifyChain(corpus(f), { ...opts, purpose: 'codeSigning' }), 'INVALID_PURPOSE', 0);
        expectFailure(verifyChain(corpus(f), { ...opts, hostname: 'www.boc.cn' }), 'HOSTNAME_MISMATCH', 0);
      }
      const leaf = parseCertificate(corpus('certs/real-ebssec.boc.cn-sign.pem'));
      expect(leaf.subject.get('O')).toEqual(['中国银行股份有限公司']);
      expect(leaf.subject.get('OU')).toEqual(['Local RA', 'SSL']);
      expect(leaf.basicConstraints).toEqual({ ca: false });
      expect(leaf.keyUsage).toEqual(['digitalSignature', 'nonRepudiation']);
      expect(leaf.extKeyUsage).toEqual(['clientAuth', 'serverAuth']);
      expect(leaf.subjectAltName).toEqual([{ type: 'dns', value: 'ebssec.boc.cn' }]);
      expect(leaf.crlDistributionPoints?.[0]?.fullName?.[0]).toEqual({ type: 'uri', value: 'http://crl.cfca.com.cn/SM2/crl5618.crl' });
      expect(leaf.certificatePolicies?.[0]?.qualifiers[0]?.cps).toBe('http://www.cfca.com.cn/us/us-14.htm');
      const oca = parseCertificate(corpus('certs/real-cfca-sm2-oca1.pem'));
      expect(leaf.authorityKeyIdentifier?.keyIdentifier).toBe(oca.subjectKeyIdentifier);
      const enc = parseCertificate(corpus('certs/real-ebssec.boc.cn-enc.pem'));
      expect(enc.keyUsage).toEqual(['keyEncipherment', 'dataEncipherment', 'keyAgreement']);
    });
  });

  describe('chains issued here', () => {
    const T0 = new Date('2030-01-01T00:00:00Z');
    const AT = new Date('2030-06-01T00:00:00Z');
    let rootKey: Sm2PrivateKey, subKey: Sm2PrivateKey, leafKey: Sm2PrivateKey;
    let root: Certificate, sub: Certificate, leaf: Certificate;
    const base = (): VerifyChainOptions => ({ intermediates: [sub], roots: [root], time: AT });
    const issue = (o: Partial<CreateCertificateOptions> & { signingKey: Sm2PrivateKey }): Certificate =>
      createCertificate({ notBefore: T0, days: 365, ...o });

    beforeAll(() => {
      rootKey = Sm2PrivateKey.generate();
      subKey = Sm2PrivateKey.generate();
      leafKey = Sm2PrivateKey.generate();
      root = issue({ subject: 'CN=guomi Test Root,O=guomi,C=CN', signingKey: rootKey, ca: true, days: 3650 });
      sub = issue({ subject: 'CN=guomi Test Sub CA,O=guomi,C=CN', publicKey: subKey.publicKey, issuer: root, signingKey: rootKey, ca: true, pathLength: 0, days: 1825 });
      leaf = issue({
        subject: 'CN=www.example.cn,O=guomi,C=CN',
        publicKey: leafKey.publicKey,
        issuer: sub,
        signingKey: subKey,
        extKeyUsage: ['serverAuth', 'clientAuth'],
        subjectAltName: { dns: ['www.example.cn', '*.api.example.cn', '测试.example.cn'], ip: ['127.0.0.1', '2001:db8::1'] },
      });
    });

    it('root -> intermediate -> leaf validates, with purpose and host name', () => {
      const r = verifyChain(leaf, { ...base(), purpose: 'serverAuth', hostname: 'www.example.cn' });
      expect(r.ok).toBe(true);
      expect(r.ok && r.path.map((c) => c.subject.commonName)).toEqual(['www.example.cn', 'guomi Test Sub CA', 'guomi Test Root']);
      // PEM and DER inputs, roots as a PEM bundle.
      expect(verifyChain(leaf.toPem(), { intermediates: [sub.der], roots: root.toPem(), time: AT }).ok).toBe(true);
      // The intermediate may itself be the trust anchor (partial chain); the leaf may be one too.
      expect(verifyChain(leaf, { roots: [sub], time: AT }).ok).toBe(true);
      expect(verifyChain(leaf, { roots: [leaf], time: AT }).ok).toBe(true);
      expect(verifyChain(root, { roots: [root], time: AT }).ok).toBe(true);
    });

    it('what was issued reads back: fields, extensions, key identifiers', () => {
      expect(root.subject.toString()).toBe('CN=guomi Test Root,O=guomi,C=CN');
      expect(root.isSelfIssued).toBe(true);
      expect(root.basicConstraints).toEqual({ ca: true });
      expect(root.keyUsage).toEqual(['keyCertSign', 'cRLSign']);
      expect(root.extensions.find((e) => e.name === 'basicConstraints')?.critical).toBe(true);
      expect(root.authorityKeyIdentifier).toBeUndefined();
      expect(sub.basicConstraints).toEqual({ ca: true, pathLength: 0 });
      expect(sub.authorityKeyIdentifier?.keyIdentifier).toBe(root.subjectKeyIdentifier);
      expect(leaf.authorityKeyIdentifier?.keyIdentifier).toBe(sub.subjectKeyIdentifier);
      expect(leaf.basicConstraints).toBeUndefined();
      expect(leaf.keyUsage).toEqual(['digitalSignature']);
      expect(leaf.extKeyUsage).toEqual(['serverAuth', 'clientAuth']);
      expect(leaf.subjectAltName).toEqual([
        { type: 'dns', value: 'www.example.cn' },
        { type: 'dns', value: '*.api.example.cn' },
        { type: 'dns', value: 'xn--0zwm56d.example.cn' },
        { type: 'ip', value: '127.0.0.1', bytes: Uint8Array.of(127, 0, 0, 1) },
        { type: 'ip', value: '2001:db8::1', bytes: Uint8Array.from(Buffer.from('20010db8000000000000000000000001', 'hex')) },
      ]);
      expect(leaf.notBefore.toISOString()).toBe(T0.toISOString());
      expect(leaf.notAfter.getTime() - leaf.notBefore.getTime()).toBe(365 * 86_400_000);
      expect(leaf.signatureAlgorithm.oid).toBe('1.2.156.10197.1.501');
      expect(leaf.signatureAlgorithm.parameters).toBeUndefined();
      expect(toHex(leaf.signatureAlgorithm.der)).toBe('300a06082a811ccf55018375');
      expect(leaf.serialNumber).toMatch(/^[4-7][0-9a-f]{31}$/);
      expect((leaf.publicKey as Sm2PublicKey).equals(leafKey.publicKey)).toBe(true);
      // The SPKI is OpenSSL's 91-byte form (spec digest §4.3).
      expect(toHex(leaf.subjectPublicKeyInfo.subarray(0, 27))).toBe('3059301306072a8648ce3d020106082a811ccf5501822d03420004');
      // The signature is GM/T 0009 DER over the TBS, with the default ID.
      expect((leaf.publicKey as Sm2PublicKey).verify('x', sign('x', leafKey))).toBe(true);
      expect(subKey.publicKey.verify(leaf.tbs, leaf.signature)).toBe(true);
      expect(subKey.publicKey.verify(leaf.tbs, leaf.signature, { id: '' })).toBe(false);
      expect(leaf.verifySignature(sub)).toBe(true);
      expect(leaf.verifySignature(root)).toBe(false);
    });

    it('expired and not yet valid: leaf, intermediate and anchor, at the given time', () => {
      expectFailure(verifyChain(leaf, { ...base(), time: new Date(leaf.notAfter.getTime() + 1000) }), 'CERT_HAS_EXPIRED', 0);
      expect(verifyChain(leaf, { ...base(), time: leaf.notAfter }).ok).toBe(true);
      expectFailure(verifyChain(leaf, { ...base(), time: new Date(T0.getTime() - 1000) }), 'CERT_NOT_YET_VALID', 0);
      const shortSub = issue({ subject: 'CN=guomi Test Sub CA,O=guomi,C=CN', publicKey: subKey.publicKey, issuer: root, signingKey: rootKey, ca: true, days: 30 });
      expectFailure(verifyChain(leaf, { intermediates: [shortSub], roots: [root], time: AT }), 'CERT_HAS_EXPIRED', 1);
      const shortRoot = issue({ subject: 'CN=guomi Test Root,O=guomi,C=CN', signingKey: rootKey, ca: true, days: 30 });
      expectFailure(verifyChain(leaf, { intermediates: [sub], roots: [shortRoot], time: AT }), 'CERT_HAS_EXPIRED', 2);
      const lateSub = issue({ subject: 'CN=guomi Test Sub CA,O=guomi,C=CN', publicKey: subKey.publicKey, issuer: root, signingKey: rootKey, ca: true, notBefore: new Date('2031-01-01T00:00:00Z') });
      expectFailure(verifyChain(leaf, { intermediates: [lateSub], roots: [root], time: AT }), 'CERT_NOT_YET_VALID', 1);
      // An expired candidate is passed over when a valid one exists.
      expect(verifyChain(leaf, { intermediates: [shortSub, sub], roots: [root], time: AT }).ok).toBe(true);
    });

    it('wrong issuer: missing intermediate, another root, a same-named CA with another key', () => {
      expectFailure(verifyChain(leaf, { roots: [root], time: AT }), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 0);
      const otherKey = Sm2PrivateKey.generate();
      const other = issue({ subject: 'CN=Other Root,O=guomi,C=CN', signingKey: otherKey, ca: true });
      expectFailure(verifyChain(leaf, { intermediates: [sub], roots: [other], time: AT }), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 1);
      const impostorKey = Sm2PrivateKey.generate();
      const impostor = issue({ subject: 'CN=guomi Test Sub CA,O=guomi,C=CN', publicKey: impostorKey.publicKey, issuer: root, signingKey: rootKey, ca: true });
      expectFailure(verifyChain(leaf, { intermediates: [impostor], roots: [root], time: AT }), 'CERT_SIGNATURE_FAILURE', 0);
      // With both, the right one is found whatever the order (AKI/SKI ranks it first).
      for (const list of [[impostor, sub], [sub, impostor]]) {
        const r = verifyChain(leaf, { intermediates: list, roots: [root], time: AT });
        expect(r.ok && r.path[1]).toBe(sub);
      }
      // A self-signed leaf that is not trusted.
      const selfKey = Sm2PrivateKey.generate();
      const self = issue({ subject: 'CN=self.example.cn', signingKey: selfKey });
      expectFailure(verifyChain(self, { roots: [root], time: AT }), 'DEPTH_ZERO_SELF_SIGNED_CERT', 0);
      expectFailure(verifyChain(leaf, { intermediates: [sub, root], roots: [other], time: AT }), 'SELF_SIGNED_CERT_IN_CHAIN', 2);
    });

    it('pathLenConstraint exceeded; self-issued intermediates do not count', () => {
      const sub2Key = Sm2PrivateKey.generate();
      const sub2 = issue({ subject: 'CN=guomi Sub 2,O=guomi,C=CN', publicKey: sub2Key.publicKey, issuer: sub, signingKey: subKey, ca: true });
      const leaf2 = issue({ subject: 'CN=deep.example.cn', publicKey: leafKey.publicKey, issuer: sub2, signingKey: sub2Key });
      expectFailure(verifyChain(leaf2, { intermediates: [sub, sub2], roots: [root], time: AT }), 'PATH_LENGTH_EXCEEDED', 2);
      // A root with pathLen 0 allows no intermediate at all.
      const strictRoot = issue({ subject: 'CN=guomi Test Root,O=guomi,C=CN', signingKey: rootKey, ca: true, pathLength: 0 });
      expectFailure(verifyChain(leaf, { intermediates: [sub], roots: [strictRoot], time: AT }), 'PATH_LENGTH_EXCEEDED', 2);
      // Key rollover: a self-issued intermediate (same name, new key) between sub and its leaf.
      const rolledKey = Sm2PrivateKey.generate();
      const rollover = issue({ subject: 'CN=guomi Test Sub CA,O=guomi,C=CN', publicKey: rolledKey.publicKey, issuer: sub, signingKey: subKey, ca: true });
      const leaf3 = issue({ subject: 'CN=rolled.example.cn', publicKey: leafKey.publicKey, issuer: rollover, signingKey: rolledKey });
      const r = verifyChain(leaf3, { intermediates: [sub, rollover], roots: [root], time: AT });
      expect(r.ok && r.path.length).toBe(4);
    });

    it('CA:FALSE or no basicConstraints on an issuer; keyUsage without keyCertSign', () => {
      const byLeaf = issue({ subject: 'CN=child.example.cn', publicKey: Sm2PrivateKey.generate().publicKey, issuer: leaf, signingKey: leafKey });
      expectFailure(verifyChain(byLeaf, { intermediates: [leaf, sub], roots: [root], time: AT }), 'INVALID_CA', 1);
      const bcLeafKey = Sm2PrivateKey.generate();
      const bcLeaf = issue({ subject: 'CN=bc.example.cn', publicKey: bcLeafKey.publicKey, issuer: sub, signingKey: subKey, leafBasicConstraints: true });
      expect(toHex(bcLeaf.extensions.find((e) => e.name === 'basicConstraints')!.value)).toBe('3000');
      expect(bcLeaf.basicConstraints).toEqual({ ca: false });
      expect(verifyChain(bcLeaf, base()).ok).toBe(true);
      const byBcLeaf = issue({ subject: 'CN=child2.example.cn', publicKey: leafKey.publicKey, issuer: bcLeaf, signingKey: bcLeafKey });
      expectFailure(verifyChain(byBcLeaf, { intermediates: [bcLeaf, sub], roots: [root], time: AT }), 'INVALID_CA', 1);
      const noCertSignKey = Sm2PrivateKey.generate();
      const noCertSign = issue({ subject: 'CN=No CertSign CA', publicKey: noCertSignKey.publicKey, issuer: root, signingKey: rootKey, ca: true, keyUsage: ['digitalSignature', 'cRLSign'] });
      const under = issue({ subject: 'CN=under.example.cn', publicKey: leafKey.publicKey, issuer: noCertSign, signingKey: noCertSignKey });
      expectFailure(verifyChain(under, { intermediates: [noCertSign], roots: [root], time: AT }), 'KEYUSAGE_NO_CERTSIGN', 1);
    });

    it('bad signatures: a flipped bit in the signature, in the TBS, in the issuer', () => {
      const flip = (der: Uint8Array, at: number): Uint8Array => {
        const out = Uint8Array.from(der);
        out[at]! ^= 0x01;
        return out;
      };
      const sigAt = leaf.der.length - 5; // inside s
      expectFailure(verifyChain(flip(leaf.der, sigAt), base()), 'CERT_SIGNATURE_FAILURE', 0);
      const cnAt = Buffer.from(leaf.der).indexOf(Buffer.from('www.example.cn')) + 4;
      const tampered = parseCertificate(flip(leaf.der, cnAt));
      expect(tampered.subject.commonName).toBe('www.dxample.cn');
      expectFailure(verifyChain(tampered, base()), 'CERT_SIGNATURE_FAILURE', 0);
      const tamperedSub = parseCertificate(flip(sub.der, Buffer.from(sub.der).indexOf(Buffer.from('Sub CA'))));
      expectFailure(verifyChain(leaf, { intermediates: [tamperedSub], roots: [root], time: AT }), 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 0);
    });

    it('SM2 IDs: empty-ID signatures only with allowEmptyId, no-Z signatures never, custom IDs with sm2Id', () => {
      const emptyId = issue({ subject: 'CN=empty-id.example.cn', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, sm2Id: '' });
      const r = verifyChain(emptyId, base());
      expectFailure(r, 'CERT_SIGNATURE_FAILURE', 0);
      expect(!r.ok && r.reason).toMatch(/empty ID/);
      expect(verifyChain(emptyId, { ...base(), allowEmptyId: true }).ok).toBe(true);
      // No Z: e = SM3(TBS), signed prehashed, reassembled by hand.
      const noZ = derEncode.sequence(emptyId.tbs, emptyId.signatureAlgorithm.der, derEncode.bitString(sign(sm3(emptyId.tbs), subKey, { prehashed: true })));
      const rn = verifyChain(noZ, { ...base(), allowEmptyId: true });
      expectFailure(rn, 'CERT_SIGNATURE_FAILURE', 0);
      expect(!rn.ok && rn.reason).toMatch(/without Z/);
      const custom = issue({ subject: 'CN=custom-id.example.cn', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, sm2Id: 'ALICE123@YAHOO.COM' });
      expectFailure(verifyChain(custom, base()), 'CERT_SIGNATURE_FAILURE', 0);
      // sm2Id applies to every link, so the chain is anchored at the issuer that used it.
      expect(verifyChain(custom, { roots: [sub], time: AT, sm2Id: 'ALICE123@YAHOO.COM' }).ok).toBe(true);
    });

    it('host names: SAN DNS with RFC 6125 wildcards, IDNA, IP SAN; CN only with cnFallback', () => {
      const ok = (h: string): boolean => verifyChain(leaf, { ...base(), hostname: h }).ok;
      for (const h of ['www.example.cn', 'WWW.Example.CN', 'www.example.cn.', 'a.api.example.cn', '测试.example.cn', 'xn--0zwm56d.example.cn', '127.0.0.1', '2001:db8::1', '[2001:DB8:0::1]']) {
        expect(ok(h), h).toBe(true);
      }
      for (const h of ['example.cn', 'api.example.cn', 'a.b.api.example.cn', 'www.example.com', '127.0.0.2', '::1', 'x*.api.example.cn', '*.api.example.cn', 'www.example.cn..']) {
        expect(ok(h), h).toBe(false);
      }
      expectFailure(verifyChain(leaf, { ...base(), hostname: 'evil.example.cn' }), 'HOSTNAME_MISMATCH', 0);
      const cnOnly = issue({ subject: 'CN=cn-only.example.cn', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey });
      expect(matchHostname(cnOnly, 'cn-only.example.cn')).toBe(false);
      expect(matchHostname(cnOnly, 'cn-only.example.cn', { cnFallback: true })).toBe(true);
      expect(verifyChain(cnOnly, { ...base(), hostname: 'cn-only.example.cn', cnFallback: true }).ok).toBe(true);
      // With DNS alternative names present, the CN is never consulted.
      expect(matchHostname(leaf, 'www.example.cn', { cnFallback: true })).toBe(true);
      const cnDiffers = issue({ subject: 'CN=other.example.cn', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, subjectAltName: { dns: ['x.example.cn'] } });
      expect(matchHostname(cnDiffers, 'other.example.cn', { cnFallback: true })).toBe(false);
      // Wildcards need two labels after them; partial-label wildcards are not honoured.
      const wild = issue({ subject: 'CN=wild', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, subjectAltName: { dns: ['*.cn', 'f*.example.cn', '*.*.example.org'] } });
      for (const h of ['example.cn', 'foo.example.cn', 'a.b.example.org']) expect(matchHostname(wild, h), h).toBe(false);
    });

    it('purposes: leaf extKeyUsage, intermediates carrying extKeyUsage, leaves without it', () => {
      const clientOnly = issue({ subject: 'CN=client', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extKeyUsage: ['clientAuth'] });
      expectFailure(verifyChain(clientOnly, { ...base(), purpose: 'serverAuth' }), 'INVALID_PURPOSE', 0);
      expect(verifyChain(clientOnly, { ...base(), purpose: 'clientAuth' }).ok).toBe(true);
      expect(verifyChain(clientOnly, { ...base(), purpose: 'any' }).ok).toBe(true);
      expect(verifyChain(clientOnly, { ...base(), purpose: '1.3.6.1.5.5.7.3.2' }).ok).toBe(true);
      const anyEku = issue({ subject: 'CN=any', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extKeyUsage: ['anyExtendedKeyUsage'] });
      expect(verifyChain(anyEku, { ...base(), purpose: 'serverAuth' }).ok).toBe(true);
      const plain = issue({ subject: 'CN=plain', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey });
      expect(verifyChain(plain, { ...base(), purpose: 'serverAuth' }).ok).toBe(true);
      const clientCaKey = Sm2PrivateKey.generate();
      const clientCa = issue({ subject: 'CN=Client CA', publicKey: clientCaKey.publicKey, issuer: root, signingKey: rootKey, ca: true, extKeyUsage: ['clientAuth'] });
      const server = issue({ subject: 'CN=s', publicKey: leafKey.publicKey, issuer: clientCa, signingKey: clientCaKey, extKeyUsage: ['serverAuth'] });
      expectFailure(verifyChain(server, { intermediates: [clientCa], roots: [root], time: AT, purpose: 'serverAuth' }), 'INVALID_PURPOSE', 1);
    });

    it('critical extensions: unknown ones are rejected, unknown non-critical ones ignored', () => {
      const value = derEncode.sequence(derEncode.null());
      const crit = issue({ subject: 'CN=crit', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extensions: [{ oid: '1.2.3.4.5', critical: true, value }] });
      expect(crit.unhandledCriticalExtensions.map((e) => e.oid)).toEqual(['1.2.3.4.5']);
      expectFailure(verifyChain(crit, base()), 'UNHANDLED_CRITICAL_EXTENSION', 0);
      const soft = issue({ subject: 'CN=soft', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extensions: [{ oid: '1.2.156.10260.4.1.1', value }] });
      expect(verifyChain(soft, base()).ok).toBe(true);
      // On a CA as well.
      const critCaKey = Sm2PrivateKey.generate();
      const critCa = issue({ subject: 'CN=Crit CA', publicKey: critCaKey.publicKey, issuer: root, signingKey: rootKey, ca: true, extensions: [{ oid: '2.5.29.36', critical: true, value: derEncode.sequence(derTlv(0x80, Uint8Array.of(0))) }] });
      const below = issue({ subject: 'CN=below', publicKey: leafKey.publicKey, issuer: critCa, signingKey: critCaKey });
      expectFailure(verifyChain(below, { intermediates: [critCa], roots: [root], time: AT }), 'UNHANDLED_CRITICAL_EXTENSION', 1);
    });

    it('name constraints: permitted DNS subtree and excluded IP range', () => {
      const nc = derEncode.sequence(
        derTlv(0xa0, derEncode.sequence(derTlv(0x82, Buffer.from('example.cn')))),
        derTlv(0xa1, derEncode.sequence(derTlv(0x87, Uint8Array.of(10, 0, 0, 0, 255, 0, 0, 0)))),
      );
      const ncKey = Sm2PrivateKey.generate();
      const ncCa = issue({ subject: 'CN=Constrained CA', publicKey: ncKey.publicKey, issuer: root, signingKey: rootKey, ca: true, extensions: [{ oid: '2.5.29.30', critical: true, value: nc }] });
      expect(ncCa.nameConstraints?.permitted).toEqual([{ type: 'dns', value: 'example.cn' }]);
      expect(ncCa.nameConstraints?.excluded?.[0]).toMatchObject({ type: 'ip', value: '10.0.0.0/8' });
      const mk = (dns: string[], ip: string[] = []): Certificate =>
        issue({ subject: 'CN=n', publicKey: leafKey.publicKey, issuer: ncCa, signingKey: ncKey, subjectAltName: { dns, ip } });
      const v = (c: Certificate): VerifyChainResult => verifyChain(c, { intermediates: [ncCa], roots: [root], time: AT });
      expect(v(mk(['www.example.cn', 'example.cn'], ['192.168.1.1'])).ok).toBe(true);
      expectFailure(v(mk(['www.example.com'])), 'PERMITTED_VIOLATION', 0);
      expectFailure(v(mk(['badexample.cn'])), 'PERMITTED_VIOLATION', 0);
      expectFailure(v(mk(['www.example.cn'], ['10.1.2.3'])), 'EXCLUDED_VIOLATION', 0);
    });

    it('cross-certificates: two roots signing each other, a path through either, no loops', () => {
      const aKey = Sm2PrivateKey.generate();
      const bKey = Sm2PrivateKey.generate();
      const a = issue({ subject: 'CN=Root A', signingKey: aKey, ca: true });
      const b = issue({ subject: 'CN=Root B', signingKey: bKey, ca: true });
      const bByA = issue({ subject: 'CN=Root B', publicKey: bKey.publicKey, issuer: a, signingKey: aKey, ca: true });
      const aByB = issue({ subject: 'CN=Root A', publicKey: aKey.publicKey, issuer: b, signingKey: bKey, ca: true });
      const underB = issue({ subject: 'CN=under-b', publicKey: leafKey.publicKey, issuer: b, signingKey: bKey });
      const pool = [aByB, bByA, a, b];
      const viaA = verifyChain(underB, { intermediates: pool, roots: [a], time: AT });
      expect(viaA.ok && viaA.path.map((c) => c.subject.commonName)).toEqual(['under-b', 'Root B', 'Root A']);
      expect(verifyChain(underB, { intermediates: pool, roots: [b], time: AT }).ok).toBe(true);
      const t0 = performance.now();
      const none = verifyChain(underB, { intermediates: pool, roots: [root], time: AT });
      expect(none.ok).toBe(false);
      expect(['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY']).toContain(!none.ok && none.code);
      expect(performance.now() - t0).toBeLessThan(2000);
      expectFailure(verifyChain(leaf, { ...base(), maxChainLength: 2 }), 'CERT_CHAIN_TOO_LONG');
    });

    it('a mesh of 8 same-named CAs all cross-signing each other: path building stays bounded', () => {
      const keys = Array.from({ length: 8 }, () => Sm2PrivateKey.generate());
      const selfs = keys.map((k) => issue({ subject: 'CN=Mesh', signingKey: k, ca: true }));
      const cross = keys.flatMap((k, i) => selfs.filter((_, j) => j !== i).map((s, j) =>
        issue({ subject: 'CN=Mesh', publicKey: k.publicKey, issuer: s, signingKey: keys[j >= i ? j + 1 : j]!, ca: true })));
      const meshLeaf = issue({ subject: 'CN=mesh-leaf', publicKey: leafKey.publicKey, issuer: selfs[0]!, signingKey: keys[0]! });
      const t0 = performance.now();
      const r = verifyChain(meshLeaf, { intermediates: [...cross, ...selfs], roots: [root], time: AT });
      expect(r.ok).toBe(false);
      expect(['CERT_CHAIN_TOO_LONG', 'SELF_SIGNED_CERT_IN_CHAIN']).toContain(!r.ok && r.code);
      expect(performance.now() - t0).toBeLessThan(5000 * timeScale());
      // With one of them trusted, a path is found at once.
      expect(verifyChain(meshLeaf, { intermediates: [...cross, ...selfs], roots: [selfs[3]!], time: AT }).ok).toBe(true);
    });

    it('a non-SM2 subject key (ECDSA P-256) under an SM2 CA reads as a KeyObject', () => {
      const { publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const ec = issue({ subject: 'CN=ecdsa', publicKey, issuer: sub, signingKey: subKey });
      expect(ec.publicKey).toBeInstanceOf(crypto.KeyObject);
      expect(ec.publicKeyAlgorithm).toMatchObject({ name: 'id-ecPublicKey', curveName: 'prime256v1', sm2: false });
      expect(verifyChain(ec, base()).ok).toBe(true);
      // It cannot sign an SM2-with-SM3 certificate.
      const byEc = derEncode.sequence(leaf.tbs, leaf.signatureAlgorithm.der, derEncode.bitString(leaf.signature));
      expect(parseCertificate(byEc).verifySignature(ec)).toBe(false);
    });

    it('CSRs: created, parsed, self-signature checked, issued from', () => {
      const csr = createCsr({
        subject: 'CN=req.example.cn,O=guomi,C=CN',
        privateKey: leafKey,
        subjectAltName: { dns: ['req.example.cn'], email: ['ops@example.cn'] },
        extKeyUsage: ['serverAuth'],
      });
      const parsed = parseCsr(csr.toPem());
      expect(parsed.subject.toString()).toBe('CN=req.example.cn,O=guomi,C=CN');
      expect(parsed.subjectAltName).toEqual([{ type: 'dns', value: 'req.example.cn' }, { type: 'email', value: 'ops@example.cn' }]);
      expect(parsed.extKeyUsage).toEqual(['serverAuth']);
      expect(parsed.verifySignature()).toBe(true);
      expect(leafKey.publicKey.verify(parsed.tbs, parsed.signature)).toBe(true);
      const cert = createCertificate({ csr: parsed, issuer: sub, signingKey: subKey, notBefore: T0 });
      expect(cert.subject.toString()).toBe('CN=req.example.cn,O=guomi,C=CN');
      expect(cert.subjectAltName).toEqual(parsed.subjectAltName);
      expect(verifyChain(cert, { ...base(), hostname: 'req.example.cn' }).ok).toBe(true);
      const bad = Uint8Array.from(csr.der);
      bad[bad.length - 3]! ^= 1;
      expect(parseCsr(bad).verifySignature()).toBe(false);
      expectCode(() => createCertificate({ csr: bad, issuer: sub, signingKey: subKey }), 'ERR_SM2_INVALID_SIGNATURE');
      const emptyIdCsr = createCsr({ subject: 'CN=e', privateKey: leafKey, sm2Id: '' });
      expect(emptyIdCsr.verifySignature()).toBe(false);
      expect(emptyIdCsr.verifySignature({ allowEmptyId: true })).toBe(true);
    });

    it('createCertificate / createCsr argument checks', () => {
      expect(() => createCertificate(undefined as never)).toThrow(TypeError);
      expect(() => createCertificate({ subject: 'CN=x' } as never)).toThrow(/signingKey/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: 42 as never })).toThrow(TypeError);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: leafKey, issuer: sub, publicKey: leafKey.publicKey })).toThrow(/does not match/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: subKey, issuer: sub })).toThrow(/publicKey/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, publicKey: leafKey.publicKey })).toThrow(RangeError);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, pathLength: 1 })).toThrow(/CA certificates/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, serialNumber: '00' })).toThrow(/positive/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, serialNumber: 'ff'.repeat(21) })).toThrow(/20 octets/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, keyUsage: ['signEverything' as never] })).toThrow(RangeError);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, extKeyUsage: ['flying'] })).toThrow(RangeError);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, subjectAltName: { ip: ['999.1.1.1'] } })).toThrow(RangeError);
      expect(() => createCertificate({ subject: '', signingKey: rootKey })).toThrow(/empty subject/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, notBefore: new Date(NaN) })).toThrow(RangeError);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, notBefore: AT, notAfter: T0 })).toThrow(/before/);
      expect(() => createCertificate({ subject: 'C=China', signingKey: rootKey })).not.toThrow();
      expect(() => createCertificate({ subject: 'C=中国', signingKey: rootKey })).toThrow(/PrintableString/);
      expect(() => createCertificate({ subject: 'XX=1', signingKey: rootKey })).toThrow(/unknown name attribute/);
      expect(() => createCertificate({ subject: 'CN=x', signingKey: rootKey, extensions: [{ oid: '2.5.29.15', value: Uint8Array.of(3, 1, 0) }] })).toThrow(/twice/);
      expect(() => createCsr({ subject: 'CN=x' } as never)).toThrow(TypeError);
      const serial = createCertificate({ subject: 'CN=x', signingKey: rootKey, serialNumber: 0x1234n });
      expect(serial.serialNumber).toBe('1234');
      expect(createCertificate({ subject: 'CN=x', signingKey: rootKey, serialNumber: '80' }).serialNumber).toBe('80');
      // An empty subject is allowed with a (then critical) subjectAltName.
      const anon = createCertificate({ subject: '', signingKey: rootKey, subjectAltName: { dns: ['a.example.cn'] } });
      expect(anon.subject.isEmpty).toBe(true);
      expect(anon.extensions.find((e) => e.name === 'subjectAltName')?.critical).toBe(true);
      // Informational extensions round-trip.
      const info = createCertificate({ subject: 'CN=x', signingKey: rootKey, crlDistributionPoints: ['http://crl.example.cn/1.crl'], ocsp: ['http://ocsp.example.cn'], caIssuers: ['http://ca.example.cn/ca.cer'], policies: ['2.23.140.1.2.2'] });
      expect(info.crlDistributionPoints).toEqual([{ fullName: [{ type: 'uri', value: 'http://crl.example.cn/1.crl' }] }]);
      expect(info.authorityInfoAccess?.map((a) => [a.methodName, a.location])).toEqual([
        ['ocsp', { type: 'uri', value: 'http://ocsp.example.cn' }],
        ['caIssuers', { type: 'uri', value: 'http://ca.example.cn/ca.cer' }],
      ]);
      expect(info.certificatePolicies).toEqual([{ oid: '2.23.140.1.2.2', qualifiers: [] }]);
    });

    it('verifyChain argument checks', () => {
      expect(() => verifyChain(leaf, undefined as never)).toThrow(TypeError);
      expect(() => verifyChain(leaf, {} as never)).toThrow(RangeError);
      expect(() => verifyChain(leaf, { roots: [] })).toThrow(/at least one/);
      expect(() => verifyChain(leaf, { roots: 42 as never })).toThrow(TypeError);
      expect(() => verifyChain(leaf, { roots: [42 as never] })).toThrow(/roots\[0\]/);
      expect(() => verifyChain(leaf, { roots: [root], time: 'tomorrow' as never })).toThrow(TypeError);
      expect(() => verifyChain(leaf, { roots: [root], time: new Date('x') })).toThrow(RangeError);
      expect(() => verifyChain(leaf, { roots: [root], purpose: 'world-domination' })).toThrow(RangeError);
      expect(() => verifyChain(leaf, { roots: [root], hostname: '' })).toThrow(TypeError);
      expect(() => verifyChain(leaf, { roots: [root], allowEmptyId: 'yes' as never })).toThrow(TypeError);
      expect(() => verifyChain(leaf, { roots: [root], maxChainLength: 0 })).toThrow(RangeError);
      expectCode(() => verifyChain(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x00), { roots: [root] }), 'ERR_DECODE');
      expectCode(() => verifyChain(leaf, { roots: root.toPem().slice(0, 100) }), 'ERR_DECODE');
      expect(() => verifyChain(leaf, { roots: 'no PEM here' })).toThrow(RangeError);
      expect(Object.keys(VERIFY_ERROR_CODES)).toContain('CERT_HAS_EXPIRED');
    });
  });

  describe('names', () => {
    it('RFC 4514 text: escaping, multi-valued RDNs, slash form, types, round trips', () => {
      const n = X509Name.from('CN=a\\,b\\+c\\\\d\\"e\\<f\\>g\\;h+UID=u1,OU=\\#x\\20,O=中国 测试,C=CN');
      expect(n.rdns.map((r) => r.map((a) => `${a.name}=${a.value}`))).toEqual([['C=CN'], ['O=中国 测试'], ['OU=#x '], ['UID=u1', 'CN=a,b+c\\d"e<f>g;h']]);
      expect(X509Name.from(n.toString()).der).toEqual(n.der);
      expect(X509Name.from('/C=CN/O=Example/CN=Server').toString()).toBe('CN=Server,O=Example,C=CN');
      expect(X509Name.from([['C', 'CN'], ['commonName', 'x']]).toString()).toBe('CN=x,C=CN');
      expect(X509Name.from('2.5.4.3=oid,OID.2.5.4.10=o2').toString()).toBe('CN=oid,O=o2');
      expect(X509Name.from('CN=\\E4\\B8\\AD').get('CN')).toEqual(['中']);
      expect(X509Name.from('').isEmpty).toBe(true);
      expect(X509Name.from('CN=tab\\09').toString()).toBe('CN=tab\\09');
      // Types: C is PrintableString, emailAddress IA5String, the rest UTF8String.
      const typed = X509Name.from('emailAddress=a@b.cn,CN=x,C=CN');
      expect(typed.rdns.map((r) => r[0]!.tag)).toEqual([0x13, 0x0c, 0x16]);
      expect(() => X509Name.from('CN')).toThrow(RangeError);
      expect(() => X509Name.from(42 as never)).toThrow(TypeError);
    });

    it('BMPString, UniversalString, TeletexString and unknown types and attributes', () => {
      const bmp = derTlv(0x1e, Buffer.from('00e46d4b8bd5', 'hex')); // "ä测试" UTF-16BE
      const uni = derTlv(0x1c, Buffer.from('0001f600', 'hex')); // 😀 UTF-32BE
      const t61 = derTlv(0x14, Uint8Array.of(0x63, 0x61, 0x66, 0xe9)); // café, ISO 8859-1
      const name = X509Name.from(`CN=#${toHex(bmp)},O=#${toHex(uni)},OU=#${toHex(t61)},1.2.3.4=#${toHex(derTlv(0x0c, Buffer.from('v')))},L=#${toHex(derEncode.smallInteger(5))}`);
      expect(name.get('CN')).toEqual(['ä测试']);
      expect(name.get('O')).toEqual(['😀']);
      expect(name.get('OU')).toEqual(['café']);
      expect(name.toString()).toBe('CN=ä测试,O=😀,OU=café,1.2.3.4=#0c0176,L=#020105');
      // RFC 5280 §7.1: a BMPString and a UTF8String with the same text (and case) match.
      expect(X509Name.from('CN=Ä测试').equals(name)).toBe(false);
      expect(X509Name.from(`CN=#${toHex(bmp)}`).equals(X509Name.from('CN=Ä测试'))).toBe(true);
      expect(X509Name.from('CN=Foo  Bar ,O=x').equals(X509Name.from('CN=foo bar,O=X'))).toBe(true);
      expect(X509Name.from('CN=a,O=b').equals(X509Name.from('O=b,CN=a'))).toBe(false);
    });
  });

  it('the root entry re-exports guomi/x509', () => {
    expect(rootIndex.parseCertificate).toBe(parseCertificate);
    expect(rootIndex.verifyChain).toBe(verifyChain);
    expect(rootIndex.createCertificate).toBe(createCertificate);
    expect(rootIndex.createCsr).toBe(createCsr);
  });

  it('parseCertificate rejects wrong types with TypeError and non-certificates with ERR_DECODE', () => {
    for (const bad of [undefined, null, 42, {}, [], new Uint16Array(4)]) expect(() => parseCertificate(bad as never)).toThrow(TypeError);
    expectCode(() => parseCertificate(''), 'ERR_DECODE');
    expectCode(() => parseCertificate(new Uint8Array(0)), 'ERR_DECODE');
    expectCode(() => parseCertificate('-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n'), 'ERR_DECODE');
    expectCode(() => parseCertificate(derEncode.sequence(derEncode.null())), 'ERR_DECODE');
    expect(derDecode(derEncode.sequence()).tag).toBe(TAG.SEQUENCE);
  });
});
