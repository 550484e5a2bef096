/**
 * The only place that loads the native addon (.node file). Loading is lazy: nothing happens at
 * import; the first call to loadAddon() resolves the binary through node-gyp-build (prebuilds/
 * first, then build/Release) and remembers either the addon or the reason it failed.
 * @module
 */
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The functions the addon exports (native/addon/*_binding.cc). */
export interface NativeAddon {
  cpuInfo(): { arch: string; detected: string[]; enabled: string[]; disabled: string[] };
  implementations(): Record<string, string>;
  setDisabledFeatures(list: string): number;

  sm3(data: Uint8Array, out: Uint8Array): void;
  readonly sm3StateSize: number;
  sm3Init(state: Uint8Array): void;
  sm3Update(state: Uint8Array, data: Uint8Array): void;
  sm3Final(state: Uint8Array, out: Uint8Array): void;
  hmacSm3(key: Uint8Array, data: Uint8Array, out: Uint8Array): void;
  readonly hmacSm3StateSize: number;
  hmacSm3Init(state: Uint8Array, key: Uint8Array): void;
  hmacSm3Update(state: Uint8Array, data: Uint8Array): void;
  hmacSm3Final(state: Uint8Array, out: Uint8Array): void;
  hmacSm3Prepare(key: Uint8Array, out: Uint8Array): void;
  hmacSm3Batch(prepared: Uint8Array, which: Uint32Array, data: Uint8Array, ends: Uint32Array, out: Uint8Array): void;
  sm3Kdf(z: Uint8Array, out: Uint8Array): void;
  hkdfSm3Extract(salt: Uint8Array, ikm: Uint8Array, out: Uint8Array): void;
  hkdfSm3Expand(prk: Uint8Array, info: Uint8Array, out: Uint8Array): void;
  pbkdf2Sm3(password: Uint8Array, salt: Uint8Array, iterations: number, out: Uint8Array): void;
  pbkdf2Sm3Async(
    password: Uint8Array,
    salt: Uint8Array,
    iterations: number,
    length: number,
  ): Promise<Uint8Array>;

  readonly sm4StreamStateSize: number;
  readonly sm4GcmStateSize: number;
  // SM4 calls take "params": key at [0, 16), XTS tweak key at [16, 32), IV from 32 (ivLength bytes).
  sm4Ecb(params: Uint8Array, decrypt: boolean, input: Uint8Array, output: Uint8Array): void;
  sm4Cbc(params: Uint8Array, decrypt: boolean, iv: Uint8Array, input: Uint8Array, output: Uint8Array): void;
  sm4StreamInit(state: Uint8Array, params: Uint8Array, mode: number, decrypt: boolean): void;
  sm4StreamUpdate(state: Uint8Array, input: Uint8Array, output: Uint8Array): void;
  sm4GcmEncrypt(params: Uint8Array, ivLength: number, aad: Uint8Array, input: Uint8Array, output: Uint8Array, tagLength: number): void;
  sm4GcmDecrypt(params: Uint8Array, ivLength: number, aad: Uint8Array, input: Uint8Array, tag: Uint8Array, output: Uint8Array): boolean;
  sm4GcmInit(state: Uint8Array, params: Uint8Array, ivLength: number, decrypt: boolean): void;
  sm4GcmAad(state: Uint8Array, data: Uint8Array): void;
  sm4GcmUpdate(state: Uint8Array, input: Uint8Array, output: Uint8Array): void;
  sm4GcmFinal(state: Uint8Array, tag: Uint8Array): void;
  sm4CcmEncrypt(params: Uint8Array, nonceLength: number, aad: Uint8Array, input: Uint8Array, output: Uint8Array, tagLength: number): void;
  sm4CcmDecrypt(params: Uint8Array, nonceLength: number, aad: Uint8Array, input: Uint8Array, tag: Uint8Array, output: Uint8Array): boolean;
  sm4Xts(params: Uint8Array, variant: number, decrypt: boolean, input: Uint8Array, output: Uint8Array): void;
  sm4Async(
    mode: number,
    params: Uint8Array,
    ivLength: number,
    decrypt: boolean,
    aad: Uint8Array,
    tagLength: number,
    variant: number,
    input: Uint8Array,
  ): Promise<Uint8Array>;

  readonly sm2PrivateKeySize: number;
  readonly sm2PublicKeySize: number;
  sm2PrivateKeyInit(state: Uint8Array, d: Uint8Array): number;
  sm2PrivateKeyPublic(state: Uint8Array, out: Uint8Array): void;
  sm2GenerateScalar(out: Uint8Array): number;
  sm2PublicKeyInit(state: Uint8Array, point: Uint8Array, precompute: boolean): number;
  sm2PublicKeyEncode(state: Uint8Array, compressed: boolean, out: Uint8Array): number;
  sm2Sign(privateKey: Uint8Array, e: Uint8Array, signature: Uint8Array, k?: Uint8Array): number;
  sm2Verify(publicKey: Uint8Array, e: Uint8Array, signature: Uint8Array): boolean;
  sm2Encrypt(publicKey: Uint8Array, message: Uint8Array, out: Uint8Array, k?: Uint8Array): number;
  sm2Decrypt(privateKey: Uint8Array, c1: Uint8Array, c3: Uint8Array, c2: Uint8Array, out: Uint8Array): number;
  sm2Ecdh(privateKey: Uint8Array, publicKey: Uint8Array, out: Uint8Array): number;
  sm2KeyExchangePoint(
    privateKey: Uint8Array,
    ownEphemeral: Uint8Array,
    ownEphemeralPoint: Uint8Array,
    peer: Uint8Array,
    peerEphemeral: Uint8Array,
    out: Uint8Array,
  ): number;
  sm2SignAsync(privateKey: Uint8Array, e: Uint8Array): Promise<Uint8Array>;
  sm2VerifyAsync(publicKey: Uint8Array, e: Uint8Array, signature: Uint8Array): Promise<boolean>;
  sm2VerifyBatchAsync(
    publicKeys: Uint8Array[],
    keyIndex: Uint32Array,
    e: Uint8Array,
    signatures: Uint8Array,
  ): Promise<Uint8Array>;
  sm2EncryptAsync(publicKey: Uint8Array, message: Uint8Array): Promise<Uint8Array>;
  sm2DecryptAsync(privateKey: Uint8Array, c1: Uint8Array, c3: Uint8Array, c2: Uint8Array): Promise<Uint8Array>;
}

/** The package root: this file is at src/backend/ (tests) or dist/backend/ (installed). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Written by scripts/install.cjs when the addon could not be built at install time. */
const INSTALL_NOTE = join(PACKAGE_ROOT, 'build', 'guomi-native-unavailable.txt');

let addon: NativeAddon | undefined;
let addonFile: string | undefined;
let failure: string | undefined;

/** The path of the .node file in use, once the addon is loaded (for complianceReport()). */
export function loadedAddonPath(): string | undefined {
  return addonFile;
}

/**
 * Loads the addon once. Returns it, or throws an Error whose message says why it is unavailable
 * (every later call throws the same reason without retrying).
 */
export function loadAddon(): NativeAddon {
  if (addon) return addon;
  if (failure !== undefined) throw new Error(failure);
  try {
    const require = createRequire(import.meta.url);
    const gypBuild = require('node-gyp-build') as ((dir: string) => NativeAddon) & { path?: (dir: string) => string };
    // Resolve the file first (prebuilds/ before build/Release), so reports can name it.
    if (typeof gypBuild.path === 'function') {
      addonFile = gypBuild.path(PACKAGE_ROOT);
      addon = require(addonFile) as NativeAddon;
    } else {
      addon = gypBuild(PACKAGE_ROOT);
    }
    return addon;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    const note = existsSync(INSTALL_NOTE) ? readFileSync(INSTALL_NOTE, 'utf8').trim() : '';
    failure = note ? `${note} (${why})` : `the native addon could not be loaded: ${why}`;
    throw new Error(failure);
  }
}
