#!/usr/bin/env node
// The SM2 key exchange of GB/T 32918.3 (with key confirmation), and plain ECDH:
//
//   node examples/sm2-key-exchange.mjs
//
// Both parties have a static key pair and know the other's public key and ID. Three messages:
// A -> B: RA; B -> A: RB, SB; A -> B: SA. Both end with the same key; a wrong static key, ID or
// a tampered message makes finish() throw GuomiError ERR_SM2_KEY_CONFIRMATION.
import { Sm2KeyExchangeInitiator, Sm2KeyExchangeResponder, Sm2PrivateKey, ecdh } from 'guomi/sm2';

const alice = Sm2PrivateKey.generate();
const bob = Sm2PrivateKey.generate();

const a = new Sm2KeyExchangeInitiator({
  privateKey: alice,
  peerPublicKey: bob.publicKey,
  id: 'alice@example.cn',
  peerId: 'bob@example.cn',
  keyLength: 16, // bytes: an SM4 key
});
const b = new Sm2KeyExchangeResponder({
  privateKey: bob,
  peerPublicKey: alice.publicKey,
  id: 'bob@example.cn',
  peerId: 'alice@example.cn',
  keyLength: 16,
});

const ra = a.ephemeralPublicKey; // A -> B
const { ephemeralPublicKey: rb, confirmation: sb } = b.respond(ra); // B -> A
const { key: keyA, confirmation: sa } = a.finish(rb, sb); // A checks SB; A -> B: SA
const keyB = b.finish(sa); // B checks SA

console.log(`A ${Buffer.from(keyA).toString('hex')}`);
console.log(`B ${Buffer.from(keyB).toString('hex')}`);
console.log(`equal ${Buffer.from(keyA).equals(Buffer.from(keyB))}`);

// A party that uses the wrong ID for its peer is caught by the confirmation.
const a2 = new Sm2KeyExchangeInitiator({ privateKey: alice, peerPublicKey: bob.publicKey, id: 'alice@example.cn', peerId: 'mallory', keyLength: 16 });
const b2 = new Sm2KeyExchangeResponder({ privateKey: bob, peerPublicKey: alice.publicKey, id: 'bob@example.cn', peerId: 'alice@example.cn', keyLength: 16 });
const r2 = b2.respond(a2.ephemeralPublicKey);
try {
  a2.finish(r2.ephemeralPublicKey, r2.confirmation);
} catch (err) {
  console.log(`wrong peer ID: ${err.code}`);
}

// Plain ECDH (the x coordinate of [d]Q, as TLS 1.3 uses it): hash it with a KDF before use.
const s1 = ecdh(alice, bob.publicKey);
const s2 = ecdh(bob, alice.publicKey);
console.log(`ecdh equal ${Buffer.from(s1).equals(Buffer.from(s2))}`);
