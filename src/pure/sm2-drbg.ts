/**
 * HMAC_DRBG (NIST SP 800-90A Rev. 1 §10.1.2) with HMAC-SM3, the generator behind the hedged SM2
 * signing nonces of the pure backend — the same construction as the native core's
 * (native/core/drbg.h), checked against the same vectors (vectors/sm2_drbg.txt).
 *
 * Per signature it is instantiated with entropy = 32 fresh random bytes, nonce = e and
 * personalisation = d, so the nonce stays secret and unpredictable when the random source is
 * broken (it is then a deterministic function of d and e, as in RFC 6979) and differs between
 * signatures of one message when it is not.
 *
 * Imports nothing from `node:*`.
 * @module
 */
import { wipe } from '../utils.js';
import { pureSm3 } from './sm3.js';

const OUTLEN = 32;
/** SP 800-90A Table 2: at most 2^19 bits per request. */
const MAX_REQUEST = (1 << 19) / 8;

/**
 * An HMAC_DRBG instance over HMAC-SM3 (security strength 256; no prediction resistance).
 * @example
 * const drbg = new HmacDrbgSm3(entropy, e, d);
 * const k = drbg.generate(32);
 * drbg.destroy();
 */
export class HmacDrbgSm3 {
  #k: Uint8Array = new Uint8Array(OUTLEN);
  #v: Uint8Array = new Uint8Array(OUTLEN).fill(0x01);

  /**
   * Instantiate (§10.1.2.3): seed_material = entropy || nonce || personalization.
   * @param entropy the entropy input
   * @param nonce the nonce
   * @param personalization the personalization string (may be empty)
   */
  constructor(entropy: Uint8Array, nonce: Uint8Array, personalization: Uint8Array = new Uint8Array(0)) {
    this.#update([entropy, nonce, personalization]);
  }

  /** HMAC_DRBG_Update (§10.1.2.2) with provided_data given in pieces. */
  #update(provided: Uint8Array[]): void {
    const total = provided.reduce((s, p) => s + p.length, 0);
    for (let round = 0; round < 2; round++) {
      // K = HMAC(K, V || round || provided_data); V = HMAC(K, V)
      const h = pureSm3.hmacSm3Create(this.#k);
      h.update(this.#v);
      h.update(Uint8Array.of(round));
      for (const p of provided) h.update(p);
      const k = h.digest();
      wipe(this.#k);
      this.#k = k;
      const v = pureSm3.hmacSm3(this.#k, this.#v);
      wipe(this.#v);
      this.#v = v;
      // With no provided data the second round is skipped.
      if (total === 0) break;
    }
  }

  /**
   * Reseed (§10.1.2.4): seed_material = entropy || additional input.
   * @param entropy the new entropy input
   * @param additional optional additional input
   */
  reseed(entropy: Uint8Array, additional: Uint8Array = new Uint8Array(0)): void {
    this.#update([entropy, additional]);
  }

  /**
   * Generate (§10.1.2.5).
   * @param length bytes to return (at most 65536)
   * @param additional optional additional input
   * @returns the pseudorandom bytes
   * @throws RangeError for a request longer than 2^19 bits
   */
  generate(length: number, additional: Uint8Array = new Uint8Array(0)): Uint8Array {
    if (length > MAX_REQUEST) throw new RangeError('HMAC_DRBG request longer than 2^19 bits');
    if (additional.length > 0) this.#update([additional]);
    const out = new Uint8Array(length);
    for (let off = 0; off < length; off += OUTLEN) {
      const v = pureSm3.hmacSm3(this.#k, this.#v);
      wipe(this.#v);
      this.#v = v;
      out.set(v.subarray(0, Math.min(OUTLEN, length - off)), off);
    }
    this.#update(additional.length > 0 ? [additional] : []);
    return out;
  }

  /** Wipes the state. */
  destroy(): void {
    wipe(this.#k, this.#v);
  }
}
