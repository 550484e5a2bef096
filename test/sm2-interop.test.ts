/**
 * SM2 against independent implementations, both directions, once per backend: sm-crypto 0.5.8
 * and sm-crypto-v2 1.15.1 (hex-string APIs; their ciphertexts have no 04 prefix), the OpenSSL
 * 3.0 command line (pkeyutl with distid, DER ciphertexts, genpkey/pkey keys) and node:crypto
 * (key containers and ECDH). Keys and messages are random; nothing expected is computed by guomi.
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sm2 as smV2 } from 'sm-crypto-v2';
import { afterAll, describe, expect, it } from 'vitest';
import { Sm2PrivateKey, Sm2PublicKey, decrypt, encrypt, sign, verify, type Sm2CiphertextFormat } from '../src/sm2.js';
import { forEachBackend } from './backends.js';
import { rng } from './random.js';

/** The part of sm-crypto's sm2 API used here (it ships no types). */
interface SmCryptoSm2 {
  generateKeyPairHex(): { privateKey: string; publicKey: string };
  doSignature(msg: string, privateKey: string, options?: { hash?: boolean; der?: boolean; userId?: string }): string;
  doVerifySignature(
    msg: string,
    signature: string,
    publicKey: string,
    options?: { hash?: boolean; der?: boolean; userId?: string },
  ): boolean;
  doEncrypt(msg: string | number[], publicKey: string, cipherMode?: number): string;
  doDecrypt(ct: string, privateKey: string, cipherMode?: number, options?: { output?: 'array' | 'string' }): string | number[];
}

const require = createRequire(import.meta.url);
const smV1 = (require('sm-crypto') as { sm2: SmCryptoSm2 }).sm2;
const libraries: [string, SmCryptoSm2][] = [
  ['sm-crypto 0.5.8', smV1],
  ['sm-crypto-v2 1.15.1', smV2 as unknown as SmCryptoSm2],
];

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

/** Random UTF-8 text (ASCII, CJK, emoji) of up to `max` characters. */
function randomText(random: () => number, max = 60): string {
  const pieces = ['a', 'Z', '0', ' ', '国', '密', 'é', '😀', '\n', '~'];
  let s = '';
  const len = Math.floor(random() * max);
  for (let i = 0; i < len; i++) s += pieces[Math.floor(random() * pieces.length)];
  return s;
}

const haveOpenssl = (() => {
  try {
    return /^OpenSSL 3\./.test(execFileSync('openssl', ['version'], { encoding: 'utf8' }));
  } catch {
    return false;
  }
})();

forEachBackend((backend) => {
  for (const [name, lib] of libraries) {
    describe(name, () => {
      const random = rng(name.length * 7919 + backend.length);

      it('keys: its key pairs load, with the same public key', () => {
        for (let i = 0; i < 5; i++) {
          const kp = lib.generateKeyPairHex();
          const key = Sm2PrivateKey.from(fromHex(kp.privateKey.padStart(64, '0')));
          expect(toHex(key.publicKey.toBytes())).toBe(kp.publicKey);
        }
      });

      it('signatures it makes (DER and raw, default and other IDs) verify here', () => {
        for (let i = 0; i < 8; i++) {
          const kp = lib.generateKeyPairHex();
          const msg = randomText(random);
          const der = i % 2 === 0;
          const userId = i % 3 === 0 ? undefined : randomText(random, 20) || 'x';
          const sigHex = lib.doSignature(msg, kp.privateKey, { hash: true, der, ...(userId === undefined ? {} : { userId }) });
          const sig = fromHex(sigHex);
          expect(verify(msg, sig, fromHex(kp.publicKey), { id: userId }), `${i}`).toBe(true);
          expect(verify(msg, sig, fromHex(kp.publicKey), { id: userId, encoding: der ? 'der' : 'raw' })).toBe(true);
          expect(verify(msg + '.', sig, fromHex(kp.publicKey), { id: userId })).toBe(false);
        }
      });

      it('signatures made here (DER and raw) verify there', () => {
        for (let i = 0; i < 8; i++) {
          const key = Sm2PrivateKey.generate();
          const pubHex = toHex(key.publicKey.toBytes());
          const msg = randomText(random);
          const der = i % 2 === 1;
          const userId = i % 3 === 0 ? undefined : randomText(random, 20) || 'y';
          const sig = sign(msg, key, { encoding: der ? 'der' : 'raw', id: userId });
          const opts = { hash: true, der, ...(userId === undefined ? {} : { userId }) };
          expect(lib.doVerifySignature(msg, toHex(sig), pubHex, opts), `${i}`).toBe(true);
          expect(lib.doVerifySignature(msg + '.', toHex(sig), pubHex, opts)).toBe(false);
        }
      });

      it('ciphertexts it makes (C1C3C2 and C1C2C3, no 04) decrypt here with c1Prefix: false', () => {
        for (let i = 0; i < 8; i++) {
          const kp = lib.generateKeyPairHex();
          // At least 8 bytes: peers do not redraw k for an all-zero key stream (GB/T 32918.4 A5), which
          // guomi then rightly refuses (B4); for 1-byte messages that happens once in 256.
          const msg = Array.from(crypto.randomBytes(8 + Math.floor(random() * 100)));
          const mode = i % 2;
          const ct = fromHex(lib.doEncrypt(msg, kp.publicKey, mode));
          const format: Sm2CiphertextFormat = mode === 1 ? 'c1c3c2' : 'c1c2c3';
          const key = fromHex(kp.privateKey.padStart(64, '0'));
          expect(toHex(decrypt(key, ct, { c1Prefix: false, format }))).toBe(toHex(Uint8Array.from(msg)));
          // With the 04 put back it is the standard form.
          expect(toHex(decrypt(key, Uint8Array.of(4, ...ct), { format }))).toBe(toHex(Uint8Array.from(msg)));
        }
      });

      it('ciphertexts made here (C1C3C2 and C1C2C3, c1Prefix: false) decrypt there', () => {
        for (let i = 0; i < 8; i++) {
          const key = Sm2PrivateKey.generate();
          const msg = crypto.randomBytes(1 + Math.floor(random() * 100));
          const mode = i % 2;
          const ct = encrypt(key.publicKey, msg, { c1Prefix: false, format: mode === 1 ? 'c1c3c2' : 'c1c2c3' });
          const privHex = toHex(key.export({ format: 'raw' }));
          const out = lib.doDecrypt(toHex(ct), privHex, mode, { output: 'array' }) as number[];
          expect(toHex(Uint8Array.from(out))).toBe(toHex(msg));
        }
      });
    });
  }

  describe('sm-crypto-v2 ASN.1 (GM/T 0009 DER) ciphertexts', () => {
    it('both directions', () => {
      const v2 = smV2 as unknown as {
        doEncrypt(m: Uint8Array, pub: string, mode: number, o: { asn1: boolean }): string;
        doDecrypt(c: string, priv: string, mode: number, o: { asn1: boolean; output: 'array' }): Uint8Array;
      };
      for (let i = 0; i < 6; i++) {
        const key = Sm2PrivateKey.generate();
        const pubHex = toHex(key.publicKey.toBytes());
        const msg = crypto.randomBytes(8 + i * 17); // see the note on all-zero key streams above
        const theirs = fromHex(v2.doEncrypt(msg, pubHex, 1, { asn1: true }));
        expect(theirs[0]).toBe(0x30);
        expect(toHex(decrypt(key, theirs))).toBe(toHex(msg));
        const ours = encrypt(key.publicKey, msg, { format: 'der' });
        const out = v2.doDecrypt(toHex(ours), toHex(key.export({ format: 'raw' })), 1, { asn1: true, output: 'array' });
        expect(toHex(Uint8Array.from(out))).toBe(toHex(msg));
      }
    });
  });

  describe.runIf(haveOpenssl)('OpenSSL 3 command line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guomi-sm2-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (n: string): string => join(dir, n);
    const openssl = (...args: string[]): Buffer => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

    it('signatures both ways with distid (10 random keys and messages each way)', () => {
      for (let i = 0; i < 10; i++) {
        const key = Sm2PrivateKey.generate();
        writeFileSync(file('key.pem'), key.export());
        writeFileSync(file('pub.pem'), key.publicKey.export());
        const msg = crypto.randomBytes(1 + i * 37);
        writeFileSync(file('msg.bin'), msg);
        const id = i === 9 ? 'ALICE123@YAHOO.COM' : '1234567812345678';
        // OpenSSL signs, guomi verifies.
        openssl('pkeyutl', '-sign', '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${id}`, '-inkey', file('key.pem'), '-in', file('msg.bin'), '-out', file('sig.der'));
        const theirs = new Uint8Array(readFileSync(file('sig.der')));
        expect(verify(msg, theirs, key.publicKey, { id }), `${i}`).toBe(true);
        expect(verify(msg, theirs, key.publicKey, { id: 'other' })).toBe(false);
        // guomi signs, OpenSSL verifies.
        writeFileSync(file('sig2.der'), sign(msg, key, { id }));
        const out = openssl('pkeyutl', '-verify', '-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${id}`, '-pubin', '-inkey', file('pub.pem'), '-in', file('msg.bin'), '-sigfile', file('sig2.der'));
        expect(out.toString()).toMatch(/Signature Verified Successfully/);
      }
    });

    it('DER ciphertexts both ways (10 random keys and messages each way)', () => {
      for (let i = 0; i < 10; i++) {
        const key = Sm2PrivateKey.generate();
        writeFileSync(file('key.pem'), key.export({ type: i % 2 ? 'sec1' : 'pkcs8' }));
        writeFileSync(file('pub.pem'), key.publicKey.export());
        const msg = crypto.randomBytes(8 + i * 29); // see the note on all-zero key streams above
        writeFileSync(file('msg.bin'), msg);
        openssl('pkeyutl', '-encrypt', '-pubin', '-inkey', file('pub.pem'), '-in', file('msg.bin'), '-out', file('ct.der'));
        const theirs = new Uint8Array(readFileSync(file('ct.der')));
        expect(toHex(decrypt(key, theirs)), `${i}`).toBe(toHex(msg));
        expect(toHex(decrypt(key, theirs, { format: 'der' }))).toBe(toHex(msg));
        writeFileSync(file('ct2.der'), encrypt(key.publicKey, msg, { format: 'der' }));
        expect(toHex(openssl('pkeyutl', '-decrypt', '-inkey', file('key.pem'), '-in', file('ct2.der')))).toBe(toHex(msg));
      }
    });

    it('keys: openssl genpkey keys load here; keys written here load in openssl with the same public key', () => {
      for (let i = 0; i < 3; i++) {
        openssl('genpkey', '-algorithm', 'SM2', '-out', file('gen.pem'));
        const spki = new Uint8Array(openssl('pkey', '-in', file('gen.pem'), '-pubout', '-outform', 'DER'));
        const key = Sm2PrivateKey.from(readFileSync(file('gen.pem'), 'utf8'));
        expect(toHex(key.publicKey.export({ format: 'der' }))).toBe(toHex(spki));
        expect(Sm2PublicKey.from(spki).equals(key.publicKey)).toBe(true);
        // SEC 1 as `openssl ec` writes it.
        const sec1 = new Uint8Array(openssl('ec', '-in', file('gen.pem'), '-outform', 'DER'));
        expect(Sm2PrivateKey.from(sec1).publicKey.equals(key.publicKey)).toBe(true);
      }
      const ours = Sm2PrivateKey.generate();
      for (const [n, pem] of [['p8.pem', ours.export()], ['sec1.pem', ours.export({ type: 'sec1' })]] as const) {
        writeFileSync(file(n), pem);
        const spki = new Uint8Array(openssl('pkey', '-in', file(n), '-pubout', '-outform', 'DER'));
        expect(toHex(spki), n).toBe(toHex(ours.publicKey.export({ format: 'der' })));
      }
      writeFileSync(file('pub.pem'), ours.publicKey.export());
      const again = new Uint8Array(openssl('pkey', '-pubin', '-in', file('pub.pem'), '-outform', 'DER'));
      expect(toHex(again)).toBe(toHex(ours.publicKey.export({ format: 'der' })));
    });
  });

  describe('node:crypto key containers', () => {
    it('keys node:crypto writes (PKCS#8, SEC 1, SPKI; PEM and DER) load here with the same public key', () => {
      for (let i = 0; i < 3; i++) {
        const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
        const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
        const expected = Sm2PublicKey.from(spki);
        const inputs: (string | Uint8Array | crypto.KeyObject)[] = [
          privateKey,
          privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
          new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
          privateKey.export({ format: 'pem', type: 'sec1' }) as string,
          new Uint8Array(privateKey.export({ format: 'der', type: 'sec1' })),
        ];
        for (const input of inputs) expect(Sm2PrivateKey.from(input).publicKey.equals(expected)).toBe(true);
        expect(Sm2PublicKey.from(publicKey).equals(expected)).toBe(true);
        expect(Sm2PublicKey.from(publicKey.export({ format: 'pem', type: 'spki' }) as string).equals(expected)).toBe(true);
        expect(toHex(expected.export({ format: 'der' }))).toBe(toHex(spki));
      }
    });

    it('PEM keys written here load in node:crypto', () => {
      const key = Sm2PrivateKey.generate();
      for (const pem of [key.export(), key.export({ type: 'sec1' })]) {
        const ko = crypto.createPrivateKey(pem);
        const spki = crypto.createPublicKey(ko).export({ format: 'der', type: 'spki' });
        expect(toHex(spki)).toBe(toHex(key.publicKey.export({ format: 'der' })));
      }
      const pub = crypto.createPublicKey(key.publicKey.export());
      expect(toHex(pub.export({ format: 'der', type: 'spki' }))).toBe(toHex(key.publicKey.export({ format: 'der' })));
      expect(toHex(key.toKeyObject().export({ format: 'der', type: 'pkcs8' }))).toBe(toHex(key.export({ format: 'der' })));
    });
  });
});
