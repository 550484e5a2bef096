/**
 * SM2 on the native addon. Key objects are C++ structs kept in JS-owned, off-heap Uint8Arrays;
 * private keys are zeroed by destroy() and, if that was never called, when collected.
 * @module
 */
import { GuomiError, type GuomiErrorCode } from '../errors.js';
import type { Sm2Backend, Sm2PrivateHandle, Sm2PublicHandle, Sm2VerifyJob } from './types.js';
import type { NativeAddon } from './addon.js';
import { offHeap } from './native-sm3.js';

/** Sm2Status in native/core/sm2.h. */
const enum Status {
  Ok = 0,
  InvalidKey = 1,
  InvalidPoint = 2,
  InvalidArgument = 3,
  DecryptFailed = 4,
  RandomFailure = 5,
}

const MESSAGES: Record<number, [GuomiErrorCode, string]> = {
  [Status.InvalidKey]: ['ERR_SM2_INVALID_KEY', 'SM2 private key must be in [1, n-2]'],
  [Status.InvalidPoint]: ['ERR_SM2_INVALID_POINT', 'not a valid SM2 point (or the result is the point at infinity)'],
  [Status.DecryptFailed]: ['ERR_SM2_DECRYPT_FAILED', 'SM2 decryption failed'],
};

/** Throws the error for a failed status. */
function check(status: number): void {
  if (status === Status.Ok) return;
  const known = MESSAGES[status];
  if (known) throw new GuomiError(known[0], known[1]);
  if (status === Status.InvalidArgument) throw new RangeError('SM2 argument out of range');
  if (status === Status.RandomFailure) throw new Error("the operating system's random number generator failed");
  throw new Error(`SM2: unexpected native status ${status}`);
}

/** Async rejections carry a GuomiError code in `code`; give callers the same error class. */
function rethrow(err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (e.code?.startsWith('ERR_SM2_')) throw new GuomiError(e.code as GuomiErrorCode, e.message ?? 'SM2 failure');
  if (e.code === 'ERR_OUT_OF_RANGE') throw new RangeError(e.message);
  throw err;
}

const wipeOnCollect = /* @__PURE__ */ new FinalizationRegistry<Uint8Array>((memory) => memory.fill(0));

class NativePrivateKey implements Sm2PrivateHandle {
  readonly memory: Uint8Array;

  constructor(addon: NativeAddon, d: Uint8Array) {
    this.memory = offHeap(addon.sm2PrivateKeySize);
    try {
      check(addon.sm2PrivateKeyInit(this.memory, d));
    } catch (err) {
      this.memory.fill(0);
      throw err;
    }
    wipeOnCollect.register(this, this.memory, this);
  }

  destroy(): void {
    this.memory.fill(0);
    wipeOnCollect.unregister(this);
  }
}

/**
 * A validated public key. Its precomputed tables halve the cost of each verification and
 * encryption but take about 60 µs to build, more than one verification saves, so they are built
 * when the key is used a second time: a key used once (a certificate in a chain, a TLS
 * CertificateVerify) never pays for them, and a key used often gets them early.
 */
class NativePublicKey implements Sm2PublicHandle {
  private readonly memory: Uint8Array;
  private uses = 0;

  constructor(
    private readonly addon: NativeAddon,
    point: Uint8Array,
  ) {
    this.memory = offHeap(addon.sm2PublicKeySize);
    check(addon.sm2PublicKeyInit(this.memory, point, false));
  }

  /** The key struct for an operation, with tables from the second operation on. */
  use(): Uint8Array {
    if (++this.uses === 2) {
      const point = offHeap(65);
      this.addon.sm2PublicKeyEncode(this.memory, false, point);
      check(this.addon.sm2PublicKeyInit(this.memory, point, true));
    }
    return this.memory;
  }

  /** The key struct for reading the point only. */
  view(): Uint8Array {
    return this.memory;
  }

  destroy(): void {
    this.memory.fill(0);
  }
}

function priv(key: Sm2PrivateHandle): Uint8Array {
  if (!(key instanceof NativePrivateKey)) throw new TypeError('"privateKey" is not a native SM2 key');
  return key.memory;
}

function pubKey(key: Sm2PublicHandle): NativePublicKey {
  if (!(key instanceof NativePublicKey)) throw new TypeError('"publicKey" is not a native SM2 key');
  return key;
}

/** The struct of a public key about to be used for an operation. */
const pub = (key: Sm2PublicHandle): Uint8Array => pubKey(key).use();

/** libuv's default pool size; the pool is sized once, from UV_THREADPOOL_SIZE, at its first use. */
const DEFAULT_POOL_SIZE = 4;

function poolSize(): number {
  const n = Number(process.env['UV_THREADPOOL_SIZE']);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1024) : DEFAULT_POOL_SIZE;
}

/**
 * Sends `jobs` as about one pool job per pool thread, each verifying its share in one go: a
 * job per signature spends several µs of CPU per hand-off (see VerifyBatchAsync in
 * sm2_binding.cc), a sizeable share of one verification. Each chunk carries its distinct keys
 * once; the addon copies them, so the caller may destroy the keys as soon as this returns.
 */
function verifyBatch(addon: NativeAddon, jobs: readonly Sm2VerifyJob[]): Promise<boolean[]> {
  const chunks = Math.min(jobs.length, poolSize());
  const pending: Promise<Uint8Array>[] = [];
  for (let c = 0; c < chunks; c++) {
    const start = Math.floor((c * jobs.length) / chunks), end = Math.floor(((c + 1) * jobs.length) / chunks);
    const n = end - start;
    const keys: Uint8Array[] = [], slot = new Map<Sm2PublicHandle, number>();
    const index = new Uint32Array(n), e = new Uint8Array(32 * n), sig = new Uint8Array(64 * n);
    for (let i = 0; i < n; i++) {
      const job = jobs[start + i]!;
      if (job.e.length !== 32 || job.signature.length !== 64) throw new RangeError('"e" must be 32 bytes and "signature" 64');
      // use() on every item, as single verifications do, so a reused key gets its tables.
      const struct = pub(job.key);
      let k = slot.get(job.key);
      if (k === undefined) {
        k = keys.push(struct) - 1;
        slot.set(job.key, k);
      }
      index[i] = k;
      e.set(job.e, 32 * i);
      sig.set(job.signature, 64 * i);
    }
    pending.push(addon.sm2VerifyBatchAsync(keys, index, e, sig));
  }
  return Promise.all(pending).then(
    (parts) => parts.flatMap((part) => Array.from(part, (b) => b === 1)),
    rethrow,
  );
}

export function nativeSm2(addon: NativeAddon): Sm2Backend {
  return {
    sm2PrivateKey: (d) => new NativePrivateKey(addon, d),
    sm2PrivateToPublic(key) {
      const out = new Uint8Array(65);
      addon.sm2PrivateKeyPublic(priv(key), out);
      return out;
    },
    sm2GenerateScalar() {
      const d = offHeap(32);
      check(addon.sm2GenerateScalar(d));
      return d;
    },
    sm2PublicKey: (point) => new NativePublicKey(addon, point),
    sm2PublicBytes(key, compressed) {
      const out = offHeap(compressed ? 33 : 65);
      addon.sm2PublicKeyEncode(pubKey(key).view(), compressed, out);
      return out;
    },
    sm2Sign(key, e, test) {
      const sig = offHeap(64);
      check(addon.sm2Sign(priv(key), e, sig, test?.k));
      return sig;
    },
    sm2Verify: (key, e, signature) => addon.sm2Verify(pub(key), e, signature),
    sm2Encrypt(key, message, test) {
      const out = offHeap(message.length + 97);
      check(addon.sm2Encrypt(pub(key), message, out, test?.k));
      return out;
    },
    sm2Decrypt(key, c1, c3, c2) {
      const out = offHeap(c2.length);
      check(addon.sm2Decrypt(priv(key), c1, c3, c2, out));
      return out;
    },
    sm2Ecdh(key, peer) {
      const out = offHeap(64);
      check(addon.sm2Ecdh(priv(key), pub(peer), out));
      return out;
    },
    sm2KeyExchangePoint(key, ownEphemeral, ownEphemeralPoint, peer, peerEphemeral) {
      const out = offHeap(64);
      check(addon.sm2KeyExchangePoint(priv(key), ownEphemeral, ownEphemeralPoint, pub(peer), peerEphemeral, out));
      return out;
    },
    sm2SignAsync: (key, e) => addon.sm2SignAsync(priv(key), e).catch(rethrow),
    sm2VerifyAsync: (key, e, signature) => addon.sm2VerifyAsync(pub(key), e, signature).catch(rethrow),
    sm2VerifyBatchAsync: (jobs) => verifyBatch(addon, jobs),
    sm2EncryptAsync: (key, message) => addon.sm2EncryptAsync(pub(key), message).catch(rethrow),
    sm2DecryptAsync: (key, c1, c3, c2) => addon.sm2DecryptAsync(priv(key), c1, c3, c2).catch(rethrow),
  };
}
