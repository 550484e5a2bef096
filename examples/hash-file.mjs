#!/usr/bin/env node
// SM3 checksums of files, streamed, in the format of sha256sum:
//
//   node examples/hash-file.mjs FILE...
//
// Two equivalent ways: guomi's own streaming hash (sm3.create()), and the node:crypto-shaped
// Transform (createHash('sm3')) for code written against node:crypto.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createHash, sm3 } from 'guomi/sm3';

/** SM3 of a file with sm3.create(): read in chunks, so any size works in constant memory. */
export async function sm3OfFile(path) {
  const h = sm3.create();
  for await (const chunk of createReadStream(path)) h.update(chunk);
  return Buffer.from(h.digest()).toString('hex');
}

/** The same with the node:crypto-compatible stream: swap `node:crypto` for `guomi/sm3`. */
export async function sm3OfFileStream(path) {
  const hash = createHash('sm3');
  // As with node:crypto, the stream pushes the digest when the input ends: read it from there
  // (calling digest() again would throw, as it does in node:crypto).
  await pipeline(createReadStream(path), hash);
  return hash.read().toString('hex');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node examples/hash-file.mjs FILE...');
  process.exit(2);
}
for (const file of files) {
  const a = await sm3OfFile(file);
  const b = await sm3OfFileStream(file);
  if (a !== b) throw new Error('the two ways disagree');
  console.log(`${a}  ${file}`);
}
