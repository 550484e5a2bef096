/**
 * PEM armour (RFC 7468): reading and writing `-----BEGIN LABEL-----` blocks of Base64 DER.
 *
 * The reader is tolerant where real files vary and strict where it matters: it accepts CRLF or
 * LF, blank lines, spaces and tabs, text before, between and after blocks (OpenSSL's
 * "ASN1 OID: SM2" line, an `EC PARAMETERS` block before the key), and any line length; it
 * rejects Base64 with characters outside the alphabet, bad padding, a missing or mismatched END
 * line, and RFC 1421 headers such as `Proc-Type: 4,ENCRYPTED` (encrypted PEM is not supported).
 *
 * ```ts
 * const [block] = pemDecodeAll(text);      // { label: 'PRIVATE KEY', der: Uint8Array }
 * pemEncode('PUBLIC KEY', spkiDer);        // 64-character lines, LF, trailing newline
 * ```
 * @module
 */
import { GuomiError } from './errors.js';

/** One PEM block. */
export interface PemBlock {
  /** The label, e.g. "PRIVATE KEY". */
  label: string;
  /** The decoded contents. */
  der: Uint8Array;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = /* @__PURE__ */ (() => {
  const t = new Int16Array(256).fill(-1);
  for (let i = 0; i < 64; i++) t[BASE64.charCodeAt(i)] = i;
  return t;
})();

/** Largest PEM text read (4 MiB): keys and certificates are far smaller. */
const MAX_TEXT = 4 << 20;

function fail(message: string): never {
  throw new GuomiError('ERR_DECODE', `PEM: ${message}`);
}

/** Strict Base64 (RFC 4648 §4) with whitespace already removed. */
function base64Decode(text: string): Uint8Array {
  if (text.length % 4 !== 0) fail('Base64 length is not a multiple of 4');
  let pad = 0;
  if (text.endsWith('==')) pad = 2;
  else if (text.endsWith('=')) pad = 1;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const v: number[] = [];
    for (let j = 0; j < 4; j++) {
      const ch = text.charCodeAt(i + j);
      if (ch === 0x3d && last && j >= 4 - pad) {
        v.push(0);
        continue;
      }
      const x = ch < 256 ? BASE64_VALUE[ch]! : -1;
      if (x < 0) fail('invalid Base64 character');
      v.push(x);
    }
    const n = (v[0]! << 18) | (v[1]! << 12) | (v[2]! << 6) | v[3]!;
    if (o < out.length) out[o++] = n >>> 16;
    if (o < out.length) out[o++] = (n >>> 8) & 0xff;
    if (o < out.length) out[o++] = n & 0xff;
    // Non-canonical padding bits (e.g. "QR==" for one byte) are rejected.
    if (last && pad === 2 && (v[1]! & 0x0f) !== 0) fail('non-canonical Base64 padding');
    if (last && pad === 1 && (v[2]! & 0x03) !== 0) fail('non-canonical Base64 padding');
  }
  return out;
}

function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[n >>> 18]! + BASE64[(n >>> 12) & 63]!;
    out += i + 1 < bytes.length ? BASE64[(n >>> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? BASE64[n & 63]! : '=';
  }
  return out;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/;
const END = /^-----END ([A-Z0-9 ]+)-----$/;

/**
 * Every PEM block in `text`, in order; text outside blocks is ignored.
 * @param text PEM text (a string, or bytes taken as ASCII/UTF-8)
 * @returns the blocks (possibly none)
 * @throws GuomiError ERR_DECODE for a malformed block; ERR_UNSUPPORTED for an encrypted one
 * @example pemDecodeAll(fs.readFileSync('key.pem', 'utf8')).map((b) => b.label)
 */
export function pemDecodeAll(text: string | Uint8Array): PemBlock[] {
  const str = typeof text === 'string' ? text : new TextDecoder().decode(text);
  if (str.length > MAX_TEXT) fail('text too long');
  const lines = str.split(/\r\n|\r|\n/);
  const blocks: PemBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const begin = BEGIN.exec(lines[i]!.trim());
    if (!begin) continue;
    const label = begin[1]!;
    let body = '';
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j]!.trim();
      const end = END.exec(line);
      if (end) {
        if (end[1] !== label) fail(`BEGIN ${label} ends with END ${end[1]}`);
        break;
      }
      if (BEGIN.test(line)) fail(`BEGIN ${label} has no END line`);
      if (line.includes(':')) {
        if (/^Proc-Type:.*ENCRYPTED/i.test(line)) {
          throw new GuomiError('ERR_UNSUPPORTED', 'encrypted PEM (Proc-Type: 4,ENCRYPTED) is not supported');
        }
        fail('RFC 1421 headers are not supported');
      }
      body += line.replace(/[ \t]/g, '');
    }
    if (j === lines.length) fail(`BEGIN ${label} has no END line`);
    blocks.push({ label, der: base64Decode(body) });
    i = j;
  }
  return blocks;
}

/**
 * The first PEM block whose label is one of `labels`.
 * @param text PEM text
 * @param labels acceptable labels, e.g. ['PRIVATE KEY', 'EC PRIVATE KEY']
 * @returns the block
 * @throws GuomiError ERR_DECODE if there is none or it is malformed
 * @example pemDecode(text, ['PUBLIC KEY']).der
 */
export function pemDecode(text: string | Uint8Array, labels: readonly string[]): PemBlock {
  const blocks = pemDecodeAll(text);
  const found = blocks.find((b) => labels.includes(b.label));
  if (found) return found;
  const seen = blocks.map((b) => b.label).join(', ') || 'no PEM block';
  fail(`expected ${labels.join(' or ')}, found ${seen}`);
}

/**
 * PEM text for `der` under `label`: 64-character Base64 lines, LF line ends, trailing newline.
 * @param label the label (upper-case letters, digits, spaces)
 * @param der the contents
 * @returns the PEM text
 * @throws RangeError for a label with other characters
 * @example pemEncode('PUBLIC KEY', der) // "-----BEGIN PUBLIC KEY-----\nMFkw…\n-----END PUBLIC KEY-----\n"
 */
export function pemEncode(label: string, der: Uint8Array): string {
  if (!/^[A-Z0-9 ]+$/.test(label)) throw new RangeError(`"label" must be upper-case letters, digits and spaces`);
  const b64 = base64Encode(der);
  let out = `-----BEGIN ${label}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += b64.slice(i, i + 64) + '\n';
  return out + `-----END ${label}-----\n`;
}
