/**
 * SM3 (GB/T 32905-2016) and the functions built on it, in plain TypeScript: HMAC-SM3 (RFC 2104),
 * the SM2 KDF (GB/T 32918.4-2016 §5.4.3), HKDF (RFC 5869) and PBKDF2 (RFC 8018 §5.2).
 *
 * Imports nothing from `node:*` so that it also runs in browsers. The arithmetic is on 32-bit
 * integers (`| 0`, `>>> 0`), which V8 keeps unboxed.
 * @module
 */
import type { HashState, Sm3Backend } from '../backend/types.js';
import { copyBytes, writeU32BE, wipe } from '../utils.js';

const BLOCK = 64;
const DIGEST = 32;

/** §4.1 initial value. */
const IV = /* @__PURE__ */ Int32Array.from([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
]);

/** §4.2: T_j <<< (j mod 32), precomputed. */
const T = /* @__PURE__ */ (() => {
  const t = new Int32Array(64);
  for (let j = 0; j < 64; j++) {
    const base = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const r = j % 32;
    t[j] = r === 0 ? base : (base << r) | (base >>> (32 - r));
  }
  return t;
})();


/**
 * Scratch space for the 68 expanded message words. A module constant rather than a parameter:
 * V8 then knows the array and removes its bounds and pointer reloads (1.5x faster). compress()
 * never calls out, so it is not re-entered while using it, and wipes it before returning.
 */
const W = /* @__PURE__ */ new Int32Array(68);

/** Compresses `nblocks` 64-byte blocks of `data` from `offset` into `state` (§5.3). */
function compress(state: Int32Array, data: Uint8Array, offset: number, nblocks: number): void {
  const w = W;
  // Rotations are written out inline: this function holds ~200 of them, more than V8's
  // cumulative inlining budget, and calls to a rotl() helper past that budget halve the speed.
  let h0 = state[0]!, h1 = state[1]!, h2 = state[2]!, h3 = state[3]!;
  let h4 = state[4]!, h5 = state[5]!, h6 = state[6]!, h7 = state[7]!;
  for (let blk = 0; blk < nblocks; blk++, offset += BLOCK) {
    for (let j = 0; j < 16; j++) {
      const o = offset + 4 * j;
      w[j] = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
    }
    // §5.3.2 expansion: W[j] = P1(W[j-16] ^ W[j-9] ^ (W[j-3] <<< 15)) ^ (W[j-13] <<< 7) ^ W[j-6]
    for (let j = 16; j < 68; j++) {
      const x = w[j - 16]! ^ w[j - 9]! ^ ((w[j - 3]! << 15) | (w[j - 3]! >>> 17));
      w[j] = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((w[j - 13]! << 7) | (w[j - 13]! >>> 25)) ^ w[j - 6]!;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    let a12: number, ss1: number, tt2: number;
    // §5.3.3 compression, unrolled four times with the roles of the variables rotating instead
    // of moving values around: after each round the new A is written over D and the new E over
    // H (B and F are rotated in place), so the next round reads (D,A,B,C,H,E,F,G), and so on.
    // Rounds 0..15: FF = GG = x ^ y ^ z.
    for (let j = 0; j < 16; j += 4) {
      a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + T[j]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      d = ((a ^ b ^ c) + d + (ss1 ^ a12) + (w[j]! ^ w[j + 4]!)) | 0;
      tt2 = ((e ^ f ^ g) + h + ss1 + w[j]!) | 0;
      b = ((b << 9) | (b >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + T[j + 1]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      c = ((d ^ a ^ b) + c + (ss1 ^ a12) + (w[j + 1]! ^ w[j + 5]!)) | 0;
      tt2 = ((h ^ e ^ f) + g + ss1 + w[j + 1]!) | 0;
      a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + T[j + 2]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      b = ((c ^ d ^ a) + b + (ss1 ^ a12) + (w[j + 2]! ^ w[j + 6]!)) | 0;
      tt2 = ((g ^ h ^ e) + f + ss1 + w[j + 2]!) | 0;
      d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((b << 12) | (b >>> 20)); ss1 = (a12 + f + T[j + 3]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      a = ((b ^ c ^ d) + a + (ss1 ^ a12) + (w[j + 3]! ^ w[j + 7]!)) | 0;
      tt2 = ((f ^ g ^ h) + e + ss1 + w[j + 3]!) | 0;
      c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    // Rounds 16..63: FF(x,y,z) = majority = (x & y) | (z & (x | y)) and
    // GG(x,y,z) = (x & y) | (~x & z) = ((y ^ z) & x) ^ z.
    for (let j = 16; j < 64; j += 4) {
      a12 = ((a << 12) | (a >>> 20)); ss1 = (a12 + e + T[j]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      d = (((a & b) | (c & (a | b))) + d + (ss1 ^ a12) + (w[j]! ^ w[j + 4]!)) | 0;
      tt2 = ((((f ^ g) & e) ^ g) + h + ss1 + w[j]!) | 0;
      b = ((b << 9) | (b >>> 23)); f = ((f << 19) | (f >>> 13)); h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((d << 12) | (d >>> 20)); ss1 = (a12 + h + T[j + 1]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      c = (((d & a) | (b & (d | a))) + c + (ss1 ^ a12) + (w[j + 1]! ^ w[j + 5]!)) | 0;
      tt2 = ((((e ^ f) & h) ^ f) + g + ss1 + w[j + 1]!) | 0;
      a = ((a << 9) | (a >>> 23)); e = ((e << 19) | (e >>> 13)); g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((c << 12) | (c >>> 20)); ss1 = (a12 + g + T[j + 2]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      b = (((c & d) | (a & (c | d))) + b + (ss1 ^ a12) + (w[j + 2]! ^ w[j + 6]!)) | 0;
      tt2 = ((((h ^ e) & g) ^ e) + f + ss1 + w[j + 2]!) | 0;
      d = ((d << 9) | (d >>> 23)); h = ((h << 19) | (h >>> 13)); f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

      a12 = ((b << 12) | (b >>> 20)); ss1 = (a12 + f + T[j + 3]!) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25);
      a = (((b & c) | (d & (b | c))) + a + (ss1 ^ a12) + (w[j + 3]! ^ w[j + 7]!)) | 0;
      tt2 = ((((g ^ h) & f) ^ h) + e + ss1 + w[j + 3]!) | 0;
      c = ((c << 9) | (c >>> 23)); g = ((g << 19) | (g >>> 13)); e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
    }
    // V(i+1) = ABCDEFGH xor V(i).
    h0 ^= a; h1 ^= b; h2 ^= c; h3 ^= d; h4 ^= e; h5 ^= f; h6 ^= g; h7 ^= h;
  }
  state[0] = h0; state[1] = h1; state[2] = h2; state[3] = h3;
  state[4] = h4; state[5] = h5; state[6] = h6; state[7] = h7;
  w.fill(0);
}

/** A streaming SM3 state. */
class Sm3State implements HashState {
  private readonly state = new Int32Array(8);
  private readonly buffer = new Uint8Array(BLOCK);
  private buffered = 0;
  /** Bytes hashed so far, as a double: exact up to 2^53, far beyond any real input. */
  private length = 0;

  constructor(from?: Sm3State) {
    if (from) {
      this.state.set(from.state);
      this.buffer.set(from.buffer);
      this.buffered = from.buffered;
      this.length = from.length;
    } else {
      this.state.set(IV);
    }
  }

  update(input: Uint8Array): void {
    // Buffers and plain Uint8Arrays have different hidden classes; giving compress() only plain
    // Uint8Arrays keeps its element loads monomorphic (about 25% faster).
    const data =
      input.constructor === Uint8Array
        ? input
        : new Uint8Array(input.buffer, input.byteOffset, input.length);
    let off = 0;
    const len = data.length;
    this.length += len;
    if (this.buffered > 0) {
      const take = Math.min(len, BLOCK - this.buffered);
      this.buffer.set(data.subarray(0, take), this.buffered);
      this.buffered += take;
      off = take;
      if (this.buffered < BLOCK) return;
      compress(this.state, this.buffer, 0, 1);
      this.buffered = 0;
    }
    const blocks = Math.floor((len - off) / BLOCK);
    if (blocks > 0) {
      compress(this.state, data, off, blocks);
      off += blocks * BLOCK;
    }
    if (off < len) {
      this.buffer.set(data.subarray(off), 0);
      this.buffered = len - off;
    }
  }

  digest(): Uint8Array {
    // §5.2 padding: 0x80, zeros to 56 mod 64, then the bit length as 64-bit big-endian.
    const buf = this.buffer;
    let n = this.buffered;
    buf[n++] = 0x80;
    if (n > 56) {
      buf.fill(0, n);
      compress(this.state, buf, 0, 1);
      n = 0;
    }
    buf.fill(0, n, 56);
    const bits = this.length * 8;
    writeU32BE(buf, 56, Math.floor(bits / 0x100000000));
    writeU32BE(buf, 60, bits >>> 0);
    compress(this.state, buf, 0, 1);
    const out = new Uint8Array(DIGEST);
    for (let i = 0; i < 8; i++) writeU32BE(out, 4 * i, this.state[i]!);
    this.destroy();
    return out;
  }

  clone(): Sm3State {
    return new Sm3State(this);
  }

  destroy(): void {
    wipe(this.buffer);
    this.state.fill(0);
  }
}

function sm3(data: Uint8Array): Uint8Array {
  const s = new Sm3State();
  s.update(data);
  return s.digest();
}

/** HMAC-SM3 state: the inner and outer hashes after the padded key block (RFC 2104 §2). */
class HmacSm3State implements HashState {
  private readonly inner: Sm3State;
  private readonly outer: Sm3State;

  constructor(key: Uint8Array | null, from?: HmacSm3State) {
    if (from) {
      this.inner = from.inner.clone();
      this.outer = from.outer.clone();
      return;
    }
    const block = new Uint8Array(BLOCK);
    // Keys longer than the block are hashed first.
    block.set(key!.length > BLOCK ? sm3(key!) : key!);
    for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36;
    this.inner = new Sm3State();
    this.inner.update(block);
    for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36 ^ 0x5c;
    this.outer = new Sm3State();
    this.outer.update(block);
    wipe(block);
  }

  update(data: Uint8Array): void {
    this.inner.update(data);
  }

  digest(): Uint8Array {
    const inner = this.inner.digest();
    this.outer.update(inner);
    wipe(inner);
    return this.outer.digest();
  }

  clone(): HmacSm3State {
    return new HmacSm3State(null, this);
  }

  destroy(): void {
    this.inner.destroy();
    this.outer.destroy();
  }
}

function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new HmacSm3State(key);
  s.update(data);
  return s.digest();
}

/** The prepared key: the states after the ipad and opad blocks, as 16 Int32 words (64 bytes). */
function hmacSm3Prepare(key: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK);
  block.set(key.length > BLOCK ? sm3(key) : key);
  const words = new Int32Array(16);
  for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36;
  const inner = words.subarray(0, 8), outer = words.subarray(8, 16);
  inner.set(IV);
  compress(inner, block, 0, 1);
  for (let i = 0; i < BLOCK; i++) block[i]! ^= 0x36 ^ 0x5c;
  outer.set(IV);
  compress(outer, block, 0, 1);
  wipe(block);
  return new Uint8Array(words.buffer);
}

/** Scratch for finishing a message: up to two padding blocks. */
const PAD = /* @__PURE__ */ new Uint8Array(2 * BLOCK);

/** Hashes data[start, end) into `state` (after one prefix block), pads, writes the digest at out[at]. */
function finishFrom(state: Int32Array, data: Uint8Array, start: number, end: number, out: Uint8Array, at: number): void {
  const len = end - start;
  const full = Math.floor(len / BLOCK);
  if (full > 0) compress(state, data, start, full);
  const rest = len - full * BLOCK;
  PAD.fill(0);
  PAD.set(data.subarray(start + full * BLOCK, end));
  PAD[rest] = 0x80;
  const blocks = rest < 56 ? 1 : 2;
  const bits = (BLOCK + len) * 8;
  writeU32BE(PAD, blocks * BLOCK - 8, Math.floor(bits / 0x100000000));
  writeU32BE(PAD, blocks * BLOCK - 4, bits >>> 0);
  compress(state, PAD, 0, blocks);
  for (let i = 0; i < 8; i++) writeU32BE(out, at + 4 * i, state[i]!);
}

function hmacSm3Batch(prepared: Uint8Array, which: Uint32Array, data: Uint8Array, ends: Uint32Array, out: Uint8Array): void {
  // The prepared words are read in place when 4-byte aligned, from a copy otherwise.
  const keys =
    prepared.byteOffset % 4 === 0
      ? new Int32Array(prepared.buffer, prepared.byteOffset, prepared.length / 4)
      : new Int32Array(copyBytes(prepared).buffer);
  const state = new Int32Array(8);
  const inner = new Uint8Array(DIGEST);
  let start = 0;
  for (let i = 0; i < which.length; i++) {
    const k = 16 * which[i]!;
    state.set(keys.subarray(k, k + 8));
    finishFrom(state, data, start, ends[i]!, inner, 0);
    state.set(keys.subarray(k + 8, k + 16));
    finishFrom(state, inner, 0, DIGEST, out, DIGEST * i);
    start = ends[i]!;
  }
  wipe(inner, PAD);
  state.fill(0);
}

function sm3Kdf(z: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const base = new Sm3State();
  base.update(z);
  const ct = new Uint8Array(4);
  for (let counter = 1, off = 0; off < length; counter++, off += DIGEST) {
    const s = base.clone();
    writeU32BE(ct, 0, counter);
    s.update(ct);
    const d = s.digest();
    out.set(d.subarray(0, Math.min(DIGEST, length - off)), off);
    wipe(d);
  }
  base.destroy();
  return out;
}

function hkdfSm3Expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const keyed = new HmacSm3State(prk);
  let t: Uint8Array = new Uint8Array(0);
  const counter = new Uint8Array(1);
  for (let i = 1, off = 0; off < length; i++, off += DIGEST) {
    // T(i) = HMAC(PRK, T(i-1) || info || i)
    const s = keyed.clone();
    s.update(t);
    s.update(info);
    counter[0] = i;
    s.update(counter);
    wipe(t);
    t = s.digest();
    out.set(t.subarray(0, Math.min(DIGEST, length - off)), off);
  }
  wipe(t);
  keyed.destroy();
  return out;
}

function pbkdf2Sm3(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Uint8Array {
  const out = new Uint8Array(length);
  const keyed = new HmacSm3State(password);
  const index = new Uint8Array(4);
  for (let block = 1, off = 0; off < length; block++, off += DIGEST) {
    // U1 = PRF(P, S || INT(i)); Uj = PRF(P, Uj-1); T = U1 ^ U2 ^ … ^ Uc
    const s = keyed.clone();
    s.update(salt);
    writeU32BE(index, 0, block);
    s.update(index);
    let u = s.digest();
    const acc = u.slice();
    for (let j = 1; j < iterations; j++) {
      const next = keyed.clone();
      next.update(u);
      wipe(u);
      u = next.digest();
      for (let k = 0; k < DIGEST; k++) acc[k]! ^= u[k]!;
    }
    out.set(acc.subarray(0, Math.min(DIGEST, length - off)), off);
    wipe(u, acc);
  }
  keyed.destroy();
  return out;
}

/** The SM3 part of the pure backend. */
export const pureSm3: Sm3Backend = {
  sm3,
  sm3Create: () => new Sm3State(),
  hmacSm3,
  hmacSm3Create: (key) => new HmacSm3State(key),
  hmacSm3Prepare,
  hmacSm3Batch,
  sm3Kdf,
  hkdfSm3Extract: (salt, ikm) => hmacSm3(salt, ikm),
  hkdfSm3Expand,
  pbkdf2Sm3,
  pbkdf2Sm3Async: (password, salt, iterations, length) => {
    // No threads in the pure backend: copy the inputs now and run on a later tick, so that the
    // caller is never blocked synchronously and may reuse its buffers.
    // (Uint8Array's slice, not Buffer's, which would return a view of the caller's memory.)
    const p = copyBytes(password);
    const s = copyBytes(salt);
    return new Promise((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(pbkdf2Sm3(p, s, iterations, length));
        } catch (err) {
          reject(err);
        } finally {
          wipe(p, s);
        }
      }, 0);
    });
  },
};
