/**
 * Encrypted PKCS#8 SM2 keys (src/sm2/pbes2.ts) as the peers write them, and their use as the
 * `key` + `passphrase` of guomi/tls: GmSSL's PRF OID 1.2.156.10197.1.401.2, Tongsuo's
 * hmacWithSM3, and node:crypto's default hmacWithSHA256 (toolchain.md C.4 #6). Each key is
 * checked against the public key its maker wrote, and the GmSSL one is also decrypted by
 * independent code (node:crypto's PBKDF2 over SM3 and its SM4-CBC).
 */
import crypto from 'node:crypto';
import { once } from 'node:events';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackendForTesting } from '../src/backend/select.js';
import { Sm2PrivateKey, Sm2PublicKey } from '../src/sm2.js';
import { decryptPrivateKeyInfo } from '../src/sm2/pbes2.js';
import { createCertificate } from '../src/x509/index.js';
import { createSecureContext, TLSSocket } from '../src/tls/index.js';
import { BACKENDS } from './backends.js';
import { duplexPair } from './tls-helpers.js';

/**
 * `gmssl sm2keygen -pass P@ssw0rd -out client.key -pubout client.pub`, GmSSL 3.1.1 (commit
 * d655c06b3a6b0fe8cff900f293bf0e5aac6eb0a2): PBES2, PBKDF2 (65536 iterations, key length 16,
 * PRF 1.2.156.10197.1.401.2 without parameters), SM4-CBC.
 */
const GMSSL_KEY = `-----BEGIN ENCRYPTED PRIVATE KEY-----
MIIBBjBhBgkqhkiG9w0BBQ0wVDA0BgkqhkiG9w0BBQwwJwQQIVnVTwP0BDNKopid
1v+o1AIDAQAAAgEQMAsGCSqBHM9VAYMRAjAcBggqgRzPVQFoAgQQPhri3DsSISMD
uE/yw14qfwSBoBf+M8GCBEFlfBne4tEe+JnWQ0a6FsaX8t505/bAuVkIVVPNbih4
qTv9s4uLpPxa9mZCWR79C+oSIiYYX16A8IkiYAaFDesc8l2uBkuwzm3AhiIQHHRD
REBbwdhnMqKbsoi99YkFW5n03Ccp2ZC5dO7A8KCti610IVJOu+TLH15AHETCPvze
ilVnUiSFpLE8nN1ZUnLq1iCqe36yi/f5sdo=
-----END ENCRYPTED PRIVATE KEY-----
`;
const GMSSL_PUB = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoEcz1UBgi0DQgAE2TqArGXzSDViUixT108QrqUHLRi+
1IksSGYJKzTxpkYQuT+Aizp1rR0kqAEMwSUbV5B1hbvXiWpPqP3RlUpKVQ==
-----END PUBLIC KEY-----
`;

beforeAll(() => {
  useBackendForTesting(BACKENDS[0]!);
});

const fromEncrypted = (pem: string, pass: string) =>
  Sm2PrivateKey.from(decryptPrivateKeyInfo(pem, pass), { format: 'der', type: 'pkcs8' });

describe('encrypted PKCS#8 (PBES2, PBKDF2, SM4-CBC)', () => {
  it("GmSSL's key (PRF 1.2.156.10197.1.401.2) gives the public key GmSSL wrote", () => {
    const key = fromEncrypted(GMSSL_KEY, 'P@ssw0rd');
    expect(key.publicKey.equals(Sm2PublicKey.from(GMSSL_PUB))).toBe(true);
  });

  it('independent code (node:crypto PBKDF2-HMAC-SM3 and SM4-CBC) decrypts the same bytes', () => {
    // Offsets from the DER of GMSSL_KEY (openssl asn1parse): salt at 36, IV at 87, data at 106.
    const der = Buffer.from(GMSSL_KEY.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const salt = der.subarray(36, 52);
    const iv = der.subarray(87, 103);
    const data = der.subarray(106);
    expect(data.length).toBe(160);
    const k = crypto.pbkdf2Sync('P@ssw0rd', salt, 65536, 16, 'sm3');
    const d = crypto.createDecipheriv('sm4-cbc', k, iv);
    const expected = Buffer.concat([d.update(data), d.final()]);
    expect(Buffer.from(decryptPrivateKeyInfo(GMSSL_KEY, 'P@ssw0rd')).equals(expected)).toBe(true);
  });

  it("node:crypto's own encrypted SM2 key (hmacWithSHA256, sm4-cbc)", () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'sm4-cbc', passphrase: 'pa55' }) as string;
    expect(fromEncrypted(pem, 'pa55').publicKey.equals(Sm2PublicKey.from(publicKey))).toBe(true);
  });

  it('a wrong passphrase, another scheme, and garbage are typed errors', () => {
    expect(() => decryptPrivateKeyInfo(GMSSL_KEY, 'wrong')).toThrow(expect.objectContaining({ code: 'ERR_DECODE' }));
    const der = Buffer.from(GMSSL_KEY.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    const other = Buffer.from(der);
    other[16] = other[16]! ^ 1; // the last arc of the PBES2 OID (1.2.840.113549.1.5.13 → .12)
    expect(() => decryptPrivateKeyInfo(other, 'P@ssw0rd')).toThrow(expect.objectContaining({ code: 'ERR_UNSUPPORTED' }));
    expect(() => decryptPrivateKeyInfo(Uint8Array.of(0x30, 0x00), 'x')).toThrow(expect.objectContaining({ code: 'ERR_DECODE' }));
  });
});

describe('guomi/tls with an encrypted key', { timeout: 30_000 }, () => {
  it('key + passphrase serve a handshake; a missing or wrong passphrase is refused up front', async () => {
    const rootKey = Sm2PrivateKey.generate({ consistencyTest: false });
    const root = createCertificate({ signingKey: rootKey, subject: 'CN=pbes2 root,C=CN', ca: true, days: 1 });
    const leaf = createCertificate({
      signingKey: rootKey,
      issuer: root,
      subject: 'CN=localhost,C=CN',
      publicKey: Sm2PublicKey.from(GMSSL_PUB),
      subjectAltName: { dns: ['localhost'] },
      extKeyUsage: ['serverAuth'],
      days: 1,
    });
    expect(() => createSecureContext({ cert: leaf.toPem(), key: GMSSL_KEY })).toThrow(/passphrase/);
    expect(() => createSecureContext({ cert: leaf.toPem(), key: GMSSL_KEY, passphrase: 'nope' })).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE' }),
    );
    const der = Buffer.from(GMSSL_KEY.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(createSecureContext({ cert: leaf.toPem(), key: der, passphrase: 'P@ssw0rd' }).key).toBeDefined();

    const [a, b] = duplexPair();
    const server = new TLSSocket(b, { isServer: true, cert: leaf.toPem(), key: Buffer.from(GMSSL_KEY), passphrase: 'P@ssw0rd' });
    server.on('data', (d: Buffer) => server.end(d));
    const client = new TLSSocket(a, { host: 'localhost', ca: root.toPem() });
    await once(client, 'secureConnect');
    expect(client.authorized).toBe(true);
    let got = '';
    client.on('data', (d: Buffer) => (got += d.toString()));
    const ended = once(client, 'end');
    client.end('signed with the GmSSL key');
    await ended;
    expect(got).toBe('signed with the GmSSL key');
  });
});
