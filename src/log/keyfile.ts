/**
 * Reading a key from a file (CLI `--key-file`, the pino transport's `keyFile`).
 * @module
 */
import { readFile } from 'node:fs/promises';
import { hexToBytes } from '../utils.js';

/**
 * The key in `path`: hex text (whitespace around it ignored; e.g. made with
 * `openssl rand -hex 32 > key`), or else the file's raw bytes (`openssl rand 32 > key`).
 * The key's length is checked where it is used (at least 16 bytes).
 * @throws the file system's error if the file cannot be read
 */
export async function readKeyFile(path: string): Promise<Uint8Array> {
  const raw = new Uint8Array(await readFile(path));
  return parseKeyFile(raw);
}

/** The key in a key file's contents: hex text, or else the raw bytes. */
export function parseKeyFile(raw: Uint8Array): Uint8Array {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1').trim();
  if (text.length >= 32 && text.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(text)) return hexToBytes(text, 'key file');
  return raw;
}
