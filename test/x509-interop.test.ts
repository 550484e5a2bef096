/**
 * guomi/x509 against independent implementations, both directions:
 * - the OpenSSL 3.0 command line: it reads what guomi issues (`x509 -text`, names in RFC 2253
 *   form, serials, fingerprints, dates), verifies its signatures over the TBS with
 *   `pkeyutl -verify -pkeyopt distid:1234567812345678` and single links with
 *   `verify -partial_chain -vfyopt distid:…`, and checks its CSRs; guomi verifies chains and CSRs
 *   OpenSSL makes — SM2 with distid, the legacy empty ID, and RSA (PKCS #1 v1.5 and PSS), ECDSA,
 *   Ed25519 and mixed RSA/SM2 chains;
 * - BouncyCastle 1.72 through shared/peers/bc/run (two JVM starts, `run batch`): BC builds a PKI
 *   that guomi validates, BC validates guomi's chains (and rejects the broken ones), and each
 *   issues certificates under the other's CA.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sm2PrivateKey } from '../src/sm2.js';
import {
  createCertificate,
  createCsr,
  parseCertificate,
  parseCertificates,
  parseCsr,
  verifyChain,
  type Certificate,
  type VerifyChainResult,
} from '../src/x509/index.js';
import { CONFORMANCE_DIR } from './conformance.js';

const haveOpenssl = (() => {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

const BC_RUN = join(CONFORMANCE_DIR, '..', 'peers', 'bc', 'run');
const BC_JARS = process.env['BC_JAVA_DIR'] ?? '/usr/share/java';
const haveBc = existsSync(BC_RUN) && existsSync(join(BC_JARS, 'bcpkix.jar')) && existsSync(join(BC_JARS, 'bcprov.jar'));
// CI sets GUOMI_REQUIRE_BC=1 so that a missing peer fails the run instead of skipping the suite.
if (!haveBc && process.env['GUOMI_REQUIRE_BC'] === '1') throw new Error(`BouncyCastle peer not usable at ${BC_RUN}`);

const dir = mkdtempSync(join(tmpdir(), 'guomi-x509-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);
const DISTID = 'distid:1234567812345678';

function openssl(args: string[], input?: string | Buffer): { status: number; out: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

function ok(args: string[]): string {
  const r = openssl(args);
  expect(r.status, `openssl ${args.join(' ')}\n${r.out}`).toBe(0);
  return r.out;
}

function write(name: string, data: string | Uint8Array): string {
  writeFileSync(path(name), data);
  return path(name);
}

function expectCode(r: VerifyChainResult, code: string): void {
  expect(r.ok ? 'ok' : r.code, r.ok ? '' : r.reason).toBe(code);
}

describe.runIf(haveOpenssl)('OpenSSL 3.0 reads and verifies what guomi issues', () => {
  const rootKey = Sm2PrivateKey.generate();
  const subKey = Sm2PrivateKey.generate();
  const leafKey = Sm2PrivateKey.generate();
  // Names with every escaping rule, Chinese text, a multi-valued RDN and an e-mail attribute.
  const root = createCertificate({ subject: 'CN=测试根 CA,O=Example\\, Inc.,OU=\\#1 \\+ \\"q\\" \\<x\\>\\;,C=CN', signingKey: rootKey, ca: true, days: 3650 });
  const sub = createCertificate({ subject: 'CN=Sub CA+UID=sub-1,O=示例,C=CN', publicKey: subKey.publicKey, issuer: root, signingKey: rootKey, ca: true, pathLength: 0 });
  const csr = createCsr({ subject: 'emailAddress=ops@example.cn,CN=www.example.cn,O=示例,C=CN', privateKey: leafKey, subjectAltName: { dns: ['www.example.cn'], ip: ['10.1.2.3'] } });
  const leaf = createCertificate({ csr, issuer: sub, signingKey: subKey, extKeyUsage: ['serverAuth'], leafBasicConstraints: true });
  const certs: [string, Certificate][] = [['root', root], ['sub', sub], ['leaf', leaf]];
  for (const [n, c] of certs) write(`${n}.pem`, c.toPem());
  write('leaf.csr', csr.toPem());

  it('x509 -text parses each certificate; names, serials, dates and fingerprints agree', () => {
    for (const [n, c] of certs) {
      const text = ok(['x509', '-in', path(`${n}.pem`), '-noout', '-text']);
      expect(text).toContain('Signature Algorithm: SM2-with-SM3');
      expect(text).toContain('ASN1 OID: SM2');
      const fields = ok(['x509', '-in', path(`${n}.pem`), '-noout', '-subject', '-issuer', '-serial', '-startdate', '-enddate', '-nameopt', 'RFC2253,-esc_msb']);
      expect(fields).toContain(`subject=${c.subject.toString()}\n`);
      expect(fields).toContain(`issuer=${c.issuer.toString()}\n`);
      expect(fields).toContain(`serial=${c.serialNumber.toUpperCase()}\n`);
      const date = (d: Date): string => new Date(/notBefore=(.*)/.exec(fields)![1]!).getTime() === d.getTime() ? 'same' : 'differs';
      expect(date(c.notBefore)).toBe('same');
      expect(new Date(/notAfter=(.*)/.exec(fields)![1]!).getTime()).toBe(c.notAfter.getTime());
      for (const [alg, mine] of [['-sha256', c.fingerprints.sha256], ['-sm3', c.fingerprints.sm3]] as const) {
        const fp = ok(['x509', '-in', path(`${n}.pem`), '-noout', '-fingerprint', alg]);
        expect(fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase()).toBe(mine);
      }
    }
    const leafText = ok(['x509', '-in', path('leaf.pem'), '-noout', '-ext', 'subjectAltName,basicConstraints,extendedKeyUsage,keyUsage']);
    expect(leafText).toMatch(/DNS:www\.example\.cn, IP Address:10\.1\.2\.3/);
    expect(leafText).toMatch(/Basic Constraints: critical\n\s+CA:FALSE/);
    expect(leafText).toMatch(/TLS Web Server Authentication/);
    expect(ok(['x509', '-in', path('sub.pem'), '-noout', '-ext', 'basicConstraints'])).toMatch(/CA:TRUE, pathlen:0/);
    expect(ok(['x509', '-in', path('root.pem'), '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'])).toBe(
      'subject=CN=测试根 CA,O=Example\\, Inc.,OU=\\#1 \\+ \\"q\\" \\<x\\>\\;,C=CN\n',
    );
  });

  it('pkeyutl verifies every signature over the TBS with distid 1234567812345678 (and not without)', () => {
    const issuers: Record<string, string> = { root: 'root', sub: 'root', leaf: 'sub' };
    for (const [n, c] of certs) {
      const pub = write(`${n}-issuer.pub`, ok(['x509', '-in', path(`${issuers[n]}.pem`), '-noout', '-pubkey']));
      const tbs = write(`${n}.tbs`, c.tbs);
      const sig = write(`${n}.sig`, c.signature);
      const verify = (extra: string[]): string =>
        openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3', '-in', tbs, '-sigfile', sig, ...extra]).out;
      expect(verify(['-pkeyopt', DISTID])).toContain('Signature Verified Successfully');
      expect(verify([])).not.toContain('Signature Verified Successfully');
    }
  });

  it('verify -partial_chain accepts each link with distid; the CSR verifies with req -verify', () => {
    expect(ok(['verify', '-partial_chain', '-vfyopt', DISTID, '-CAfile', path('root.pem'), path('sub.pem')])).toContain(': OK');
    expect(ok(['verify', '-partial_chain', '-vfyopt', DISTID, '-CAfile', path('sub.pem'), '-purpose', 'sslserver', path('leaf.pem')])).toContain(': OK');
    expect(openssl(['verify', '-partial_chain', '-CAfile', path('sub.pem'), path('leaf.pem')]).status).not.toBe(0);
    const req = ok(['req', '-in', path('leaf.csr'), '-noout', '-verify', '-vfyopt', DISTID, '-text', '-nameopt', 'RFC2253,-esc_msb']);
    expect(req).toMatch(/verify OK/);
    expect(req).toContain(`Subject: ${csr.subject.toString()}`);
    expect(req).toMatch(/Requested Extensions:[\s\S]*DNS:www\.example\.cn, IP Address:10\.1\.2\.3/);
  });

  it('SM2 chains OpenSSL makes with distid validate here; empty-ID ones only with allowEmptyId', () => {
    const key = (n: string): string => {
      ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', path(n)]);
      return path(n);
    };
    const oRootKey = key('o-root.key');
    const oLeafKey = key('o-leaf.key');
    ok(['req', '-x509', '-new', '-key', oRootKey, '-sm3', '-sigopt', DISTID, '-subj', '/C=CN/O=OpenSSL Made/CN=OpenSSL SM2 Root', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', path('o-root.pem')]);
    ok(['req', '-new', '-key', oLeafKey, '-sm3', '-sigopt', DISTID, '-subj', '/C=CN/O=OpenSSL Made/CN=o.example.cn',
      '-addext', 'subjectAltName=DNS:o.example.cn', '-out', path('o-leaf.csr')]);
    write('o.ext', 'subjectAltName=DNS:o.example.cn\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
    ok(['x509', '-req', '-in', path('o-leaf.csr'), '-CA', path('o-root.pem'), '-CAkey', oRootKey, '-CAcreateserial', '-sm3', '-sigopt', DISTID,
      '-vfyopt', DISTID, '-extfile', path('o.ext'), '-days', '30', '-out', path('o-leaf.pem')]);
    const oRoot = readFileSync(path('o-root.pem'), 'utf8');
    const oLeaf = parseCertificate(readFileSync(path('o-leaf.pem'), 'utf8'));
    expect(oLeaf.basicConstraints).toEqual({ ca: false }); // OpenSSL's `30 00`
    expect(verifyChain(oLeaf, { roots: [oRoot], purpose: 'serverAuth', hostname: 'o.example.cn' }).ok).toBe(true);
    // Its CSR (distid) verifies here and can be issued from.
    const oCsr = parseCsr(readFileSync(path('o-leaf.csr'), 'utf8'));
    expect(oCsr.verifySignature()).toBe(true);
    const issuedHere = createCertificate({ csr: oCsr, issuer: root, signingKey: rootKey });
    expect(issuedHere.subjectAltName).toEqual([{ type: 'dns', value: 'o.example.cn' }]);
    // OpenSSL 3.0 defaults: no distid means an empty ID.
    ok(['req', '-x509', '-new', '-key', oRootKey, '-sm3', '-subj', '/CN=Empty ID Root', '-days', '30', '-out', path('o-empty.pem')]);
    ok(['req', '-new', '-key', oLeafKey, '-sm3', '-subj', '/CN=empty-id.example.cn', '-out', path('o-empty.csr')]);
    const empty = readFileSync(path('o-empty.pem'), 'utf8');
    const r = verifyChain(empty, { roots: [empty] });
    expectCode(r, 'CERT_SIGNATURE_FAILURE');
    expect(!r.ok && r.reason).toMatch(/empty ID/);
    expect(verifyChain(empty, { roots: [empty], allowEmptyId: true }).ok).toBe(true);
    const emptyCsr = parseCsr(readFileSync(path('o-empty.csr'), 'utf8'));
    expect(emptyCsr.verifySignature()).toBe(false);
    expect(emptyCsr.verifySignature({ allowEmptyId: true })).toBe(true);
  });

  it('RSA, RSA-PSS, ECDSA, Ed25519 and a mixed RSA -> SM2 chain made by OpenSSL validate here', () => {
    const mkRoot = (n: string, keyArgs: string[], digest: string[]): void => {
      ok(['req', '-x509', '-new', ...keyArgs, '-nodes', '-keyout', path(`${n}.key`), ...digest, '-subj', `/CN=${n} root`, '-days', '30',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign', '-out', path(`${n}.pem`)]);
    };
    const mkLeaf = (n: string, root: string, keyArgs: string[], digest: string[]): void => {
      ok(['req', '-new', ...keyArgs, '-nodes', '-keyout', path(`${n}.key`), '-subj', `/CN=${n}.example.cn`, '-out', path(`${n}.csr`)]);
      ok(['x509', '-req', '-in', path(`${n}.csr`), '-CA', path(`${root}.pem`), '-CAkey', path(`${root}.key`), '-CAcreateserial', ...digest,
        '-extfile', write(`${n}.ext`, `subjectAltName=DNS:${n}.example.cn\nextendedKeyUsage=serverAuth\n`), '-days', '30', '-out', path(`${n}.pem`)]);
    };
    const cases: [string, string[], string[]][] = [
      ['rsa', ['-newkey', 'rsa:2048'], ['-sha256']],
      ['pss', ['-newkey', 'rsa:2048'], ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32']],
      ['ecdsa', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], ['-sha384']],
      ['ed', ['-newkey', 'ed25519'], []],
    ];
    for (const [n, keyArgs, digest] of cases) {
      mkRoot(`${n}-ca`, keyArgs, digest);
      mkLeaf(n, `${n}-ca`, keyArgs, digest);
      const leafCert = parseCertificate(readFileSync(path(`${n}.pem`), 'utf8'));
      expect(leafCert.publicKey).toBeInstanceOf(crypto.KeyObject);
      const r = verifyChain(leafCert, { roots: [readFileSync(path(`${n}-ca.pem`), 'utf8')], purpose: 'serverAuth', hostname: `${n}.example.cn` });
      expect(r.ok, `${n}: ${r.ok ? '' : r.reason}`).toBe(true);
      const bad = Uint8Array.from(leafCert.der);
      bad[bad.length - 10]! ^= 0x40;
      expectCode(verifyChain(bad, { roots: [readFileSync(path(`${n}-ca.pem`), 'utf8')] }), 'CERT_SIGNATURE_FAILURE');
    }
    // SHA-1 is refused.
    mkLeaf('sha1', 'rsa-ca', ['-newkey', 'rsa:2048'], ['-sha1']);
    expectCode(verifyChain(readFileSync(path('sha1.pem'), 'utf8'), { roots: [readFileSync(path('rsa-ca.pem'), 'utf8')] }), 'UNSUPPORTED_SIGNATURE_ALGORITHM');
    // Mixed: an SM2 intermediate under the RSA root (signed by OpenSSL), an SM2 leaf under it (signed here).
    const midKey = Sm2PrivateKey.generate();
    write('mid.key', midKey.export());
    ok(['req', '-new', '-key', path('mid.key'), '-sm3', '-sigopt', DISTID, '-subj', '/CN=SM2 under RSA', '-out', path('mid.csr')]);
    ok(['x509', '-req', '-in', path('mid.csr'), '-CA', path('rsa-ca.pem'), '-CAkey', path('rsa-ca.key'), '-CAcreateserial', '-sha256',
      '-vfyopt', DISTID, '-extfile', write('mid.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n'), '-days', '30', '-out', path('mid.pem')]);
    const mid = parseCertificate(readFileSync(path('mid.pem'), 'utf8'));
    const sm2Leaf = createCertificate({ subject: 'CN=mixed.example.cn', publicKey: leafKey.publicKey, issuer: mid, signingKey: midKey, subjectAltName: { dns: ['mixed.example.cn'] } });
    const r = verifyChain(sm2Leaf, { intermediates: [mid], roots: [readFileSync(path('rsa-ca.pem'), 'utf8')], hostname: 'mixed.example.cn' });
    expect(r.ok && r.path.map((c) => c.signatureAlgorithm.name)).toEqual(['SM2-with-SM3', 'sha256WithRSAEncryption', 'sha256WithRSAEncryption']);
    // node:crypto reads the mixed chain but cannot check the SM2 link (it uses an empty ID).
    expect(new crypto.X509Certificate(Buffer.from(sm2Leaf.der)).verify(new crypto.X509Certificate(Buffer.from(mid.der)).publicKey)).toBe(false);
  });
});

describe.runIf(haveBc)('BouncyCastle 1.72 (shared/peers/bc)', () => {
  const bcDir = path('bc');
  const flatDir = path('bcflat');
  const lines: string[] = [];
  let results: string[] = [];
  let second: string[] = [];
  const rootKey = Sm2PrivateKey.generate();
  const subKey = Sm2PrivateKey.generate();
  const leafKey = Sm2PrivateKey.generate();
  const now = Date.now();
  const notBefore = new Date(now - 3600_000);
  const root = createCertificate({ subject: 'CN=guomi Root,O=guomi,C=CN', signingKey: rootKey, ca: true, days: 3650, notBefore });
  const sub = createCertificate({ subject: 'CN=guomi Sub,O=guomi,C=CN', publicKey: subKey.publicKey, issuer: root, signingKey: rootKey, ca: true, pathLength: 0, notBefore });
  const leaf = createCertificate({ subject: 'CN=localhost,O=guomi,C=CN', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extKeyUsage: ['serverAuth'], subjectAltName: { dns: ['localhost'], ip: ['127.0.0.1'] }, notBefore });
  const client = createCertificate({ subject: 'CN=guomi client,O=guomi,C=CN', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, extKeyUsage: ['clientAuth'], notBefore });
  const bcLeaf = createCertificate({ subject: 'CN=bc.leaf', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, leafBasicConstraints: true, notBefore });
  const emptyId = createCertificate({ subject: 'CN=empty.id', publicKey: leafKey.publicKey, issuer: sub, signingKey: subKey, sm2Id: '', notBefore });
  const sub2Key = Sm2PrivateKey.generate();
  const sub2 = createCertificate({ subject: 'CN=guomi Sub 2', publicKey: sub2Key.publicKey, issuer: sub, signingKey: subKey, ca: true, notBefore });
  const deep = createCertificate({ subject: 'CN=deep', publicKey: leafKey.publicKey, issuer: sub2, signingKey: sub2Key, notBefore });
  const badSig = Uint8Array.from(leaf.der);
  badSig[badSig.length - 4]! ^= 1;

  /** Adds one batch line; returns its index. */
  const cmd = (line: string): number => lines.push(line) - 1;
  const idx: Record<string, number> = {};

  beforeAll(() => {
    for (const [n, c] of [['root', root], ['sub', sub], ['leaf', leaf], ['client', client], ['bcleaf', bcLeaf], ['emptyid', emptyId], ['sub2', sub2], ['deep', deep]] as const) {
      write(`g-${n}.pem`, c.toPem());
    }
    write('g-badsig.pem', parseCertificate(badSig).toPem());
    write('g-root.key', rootKey.export());
    write('g-sub.key', subKey.export());
    const g = (n: string): string => path(`g-${n}.pem`);
    idx['fixture'] = cmd(`x509 fixture --dir ${bcDir}`);
    idx['flat'] = cmd(`x509 fixture --dir ${flatDir} --no-intermediate --basic-constraints --prefix BCflat`);
    idx['leaf'] = cmd(`x509 verify --root ${g('root')} ${g('leaf')} ${g('sub')}`);
    idx['client'] = cmd(`x509 verify --root ${g('root')} ${g('client')} ${g('sub')}`);
    idx['bcleaf'] = cmd(`x509 verify --root ${g('root')} ${g('bcleaf')} ${g('sub')}`);
    idx['sigonly'] = cmd(`x509 verify --root ${g('root')} --sig-only ${g('leaf')} ${g('sub')}`);
    idx['expired'] = cmd(`x509 verify --root ${g('root')} --at 2100-01-01T00:00:00Z ${g('leaf')} ${g('sub')}`);
    idx['badsig'] = cmd(`x509 verify --root ${g('root')} ${g('badsig')} ${g('sub')}`);
    idx['emptyid'] = cmd(`x509 verify --root ${g('root')} ${g('emptyid')} ${g('sub')}`);
    idx['pathlen'] = cmd(`x509 verify --root ${g('root')} ${g('deep')} ${g('sub2')} ${g('sub')}`);
    idx['show'] = cmd(`x509 show ${g('root')}`);
    idx['issue-leaf'] = cmd(`x509 issue --profile server --subject C=CN,O=BCissued,CN=bc.example.cn --key ${path('bc-leaf.key')} --issuer ${g('sub')} --issuer-key ${path('g-sub.key')} --dns bc.example.cn --ip 10.0.0.1 --out ${path('bc-leaf.pem')}`);
    idx['issue-sub'] = cmd(`x509 issue --profile ca --subject C=CN,O=BCissued,CN=BCSub --key ${path('bc-sub.key')} --issuer ${g('root')} --issuer-key ${path('g-root.key')} --pathlen 0 --out ${path('bc-sub.pem')}`);
    const r = spawnSync(BC_RUN, ['batch'], { input: lines.join('\n') + '\n', encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    results = r.stdout.replace(/\n$/, '').split('\n');
    expect(results.length).toBe(lines.length);

    // Second run: BC checks what guomi issued under BC's own CA, with BC's key.
    const bcRoot = parseCertificate(readFileSync(join(bcDir, 'root-ca.pem'), 'utf8'));
    const bcRootKey = Sm2PrivateKey.from(readFileSync(join(bcDir, 'root-ca.key'), 'utf8'));
    const underBc = createCertificate({ subject: 'CN=guomi under BC', publicKey: leafKey.publicKey, issuer: bcRoot, signingKey: bcRootKey, extKeyUsage: ['clientAuth'] });
    const subUnderBc = createCertificate({ subject: 'CN=guomi CA under BC', publicKey: subKey.publicKey, issuer: bcRoot, signingKey: bcRootKey, ca: true });
    const leafUnderThat = createCertificate({ subject: 'CN=two.levels', publicKey: leafKey.publicKey, issuer: subUnderBc, signingKey: subKey });
    write('g-under-bc.pem', underBc.toPem());
    write('g-sub-under-bc.pem', subUnderBc.toPem());
    write('g-two-levels.pem', leafUnderThat.toPem());
    const root2 = join(bcDir, 'root-ca.pem');
    const r2 = spawnSync(BC_RUN, ['batch'], {
      input: [
        `x509 verify --root ${root2} ${path('g-under-bc.pem')}`,
        `x509 verify --root ${root2} ${path('g-two-levels.pem')} ${path('g-sub-under-bc.pem')}`,
        `x509 verify --root ${root2} ${path('g-two-levels.pem')}`,
      ].join('\n') + '\n',
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r2.status, r2.stderr).toBe(0);
    second = r2.stdout.replace(/\n$/, '').split('\n');
  }, 180_000);

  it('BC validates the chains guomi issues, and rejects the expired, tampered, empty-ID and pathLen-breaking ones', () => {
    expect(results[idx['leaf']!]).toBe('OK');
    expect(results[idx['client']!]).toBe('OK');
    expect(results[idx['bcleaf']!]).toBe('OK');
    expect(results[idx['sigonly']!]).toBe('OK');
    for (const k of ['expired', 'badsig', 'emptyid', 'pathlen']) expect(results[idx[k]!], k).toMatch(/^FAIL /);
    expect(results[idx['show']!]).toContain('selfSignatureValid=true');
    expect(results[idx['show']!]).toContain(`publicKey=${Buffer.from(rootKey.publicKey.toBytes()).toString('hex')}`);
    // ... and guomi agrees on each of these verdicts.
    const base = { intermediates: [sub, sub2], roots: [root] };
    expect(verifyChain(leaf, base).ok).toBe(true);
    expectCode(verifyChain(leaf, { ...base, time: new Date('2100-01-01T00:00:00Z') }), 'CERT_HAS_EXPIRED');
    expectCode(verifyChain(badSig, base), 'CERT_SIGNATURE_FAILURE');
    expectCode(verifyChain(emptyId, base), 'CERT_SIGNATURE_FAILURE');
    expectCode(verifyChain(deep, base), 'PATH_LENGTH_EXCEEDED');
  });

  it('guomi validates the PKI BC builds: server and client chains, purposes, host names, `30 00` leaves', () => {
    expect(results[idx['fixture']!]).toMatch(/^wrote /);
    const bcRoot = readFileSync(join(bcDir, 'root-ca.pem'), 'utf8');
    const serverChain = parseCertificates(readFileSync(join(bcDir, 'server-chain.pem'), 'utf8'));
    expect(serverChain.length).toBe(2);
    const [server, bcSub] = serverChain as [Certificate, Certificate];
    const opts = { intermediates: [bcSub], roots: [bcRoot] };
    for (const hostname of ['localhost', '127.0.0.1']) {
      expect(verifyChain(server, { ...opts, purpose: 'serverAuth', hostname }).ok, hostname).toBe(true);
    }
    expectCode(verifyChain(server, { ...opts, purpose: 'clientAuth' }), 'INVALID_PURPOSE');
    expectCode(verifyChain(server, { ...opts, hostname: 'example.com' }), 'HOSTNAME_MISMATCH');
    const [clientCert] = parseCertificates(readFileSync(join(bcDir, 'client-chain.pem'), 'utf8'));
    expect(verifyChain(clientCert!, { ...opts, purpose: 'clientAuth' }).ok).toBe(true);
    expect(bcSub.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(server.authorityKeyIdentifier?.keyIdentifier).toBe(bcSub.subjectKeyIdentifier);
    // BC's names, read back as OpenSSL prints them.
    if (haveOpenssl) {
      for (const f of ['root-ca.pem', 'sub-ca.pem', 'server.pem']) {
        const c = parseCertificate(readFileSync(join(bcDir, f), 'utf8'));
        expect(ok(['x509', '-in', join(bcDir, f), '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'])).toBe(`subject=${c.subject.toString()}\n`);
      }
    }
    // The flat PKI with `30 00` basicConstraints on its leaves.
    const flatServer = parseCertificate(readFileSync(join(flatDir, 'server.pem'), 'utf8'));
    expect(Buffer.from(flatServer.extensions.find((e) => e.name === 'basicConstraints')!.value).toString('hex')).toBe('3000');
    expect(flatServer.basicConstraints).toEqual({ ca: false });
    expect(verifyChain(flatServer, { roots: [readFileSync(join(flatDir, 'root-ca.pem'), 'utf8')], purpose: 'serverAuth', hostname: 'localhost' }).ok).toBe(true);
    // A tampered BC certificate fails.
    const bad = Uint8Array.from(server.der);
    bad[bad.length - 4]! ^= 1;
    expectCode(verifyChain(bad, opts), 'CERT_SIGNATURE_FAILURE');
  });

  it('each issues under the other: BC under guomi CAs, guomi under the BC root (verified by BC)', () => {
    expect(results[idx['issue-leaf']!]).not.toMatch(/^(ERROR|FAIL)/);
    expect(results[idx['issue-sub']!]).not.toMatch(/^(ERROR|FAIL)/);
    const bcIssued = parseCertificate(readFileSync(path('bc-leaf.pem'), 'utf8'));
    expect(bcIssued.subject.toString()).toBe('CN=bc.example.cn,O=BCissued,C=CN');
    expect(verifyChain(bcIssued, { intermediates: [sub], roots: [root], purpose: 'serverAuth', hostname: '10.0.0.1' }).ok).toBe(true);
    const bcSub = parseCertificate(readFileSync(path('bc-sub.pem'), 'utf8'));
    expect(bcSub.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(verifyChain(bcSub, { roots: [root] }).ok).toBe(true);
    // BC accepted guomi's certificates under its root, and wants the intermediate when there is one.
    expect(second).toEqual(['OK', 'OK', expect.stringMatching(/^FAIL /)]);
  });
});
