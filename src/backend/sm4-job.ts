/**
 * A whole-message SM4 job (Sm4AsyncJob) run with the synchronous Sm4Backend calls: the pure
 * backend's sm4Async, and the reference the native thread-pool version must agree with.
 * @module
 */
import { GuomiError } from '../errors.js';
import { copyBytes } from '../utils.js';
import type { Sm4AsyncJob, Sm4Backend } from './types.js';

export type Sm4SyncBackend = Omit<Sm4Backend, 'sm4Async'>;

/** Runs `job` now. Throws GuomiError ERR_AUTH_FAILED when a tag does not verify. */
export function runSm4Job(b: Sm4SyncBackend, job: Sm4AsyncJob): Uint8Array {
  const { key, decrypt, input } = job;
  const iv = job.iv ?? new Uint8Array(0);
  const aad = job.aad ?? new Uint8Array(0);
  const tagLength = job.tagLength ?? 16;
  switch (job.mode) {
    case 'ecb': {
      const out = new Uint8Array(input.length);
      if (input.length) b.sm4Ecb(key, decrypt, input, out);
      return out;
    }
    case 'cbc': {
      const out = new Uint8Array(input.length);
      if (input.length) b.sm4Cbc(key, decrypt, copyBytes(iv), input, out);
      return out;
    }
    case 'ctr':
    case 'cfb':
    case 'ofb': {
      const out = new Uint8Array(input.length);
      const state = b.sm4Stream(key, job.mode, decrypt, iv);
      state.update(input, out);
      state.destroy();
      return out;
    }
    case 'gcm':
    case 'ccm': {
      const gcm = job.mode === 'gcm';
      if (!decrypt) {
        const out = new Uint8Array(input.length + tagLength);
        if (gcm) b.sm4GcmEncrypt(key, iv, aad, input, out, tagLength);
        else b.sm4CcmEncrypt(key, iv, aad, input, out, tagLength);
        return out;
      }
      const n = input.length - tagLength;
      const out = new Uint8Array(n);
      const ok = gcm
        ? b.sm4GcmDecrypt(key, iv, aad, input.subarray(0, n), input.subarray(n), out)
        : b.sm4CcmDecrypt(key, iv, aad, input.subarray(0, n), input.subarray(n), out);
      if (!ok) {
        out.fill(0);
        throw new GuomiError('ERR_AUTH_FAILED', 'SM4 decryption failed: the authentication tag does not match');
      }
      return out;
    }
    case 'xts': {
      const out = new Uint8Array(input.length);
      b.sm4Xts(key, job.key2!, iv, job.variant ?? 'gb', decrypt, input, out);
      return out;
    }
  }
}
