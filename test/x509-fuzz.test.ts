/**
 * Malformed input to guomi/x509: truncations, bit flips and byte changes of real and issued
 * certificates and CSRs, and hand-made hostile DER (huge lengths, deep nesting, wrong tags,
 * indefinite lengths, bad times, trailing bytes). Every outcome must be a parsed object or a
 * typed error (GuomiError ERR_DECODE, or TypeError/RangeError for wrong argument types) —
 * never another exception, a crash or a hang — and verifyChain on whatever parses must return
 * a result, not throw.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derEncode, derTlv } from '../src/der.js';
import { GuomiError } from '../src/errors.js';
import { Sm2PrivateKey } from '../src/sm2.js';
import {
  createCertificate,
  createCsr,
  parseCertificate,
  parseCertificates,
  parseCsr,
  verifyChain,
  type Certificate,
} from '../src/x509/index.js';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE } from './conformance.js';
import { rng } from './random.js';
import { timeScale } from './time-scale.js';

/** Runs fn; returns 'ok', or the error class and code — and fails on anything untyped. */
function outcome(fn: () => unknown, what: string): string {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof GuomiError) {
      expect(err.code, `${what}: ${err.message}`).toBe('ERR_DECODE');
      expect(err.message.length).toBeGreaterThan(5);
      return 'ERR_DECODE';
    }
    expect.fail(`${what}: unexpected ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
  }
}

function mutants(der: Uint8Array, random: () => number, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const m = Uint8Array.from(der);
    const kind = i % 5;
    const at = Math.floor(random() * der.length);
    if (kind === 0) out.push(m.subarray(0, at)); // truncation
    else if (kind === 1) {
      m[at]! ^= 1 << Math.floor(random() * 8); // one bit
      out.push(m);
    } else if (kind === 2) {
      m[at] = Math.floor(random() * 256); // one byte
      out.push(m);
    } else if (kind === 3) {
      // a byte that is likely a length (follows a tag-looking byte) set to something big
      let p = at;
      while (p < m.length - 1 && ![0x30, 0x31, 0x02, 0x03, 0x04, 0x06, 0x0c, 0x13, 0xa0, 0xa3].includes(m[p]!)) p++;
      if (p + 1 < m.length) m[p + 1] = [0x80, 0x81, 0x84, 0x88, 0xff, 0x7f][Math.floor(random() * 6)]!;
      out.push(m);
    } else {
      // several bytes inserted or removed in the middle
      const n = 1 + Math.floor(random() * 4);
      out.push(random() < 0.5 ? Uint8Array.from([...m.subarray(0, at), ...m.subarray(at + n)]) : Uint8Array.from([...m.subarray(0, at), ...new Array<number>(n).fill(0x30), ...m.subarray(at)]));
    }
  }
  return out;
}

/** DER of `depth` nested SEQUENCEs (definite lengths). */
function nested(depth: number, tag = 0x30): Uint8Array {
  let inner: Uint8Array = Uint8Array.of(0x05, 0x00);
  for (let i = 0; i < depth; i++) inner = derTlv(tag, inner);
  return inner;
}

describe('malformed certificates', () => {
  const key = Sm2PrivateKey.generate();
  const issued = createCertificate({
    subject: 'CN=fuzz.example.cn,O=模糊测试,C=CN',
    signingKey: key,
    ca: true,
    subjectAltName: { dns: ['fuzz.example.cn'], ip: ['::1'] },
    extKeyUsage: ['serverAuth'],
    crlDistributionPoints: ['http://crl.example.cn/x.crl'],
    ocsp: ['http://ocsp.example.cn'],
    policies: ['1.2.156.112554.1'],
  });
  const samples: [string, Certificate][] = [['issued', issued]];
  if (HAVE_CONFORMANCE) {
    for (const f of ['real-ebssec.boc.cn-sign.pem', 'real-nrcac-rootca-sm2.pem', 'tongsuo-sm2-ca-root.pem', 'tongsuo-alipay-leaf.pem']) {
      samples.push([f, parseCertificate(readFileSync(join(CONFORMANCE_DIR, 'certs', f), 'utf8'))]);
    }
  }

  it('random truncations, bit flips, byte changes, bad lengths and insertions give only typed errors', () => {
    const random = rng(20260601);
    const stats: Record<string, number> = {};
    const t0 = performance.now();
    for (const [name, cert] of samples) {
      for (const m of mutants(cert.der, random, 400)) {
        let parsed: Certificate | undefined;
        const r = outcome(() => {
          parsed = parseCertificate(m);
        }, name);
        stats[r] = (stats[r] ?? 0) + 1;
        if (parsed) {
          // Whatever parses goes through path validation (and the text views) without throwing.
          const v = verifyChain(parsed, { roots: [cert], time: cert.notBefore });
          expect(typeof v.ok).toBe('boolean');
          expect(typeof parsed.subject.toString()).toBe('string');
          parsed.verifySignature(cert);
        }
      }
    }
    expect(stats['ERR_DECODE']).toBeGreaterThan(samples.length * 200);
    expect(stats['ok']).toBeGreaterThan(0);
    // A few thousand parses of hostile input stay fast.
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('every truncation of a certificate is rejected', () => {
    const der = issued.der;
    for (let n = 0; n < der.length; n++) {
      expect(outcome(() => parseCertificate(der.subarray(0, n)), `truncated to ${n}`)).toBe('ERR_DECODE');
    }
    expect(outcome(() => parseCertificate(Uint8Array.from([...der, 0])), 'trailing byte')).toBe('ERR_DECODE');
  });

  it('hostile DER: huge lengths, deep nesting, indefinite lengths, wrong tags — fast and typed', () => {
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['one byte', Uint8Array.of(0x30)],
      ['4 GiB length', Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00)],
      ['8-byte length', Uint8Array.of(0x30, 0x88, 1, 2, 3, 4, 5, 6, 7, 8)],
      ['length beyond input', Uint8Array.of(0x30, 0x82, 0x10, 0x00, 0x02, 0x01, 0x00)],
      ['indefinite length', Uint8Array.of(0x30, 0x80, 0x05, 0x00, 0x00, 0x00)],
      ['non-minimal length', Uint8Array.of(0x30, 0x81, 0x02, 0x05, 0x00)],
      ['high tag number', Uint8Array.of(0x3f, 0x81, 0x01, 0x00)],
      ['deep nesting 10000', nested(10_000)],
      ['deep nesting 30', nested(30)],
      ['deep context nesting', nested(5000, 0xa3)],
      ['SET instead of SEQUENCE', derTlv(0x31, issued.der.subarray(4))],
      ['OCTET STRING', derEncode.octetString(issued.der)],
      ['wrong element count', derEncode.sequence(issued.tbs, issued.signatureAlgorithm.der)],
      ['2 MiB of zeros', new Uint8Array(2 << 20)],
      ['1 MiB SEQUENCE of NULLs', derTlv(0x30, new Uint8Array(1 << 19).map((_, i) => (i % 2 === 0 ? 0x05 : 0x00)))],
    ];
    // Hand-built certificates with one bad field each.
    const tbsWith = (fields: Uint8Array[]): Uint8Array =>
      derEncode.sequence(derEncode.sequence(...fields), issued.signatureAlgorithm.der, derEncode.bitString(issued.signature));
    const alg = issued.signatureAlgorithm.der;
    const name = issued.subject.der;
    const spki = issued.subjectPublicKeyInfo;
    const time = (tag: number, s: string): Uint8Array => derTlv(tag, Buffer.from(s));
    const validity = (a: Uint8Array, b: Uint8Array): Uint8Array => derEncode.sequence(a, b);
    const good = validity(time(0x17, '300101000000Z'), time(0x17, '310101000000Z'));
    const v3 = derEncode.context(0, derEncode.smallInteger(2));
    const serial = derEncode.smallInteger(1);
    cases.push(
      ['bad month', tbsWith([v3, serial, alg, name, validity(time(0x17, '301301000000Z'), time(0x17, '310101000000Z')), name, spki])],
      ['29 Feb 2031', tbsWith([v3, serial, alg, name, validity(time(0x17, '310229000000Z'), time(0x17, '320101000000Z')), name, spki])],
      ['time with offset', tbsWith([v3, serial, alg, name, validity(time(0x17, '300101000000+0800'), time(0x17, '310101000000Z')), name, spki])],
      ['GeneralizedTime with letters', tbsWith([v3, serial, alg, name, validity(time(0x18, '2030O101000000Z'), time(0x17, '310101000000Z')), name, spki])],
      ['version 4', tbsWith([derEncode.context(0, derEncode.smallInteger(3)), serial, alg, name, good, name, spki])],
      ['missing subject', tbsWith([v3, serial, alg, name, good, spki])],
      ['extra field', tbsWith([v3, serial, alg, name, good, name, spki, derEncode.null()])],
      ['empty extensions', tbsWith([v3, serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence())])],
      ['SM2 point not on the curve', tbsWith([v3, serial, alg, name, good, name, Uint8Array.from(spki).map((b, i) => (i === spki.length - 1 ? b ^ 1 : b))])],
      ['SPKI with 3 elements', tbsWith([v3, serial, alg, name, good, name, derEncode.sequence(...[spki, spki, spki])])],
      ['empty RDN', tbsWith([v3, serial, alg, derEncode.sequence(derTlv(0x31, new Uint8Array(0))), good, name, spki])],
      ['odd BMPString', tbsWith([v3, serial, alg, derEncode.sequence(derTlv(0x31, derEncode.sequence(derEncode.oid('2.5.4.3'), derTlv(0x1e, Uint8Array.of(0, 0x41, 0))))), good, name, spki])],
      ['duplicate extension', tbsWith([v3, serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence(
        derEncode.sequence(derEncode.oid('2.5.29.19'), derEncode.octetString(derEncode.sequence())),
        derEncode.sequence(derEncode.oid('2.5.29.19'), derEncode.octetString(derEncode.sequence())),
      ))])],
      ['malformed basicConstraints', tbsWith([v3, serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence(
        derEncode.sequence(derEncode.oid('2.5.29.19'), derEncode.octetString(derEncode.smallInteger(1))),
      ))])],
      ['iPAddress of 5 bytes', tbsWith([v3, serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence(
        derEncode.sequence(derEncode.oid('2.5.29.17'), derEncode.octetString(derEncode.sequence(derTlv(0x87, Uint8Array.of(1, 2, 3, 4, 5))))),
      ))])],
      ['extensions in a v1 certificate', tbsWith([serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence(
        derEncode.sequence(derEncode.oid('2.5.29.19'), derEncode.octetString(derEncode.sequence())),
      ))])],
    );
    // The bound catches super-linear parsing (which takes minutes on these inputs), not speed.
    // Under scripts/sanitize.sh every allocation of node goes through ASan's allocator (its
    // runtime is preloaded), which makes the 1 MiB cases several times slower: 5x the bound there.
    const bound = 1000 * timeScale();
    for (const [what, der] of cases) {
      const t0 = performance.now();
      expect(outcome(() => parseCertificate(der), what), what).toBe('ERR_DECODE');
      expect(performance.now() - t0, what).toBeLessThan(bound);
    }
    // The hand-built frame itself is fine: a v1 certificate and one with a non-critical odd CRL DP.
    const v1 = parseCertificate(tbsWith([serial, alg, name, good, name, spki]));
    expect(v1.version).toBe(1);
    const oddCrl = parseCertificate(tbsWith([v3, serial, alg, name, good, name, spki, derTlv(0xa3, derEncode.sequence(
      derEncode.sequence(derEncode.oid('2.5.29.31'), derEncode.octetString(derEncode.sequence(derEncode.null()))),
    ))]));
    expect(oddCrl.crlDistributionPoints).toBeUndefined();
    expect(oddCrl.extensions[0]!.name).toBe('cRLDistributionPoints');
  });

  it('malformed PEM: bad Base64, missing END, wrong label, oversized text', () => {
    const pem = issued.toPem();
    const cases: [string, string][] = [
      ['bad Base64', pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n!$1')],
      ['no END line', pem.replace(/-----END CERTIFICATE-----\n/, '')],
      ['mismatched END', pem.replace('END CERTIFICATE', 'END PRIVATE KEY')],
      ['wrong label', pem.replace(/CERTIFICATE/g, 'PUBLIC KEY')],
      ['encrypted header', pem.replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\n')],
      ['truncated body', pem.slice(0, pem.length / 2) + '\n-----END CERTIFICATE-----\n'],
      ['oversized', 'x'.repeat(5 << 20)],
    ];
    for (const [what, text] of cases) {
      let err: unknown;
      try {
        parseCertificate(text);
      } catch (e) {
        err = e;
      }
      expect(err, what).toBeInstanceOf(GuomiError);
      expect(['ERR_DECODE', 'ERR_UNSUPPORTED'], what).toContain((err as GuomiError).code);
    }
    expect(outcome(() => parseCertificates(pem + pem.replace(/\n[A-Z]/, '\n*')), 'bundle with one bad block')).toBe('ERR_DECODE');
  });

  it('malformed CSRs give only typed errors', () => {
    const csr = createCsr({ subject: 'CN=csr.example.cn', privateKey: key, subjectAltName: { dns: ['csr.example.cn'] } });
    const random = rng(7);
    let rejected = 0;
    for (const m of mutants(csr.der, random, 300)) {
      let parsed: ReturnType<typeof parseCsr> | undefined;
      if (outcome(() => (parsed = parseCsr(m)), 'csr') === 'ERR_DECODE') rejected++;
      if (parsed) expect(typeof parsed.verifySignature()).toBe('boolean');
    }
    expect(rejected).toBeGreaterThan(150);
    expect(() => parseCsr(42 as never)).toThrow(TypeError);
    expect(outcome(() => parseCsr(issued.der), 'certificate as CSR')).toBe('ERR_DECODE');
  });
});
