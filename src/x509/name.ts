/**
 * Distinguished names (RFC 5280 §4.1.2.4): reading, printing in the RFC 4514 / RFC 2253 form
 * that `openssl x509 -nameopt RFC2253,-esc_msb` prints (UTF-8 text, including Chinese, left
 * unescaped), comparing for path building (RFC 5280 §7.1) and building from text.
 * @module
 */
import { TAG, derEncode, derExpect, derOid, derTlv, type DerNode } from '../der.js';
import { bytesToHex, hexToBytes, isBytes } from '../utils.js';
import { STRING_TAG, ascii, decodeDer, decodeString, x509Fail } from './asn1.js';
import { ATTRIBUTE_NAMES, ATTRIBUTE_OIDS } from './oids.js';

/** One AttributeTypeAndValue of a name. */
export interface X509Attribute {
  /** The attribute type OID, dotted. */
  readonly oid: string;
  /** OpenSSL's short name (CN, O, OU, C, ST, L, emailAddress, …) or the dotted OID. */
  readonly name: string;
  /** The value as text; values that are not strings are "#" + hex of their DER (RFC 4514 §2.4). */
  readonly value: string;
  /** The ASN.1 tag of the value (0x0c UTF8String, 0x13 PrintableString, 0x1e BMPString, …). */
  readonly tag: number;
  /** The DER of the value. */
  readonly raw: Uint8Array;
}

/** A relative distinguished name: one or more attributes (usually one). */
export type X509Rdn = readonly X509Attribute[];

/**
 * Anything {@link X509Name.from} reads: an X509Name; a string in RFC 4514 order
 * ("CN=Server,O=Example,C=CN" — most specific first, as printed) or OpenSSL's slash form
 * ("/C=CN/O=Example/CN=Server" — DER order); or [type, value] pairs in DER order.
 */
export type X509NameInput = X509Name | string | readonly (readonly [string, string])[];

/** The 1-byte and wide string types OpenSSL prints as text (others are dumped as #hex). */
const TEXT_TAGS = new Set<number>([
  STRING_TAG.UTF8, STRING_TAG.NUMERIC, STRING_TAG.PRINTABLE, STRING_TAG.TELETEX, STRING_TAG.IA5,
  TAG.UTC_TIME, TAG.GENERALIZED_TIME, STRING_TAG.VISIBLE, STRING_TAG.UNIVERSAL, STRING_TAG.BMP,
]);

const INTERNAL = Symbol('X509Name');

/**
 * A distinguished name.
 *
 * ```ts
 * cert.subject.toString();           // 'CN=ebssec.boc.cn,OU=SSL,O=中国银行股份有限公司,C=CN'
 * cert.subject.get('CN');            // ['ebssec.boc.cn']
 * cert.issuer.equals(ca.subject);    // RFC 5280 §7.1 comparison
 * X509Name.from('CN=My CA,O=Example,C=CN').der;
 * ```
 */
export class X509Name {
  /** The DER of the Name, exactly as read (or as built). */
  readonly der: Uint8Array;
  /** The RDNs in DER order (least specific, usually C, first). */
  readonly rdns: readonly X509Rdn[];
  #key: string | undefined;

  /** @internal Use X509Name.from() or read one from a certificate. */
  constructor(token: symbol, der: Uint8Array, rdns: readonly X509Rdn[]) {
    if (token !== INTERNAL) throw new TypeError('use X509Name.from()');
    this.der = der;
    this.rdns = rdns;
  }

  /**
   * A name from text, [type, value] pairs, or DER.
   * Strings: RFC 4514 ("CN=a,O=b,C=CN"; `\,` `\+` `\\` `\"` and `\XX` escapes; `+` joins a
   * multi-valued RDN; `#hex` gives a DER value) or, when it starts with "/", OpenSSL's
   * "/C=CN/O=b/CN=a". Types are short names (CN, O, OU, C, ST, L, street, emailAddress, DC,
   * UID, serialNumber, …), long names (commonName, …) or dotted OIDs. Values are written as
   * UTF8String, except countryName, serialNumber and dnQualifier (PrintableString) and
   * emailAddress and DC (IA5String), as RFC 5280 Appendix A requires.
   * @param input the name (or DER bytes of one)
   * @returns the name
   * @throws TypeError / RangeError for malformed text; GuomiError ERR_DECODE for malformed DER
   * @example X509Name.from('CN=测试 CA,O=Example,C=CN').toString()
   */
  static from(input: X509NameInput | Uint8Array): X509Name {
    if (input instanceof X509Name) return input;
    if (isBytes(input)) return parseName(decodeDer(input));
    let pairs: [string, string, boolean][];
    if (typeof input === 'string') pairs = parseNameString(input);
    else if (Array.isArray(input)) {
      pairs = input.map((p, i) => {
        if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
          throw new TypeError(`"name[${i}]" must be a [type, value] pair of strings`);
        }
        return [p[0], p[1], false];
      });
    } else {
      throw new TypeError('"name" must be a string, an array of [type, value] pairs or an X509Name');
    }
    const rdns: Uint8Array[][] = [];
    for (const [type, value, joined] of pairs) {
      const atv = encodeAttribute(type, value);
      if (joined && rdns.length > 0) rdns[rdns.length - 1]!.push(atv);
      else rdns.push([atv]);
    }
    const der = derEncode.sequence(...rdns.map((set) => derTlv(TAG.SET, concatSorted(set))));
    return parseName(decodeDer(der));
  }

  /**
   * The name as RFC 4514 text, most specific RDN first, exactly as
   * `openssl x509 -nameopt RFC2253,-esc_msb` prints it: short names, `\` before `,+"\<>;`
   * (and a leading `#` or space, a trailing space), `\XX` for control characters, non-ASCII
   * text as is, and values of unknown types or attributes as #hex of their DER.
   */
  toString(): string {
    const parts: string[] = [];
    const flat: [X509Attribute, number][] = [];
    this.rdns.forEach((rdn, i) => rdn.forEach((a) => flat.push([a, i])));
    let prev = -1;
    for (let k = flat.length - 1; k >= 0; k--) {
      const [a, set] = flat[k]!;
      if (prev !== -1) parts.push(prev === set ? '+' : ',');
      prev = set;
      parts.push(`${a.name}=${a.name === a.oid || !TEXT_TAGS.has(a.tag) ? `#${bytesToHex(a.raw)}` : escapeValue(a.value)}`);
    }
    return parts.join('');
  }

  /**
   * The values of every attribute of one type, in DER order.
   * @param type a short name ('CN'), long name ('commonName') or dotted OID
   * @example cert.subject.get('OU') // ['SSL', 'Local RA']
   */
  get(type: string): string[] {
    const oid = attributeOid(type);
    return this.rdns.flatMap((rdn) => rdn.filter((a) => a.oid === oid).map((a) => a.value));
  }

  /** The last (most specific) common name, if any. */
  get commonName(): string | undefined {
    const all = this.get('CN');
    return all[all.length - 1];
  }

  /** Whether the name has no RDNs. */
  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /**
   * Whether two names match by RFC 5280 §7.1: same RDNs in the same order, attribute values
   * compared after case folding and white-space compression (a simplified RFC 4518 string
   * preparation), so a PrintableString and a UTF8String with the same text are equal;
   * values that are not strings are compared as DER.
   * @param other another name
   */
  equals(other: X509Name): boolean {
    if (this === other) return true;
    if (this.der.length === other.der.length && this.der.every((b, i) => b === other.der[i])) return true;
    return this.matchKey === other.matchKey;
  }

  /** A string that is equal for two names exactly when {@link X509Name.equals} holds. */
  get matchKey(): string {
    if (this.#key === undefined) {
      this.#key = JSON.stringify(
        this.rdns.map((rdn) => rdn.map((a) => `${a.oid}=${TEXT_TAGS.has(a.tag) ? 's:' + prepare(a.value) : 'x:' + bytesToHex(a.raw)}`).sort()),
      );
    }
    return this.#key;
  }
}

/** RFC 4518-style preparation: NFKC, case fold, trim, runs of white space → one space. */
function prepare(value: string): string {
  return value.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

/** RFC 2253 escaping as OpenSSL's do_esc_char applies it under ASN1_STRFLGS_RFC2253 without ESC_MSB. */
function escapeValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((ch, i) => {
    const c = ch.codePointAt(0)!;
    if (c > 0x7f) out += ch;
    else if (',+"\\<>;'.includes(ch)) out += `\\${ch}`;
    else if ((i === 0 && (ch === '#' || ch === ' ')) || (i === chars.length - 1 && ch === ' ')) out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += ch;
  });
  return out;
}

/**
 * Reads a Name (RDNSequence).
 * @throws GuomiError ERR_DECODE if malformed
 */
export function parseName(node: DerNode | undefined): X509Name {
  const seq = derExpect(node, TAG.SEQUENCE);
  const rdns = seq.children.map((set) => {
    derExpect(set, TAG.SET);
    if (set.children.length === 0) x509Fail('empty RelativeDistinguishedName');
    return set.children.map((atv): X509Attribute => {
      derExpect(atv, TAG.SEQUENCE);
      if (atv.children.length !== 2) x509Fail('AttributeTypeAndValue must have 2 elements');
      const oid = derOid(atv.children[0]);
      const v = atv.children[1]!;
      const text = v.constructed ? undefined : decodeString(v);
      return {
        oid,
        name: ATTRIBUTE_NAMES[oid] ?? oid,
        value: text ?? `#${bytesToHex(v.raw)}`,
        tag: v.tag,
        raw: v.raw,
      };
    });
  });
  return new X509Name(INTERNAL, seq.raw, rdns);
}

/** The OID for an attribute type name or dotted OID. */
export function attributeOid(type: string): string {
  const t = type.trim();
  const dotted = t.replace(/^oid\./i, '');
  if (/^\d+(\.\d+)+$/.test(dotted)) return dotted;
  const oid = ATTRIBUTE_OIDS[t.toLowerCase()];
  if (!oid) throw new RangeError(`unknown name attribute type "${type}"`);
  return oid;
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

function encodeAttribute(type: string, value: string): Uint8Array {
  const oid = attributeOid(type);
  let encoded: Uint8Array;
  if (value.startsWith('#') && /^#([0-9a-fA-F]{2})+$/.test(value)) {
    encoded = hexToBytes(value.slice(1));
    decodeDer(encoded); // must be one DER element
  } else if (oid === '2.5.4.6' || oid === '2.5.4.5' || oid === '2.5.4.46') {
    if (!PRINTABLE.test(value)) {
      if (oid === '2.5.4.6') throw new RangeError(`countryName must be PrintableString text, got "${value}"`);
      encoded = derTlv(STRING_TAG.UTF8, new TextEncoder().encode(value));
    } else {
      encoded = derTlv(STRING_TAG.PRINTABLE, ascii(value));
    }
  } else if (oid === '1.2.840.113549.1.9.1' || oid === '0.9.2342.19200300.100.1.25') {
    // eslint-disable-next-line no-control-regex
    if (!/^[\x00-\x7f]*$/.test(value)) throw new RangeError(`${ATTRIBUTE_NAMES[oid]} must be ASCII (IA5String), got "${value}"`);
    encoded = derTlv(STRING_TAG.IA5, ascii(value));
  } else {
    encoded = derTlv(STRING_TAG.UTF8, new TextEncoder().encode(value));
  }
  return derEncode.sequence(derEncode.oid(oid), encoded);
}

/** DER SET OF: the encodings sorted (X.690 §11.6). */
function concatSorted(items: Uint8Array[]): Uint8Array {
  const sorted = [...items].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  const out = new Uint8Array(sorted.reduce((n, x) => n + x.length, 0));
  let off = 0;
  for (const s of sorted) {
    out.set(s, off);
    off += s.length;
  }
  return out;
}

/**
 * Splits name text into [type, value, joinedToPrevious] in DER order.
 * @throws RangeError for malformed text
 */
function parseNameString(text: string): [string, string, boolean][] {
  const slash = text.startsWith('/');
  const separators = slash ? '/' : ',;';
  const out: [string, string, boolean][] = [];
  const rdns: [string, string, boolean][][] = [];
  let current: [string, string, boolean][] = [];
  let i = slash ? 1 : 0;
  if (text.trim() === '' || text === '/') return [];
  while (i <= text.length) {
    // type
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new RangeError(`name: missing "=" in "${text.slice(i)}"`);
    const type = text.slice(i, eq).trim();
    if (!type) throw new RangeError(`name: empty attribute type at position ${i}`);
    let j = eq + 1;
    while (!slash && text[j] === ' ') j++;
    const bytes: number[] = [];
    let value = '';
    let kept = 0; // length of value up to and including the last escaped character
    const flush = (): void => {
      if (bytes.length) {
        value += new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(bytes));
        bytes.length = 0;
        kept = value.length;
      }
    };
    let end = j;
    for (; end < text.length; end++) {
      const ch = text[end]!;
      if (ch === '\\') {
        const next = text[end + 1];
        if (next === undefined) throw new RangeError('name: "\\" at the end');
        if (/[0-9a-fA-F]/.test(next) && /[0-9a-fA-F]/.test(text[end + 2] ?? '')) {
          bytes.push(parseInt(text.substr(end + 1, 2), 16));
          end += 2;
        } else {
          flush();
          value += next;
          kept = value.length;
          end += 1;
        }
        continue;
      }
      if (separators.includes(ch) || ch === '+') break;
      flush();
      value += ch;
    }
    flush();
    if (!slash) value = value.slice(0, Math.max(kept, value.trimEnd().length));
    current.push([type, value, current.length > 0]);
    if (end >= text.length || text[end] !== '+') {
      rdns.push(current);
      current = [];
    }
    i = end + 1;
    if (end >= text.length) break;
    while (!slash && text[i] === ' ') i++;
  }
  if (current.length) rdns.push(current);
  for (const rdn of slash ? rdns : rdns.reverse()) out.push(...rdn);
  return out;
}
