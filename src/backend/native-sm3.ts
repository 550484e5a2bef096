/**
 * The SM3 family on the native addon. Streaming states are C++ structs kept in JS-owned
 * Uint8Arrays (the GC owns them; clone() is a byte copy; destroy() zeroes them).
 * @module
 */
import type { HashState, Sm3Backend } from './types.js';
import type { NativeAddon } from './addon.js';

/**
 * A Uint8Array whose memory lives outside the V8 heap. V8 keeps typed arrays of up to 64 bytes
 * on its heap, and handing one of those to native code forces V8 to move it first; a view of an
 * explicitly created ArrayBuffer is always outside, so states and small outputs use this.
 */
export function offHeap(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

/**
 * One off-heap 32-byte buffer that every fixed-size output is written into and then copied out
 * of with slice(). Allocating a fresh off-heap buffer costs a malloc per call, and a fresh small
 * Uint8Array lives on the V8 heap and must be moved before native code can write it; this is
 * ~40% faster for a 64-byte sm3(). JavaScript is single-threaded within an isolate and async work
 * never writes here, so sharing it is safe.
 */
const scratch32 = /* @__PURE__ */ offHeap(32);

/** Copies the scratch out and wipes it (outputs such as HMAC tags may be key material). */
function takeScratch(): Uint8Array {
  const out = scratch32.slice();
  scratch32.fill(0);
  return out;
}

class NativeHashState implements HashState {
  constructor(
    private readonly addon: NativeAddon,
    private readonly state: Uint8Array,
    private readonly hmac: boolean,
  ) {}

  update(data: Uint8Array): void {
    if (this.hmac) this.addon.hmacSm3Update(this.state, data);
    else this.addon.sm3Update(this.state, data);
  }

  digest(): Uint8Array {
    if (this.hmac) this.addon.hmacSm3Final(this.state, scratch32);
    else this.addon.sm3Final(this.state, scratch32);
    return takeScratch();
  }

  clone(): HashState {
    const copy = offHeap(this.state.length);
    copy.set(this.state);
    return new NativeHashState(this.addon, copy, this.hmac);
  }

  destroy(): void {
    this.state.fill(0);
  }
}

export function nativeSm3(addon: NativeAddon): Sm3Backend {
  return {
    sm3(data) {
      addon.sm3(data, scratch32);
      return takeScratch();
    },
    sm3Create() {
      const state = offHeap(addon.sm3StateSize);
      addon.sm3Init(state);
      return new NativeHashState(addon, state, false);
    },
    hmacSm3(key, data) {
      addon.hmacSm3(key, data, scratch32);
      return takeScratch();
    },
    hmacSm3Create(key) {
      const state = offHeap(addon.hmacSm3StateSize);
      addon.hmacSm3Init(state, key);
      return new NativeHashState(addon, state, true);
    },
    hmacSm3Prepare(key) {
      const out = offHeap(64);
      addon.hmacSm3Prepare(key, out);
      return out;
    },
    hmacSm3Batch(prepared, which, data, ends, out) {
      addon.hmacSm3Batch(prepared, which, data, ends, out);
    },
    sm3Kdf(z, length) {
      const out = offHeap(length);
      addon.sm3Kdf(z, out);
      return out;
    },
    hkdfSm3Extract(salt, ikm) {
      addon.hkdfSm3Extract(salt, ikm, scratch32);
      return takeScratch();
    },
    hkdfSm3Expand(prk, info, length) {
      const out = offHeap(length);
      addon.hkdfSm3Expand(prk, info, out);
      return out;
    },
    pbkdf2Sm3(password, salt, iterations, length) {
      const out = offHeap(length);
      addon.pbkdf2Sm3(password, salt, iterations, out);
      return out;
    },
    pbkdf2Sm3Async(password, salt, iterations, length) {
      return addon.pbkdf2Sm3Async(password, salt, iterations, length);
    },
  };
}
