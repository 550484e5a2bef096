/**
 * Hex pseudonyms (`<tag><hex digest>`) made as flat strings.
 *
 * Why not `tag + buf.toString('hex', …)`: that gives a concatenation (a rope of two strings),
 * which a logger then reads character by character to escape it; pino spends more on such a
 * rope than on the flat string of the same text (measured with 20-field records and 5 hashed
 * fields: ~0.4–0.6 µs a record, about a tenth of pino's whole cost with the hasher). Here every
 * token of a batch is written, tag and hex digits, into one byte buffer, which becomes one
 * Latin-1 string; each token is a substring of it (flat).
 *
 * The hex digits are written two at a time through a 16-bit view, with the digest byte as the
 * table index: the digests are the published pseudonyms, not secrets.
 * @module
 */

/** The two ASCII hex digits of each byte, as one 16-bit word in this machine's byte order. */
const HEX_PAIRS = /* @__PURE__ */ (() => {
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const digits = '0123456789abcdef';
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    const hi = digits.charCodeAt(b >> 4);
    const lo = digits.charCodeAt(b & 15);
    t[b] = littleEndian ? hi | (lo << 8) : (hi << 8) | lo;
  }
  return t;
})();

/** Writes batches of hex tokens with one tag; see the module documentation. */
export class HexTokens {
  /** 0 or 1 byte before the tag, so that the hex digits start at an even offset. */
  readonly #pad: number;
  /** Bytes per token slot: pad, tag, hex digits (even). */
  readonly #slot: number;
  readonly #tag: Buffer;
  readonly #digestLength: number;
  #bytes: Buffer = Buffer.alloc(0);
  #pairs: Uint16Array = new Uint16Array(0);
  #all = '';

  /**
   * @param tag the text in front of every digest (ASCII: the prefix and key ID are checked)
   * @param digestLength digest bytes kept, 1..32
   */
  constructor(tag: string, digestLength: number) {
    this.#tag = Buffer.from(tag, 'latin1');
    this.#pad = this.#tag.length & 1;
    this.#digestLength = digestLength;
    this.#slot = this.#pad + this.#tag.length + 2 * digestLength;
  }

  /** Makes the tokens of digests 0..n-1 of `digests` (32 bytes apart); read them with token(). */
  write(digests: Uint8Array, n: number): void {
    const slot = this.#slot;
    if (this.#bytes.length < n * slot) this.#grow(n);
    const pairs = this.#pairs;
    const hexStart = this.#pad + this.#tag.length; // even
    for (let i = 0; i < n; i++) {
      const at = (i * slot + hexStart) >> 1;
      const from = 32 * i;
      for (let j = 0; j < this.#digestLength; j++) pairs[at + j] = HEX_PAIRS[digests[from + j]!]!;
    }
    this.#all = this.#bytes.toString('latin1', 0, n * slot);
  }

  /** Token i of the last write. */
  token(i: number): string {
    return this.#all.substring(i * this.#slot + this.#pad, (i + 1) * this.#slot);
  }

  /** Room for n slots, each with its tag already in place. */
  #grow(n: number): void {
    const slots = Math.max(n, 2 * (this.#bytes.length / this.#slot));
    const memory = new ArrayBuffer(slots * this.#slot); // its own memory: aligned for the 16-bit view
    this.#bytes = Buffer.from(memory);
    this.#pairs = new Uint16Array(memory);
    for (let i = 0; i < slots; i++) this.#tag.copy(this.#bytes, i * this.#slot + this.#pad);
  }
}
