/**
 * SM4 on the native addon. A key object holds a copy of the 16-byte key, which each native call
 * expands on the C++ stack and wipes again (cheaper than keeping a 256-byte schedule per object:
 * see native/addon/sm4_binding.cc). Streaming states are C++ structs kept in JS-owned, off-heap
 * Uint8Arrays; destroy() zeroes them and a FinalizationRegistry zeroes any that are collected
 * without destroy().
 * @module
 */
import { GuomiError } from '../errors.js';
import type { Sm4AsyncJob, Sm4Backend, Sm4GcmState, Sm4Key, Sm4StreamMode, Sm4StreamState } from './types.js';
import type { NativeAddon } from './addon.js';
import { offHeap } from './native-sm3.js';
import { copyBytes } from '../utils.js';

/** Zeroes the memory of a key or state whose owner was collected without destroy(). */
const wipeOnCollect = /* @__PURE__ */ new FinalizationRegistry<Uint8Array>((memory) => memory.fill(0));

class NativeSm4Key implements Sm4Key {
  /** @internal A copy of the key (a plain 16-byte array; the public layer wipes it on GC). */
  readonly memory: Uint8Array;

  constructor(key: Uint8Array) {
    this.memory = copyBytes(key);
  }

  destroy(): void {
    this.memory.fill(0);
  }
}

const STREAM_MODES: Record<Sm4StreamMode, number> = { ctr: 0, cfb: 1, ofb: 2 };

class NativeStreamState implements Sm4StreamState {
  private readonly memory: Uint8Array;

  constructor(
    private readonly addon: NativeAddon,
    key: NativeSm4Key,
    mode: Sm4StreamMode,
    decrypt: boolean,
    iv: Uint8Array,
  ) {
    this.memory = offHeap(addon.sm4StreamStateSize);
    addon.sm4StreamInit(this.memory, key.memory, STREAM_MODES[mode], decrypt, iv);
    wipeOnCollect.register(this, this.memory, this);
  }

  update(input: Uint8Array, output: Uint8Array): void {
    this.addon.sm4StreamUpdate(this.memory, input, output);
  }

  destroy(): void {
    this.memory.fill(0);
    wipeOnCollect.unregister(this);
  }
}

class NativeGcmState implements Sm4GcmState {
  private readonly memory: Uint8Array;

  constructor(
    private readonly addon: NativeAddon,
    key: NativeSm4Key,
    iv: Uint8Array,
    decrypt: boolean,
  ) {
    this.memory = offHeap(addon.sm4GcmStateSize);
    addon.sm4GcmInit(this.memory, key.memory, iv, decrypt);
    wipeOnCollect.register(this, this.memory, this);
  }

  aad(data: Uint8Array): void {
    this.addon.sm4GcmAad(this.memory, data);
  }

  update(input: Uint8Array, output: Uint8Array): void {
    this.addon.sm4GcmUpdate(this.memory, input, output);
  }

  final(): Uint8Array {
    const tag = offHeap(16);
    this.addon.sm4GcmFinal(this.memory, tag);
    return tag;
  }

  destroy(): void {
    this.memory.fill(0);
    wipeOnCollect.unregister(this);
  }
}

/** The key objects handed out here are always NativeSm4Key; others are a programming error. */
function mem(key: Sm4Key): Uint8Array {
  if (!(key instanceof NativeSm4Key)) throw new TypeError('"key" is not a native SM4 key');
  return key.memory;
}

const ASYNC_MODES: Record<Sm4AsyncJob['mode'], number> = {
  ecb: 0, cbc: 1, ctr: 2, cfb: 3, ofb: 4, gcm: 5, ccm: 6, xts: 7,
};

const EMPTY = new Uint8Array(0);

/** Async rejections carry a GuomiError code in `code`; give callers the same error class. */
function rethrow(err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (e.code === 'ERR_AUTH_FAILED') throw new GuomiError('ERR_AUTH_FAILED', e.message ?? 'authentication failed');
  if (e.code === 'ERR_OUT_OF_RANGE') throw new RangeError(e.message);
  throw err;
}

export function nativeSm4(addon: NativeAddon): Sm4Backend {
  return {
    sm4ExpandKey: (key) => new NativeSm4Key(key),
    sm4Ecb: (key, decrypt, input, output) => addon.sm4Ecb(mem(key), decrypt, input, output),
    sm4Cbc: (key, decrypt, iv, input, output) => addon.sm4Cbc(mem(key), decrypt, iv, input, output),
    sm4Stream: (key, mode, decrypt, iv) => {
      mem(key);
      return new NativeStreamState(addon, key as NativeSm4Key, mode, decrypt, iv);
    },
    sm4GcmEncrypt: (key, iv, aad, input, output, tagLength) =>
      addon.sm4GcmEncrypt(mem(key), iv, aad, input, output, tagLength),
    sm4GcmDecrypt: (key, iv, aad, input, tag, output) =>
      addon.sm4GcmDecrypt(mem(key), iv, aad, input, tag, output),
    sm4GcmStream: (key, iv, decrypt) => {
      mem(key);
      return new NativeGcmState(addon, key as NativeSm4Key, iv, decrypt);
    },
    sm4CcmEncrypt: (key, nonce, aad, input, output, tagLength) =>
      addon.sm4CcmEncrypt(mem(key), nonce, aad, input, output, tagLength),
    sm4CcmDecrypt: (key, nonce, aad, input, tag, output) =>
      addon.sm4CcmDecrypt(mem(key), nonce, aad, input, tag, output),
    sm4Xts: (key1, key2, tweak, variant, decrypt, input, output) =>
      addon.sm4Xts(mem(key1), mem(key2), tweak, variant === 'ieee' ? 1 : 0, decrypt, input, output),
    sm4Async: (job) =>
      addon
        .sm4Async(
          ASYNC_MODES[job.mode],
          mem(job.key),
          job.key2 ? mem(job.key2) : undefined,
          job.decrypt,
          job.iv ?? EMPTY,
          job.aad ?? EMPTY,
          job.tagLength ?? 16,
          job.variant === 'ieee' ? 1 : 0,
          job.input,
        )
        .catch(rethrow),
  };
}
