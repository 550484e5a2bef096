/**
 * SM4 (GB/T 32907-2016) and its modes in plain TypeScript: ECB and CBC over whole blocks, CTR,
 * CFB-128 and OFB (NIST SP 800-38A, GB/T 17964-2021), GCM (NIST SP 800-38D; GB/T 36624-2018),
 * CCM (NIST SP 800-38C) and XTS (IEEE Std 1619 and GB/T 17964-2021), behind the Sm4Backend
 * interface.
 *
 * Imports nothing from `node:*`, so it also runs in browsers. **Not constant time**: the round
 * function uses four 256-entry T tables and GHASH an 8-bit multiplication table, both indexed by
 * secret data, so cache timing can leak key bits on a shared machine. The native backend has
 * table-free code; this one exists for portability (see the README).
 *
 * Performance notes (V8): the round keys and tables live in module-level typed arrays, which V8
 * optimises far better than arrays passed as parameters (about 1.5x here, as in pure/sm3.ts). Each
 * operation copies the key's round keys into the module scratch array `RK` (and GCM builds its
 * GHASH table in `HT`) and wipes them before returning; nothing in between calls out, so the
 * scratch is never shared by two operations.
 * Buffers are normalised to plain Uint8Array views so that element loads stay monomorphic.
 * @module
 */
import type {
  Sm4GcmState,
  Sm4Key,
  Sm4StreamMode,
  Sm4StreamState,
} from '../backend/types.js';
import { equalBytes } from '../utils.js';
import type { Sm4SyncBackend } from '../backend/sm4-job.js';

// ---------------------------------------------------------------------------------------------
// Constants (GB/T 32907-2016)

/** §6.2 S-box, transcribed from the table in the standard (row by row). */
const SBOX = /* @__PURE__ */ Uint8Array.from([
  0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
  0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
  0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
  0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
  0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
  0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
  0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
  0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
  0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
  0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
  0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
  0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
  0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
  0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
  0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
  0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
]);

/** §7.3 system parameter FK. */
const FK = /* @__PURE__ */ Int32Array.from([0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc]);

/** §7.3 fixed parameters CK_i: byte j of CK_i is (4i + j) · 7 mod 256. */
const CK = /* @__PURE__ */ (() => {
  const ck = new Int32Array(32);
  for (let i = 0; i < 32; i++) {
    let w = 0;
    for (let j = 0; j < 4; j++) w = (w << 8) | (((4 * i + j) * 7) & 0xff);
    ck[i] = w;
  }
  return ck;
})();

/**
 * The round transformation T = L ∘ τ (§6.2) as four tables: T0[b] = L(Sbox(b) << 24), and
 * T1, T2, T3 the same rotated right by 8, 16 and 24 bits, so that
 * T(x) = T0[x >>> 24] ^ T1[(x >>> 16) & 255] ^ T2[(x >>> 8) & 255] ^ T3[x & 255]
 * (L is linear and commutes with rotations).
 */
// Built by a function whose result is used: a statement-level IIFE marked pure (as this was)
// is deleted by tree-shaking bundlers (esbuild, rollup, terser), which left the tables all zero
// in browser bundles (.ci/package.sh caught it).
function roundTables(): [Int32Array, Int32Array, Int32Array, Int32Array] {
  const t0 = new Int32Array(256);
  const t1 = new Int32Array(256);
  const t2 = new Int32Array(256);
  const t3 = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const v = SBOX[b]! << 24;
    // §6.2 L(B) = B ^ (B <<< 2) ^ (B <<< 10) ^ (B <<< 18) ^ (B <<< 24)
    const l =
      v ^ ((v << 2) | (v >>> 30)) ^ ((v << 10) | (v >>> 22)) ^ ((v << 18) | (v >>> 14)) ^ ((v << 24) | (v >>> 8));
    t0[b] = l;
    t1[b] = (l >>> 8) | (l << 24);
    t2[b] = (l >>> 16) | (l << 16);
    t3[b] = (l >>> 24) | (l << 8);
  }
  return [t0, t1, t2, t3];
}
const [T0, T1, T2, T3] = /* @__PURE__ */ roundTables();

/**
 * GHASH reduction for a shift by 8 bits (SP 800-38D §6.3, R = 11100001 || 0^120): the byte e
 * shifted out of the low end holds the coefficients of x^120..x^127, which become
 * x^128..x^135 = x^k · R (k = 0..7); each contributes 0xE100 >>> k to the top 16 bits.
 */
const GHASH_RED = /* @__PURE__ */ (() => {
  const r = new Int32Array(256);
  for (let e = 0; e < 256; e++) {
    let v = 0;
    for (let k = 0; k < 8; k++) if (e & (0x80 >>> k)) v ^= 0xe100 >>> k;
    r[e] = v << 16;
  }
  return r;
})();

// ---------------------------------------------------------------------------------------------
// Scratch (module-level for speed; see the module comment)

/** The 32 round keys of the operation in progress (encryption or decryption order). */
const RK = /* @__PURE__ */ new Int32Array(32);
/** The GHASH table of the operation in progress (256 entries of 4 words). */
const HT = /* @__PURE__ */ new Int32Array(1024);
/** Output words of crypt(). */
const OUT = /* @__PURE__ */ new Int32Array(4);

function loadRoundKeys(rk: Int32Array, decrypt: boolean): void {
  RK.set(decrypt ? rk.subarray(32, 64) : rk.subarray(0, 32));
}

/** Wipes the scratch arrays that held key material. */
function wipeScratch(): void {
  RK.fill(0);
  OUT.fill(0);
}

/**
 * The 32 rounds of §7.1 on one block held in words, with the round keys in RK (encryption
 * order, or reversed for decryption, §7.2). Writes the output (X35, X34, X33, X32) to OUT.
 */
function crypt(x0: number, x1: number, x2: number, x3: number): void {
  const k = RK, a = T0, b = T1, c = T2, d = T3;
  for (let r = 0; r < 32; r += 4) {
    // X_{i+4} = X_i ^ T(X_{i+1} ^ X_{i+2} ^ X_{i+3} ^ rk_i), four rounds with rotating roles.
    let u = x1 ^ x2 ^ x3 ^ k[r]!;
    x0 ^= a[u >>> 24]! ^ b[(u >>> 16) & 255]! ^ c[(u >>> 8) & 255]! ^ d[u & 255]!;
    u = x2 ^ x3 ^ x0 ^ k[r + 1]!;
    x1 ^= a[u >>> 24]! ^ b[(u >>> 16) & 255]! ^ c[(u >>> 8) & 255]! ^ d[u & 255]!;
    u = x3 ^ x0 ^ x1 ^ k[r + 2]!;
    x2 ^= a[u >>> 24]! ^ b[(u >>> 16) & 255]! ^ c[(u >>> 8) & 255]! ^ d[u & 255]!;
    u = x0 ^ x1 ^ x2 ^ k[r + 3]!;
    x3 ^= a[u >>> 24]! ^ b[(u >>> 16) & 255]! ^ c[(u >>> 8) & 255]! ^ d[u & 255]!;
  }
  OUT[0] = x3;
  OUT[1] = x2;
  OUT[2] = x1;
  OUT[3] = x0;
}

/** Big-endian word at `o`. */
function rd(s: Uint8Array, o: number): number {
  return (s[o]! << 24) | (s[o + 1]! << 16) | (s[o + 2]! << 8) | s[o + 3]!;
}

/** Writes a big-endian word at `o`. */
function wr(d: Uint8Array, o: number, w: number): void {
  d[o] = w >>> 24;
  d[o + 1] = w >>> 16;
  d[o + 2] = w >>> 8;
  d[o + 3] = w;
}

/** A plain Uint8Array view of `u` (Buffers have another hidden class; see pure/sm3.ts). */
function plain(u: Uint8Array): Uint8Array {
  return u.constructor === Uint8Array ? u : new Uint8Array(u.buffer, u.byteOffset, u.length);
}

// ---------------------------------------------------------------------------------------------
// Keys

/**
 * Wipes the round keys of key objects that are collected without destroy(). The held value is
 * the round-key array, never the key object, so that registration does not keep it alive.
 */
const wipeOnCollect = /* @__PURE__ */ new FinalizationRegistry<Int32Array>((rk) => rk.fill(0));

/**
 * An expanded key: the §7.3 round keys in both orders and, once GCM has used the key, the GHASH
 * key H = E_K(0^128). One typed array, because every typed array of more than 64 bytes costs an
 * off-heap allocation and GC work (measurable when a key is made per message).
 */
class PureSm4Key implements Sm4Key {
  /** rk_0..rk_31 (encryption), rk_31..rk_0 (decryption, §7.2), then H in words 64..67. */
  readonly rk = new Int32Array(68);
  /** Whether words 64..67 hold H. */
  hasH = false;

  constructor(key: Uint8Array) {
    // §7.3: K_i = MK_i ^ FK_i; rk_i = K_{i+4} = K_i ^ T'(K_{i+1} ^ K_{i+2} ^ K_{i+3} ^ CK_i),
    // T' = L' ∘ τ with L'(B) = B ^ (B <<< 13) ^ (B <<< 23).
    let k0 = rd(key, 0) ^ FK[0]!, k1 = rd(key, 4) ^ FK[1]!, k2 = rd(key, 8) ^ FK[2]!, k3 = rd(key, 12) ^ FK[3]!;
    const rk = this.rk;
    for (let i = 0; i < 32; i++) {
      let t = k1 ^ k2 ^ k3 ^ CK[i]!;
      t = (SBOX[t >>> 24]! << 24) | (SBOX[(t >>> 16) & 255]! << 16) | (SBOX[(t >>> 8) & 255]! << 8) | SBOX[t & 255]!;
      t = t ^ ((t << 13) | (t >>> 19)) ^ ((t << 23) | (t >>> 9));
      const k4 = k0 ^ t;
      rk[i] = k4;
      rk[63 - i] = k4;
      k0 = k1;
      k1 = k2;
      k2 = k3;
      k3 = k4;
    }
    wipeOnCollect.register(this, rk, this);
  }

  destroy(): void {
    this.rk.fill(0);
    this.hasH = false;
    wipeOnCollect.unregister(this);
  }
}

const asKey = (k: Sm4Key): PureSm4Key => k as PureSm4Key;

// ---------------------------------------------------------------------------------------------
// ECB and CBC (SP 800-38A §6.1, §6.2) over whole blocks

function ecb(key: Sm4Key, decrypt: boolean, input: Uint8Array, output: Uint8Array): void {
  const src = plain(input), dst = plain(output), o = OUT;
  loadRoundKeys(asKey(key).rk, decrypt);
  for (let p = 0; p + 16 <= src.length; p += 16) {
    crypt(rd(src, p), rd(src, p + 4), rd(src, p + 8), rd(src, p + 12));
    wr(dst, p, o[0]!);
    wr(dst, p + 4, o[1]!);
    wr(dst, p + 8, o[2]!);
    wr(dst, p + 12, o[3]!);
  }
  wipeScratch();
}

function cbc(key: Sm4Key, decrypt: boolean, iv: Uint8Array, input: Uint8Array, output: Uint8Array): void {
  const src = plain(input), dst = plain(output), o = OUT;
  loadRoundKeys(asKey(key).rk, decrypt);
  let v0 = rd(iv, 0), v1 = rd(iv, 4), v2 = rd(iv, 8), v3 = rd(iv, 12);
  const n = src.length - (src.length % 16);
  if (!decrypt) {
    // C_j = E(P_j ^ C_{j-1}), C_0 = IV
    for (let p = 0; p < n; p += 16) {
      crypt(rd(src, p) ^ v0, rd(src, p + 4) ^ v1, rd(src, p + 8) ^ v2, rd(src, p + 12) ^ v3);
      v0 = o[0]!; v1 = o[1]!; v2 = o[2]!; v3 = o[3]!;
      wr(dst, p, v0); wr(dst, p + 4, v1); wr(dst, p + 8, v2); wr(dst, p + 12, v3);
    }
  } else {
    // P_j = D(C_j) ^ C_{j-1}; the ciphertext block is read before the output is written, so
    // input and output may be the same array.
    for (let p = 0; p < n; p += 16) {
      const c0 = rd(src, p), c1 = rd(src, p + 4), c2 = rd(src, p + 8), c3 = rd(src, p + 12);
      crypt(c0, c1, c2, c3);
      wr(dst, p, o[0]! ^ v0); wr(dst, p + 4, o[1]! ^ v1); wr(dst, p + 8, o[2]! ^ v2); wr(dst, p + 12, o[3]! ^ v3);
      v0 = c0; v1 = c1; v2 = c2; v3 = c3;
    }
  }
  wr(iv, 0, v0); wr(iv, 4, v1); wr(iv, 8, v2); wr(iv, 12, v3);
  wipeScratch();
}

// ---------------------------------------------------------------------------------------------
// Counter mode core, shared by CTR (128-bit counter, SP 800-38A §6.5 / B.1), GCM (inc32,
// SP 800-38D §6.2) and CCM (the counter field never overflows, so a 128-bit increment is exact).

/**
 * XORs `nblocks` whole blocks of keystream E(ctr), E(ctr+1), … into src → dst, with RK loaded.
 * `ctr` (4 words) is advanced past the blocks used. `inc32` increments only the low 32 bits.
 */
function ctrBlocks(
  ctr: Int32Array,
  inc32: boolean,
  src: Uint8Array,
  so: number,
  dst: Uint8Array,
  dOff: number,
  nblocks: number,
): void {
  const o = OUT;
  let c0 = ctr[0]!, c1 = ctr[1]!, c2 = ctr[2]!, c3 = ctr[3]!;
  for (let i = 0; i < nblocks; i++, so += 16, dOff += 16) {
    crypt(c0, c1, c2, c3);
    c3 = (c3 + 1) | 0;
    if (c3 === 0 && !inc32) {
      c2 = (c2 + 1) | 0;
      if (c2 === 0) {
        c1 = (c1 + 1) | 0;
        if (c1 === 0) c0 = (c0 + 1) | 0;
      }
    }
    wr(dst, dOff, rd(src, so) ^ o[0]!);
    wr(dst, dOff + 4, rd(src, so + 4) ^ o[1]!);
    wr(dst, dOff + 8, rd(src, so + 8) ^ o[2]!);
    wr(dst, dOff + 12, rd(src, so + 12) ^ o[3]!);
  }
  ctr[0] = c0; ctr[1] = c1; ctr[2] = c2; ctr[3] = c3;
}

/** Encrypts the counter block into `ks` (16 bytes) and advances the counter, with RK loaded. */
function ctrKeystream(ctr: Int32Array, inc32: boolean, ks: Uint8Array): void {
  ks.fill(0);
  ctrBlocks(ctr, inc32, ks, 0, ks, 0, 1);
}

/** XORs `len` bytes of keystream from counter `ctr` into src → dst (any length). */
function ctrXor(ctr: Int32Array, inc32: boolean, src: Uint8Array, dst: Uint8Array, len: number): void {
  const full = len >>> 4;
  ctrBlocks(ctr, inc32, src, 0, dst, 0, full);
  const rest = len & 15;
  if (rest > 0) {
    const ks = new Uint8Array(16);
    ctrKeystream(ctr, inc32, ks);
    const off = full * 16;
    for (let i = 0; i < rest; i++) dst[off + i] = src[off + i]! ^ ks[i]!;
    ks.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// CTR, CFB-128 and OFB streaming states (SP 800-38A §6.3–6.5)

const MODE_CTR = 0, MODE_CFB = 1, MODE_OFB = 2;

class PureStreamState implements Sm4StreamState {
  readonly #key: PureSm4Key;
  readonly #mode: number;
  readonly #decrypt: boolean;
  /** CTR: the next counter block; OFB: the last output block; CFB: the last ciphertext block. */
  readonly #reg = new Int32Array(4);
  /** Keystream of the current partial block; for CFB it collects the ciphertext bytes. */
  readonly #ks = new Uint8Array(16);
  /** Bytes of #ks used (16: none left). */
  #pos = 16;

  constructor(key: PureSm4Key, mode: Sm4StreamMode, decrypt: boolean, iv: Uint8Array) {
    this.#key = key;
    this.#mode = mode === 'ctr' ? MODE_CTR : mode === 'cfb' ? MODE_CFB : MODE_OFB;
    this.#decrypt = decrypt;
    for (let i = 0; i < 4; i++) this.#reg[i] = rd(iv, 4 * i);
  }

  /** Produces the next keystream block into #ks, with RK loaded. */
  #next(): void {
    const reg = this.#reg, ks = this.#ks, o = OUT;
    if (this.#mode === MODE_CTR) {
      ctrKeystream(reg, false, ks);
    } else {
      crypt(reg[0]!, reg[1]!, reg[2]!, reg[3]!);
      for (let i = 0; i < 4; i++) wr(ks, 4 * i, o[i]!);
      if (this.#mode === MODE_OFB) reg.set(o);
    }
    this.#pos = 0;
  }

  /** Byte-wise processing of src[i..end) against the current keystream block. */
  #bytes(src: Uint8Array, dst: Uint8Array, i: number, end: number): number {
    const ks = this.#ks, cfb = this.#mode === MODE_CFB, dec = this.#decrypt;
    let pos = this.#pos;
    while (pos < 16 && i < end) {
      const b = src[i]!;
      const x = b ^ ks[pos]!;
      dst[i] = x;
      // CFB feeds the ciphertext back: keep it in place of the used keystream byte.
      if (cfb) ks[pos] = dec ? b : x;
      pos++;
      i++;
    }
    this.#pos = pos;
    if (pos === 16 && cfb) for (let j = 0; j < 4; j++) this.#reg[j] = rd(ks, 4 * j);
    return i;
  }

  update(input: Uint8Array, output: Uint8Array): void {
    const src = plain(input), dst = plain(output), len = src.length;
    if (len === 0) return;
    loadRoundKeys(this.#key.rk, false);
    let i = this.#pos < 16 ? this.#bytes(src, dst, 0, len) : 0;
    const nblocks = (len - i) >>> 4;
    if (nblocks > 0) {
      const reg = this.#reg, o = OUT;
      if (this.#mode === MODE_CTR) {
        ctrBlocks(reg, false, src, i, dst, i, nblocks);
        i += nblocks * 16;
      } else {
        const cfb = this.#mode === MODE_CFB, dec = this.#decrypt;
        let r0 = reg[0]!, r1 = reg[1]!, r2 = reg[2]!, r3 = reg[3]!;
        for (let n = 0; n < nblocks; n++, i += 16) {
          crypt(r0, r1, r2, r3);
          const s0 = rd(src, i), s1 = rd(src, i + 4), s2 = rd(src, i + 8), s3 = rd(src, i + 12);
          const x0 = s0 ^ o[0]!, x1 = s1 ^ o[1]!, x2 = s2 ^ o[2]!, x3 = s3 ^ o[3]!;
          wr(dst, i, x0); wr(dst, i + 4, x1); wr(dst, i + 8, x2); wr(dst, i + 12, x3);
          if (!cfb) {
            r0 = o[0]!; r1 = o[1]!; r2 = o[2]!; r3 = o[3]!;
          } else if (dec) {
            r0 = s0; r1 = s1; r2 = s2; r3 = s3;
          } else {
            r0 = x0; r1 = x1; r2 = x2; r3 = x3;
          }
        }
        reg[0] = r0; reg[1] = r1; reg[2] = r2; reg[3] = r3;
      }
    }
    if (i < len) {
      this.#next();
      this.#bytes(src, dst, i, len);
    }
    wipeScratch();
  }

  destroy(): void {
    this.#reg.fill(0);
    this.#ks.fill(0);
    this.#pos = 16;
  }
}

// ---------------------------------------------------------------------------------------------
// GHASH (SP 800-38D §6.4) with an 8-bit table (Shoup's method)

/**
 * Fills `m` with the table M[b] = b · H for every byte b placed in the first byte of a block
 * (bit order of §6.3: the most significant bit of byte 0 is the coefficient of x^0); 256
 * entries of 4 words. H is taken from words 64..67 of the key (computed on first use).
 */
function ghashTable(key: PureSm4Key, m: Int32Array): void {
  const rk = key.rk;
  if (!key.hasH) {
    // H = E_K(0^128) (SP 800-38D §7.1 step 1). RK may be in use: keep and restore it.
    const saved = RK.slice();
    loadRoundKeys(rk, false);
    crypt(0, 0, 0, 0);
    rk.set(OUT, 64);
    key.hasH = true;
    RK.set(saved);
    saved.fill(0);
    OUT.fill(0);
  }
  let h0 = rk[64]!, h1 = rk[65]!, h2 = rk[66]!, h3 = rk[67]!;
  m[0] = 0; m[1] = 0; m[2] = 0; m[3] = 0;
  // M[0x80] = H, M[0x40] = H·x, …, M[0x01] = H·x^7 (multiplication by x is a right shift with
  // the reduction R = 0xE1 || 0^120, §6.3 Algorithm 1).
  for (let b = 0x80; b > 0; b >>>= 1) {
    const i = b * 4;
    m[i] = h0; m[i + 1] = h1; m[i + 2] = h2; m[i + 3] = h3;
    const carry = h3 & 1;
    h3 = (h3 >>> 1) | (h2 << 31);
    h2 = (h2 >>> 1) | (h1 << 31);
    h1 = (h1 >>> 1) | (h0 << 31);
    h0 = (h0 >>> 1) ^ (-carry & 0xe1000000);
  }
  // Linearity: M[a ^ b] = M[a] ^ M[b].
  for (let b = 2; b < 256; b <<= 1) {
    for (let j = 1; j < b; j++) {
      const d = (b + j) * 4, x = b * 4, y = j * 4;
      m[d] = m[x]! ^ m[y]!;
      m[d + 1] = m[x + 1]! ^ m[y + 1]!;
      m[d + 2] = m[x + 2]! ^ m[y + 2]!;
      m[d + 3] = m[x + 3]! ^ m[y + 3]!;
    }
  }
}

/**
 * Y = (Y ^ X_i) · H for `nblocks` whole blocks of src from `off`, with the table in HT.
 * `y` holds the 4 words of the accumulator.
 */
function ghashBlocks(y: Int32Array, src: Uint8Array, off: number, nblocks: number): void {
  const m = HT, red = GHASH_RED;
  let y0 = y[0]!, y1 = y[1]!, y2 = y[2]!, y3 = y[3]!;
  for (let n = 0; n < nblocks; n++, off += 16) {
    y0 ^= rd(src, off);
    y1 ^= rd(src, off + 4);
    y2 ^= rd(src, off + 8);
    y3 ^= rd(src, off + 12);
    // Horner from the last byte: Z = M[X15]; Z = Z·x^8 ^ M[Xj] for j = 14..0. Written out:
    // a loop here costs a third of the speed (the word and shift selection are not hoisted).
    let i = (y3 & 255) << 2;
    let z0 = m[i]!, z1 = m[i + 1]!, z2 = m[i + 2]!, z3 = m[i + 3]!;
    let r: number;
    i = ((y3 >>> 8) & 255) << 2; r = z3 & 255; // byte 14
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y3 >>> 16) & 255) << 2; r = z3 & 255; // byte 13
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y3 >>> 24) << 2; r = z3 & 255; // byte 12
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y2 & 255) << 2; r = z3 & 255; // byte 11
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y2 >>> 8) & 255) << 2; r = z3 & 255; // byte 10
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y2 >>> 16) & 255) << 2; r = z3 & 255; // byte 9
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y2 >>> 24) << 2; r = z3 & 255; // byte 8
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y1 & 255) << 2; r = z3 & 255; // byte 7
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y1 >>> 8) & 255) << 2; r = z3 & 255; // byte 6
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y1 >>> 16) & 255) << 2; r = z3 & 255; // byte 5
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y1 >>> 24) << 2; r = z3 & 255; // byte 4
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y0 & 255) << 2; r = z3 & 255; // byte 3
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y0 >>> 8) & 255) << 2; r = z3 & 255; // byte 2
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = ((y0 >>> 16) & 255) << 2; r = z3 & 255; // byte 1
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    i = (y0 >>> 24) << 2; r = z3 & 255; // byte 0
    z3 = ((z3 >>> 8) | (z2 << 24)) ^ m[i + 3]!; z2 = ((z2 >>> 8) | (z1 << 24)) ^ m[i + 2]!;
    z1 = ((z1 >>> 8) | (z0 << 24)) ^ m[i + 1]!; z0 = (z0 >>> 8) ^ red[r]! ^ m[i]!;
    y0 = z0; y1 = z1; y2 = z2; y3 = z3;
  }
  y[0] = y0; y[1] = y1; y[2] = y2; y[3] = y3;
}

/** GHASH of `len` bytes of src zero-padded to a whole number of blocks, into y (HT loaded). */
function ghashPadded(y: Int32Array, src: Uint8Array, len: number): void {
  const full = len >>> 4;
  ghashBlocks(y, src, 0, full);
  if (len & 15) {
    const last = new Uint8Array(16);
    last.set(src.subarray(full * 16, len));
    ghashBlocks(y, last, 0, 1);
    last.fill(0);
  }
}

/** GHASH of the length block [len(A)]_64 || [len(C)]_64 (in bits), into y (HT loaded). */
function ghashLengths(y: Int32Array, aadBytes: number, dataBytes: number): void {
  const b = new Uint8Array(16);
  wr(b, 0, Math.floor(aadBytes / 0x20000000));
  wr(b, 4, (aadBytes * 8) >>> 0);
  wr(b, 8, Math.floor(dataBytes / 0x20000000));
  wr(b, 12, (dataBytes * 8) >>> 0);
  ghashBlocks(y, b, 0, 1);
}

/**
 * Loads the GHASH table of `key` into HT (built there, or copied from `table` when the caller
 * keeps one) and the encryption round keys into RK.
 */
function loadGcm(key: PureSm4Key, table?: Int32Array): void {
  if (table) HT.set(table);
  else ghashTable(key, HT);
  loadRoundKeys(key.rk, false);
}

function unloadGcm(): void {
  HT.fill(0);
  wipeScratch();
}

/**
 * J0 (SP 800-38D §7.1 step 2): IV || 0^31 || 1 for a 96-bit IV, otherwise
 * GHASH(IV || 0^(s+64) || [len(IV)]_64). HT must be loaded.
 */
function gcmJ0(iv: Uint8Array): Int32Array {
  const j0 = new Int32Array(4);
  if (iv.length === 12) {
    j0[0] = rd(iv, 0); j0[1] = rd(iv, 4); j0[2] = rd(iv, 8); j0[3] = 1;
  } else {
    ghashPadded(j0, plain(iv), iv.length);
    ghashLengths(j0, 0, iv.length);
  }
  return j0;
}

/** T = E_K(J0) ^ S (full 16 bytes; §7.1 step 6), with RK loaded. */
function gcmTag(j0: Int32Array, s: Int32Array): Uint8Array {
  crypt(j0[0]!, j0[1]!, j0[2]!, j0[3]!);
  const t = new Uint8Array(16);
  for (let i = 0; i < 4; i++) wr(t, 4 * i, OUT[i]! ^ s[i]!);
  return t;
}

/** The first counter block inc32(J0). */
function inc32(j0: Int32Array): Int32Array {
  const c = j0.slice();
  c[3] = (c[3]! + 1) | 0;
  return c;
}

function gcmEncrypt(
  key: Sm4Key,
  iv: Uint8Array,
  aad: Uint8Array,
  input: Uint8Array,
  output: Uint8Array,
  tagLength: number,
): void {
  const k = asKey(key), src = plain(input), dst = plain(output), len = src.length;
  loadGcm(k);
  const j0 = gcmJ0(iv);
  // §7.1 steps 3–4: C = GCTR_K(inc32(J0), P).
  ctrXor(inc32(j0), true, src, dst, len);
  // Step 5: S = GHASH_H(A || 0^v || C || 0^u || [len(A)]_64 || [len(C)]_64).
  const s = new Int32Array(4);
  ghashPadded(s, plain(aad), aad.length);
  ghashPadded(s, dst, len);
  ghashLengths(s, aad.length, len);
  const tag = gcmTag(j0, s);
  dst.set(tag.subarray(0, tagLength), len);
  tag.fill(0);
  s.fill(0);
  j0.fill(0);
  unloadGcm();
}

function gcmDecrypt(
  key: Sm4Key,
  iv: Uint8Array,
  aad: Uint8Array,
  input: Uint8Array,
  tag: Uint8Array,
  output: Uint8Array,
): boolean {
  const k = asKey(key), src = plain(input), dst = plain(output), len = src.length;
  loadGcm(k);
  const j0 = gcmJ0(iv);
  // §7.2: the tag is recomputed over the ciphertext and compared (in constant time) before
  // any plaintext is produced.
  const s = new Int32Array(4);
  ghashPadded(s, plain(aad), aad.length);
  ghashPadded(s, src, len);
  ghashLengths(s, aad.length, len);
  const full = gcmTag(j0, s);
  const ok = equalBytes(full.subarray(0, tag.length), tag);
  full.fill(0);
  s.fill(0);
  if (ok) ctrXor(inc32(j0), true, src, dst, len);
  else dst.fill(0);
  j0.fill(0);
  unloadGcm();
  return ok;
}

/** Streaming GCM: AAD, then data in pieces of any length, then the tag. */
class PureGcmState implements Sm4GcmState {
  readonly #key: PureSm4Key;
  readonly #decrypt: boolean;
  /** This message's GHASH table (built once; a state sees many calls). */
  readonly #table = new Int32Array(1024);
  readonly #j0: Int32Array;
  readonly #ctr: Int32Array;
  /** GHASH accumulator. */
  readonly #y = new Int32Array(4);
  /** The partial block being collected for GHASH (AAD, then ciphertext). */
  readonly #buf = new Uint8Array(16);
  /** Keystream of the current partial data block. */
  readonly #ks = new Uint8Array(16);
  /** Bytes in #buf; during the data phase also the bytes of #ks used. */
  #n = 0;
  #aadLen = 0;
  #dataLen = 0;
  #inData = false;

  constructor(key: PureSm4Key, iv: Uint8Array, decrypt: boolean) {
    this.#key = key;
    this.#decrypt = decrypt;
    ghashTable(key, this.#table);
    loadGcm(key, this.#table);
    this.#j0 = gcmJ0(iv);
    unloadGcm();
    this.#ctr = inc32(this.#j0);
  }

  /** GHASHes the partial block zero-padded (the end of the AAD or of the data). */
  #flush(): void {
    if (this.#n > 0) {
      this.#buf.fill(0, this.#n);
      ghashBlocks(this.#y, this.#buf, 0, 1);
      this.#n = 0;
    }
  }

  aad(data: Uint8Array): void {
    const src = plain(data), len = src.length;
    if (len === 0) return;
    this.#aadLen += len;
    HT.set(this.#table);
    let i = 0;
    const buf = this.#buf;
    if (this.#n > 0) {
      while (this.#n < 16 && i < len) buf[this.#n++] = src[i++]!;
      if (this.#n < 16) {
        HT.fill(0);
        return;
      }
      ghashBlocks(this.#y, buf, 0, 1);
      this.#n = 0;
    }
    const nb = (len - i) >>> 4;
    ghashBlocks(this.#y, src, i, nb);
    i += nb * 16;
    while (i < len) buf[this.#n++] = src[i++]!;
    HT.fill(0);
  }

  update(input: Uint8Array, output: Uint8Array): void {
    const src = plain(input), dst = plain(output), len = src.length;
    loadGcm(this.#key, this.#table);
    if (!this.#inData) {
      this.#flush();
      this.#inData = true;
    }
    this.#dataLen += len;
    const buf = this.#buf, ks = this.#ks, dec = this.#decrypt, y = this.#y;
    let i = 0;
    if (this.#n > 0) {
      let n = this.#n;
      while (n < 16 && i < len) {
        const b = src[i]!, x = b ^ ks[n]!;
        dst[i] = x;
        buf[n++] = dec ? b : x;
        i++;
      }
      this.#n = n & 15;
      if (n === 16) ghashBlocks(y, buf, 0, 1);
    }
    const nb = (len - i) >>> 4;
    if (nb > 0) {
      // GHASH always runs over the ciphertext: before decryption (input and output may be the
      // same array), after encryption.
      if (dec) ghashBlocks(y, src, i, nb);
      ctrBlocks(this.#ctr, true, src, i, dst, i, nb);
      if (!dec) ghashBlocks(y, dst, i, nb);
      i += nb * 16;
    }
    if (i < len) {
      ctrKeystream(this.#ctr, true, ks);
      let n = 0;
      while (i < len) {
        const b = src[i]!, x = b ^ ks[n]!;
        dst[i] = x;
        buf[n++] = dec ? b : x;
        i++;
      }
      this.#n = n;
    }
    unloadGcm();
  }

  final(): Uint8Array {
    loadGcm(this.#key, this.#table);
    this.#flush();
    ghashLengths(this.#y, this.#aadLen, this.#dataLen);
    const tag = gcmTag(this.#j0, this.#y);
    unloadGcm();
    this.destroy();
    return tag;
  }

  destroy(): void {
    this.#j0.fill(0);
    this.#ctr.fill(0);
    this.#y.fill(0);
    this.#buf.fill(0);
    this.#ks.fill(0);
    this.#table.fill(0);
  }
}

// ---------------------------------------------------------------------------------------------
// CCM (SP 800-38C §6.1, §6.2; formatting of Appendix A)

/** CBC-MAC over `len` bytes of src zero-padded to whole blocks: y = E(y ^ block) (RK loaded). */
function cbcMac(y: Int32Array, src: Uint8Array, len: number): void {
  const o = OUT;
  let y0 = y[0]!, y1 = y[1]!, y2 = y[2]!, y3 = y[3]!;
  const full = len & ~15;
  for (let p = 0; p < full; p += 16) {
    crypt(y0 ^ rd(src, p), y1 ^ rd(src, p + 4), y2 ^ rd(src, p + 8), y3 ^ rd(src, p + 12));
    y0 = o[0]!; y1 = o[1]!; y2 = o[2]!; y3 = o[3]!;
  }
  if (full < len) {
    const last = new Uint8Array(16);
    last.set(src.subarray(full, len));
    crypt(y0 ^ rd(last, 0), y1 ^ rd(last, 4), y2 ^ rd(last, 8), y3 ^ rd(last, 12));
    y0 = o[0]!; y1 = o[1]!; y2 = o[2]!; y3 = o[3]!;
    last.fill(0);
  }
  y[0] = y0; y[1] = y1; y[2] = y2; y[3] = y3;
}

/**
 * The CCM tag T (full 16 bytes, before masking) over B0, the encoded AAD and the payload
 * (§6.1 steps 1–4 with the A.2 formatting), with RK loaded.
 */
function ccmMac(nonce: Uint8Array, aad: Uint8Array, payload: Uint8Array, tagLength: number): Int32Array {
  const q = 15 - nonce.length;
  // A.2.1: B0 = flags || N || Q, flags = 64·Adata + 8·[(t-2)/2] + [q-1].
  const b0 = new Uint8Array(16);
  b0[0] = (aad.length > 0 ? 0x40 : 0) | (((tagLength - 2) / 2) << 3) | (q - 1);
  b0.set(nonce, 1);
  for (let i = 15, v = payload.length; i > nonce.length; i--, v = Math.floor(v / 256)) b0[i] = v & 255;
  const y = new Int32Array(4);
  cbcMac(y, b0, 16);
  if (aad.length > 0) {
    // A.2.2: the AAD length a is encoded in 2 bytes if a < 2^16 - 2^8, as 0xFFFE || 4 bytes if
    // a < 2^32, otherwise 0xFFFF || 8 bytes; the encoding and the AAD are then zero-padded.
    const a = aad.length;
    const first = new Uint8Array(16);
    let h: number;
    if (a < 0xff00) {
      first[0] = a >>> 8; first[1] = a & 255; h = 2;
    } else if (a <= 0xffffffff) {
      first[0] = 0xff; first[1] = 0xfe; wr(first, 2, a); h = 6;
    } else {
      first[0] = 0xff; first[1] = 0xff; wr(first, 2, Math.floor(a / 0x100000000)); wr(first, 6, a >>> 0); h = 10;
    }
    const take = Math.min(a, 16 - h);
    first.set(aad.subarray(0, take), h);
    cbcMac(y, first, h + take);
    first.fill(0);
    if (take < a) cbcMac(y, aad.subarray(take), a - take);
  }
  cbcMac(y, payload, payload.length);
  return y;
}

/** Ctr_0 = [q-1] || N || 0^q (A.3). */
function ccmCtr0(nonce: Uint8Array): Int32Array {
  const b = new Uint8Array(16);
  b[0] = 14 - nonce.length;
  b.set(nonce, 1);
  return Int32Array.from([rd(b, 0), rd(b, 4), rd(b, 8), rd(b, 12)]);
}

function ccmEncrypt(
  key: Sm4Key,
  nonce: Uint8Array,
  aad: Uint8Array,
  input: Uint8Array,
  output: Uint8Array,
  tagLength: number,
): void {
  const src = plain(input), dst = plain(output), len = src.length;
  loadRoundKeys(asKey(key).rk, false);
  const t = ccmMac(nonce, plain(aad), src, tagLength);
  const ctr = ccmCtr0(nonce);
  // S_0 = E(Ctr_0) masks the tag; C = P ^ MSB_Plen(S_1 || S_2 || …) (§6.1 steps 5–8).
  crypt(ctr[0]!, ctr[1]!, ctr[2]!, ctr[3]!);
  const tag = new Uint8Array(16);
  for (let i = 0; i < 4; i++) wr(tag, 4 * i, t[i]! ^ OUT[i]!);
  ctr[3] = (ctr[3]! + 1) | 0;
  ctrXor(ctr, false, src, dst, len);
  dst.set(tag.subarray(0, tagLength), len);
  tag.fill(0);
  t.fill(0);
  ctr.fill(0);
  wipeScratch();
}

function ccmDecrypt(
  key: Sm4Key,
  nonce: Uint8Array,
  aad: Uint8Array,
  input: Uint8Array,
  tag: Uint8Array,
  output: Uint8Array,
): boolean {
  const src = plain(input), dst = plain(output), len = src.length;
  loadRoundKeys(asKey(key).rk, false);
  const ctr = ccmCtr0(nonce);
  crypt(ctr[0]!, ctr[1]!, ctr[2]!, ctr[3]!);
  const mask = new Uint8Array(16);
  for (let i = 0; i < 4; i++) wr(mask, 4 * i, OUT[i]!);
  ctr[3] = (ctr[3]! + 1) | 0;
  // §6.2: the payload must be decrypted to recompute the MAC; it is wiped unless the tag
  // (compared in constant time) verifies.
  ctrXor(ctr, false, src, dst, len);
  const t = ccmMac(nonce, plain(aad), dst, tag.length);
  const full = new Uint8Array(16);
  for (let i = 0; i < 4; i++) wr(full, 4 * i, t[i]! ^ rd(mask, 4 * i));
  const ok = equalBytes(full.subarray(0, tag.length), tag);
  if (!ok) dst.fill(0);
  full.fill(0);
  mask.fill(0);
  t.fill(0);
  ctr.fill(0);
  wipeScratch();
  return ok;
}

// ---------------------------------------------------------------------------------------------
// XTS (IEEE Std 1619-2018 §5.3, §5.4; GB/T 17964-2021) with ciphertext stealing

/**
 * T ← T · α. 'gb' (GB/T 17964-2021): the tweak is a big-endian bit string in the GCM order, so
 * α multiplies by a right shift with 0xE1 folded into the first byte. 'ieee' (IEEE 1619 §5.2):
 * the tweak is a little-endian integer shifted left, with 0x87 folded into byte 0.
 * t holds the tweak as 4 big-endian words.
 */
function xtsDouble(t: Int32Array, gb: boolean): void {
  let t0 = t[0]!, t1 = t[1]!, t2 = t[2]!, t3 = t[3]!;
  if (gb) {
    const carry = t3 & 1;
    t3 = (t3 >>> 1) | (t2 << 31);
    t2 = (t2 >>> 1) | (t1 << 31);
    t1 = (t1 >>> 1) | (t0 << 31);
    t0 = (t0 >>> 1) ^ (-carry & 0xe1000000);
  } else {
    // Bytes b0..b15 (b0 least significant). Each byte shifts left by one; the top bit of b_i
    // moves to the bottom of b_{i+1}: within a word that is 15 bits down, across words from the
    // lowest byte of one word to the highest byte of the next.
    const carry = (t3 >>> 7) & 1;
    t3 = ((t3 << 1) & 0xfefefefe) | ((t3 >>> 15) & 0x00010101) | ((t2 & 0x80) << 17);
    t2 = ((t2 << 1) & 0xfefefefe) | ((t2 >>> 15) & 0x00010101) | ((t1 & 0x80) << 17);
    t1 = ((t1 << 1) & 0xfefefefe) | ((t1 >>> 15) & 0x00010101) | ((t0 & 0x80) << 17);
    t0 = (((t0 << 1) & 0xfefefefe) | ((t0 >>> 15) & 0x00010101)) ^ (-carry & 0x87000000);
  }
  t[0] = t0; t[1] = t1; t[2] = t2; t[3] = t3;
}

/** One XTS block: dst = E(src ^ T) ^ T at the given offsets (RK loaded). */
function xtsBlock(t: Int32Array, src: Uint8Array, so: number, dst: Uint8Array, dOff: number): void {
  const t0 = t[0]!, t1 = t[1]!, t2 = t[2]!, t3 = t[3]!, o = OUT;
  crypt(rd(src, so) ^ t0, rd(src, so + 4) ^ t1, rd(src, so + 8) ^ t2, rd(src, so + 12) ^ t3);
  wr(dst, dOff, o[0]! ^ t0);
  wr(dst, dOff + 4, o[1]! ^ t1);
  wr(dst, dOff + 8, o[2]! ^ t2);
  wr(dst, dOff + 12, o[3]! ^ t3);
}

function xts(
  key1: Sm4Key,
  key2: Sm4Key,
  tweak: Uint8Array,
  variant: 'gb' | 'ieee',
  decrypt: boolean,
  input: Uint8Array,
  output: Uint8Array,
): void {
  const src = plain(input), dst = plain(output), len = src.length, gb = variant === 'gb';
  // T = E_K2(i).
  loadRoundKeys(asKey(key2).rk, false);
  crypt(rd(tweak, 0), rd(tweak, 4), rd(tweak, 8), rd(tweak, 12));
  const t = OUT.slice();
  loadRoundKeys(asKey(key1).rk, decrypt);
  const rest = len & 15;
  // With a partial last block, the last full block is handled by ciphertext stealing.
  const plainBlocks = (len >>> 4) - (rest > 0 ? 1 : 0);
  let p = 0;
  for (let j = 0; j < plainBlocks; j++, p += 16) {
    xtsBlock(t, src, p, dst, p);
    xtsDouble(t, gb);
  }
  if (rest > 0) {
    // IEEE 1619 §5.3.2 / §5.4.2. Encryption: CC = E(P_{m-1}) under T_{m-1}; C_m = CC[0..b);
    // C_{m-1} = E(P_m || CC[b..16)) under T_m. Decryption uses T_m first, then T_{m-1}.
    const tPrev = t.slice();
    xtsDouble(t, gb);
    const first = decrypt ? t : tPrev, second = decrypt ? tPrev : t;
    const cc = new Uint8Array(16);
    xtsBlock(first, src, p, cc, 0);
    const pp = new Uint8Array(16);
    for (let i = 0; i < rest; i++) pp[i] = src[p + 16 + i]!;
    for (let i = rest; i < 16; i++) pp[i] = cc[i]!;
    for (let i = 0; i < rest; i++) dst[p + 16 + i] = cc[i]!;
    xtsBlock(second, pp, 0, dst, p);
    cc.fill(0);
    pp.fill(0);
    tPrev.fill(0);
  }
  t.fill(0);
  wipeScratch();
}

// ---------------------------------------------------------------------------------------------

/** The SM4 part of the pure backend (sm4Async is added in backend/pure.ts from these). */
export const pureSm4: Sm4SyncBackend = {
  sm4ExpandKey: (key) => new PureSm4Key(key),
  sm4Ecb: ecb,
  sm4Cbc: cbc,
  sm4Stream: (key, mode, decrypt, iv) => new PureStreamState(asKey(key), mode, decrypt, iv),
  sm4GcmEncrypt: gcmEncrypt,
  sm4GcmDecrypt: gcmDecrypt,
  sm4GcmStream: (key, iv, decrypt) => new PureGcmState(asKey(key), iv, decrypt),
  sm4CcmEncrypt: ccmEncrypt,
  sm4CcmDecrypt: ccmDecrypt,
  sm4Xts: xts,
};
