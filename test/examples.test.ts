/**
 * Every runnable example in examples/*.mjs (the ones the README shows), run as a user runs it
 * (node on the built package, `import … from 'guomi/…'`), with its output checked against an
 * independent implementation wherever one exists: node:crypto / the openssl command line
 * (OpenSSL 3.0), BouncyCastle 1.72 (shared/peers/bc), sm-crypto and sm-crypto-v2, and the
 * conformance corpus's real certificate chains. Where no peer implements the operation (the SM2
 * key exchange, the audit chain) the check is a round trip plus the documented failure codes.
 *
 * examples/http-over-guomi-tls.js is covered by tls-http.test.ts.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm4 as smV2Sm4 } from 'sm-crypto-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE } from './conformance.js';
import { HAVE_BC, ROOT, bc, bcOk, field, fromHex, openssl, opensslOk, runExample, toHex } from './doc-helpers.js';

interface SmCryptoV1 {
  sm2: {
    doDecrypt(ct: string, privateKey: string, cipherMode?: number): string;
    getPublicKeyFromPrivateKey(d: string): string;
    compressPublicKeyHex(pub: string): string;
  };
}
const smV1 = (createRequire(import.meta.url)('sm-crypto') as SmCryptoV1).sm2;

const dir = mkdtempSync(join(tmpdir(), 'guomi-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);

/** An SM2 key made by OpenSSL (PKCS#8 PEM), so that the examples read a foreign key. */
function opensslKey(name: string): string {
  opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', path(name)]);
  return path(name);
}

describe('examples', { timeout: 120_000 }, () => {
  it('every file in examples/ is listed in the README and run by a test', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const tests = readFileSync(join(ROOT, 'test', 'examples.test.ts'), 'utf8') + readFileSync(join(ROOT, 'test', 'tls-http.test.ts'), 'utf8');
    const files = readdirSync(join(ROOT, 'examples')).filter((f) => /\.(m?js)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(14);
    for (const f of files) {
      expect(readme, `README lists examples/${f}`).toContain(`(examples/${f})`);
      expect(tests, `a test runs examples/${f}`).toMatch(new RegExp(`['/]${f.replace('.', '\\.')}'`));
    }
  });

  it('every js code block in README.md, docs/interop.md and docs/migration.md is valid JavaScript', () => {
    let n = 0;
    for (const doc of ['README.md', 'docs/interop.md', 'docs/migration.md']) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const m of text.matchAll(/```js\n([\s\S]*?)```/g)) {
        const file = path(`block-${n++}.mjs`);
        writeFileSync(file, m[1]!);
        const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
        expect(r.status, `${doc}, block:\n${m[1]}\n${r.stderr}`).toBe(0);
      }
    }
    expect(n).toBeGreaterThan(15);
  });

  it('hash-file.mjs: SM3 of files, as node:crypto (OpenSSL) computes it', () => {
    const big = crypto.randomBytes(3 * 1024 * 1024 + 17);
    writeFileSync(path('big.bin'), big);
    writeFileSync(path('empty.bin'), new Uint8Array(0));
    const out = runExample('hash-file.mjs', [path('big.bin'), path('empty.bin')]).stdout;
    const expected = (b: Uint8Array): string => crypto.createHash('sm3').update(b).digest('hex');
    expect(out).toBe(`${expected(big)}  ${path('big.bin')}\n${expected(new Uint8Array(0))}  ${path('empty.bin')}\n`);
    // GB/T 32905-2016 Annex A.1 through the same code path.
    writeFileSync(path('abc.txt'), 'abc');
    expect(runExample('hash-file.mjs', [path('abc.txt')]).stdout.split(' ')[0]).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
  });

  it('hmac.mjs: HMAC-SM3 as node:crypto computes it, for several key lengths and UTF-8 text', () => {
    for (const keyLength of [1, 16, 64, 100]) {
      const key = crypto.randomBytes(keyLength);
      const message = `报文 message ${keyLength} with spaces`;
      const out = runExample('hmac.mjs', [key.toString('hex'), message]).stdout;
      expect(field(out, 'hmac-sm3')).toBe(crypto.createHmac('sm3', key).update(message, 'utf8').digest('hex'));
      expect(field(out, 'equal')).toBe('true');
    }
  });

  it('derive-keys.mjs: PBKDF2-HMAC-SM3 and HKDF-SM3 as node:crypto computes them', () => {
    const salt = crypto.randomBytes(16);
    const out = runExample('derive-keys.mjs', ['correct horse 电池', salt.toString('hex')]).stdout;
    const master = crypto.pbkdf2Sync('correct horse 电池', salt, 10_000, 32, 'sm3');
    expect(field(out, 'pbkdf2')).toBe(master.toString('hex'));
    const hkdf = (info: string, n: number): string => Buffer.from(crypto.hkdfSync('sm3', master, salt, info, n)).toString('hex');
    expect(field(out, 'enc')).toBe(hkdf('guomi example: encryption', 16));
    expect(field(out, 'mac')).toBe(hkdf('guomi example: mac', 32));
  });

  it('sm4-gcm-field.mjs: the stored field decrypts with sm-crypto-v2; moved or altered fields fail', () => {
    const key = crypto.randomBytes(16);
    const value = '11010519491231002X 张三';
    const out = runExample('sm4-gcm-field.mjs', [value], { FIELD_KEY: key.toString('hex') }).stdout;
    const stored = field(out, 'stored');
    expect(stored.startsWith('v1.')).toBe(true);
    const bytes = Buffer.from(stored.slice(3), 'base64url');
    expect(bytes.length).toBe(12 + Buffer.byteLength(value) + 16);
    const plain = smV2Sm4.decrypt(bytes.subarray(12, bytes.length - 16), key, {
      mode: 'gcm',
      iv: bytes.subarray(0, 12),
      associatedData: new TextEncoder().encode('users.id_card:42'),
      tag: bytes.subarray(bytes.length - 16),
      output: 'array',
    });
    expect(Buffer.from(plain).toString('utf8')).toBe(value);
    expect(field(out, 'opened')).toBe(value);
    expect(field(out, 'moved to row 43:')).toBe('ERR_AUTH_FAILED');
    expect(field(out, 'one bit changed:')).toBe('ERR_AUTH_FAILED');
  });

  it('sm4-cbc-java.mjs: interoperates with OpenSSL\'s sm4-cbc (PKCS#7) both ways', () => {
    const key = crypto.randomBytes(16);
    const text = 'SM4/CBC/PKCS5Padding 互通 test';
    const [ivHex, ctHex] = runExample('sm4-cbc-java.mjs', ['encrypt', key.toString('hex'), text]).stdout.trim().split(' ');
    const d = crypto.createDecipheriv('sm4-cbc', key, Buffer.from(ivHex!, 'hex'));
    expect(Buffer.concat([d.update(Buffer.from(ctHex!, 'hex')), d.final()]).toString('utf8')).toBe(text);
    const iv = crypto.randomBytes(16);
    const c = crypto.createCipheriv('sm4-cbc', key, iv);
    const ct = Buffer.concat([c.update(text, 'utf8'), c.final()]);
    expect(runExample('sm4-cbc-java.mjs', ['decrypt', key.toString('hex'), iv.toString('hex'), ct.toString('hex')]).stdout).toBe(`${text}\n`);
  });

  describe.runIf(HAVE_BC)('with BouncyCastle (the Java peer)', () => {
    it('sm4-cbc-java.mjs: BouncyCastle SM4/CBC/PKCS7 decrypts its output and it decrypts BouncyCastle\'s', () => {
      const key = crypto.randomBytes(16).toString('hex');
      const text = 'from node to java and back ☕';
      const [ivHex, ctHex] = runExample('sm4-cbc-java.mjs', ['encrypt', key, text]).stdout.trim().split(' ');
      const plainHex = bcOk(['sm4', 'decrypt', '--mode', 'cbc', '--key-hex', key, '--iv-hex', ivHex!, '--in-hex', ctHex!]);
      expect(Buffer.from(plainHex, 'hex').toString('utf8')).toBe(text);
      const iv = crypto.randomBytes(16).toString('hex');
      const javaCt = bcOk(['sm4', 'encrypt', '--mode', 'cbc', '--key-hex', key, '--iv-hex', iv, '--in-hex', Buffer.from(text).toString('hex')]);
      expect(runExample('sm4-cbc-java.mjs', ['decrypt', key, iv, javaCt]).stdout).toBe(`${text}\n`);
    });

    it('sm2-sign.mjs: BouncyCastle verifies its DER and raw signatures, with the given ID and the default', () => {
      bcOk(['sm2', 'keygen', '--out-key', path('bc.pem'), '--out-pub', path('bc.pub')]);
      const message = '签名 message';
      writeFileSync(path('msg.txt'), message);
      for (const id of ['alice@example.cn', undefined]) {
        const out = runExample('sm2-sign.mjs', [path('bc.pem'), message, ...(id ? [id] : [])]).stdout;
        const idArgs = id ? ['--id', id] : [];
        expect(bcOk(['sm2', 'verify', '--pub', path('bc.pub'), '--sig-hex', field(out, 'der'), ...idArgs, '--in', path('msg.txt')])).toBe('OK');
        expect(bcOk(['sm2', 'verify', '--pub', path('bc.pub'), '--raw', '--sig-hex', field(out, 'raw'), ...idArgs, '--in', path('msg.txt')])).toBe('OK');
        // …and not under another ID.
        const other = bc(['sm2', 'verify', '--pub', path('bc.pub'), '--sig-hex', field(out, 'der'), '--id', 'x', '--in', path('msg.txt')]);
        expect(other.status).toBe(1);
        expect(other.stdout).toMatch(/^FAIL/);
        // The printed public key is BouncyCastle's (second line of its keygen output).
        expect(field(out, 'public')).toBe(bcOk(['sm2', 'pub', '--key', path('bc.pem')]));
      }
    });

    it('sm2-encrypt.mjs: BouncyCastle SM2Engine decrypts every layout it prints', () => {
      const key = opensslKey('enc.pem');
      const message = 'SM2 加密 each layout';
      const out = runExample('sm2-encrypt.mjs', [key, message]).stdout;
      const ct = (name: string): string => field(out, name).split(' ')[0]!;
      const dec = (hex: string, ...mode: string[]): string =>
        Buffer.from(bcOk(['sm2', 'decrypt', '--key', key, ...mode, '--in-hex', hex]), 'hex').toString('utf8');
      expect(dec(ct('c1c3c2'), '--mode', 'c1c3c2')).toBe(message);
      expect(dec(ct('c1c2c3'), '--mode', 'c1c2c3')).toBe(message);
      expect(dec(ct('der'), '--mode', 'der')).toBe(message);
      expect(dec(ct('sm-crypto'), '--mode', 'c1c3c2', '--no-prefix')).toBe(message);
      for (const name of ['c1c3c2', 'c1c2c3', 'der', 'sm-crypto']) expect(field(out, name).endsWith(` -> ${message}`)).toBe(true);
      expect(field(out, 'auto der')).toBe(message);
      expect(field(out, 'converted')).toBe(message);
      expect(field(out, 'tampered')).toBe('ERR_SM2_DECRYPT_FAILED');
    });

    it('x509-issue.mjs: BouncyCastle PKIX validates the chain it writes', () => {
      runExample('x509-issue.mjs', [path('pki-bc'), 'bc.example.cn']);
      expect(bcOk(['x509', 'verify', '--root', path('pki-bc/root.pem'), path('pki-bc/server.pem'), path('pki-bc/sub.pem')])).toBe('OK');
    });
  });

  it('sm2-sign.mjs: signatures verify with openssl pkeyutl and the same distid, and not with another', () => {
    const key = opensslKey('sign.pem');
    const message = 'message digest';
    writeFileSync(path('m.txt'), message);
    const pub = path('sign.pub');
    opensslOk(['pkey', '-in', key, '-pubout', '-out', pub]);
    const out = runExample('sm2-sign.mjs', [key, message, 'ALICE123@YAHOO.COM']).stdout;
    writeFileSync(path('m.sig'), fromHex(field(out, 'der')));
    const verify = (id: string): boolean =>
      openssl(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${id}`, '-in', path('m.txt'), '-sigfile', path('m.sig')])
        .stdout.includes('Signature Verified Successfully');
    expect(verify('ALICE123@YAHOO.COM')).toBe(true);
    expect(verify('1234567812345678')).toBe(false);
    expect(field(out, 'raw')).toHaveLength(128);
    expect(field(out, 'verify')).toBe('true');
    expect(field(out, 'verify raw')).toBe('true');
    expect(field(out, 'verify with another ID')).toBe('false');
    expect(field(out, 'verify changed message')).toBe('false');
    expect(field(out, 'converted')).toBe('true');
    // The printed public key is OpenSSL's (the last 65 bytes of its SPKI).
    opensslOk(['pkey', '-in', key, '-pubout', '-outform', 'DER', '-out', path('sign.pub.der')]);
    expect(toHex(readFileSync(path('sign.pub.der')).subarray(-65))).toBe(field(out, 'public'));
  });

  it('sm2-keys.mjs: OpenSSL reads every container it writes; sm-crypto derives the same public key', () => {
    const out = runExample('sm2-keys.mjs', [path('keys')]).stdout;
    expect(out).toContain('all read back');
    const k = (n: string): string => path(join('keys', n));
    const pubDer = readFileSync(k('pub.der'));
    const opensslPub = (args: string[]): string => {
      opensslOk([...args, '-pubout', '-outform', 'DER', '-out', k('tmp.der')]);
      return toHex(readFileSync(k('tmp.der')));
    };
    expect(opensslPub(['pkey', '-in', k('key.pem')])).toBe(toHex(pubDer));
    expect(opensslPub(['pkey', '-inform', 'DER', '-in', k('key.der')])).toBe(toHex(pubDer));
    expect(opensslPub(['ec', '-in', k('key-sec1.pem')])).toBe(toHex(pubDer));
    expect(opensslPub(['pkey', '-pubin', '-in', k('pub.pem')])).toBe(toHex(pubDer));
    expect(readFileSync(k('key-sec1.pem'), 'utf8')).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    const d = toHex(readFileSync(k('key.raw')));
    expect(d).toHaveLength(64);
    const pubHex = smV1.getPublicKeyFromPrivateKey(d);
    expect(field(out, 'public')).toBe(pubHex);
    expect(toHex(readFileSync(k('pub.raw')))).toBe(pubHex);
    expect(toHex(readFileSync(k('pub-compressed.raw')))).toBe(smV1.compressPublicKeyHex(pubHex));
  });

  it('sm2-key-exchange.mjs: both parties derive the same key; a wrong peer ID is caught', () => {
    const out = runExample('sm2-key-exchange.mjs').stdout;
    expect(field(out, 'A')).toMatch(/^[0-9a-f]{32}$/);
    expect(field(out, 'A')).toBe(field(out, 'B'));
    expect(field(out, 'equal')).toBe('true');
    expect(field(out, 'wrong peer ID:')).toBe('ERR_SM2_KEY_CONFIRMATION');
    expect(field(out, 'ecdh equal')).toBe('true');
  });

  it('x509-issue.mjs + x509-verify-chain.mjs: OpenSSL verifies each link with distid; the example validates the chain', () => {
    runExample('x509-issue.mjs', [path('pki'), 'sm.example.cn']);
    const p = (n: string): string => path(`pki/${n}`);
    const distid = ['-vfyopt', 'distid:1234567812345678'];
    expect(opensslOk(['verify', '-partial_chain', ...distid, '-CAfile', p('root.pem'), p('sub.pem')])).toContain(': OK');
    expect(opensslOk(['verify', '-partial_chain', ...distid, '-CAfile', p('sub.pem'), '-purpose', 'sslserver', p('server.pem')])).toContain(': OK');
    expect(opensslOk(['x509', '-in', p('server.pem'), '-noout', '-ext', 'subjectAltName'])).toContain('DNS:sm.example.cn, IP Address:127.0.0.1');
    // The keys it wrote are the certificates' keys.
    for (const n of ['root', 'sub', 'server']) {
      const fromKey = opensslOk(['pkey', '-in', p(`${n}.key`), '-pubout']);
      expect(opensslOk(['x509', '-in', p(`${n}.pem`), '-noout', '-pubkey'])).toBe(fromKey);
    }
    const ok = runExample('x509-verify-chain.mjs', [p('server.pem'), p('root.pem'), p('sub.pem'), 'sm.example.cn']).stdout;
    expect(field(ok, 'subject')).toBe('CN=sm.example.cn,O=Example,C=CN');
    expect(field(ok, 'ok:')).toBe('sm.example.cn <- Example SM2 Issuing CA <- Example SM2 Root CA');
    const badName = runExample('x509-verify-chain.mjs', [p('server.pem'), p('root.pem'), p('sub.pem'), 'other.example.cn'], {}, true);
    expect(badName.status).toBe(1);
    expect(field(badName.stdout, 'failed:')).toMatch(/^HOSTNAME_MISMATCH at 0:/);
    const noIntermediate = runExample('x509-verify-chain.mjs', [p('server.pem'), p('root.pem')], {}, true);
    expect(field(noIntermediate.stdout, 'failed:')).toMatch(/^UNABLE_TO_GET_ISSUER_CERT_LOCALLY/);
  });

  describe.runIf(HAVE_CONFORMANCE)('x509-verify-chain.mjs on real CA chains (conformance corpus)', () => {
    const c = (n: string): string => join(CONFORMANCE_DIR, 'certs', n);
    it('CFCA: ebssec.boc.cn <- CFCA SM2 OCA1 <- CFCA CS SM2 CA, valid in 2025 and expired in late 2026', () => {
      const args = [c('real-ebssec.boc.cn-sign.pem'), c('real-cfca-cs-sm2-ca-selfsigned.pem'), c('real-cfca-sm2-oca1.pem'), 'ebssec.boc.cn'];
      const out = runExample('x509-verify-chain.mjs', [...args, '2025-01-01T00:00:00Z']).stdout;
      expect(field(out, 'subject')).toContain('CN=ebssec.boc.cn');
      expect(field(out, 'subject')).toContain('中国银行股份有限公司');
      expect(field(out, 'key')).toBe('id-ecPublicKey sm2');
      expect(field(out, 'ok:')).toBe('ebssec.boc.cn <- O=CFCA SM2 OCA1,C=CN <- CFCA CS SM2 CA'); // OCA1 has no CN
      const expired = runExample('x509-verify-chain.mjs', [...args, '2026-11-22T00:00:00Z'], {}, true);
      expect(field(expired.stdout, 'failed:')).toMatch(/^CERT_HAS_EXPIRED at 0:/);
    });
  });

  it('tls-echo.mjs: a TLS 1.3 TLS_SM4_GCM_SM3 connection with certificate checks, echoing data', () => {
    const out = runExample('tls-echo.mjs').stdout;
    expect(field(out, 'protocol')).toBe('TLSv1.3 cipher TLS_SM4_GCM_SM3');
    expect(field(out, 'server certificate')).toBe('localhost');
    expect(field(out, 'reply')).toBe('HELLO OVER SM4-GCM');
  });

  it('log-hashing.mjs: pseudonyms are the documented HMAC-SM3 construction (computed with node:crypto); the audit chain finds tampering', () => {
    const logKey = crypto.randomBytes(32);
    const auditKey = crypto.randomBytes(32);
    const out = runExample('log-hashing.mjs', [], { LOG_KEY: logKey.toString('hex'), AUDIT_KEY: auditKey.toString('hex') }).stdout;
    const lines = out.trim().split('\n');
    // HMAC-SM3(HMAC-SM3(key, "guomi-log-v1:field:" + domain), normalised value), domain = selector.
    const pseudonym = (domain: string, value: string): string => {
      const fieldKey = crypto.createHmac('sm3', logKey).update(`guomi-log-v1:field:${domain}`).digest();
      return `sm3:2026a:${crypto.createHmac('sm3', fieldKey).update(value, 'utf8').digest('hex')}`;
    };
    const r0 = JSON.parse(lines[0]!) as { user: { phone: string } };
    expect(r0.user.phone).toBe(pseudonym('user.phone', '13800138000'));
    const r2 = JSON.parse(lines[2]!) as { buyer: { idCard: string }; order: { address: string; total: number } };
    expect(r2.buyer.idCard).toBe(pseudonym('*.idCard', '11010119900307447X'));
    expect(r2.order.address).toBe(pseudonym('order.address', '北京市东城区'));
    expect(r2.order.total).toBe(12.5);
    expect(field(out, 'same person')).toBe('true');
    expect(field(out, 'lookup')).toBe(pseudonym('user.phone', '13800138000'));
    const chained = lines.filter((l) => l.includes('"_audit"')).map((l) => JSON.parse(l) as { _audit: { seq: number; mac: string } });
    expect(chained.map((r) => r._audit.seq)).toEqual([0, 1, 2]);
    expect(field(out, 'chain ok')).toBe('true');
    expect(field(out, 'altered:')).toBe('ok false index 1 reason altered');
    expect(field(out, 'removed:')).toBe('ok false index 1 reason missing');
  });

  it('selftest.mjs: every known answer passes, on the default and on the pure backend', () => {
    const out = runExample('selftest.mjs').stdout;
    expect(field(out, 'selftest')).toBe('passed');
    expect(out).not.toContain('FAIL');
    expect(out).toMatch(/^ok {3}SM3 \(GB\/T 32905-2016 Annex A\.1\)$/m);
    const pure = runExample('selftest.mjs', [], { GUOMI_BACKEND: 'pure' }).stdout;
    expect(field(pure, 'backend')).toBe('pure');
    expect(field(pure, 'selftest')).toBe('passed');
  });
});

