/**
 * A pino transport that hashes fields in pino's worker thread and writes NDJSON to a file or a
 * file descriptor. The logging thread then does no hashing at all:
 *
 * ```ts
 * const logger = pino(pino.transport({
 *   target: 'guomi/log',   // or pinoTransportTarget, the absolute path of this file
 *   options: { keyFile: '/run/secrets/log-key', keyId: '2025q1',
 *              fields: [{ path: 'user.phone', normalize: 'phone' }], destination: '/var/log/app.ndjson' },
 * }));
 * ```
 *
 * The options travel to the worker by structured clone, so they must be plain data: a key as
 * bytes or in a file, normalisers by name (functions cannot be cloned).
 * @module
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { createFieldHasher, type FieldHasherOptions } from './hasher.js';
import { readKeyFile } from './keyfile.js';
import { NdjsonProcessor } from './ndjson.js';

/** Options of {@link pinoTransport}: those of the field hasher, plus where the key and output are. */
export interface PinoTransportOptions extends Omit<FieldHasherOptions, 'key'> {
  /** The key as bytes (a Buffer arrives in the worker as a Uint8Array). Or use `keyFile`. */
  key?: Uint8Array;
  /** A file holding the key: hex text, or the raw bytes. */
  keyFile?: string;
  /** A file path, or a file descriptor (default 1, standard output). */
  destination?: string | number;
  /** Create the destination's directory if missing (default false). */
  mkdir?: boolean;
  /** Append to the destination file (default true) rather than truncate it. */
  append?: boolean;
}

/**
 * The absolute path of this module, for `pino.transport({ target: pinoTransportTarget })` when
 * the package name cannot be resolved from the caller (bundlers, tests).
 */
export const pinoTransportTarget: string = /* @__PURE__ */ fileURLToPath(import.meta.url);

/**
 * The transport's stream: NDJSON from pino in, hashed NDJSON out to `destination`. Malformed lines
 * are skipped and counted, never fatal. It closes only once the output is flushed, which pino's
 * worker waits for before it exits.
 * @param options the hasher options plus `keyFile`, `destination`, `mkdir`, `append`
 * @returns a Writable (pino's worker writes to it)
 */
export async function pinoTransport(options: PinoTransportOptions): Promise<Writable> {
  const { keyFile, destination = 1, mkdir: makeDir = false, append = true, ...hasherOptions } = options;
  if (keyFile !== undefined) {
    if (hasherOptions.key !== undefined) throw new TypeError('give either "key" or "keyFile", not both');
    hasherOptions.key = await readKeyFile(keyFile);
  }
  const hasher = createFieldHasher(hasherOptions as FieldHasherOptions);
  let out: WriteStream;
  if (typeof destination === 'number') {
    // Never close a descriptor we did not open (1 is the whole process's standard output).
    out = createWriteStream('', { fd: destination, autoClose: false });
  } else {
    if (makeDir) await mkdir(dirname(destination), { recursive: true });
    out = createWriteStream(destination, { flags: append ? 'a' : 'w' });
  }
  const proc = new NdjsonProcessor(hasher, () => {});
  let failed: Error | undefined;
  out.on('error', (err) => {
    failed = err;
  });
  return new Writable({
    write(chunk: Uint8Array | string, _enc, cb) {
      if (failed) return cb(failed);
      const text = proc.push(chunk);
      if (text === '') return cb();
      // Buffer up to the file stream's high-water mark, then wait for it to drain (or fail).
      if (out.write(text)) return cb();
      const onDrain = () => {
        out.off('error', onError);
        cb();
      };
      const onError = (err: Error) => {
        out.off('drain', onDrain);
        cb(err);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    },
    final(cb) {
      const text = proc.end();
      const done = (err?: Error | null) => {
        hasher.destroy();
        cb(err ?? failed);
      };
      if (typeof destination === 'number') {
        out.end(text, () => done());
      } else {
        out.once('close', () => done());
        out.end(text);
      }
    },
  });
}

export default pinoTransport;
