/**
 * Known-answer self-tests in the manner of the GM/T 0028 power-on self-tests: each algorithm the
 * package offers is run on the active backend against a value published in its standard, and
 * the report says which passed. Run only when called (or by `guomi selftest`), never at import.
 *
 * The values are transcribed from the standards (each entry names its clause); the full vector
 * sets live in vectors/ and are run by the test suite.
 * @module
 */
import { backendInfo, type BackendInfo } from './backend/select.js';
import { hkdfSm3, hmacSm3, pbkdf2Sm3, sm3, sm3Kdf } from './sm3.js';
import { bytesToHex, hexToBytes } from './utils.js';

/** The outcome of one known-answer test. */
export interface SelfTestResult {
  /** Algorithm and mode, e.g. "SM3". */
  algorithm: string;
  /** Where the expected value comes from. */
  source: string;
  ok: boolean;
  /** What went wrong, when ok is false. */
  error?: string;
}

/** What selfTest() returns. */
export interface SelfTestReport {
  ok: boolean;
  backend: BackendInfo;
  results: SelfTestResult[];
}

interface KnownAnswer {
  algorithm: string;
  source: string;
  /** Returns the computed value as hex. */
  compute(): string;
  expected: string;
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
