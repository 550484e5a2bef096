/**
 * Property tests of the parsers built on the strict DER reader and of the TLS decoders
 * (fast-check): random bytes and mutations of valid encodings into parseCertificate,
 * parseCsr, pemDecodeAll, derDecode, every TLS handshake-message and extension decoder and the
 * record layer's open(). Only typed errors (GuomiError ERR_DECODE / ERR_UNSUPPORTED, TlsError
 * with an alert code, TypeError/RangeError for wrong argument types) are allowed, never
 * another exception or a hang; what decodes re-encodes to the same bytes where an encoder
 * exists; a changed protected record is always refused (bad_record_mac).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derDecode } from '../src/der.js';
import { pemDecodeAll, pemEncode } from '../src/pem.js';
import { Sm2PrivateKey } from '../src/sm2.js';
import { ContentType } from '../src/tls/constants.js';
import {
  encodeAlpn,
  encodeCertificateMessage,
  encodeCertificateVerify,
  encodeNewSessionTicket,
  encodeServerName,
  encodeU16List,
  parseAlpn,
  parseCertificateMessage,
  parseCertificateRequest,
  parseCertificateVerify,
  parseClientHello,
  parseClientKeyShares,
  parseCookie,
  parseNewSessionTicket,
  parseSelectedGroup,
  parseServerHello,
  parseServerKeyShare,
  parseServerName,
  parseSupportedVersionsList,
  parseU16,
  parseU16List,
} from '../src/tls/messages.js';
import { RecordCipher } from '../src/tls/record.js';
import { createCertificate, createCsr, parseCertificate, parseCertificates, parseCsr } from '../src/x509/index.js';
import { bytes, exactly, hex, outcome, params } from './property.js';

const DECODE = ['GuomiError:ERR_DECODE'];
const TLS_DECODE = ['TlsError:ERR_TLS_DECODE_ERROR', 'TlsError:ERR_TLS_ILLEGAL_PARAMETER'];

describe('parser properties', () => {
  const key = Sm2PrivateKey.from(Uint8Array.from(Buffer.from('3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8', 'hex')));
  const cert = createCertificate({
    subject: 'CN=property.example.cn,O=性质测试,C=CN',
    signingKey: key,
    ca: true,
    subjectAltName: { dns: ['property.example.cn'], ip: ['127.0.0.1'] },
    extKeyUsage: ['serverAuth'],
  });
  const certDer = parseCertificate(cert).der;
  const csrDer = parseCsr(createCsr({ subject: 'CN=csr.example.cn', privateKey: key })).der;

  it('DER: random bytes and mutated certificates/CSRs into derDecode, parseCertificate, parseCsr', () => {
    fc.assert(
      fc.property(fc.oneof(bytes(0, 300), fc.constant(certDer), fc.constant(csrDer)), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }), fc.nat(), (base, edits, cut) => {
        const m = new Uint8Array(base);
        for (const [at, v] of edits) if (m.length) m[at % m.length] = v;
        const input = edits.length === 0 && base.length > 0 ? m.subarray(0, cut % (m.length + 1)) : m;
        outcome(() => derDecode(input), 'derDecode', ['ok', ...DECODE]);
        const rc = outcome(() => parseCertificate(input), 'parseCertificate', ['ok', ...DECODE]);
        if (rc === 'ok') expect(hex(parseCertificate(input).der)).toBe(hex(input));
        outcome(() => parseCsr(input), 'parseCsr', ['ok', ...DECODE]);
      }),
      params(600, 31),
    );
  });

  it('PEM: random text and damaged blocks into pemDecodeAll and parseCertificates', () => {
    const pem = pemEncode('CERTIFICATE', certDer);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constant(pem)), fc.nat(), fc.string({ maxLength: 5 }), (text, at, insert) => {
        const i = at % (text.length + 1);
        const t = text.slice(0, i) + insert + text.slice(i);
        outcome(() => pemDecodeAll(t), 'pemDecodeAll', ['ok', ...DECODE, 'GuomiError:ERR_UNSUPPORTED']);
        outcome(() => parseCertificates(t), 'parseCertificates', ['ok', ...DECODE, 'GuomiError:ERR_UNSUPPORTED']);
      }),
      params(400, 32),
    );
  });

  it('TLS decoders: random bodies give a decode_error/illegal_parameter alert or a value', () => {
    const decoders: [string, (b: Uint8Array) => unknown][] = [
      ['ClientHello', parseClientHello],
      ['ServerHello', parseServerHello],
      ['supported_versions', parseSupportedVersionsList],
      ['u16 list', (b) => parseU16List(b, 'list')],
      ['client key_share', parseClientKeyShares],
      ['server key_share', parseServerKeyShare],
      ['selected group', parseSelectedGroup],
      ['u16', (b) => parseU16(b, 'u16')],
      ['server_name', parseServerName],
      ['ALPN', parseAlpn],
      ['cookie', parseCookie],
      ['Certificate', parseCertificateMessage],
      ['CertificateRequest', parseCertificateRequest],
      ['CertificateVerify', parseCertificateVerify],
      ['NewSessionTicket', parseNewSessionTicket],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: decoders.length - 1 }), bytes(0, 200), (i, body) => {
        const [name, decode] = decoders[i]!;
        outcome(() => decode(body), name, ['ok', ...TLS_DECODE]);
      }),
      params(1500, 33),
    );
  });

  it('TLS decoders invert the encoders', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9/.-]{0,15}$/), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 20 }),
        fc.array(bytes(1, 60), { maxLength: 4 }),
        bytes(0, 20),
        fc.integer({ min: 0, max: 0xffff }),
        bytes(1, 80),
        fc.tuple(fc.nat(), fc.nat(), bytes(0, 20), bytes(1, 60)),
        fc.stringMatching(/^[a-z][a-z0-9-]{0,10}(\.[a-z][a-z0-9-]{0,10}){0,3}$/),
        (alpn, list, certs, context, alg, sig, [lifetime, ageAdd, nonce, ticket], host) => {
          expect(parseAlpn(encodeAlpn(alpn))).toEqual(alpn);
          expect(parseU16List(encodeU16List(list), 'list')).toEqual(list);
          // The message encoders write the 4-byte handshake header (type, uint24 length); the parsers take the body.
          const body = (m: Uint8Array): Uint8Array => {
            expect((m[1]! << 16) | (m[2]! << 8) | m[3]!).toBe(m.length - 4);
            return m.subarray(4);
          };
          const cm = parseCertificateMessage(body(encodeCertificateMessage(context, certs)));
          expect(hex(cm.context)).toBe(hex(context));
          expect(cm.entries.map((e) => hex(e.data))).toEqual(certs.map(hex));
          const cv = parseCertificateVerify(body(encodeCertificateVerify(alg, sig)));
          expect([cv.algorithm, hex(cv.signature)]).toEqual([alg, hex(sig)]);
          const t = parseNewSessionTicket(body(encodeNewSessionTicket(lifetime % 604801, ageAdd >>> 0, nonce, ticket)));
          expect([t.lifetime, t.ageAdd, hex(t.nonce), hex(t.ticket)]).toEqual([lifetime % 604801, ageAdd >>> 0, hex(nonce), hex(ticket)]);
          expect(parseServerName(encodeServerName(host))).toBe(host);
        },
      ),
      params(200, 34),
    );
  });

  it('TLS records: a protected record opens to what was sealed; any changed byte or random record is bad_record_mac', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'gcm' | 'ccm'>('gcm', 'ccm'),
        exactly(32),
        bytes(0, 300),
        fc.integer({ min: 0, max: 40 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        bytes(0, 320),
        (aead, secret, content, padding, at, x, junk) => {
          const seal = new RecordCipher(aead, secret), open = new RecordCipher(aead, secret);
          const rec = seal.seal(ContentType.APPLICATION_DATA, content, padding);
          const [type, body] = open.open(rec.subarray(0, 5), rec.subarray(5));
          expect([type, hex(body)]).toEqual([ContentType.APPLICATION_DATA, hex(content)]);
          const rec2 = seal.seal(ContentType.APPLICATION_DATA, content, padding);
          const bad = new Uint8Array(rec2);
          bad[at % bad.length]! ^= x;
          outcome(() => open.open(bad.subarray(0, 5), bad.subarray(5)), 'open changed record', ['TlsError:ERR_TLS_BAD_RECORD_MAC']);
          const fresh = new RecordCipher(aead, secret);
          const header = Uint8Array.of(ContentType.APPLICATION_DATA, 3, 3, junk.length >> 8, junk.length & 0xff);
          outcome(() => fresh.open(header, junk), 'open random record', ['TlsError:ERR_TLS_BAD_RECORD_MAC']);
        },
      ),
      params(150, 35),
    );
  });
});
