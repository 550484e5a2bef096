#!/usr/bin/env node
// Keys from a password (PBKDF2-HMAC-SM3) and from a shared secret (HKDF-SM3):
//
//   node examples/derive-keys.mjs PASSWORD SALT_HEX
//
// PBKDF2 runs on the libuv thread pool with pbkdf2Sm3Async, so a server stays responsive.
import { hkdfSm3, pbkdf2Sm3Async } from 'guomi/sm3';

const [password, saltHex] = process.argv.slice(2);
if (password === undefined || saltHex === undefined) {
  console.error('usage: node examples/derive-keys.mjs PASSWORD SALT_HEX');
  process.exit(2);
}
const salt = Buffer.from(saltHex, 'hex');

// RFC 8018 §5.2 with HMAC-SM3; pick the iteration count for your hardware (here 10 000).
const master = await pbkdf2Sm3Async(password, salt, 10_000, 32);
console.log(`pbkdf2 ${Buffer.from(master).toString('hex')}`);

// RFC 5869: one 16-byte SM4 key per purpose from the master key.
const encKey = hkdfSm3(master, salt, 'guomi example: encryption', 16);
const macKey = hkdfSm3(master, salt, 'guomi example: mac', 32);
console.log(`enc ${Buffer.from(encKey).toString('hex')}`);
console.log(`mac ${Buffer.from(macKey).toString('hex')}`);
