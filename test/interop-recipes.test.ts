/**
 * The recipes of docs/interop.md, each performed against the real peer: sm-crypto 0.5.8 and
 * sm-crypto-v2 1.15.1 (npm), BouncyCastle 1.72 (shared/peers/bc: SM2Engine, SM2Signer), the
 * OpenSSL 3.0 command line, Tongsuo's published test keys and certificates and a signature from
 * emmansun/gmsm's test suite (both from the conformance corpus). The code in each test is the
 * recipe's code.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 as smV2 } from 'sm-crypto-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { Sm2PrivateKey, Sm2PublicKey, decrypt, encrypt, sign, verify, type Sm2PrivateKeyInput } from '../src/sm2.js';
import { pbkdf2Sm3 } from '../src/sm3.js';
import { sm4 } from '../src/sm4.js';
import { TAG, derChildren, derDecode, derExpect, derOid, derSmallInteger } from '../src/der.js';
import { parseCertificate, verifyChain } from '../src/x509/index.js';
import { CONFORMANCE_DIR, HAVE_CONFORMANCE, readConformance } from './conformance.js';
import { HAVE_BC, ROOT, bc, bcOk, fromHex, opensslOk, openssl, toHex } from './doc-helpers.js';

interface SmCryptoV1Sm2 {
  generateKeyPairHex(): { privateKey: string; publicKey: string };
  doEncrypt(msg: string, publicKey: string, cipherMode?: number): string;
}
const smV1 = (createRequire(import.meta.url)('sm-crypto') as { sm2: SmCryptoV1Sm2 }).sm2;

const dir = mkdtempSync(join(tmpdir(), 'guomi-recipes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const path = (name: string): string => join(dir, name);
const utf8 = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

/** Recipe: an sm-crypto ciphertext (hex, no 04) of unknown cipherMode. */
function decryptSmCrypto(key: Sm2PrivateKeyInput, hex: string): Uint8Array {
  const ct = Buffer.from(hex, 'hex');
  try {
    return decrypt(key, ct, { c1Prefix: false }); // cipherMode 1, the default: C1 C3 C2
  } catch {
    return decrypt(key, ct, { format: 'c1c2c3', c1Prefix: false }); // cipherMode 0
  }
}

describe('interop recipes (docs/interop.md)', { timeout: 120_000 }, () => {
  describe('decrypt what sm-crypto and sm-crypto-v2 produced', () => {
    it('cipherMode 1 and 0, both libraries, and the asn1 form of sm-crypto-v2', () => {
      for (const lib of [smV1, smV2 as unknown as SmCryptoV1Sm2]) {
        const { privateKey, publicKey } = lib.generateKeyPairHex();
        const key = Sm2PrivateKey.from(Buffer.from(privateKey, 'hex'));
        const mode1 = lib.doEncrypt('密文 one', publicKey, 1);
        const mode0 = lib.doEncrypt('密文 zero', publicKey, 0);
        expect(utf8(decrypt(key, Buffer.from(mode1, 'hex'), { c1Prefix: false }))).toBe('密文 one');
        expect(utf8(decrypt(key, Buffer.from(mode0, 'hex'), { format: 'c1c2c3', c1Prefix: false }))).toBe('密文 zero');
        expect(utf8(decryptSmCrypto(key, mode1))).toBe('密文 one');
        expect(utf8(decryptSmCrypto(key, mode0))).toBe('密文 zero');
        // A service that stored '04' + ciphertext: the default form.
        expect(utf8(decrypt(key, Buffer.from('04' + mode1, 'hex')))).toBe('密文 one');
      }
      const { privateKey, publicKey } = smV2.generateKeyPairHex();
      const asn1 = smV2.doEncrypt('asn1', publicKey, 1, { asn1: true });
      expect(utf8(decrypt(Buffer.from(privateKey, 'hex'), Buffer.from(asn1, 'hex')))).toBe('asn1');
    });
  });

  describe.runIf(HAVE_BC)('BouncyCastle (Java)', () => {
    const key = Sm2PrivateKey.generate();
    writeFileSync(path('java-pub.pem'), key.publicKey.export());
    writeFileSync(path('java-key.pem'), key.export());
    const message = 'from Java 爪哇';
    const msgHex = Buffer.from(message).toString('hex');

    it("decrypt what SM2Engine produced: new SM2Engine() is C1C2C3, SM2Engine(Mode.C1C3C2) guomi's default", () => {
      const c1c2c3 = bcOk(['sm2', 'encrypt', '--pub', path('java-pub.pem'), '--mode', 'c1c2c3', '--in-hex', msgHex]);
      expect(utf8(decrypt(key, Buffer.from(c1c2c3, 'hex'), { format: 'c1c2c3' }))).toBe(message);
      const c1c3c2 = bcOk(['sm2', 'encrypt', '--pub', path('java-pub.pem'), '--mode', 'c1c3c2', '--in-hex', msgHex]);
      expect(utf8(decrypt(key, Buffer.from(c1c3c2, 'hex')))).toBe(message);
      // The wrong layout is refused (C3 does not check), never misread.
      expect(() => decrypt(key, Buffer.from(c1c2c3, 'hex'))).toThrow(expect.objectContaining({ code: 'ERR_SM2_DECRYPT_FAILED' }));
      // And the other way: Java decrypts guomi's C1C2C3.
      const back = bcOk(['sm2', 'decrypt', '--key', path('java-key.pem'), '--mode', 'c1c2c3', '--in-hex', toHex(encrypt(key.publicKey, message, { format: 'c1c2c3' }))]);
      expect(Buffer.from(back, 'hex').toString('utf8')).toBe(message);
    });

    it('verify a Java signature (SM3withSM2, SM2Signer), default ID and a custom ID; Java verifies ours', () => {
      const der = bcOk(['sm2', 'sign', '--key', path('java-key.pem'), '--in-hex', msgHex]);
      expect(verify(message, Buffer.from(der, 'hex'), key.publicKey)).toBe(true);
      const withId = bcOk(['sm2', 'sign', '--key', path('java-key.pem'), '--id', 'alice@example.cn', '--in-hex', msgHex]);
      expect(verify(message, Buffer.from(withId, 'hex'), key.publicKey, { id: 'alice@example.cn' })).toBe(true);
      expect(verify(message, Buffer.from(withId, 'hex'), key.publicKey)).toBe(false);
      const ours = toHex(sign(message, key, { id: 'alice@example.cn' }));
      expect(bcOk(['sm2', 'verify', '--pub', path('java-pub.pem'), '--id', 'alice@example.cn', '--sig-hex', ours, '--in-hex', msgHex])).toBe('OK');
      const raw = toHex(sign(message, key, { encoding: 'raw' }));
      expect(bcOk(['sm2', 'verify', '--pub', path('java-pub.pem'), '--raw', '--sig-hex', raw, '--in-hex', msgHex])).toBe('OK');
      expect(bc(['sm2', 'verify', '--pub', path('java-pub.pem'), '--sig-hex', ours, '--in-hex', msgHex]).status).toBe(1);
    });

    it('a Java key (BouncyCastle PKCS#8 PEM) reads as it is', () => {
      bcOk(['sm2', 'keygen', '--out-key', path('bc-key.pem'), '--out-pub', path('bc-pub.pem')]);
      const javaKey = Sm2PrivateKey.from(readFileSync(path('bc-key.pem'), 'utf8'));
      expect(javaKey.publicKey.equals(readFileSync(path('bc-pub.pem'), 'utf8'))).toBe(true);
    });
  });

  describe.runIf(HAVE_CONFORMANCE)('Go (emmansun/gmsm) and Tongsuo material from the conformance corpus', () => {
    it('verify a Go signature: DER r, s with the default ID (emmansun/gmsm test vector sm2-sig-004)', () => {
      interface SignCase { id: string; pub_hex: string; msg_hex: string; sig_der_hex: string; sig_rs_hex: string }
      const c = readConformance<{ cases: SignCase[] }>('sm2_sign.json').cases.find((x) => x.id === 'sm2-sig-004')!;
      const pub = Sm2PublicKey.from(Buffer.from(c.pub_hex, 'hex'));
      const msg = Buffer.from(c.msg_hex, 'hex');
      expect(verify(msg, Buffer.from(c.sig_der_hex, 'hex'), pub)).toBe(true);
      expect(verify(msg, Buffer.from(c.sig_rs_hex, 'hex'), pub, { encoding: 'raw' })).toBe(true);
      expect(verify(Buffer.concat([msg, Buffer.from('!')]), Buffer.from(c.sig_der_hex, 'hex'), pub)).toBe(false);
    });

    it("read Tongsuo keys: PKCS#8 with either algorithm OID, with 'ASN1 OID' text and an EC PARAMETERS block", () => {
      const cases: [string, string][] = [
        ['tongsuo-sm2-ca-root.key.pem', 'tongsuo-sm2-ca-root.pem'], // PKCS#8, algorithm 1.2.156.10197.1.301
        ['tongsuo-sm2-server-sign.key.pem', 'tongsuo-sm2-server-sign.pem'], // PKCS#8, id-ecPublicKey + sm2
        ['tongsuo-rfc8998-leaf.key.pem', 'tongsuo-rfc8998-leaf.pem'], // text, EC PARAMETERS, then PKCS#8
      ];
      for (const [keyFile, certFile] of cases) {
        const key = Sm2PrivateKey.from(readFileSync(join(CONFORMANCE_DIR, 'certs', 'keys', keyFile), 'utf8'));
        const cert = parseCertificate(readFileSync(join(CONFORMANCE_DIR, 'certs', certFile), 'utf8'));
        expect(key.publicKey.equals(cert.publicKey as Sm2PublicKey)).toBe(true);
      }
      expect(readFileSync(join(CONFORMANCE_DIR, 'certs', 'keys', 'tongsuo-rfc8998-leaf.key.pem'), 'utf8')).toMatch(/^ASN1 OID: SM2\n-----BEGIN EC PARAMETERS-----/);
    });

    it('a Tongsuo chain validates (SM2-with-SM3, default ID)', () => {
      const c = (n: string): string => readFileSync(join(CONFORMANCE_DIR, 'certs', n), 'utf8');
      const r = verifyChain(c('tongsuo-sm2-server-sign.pem'), {
        intermediates: [c('tongsuo-sm2-sub-ca.pem')],
        roots: [c('tongsuo-sm2-root-ca.pem')],
        time: new Date('2026-01-01T00:00:00Z'),
      });
      expect(r.ok).toBe(true);
    });
  });

  describe('GmSSL 3.2.0 output (test/fixtures/gmssl-3.2.0.json, made by hand with GmSSL)', () => {
    interface GmsslFixture {
      msg_hex: string;
      recipient_key_pem: string;
      ciphertext_hex: string;
      gmssl_public_key_pem: string;
      gmssl_encrypted_key_pem: string;
      gmssl_key_password: string;
      sig_default_id_hex: string;
      custom_id: string;
      sig_custom_id_hex: string;
    }
    const g = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'gmssl-3.2.0.json'), 'utf8')) as GmsslFixture;
    const msg = Buffer.from(g.msg_hex, 'hex');

    it('gmssl sm2encrypt writes GM/T 0009 DER, which decrypt() reads as it is', () => {
      expect(g.ciphertext_hex.startsWith('30')).toBe(true);
      expect(utf8(decrypt(g.recipient_key_pem, Buffer.from(g.ciphertext_hex, 'hex')))).toBe(msg.toString('utf8'));
    });

    it('gmssl sm2sign signatures verify with its -pubout key, default ID and -id', () => {
      const pub = Sm2PublicKey.from(g.gmssl_public_key_pem);
      expect(verify(msg, Buffer.from(g.sig_default_id_hex, 'hex'), pub)).toBe(true);
      expect(verify(msg, Buffer.from(g.sig_custom_id_hex, 'hex'), pub, { id: g.custom_id })).toBe(true);
      expect(verify(msg, Buffer.from(g.sig_custom_id_hex, 'hex'), pub)).toBe(false);
    });

    it('its encrypted private key (PBES2, PBKDF2 with PRF 1.2.156.10197.1.401.2, SM4-CBC) is read by from() with its passphrase (node:crypto cannot)', () => {
      const key = Sm2PrivateKey.from(g.gmssl_encrypted_key_pem, { passphrase: g.gmssl_key_password });
      expect(key.publicKey.equals(Sm2PublicKey.from(g.gmssl_public_key_pem))).toBe(true);
      expect(() => Sm2PrivateKey.from(g.gmssl_encrypted_key_pem)).toThrow(TypeError);
      expect(() => Sm2PrivateKey.from(g.gmssl_encrypted_key_pem, { passphrase: 'not the password' })).toThrow(
        expect.objectContaining({ code: 'ERR_DECODE' }),
      );
      expect(() => createPrivateKey({ key: g.gmssl_encrypted_key_pem, passphrase: g.gmssl_key_password })).toThrow();
    });

    it('…although its format is plain PBES2 (RFC 8018) that guomi\'s pbkdf2Sm3 and sm4.cbc decrypt', () => {
      // EncryptedPrivateKeyInfo { { PBES2, { { PBKDF2, { salt, iterations, keyLength, prf } }, { sm4-cbc, iv } } }, data }
      const der = Buffer.from(g.gmssl_encrypted_key_pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
      const [alg, data] = derChildren(derDecode(der), TAG.SEQUENCE, 2);
      const [pbes2, params] = derChildren(alg!, TAG.SEQUENCE, 2);
      expect(derOid(pbes2)).toBe('1.2.840.113549.1.5.13');
      const [kdf, enc] = derChildren(params!, TAG.SEQUENCE, 2);
      const [kdfOid, kdfParams] = derChildren(kdf!, TAG.SEQUENCE, 2);
      expect(derOid(kdfOid)).toBe('1.2.840.113549.1.5.12');
      const [salt, iterations, keyLength, prf] = derChildren(kdfParams!, TAG.SEQUENCE, 4);
      expect(derOid(derChildren(prf!, TAG.SEQUENCE, 1)[0])).toBe('1.2.156.10197.1.401.2');
      const [encOid, iv] = derChildren(enc!, TAG.SEQUENCE, 2);
      expect(derOid(encOid)).toBe('1.2.156.10197.1.104.2'); // sm4-cbc
      const k = pbkdf2Sm3(g.gmssl_key_password, derExpect(salt, TAG.OCTET_STRING).content, derSmallInteger(iterations), derSmallInteger(keyLength));
      const pkcs8 = sm4.cbc(k, derExpect(iv, TAG.OCTET_STRING).content).decrypt(derExpect(data, TAG.OCTET_STRING).content);
      expect(Sm2PrivateKey.from(pkcs8).publicKey.equals(g.gmssl_public_key_pem)).toBe(true);
    });
  });

  describe('the openssl command line (OpenSSL 3.0 / Tongsuo)', () => {
    opensslOk(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', path('ossl.pem')]);
    opensslOk(['pkey', '-in', path('ossl.pem'), '-pubout', '-out', path('ossl.pub')]);
    writeFileSync(path('msg.bin'), 'openssl interop 互通');
    const key = Sm2PrivateKey.from(readFileSync(path('ossl.pem'), 'utf8'));
    const pub = Sm2PublicKey.from(readFileSync(path('ossl.pub'), 'utf8'));
    const msg = readFileSync(path('msg.bin'));

    it("read the keys OpenSSL 3.0 writes: `ecparam -genkey` (SM2 PARAMETERS + PKCS#8) and `ec` (SEC 1 as 'SM2 PRIVATE KEY')", () => {
      opensslOk(['ecparam', '-genkey', '-name', 'SM2', '-out', path('ecparam.pem')]);
      const generated = readFileSync(path('ecparam.pem'), 'utf8');
      expect(generated).toMatch(/^-----BEGIN SM2 PARAMETERS-----[\s\S]*BEGIN PRIVATE KEY/);
      opensslOk(['ec', '-in', path('ecparam.pem'), '-out', path('trad.pem')]);
      const traditional = readFileSync(path('trad.pem'), 'utf8');
      expect(traditional).toMatch(/^-----BEGIN SM2 PRIVATE KEY-----/);
      const expected = opensslOk(['ec', '-in', path('ecparam.pem'), '-pubout']);
      expect(Sm2PrivateKey.from(generated).publicKey.export()).toBe(expected);
      expect(Sm2PrivateKey.from(traditional).publicKey.export()).toBe(expected);
    });

    it('verify `pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:…`; without distid OpenSSL 3 uses the empty ID', () => {
      opensslOk(['pkeyutl', '-sign', '-inkey', path('ossl.pem'), '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-in', path('msg.bin'), '-out', path('o.sig')]);
      expect(verify(msg, readFileSync(path('o.sig')), pub)).toBe(true);
      opensslOk(['pkeyutl', '-sign', '-inkey', path('ossl.pem'), '-rawin', '-digest', 'sm3', '-in', path('msg.bin'), '-out', path('o-noid.sig')]);
      expect(verify(msg, readFileSync(path('o-noid.sig')), pub)).toBe(false);
      expect(verify(msg, readFileSync(path('o-noid.sig')), pub, { id: '' })).toBe(true);
    });

    it('`pkeyutl -verify … -pkeyopt distid:…` accepts guomi signatures', () => {
      writeFileSync(path('g.sig'), sign(msg, key, { id: 'ALICE123@YAHOO.COM' }));
      const out = openssl(['pkeyutl', '-verify', '-pubin', '-inkey', path('ossl.pub'), '-rawin', '-digest', 'sm3', '-pkeyopt', 'distid:ALICE123@YAHOO.COM', '-in', path('msg.bin'), '-sigfile', path('g.sig')]);
      expect(out.stdout).toContain('Signature Verified Successfully');
    });

    it('`pkeyutl -encrypt` writes GM/T 0009 DER, which decrypt() recognises; `pkeyutl -decrypt` reads format: der', () => {
      opensslOk(['pkeyutl', '-encrypt', '-pubin', '-inkey', path('ossl.pub'), '-in', path('msg.bin'), '-out', path('o.ct')]);
      expect(utf8(decrypt(key, readFileSync(path('o.ct'))))).toBe(msg.toString('utf8'));
      writeFileSync(path('g.ct'), encrypt(pub, msg, { format: 'der' }));
      opensslOk(['pkeyutl', '-decrypt', '-inkey', path('ossl.pem'), '-in', path('g.ct'), '-out', path('g.pt')]);
      expect(readFileSync(path('g.pt')).equals(msg)).toBe(true);
    });

    it('encrypted PKCS#8 with a SHA-256 PRF (OpenSSL/Tongsuo default): decrypt it with node:crypto, then from()', () => {
      for (const cipher of ['sm4-cbc', 'aes-256-cbc']) {
        const file = path(`enc-${cipher}.pem`);
        opensslOk(['pkcs8', '-topk8', '-v2', cipher, '-in', path('ossl.pem'), '-out', file, '-passout', 'pass:P@ssw0rd']);
        const pem = readFileSync(file, 'utf8');
        expect(pem).toContain('BEGIN ENCRYPTED PRIVATE KEY');
        expect(() => Sm2PrivateKey.from(pem)).toThrow(TypeError);
        const fromEncrypted = Sm2PrivateKey.from(createPrivateKey({ key: pem, passphrase: 'P@ssw0rd' }));
        expect(fromEncrypted.publicKey.equals(pub)).toBe(true);
        if (cipher === 'sm4-cbc') {
          // guomi decrypts PBES2 with SM4-CBC itself (any PRF: SHA-2 or HMAC-SM3)
          expect(Sm2PrivateKey.from(pem, { passphrase: 'P@ssw0rd' }).publicKey.equals(pub)).toBe(true);
        } else {
          expect(() => Sm2PrivateKey.from(pem, { passphrase: 'P@ssw0rd' })).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED' }));
        }
      }
    });

    it('SM4-CBC with `openssl enc -sm4-cbc -K … -iv …` (PKCS#7) both ways', () => {
      const k = '0123456789abcdeffedcba9876543210';
      const iv = '000102030405060708090a0b0c0d0e0f';
      opensslOk(['enc', '-sm4-cbc', '-K', k, '-iv', iv, '-in', path('msg.bin'), '-out', path('sm4.ct')]);
      expect(utf8(sm4.cbc(fromHex(k), fromHex(iv)).decrypt(readFileSync(path('sm4.ct'))))).toBe(msg.toString('utf8'));
      writeFileSync(path('g-sm4.ct'), sm4.cbc(fromHex(k), fromHex(iv)).encrypt(msg));
      opensslOk(['enc', '-d', '-sm4-cbc', '-K', k, '-iv', iv, '-in', path('g-sm4.ct'), '-out', path('g-sm4.pt')]);
      expect(readFileSync(path('g-sm4.pt')).equals(msg)).toBe(true);
    });
  });
});
