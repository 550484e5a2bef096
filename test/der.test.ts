/**
 * The strict DER reader/writer (src/der.ts) and the PEM armour (src/pem.ts): X.690 DER rules,
 * limits, round trips, and PEM as real files have it. Expected encodings are from X.690's own
 * examples and RFC 5480 / GM/T 0006 OIDs, or round trips through node:crypto.
 */
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  TAG,
  derBitStringBytes,
  derChildren,
  derDecode,
  derEncode,
  derOid,
  derSmallInteger,
  derTlv,
  derUnsigned,
} from '../src/der.js';
import { GuomiError } from '../src/errors.js';
import { pemDecode, pemDecodeAll, pemEncode } from '../src/pem.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function expectDecodeError(fn: () => unknown): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(GuomiError);
  expect((err as GuomiError).code).toBe('ERR_DECODE');
}

describe('DER reader', () => {
  it('reads nested structures with their raw bytes', () => {
    const spkiAlg = h('3013 06072a8648ce3d0201 06082a811ccf5501822d');
    const node = derDecode(spkiAlg);
    const [a, b] = derChildren(node, TAG.SEQUENCE, 2);
    expect(derOid(a)).toBe('1.2.840.10045.2.1');
    expect(derOid(b)).toBe('1.2.156.10197.1.301');
    expect(toHex(node.raw)).toBe(toHex(spkiAlg));
    expect(node.constructed).toBe(true);
  });

  it('INTEGER: minimal encodings only; magnitudes; sizes', () => {
    expect(toHex(derUnsigned(derDecode(h('020100'))))).toBe('');
    expect(toHex(derUnsigned(derDecode(h('02020080'))))).toBe('80');
    expect(derSmallInteger(derDecode(h('02020100')))).toBe(256);
    expectDecodeError(() => derDecode(h('0200'))); // empty
    expectDecodeError(() => derDecode(h('02020001'))); // leading 00 not needed
    expectDecodeError(() => derDecode(h('0202ff80'))); // leading ff not needed
    expectDecodeError(() => derUnsigned(derDecode(h('020180')))); // negative
    expectDecodeError(() => derUnsigned(derDecode(h('0203010203')), 2)); // too large
    expect(toHex(derUnsigned(derDecode(h('022100' + 'ff'.repeat(32))), 32))).toBe('ff'.repeat(32));
  });

  it('lengths: definite, shortest form, within limits, no truncation or trailing bytes', () => {
    expectDecodeError(() => derDecode(h('3080020100 0000'))); // indefinite
    expectDecodeError(() => derDecode(h('30810302 0100'))); // long form for a short length
    expectDecodeError(() => derDecode(h('3082000302 0100'))); // leading zero length byte
    expectDecodeError(() => derDecode(h('3085 0000000001 00'))); // more than 4 length bytes
    expectDecodeError(() => derDecode(h('3004 020100'))); // truncated
    expectDecodeError(() => derDecode(h('3003 020100 00'))); // trailing byte
    expectDecodeError(() => derDecode(h('30'))); // header only
    expectDecodeError(() => derDecode(new Uint8Array(0)));
    expectDecodeError(() => derDecode(h('1f01 00'))); // high tag number
    const long = derEncode.octetString(new Uint8Array(300));
    expect(toHex(long.subarray(0, 4))).toBe('0482012c');
    expect(derDecode(long).content.length).toBe(300);
    expectDecodeError(() => derDecode(long, { maxLength: 299 }));
    // A length claiming 4 GiB is refused before anything is read.
    expectDecodeError(() => derDecode(h('0484ffffffff00')));
  });

  it('nesting is bounded (no unbounded recursion)', () => {
    let deep: Uint8Array = h('0500');
    for (let i = 0; i < 40; i++) deep = derEncode.sequence(deep);
    expectDecodeError(() => derDecode(deep));
    expect(derDecode(deep, { maxDepth: 41 }).children.length).toBe(1);
    // 100k nested SEQUENCE headers with definite lengths of the rest: refused, not a stack overflow.
    const n = 100_000;
    const bomb = new Uint8Array(2 * n).fill(0x30);
    expectDecodeError(() => derDecode(bomb));
  });

  it('BIT STRING, NULL, BOOLEAN and OID rules', () => {
    expect(toHex(derBitStringBytes(derDecode(h('03020004'))))).toBe('04');
    expectDecodeError(() => derDecode(h('0300'))); // no unused-bits byte
    expectDecodeError(() => derDecode(h('030108'))); // 8 unused bits
    expectDecodeError(() => derDecode(h('030101'))); // unused bits without data
    expectDecodeError(() => derDecode(h('03020101'))); // unused bit set
    expectDecodeError(() => derBitStringBytes(derDecode(h('03020100')))); // not whole bytes
    expectDecodeError(() => derDecode(h('050100')));
    expectDecodeError(() => derDecode(h('010101')));
    expect(derDecode(h('0101ff')).content[0]).toBe(0xff);
    expectDecodeError(() => derDecode(h('0600')));
    expectDecodeError(() => derDecode(h('06022a81'))); // unterminated subidentifier
    expectDecodeError(() => derDecode(h('06032a8001'))); // padded subidentifier
    expect(derOid(derDecode(h('0603883703')))).toBe('2.999.3'); // X.690 §8.19.5 example
  });

  it('tag and count checks', () => {
    const seq = derDecode(h('3006 020101 020102'));
    expect(derChildren(seq, TAG.SEQUENCE, [1, 3]).length).toBe(2);
    expectDecodeError(() => derChildren(seq, TAG.SEQUENCE, 3));
    expectDecodeError(() => derChildren(seq, TAG.SET));
    expectDecodeError(() => derOid(seq.children[0]));
  });
});

describe('DER writer', () => {
  it('writes minimal INTEGERs, OIDs, lengths and context tags', () => {
    expect(toHex(derEncode.integer(new Uint8Array(0)))).toBe('020100');
    expect(toHex(derEncode.integer(h('000000')))).toBe('020100');
    expect(toHex(derEncode.integer(h('0080')))).toBe('02020080');
    expect(toHex(derEncode.integer(h('80')))).toBe('02020080');
    expect(toHex(derEncode.integer(h('00017f')))).toBe('0202017f');
    expect(toHex(derEncode.smallInteger(0))).toBe('020100');
    expect(toHex(derEncode.smallInteger(65536))).toBe('0203010000');
    expect(toHex(derEncode.oid('1.2.156.10197.1.301'))).toBe('06082a811ccf5501822d');
    expect(toHex(derEncode.oid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(toHex(derEncode.oid('2.999.3'))).toBe('0603883703');
    expect(() => derEncode.oid('1.40.1')).toThrow(RangeError);
    expect(() => derEncode.oid('1.x')).toThrow(RangeError);
    expect(toHex(derEncode.null())).toBe('0500');
    expect(toHex(derEncode.context(1, derEncode.bitString(h('04'))))).toBe('a10403020004');
    expect(toHex(derTlv(TAG.OCTET_STRING, new Uint8Array(128)).subarray(0, 3))).toBe('048180');
  });

  it('round-trips through the reader and node:crypto structures', () => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'SM2' });
    for (const der of [
      new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })),
      new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' })),
      new Uint8Array(privateKey.export({ format: 'der', type: 'sec1' })),
    ]) {
      expect(toHex(derDecode(der).raw)).toBe(toHex(der));
    }
  });
});

describe('PEM', () => {
  const der = Uint8Array.from(Array.from({ length: 100 }, (_, i) => i));

  it('writes 64-character lines and reads them back', () => {
    const pem = pemEncode('PUBLIC KEY', der);
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN PUBLIC KEY-----');
    expect(lines.at(-1)).toBe('-----END PUBLIC KEY-----');
    expect(lines[1]!.length).toBe(64);
    expect(pem).toBe(`-----BEGIN PUBLIC KEY-----\n${Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----\n`);
    expect(toHex(pemDecode(pem, ['PUBLIC KEY']).der)).toBe(toHex(der));
    expect(() => pemEncode('bad label', der)).toThrow(RangeError);
  });

  it('is tolerant of CRLF, blank lines, indentation, odd line lengths and text around blocks', () => {
    const b64 = Buffer.from(der).toString('base64');
    const messy = `Bag Attributes\r\n  localKeyID: 01\r\n\r\n  -----BEGIN PRIVATE KEY-----  \r\n${b64.slice(0, 10)}\r\n\t${b64.slice(10, 77)} \r\n\r\n${b64.slice(77)}\r\n-----END PRIVATE KEY-----\r\ntrailing text\r\n`;
    expect(toHex(pemDecode(messy, ['PRIVATE KEY']).der)).toBe(toHex(der));
    const two = `-----BEGIN EC PARAMETERS-----\nBggqgRzPVQGCLQ==\n-----END EC PARAMETERS-----\n${pemEncode('EC PRIVATE KEY', der)}`;
    const blocks = pemDecodeAll(two);
    expect(blocks.map((b) => b.label)).toEqual(['EC PARAMETERS', 'EC PRIVATE KEY']);
    expect(toHex(blocks[0]!.der)).toBe('06082a811ccf5501822d');
    expect(toHex(pemDecode(Buffer.from(two), ['EC PRIVATE KEY', 'PRIVATE KEY']).der)).toBe(toHex(der));
  });

  it('rejects bad Base64, mismatched or missing END lines, headers, and absent labels', () => {
    const ok = pemEncode('PUBLIC KEY', der);
    expectDecodeError(() => pemDecode(ok.replace('A', '*'), ['PUBLIC KEY']));
    expectDecodeError(() => pemDecode(ok.replace('-----END PUBLIC KEY-----', '-----END PRIVATE KEY-----'), ['PUBLIC KEY']));
    expectDecodeError(() => pemDecode(ok.replace('-----END PUBLIC KEY-----\n', ''), ['PUBLIC KEY']));
    expectDecodeError(() => pemDecode('-----BEGIN X-----\nQQ=\n-----END X-----', ['X'])); // length
    expectDecodeError(() => pemDecode('-----BEGIN X-----\nQR==\n-----END X-----', ['X'])); // non-canonical
    expectDecodeError(() => pemDecode('-----BEGIN X-----\nQQ==QQ==\n-----END X-----', ['X'])); // padding inside
    expectDecodeError(() => pemDecode(ok, ['PRIVATE KEY']));
    expectDecodeError(() => pemDecode('no pem here', ['PUBLIC KEY']));
    expect(toHex(pemDecode('-----BEGIN X-----\nQQ==\n-----END X-----', ['X']).der)).toBe('41');
    let err: unknown;
    try {
      pemDecode('-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nQQ==\n-----END EC PRIVATE KEY-----\n', ['EC PRIVATE KEY']);
    } catch (e) {
      err = e;
    }
    expect((err as GuomiError).code).toBe('ERR_UNSUPPORTED');
  });
});
