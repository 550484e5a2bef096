#!/usr/bin/env node
// HMAC-SM3 of a message (RFC 2104 with SM3, GM/T 0042), one-shot, streaming and node:crypto-style:
//
//   node examples/hmac.mjs KEY_HEX MESSAGE
//
// Compare MACs with crypto.timingSafeEqual, never with === on hex strings.
import { timingSafeEqual } from 'node:crypto';
import { createHmac, hmacSm3 } from 'guomi/sm3';

const [keyHex, message] = process.argv.slice(2);
if (keyHex === undefined || message === undefined) {
  console.error('usage: node examples/hmac.mjs KEY_HEX MESSAGE');
  process.exit(2);
}
const key = Buffer.from(keyHex, 'hex');

const oneShot = hmacSm3(key, message); // a string is taken as UTF-8

const h = hmacSm3.create(key); // streaming: update() as the data arrives
for (const part of message.split(/(?<= )/)) h.update(part);
const streamed = h.digest();

const nodeStyle = createHmac('sm3', key).update(message, 'utf8').digest(); // a Buffer, as node:crypto

console.log(`hmac-sm3 ${Buffer.from(oneShot).toString('hex')}`);
console.log(`equal ${timingSafeEqual(oneShot, streamed) && timingSafeEqual(oneShot, nodeStyle)}`);
