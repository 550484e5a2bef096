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
    withParams(key, iv, undefined, (p) => addon.sm4StreamInit(this.memory, p, STREAM_MODES[mode], decrypt));
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
    withParams(key, iv, undefined, (p, n) => addon.sm4GcmInit(this.memory, p, n, decrypt));
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

/**
 * The keys and the IV of a call, packed into one reused off-heap buffer (layout in
 * native/addon/sm4_binding.cc: key at 0, XTS tweak key at 16, IV at 32). Passing the small key
 * and IV arrays separately made V8 move each off its heap on every call, which halved the rate
 * of 64-byte GCM calls. The buffer is wiped after every call.
 */
const PARAMS_IV_OFFSET = 32;
const PARAMS_IV_CAPACITY = 256;
const params = /* @__PURE__ */ offHeap(PARAMS_IV_OFFSET + PARAMS_IV_CAPACITY);

/** Runs `call` with the packed params; IVs longer than the buffer get a one-off buffer. */
function withParams<T>(key: Sm4Key, iv: Uint8Array | undefined, key2: Sm4Key | undefined, call: (p: Uint8Array, ivLength: number) => T): T {
  const ivLength = iv ? iv.length : 0;
  const p = ivLength <= PARAMS_IV_CAPACITY ? params : offHeap(PARAMS_IV_OFFSET + ivLength);
  p.set(mem(key), 0);
  if (key2) p.set(mem(key2), 16);
  if (iv) p.set(iv, PARAMS_IV_OFFSET);
  try {
    return call(p, ivLength);
  } finally {
    p.fill(0, 0, PARAMS_IV_OFFSET + ivLength);
  }
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
    sm4Ecb: (key, decrypt, input, output) =>
      withParams(key, undefined, undefined, (p) => addon.sm4Ecb(p, decrypt, input, output)),
    sm4Cbc: (key, decrypt, iv, input, output) =>
      withParams(key, undefined, undefined, (p) => addon.sm4Cbc(p, decrypt, iv, input, output)),
    sm4Stream: (key, mode, decrypt, iv) => {
      mem(key);
      return new NativeStreamState(addon, key as NativeSm4Key, mode, decrypt, iv);
    },
    sm4GcmEncrypt: (key, iv, aad, input, output, tagLength) =>
      withParams(key, iv, undefined, (p, n) => addon.sm4GcmEncrypt(p, n, aad, input, output, tagLength)),
    sm4GcmDecrypt: (key, iv, aad, input, tag, output) =>
      withParams(key, iv, undefined, (p, n) => addon.sm4GcmDecrypt(p, n, aad, input, tag, output)),
    sm4GcmStream: (key, iv, decrypt) => {
      mem(key);
      return new NativeGcmState(addon, key as NativeSm4Key, iv, decrypt);
    },
    sm4CcmEncrypt: (key, nonce, aad, input, output, tagLength) =>
      withParams(key, nonce, undefined, (p, n) => addon.sm4CcmEncrypt(p, n, aad, input, output, tagLength)),
    sm4CcmDecrypt: (key, nonce, aad, input, tag, output) =>
      withParams(key, nonce, undefined, (p, n) => addon.sm4CcmDecrypt(p, n, aad, input, tag, output)),
    sm4Xts: (key1, key2, tweak, variant, decrypt, input, output) =>
      withParams(key1, tweak, key2, (p) => addon.sm4Xts(p, variant === 'ieee' ? 1 : 0, decrypt, input, output)),
    sm4Async: (job) =>
      withParams(job.key, job.iv, job.key2, (p, n) =>
        addon.sm4Async(
          ASYNC_MODES[job.mode],
          p,
          n,
          job.decrypt,
          job.aad ?? EMPTY,
          job.tagLength ?? 16,
          job.variant === 'ieee' ? 1 : 0,
          job.input,
        ),
      ).catch(rethrow),
  };
}
