/**
 * Known-answer self-tests in the manner of the GM/T 0028 power-on self-tests: each algorithm the
 * package offers is run on the active backend against a value published in its standard, and
 * the report says which passed. Run only when called (or by `guomi selftest`), never at import.
 *
 * The values are transcribed from the standards (each entry names its clause); the full vector
 * sets live in vectors/ and are run by the test suite.
 * @module
 */
import { backendInfo, getBackend, type BackendInfo } from './backend/select.js';
import { Sm2PublicKey, decrypt, verify } from './sm2.js';
import { hkdfSm3, hmacSm3, pbkdf2Sm3, sm3, sm3Kdf } from './sm3.js';
import { sm4, type Sm4Cipher } from './sm4.js';
import { bytesToHex, hexToBytes } from './utils.js';

/** The outcome of one known-answer test. */
export interface SelfTestResult {
  /** Algorithm and mode, e.g. "SM3". */
  algorithm: string;
  /** Where the expected value comes from. */
  source: string;
  /** Whether the computed value equals the expected one. */
  ok: boolean;
  /** What went wrong, when ok is false. */
  error?: string;
}

/** What selfTest() returns. */
export interface SelfTestReport {
  /** True when every known answer passed. */
  ok: boolean;
  /** The backend the tests ran on, with its CPU paths. */
  backend: BackendInfo;
  /** One entry per known-answer test, in the order run. */
  results: SelfTestResult[];
}

interface KnownAnswer {
  algorithm: string;
  source: string;
  /** Returns the computed value as hex. */
  compute(): string;
  expected: string;
}

/** GB/T 32907-2016 Appendix A key (and plaintext); also the key of RFC 8998 Appendix A. */
const SM4_KAT_KEY = /* @__PURE__ */ hexToBytes('0123456789abcdeffedcba9876543210');
/** RFC 8998 Appendix A: IV (GCM) / nonce (CCM), AAD and plaintext. */
const SM4_RFC8998_IV = /* @__PURE__ */ hexToBytes('00001234567800000000abcd');
const SM4_RFC8998_AAD = /* @__PURE__ */ hexToBytes('feedfacedeadbeeffeedfacedeadbeefabaddad2');
const SM4_RFC8998_PT = /* @__PURE__ */ hexToBytes(
  'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd' +
    'eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa',
);

/** Encrypts once and wipes the cipher's key. */
function sm4Once(cipher: Sm4Cipher, data: Uint8Array): string {
  try {
    return bytesToHex(cipher.encrypt(data));
  } finally {
    cipher.destroy();
  }
}

/** GB/T 32918.5-2017 Annex A/C: private key, public key, nonce k (sm2p256v1, default ID). */
const SM2_KAT_D = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const SM2_KAT_PUB =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
  'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const SM2_KAT_K = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
const SM2_KAT_SIG =
  'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
  'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
const SM2_KAT_CT =
  '0404ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73' +
  'e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
  '59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766' +
  '21886ca989ca9c7d58087307ca93092d651efa';

/** SM2 signing with the Annex A nonce, through the backend's test entry (e = SM3(ZA || M)). */
function sm2SignKat(): string {
  const b = getBackend();
  const pub = Sm2PublicKey.from(hexToBytes(SM2_KAT_PUB));
  const h = b.sm3Create();
  h.update(pub.computeZ());
  h.update(new TextEncoder().encode('message digest'));
  const key = b.sm2PrivateKey(hexToBytes(SM2_KAT_D));
  try {
    return bytesToHex(b.sm2Sign(key, h.digest(), { k: hexToBytes(SM2_KAT_K) }));
  } finally {
    key.destroy();
    pub.destroy();
  }
}

/** SM2 encryption with the Annex C nonce, through the backend's test entry. */
function sm2EncryptKat(): string {
  const b = getBackend();
  const pub = b.sm2PublicKey(hexToBytes(SM2_KAT_PUB));
  try {
    return bytesToHex(b.sm2Encrypt(pub, new TextEncoder().encode('encryption standard'), { k: hexToBytes(SM2_KAT_K) }));
  } finally {
    pub.destroy();
  }
}

const KNOWN_ANSWERS: KnownAnswer[] = [
  {
    algorithm: 'SM3',
    source: 'GB/T 32905-2016 Annex A.1',
    compute: () => bytesToHex(sm3('abc')),
    expected: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  },
  {
    algorithm: 'SM3',
    source: 'GB/T 32905-2016 Annex A.2',
    compute: () => bytesToHex(sm3('abcd'.repeat(16))),
    expected: 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
  },
  {
    algorithm: 'HMAC-SM3',
    source: 'GM/T 0042-2015 Appendix D.3 (as in OpenSSL evpmac_sm3.txt), vector 4',
    compute: () =>
      bytesToHex(hmacSm3(hexToBytes('4a656665204a65666572736f6e204a72'), 'what do ya want for nothing?')),
    expected: 'ce791a34c59adef472997a249600f3f244d59e875be04055ba2ae12fc845e78c',
  },
  {
    algorithm: 'SM3-KDF',
    source: 'GB/T 32918.4-2016 Annex A.2 (t = KDF(x2 || y2, 152))',
    compute: () =>
      bytesToHex(
        sm3Kdf(
          hexToBytes(
            '64d20d27d0632957f8028c1e024f6b02edf23102a566c932ae8bd613a8e865fe' +
              '58d225eca784ae300a81a2d48281a828e1cedf11c4219099840265375077bf78',
          ),
          19,
        ),
      ),
    expected: '006e30dae231b071dfad8aa379e90264491603',
  },
  {
    algorithm: 'HKDF-SM3',
    source: 'RFC 8446 §7.1 with SM3 (RFC 8998 §3.4): Early Secret = HKDF-Extract(0^32, 0^32)',
    compute: () => bytesToHex(hkdfSm3.extract(new Uint8Array(32), new Uint8Array(32))),
    expected: 'a4f50a29c327e9acc4ddd4dbe32b75a6a1d77e4bbe823e3d71fdcc1a5fa52757',
  },
  {
    // There is no published PBKDF2-SM3 vector; this one was computed with OpenSSL 3.0.19
    // (`openssl kdf -keylen 32 -kdfopt digest:SM3 -kdfopt pass:password -kdfopt salt:salt
    // -kdfopt iter:2 PBKDF2`), an independent implementation.
    algorithm: 'PBKDF2-SM3',
    source: 'OpenSSL 3.0.19 PBKDF2 with SM3 (no standard vector exists)',
    compute: () => bytesToHex(pbkdf2Sm3('password', 'salt', 2, 32)),
    expected: 'fee723a2bc966e11dffb66133f4e8df577383c78ade30e3298edbd3e54ed85b7',
  },
  {
    algorithm: 'SM4',
    source: 'GB/T 32907-2016 Appendix A.1 (one block)',
    compute: () => sm4Once(sm4.ecb(SM4_KAT_KEY, { padding: 'none' }), SM4_KAT_KEY),
    expected: '681edf34d206965e86b3e94f536e4246',
  },
  {
    algorithm: 'SM4-GCM',
    source: 'RFC 8998 Appendix A.1 (ciphertext || tag)',
    compute: () => sm4Once(sm4.gcm(SM4_KAT_KEY, SM4_RFC8998_IV, { aad: SM4_RFC8998_AAD }), SM4_RFC8998_PT),
    expected:
      '17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735' +
      'd82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d' +
      '83de3541e4c2b58177e065a9bf7b62ec',
  },
  {
    algorithm: 'SM4-CCM',
    source: 'RFC 8998 Appendix A.2 (ciphertext || tag)',
    compute: () => sm4Once(sm4.ccm(SM4_KAT_KEY, SM4_RFC8998_IV, { aad: SM4_RFC8998_AAD }), SM4_RFC8998_PT),
    expected:
      '48af93501fa62adbcd414cce6034d895dda1bf8f132f042098661572e7483094' +
      'fd12e518ce062c98acee28d95df4416bed31a2f04476c18bb40c84a74b97dc5b' +
      '16842d4fa186f56ab33256971fa110f4',
  },
  {
    algorithm: 'SM2 verify',
    source: 'GB/T 32918.5-2017 Annex A (signature on "message digest", default ID)',
    compute: () =>
      String(verify('message digest', hexToBytes(SM2_KAT_SIG), hexToBytes(SM2_KAT_PUB), { encoding: 'raw' })),
    expected: 'true',
  },
  {
    algorithm: 'SM2 sign',
    source: 'GB/T 32918.5-2017 Annex A (with its k)',
    compute: sm2SignKat,
    expected: SM2_KAT_SIG,
  },
  {
    algorithm: 'SM2 encrypt',
    source: 'GB/T 32918.5-2017 Annex C (with its k; C1 || C3 || C2)',
    compute: sm2EncryptKat,
    expected: SM2_KAT_CT,
  },
  {
    algorithm: 'SM2 decrypt',
    source: 'GB/T 32918.5-2017 Annex C',
    compute: () => bytesToHex(decrypt(hexToBytes(SM2_KAT_D), hexToBytes(SM2_KAT_CT))),
    expected: bytesToHex(new TextEncoder().encode('encryption standard')),
  },
];

/**
 * Runs every known-answer test on the active backend.
 * @returns the backend in use, one result per test, and ok = every test passed
 */
export function selfTest(): SelfTestReport {
  const results = KNOWN_ANSWERS.map((k): SelfTestResult => {
    try {
      const got = k.compute();
      return got === k.expected
        ? { algorithm: k.algorithm, source: k.source, ok: true }
        : {
            algorithm: k.algorithm,
            source: k.source,
            ok: false,
            error: `expected ${k.expected}, got ${got}`,
          };
    } catch (err) {
      return {
        algorithm: k.algorithm,
        source: k.source,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      };
    }
  });
  return { ok: results.every((r) => r.ok), backend: backendInfo(), results };
}
