/**
 * The known answers of the self-tests, run against one Backend object: every algorithm and mode
 * the package offers, each compared with a value published in a standard (or, where none exists,
 * computed by an independent implementation, which the entry says). In the manner of the GM/T
 * 0028-2014 §6.2.4 power-on self-tests (FIPS 140-3 style known-answer tests): each runs the
 * implementation that will serve the caller, in both directions where there are two, and a
 * decryption known answer also checks that a wrong tag is refused.
 *
 * This module works on the Backend interface only (not on the public modules), so the backend
 * selector can run it on first use without an import cycle, and the pure backend can run it in a
 * browser (it imports nothing from node:*).
 *
 * The full vector sets live in vectors/ and are run by the test suite; these are one or two
 * answers per algorithm, chosen to exercise every code path once.
 * @module
 */
import type { Backend, Sm4StreamMode } from './backend/types.js';
import { SM2P256V1_Z, zValue } from './sm2/params.js';
import { bytesToHex, hexToBytes } from './utils.js';

/** The outcome of one known-answer test. */
export interface SelfTestResult {
  /** Algorithm and mode, e.g. "SM4-GCM". */
  algorithm: string;
  /** Where the expected value comes from. */
  source: string;
  ok: boolean;
  /** What went wrong, when ok is false. */
  error?: string;
}

interface KnownAnswer {
  algorithm: string;
  source: string;
  /** Returns the computed value (as hex, or a description of a check), given the backend. */
  compute(b: Backend): string;
  expected: string;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// --- SM4 helpers: run the backend directly, in both directions -----------------------------

/** Encrypts with ECB or CBC over whole blocks, decrypts the result, and returns the ciphertext
 * hex when the round trip gives the plaintext back. */
function sm4Block(b: Backend, mode: 'ecb' | 'cbc', key: string, iv: string, pt: string): string {
  const k = b.sm4ExpandKey(hexToBytes(key));
  try {
    const input = hexToBytes(pt);
    const ct = new Uint8Array(input.length);
    const back = new Uint8Array(input.length);
    if (mode === 'ecb') {
      b.sm4Ecb(k, false, input, ct);
      b.sm4Ecb(k, true, ct, back);
    } else {
      b.sm4Cbc(k, false, hexToBytes(iv), input, ct);
      b.sm4Cbc(k, true, hexToBytes(iv), ct, back);
    }
    return bytesToHex(back) === bytesToHex(input) ? bytesToHex(ct) : `decryption gave ${bytesToHex(back)}`;
  } finally {
    k.destroy();
  }
}

/** CTR, CFB or OFB, both directions; the input is fed in two uneven pieces to cross a block. */
function sm4Stream(b: Backend, mode: Sm4StreamMode, key: string, iv: string, pt: string): string {
  const k = b.sm4ExpandKey(hexToBytes(key));
  try {
    const input = hexToBytes(pt);
    const run = (decrypt: boolean, data: Uint8Array): Uint8Array => {
      const s = b.sm4Stream(k, mode, decrypt, hexToBytes(iv));
      const out = new Uint8Array(data.length);
      s.update(data.subarray(0, 7), out.subarray(0, 7));
      s.update(data.subarray(7), out.subarray(7));
      s.destroy();
      return out;
    };
    const ct = run(false, input);
    const back = run(true, ct);
    return bytesToHex(back) === bytesToHex(input) ? bytesToHex(ct) : `decryption gave ${bytesToHex(back)}`;
  } finally {
    k.destroy();
  }
}

/** GCM or CCM: ciphertext || tag, then decryption, then a flipped tag bit must be refused. */
function sm4Aead(b: Backend, mode: 'gcm' | 'ccm', key: string, iv: string, aad: string, pt: string): string {
  const k = b.sm4ExpandKey(hexToBytes(key));
  try {
    const input = hexToBytes(pt);
    const n = hexToBytes(iv);
    const a = hexToBytes(aad);
    const out = new Uint8Array(input.length + 16);
    if (mode === 'gcm') b.sm4GcmEncrypt(k, n, a, input, out, 16);
    else b.sm4CcmEncrypt(k, n, a, input, out, 16);
    const ct = out.subarray(0, input.length);
    const tag = out.slice(input.length);
    const back = new Uint8Array(input.length);
    const open = (t: Uint8Array) =>
      mode === 'gcm' ? b.sm4GcmDecrypt(k, n, a, ct, t, back) : b.sm4CcmDecrypt(k, n, a, ct, t, back);
    if (!open(tag) || bytesToHex(back) !== pt) return 'decryption with the right tag failed';
    const bad = tag.slice();
    bad[0]! ^= 1;
    if (open(bad)) return 'a wrong tag was accepted';
    return bytesToHex(out);
  } finally {
    k.destroy();
  }
}

function sm4Xts(b: Backend, variant: 'gb' | 'ieee', key1: string, key2: string, tweak: string, pt: string): string {
  const k1 = b.sm4ExpandKey(hexToBytes(key1));
  const k2 = b.sm4ExpandKey(hexToBytes(key2));
  try {
    const input = hexToBytes(pt);
    const ct = new Uint8Array(input.length);
    const back = new Uint8Array(input.length);
    b.sm4Xts(k1, k2, hexToBytes(tweak), variant, false, input, ct);
    b.sm4Xts(k1, k2, hexToBytes(tweak), variant, true, ct, back);
    return bytesToHex(back) === bytesToHex(input) ? bytesToHex(ct) : `decryption gave ${bytesToHex(back)}`;
  } finally {
    k1.destroy();
    k2.destroy();
  }
}

// --- SM2 (GB/T 32918.5-2017, the recommended curve sm2p256v1) ------------------------------

/** GB/T 32918.5-2017 Annex A/C: private key, public key and the nonce k of the worked examples. */
const SM2_D = '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8';
const SM2_PUB =
  '0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
  'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
const SM2_K = '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21';
const SM2_SIG =
  'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
  'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
const SM2_CT =
  '0404ebfc718e8d1798620432268e77feb6415e2ede0e073c0f4f640ecd2e149a73' +
  'e858f9d81e5430a57b36daab8f950a3c64e6ee6a63094d99283aff767e124df0' +
  '59983c18f809e262923c53aec295d30383b54e39d609d160afcb1908d0bd8766' +
  '21886ca989ca9c7d58087307ca93092d651efa';

/** e = SM3(Z_A || M) with the default ID (GB/T 32918.2-2016 §6.1 A1–A2). */
function sm2Digest(b: Backend, pub: string, message: string): Uint8Array {
  const z = zValue(b, SM2P256V1_Z, hexToBytes(pub), utf8('1234567812345678'));
  const h = b.sm3Create();
  h.update(z);
  h.update(utf8(message));
  return h.digest();
}

function sm2Sign(b: Backend): string {
  const key = b.sm2PrivateKey(hexToBytes(SM2_D));
  try {
    // The public key derived from d must be the one printed in the standard.
    const pub = bytesToHex(b.sm2PrivateToPublic(key));
    if (pub !== SM2_PUB) return `[d]G = ${pub}`;
    return bytesToHex(b.sm2Sign(key, sm2Digest(b, SM2_PUB, 'message digest'), { k: hexToBytes(SM2_K) }));
  } finally {
    key.destroy();
  }
}

function sm2Verify(b: Backend): string {
  const pub = b.sm2PublicKey(hexToBytes(SM2_PUB));
  try {
    const e = sm2Digest(b, SM2_PUB, 'message digest');
    const good = b.sm2Verify(pub, e, hexToBytes(SM2_SIG));
    const altered = hexToBytes(SM2_SIG);
    altered[63]! ^= 1;
    const bad = b.sm2Verify(pub, e, altered);
    return `valid signature ${good ? 'accepted' : 'REJECTED'}, altered signature ${bad ? 'ACCEPTED' : 'rejected'}`;
  } finally {
    pub.destroy();
  }
}

function sm2Encrypt(b: Backend): string {
  const pub = b.sm2PublicKey(hexToBytes(SM2_PUB));
  try {
    return bytesToHex(b.sm2Encrypt(pub, utf8('encryption standard'), { k: hexToBytes(SM2_K) }));
  } finally {
    pub.destroy();
  }
}

function sm2Decrypt(b: Backend): string {
  const key = b.sm2PrivateKey(hexToBytes(SM2_D));
  try {
    const ct = hexToBytes(SM2_CT);
    return bytesToHex(b.sm2Decrypt(key, ct.subarray(0, 65), ct.subarray(65, 97), ct.subarray(97)));
  } finally {
    key.destroy();
  }
}

/** GB/T 32918.5-2017 Annex B: the key exchange on sm2p256v1, both roles, default IDs. */
const KEX = {
  dA: '81eb26e941bb5af16df116495f90695272ae2cd63d6c4ae1678418be48230029',
  pA:
    '04160e12897df4edb61dd812feb96748fbd3ccf4ffe26aa6f6db9540af49c94232' +
    '4a7dad08bb9a459531694beb20aa489d6649975e1bfcf8c4741b78b4b223007f',
  rA: 'd4de15474db74d06491c440d305e012400990f3e390c7e87153c12db2ea60bb3',
  pointRA:
    '0464ced1bdbc99d590049b434d0fd73428cf608a5db8fe5ce07f15026940bae40e' +
    '376629c7ab21e7db260922499ddb118f07ce8eaae3e7720afef6a5cc062070c0',
  dB: '785129917d45a9ea5437a59356b82338eaadda6ceb199088f14ae10defa229b5',
  pB:
    '046ae848c57c53c7b1b5fa99eb2286af078ba64c64591b8b566f7357d576f16dfb' +
    'ee489d771621a27b36c5c7992062e9cd09a9264386f3fbea54dff69305621c4d',
  rB: '7e07124814b309489125eaed101113164ebf0f3458c5bd88335c1f9d596243d6',
  pointRB:
    '04acc27688a6f7b706098bc91ff3ad1bff7dc2802cdb14ccccdb0a90471f9bd707' +
    '2fedac0494b2ffc4d6853876c79b8f301c6573ad0aa50f39fc87181e1a1b46fe',
  k: '6c89347354de2484c60b4ab1fde4c6e5',
};

/** K = KDF(xU || yU || ZA || ZB, 128) (GB/T 32918.3-2016 §6.1 A8), computed by one side. */
function kexKey(b: Backend, d: string, r: string, pointR: string, peerPub: string, peerR: string): Uint8Array {
  const key = b.sm2PrivateKey(hexToBytes(d));
  const peer = b.sm2PublicKey(hexToBytes(peerPub));
  try {
    const u = b.sm2KeyExchangePoint(key, hexToBytes(r), hexToBytes(pointR), peer, hexToBytes(peerR));
    const id = utf8('1234567812345678');
    const za = zValue(b, SM2P256V1_Z, hexToBytes(KEX.pA), id);
    const zb = zValue(b, SM2P256V1_Z, hexToBytes(KEX.pB), id);
    const z = new Uint8Array(64 + 64);
    z.set(u, 0);
    z.set(za, 64);
    z.set(zb, 96);
    return b.sm3Kdf(z, 16);
  } finally {
    key.destroy();
    peer.destroy();
  }
}

function sm2KeyExchange(b: Backend): string {
  const ka = bytesToHex(kexKey(b, KEX.dA, KEX.rA, KEX.pointRA, KEX.pB, KEX.pointRB));
  const kb = bytesToHex(kexKey(b, KEX.dB, KEX.rB, KEX.pointRB, KEX.pA, KEX.pointRA));
  return ka === kb ? ka : `initiator ${ka}, responder ${kb}`;
}

// --- The table ------------------------------------------------------------------------------

/** GB/T 32907-2016 Appendix A.1 key; also the key of RFC 8998 Appendix A. */
const SM4_KEY = '0123456789abcdeffedcba9876543210';
/** draft-ribose-cfrg-sm4-10 Appendix A.2 plaintext and IV. */
const RIBOSE_PT = 'aaaaaaaabbbbbbbbccccccccddddddddeeeeeeeeffffffffaaaaaaaabbbbbbbb';
const RIBOSE_IV = '000102030405060708090a0b0c0d0e0f';
/** RFC 8998 Appendix A: IV (GCM) / nonce (CCM), AAD and plaintext. */
const RFC8998_IV = '00001234567800000000abcd';
const RFC8998_AAD = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
const RFC8998_PT =
  'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccdddddddddddddddd' +
  'eeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa';
/** OpenSSL evpciph_sm4.txt SM4-OFB: key = IV = each plaintext block. */
const OSSL_PT = '0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210';
/** GB/T 17964-2021 Annex B.7 XTS example. */
const XTS_KEY1 = '2b7e151628aed2a6abf7158809cf4f3c';
const XTS_KEY2 = '000102030405060708090a0b0c0d0e0f';
const XTS_TWEAK = 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff';
const XTS_PT =
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
  '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17';

const KNOWN_ANSWERS: KnownAnswer[] = [
  {
    algorithm: 'SM3',
    source: 'GB/T 32905-2016 Annex A.1',
    compute: (b) => bytesToHex(b.sm3(utf8('abc'))),
    expected: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
  },
  {
    algorithm: 'SM3',
    source: 'GB/T 32905-2016 Annex A.2 (streamed in two pieces)',
    compute: (b) => {
      const h = b.sm3Create();
      const m = utf8('abcd'.repeat(16));
      h.update(m.subarray(0, 5));
      h.update(m.subarray(5));
      return bytesToHex(h.digest());
    },
    expected: 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
  },
  {
    algorithm: 'HMAC-SM3',
    source: 'GM/T 0042-2015 Appendix D.3 (as in OpenSSL evpmac_sm3.txt), vector 4',
    compute: (b) => bytesToHex(b.hmacSm3(hexToBytes('4a656665204a65666572736f6e204a72'), utf8('what do ya want for nothing?'))),
    expected: 'ce791a34c59adef472997a249600f3f244d59e875be04055ba2ae12fc845e78c',
  },
  {
    algorithm: 'SM3-KDF',
    source: 'GB/T 32918.4-2016 Annex A.2 (t = KDF(x2 || y2, 152))',
    compute: (b) =>
      bytesToHex(
        b.sm3Kdf(
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
    // No standard publishes HKDF-SM3 vectors (vectors/hkdf_sm3.txt says so).
    algorithm: 'HKDF-SM3',
    source: 'GmSSL tests/sm3_hkdftest.h test 1 (RFC 5869 extract and expand with SM3; independent implementation)',
    compute: (b) =>
      bytesToHex(
        b.hkdfSm3Expand(
          b.hkdfSm3Extract(hexToBytes('000102030405060708090a0b0c'), hexToBytes('0b'.repeat(22))),
          hexToBytes('f0f1f2f3f4f5f6f7f8f9'),
          42,
        ),
      ),
    expected: 'c69fe91b7aaee2dd5718d72dcaee0cce93f1b8e41f792da51261b6a517e68b36ed2c595572b01dfa359b',
  },
  {
    // No standard publishes a PBKDF2-SM3 vector; OpenSSL 3.0.19 (`openssl kdf -keylen 32 -kdfopt
    // digest:SM3 -kdfopt pass:password -kdfopt salt:salt -kdfopt iter:2 PBKDF2`) computed it.
    algorithm: 'PBKDF2-SM3',
    source: 'OpenSSL 3.0.19 PBKDF2 with SM3 (RFC 8018 §5.2; no standard vector exists)',
    compute: (b) => bytesToHex(b.pbkdf2Sm3(utf8('password'), utf8('salt'), 2, 32)),
    expected: 'fee723a2bc966e11dffb66133f4e8df577383c78ade30e3298edbd3e54ed85b7',
  },
  {
    algorithm: 'SM4',
    source: 'GB/T 32907-2016 Appendix A.1 (one block, encrypt and decrypt)',
    compute: (b) => sm4Block(b, 'ecb', SM4_KEY, '', SM4_KEY),
    expected: '681edf34d206965e86b3e94f536e4246',
  },
  {
    algorithm: 'SM4-ECB',
    source: 'draft-ribose-cfrg-sm4-10 Appendix A.2.1.1',
    compute: (b) => sm4Block(b, 'ecb', SM4_KEY, '', RIBOSE_PT),
    expected: '5ec8143de509cff7b5179f8f474b86192f1d305a7fb17df985f81c8482192304',
  },
  {
    algorithm: 'SM4-CBC',
    source: 'draft-ribose-cfrg-sm4-10 Appendix A.2.2.1',
    compute: (b) => sm4Block(b, 'cbc', SM4_KEY, RIBOSE_IV, RIBOSE_PT),
    expected: '78ebb11cc40b0a48312aaeb2040244cb4cb7016951909226979b0d15dc6a8f6d',
  },
  {
    algorithm: 'SM4-CTR',
    source: 'OpenSSL evpciph_sm4.txt SM4-CTR (64 bytes; 128-bit big-endian counter)',
    compute: (b) => sm4Stream(b, 'ctr', SM4_KEY, SM4_KEY, RFC8998_PT),
    expected:
      'c2b4759e78ac3cf43d0852f4e8d5f9fd7256e8a5fcb65a350ee00630912e4449' +
      '2a0b17e1b85b060d0fba612d8a95831638b361fd5ffacd942f081485a83ca35d',
  },
  {
    algorithm: 'SM4-CFB',
    source: 'draft-ribose-cfrg-sm4-10 Appendix A.2.4.1 (CFB-128)',
    compute: (b) => sm4Stream(b, 'cfb', SM4_KEY, RIBOSE_IV, RIBOSE_PT),
    expected: 'ac3236cb861dd316e6413b4e3c7524b769d4c54ed433b9a0346009beb37b2b3f',
  },
  {
    algorithm: 'SM4-OFB',
    source: 'OpenSSL evpciph_sm4.txt SM4-OFB (32 bytes)',
    compute: (b) => sm4Stream(b, 'ofb', SM4_KEY, SM4_KEY, OSSL_PT),
    expected: '693d9a535bad5bb1786f53d7253a7056f2075d28b5235f58d50027e4177d2bce',
  },
  {
    algorithm: 'SM4-GCM',
    source: 'RFC 8998 Appendix A.1 (ciphertext || tag; a wrong tag must be refused)',
    compute: (b) => sm4Aead(b, 'gcm', SM4_KEY, RFC8998_IV, RFC8998_AAD, RFC8998_PT),
    expected:
      '17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735' +
      'd82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d' +
      '83de3541e4c2b58177e065a9bf7b62ec',
  },
  {
    algorithm: 'SM4-CCM',
    source: 'RFC 8998 Appendix A.2 (ciphertext || tag; a wrong tag must be refused)',
    compute: (b) => sm4Aead(b, 'ccm', SM4_KEY, RFC8998_IV, RFC8998_AAD, RFC8998_PT),
    expected:
      '48af93501fa62adbcd414cce6034d895dda1bf8f132f042098661572e7483094' +
      'fd12e518ce062c98acee28d95df4416bed31a2f04476c18bb40c84a74b97dc5b' +
      '16842d4fa186f56ab33256971fa110f4',
  },
  {
    algorithm: 'SM4-XTS',
    source: 'GB/T 17964-2021 Annex B.7 (56 bytes, ciphertext stealing)',
    compute: (b) => sm4Xts(b, 'gb', XTS_KEY1, XTS_KEY2, XTS_TWEAK, XTS_PT),
    expected:
      'e9538251c71d7b80bbe4483fef497bd12c5c581bd6242fc51e08964fb4f60fdb' +
      '0ba42f63499279213d318d2c11f6886e903be7f93a1b3479',
  },
  {
    algorithm: 'SM4-XTS-IEEE',
    source: 'OpenSSL evpciph_sm4.txt SM4-XTS (IEEE) 56 bytes',
    compute: (b) => sm4Xts(b, 'ieee', XTS_KEY1, XTS_KEY2, XTS_TWEAK, XTS_PT),
    expected:
      'e9538251c71d7b80bbe4483fef497bd1b3db1a3e60408c575d63ff7db39f8326' +
      '0869f9e2585fec9f0b863bf8fd784b8627d16c0db6d2cfc7',
  },
  {
    algorithm: 'SM2 sign',
    source: 'GB/T 32918.5-2017 Annex A (signature on "message digest" with its k; [d]G checked)',
    compute: sm2Sign,
    expected: SM2_SIG,
  },
  {
    algorithm: 'SM2 verify',
    source: 'GB/T 32918.5-2017 Annex A (and the same signature with one bit changed)',
    compute: sm2Verify,
    expected: 'valid signature accepted, altered signature rejected',
  },
  {
    algorithm: 'SM2 encrypt',
    source: 'GB/T 32918.5-2017 Annex C (with its k; C1 || C3 || C2)',
    compute: sm2Encrypt,
    expected: SM2_CT,
  },
  {
    algorithm: 'SM2 decrypt',
    source: 'GB/T 32918.5-2017 Annex C',
    compute: sm2Decrypt,
    expected: bytesToHex(utf8('encryption standard')),
  },
  {
    algorithm: 'SM2 key exchange',
    source: 'GB/T 32918.5-2017 Annex B (K computed by both the initiator and the responder)',
    compute: sm2KeyExchange,
    expected: KEX.k,
  },
];

/**
 * The table itself (algorithm, source, expected value), for the tests that check each expected
 * value against vectors/.
 * @internal
 */
export function knownAnswerTable(): { algorithm: string; source: string; expected: string }[] {
  return KNOWN_ANSWERS.map(({ algorithm, source, expected }) => ({ algorithm, source, expected }));
}

/**
 * Runs every known answer on `backend`. Never throws: an exception in a test is its failure.
 * @param backend the backend to test (the active one, or the pure backend in a browser)
 * @returns one result per known answer, in a fixed order
 */
export function runKnownAnswers(backend: Backend): SelfTestResult[] {
  return KNOWN_ANSWERS.map((k): SelfTestResult => {
    const head = { algorithm: k.algorithm, source: k.source };
    try {
      const got = k.compute(backend);
      return got === k.expected ? { ...head, ok: true } : { ...head, ok: false, error: `expected ${k.expected}, got ${got}` };
    } catch (err) {
      return { ...head, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  });
}
