/**
 * NDJSON (one JSON value per line) plumbing shared by the hashing stream, the pino transport, the
 * audit chain and the CLI: splitting a byte stream into lines across chunk boundaries (and across
 * UTF-8 sequences split between chunks), with malformed lines counted and skipped, never fatal.
 * @module
 */
import { StringDecoder } from 'node:string_decoder';
import { Transform, type TransformCallback } from 'node:stream';
import { createFieldHasher, type FieldHasher, type FieldHasherOptions } from './hasher.js';

/** Longest line accepted by default (16 MiB of text); a longer one is skipped as malformed. */
export const DEFAULT_MAX_LINE = 16 * 1024 * 1024;

/** A line that was skipped, as reported by the 'malformed' event and `onMalformed`. */
export interface MalformedLine {
  /** 1-based line number in the input. */
  line: number;
  /** Why it was skipped. */
  reason: string;
}

/** One line of input and its 1-based number. */
export interface Line {
  text: string;
  line: number;
}

/** Splits text chunks into complete lines, carrying the incomplete tail to the next chunk. */
export class LineSplitter {
  readonly #decoder = new StringDecoder('utf8');
  #carry = '';
  /** Set while the rest of an over-long line is being skipped. */
  #skipping = false;
  readonly #maxLine: number;
  /** Lines completed so far (including blank and over-long ones). */
  lineCount = 0;
  /** Bytes (or characters, for string input) consumed. */
  bytes = 0;

  constructor(
    readonly onLongLine: (line: number) => void,
    maxLine = DEFAULT_MAX_LINE,
  ) {
    this.#maxLine = maxLine;
  }

  /** The complete lines in `chunk` (without their `\n` or `\r\n`). */
  push(chunk: Uint8Array | string): Line[] {
    this.bytes += chunk.length;
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk as Buffer);
    return this.#split(text, false);
  }

  /** The last line, if the input did not end with a newline. */
  end(): Line[] {
    return this.#split(this.#decoder.end(), true);
  }

  #split(text: string, final: boolean): Line[] {
    const lines: Line[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const piece = text.slice(start, nl);
      start = nl + 1;
      this.lineCount++;
      if (this.#skipping) {
        this.#skipping = false;
        this.#carry = '';
        continue;
      }
      const line = this.#carry ? this.#carry + piece : piece;
      this.#carry = '';
      if (line.length > this.#maxLine) {
        this.onLongLine(this.lineCount);
        continue;
      }
      lines.push({ text: line.endsWith('\r') ? line.slice(0, -1) : line, line: this.lineCount });
    }
    const rest = text.slice(start);
    if (!this.#skipping) {
      this.#carry += rest;
      if (this.#carry.length > this.#maxLine) {
        this.#carry = '';
        this.#skipping = true;
        this.onLongLine(this.lineCount + 1);
      }
    }
    if (final) {
      if (this.#carry) {
        this.lineCount++;
        lines.push({ text: this.#carry.endsWith('\r') ? this.#carry.slice(0, -1) : this.#carry, line: this.lineCount });
      } else if (this.#skipping) this.lineCount++;
      this.#carry = '';
      this.#skipping = false;
    }
    return lines;
  }
}

/** Options of {@link createNdjsonHasher}. */
export interface NdjsonHasherOptions {
  /** Longest line accepted, in characters (default 16 MiB); longer lines are skipped as malformed. */
  maxLineLength?: number;
  /** Called for each skipped line (the stream also emits 'malformed' with the same object). */
  onMalformed?: (info: MalformedLine) => void;
}

/** The Transform returned by {@link createNdjsonHasher}. */
export interface NdjsonHasherStream extends Transform {
  /** The field hasher in use (its `stats` count hashed and failed fields). */
  readonly hasher: FieldHasher;
  /** Records written out. */
  readonly records: number;
  /** Lines skipped because they were not JSON (or too long). */
  readonly malformed: number;
  /** Input bytes consumed (for progress). */
  readonly bytesIn: number;
}

/**
 * Turns NDJSON text into records and back, hashing every chunk's records in one batch. Used by
 * the Transform, the pino transport and the CLI.
 */
export class NdjsonProcessor {
  readonly #splitter: LineSplitter;
  records = 0;
  malformed = 0;

  constructor(
    readonly hasher: FieldHasher,
    readonly onMalformed: (info: MalformedLine) => void,
    maxLine = DEFAULT_MAX_LINE,
  ) {
    this.#splitter = new LineSplitter((line) => this.#bad(line, 'line too long'), maxLine);
  }

  get bytesIn(): number {
    return this.#splitter.bytes;
  }

  #bad(line: number, reason: string): void {
    this.malformed++;
    this.onMalformed({ line, reason });
  }

  /** The output text for an input chunk ('' when it held no complete line). */
  push(chunk: Uint8Array | string): string {
    return this.#process(this.#splitter.push(chunk));
  }

  /** The output text for the input's last line, if it had no newline. */
  end(): string {
    return this.#process(this.#splitter.end());
  }

  #process(lines: Line[]): string {
    if (lines.length === 0) return '';
    const parsed: unknown[] = [];
    for (const { text, line } of lines) {
      if (text.trim() === '') continue;
      try {
        parsed.push(JSON.parse(text));
      } catch (err) {
        this.#bad(line, `not JSON: ${(err as Error).message}`);
      }
    }
    if (parsed.length === 0) return '';
    const hashed = this.hasher.hashRecords(parsed);
    let out = '';
    for (const r of hashed) out += JSON.stringify(r) + '\n';
    this.records += hashed.length;
    return out;
  }
}

/**
 * A Transform from NDJSON text to NDJSON text with the selected fields of every record hashed;
 * all the records of one input chunk are hashed in one batch. Lines that are not JSON are
 * skipped, counted (`malformed`) and reported through the 'malformed' event; they never end the
 * stream. Blank lines are dropped. Values that are not objects pass through.
 * @param hasher a {@link FieldHasher} or the options to make one
 * @param options line limit and malformed-line callback
 * @example
 * pipeline(fs.createReadStream('in.ndjson'), createNdjsonHasher({ key, fields: ['user.phone'] }),
 *          fs.createWriteStream('out.ndjson'), cb);
 */
export function createNdjsonHasher(
  hasher: FieldHasher | FieldHasherOptions,
  options: NdjsonHasherOptions = {},
): NdjsonHasherStream {
  const h = typeof hasher === 'function' ? hasher : createFieldHasher(hasher);
  if (options.onMalformed !== undefined && typeof options.onMalformed !== 'function') {
    throw new TypeError('"onMalformed" must be a function');
  }
  const proc = new NdjsonProcessor(
    h,
    (info) => {
      options.onMalformed?.(info);
      stream.emit('malformed', info);
    },
    options.maxLineLength ?? DEFAULT_MAX_LINE,
  );
  const stream: Transform = new Transform({
    transform(chunk: Uint8Array | string, _enc: BufferEncoding, cb: TransformCallback) {
      const out = proc.push(chunk);
      cb(null, out === '' ? undefined : out);
    },
    flush(cb: TransformCallback) {
      const out = proc.end();
      cb(null, out === '' ? undefined : out);
    },
  });
  return Object.defineProperties(stream, {
    hasher: { value: h },
    records: { get: () => proc.records },
    malformed: { get: () => proc.malformed },
    bytesIn: { get: () => proc.bytesIn },
  }) as NdjsonHasherStream;
}
