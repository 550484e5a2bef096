/**
 * Encoding and decoding of the TLS 1.3 handshake messages and extensions used with the
 * ShangMi suites (RFC 8446 §4, RFC 8998 §3.3). Decoders throw decode_error for malformed
 * syntax and illegal_parameter for well-formed but forbidden values.
 * @module
 */
import { ExtensionType, HandshakeType, LEGACY_VERSION } from './constants.js';
import { Reader, Writer, handshakeMessage } from './codec.js';
import { decodeError, illegalParameter } from './errors.js';

/** Extensions of one message, in wire order, each type at most once (RFC 8446 §4.2). */
export class Extensions {
  readonly #map = new Map<number, Uint8Array>();
  /** Types in wire order. */
  readonly order: number[] = [];

  /** Reads `extensions<lenMin..2^16-1>` from `r`. */
  static read(r: Reader, what: string): Extensions {
    const out = new Extensions();
    const list = r.sub(2, `${what} extensions`);
    while (list.remaining > 0) {
      const type = list.u16();
      const data = list.vec(2);
      if (out.#map.has(type)) throw illegalParameter(`${what}: duplicate extension ${type}`);
      out.#map.set(type, data);
      out.order.push(type);
    }
    return out;
  }

  has(type: number): boolean {
    return this.#map.has(type);
  }

  get(type: number): Uint8Array | undefined {
    return this.#map.get(type);
  }

  get size(): number {
    return this.#map.size;
  }
}

/** Writes an extensions block from [type, data] pairs. */
export function writeExtensions(w: Writer, exts: readonly (readonly [number, Uint8Array])[]): void {
  w.block(2, (b) => {
    for (const [type, data] of exts) b.u16(type).vec(2, data);
  });
}

// ---------------------------------------------------------------------------------------------
// ClientHello (RFC 8446 §4.1.2)

/** A parsed ClientHello. */
export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: Uint8Array;
  extensions: Extensions;
}

/** Parses a ClientHello body. */
export function parseClientHello(body: Uint8Array): ClientHello {
  const r = new Reader(body, 'ClientHello');
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vec(1, 0, 32);
  const suites = r.sub(2, 'cipher_suites', 2, 0xfffe);
  const cipherSuites: number[] = [];
  if (suites.remaining % 2 !== 0) throw decodeError('ClientHello: odd cipher_suites length');
  while (suites.remaining > 0) cipherSuites.push(suites.u16());
  const compressionMethods = r.vec(1, 1, 255);
  // A ClientHello without extensions is a TLS 1.2-or-earlier one; it lacks supported_versions.
  const extensions = r.remaining === 0 ? new Extensions() : Extensions.read(r, 'ClientHello');
  r.end();
  return { legacyVersion, random, sessionId, cipherSuites, compressionMethods, extensions };
}

/** Fields of a ClientHello to encode. */
export interface ClientHelloFields {
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: readonly number[];
  extensions: readonly (readonly [number, Uint8Array])[];
}

/** Encodes a ClientHello (whole handshake message). */
export function encodeClientHello(f: ClientHelloFields): Uint8Array {
  const w = new Writer(512);
  w.u16(LEGACY_VERSION).bytes(f.random).vec(1, f.sessionId);
  w.block(2, (b) => {
    for (const s of f.cipherSuites) b.u16(s);
  });
  w.vec(1, Uint8Array.of(0));
  writeExtensions(w, f.extensions);
  return handshakeMessage(HandshakeType.CLIENT_HELLO, w.finish());
}

// ---------------------------------------------------------------------------------------------
// ServerHello / HelloRetryRequest (RFC 8446 §4.1.3, §4.1.4)

/** A parsed ServerHello (or HelloRetryRequest). */
export interface ServerHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extensions;
}

/** Parses a ServerHello body. */
export function parseServerHello(body: Uint8Array): ServerHello {
  const r = new Reader(body, 'ServerHello');
  const legacyVersion = r.u16();
  const random = r.bytes(32);
  const sessionId = r.vec(1, 0, 32);
  const cipherSuite = r.u16();
  const compressionMethod = r.u8();
  const extensions = r.remaining === 0 ? new Extensions() : Extensions.read(r, 'ServerHello');
  r.end();
  return { legacyVersion, random, sessionId, cipherSuite, compressionMethod, extensions };
}

/** Encodes a ServerHello or HelloRetryRequest (whole handshake message). */
export function encodeServerHello(
  random: Uint8Array,
  sessionId: Uint8Array,
  cipherSuite: number,
  extensions: readonly (readonly [number, Uint8Array])[],
): Uint8Array {
  const w = new Writer(160);
  w.u16(LEGACY_VERSION).bytes(random).vec(1, sessionId).u16(cipherSuite).u8(0);
  writeExtensions(w, extensions);
  return handshakeMessage(HandshakeType.SERVER_HELLO, w.finish());
}

// ---------------------------------------------------------------------------------------------
// Extension bodies

/** supported_versions in a ClientHello: versions<2..254> (RFC 8446 §4.2.1). */
export function parseSupportedVersionsList(data: Uint8Array): number[] {
  const r = new Reader(data, 'supported_versions');
  const list = r.sub(1, 'supported_versions', 2, 254);
  r.end();
  if (list.remaining % 2 !== 0) throw decodeError('supported_versions: odd length');
  const out: number[] = [];
  while (list.remaining > 0) out.push(list.u16());
  return out;
}

/** A list of uint16 values with a 2-byte length (supported_groups, signature_algorithms). */
export function parseU16List(data: Uint8Array, what: string): number[] {
  const r = new Reader(data, what);
  const list = r.sub(2, what, 2, 0xfffe);
  r.end();
  if (list.remaining % 2 !== 0) throw decodeError(`${what}: odd length`);
  const out: number[] = [];
  while (list.remaining > 0) out.push(list.u16());
  return out;
}

/** Encodes a list of uint16 values with a 2-byte length. */
export function encodeU16List(values: readonly number[]): Uint8Array {
  const w = new Writer(2 + 2 * values.length);
  w.block(2, (b) => {
    for (const v of values) b.u16(v);
  });
  return w.finish();
}

/** One KeyShareEntry. */
export interface KeyShareEntry {
  group: number;
  keyExchange: Uint8Array;
}

/** key_share in a ClientHello: client_shares<0..2^16-1> (RFC 8446 §4.2.8). */
export function parseClientKeyShares(data: Uint8Array): KeyShareEntry[] {
  const r = new Reader(data, 'key_share');
  const list = r.sub(2, 'client_shares');
  r.end();
  const out: KeyShareEntry[] = [];
  while (list.remaining > 0) {
    const group = list.u16();
    const keyExchange = list.vec(2, 1);
    out.push({ group, keyExchange });
  }
  return out;
}

/** Encodes the ClientHello key_share. */
export function encodeClientKeyShares(shares: readonly KeyShareEntry[]): Uint8Array {
  const w = new Writer(128);
  w.block(2, (b) => {
    for (const s of shares) b.u16(s.group).vec(2, s.keyExchange);
  });
  return w.finish();
}

/** key_share in a ServerHello: one KeyShareEntry (RFC 8446 §4.2.8). */
export function parseServerKeyShare(data: Uint8Array): KeyShareEntry {
  const r = new Reader(data, 'key_share');
  const group = r.u16();
  const keyExchange = r.vec(2, 1);
  r.end();
  return { group, keyExchange };
}

/** Encodes a ServerHello key_share. */
export function encodeServerKeyShare(share: KeyShareEntry): Uint8Array {
  return new Writer(72).u16(share.group).vec(2, share.keyExchange).finish();
}

/** key_share in a HelloRetryRequest: selected_group (RFC 8446 §4.2.8). */
export function parseSelectedGroup(data: Uint8Array): number {
  const r = new Reader(data, 'key_share');
  const g = r.u16();
  r.end();
  return g;
}

/** A single uint16 (ServerHello supported_versions, HRR key_share). */
export function encodeU16(v: number): Uint8Array {
  return Uint8Array.of(v >>> 8, v & 0xff);
}

/** A single uint16 extension body, exactly 2 bytes. */
export function parseU16(data: Uint8Array, what: string): number {
  const r = new Reader(data, what);
  const v = r.u16();
  r.end();
  return v;
}

const latin1 = /* @__PURE__ */ new TextDecoder('latin1');
const utf8 = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true });
const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * server_name (RFC 6066 §3): the host_name entry, or undefined when the list has none. More
 * than one host_name is an illegal_parameter; a name that is not printable ASCII (RFC 6066
 * allows A-labels only) is a decode_error.
 */
export function parseServerName(data: Uint8Array): string | undefined {
  const r = new Reader(data, 'server_name');
  const list = r.sub(2, 'server_name_list', 1);
  r.end();
  let name: string | undefined;
  while (list.remaining > 0) {
    const type = list.u8();
    const value = list.vec(2, 1);
    if (type !== 0) continue;
    if (name !== undefined) throw illegalParameter('server_name: more than one host_name');
    for (const c of value) {
      if (c <= 0x20 || c >= 0x7f) throw decodeError('server_name: host_name is not printable ASCII');
    }
    name = latin1.decode(value);
  }
  return name;
}

/** Encodes server_name with one host_name. */
export function encodeServerName(host: string): Uint8Array {
  const name = encoder.encode(host);
  const w = new Writer(name.length + 5);
  w.block(2, (b) => b.u8(0).vec(2, name));
  return w.finish();
}

/** application_layer_protocol_negotiation (RFC 7301 §3.1): ProtocolName<1..2^8-1> list. */
export function parseAlpn(data: Uint8Array): string[] {
  const r = new Reader(data, 'ALPN');
  const list = r.sub(2, 'protocol_name_list', 2);
  r.end();
  const out: string[] = [];
  while (list.remaining > 0) {
    const p = list.vec(1, 1);
    try {
      out.push(utf8.decode(p));
    } catch {
      out.push(latin1.decode(p));
    }
  }
  return out;
}

/** Encodes an ALPN protocol list. */
export function encodeAlpn(protocols: readonly string[]): Uint8Array {
  const w = new Writer(64);
  w.block(2, (b) => {
    for (const p of protocols) b.vec(1, encoder.encode(p));
  });
  return w.finish();
}

/** cookie (RFC 8446 §4.2.2): opaque cookie<1..2^16-1>. */
export function parseCookie(data: Uint8Array): Uint8Array {
  const r = new Reader(data, 'cookie');
  const c = r.vec(2, 1);
  r.end();
  return c;
}

/** Encodes a cookie extension. */
export function encodeCookie(cookie: Uint8Array): Uint8Array {
  return new Writer(cookie.length + 2).vec(2, cookie).finish();
}

// ---------------------------------------------------------------------------------------------
// Certificate, CertificateRequest, CertificateVerify, Finished, NewSessionTicket, KeyUpdate

/** One CertificateEntry (RFC 8446 §4.4.2). */
export interface CertificateEntry {
  data: Uint8Array;
  extensions: Extensions;
}

/** A parsed Certificate message. */
export interface CertificateMessage {
  context: Uint8Array;
  entries: CertificateEntry[];
}

/** Parses a Certificate body (RFC 8446 §4.4.2). */
export function parseCertificateMessage(body: Uint8Array): CertificateMessage {
  const r = new Reader(body, 'Certificate');
  const context = r.vec(1);
  const list = r.sub(3, 'certificate_list');
  r.end();
  const entries: CertificateEntry[] = [];
  while (list.remaining > 0) {
    const data = list.vec(3, 1);
    const extensions = Extensions.read(list, 'CertificateEntry');
    entries.push({ data, extensions });
  }
  return { context, entries };
}

/** Encodes a Certificate message with no per-entry extensions. */
export function encodeCertificateMessage(context: Uint8Array, certs: readonly Uint8Array[]): Uint8Array {
  const w = new Writer(4096);
  w.vec(1, context);
  w.block(3, (b) => {
    for (const c of certs) b.vec(3, c).u16(0);
  });
  return handshakeMessage(HandshakeType.CERTIFICATE, w.finish());
}

/** A parsed CertificateRequest (RFC 8446 §4.3.2). */
export interface CertificateRequest {
  context: Uint8Array;
  extensions: Extensions;
}

/** Parses a CertificateRequest body. */
export function parseCertificateRequest(body: Uint8Array): CertificateRequest {
  const r = new Reader(body, 'CertificateRequest');
  const context = r.vec(1);
  const extensions = Extensions.read(r, 'CertificateRequest');
  r.end();
  return { context, extensions };
}

/** Encodes a CertificateRequest. */
export function encodeCertificateRequest(
  context: Uint8Array,
  extensions: readonly (readonly [number, Uint8Array])[],
): Uint8Array {
  const w = new Writer(64);
  w.vec(1, context);
  writeExtensions(w, extensions);
  return handshakeMessage(HandshakeType.CERTIFICATE_REQUEST, w.finish());
}

/** Parses a CertificateVerify body (RFC 8446 §4.4.3): algorithm and signature<0..2^16-1>. */
export function parseCertificateVerify(body: Uint8Array): { algorithm: number; signature: Uint8Array } {
  const r = new Reader(body, 'CertificateVerify');
  const algorithm = r.u16();
  const signature = r.vec(2);
  r.end();
  return { algorithm, signature };
}

/** Encodes a CertificateVerify. */
export function encodeCertificateVerify(algorithm: number, signature: Uint8Array): Uint8Array {
  return handshakeMessage(
    HandshakeType.CERTIFICATE_VERIFY,
    new Writer(4 + signature.length).u16(algorithm).vec(2, signature).finish(),
  );
}

const CV_PREFIX_SPACES = 64;
const CV_SERVER = /* @__PURE__ */ encoder.encode('TLS 1.3, server CertificateVerify');
const CV_CLIENT = /* @__PURE__ */ encoder.encode('TLS 1.3, client CertificateVerify');

/**
 * The content covered by a CertificateVerify signature (RFC 8446 §4.4.3): 64 spaces, the
 * context string, a zero byte and Transcript-Hash(Handshake Context, Certificate).
 */
export function certificateVerifyContent(server: boolean, transcriptHash: Uint8Array): Uint8Array {
  const ctx = server ? CV_SERVER : CV_CLIENT;
  const out = new Uint8Array(CV_PREFIX_SPACES + ctx.length + 1 + transcriptHash.length);
  out.fill(0x20, 0, CV_PREFIX_SPACES);
  out.set(ctx, CV_PREFIX_SPACES);
  out[CV_PREFIX_SPACES + ctx.length] = 0;
  out.set(transcriptHash, CV_PREFIX_SPACES + ctx.length + 1);
  return out;
}

/** A parsed NewSessionTicket (RFC 8446 §4.6.1). */
export interface NewSessionTicket {
  lifetime: number;
  ageAdd: number;
  nonce: Uint8Array;
  ticket: Uint8Array;
  extensions: Extensions;
}

/** Parses a NewSessionTicket body. */
export function parseNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const r = new Reader(body, 'NewSessionTicket');
  const lifetime = r.u32();
  const ageAdd = r.u32();
  const nonce = r.vec(1);
  const ticket = r.vec(2, 1);
  const extensions = Extensions.read(r, 'NewSessionTicket');
  r.end();
  // RFC 8446 §4.6.1: servers MUST NOT use any value greater than 604800 seconds (7 days).
  if (lifetime > 604800) throw illegalParameter('NewSessionTicket: ticket_lifetime over 7 days');
  return { lifetime, ageAdd, nonce, ticket, extensions };
}

/** Encodes a NewSessionTicket. */
export function encodeNewSessionTicket(lifetime: number, ageAdd: number, nonce: Uint8Array, ticket: Uint8Array): Uint8Array {
  const w = new Writer(ticket.length + 16);
  w.u32(lifetime).u32(ageAdd).vec(1, nonce).vec(2, ticket).u16(0);
  return handshakeMessage(HandshakeType.NEW_SESSION_TICKET, w.finish());
}

/** Extension types that a ServerHello may carry (RFC 8446 §4.2 table). */
export const SERVER_HELLO_EXTENSIONS: ReadonlySet<number> = /* @__PURE__ */ new Set([
  ExtensionType.KEY_SHARE,
  ExtensionType.PRE_SHARED_KEY,
  ExtensionType.SUPPORTED_VERSIONS,
]);

/** Extension types that a HelloRetryRequest may carry (RFC 8446 §4.2 table). */
export const HRR_EXTENSIONS: ReadonlySet<number> = /* @__PURE__ */ new Set([
  ExtensionType.KEY_SHARE,
  ExtensionType.COOKIE,
  ExtensionType.SUPPORTED_VERSIONS,
]);

/**
 * Extension types defined for messages other than EncryptedExtensions: receiving one of them
 * in EncryptedExtensions is an illegal_parameter (RFC 8446 §4.2).
 */
export const NOT_IN_ENCRYPTED_EXTENSIONS: ReadonlySet<number> = /* @__PURE__ */ new Set([
  ExtensionType.STATUS_REQUEST,
  ExtensionType.SIGNATURE_ALGORITHMS,
  ExtensionType.SIGNED_CERTIFICATE_TIMESTAMP,
  ExtensionType.PADDING,
  ExtensionType.PRE_SHARED_KEY,
  ExtensionType.SUPPORTED_VERSIONS,
  ExtensionType.COOKIE,
  ExtensionType.PSK_KEY_EXCHANGE_MODES,
  ExtensionType.CERTIFICATE_AUTHORITIES,
  ExtensionType.OID_FILTERS,
  ExtensionType.POST_HANDSHAKE_AUTH,
  ExtensionType.SIGNATURE_ALGORITHMS_CERT,
  ExtensionType.KEY_SHARE,
]);
