/**
 * The TLS 1.3 key schedule with SM3, the record protection and the CertificateVerify content,
 * checked against values computed independently: the derived cases of
 * ../shared/conformance/tls13_sm.json and a small HKDF-SM3 written here on node:crypto's
 * HMAC-SM3 (OpenSSL 3.0). A whole handshake is then decrypted from the wire with that
 * independent code and the key-log secrets, and its Finished messages recomputed.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ecdh, Sm2PrivateKey, Sm2PublicKey, verify } from '../src/sm2.js';
import { sm4 } from '../src/sm4.js';
import {
  applicationSecrets,
  deriveSecret,
  derivedSecret,
  earlySecret,
  exportKeyingMaterial,
  finishedKey,
  finishedVerifyData,
  handshakeSecrets,
  hkdfExpandLabel,
  nextTrafficSecret,
  trafficKeys,
  Transcript,
} from '../src/tls/keyschedule.js';
import { RecordCipher } from '../src/tls/record.js';
import { certificateVerifyContent } from '../src/tls/messages.js';
import { TLSSocket } from '../src/tls/index.js';
import { HAVE_CONFORMANCE, hex, readConformance } from './conformance.js';
import { duplexPair, makePki } from './tls-helpers.js';
import { BACKENDS } from './backends.js';
import { useBackendForTesting } from '../src/backend/select.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// ---- independent HKDF-SM3 on node:crypto (RFC 5869, RFC 8446 §7.1) ----
const hmac = (key: Uint8Array, ...data: Uint8Array[]) => {
  const h = crypto.createHmac('sm3', key);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
};
const nodeSm3 = (...data: Uint8Array[]) => {
  const h = crypto.createHash('sm3');
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
};
const extract = (salt: Uint8Array, ikm: Uint8Array) => hmac(salt.length ? salt : new Uint8Array(32), ikm);
function expand(prk: Uint8Array, info: Uint8Array, len: number): Uint8Array {
  const out: number[] = [];
  let t = new Uint8Array(0);
  for (let i = 1; out.length < len; i++) {
    t = hmac(prk, t, info, Uint8Array.of(i));
    out.push(...t);
  }
  return Uint8Array.from(out.slice(0, len));
}
function expandLabel(secret: Uint8Array, label: string, ctx: Uint8Array, len: number): Uint8Array {
  const l = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([len >> 8, len & 0xff, l.length]), l, Buffer.from([ctx.length]), ctx]);
  return expand(secret, info, len);
}
const derive = (secret: Uint8Array, label: string, hash: Uint8Array) => expandLabel(secret, label, hash, 32);

interface KsCase {
  id: string;
  type: string;
  [k: string]: unknown;
}

function cases(): KsCase[] {
  return (readConformance<{ cases: KsCase[] }>('tls13_sm.json')).cases;
}

for (const backend of BACKENDS) {
  describe(`key schedule (${backend} backend)`, () => {
    it('early secret and Derive-Secret("derived") match the spec digest anchors and independent code', () => {
      useBackendForTesting(backend);
      const early = earlySecret();
      expect(toHex(early)).toBe('a4f50a29c327e9acc4ddd4dbe32b75a6a1d77e4bbe823e3d71fdcc1a5fa52757');
      expect(toHex(early)).toBe(toHex(extract(new Uint8Array(32), new Uint8Array(32))));
      expect(toHex(derivedSecret(early))).toBe('8bf1d43b3cb61da421895be55c07b3c1f49d7af9f9c728240cee1fc8039252f4');
      expect(toHex(derivedSecret(early))).toBe(toHex(derive(early, 'derived', nodeSm3())));
    });

    it('HKDF-Expand-Label equals the independent construction for many labels, contexts and lengths', () => {
      useBackendForTesting(backend);
      const secret = crypto.randomBytes(32);
      for (const [label, ctxLen, len] of [
        ['key', 0, 16],
        ['iv', 0, 12],
        ['finished', 0, 32],
        ['c hs traffic', 32, 32],
        ['traffic upd', 0, 32],
        ['exporter', 32, 100],
        ['x'.repeat(200), 255, 1],
      ] as const) {
        const ctx = crypto.randomBytes(ctxLen);
        expect(toHex(hkdfExpandLabel(secret, label, ctx, len)), label).toBe(toHex(expandLabel(secret, label, ctx, len)));
      }
    });

    it.skipIf(!HAVE_CONFORMANCE)('tls13_sm.json: the handshake key schedule case', () => {
      useBackendForTesting(backend);
      const c = cases().find((x) => x.type === 'key-schedule')!;
      const ecdhe = hex(c['ecdhe_shared_secret_hex'] as string);
      const th = hex(c['transcript_hash_hex'] as string);
      expect(toHex(nodeSm3(Buffer.from(c['transcript_input_ascii'] as string, 'ascii')))).toBe(toHex(th));
      const hs = handshakeSecrets(ecdhe, th);
      expect(toHex(hs.handshakeSecret)).toBe(c['handshake_secret_hex']);
      expect(toHex(hs.clientHandshakeTrafficSecret)).toBe(c['client_handshake_traffic_secret_hex']);
      expect(toHex(hs.serverHandshakeTrafficSecret)).toBe(c['server_handshake_traffic_secret_hex']);
      for (const [side, secret] of [
        ['client_handshake', hs.clientHandshakeTrafficSecret],
        ['server_handshake', hs.serverHandshakeTrafficSecret],
      ] as const) {
        const want = c[side] as { key_hex: string; iv_hex: string; finished_key_hex: string };
        const k = trafficKeys(secret);
        expect(toHex(k.key)).toBe(want.key_hex);
        expect(toHex(k.iv)).toBe(want.iv_hex);
        expect(toHex(finishedKey(secret))).toBe(want.finished_key_hex);
      }
      // The same chain of derivations with the independent HKDF.
      const salt = derive(extract(new Uint8Array(32), new Uint8Array(32)), 'derived', nodeSm3());
      const hsInd = extract(salt, ecdhe);
      expect(toHex(hsInd)).toBe(c['handshake_secret_hex']);
      expect(toHex(derive(hsInd, 'c hs traffic', th))).toBe(c['client_handshake_traffic_secret_hex']);
    });

    it('master, application, exporter and updated secrets equal the independent derivation', () => {
      useBackendForTesting(backend);
      const hsSecret = crypto.randomBytes(32);
      const th = crypto.randomBytes(32);
      const app = applicationSecrets(hsSecret, th);
      const master = extract(derive(hsSecret, 'derived', nodeSm3()), new Uint8Array(32));
      expect(toHex(app.masterSecret)).toBe(toHex(master));
      expect(toHex(app.clientApplicationTrafficSecret)).toBe(toHex(derive(master, 'c ap traffic', th)));
      expect(toHex(app.serverApplicationTrafficSecret)).toBe(toHex(derive(master, 's ap traffic', th)));
      expect(toHex(app.exporterMasterSecret)).toBe(toHex(derive(master, 'exp master', th)));
      expect(toHex(nextTrafficSecret(th))).toBe(toHex(expandLabel(th, 'traffic upd', new Uint8Array(0), 32)));
      expect(toHex(deriveSecret(th, 'res master', hsSecret))).toBe(toHex(derive(th, 'res master', hsSecret)));
      const ctx = Buffer.from('context');
      const exp = exportKeyingMaterial(app.exporterMasterSecret, 'EXPERIMENTAL guomi', ctx, 48);
      const inner = derive(app.exporterMasterSecret, 'EXPERIMENTAL guomi', nodeSm3());
      expect(toHex(exp)).toBe(toHex(expandLabel(inner, 'exporter', nodeSm3(ctx), 48)));
      expect(toHex(finishedVerifyData(hsSecret, th))).toBe(
        toHex(hmac(expandLabel(hsSecret, 'finished', new Uint8Array(0), 32), th)),
      );
    });

    it('the transcript replaces ClientHello1 by message_hash after a HelloRetryRequest', () => {
      useBackendForTesting(backend);
      const ch1 = crypto.randomBytes(300), hrr = crypto.randomBytes(90), ch2 = crypto.randomBytes(320);
      const t = new Transcript();
      t.update(ch1);
      expect(toHex(t.hash())).toBe(toHex(nodeSm3(ch1)));
      t.restartWithMessageHash();
      t.update(hrr);
      t.update(ch2);
      const synthetic = Buffer.concat([Buffer.from([254, 0, 0, 32]), nodeSm3(ch1)]);
      expect(toHex(t.hash())).toBe(toHex(nodeSm3(synthetic, hrr, ch2)));
    });

    it.skipIf(!HAVE_CONFORMANCE)('tls13_sm.json: curveSM2 ECDHE and the CertificateVerify signature', () => {
      useBackendForTesting(backend);
      const e = cases().find((x) => x.type === 'ecdh')!;
      const shared = e['shared_secret_hex'] as string;
      expect(toHex(ecdh(hex(e['client_d_hex'] as string), hex(e['server_pub_hex'] as string)))).toBe(shared);
      expect(toHex(ecdh(hex(e['server_d_hex'] as string), hex(e['client_pub_hex'] as string)))).toBe(shared);

      const c = cases().find((x) => x.type === 'certificate-verify')!;
      const ks = cases().find((x) => x.type === 'key-schedule')!;
      const content = certificateVerifyContent(true, hex(ks['transcript_hash_hex'] as string));
      expect(toHex(content)).toBe(c['content_hex']);
      const pub = hex(c['server_pub_hex'] as string);
      const sig = hex(c['sig_der_hex'] as string);
      expect(verify(content, sig, pub, { id: 'TLSv1.3+GM+Cipher+Suite' })).toBe(true);
      expect(verify(content, sig, pub, { id: c['must_not_verify_with_id'] as string })).toBe(false);
      expect(certificateVerifyContent(false, new Uint8Array(32)).subarray(64, 98)).toEqual(
        new Uint8Array(Buffer.from('TLS 1.3, client CertificateVerify\0')),
      );
    });

    it('records: nonce = iv XOR seq, AAD = header, type byte and padding, opened by independent code', () => {
      useBackendForTesting(backend);
      for (const aead of ['gcm', 'ccm'] as const) {
        const secret = crypto.randomBytes(32);
        const key = expandLabel(secret, 'key', new Uint8Array(0), 16);
        const iv = expandLabel(secret, 'iv', new Uint8Array(0), 12);
        const rc = new RecordCipher(aead, secret);
        for (const seq of [0, 1, 255, 2 ** 32 + 7, 2 ** 40 + 3]) {
          rc.seq = seq;
          const data = crypto.randomBytes(100);
          const rec = rc.seal(23, data, seq % 3);
          const header = rec.subarray(0, 5);
          expect([...header.subarray(0, 3)]).toEqual([23, 3, 3]);
          expect((header[3]! << 8) | header[4]!).toBe(100 + 1 + (seq % 3) + 16);
          const nonce = Buffer.from(iv);
          const seqBytes = Buffer.alloc(8);
          seqBytes.writeBigUInt64BE(BigInt(seq));
          for (let i = 0; i < 8; i++) nonce[4 + i]! ^= seqBytes[i]!;
          const c = aead === 'gcm' ? sm4.gcm(key, nonce, { aad: header }) : sm4.ccm(key, nonce, { aad: header });
          const inner = c.decrypt(rec.subarray(5));
          expect(toHex(inner)).toBe(toHex(Buffer.concat([data, Buffer.from([23]), Buffer.alloc(seq % 3)])));
          // And the engine's own opening of it.
          const rx = new RecordCipher(aead, secret);
          rx.seq = seq;
          const [type, content] = rx.open(header, rec.subarray(5));
          expect(type).toBe(23);
          expect(toHex(content)).toBe(toHex(data));
        }
      }
    });
  });
}

describe('a whole handshake, decrypted from the wire with independent code', () => {
  it('recomputes both Finished messages and opens application data from the key log', async () => {
    useBackendForTesting(BACKENDS[0]!);
    const pki = makePki();
    const [a, b] = duplexPair();
    const wireC2S: Buffer[] = [];
    const wireS2C: Buffer[] = [];
    const origA = a.write.bind(a);
    a.write = ((chunk: Buffer, ...rest: never[]) => {
      wireC2S.push(Buffer.from(chunk));
      return origA(chunk, ...rest);
    }) as typeof a.write;
    const origB = b.write.bind(b);
    b.write = ((chunk: Buffer, ...rest: never[]) => {
      wireS2C.push(Buffer.from(chunk));
      return origB(chunk, ...rest);
    }) as typeof b.write;
    const keylog: Record<string, Buffer> = {};
    const server = new TLSSocket(b, { isServer: true, cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true });
    const client = new TLSSocket(a, { host: 'localhost', ca: pki.ca, cert: pki.client.cert, key: pki.client.key });
    client.on('keylog', (line: Buffer) => {
      const [label, , secret] = line.toString().trim().split(' ');
      keylog[label!] = Buffer.from(secret!, 'hex');
    });
    const got = new Promise<Buffer>((resolve) => server.once('data', resolve));
    await new Promise((r) => client.once('secureConnect', r));
    client.write('ping');
    expect((await got).toString()).toBe('ping');
    server.write('pong');
    await new Promise((r) => client.once('data', r));

    const records = (chunks: Buffer[]) => {
      const all = Buffer.concat(chunks);
      const out: { type: number; header: Buffer; body: Buffer }[] = [];
      for (let off = 0; off < all.length; ) {
        const len = all.readUInt16BE(off + 3);
        out.push({ type: all[off]!, header: all.subarray(off, off + 5), body: all.subarray(off + 5, off + 5 + len) });
        off += 5 + len;
      }
      return out;
    };
    const opener = (secret: Buffer) => {
      const key = expandLabel(secret, 'key', new Uint8Array(0), 16);
      const iv = expandLabel(secret, 'iv', new Uint8Array(0), 12);
      let seq = 0;
      return (header: Buffer, body: Buffer) => {
        const nonce = Buffer.from(iv);
        nonce[11]! ^= seq++;
        const inner = Buffer.from(sm4.gcm(key, nonce, { aad: header }).decrypt(body));
        let i = inner.length - 1;
        while (inner[i] === 0) i--;
        return { type: inner[i]!, content: inner.subarray(0, i) };
      };
    };
    // Handshake messages in order, from both directions.
    const c2s = records(wireC2S), s2c = records(wireS2C);
    const ch = c2s[0]!.body;
    const sh = s2c[0]!.body;
    expect(c2s[0]!.type).toBe(22);
    expect(sh[0]).toBe(2);
    const openS = opener(keylog['SERVER_HANDSHAKE_TRAFFIC_SECRET']!);
    const serverMsgs: Buffer[] = [];
    let k = 1;
    for (; k < s2c.length; k++) {
      const r = openS(s2c[k]!.header, s2c[k]!.body);
      expect(r.type).toBe(22);
      serverMsgs.push(r.content);
      if (r.content[0] === 20) break;
    }
    expect(serverMsgs.map((m) => m[0])).toEqual([8, 13, 11, 15, 20]);
    const sfin = serverMsgs[4]!;
    const thBeforeSfin = nodeSm3(ch, sh, ...serverMsgs.slice(0, 4));
    const sFinKey = expandLabel(keylog['SERVER_HANDSHAKE_TRAFFIC_SECRET']!, 'finished', new Uint8Array(0), 32);
    expect(toHex(sfin.subarray(4))).toBe(toHex(hmac(sFinKey, thBeforeSfin)));
    // The server's CertificateVerify, checked with the leaf key and the RFC 8998 ID.
    const cv = serverMsgs[3]!;
    expect(cv.readUInt16BE(4)).toBe(0x0708);
    const sig = cv.subarray(8);
    const th = nodeSm3(ch, sh, ...serverMsgs.slice(0, 3));
    const content = Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from('TLS 1.3, server CertificateVerify\0'), th]);
    expect(pki.server.leaf.publicKey instanceof Sm2PublicKey).toBe(true);
    expect(verify(content, sig, pki.server.leaf.publicKey as Sm2PublicKey, { id: 'TLSv1.3+GM+Cipher+Suite' })).toBe(true);

    // The client's flight: Certificate, CertificateVerify, Finished under its handshake key.
    const openC = opener(keylog['CLIENT_HANDSHAKE_TRAFFIC_SECRET']!);
    const clientMsgs = c2s.slice(1, 4).map((r) => openC(r.header, r.body).content);
    expect(clientMsgs.map((m) => m[0])).toEqual([11, 15, 20]);
    const cFinKey = expandLabel(keylog['CLIENT_HANDSHAKE_TRAFFIC_SECRET']!, 'finished', new Uint8Array(0), 32);
    expect(toHex(clientMsgs[2]!.subarray(4))).toBe(
      toHex(hmac(cFinKey, nodeSm3(ch, sh, ...serverMsgs, clientMsgs[0]!, clientMsgs[1]!))),
    );
    // Application data under the traffic secrets of the key log.
    const appC = opener(keylog['CLIENT_TRAFFIC_SECRET_0']!);
    const ping = appC(c2s[4]!.header, c2s[4]!.body);
    expect(ping.type).toBe(23);
    expect(ping.content.toString()).toBe('ping');
    const appS = opener(keylog['SERVER_TRAFFIC_SECRET_0']!);
    const pong = appS(s2c[k + 1]!.header, s2c[k + 1]!.body);
    expect(pong.content.toString()).toBe('pong');
    client.destroy();
    server.destroy();
  });

  it('ECDHE on curveSM2 is symmetric for fresh keys', () => {
    const a = Sm2PrivateKey.generate({ consistencyTest: false });
    const b = Sm2PrivateKey.generate({ consistencyTest: false });
    expect(toHex(ecdh(a, b.publicKey.toBytes()))).toBe(toHex(ecdh(b, a.publicKey)));
  });
});
