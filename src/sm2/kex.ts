/**
 * The SM2 key exchange protocol of GB/T 32918.3-2016 §6.1, with the optional key confirmation.
 *
 * A is the initiator, B the responder. Both hold a static key pair and know the other's public
 * key and ID; each makes an ephemeral key pair for this run:
 *
 * ```text
 *   A (Sm2KeyExchangeInitiator)                   B (Sm2KeyExchangeResponder)
 *   RA = [rA]G  ───────────── RA ─────────────▶   respond(RA): RB = [rB]G, V, KB, SB
 *               ◀────────── RB, SB ────────────
 *   finish(RB, SB): U, KA, checks S1 = SB, SA
 *               ─────────────── SA ────────────▶   finish(SA): checks S2 = SA, returns KB
 * ```
 *
 * K = KDF(xU || yU || ZA || ZB, klen); S1 = SB = SM3(0x02 || yU || SM3(xU || ZA || ZB || x1 ||
 * y1 || x2 || y2)); SA = S2 = SM3(0x03 || yU || SM3(…the same…)), where ZA is always the
 * initiator's Z and (x1, y1) = RA, (x2, y2) = RB, in both roles (GB/T 32918.3-2016 §6.1 A8–A10,
 * B7–B10). Without confirmation (`confirm: false`) no S values are exchanged.
 *
 * @example
 * const a = new Sm2KeyExchangeInitiator({ privateKey: keyA, peerPublicKey: pubB, keyLength: 16 });
 * const b = new Sm2KeyExchangeResponder({ privateKey: keyB, peerPublicKey: pubA, keyLength: 16 });
 * const { ephemeralPublicKey: rb, confirmation: sb } = b.respond(a.ephemeralPublicKey);
 * const { key: ka, confirmation: sa } = a.finish(rb, sb);
 * const kb = b.finish(sa);                      // ka and kb are equal
 * @module
 */
import type { Backend, Sm2PrivateHandle, Sm3Backend } from '../backend/types.js';
import { GuomiError } from '../errors.js';
import { abytes, aint, aoptions, concatBytes, copyBytes, equalBytes, wipe } from '../utils.js';
import {
  Sm2PublicKey,
  privateKeyHandle,
  publicKeyHandle,
  toPrivateKey,
  toPublicKey,
  type Sm2PrivateKeyInput,
  type Sm2PublicKeyInput,
} from './keys.js';
import { idBytes } from './params.js';

/** Options of both key-exchange roles. */
export interface Sm2KeyExchangeOptions {
  /** This party's static private key. */
  privateKey: Sm2PrivateKeyInput;
  /** The other party's static public key. */
  peerPublicKey: Sm2PublicKeyInput;
  /** This party's ID (string as UTF-8, or bytes); default '1234567812345678'. */
  id?: string | Uint8Array;
  /** The other party's ID; default '1234567812345678'. */
  peerId?: string | Uint8Array;
  /** Length of the shared key in bytes (klen / 8), 1 to 2^31 - 1. */
  keyLength: number;
  /** Exchange and check the confirmation values SB and SA (default true). */
  confirm?: boolean;
}

/** The values derived from the shared point: K and the two confirmation hashes. */
export interface KexValues {
  /** K = KDF(xU || yU || ZA || ZB, klen). */
  key: Uint8Array;
  /** SM3(0x02 || yU || inner): SB (sent by B) = S1 (checked by A). */
  s02: Uint8Array;
  /** SM3(0x03 || yU || inner): SA (sent by A) = S2 (checked by B). */
  s03: Uint8Array;
}

/**
 * K, SB/S1 and SA/S2 from the shared point (GB/T 32918.3-2016 §6.1 A8–A10 / B7–B10).
 * @param sm3 the SM3 implementation
 * @param uxy xU || yU (or xV || yV), 64 bytes
 * @param za the initiator's Z
 * @param zb the responder's Z
 * @param ra the initiator's ephemeral point RA (04 || x1 || y1)
 * @param rb the responder's ephemeral point RB (04 || x2 || y2)
 * @param keyLength bytes of K
 * @returns K and the two confirmation values
 * @example kexDerive(pureSm3, u, za, zb, ra, rb, 16).key
 * @internal Shared with the tests, which run it over the test curve of GB/T 32918.3 Annex A.
 */
export function kexDerive(
  sm3: Sm3Backend,
  uxy: Uint8Array,
  za: Uint8Array,
  zb: Uint8Array,
  ra: Uint8Array,
  rb: Uint8Array,
  keyLength: number,
): KexValues {
  const half = uxy.length / 2;
  const xu = uxy.subarray(0, half), yu = uxy.subarray(half);
  const z = concatBytes(uxy, za, zb);
  const key = sm3.sm3Kdf(z, keyLength);
  const inner = sm3.sm3(concatBytes(xu, za, zb, ra.subarray(1), rb.subarray(1)));
  const s02 = sm3.sm3(concatBytes(Uint8Array.of(0x02), yu, inner));
  const s03 = sm3.sm3(concatBytes(Uint8Array.of(0x03), yu, inner));
  wipe(z, inner);
  return { key, s02, s03 };
}

const testEphemerals: Uint8Array[] = [];

/**
 * Makes the next key-exchange object use `r` as its ephemeral private key (for the worked
 * examples of GB/T 32918.5 Annex B). Tests only; never exported by guomi/sm2.
 * @param r the ephemeral private key, 32 bytes
 * @example setEphemeralForTesting(rA); new Sm2KeyExchangeInitiator(options);
 * @internal
 */
export function setEphemeralForTesting(r: Uint8Array): void {
  testEphemerals.push(copyBytes(r));
}

interface Party {
  backend: Backend;
  handle: Sm2PrivateHandle;
  peer: Sm2PublicKey;
  keyLength: number;
  confirm: boolean;
  /** Own Z and the peer's Z. */
  zOwn: Uint8Array;
  zPeer: Uint8Array;
  /** The ephemeral scalar and point. */
  r: Uint8Array;
  R: Uint8Array;
  cleanup: () => void;
}

function aboolean(value: unknown, name: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new TypeError(`"${name}" must be a boolean, got ${value === null ? 'null' : typeof value}`);
}

function setup(options: unknown): Party {
  // A test ephemeral belongs to this object even if the options turn out to be invalid.
  const testR = testEphemerals.shift();
  const opts = aoptions<Sm2KeyExchangeOptions>(options);
  const keyLength = aint(opts.keyLength, 'keyLength', 1, 0x7fffffff);
  const confirm = aboolean(opts.confirm, 'confirm') ?? true;
  const idOwn = idBytes(opts.id, 'id');
  const idPeer = idBytes(opts.peerId, 'peerId');
  const [priv, ownPriv] = toPrivateKey(opts.privateKey, 'privateKey');
  let peer: Sm2PublicKey, ownPeer: boolean;
  try {
    [peer, ownPeer] = toPublicKey(opts.peerPublicKey, 'peerPublicKey');
  } catch (err) {
    if (ownPriv) priv.destroy();
    throw err;
  }
  const release = (): void => {
    if (ownPriv) priv.destroy();
    if (ownPeer) peer.destroy();
  };
  let backend: Backend, handle: Sm2PrivateHandle, zOwn: Uint8Array, zPeer: Uint8Array;
  let r: Uint8Array, R: Uint8Array;
  try {
    [backend, handle] = privateKeyHandle(priv);
    zOwn = priv.publicKey.computeZ(idOwn);
    zPeer = peer.computeZ(idPeer);
    // A1/B1: an ephemeral key pair r ∈ [1, n-1], R = [r]G.
    r = testR ?? backend.sm2GenerateScalar();
    const eh = backend.sm2PrivateKey(r);
    R = backend.sm2PrivateToPublic(eh);
    eh.destroy();
  } catch (err) {
    release();
    throw err;
  }
  return {
    backend,
    handle,
    peer,
    keyLength,
    confirm,
    zOwn,
    zPeer,
    r,
    R,
    cleanup: () => {
      wipe(r);
      release();
    },
  };
}

function sharedPoint(p: Party, peerEphemeral: Uint8Array): Uint8Array {
  // A4–A7 / B3–B6, including the check that the peer's R is on the curve.
  return p.backend.sm2KeyExchangePoint(p.handle, p.r, p.R, publicKeyHandle(p.peer, p.backend), peerEphemeral);
}

const confirmationFailed = (who: string): GuomiError =>
  new GuomiError('ERR_SM2_KEY_CONFIRMATION', `SM2 key exchange: the ${who} confirmation value does not match`);

const usedUp = (): GuomiError =>
  new GuomiError('ERR_INVALID_STATE', 'SM2 key exchange: this step was already taken or the exchange failed');

/**
 * The initiator (A) of an SM2 key exchange (GB/T 32918.3-2016 §6.1 A1–A10).
 * @example
 * const a = new Sm2KeyExchangeInitiator({ privateKey, peerPublicKey, id: 'ALICE', peerId: 'BOB', keyLength: 16 });
 * send(a.ephemeralPublicKey);
 * const { key, confirmation } = a.finish(receivedRB, receivedSB);  // then send(confirmation)
 */
export class Sm2KeyExchangeInitiator {
  #party: Party | undefined;
  /** RA = [rA]G, 65 bytes, to send to the responder. */
  readonly ephemeralPublicKey: Uint8Array;

  /**
   * Starts an exchange: makes the ephemeral key pair.
   * @param options keys, IDs, `keyLength` (bytes) and `confirm` (default true)
   * @throws TypeError / RangeError for invalid options
   */
  constructor(options: Sm2KeyExchangeOptions) {
    this.#party = setup(options);
    this.ephemeralPublicKey = copyBytes(this.#party.R);
  }

  /**
   * Completes the exchange with the responder's RB (and SB when confirming): computes U and
   * KA, checks S1 = SB, and returns KA with SA to send back.
   * @param responderEphemeral RB, 65 bytes
   * @param responderConfirmation SB, 32 bytes (required when `confirm` is true)
   * @returns `key` (KA) and, when confirming, `confirmation` (SA)
   * @throws GuomiError ERR_SM2_INVALID_POINT if RB is not a valid point;
   *   ERR_SM2_KEY_CONFIRMATION if SB does not match; ERR_INVALID_STATE if called twice
   * @example const { key, confirmation } = a.finish(rb, sb);
   */
  finish(
    responderEphemeral: Uint8Array,
    responderConfirmation?: Uint8Array,
  ): {
    /** The shared key KA, `keyLength` bytes. */
    key: Uint8Array;
    /** SA, 32 bytes, to send to the responder (with `confirm` only). */
    confirmation?: Uint8Array;
  } {
    const p = this.#party;
    if (!p) throw usedUp();
    const rb = abytes(responderEphemeral, 'responderEphemeral', 65);
    if (p.confirm) abytes(responderConfirmation, 'responderConfirmation', 32);
    else if (responderConfirmation !== undefined) {
      throw new RangeError('"responderConfirmation" given but "confirm" is false');
    }
    this.#party = undefined;
    try {
      const u = sharedPoint(p, rb);
      const v = kexDerive(p.backend, u, p.zOwn, p.zPeer, p.R, rb, p.keyLength);
      wipe(u);
      if (!p.confirm) {
        wipe(v.s02, v.s03);
        return { key: v.key };
      }
      if (!equalBytes(v.s02, responderConfirmation!)) {
        wipe(v.key, v.s03);
        throw confirmationFailed("responder's (SB)");
      }
      return { key: v.key, confirmation: v.s03 };
    } finally {
      p.cleanup();
    }
  }
}

/**
 * The responder (B) of an SM2 key exchange (GB/T 32918.3-2016 §6.1 B1–B10).
 * @example
 * const b = new Sm2KeyExchangeResponder({ privateKey, peerPublicKey, keyLength: 16 });
 * const { ephemeralPublicKey, confirmation } = b.respond(receivedRA);   // send both
 * const key = b.finish(receivedSA);
 */
export class Sm2KeyExchangeResponder {
  #party: Party | undefined;
  #pending: { key: Uint8Array; s03: Uint8Array } | undefined;
  /** RB = [rB]G, 65 bytes, to send to the initiator (also returned by respond()). */
  readonly ephemeralPublicKey: Uint8Array;

  /**
   * Prepares the responder: makes the ephemeral key pair.
   * @param options keys, IDs, `keyLength` (bytes) and `confirm` (default true)
   * @throws TypeError / RangeError for invalid options
   */
  constructor(options: Sm2KeyExchangeOptions) {
    this.#party = setup(options);
    this.ephemeralPublicKey = copyBytes(this.#party.R);
  }

  /**
   * Answers the initiator's RA: computes V and KB, and SB when confirming.
   * @param initiatorEphemeral RA, 65 bytes
   * @returns RB and, when confirming, `confirmation` (SB), to send to the initiator
   * @throws GuomiError ERR_SM2_INVALID_POINT if RA is not a valid point; ERR_INVALID_STATE if
   *   called twice
   * @example const { ephemeralPublicKey, confirmation } = b.respond(ra);
   */
  respond(initiatorEphemeral: Uint8Array): {
    /** RB, 65 bytes, to send to the initiator. */
    ephemeralPublicKey: Uint8Array;
    /** SB, 32 bytes, to send with RB (with `confirm` only). */
    confirmation?: Uint8Array;
  } {
    const p = this.#party;
    if (!p) throw usedUp();
    const ra = abytes(initiatorEphemeral, 'initiatorEphemeral', 65);
    this.#party = undefined;
    try {
      const v = sharedPoint(p, ra);
      // ZA is the initiator's Z (the peer's, here); RA comes before RB.
      const values = kexDerive(p.backend, v, p.zPeer, p.zOwn, ra, p.R, p.keyLength);
      wipe(v);
      this.#pending = { key: values.key, s03: values.s03 };
      if (!p.confirm) {
        wipe(values.s02, values.s03);
        return { ephemeralPublicKey: copyBytes(p.R) };
      }
      this.#confirm = true;
      return { ephemeralPublicKey: copyBytes(p.R), confirmation: values.s02 };
    } finally {
      p.cleanup();
    }
  }

  #confirm = false;

  /**
   * Completes the exchange: checks S2 = SA when confirming and returns KB.
   * @param initiatorConfirmation SA, 32 bytes (required when `confirm` is true)
   * @returns the shared key KB
   * @throws GuomiError ERR_SM2_KEY_CONFIRMATION if SA does not match; ERR_INVALID_STATE if
   *   respond() has not succeeded or finish() was already called
   * @example const key = b.finish(sa);
   */
  finish(initiatorConfirmation?: Uint8Array): Uint8Array {
    const pending = this.#pending;
    if (!pending) throw usedUp();
    if (this.#confirm) abytes(initiatorConfirmation, 'initiatorConfirmation', 32);
    else if (initiatorConfirmation !== undefined) {
      throw new RangeError('"initiatorConfirmation" given but "confirm" is false');
    }
    this.#pending = undefined;
    if (this.#confirm && !equalBytes(pending.s03, initiatorConfirmation!)) {
      wipe(pending.key, pending.s03);
      throw confirmationFailed("initiator's (SA)");
    }
    wipe(pending.s03);
    return pending.key;
  }
}
