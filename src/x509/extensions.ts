/**
 * Certificate extensions (RFC 5280 §4.2): the types, readers for the standard extensions, and
 * writers for the ones guomi issues.
 * @module
 */
import { TAG, derEncode, derExpect, derOid, derSmallInteger, derTlv, type DerNode } from '../der.js';
import { bytesToHex } from '../utils.js';
import { ascii, decodeDer, decodeString, integerHex, latin1, x509Fail } from './asn1.js';
import { parseName, X509Name } from './name.js';
import { ACCESS_METHODS, KEY_PURPOSES, KEY_PURPOSE_NAMES, QUALIFIER, type KeyPurposeName } from './oids.js';

/** One extension as it appears in the certificate. */
export interface X509Extension {
  /** The extnID, dotted. */
  readonly oid: string;
  /** A display name (basicConstraints, keyUsage, …) or the OID. */
  readonly name: string;
  /** The critical flag. */
  readonly critical: boolean;
  /** The contents of extnValue (the DER of the extension's own structure). */
  readonly value: Uint8Array;
}

/** basicConstraints (RFC 5280 §4.2.1.9). The empty SEQUENCE `30 00` reads as CA:FALSE. */
export interface BasicConstraints {
  /** cA (DEFAULT FALSE). */
  readonly ca: boolean;
  /** pathLenConstraint, when present. */
  readonly pathLength?: number;
}

/** The named bits of keyUsage (RFC 5280 §4.2.1.3), in bit order 0–8. */
export const KEY_USAGE_FLAGS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** A keyUsage bit name. `nonRepudiation` is also called contentCommitment. */
export type KeyUsageFlag = (typeof KEY_USAGE_FLAGS)[number];

/** A GeneralName (RFC 5280 §4.2.1.6). */
export type GeneralName =
  | { readonly type: 'dns'; readonly value: string }
  | { readonly type: 'email'; readonly value: string }
  | { readonly type: 'uri'; readonly value: string }
  /**
   * An iPAddress: `value` is the text form (IPv4 dotted, IPv6 RFC 5952); in name constraints a
   * CIDR-like "address/mask-bits" (or "address/hexmask" for a non-contiguous mask).
   */
  | { readonly type: 'ip'; readonly value: string; readonly bytes: Uint8Array }
  | { readonly type: 'dirName'; readonly value: X509Name }
  | { readonly type: 'registeredId'; readonly value: string }
  /** otherName: `value` is the DER of the [0] EXPLICIT value. */
  | { readonly type: 'otherName'; readonly oid: string; readonly value: Uint8Array }
  /** x400Address / ediPartyName: `value` is the DER of the element. */
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly value: Uint8Array };

/** authorityKeyIdentifier (RFC 5280 §4.2.1.1). */
export interface AuthorityKeyIdentifier {
  /** keyIdentifier as lower-case hex. */
  readonly keyIdentifier?: string;
  readonly authorityCertIssuer?: readonly GeneralName[];
  /** authorityCertSerialNumber as lower-case hex. */
  readonly authorityCertSerialNumber?: string;
}

/** One PolicyInformation of certificatePolicies (RFC 5280 §4.2.1.4). */
export interface PolicyInformation {
  /** The policy OID (2.5.29.32.0 is anyPolicy). */
  readonly oid: string;
  readonly qualifiers: readonly {
    /** 1.3.6.1.5.5.7.2.1 (CPS) or 1.3.6.1.5.5.7.2.2 (user notice), or another OID. */
    readonly oid: string;
    /** The CPS URI, for a CPS qualifier. */
    readonly cps?: string;
    /** The explicitText of a user notice, when present. */
    readonly explicitText?: string;
  }[];
}

/** One DistributionPoint of cRLDistributionPoints (RFC 5280 §4.2.1.13). */
export interface DistributionPoint {
  readonly fullName?: readonly GeneralName[];
  /** nameRelativeToCRLIssuer, as the DER of the RDN. */
  readonly relativeName?: Uint8Array;
  /** The reason flags set, by name (keyCompromise, cACompromise, …). */
  readonly reasons?: readonly string[];
  readonly crlIssuer?: readonly GeneralName[];
}

/** One AccessDescription of authorityInfoAccess / subjectInfoAccess (RFC 5280 §4.2.2). */
export interface AccessDescription {
  /** The accessMethod OID. */
  readonly method: string;
  /** 'ocsp', 'caIssuers', 'timeStamping', 'caRepository' or the OID. */
  readonly methodName: string;
  readonly location: GeneralName;
}

/** nameConstraints (RFC 5280 §4.2.1.10). */
export interface NameConstraints {
  readonly permitted?: readonly GeneralName[];
  readonly excluded?: readonly GeneralName[];
}

// --- readers ---

function ia5(node: DerNode): string {
  return latin1(node.content);
}

function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const words: number[] = [];
    for (let i = 0; i < 16; i += 2) words.push((bytes[i]! << 8) | bytes[i + 1]!);
    // RFC 5952 §4.2: compress the longest run (length >= 2) of zero words, leftmost on ties.
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
      if (words[i] !== 0) {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && words[j] === 0) j++;
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    const hex = words.map((w) => w.toString(16));
    if (best < 0) return hex.join(':');
    return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
  }
  return bytesToHex(bytes);
}

/** The text form of an iPAddress GeneralName (4/16 bytes; 8/32 with a mask in name constraints). */
function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4 || bytes.length === 16) return formatIp(bytes);
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2;
    const mask = bytes.subarray(half);
    let bits = 0;
    let contiguous = true;
    for (let i = 0; i < mask.length * 8; i++) {
      const set = (mask[i >> 3]! & (0x80 >> (i & 7))) !== 0;
      if (set && bits !== i) contiguous = false;
      if (set) bits++;
    }
    return `${formatIp(bytes.subarray(0, half))}/${contiguous ? bits : bytesToHex(mask)}`;
  }
  return bytesToHex(bytes);
}

/** Reads one GeneralName. */
export function parseGeneralName(node: DerNode): GeneralName {
  switch (node.tag) {
    case 0xa0: {
      // otherName: [0] IMPLICIT SEQUENCE { type-id OID, value [0] EXPLICIT ANY }
      if (node.children.length !== 2 || node.children[1]!.tag !== 0xa0) x509Fail('bad otherName');
      return { type: 'otherName', oid: derOid(node.children[0]), value: node.children[1]!.raw };
    }
    case 0x81:
      return { type: 'email', value: ia5(node) };
    case 0x82:
      return { type: 'dns', value: ia5(node) };
    case 0xa3:
      return { type: 'x400Address', value: node.raw };
    case 0xa4:
      // directoryName: [4] EXPLICIT Name (a CHOICE, hence explicit)
      if (node.children.length !== 1) x509Fail('bad directoryName');
      return { type: 'dirName', value: parseName(node.children[0]) };
    case 0xa5:
      return { type: 'ediPartyName', value: node.raw };
    case 0x86:
      return { type: 'uri', value: ia5(node) };
    case 0x87: {
      const n = node.content.length;
      if (n !== 4 && n !== 16 && n !== 8 && n !== 32) x509Fail(`iPAddress of ${n} bytes`);
      return { type: 'ip', value: ipText(node.content), bytes: node.content };
    }
    case 0x88: {
      // registeredID: [8] IMPLICIT OBJECT IDENTIFIER
      const asOid = derTlv(TAG.OID, node.content);
      return { type: 'registeredId', value: derOid(decodeDer(asOid)) };
    }
    default:
      return x509Fail(`unknown GeneralName tag 0x${node.tag.toString(16)}`);
  }
}

/** Reads GeneralNames (SEQUENCE SIZE (1..MAX) OF GeneralName), or its implicitly tagged form. */
export function parseGeneralNames(node: DerNode, allowEmpty = false): GeneralName[] {
  if (!node.constructed) x509Fail('GeneralNames must be constructed');
  if (node.children.length === 0 && !allowEmpty) x509Fail('empty GeneralNames');
  return node.children.map(parseGeneralName);
}

/** basicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL } */
export function parseBasicConstraints(value: Uint8Array): BasicConstraints {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  let i = 0;
  let ca = false;
  if (seq.children[i]?.tag === TAG.BOOLEAN) ca = seq.children[i++]!.content[0] === 0xff;
  let pathLength: number | undefined;
  if (seq.children[i]?.tag === TAG.INTEGER) {
    const node = seq.children[i++]!;
    if (node.content[0]! & 0x80) x509Fail('negative pathLenConstraint');
    pathLength = node.content.length > 4 ? Number.MAX_SAFE_INTEGER : derSmallInteger(node);
  }
  if (i !== seq.children.length) x509Fail('bad basicConstraints');
  return pathLength === undefined ? { ca } : { ca, pathLength };
}

/** keyUsage ::= BIT STRING (named bits). */
export function parseKeyUsage(value: Uint8Array): KeyUsageFlag[] {
  const c = derExpect(decodeDer(value), TAG.BIT_STRING).content;
  const bits = (c.length - 1) * 8 - c[0]!;
  const out: KeyUsageFlag[] = [];
  for (let i = 0; i < Math.min(bits, KEY_USAGE_FLAGS.length); i++) {
    if (c[1 + (i >> 3)]! & (0x80 >> (i & 7))) out.push(KEY_USAGE_FLAGS[i]!);
  }
  return out;
}

/** extKeyUsage ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId; known purposes by name, others as OIDs. */
export function parseExtKeyUsage(value: Uint8Array): string[] {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  if (seq.children.length === 0) x509Fail('empty extKeyUsage');
  return seq.children.map((n) => {
    const oid = derOid(n);
    return KEY_PURPOSE_NAMES[oid] ?? oid;
  });
}

/** subjectAltName / issuerAltName ::= GeneralNames */
export function parseAltName(value: Uint8Array): GeneralName[] {
  return parseGeneralNames(derExpect(decodeDer(value), TAG.SEQUENCE));
}

/** subjectKeyIdentifier ::= OCTET STRING, as hex. */
export function parseSubjectKeyIdentifier(value: Uint8Array): string {
  return bytesToHex(derExpect(decodeDer(value), TAG.OCTET_STRING).content);
}

/** authorityKeyIdentifier ::= SEQUENCE { [0] keyIdentifier, [1] GeneralNames, [2] serial } */
export function parseAuthorityKeyIdentifier(value: Uint8Array): AuthorityKeyIdentifier {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  const out: { -readonly [K in keyof AuthorityKeyIdentifier]: AuthorityKeyIdentifier[K] } = {};
  let last = -1;
  for (const item of seq.children) {
    const n = item.tag & 0x1f;
    if ((item.tag & 0xc0) !== 0x80 || n > 2 || n <= last) x509Fail('bad authorityKeyIdentifier');
    last = n;
    if (item.tag === 0x80) out.keyIdentifier = bytesToHex(item.content);
    else if (item.tag === 0xa1) out.authorityCertIssuer = parseGeneralNames(item);
    else if (item.tag === 0x82) {
      if (item.content.length === 0) x509Fail('empty authorityCertSerialNumber');
      out.authorityCertSerialNumber = integerHex(decodeDer(derTlv(TAG.INTEGER, item.content)));
    } else x509Fail('bad authorityKeyIdentifier');
  }
  return out;
}

/** certificatePolicies ::= SEQUENCE SIZE (1..MAX) OF PolicyInformation */
export function parseCertificatePolicies(value: Uint8Array): PolicyInformation[] {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  return seq.children.map((pi) => {
    derExpect(pi, TAG.SEQUENCE);
    const oid = derOid(pi.children[0]);
    const quals = pi.children[1] ? derExpect(pi.children[1], TAG.SEQUENCE).children : [];
    if (pi.children.length > 2) x509Fail('bad PolicyInformation');
    return {
      oid,
      qualifiers: quals.map((q) => {
        derExpect(q, TAG.SEQUENCE);
        const qid = derOid(q.children[0]);
        const v = q.children[1];
        if (qid === QUALIFIER.CPS && v && !v.constructed) return { oid: qid, cps: decodeString(v) ?? '' };
        if (qid === QUALIFIER.USER_NOTICE && v?.tag === TAG.SEQUENCE) {
          const text = v.children.find((c) => !c.constructed);
          const explicitText = text ? decodeString(text) : undefined;
          return explicitText === undefined ? { oid: qid } : { oid: qid, explicitText };
        }
        return { oid: qid };
      }),
    };
  });
}

const REASONS = [
  'unused', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded',
  'cessationOfOperation', 'certificateHold', 'privilegeWithdrawn', 'aACompromise',
];

/** cRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint */
export function parseCrlDistributionPoints(value: Uint8Array): DistributionPoint[] {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  return seq.children.map((dp) => {
    derExpect(dp, TAG.SEQUENCE);
    const out: { -readonly [K in keyof DistributionPoint]: DistributionPoint[K] } = {};
    for (const item of dp.children) {
      if (item.tag === 0xa0) {
        // distributionPoint [0] DistributionPointName (a CHOICE, so explicit)
        const name = item.children[0];
        if (item.children.length !== 1 || !name) x509Fail('bad DistributionPointName');
        if (name.tag === 0xa0) out.fullName = parseGeneralNames(name);
        else if (name.tag === 0xa1) out.relativeName = name.raw;
        else x509Fail('bad DistributionPointName');
      } else if (item.tag === 0x81) {
        const c = item.content;
        const names: string[] = [];
        for (let i = 0; i < Math.min((c.length - 1) * 8, REASONS.length); i++) {
          if (c[1 + (i >> 3)]! & (0x80 >> (i & 7))) names.push(REASONS[i]!);
        }
        out.reasons = names;
      } else if (item.tag === 0xa2) out.crlIssuer = parseGeneralNames(item);
      else x509Fail('bad DistributionPoint');
    }
    return out;
  });
}

/** authorityInfoAccess / subjectInfoAccess ::= SEQUENCE SIZE (1..MAX) OF AccessDescription */
export function parseInfoAccess(value: Uint8Array): AccessDescription[] {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  return seq.children.map((ad) => {
    derExpect(ad, TAG.SEQUENCE);
    if (ad.children.length !== 2) x509Fail('bad AccessDescription');
    const method = derOid(ad.children[0]);
    return { method, methodName: ACCESS_METHODS[method] ?? method, location: parseGeneralName(ad.children[1]!) };
  });
}

/** nameConstraints ::= SEQUENCE { permittedSubtrees [0], excludedSubtrees [1] } of GeneralSubtree */
export function parseNameConstraints(value: Uint8Array): NameConstraints {
  const seq = derExpect(decodeDer(value), TAG.SEQUENCE);
  const out: { -readonly [K in keyof NameConstraints]: NameConstraints[K] } = {};
  const subtrees = (node: DerNode): GeneralName[] => {
    if (node.children.length === 0) x509Fail('empty GeneralSubtrees');
    return node.children.map((st) => {
      derExpect(st, TAG.SEQUENCE);
      // minimum [0] DEFAULT 0 and maximum [1] must be absent (RFC 5280 §4.2.1.10).
      if (st.children.length !== 1) x509Fail('GeneralSubtree minimum/maximum are not supported');
      return parseGeneralName(st.children[0]!);
    });
  };
  for (const item of seq.children) {
    if (item.tag === 0xa0 && !out.permitted) out.permitted = subtrees(item);
    else if (item.tag === 0xa1 && !out.excluded) out.excluded = subtrees(item);
    else x509Fail('bad nameConstraints');
  }
  if (!out.permitted && !out.excluded) x509Fail('empty nameConstraints');
  return out;
}

// --- writers ---

/** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING } */
export function encodeExtension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? derEncode.sequence(derEncode.oid(oid), Uint8Array.of(TAG.BOOLEAN, 1, 0xff), derEncode.octetString(value))
    : derEncode.sequence(derEncode.oid(oid), derEncode.octetString(value));
}

/** basicConstraints value: CA:FALSE is the empty SEQUENCE `30 00` (DER omits the DEFAULT). */
export function encodeBasicConstraints(ca: boolean, pathLength?: number): Uint8Array {
  const items: Uint8Array[] = [];
  if (ca) items.push(Uint8Array.of(TAG.BOOLEAN, 1, 0xff));
  if (ca && pathLength !== undefined) items.push(derEncode.smallInteger(pathLength));
  return derEncode.sequence(...items);
}

/** keyUsage value: a named-bit BIT STRING with trailing zero bits removed (X.690 §11.2.2). */
export function encodeKeyUsage(flags: readonly KeyUsageFlag[]): Uint8Array {
  let highest = -1;
  const bytes = new Uint8Array(2);
  for (const f of flags) {
    const i = KEY_USAGE_FLAGS.indexOf(f);
    bytes[i >> 3]! |= 0x80 >> (i & 7);
    highest = Math.max(highest, i);
  }
  if (highest < 0) throw new RangeError('"keyUsage" must name at least one usage');
  const used = (highest >> 3) + 1;
  const unused = used * 8 - 1 - highest;
  return derTlv(TAG.BIT_STRING, Uint8Array.of(unused, ...bytes.subarray(0, used)));
}

/** The OID for a key purpose name or dotted OID. */
export function keyPurposeOid(purpose: string): string {
  const oid = (KEY_PURPOSES as Record<string, string>)[purpose];
  if (oid) return oid;
  if (/^\d+(\.\d+)+$/.test(purpose)) return purpose;
  throw new RangeError(`unknown key purpose "${purpose}" (use ${Object.keys(KEY_PURPOSES).join(', ')} or an OID)`);
}

/** extKeyUsage value. */
export function encodeExtKeyUsage(purposes: readonly (KeyPurposeName | string)[]): Uint8Array {
  if (purposes.length === 0) throw new RangeError('"extKeyUsage" must name at least one purpose');
  return derEncode.sequence(...purposes.map((p) => derEncode.oid(keyPurposeOid(p))));
}

/**
 * Parses an IPv4 or IPv6 address (no zone id) to its 4 or 16 bytes, or returns undefined.
 * @example parseIp('::1') // 16 bytes
 */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1);
    if (parts.some((p) => Number(p) > 255 || (p.length > 1 && p.startsWith('0')))) return undefined;
    return Uint8Array.from(parts.map(Number));
  }
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  let s = text;
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail (RFC 4291 §2.2 form 3) becomes two hex groups.
    const four = parseIp(last);
    if (!four || four.length !== 4) return undefined;
    s = `${s.slice(0, lastColon + 1)}${((four[0]! << 8) | four[1]!).toString(16)}:${((four[2]! << 8) | four[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return undefined;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const words = [...head, ...new Array<number>(8 - total).fill(0), ...rest];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Subject alternative names to issue, by type. */
export interface AltNameInput {
  /** dNSName entries (ASCII; Unicode names are converted with IDNA, `*.` wildcards allowed). */
  dns?: readonly string[];
  /** iPAddress entries, IPv4 or IPv6 text. */
  ip?: readonly string[];
  /** rfc822Name entries. */
  email?: readonly string[];
  /** uniformResourceIdentifier entries. */
  uri?: readonly string[];
}

/** GeneralNames for the given names, in the order dns, ip, email, uri. */
export function encodeGeneralNames(names: AltNameInput, toAscii: (host: string) => string): Uint8Array {
  const items: Uint8Array[] = [];
  const list = (v: unknown, what: string): readonly string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new TypeError(`"subjectAltName.${what}" must be an array of strings`);
    return v as string[];
  };
  for (const d of list(names.dns, 'dns')) {
    const host = toAscii(d);
     
    if (!host || !/^[\x21-\x7e]+$/.test(host)) throw new RangeError(`"subjectAltName.dns": "${d}" is not a DNS name`);
    items.push(derTlv(0x82, ascii(host)));
  }
  for (const a of list(names.ip, 'ip')) {
    const bytes = parseIp(a);
    if (!bytes) throw new RangeError(`"subjectAltName.ip": "${a}" is not an IPv4 or IPv6 address`);
    items.push(derTlv(0x87, bytes));
  }
  for (const e of list(names.email, 'email')) {
     
    if (!/^[\x21-\x7e]+@[\x21-\x7e]+$/.test(e)) throw new RangeError(`"subjectAltName.email": "${e}" is not an ASCII mailbox`);
    items.push(derTlv(0x81, ascii(e)));
  }
  for (const u of list(names.uri, 'uri')) {
     
    if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[\x21-\x7e]+$/.test(u)) throw new RangeError(`"subjectAltName.uri": "${u}" is not an ASCII URI`);
    items.push(derTlv(0x86, ascii(u)));
  }
  if (items.length === 0) throw new RangeError('"subjectAltName" must name at least one entry');
  return derEncode.sequence(...items);
}

/** authorityKeyIdentifier value with only keyIdentifier. */
export function encodeAuthorityKeyIdentifier(keyId: Uint8Array): Uint8Array {
  return derEncode.sequence(derTlv(0x80, keyId));
}

/** cRLDistributionPoints value: one DistributionPoint per URI (fullName). */
export function encodeCrlDistributionPoints(uris: readonly string[]): Uint8Array {
  return derEncode.sequence(
    ...uris.map((u) => derEncode.sequence(derTlv(0xa0, derTlv(0xa0, derTlv(0x86, ascii(u)))))),
  );
}

/** authorityInfoAccess value from OCSP and caIssuers URIs. */
export function encodeAuthorityInfoAccess(ocsp: readonly string[], caIssuers: readonly string[]): Uint8Array {
  return derEncode.sequence(
    ...ocsp.map((u) => derEncode.sequence(derEncode.oid('1.3.6.1.5.5.7.48.1'), derTlv(0x86, ascii(u)))),
    ...caIssuers.map((u) => derEncode.sequence(derEncode.oid('1.3.6.1.5.5.7.48.2'), derTlv(0x86, ascii(u)))),
  );
}

/** certificatePolicies value: policy OIDs without qualifiers. */
export function encodeCertificatePolicies(oids: readonly string[]): Uint8Array {
  return derEncode.sequence(...oids.map((o) => derEncode.sequence(derEncode.oid(o))));
}

