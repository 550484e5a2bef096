/**
 * Tamper-evident audit logs: an HMAC-SM3 hash chain over the records, with optional SM2-signed
 * checkpoints that anyone holding only the public key can check.
 *
 * ## Format
 *
 * Each output record is the input record with one member added, `"_audit": {"seq": n, "mac": h}`:
 *
 * - `seq` counts records from 0 (or from `start.seq` when a chain is resumed, e.g. in the next
 *   file after log rotation);
 * - `mac` = hex `HMAC-SM3(Ka, c[n-1] || u64be(n) || C(body))`, where `Ka = HMAC-SM3(key,
 *   "guomi-log-v1:audit")`, `body` is the record without `_audit`, `C` its canonical JSON in UTF-8
 *   (canonical.ts: sorted keys, no whitespace, RFC 8785), and `c[n-1]` the previous `mac` (32 zero
 *   bytes before the first record). The MAC therefore covers the sequence number, the content
 *   and, through the previous value, everything before: altering, deleting, inserting or
 *   reordering records breaks the chain at that point, and only a holder of the key can repair it.
 *
 * Alongside runs a keyless digest chain `d[n] = SM3(d[n-1] || u64be(n) || C(body))` (32 zero bytes
 * before the first record). It is not written per record: every `checkpoint.every` records (and at
 * the end) the chain adds a checkpoint record, itself chained like any other,
 * `{"_checkpoint": {"v": 1, "through": m, "digest": hex d[m], "sig": base64 DER}}`, where `sig` is
 * an SM2 signature (GB/T 32918.2, with `id`, default 1234567812345678) over the canonical JSON of
 * `{"digest": …, "through": m, "type": "guomi-log-checkpoint", "v": 1}`. A verifier without the
 * HMAC key recomputes `d` from the records and checks each checkpoint with the public key, so
 * everything up to the last checkpoint is verified publicly (an auditor need not hold the key
 * that could forge the chain).
 * @module
 */
import { Transform, type TransformCallback } from 'node:stream';
import { hmacSm3, sm3 } from '../sm3.js';
import { Sm2PrivateKey, Sm2PublicKey, type Sm2PrivateKeyInput, type Sm2PublicKeyInput } from '../sm2.js';
import { GuomiError } from '../errors.js';
import { aint, aoneOf, aoptions, bytesToHex, equalBytes, hexToBytes } from '../utils.js';
import { canonicalJson } from './canonical.js';
import { auditKey, checkKey } from './keys.js';
import { LineSplitter, type Line, type MalformedLine } from './ndjson.js';

/** The member holding `{seq, mac}` in every chained record. */
export const AUDIT_FIELD = '_audit';
/** The member holding a checkpoint's body. */
export const CHECKPOINT_FIELD = '_checkpoint';
const CHECKPOINT_TYPE = 'guomi-log-checkpoint';
const ZERO_HEX = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

/** Where a chain stands: the next sequence number and the last chain and digest values (hex). */
export interface AuditChainHead {
  /** The sequence number of the next record. */
  seq: number;
  /** The last record's `mac` (64 zeros before the first record). */
  chain: string;
  /** The keyless digest chain's last value (64 zeros before the first record). */
  digest: string;
}

/** The head of a new chain. */
export const AUDIT_GENESIS: Readonly<AuditChainHead> = Object.freeze({ seq: 0, chain: ZERO_HEX, digest: ZERO_HEX });

/** Signed checkpoints. */
export interface AuditCheckpointOptions {
  /** The SM2 key that signs checkpoints (a key object, PEM, DER or raw bytes). */
  privateKey: Sm2PrivateKeyInput;
  /** Add a checkpoint after this many records (default 1000); one is always added at the end. */
  every?: number;
  /** The SM2 signer ID (default '1234567812345678'); the verifier must use the same. */
  id?: string;
}

/** Options of {@link createAuditChain}. */
export interface AuditChainOptions {
  /** The chain key (random bytes, at least 16). Keep it apart from the field-hashing key. */
  key: Uint8Array;
  /** Resume a chain (e.g. in the next file after rotation): the `head` it stopped at. */
  start?: AuditChainHead;
  /** Periodic SM2-signed checkpoints (default: none). */
  checkpoint?: AuditCheckpointOptions;
  /** The readable side: record objects (default) or NDJSON text, one line per record. */
  output?: 'object' | 'ndjson';
}

/** The Transform returned by {@link createAuditChain}. */
export interface AuditChain extends Transform {
  /**
   * Chains one record now and returns the chained copy (the record passed in is not modified).
   * Unlike write(), it does not push to the stream: use it on its own, e.g. inside a logger hook,
   * and call {@link AuditChain.checkpoint} when you want a checkpoint.
   * @throws TypeError if the record is not an object or cannot be written as JSON; GuomiError
   *   ERR_INVALID_STATE once the stream has ended or been destroyed (the key is wiped then)
   */
  append(record: object): Record<string, unknown>;
  /**
   * A chained, signed checkpoint record covering everything so far, or undefined without a
   * signing key or when nothing was chained since the last checkpoint. Not pushed to the stream.
   */
  checkpoint(): Record<string, unknown> | undefined;
  /** Where the chain stands; save it to resume the chain later (`start`). */
  readonly head: AuditChainHead;
  /** Written items skipped because they were not JSON objects. */
  readonly malformed: number;
}

function u64be(out: Uint8Array, offset: number, n: number): void {
  const hi = Math.floor(n / 0x100000000);
  const lo = n >>> 0;
  out[offset] = hi >>> 24;
  out[offset + 1] = (hi >>> 16) & 0xff;
  out[offset + 2] = (hi >>> 8) & 0xff;
  out[offset + 3] = hi & 0xff;
  out[offset + 4] = lo >>> 24;
  out[offset + 5] = (lo >>> 16) & 0xff;
  out[offset + 6] = (lo >>> 8) & 0xff;
  out[offset + 7] = lo & 0xff;
}

/** prev (32) || u64be(seq) || UTF-8(text): the input of both chains. */
function frame(prev: Uint8Array, seq: number, text: string): Uint8Array {
  const len = Buffer.byteLength(text);
  const out = new Uint8Array(40 + len);
  out.set(prev, 0);
  u64be(out, 32, seq);
  Buffer.from(out.buffer, out.byteOffset + 40, len).write(text, 'utf8');
  return out;
}

function macOf(ka: Uint8Array, prevChain: Uint8Array, seq: number, text: string): Uint8Array {
  return hmacSm3(ka, frame(prevChain, seq, text));
}

function digestOf(prevDigest: Uint8Array, seq: number, text: string): Uint8Array {
  return sm3(frame(prevDigest, seq, text));
}

function checkpointPayload(through: number, digest: string): string {
  return canonicalJson({ type: CHECKPOINT_TYPE, v: 1, through, digest });
}

function checkHead(value: unknown, name: string): AuditChainHead {
  const h = aoptions<AuditChainHead>(value, name);
  const seq = aint(h.seq, `${name}.seq`, 0, Number.MAX_SAFE_INTEGER);
  for (const k of ['chain', 'digest'] as const) {
    if (typeof h[k] !== 'string' || !HEX64.test(h[k])) throw new RangeError(`"${name}.${k}" must be 64 lower-case hex digits`);
  }
  return { seq, chain: h.chain!, digest: h.digest! };
}

/** The record as JSON would see it (toJSON applied), split into body and audit member. */
function splitRecord(record: unknown): { body: Record<string, unknown>; audit: unknown } | undefined {
  let r = record;
  if (r !== null && typeof r === 'object' && typeof (r as { toJSON?: unknown }).toJSON === 'function') {
    r = (r as { toJSON: (k: string) => unknown }).toJSON('');
  }
  if (r === null || typeof r !== 'object' || Array.isArray(r)) return undefined;
  const { [AUDIT_FIELD]: audit, ...body } = r as Record<string, unknown>;
  return { body, audit };
}

/**
 * Creates an audit chain: an object-mode Transform that adds `_audit: {seq, mac}` to every record
 * written to it (see the module documentation for the exact computation), plus signed checkpoint
 * records when `checkpoint` is given. Strings and Buffers written to it are parsed as one JSON
 * record each; anything that is not a JSON object is skipped, counted and reported by a
 * 'malformed' event, never fatal.
 * @param options the chain key, optional resume point, checkpoint signer and output form
 * @throws TypeError / RangeError for invalid options
 * @example
 * const chain = createAuditChain({ key, checkpoint: { privateKey, every: 1000 }, output: 'ndjson' });
 * pipeline(records, chain, fs.createWriteStream('audit.ndjson'), cb);
 * chain.append({ event: 'login', user: 'sm3:k1:…' }) // { event, user, _audit: { seq, mac } }
 */
export function createAuditChain(options: AuditChainOptions): AuditChain {
  const o = aoptions<AuditChainOptions>(options);
  const key = checkKey(o.key);
  const ka = auditKey(key);
  key.fill(0);
  const start = o.start === undefined ? AUDIT_GENESIS : checkHead(o.start, 'start');
  const output = o.output === undefined ? 'object' : aoneOf(o.output, 'output', ['object', 'ndjson'] as const);
  let signer: { key: Sm2PrivateKey; every: number; id: string | undefined; owned: boolean } | undefined;
  if (o.checkpoint !== undefined) {
    const c = aoptions<AuditCheckpointOptions>(o.checkpoint, 'checkpoint');
    const every = c.every === undefined ? 1000 : aint(c.every, 'checkpoint.every', 1, Number.MAX_SAFE_INTEGER);
    if (c.id !== undefined && typeof c.id !== 'string') throw new TypeError('"checkpoint.id" must be a string');
    const priv = c.privateKey instanceof Sm2PrivateKey ? c.privateKey : Sm2PrivateKey.from(c.privateKey as Exclude<Sm2PrivateKeyInput, Sm2PrivateKey>);
    signer = { key: priv, every, id: c.id, owned: priv !== c.privateKey };
  }

  let seq = start.seq;
  let chain = hexToBytes(start.chain);
  let digest = hexToBytes(start.digest);
  let sinceCheckpoint = 0;
  let malformed = 0;
  let written = 0;

  let closed = false;
  function chainBody(body: Record<string, unknown>): Record<string, unknown> {
    if (closed) throw new GuomiError('ERR_INVALID_STATE', 'audit chain: used after the stream was destroyed');
    const text = canonicalJson(body);
    if (seq > Number.MAX_SAFE_INTEGER) throw new RangeError('audit chain: sequence number overflow');
    const mac = macOf(ka, chain, seq, text);
    digest = digestOf(digest, seq, text);
    chain = mac;
    const out = { ...body, [AUDIT_FIELD]: { seq, mac: bytesToHex(mac) } };
    seq++;
    return out;
  }

  function append(record: object): Record<string, unknown> {
    const parts = splitRecord(record);
    if (!parts) throw new TypeError('audit chain: a record must be a JSON object');
    const out = chainBody(parts.body);
    sinceCheckpoint++;
    return out;
  }

  function checkpoint(): Record<string, unknown> | undefined {
    if (!signer || sinceCheckpoint === 0) return undefined;
    const through = seq - 1;
    const d = bytesToHex(digest);
    const sig = signer.key.sign(checkpointPayload(through, d), { id: signer.id });
    sinceCheckpoint = 0;
    return chainBody({ [CHECKPOINT_FIELD]: { v: 1, through, digest: d, sig: Buffer.from(sig).toString('base64') } });
  }

  const emit = (r: Record<string, unknown>) => stream.push(output === 'ndjson' ? JSON.stringify(r) + '\n' : r);
  const stream: Transform = new Transform({
    writableObjectMode: true,
    readableObjectMode: output === 'object',
    transform(item: unknown, _enc: BufferEncoding, cb: TransformCallback) {
      written++;
      let record = item;
      if (typeof item === 'string' || item instanceof Uint8Array) {
        try {
          record = JSON.parse(typeof item === 'string' ? item : Buffer.from(item).toString('utf8'));
        } catch {
          record = undefined;
        }
      }
      let out: Record<string, unknown> | undefined;
      try {
        out = record !== null && typeof record === 'object' && !Array.isArray(record) ? append(record) : undefined;
      } catch {
        out = undefined;
      }
      if (!out) {
        malformed++;
        stream.emit('malformed', { line: written, reason: 'not a JSON object' } satisfies MalformedLine);
        return cb();
      }
      emit(out);
      if (signer && sinceCheckpoint >= signer.every) {
        try {
          emit(checkpoint()!);
        } catch (err) {
          return cb(err as Error);
        }
      }
      cb();
    },
    flush(cb: TransformCallback) {
      try {
        const c = checkpoint();
        if (c) emit(c);
        cb();
      } catch (err) {
        cb(err as Error);
      }
    },
    destroy(err: Error | null, cb: (error: Error | null) => void) {
      // The stream is done (ended or destroyed): wipe the chain key and any key made here.
      closed = true;
      ka.fill(0);
      if (signer?.owned) signer.key.destroy();
      cb(err);
    },
  });
  return Object.defineProperties(stream, {
    append: { value: append },
    checkpoint: { value: checkpoint },
    head: { get: (): AuditChainHead => ({ seq, chain: bytesToHex(chain), digest: bytesToHex(digest) }) },
    malformed: { get: () => malformed },
  }) as AuditChain;
}

/** Kinds of failure {@link verifyAuditChain} reports. */
export type AuditFailureReason = 'altered' | 'missing' | 'inserted' | 'reordered' | 'bad-checkpoint';

/** Options of {@link verifyAuditChain}: the HMAC key, or the checkpoint public key, or both. */
export interface AuditVerifyOptions {
  /** The chain key: every record's MAC is checked. */
  key?: Uint8Array;
  /** The checkpoint signer's public key: every checkpoint's signature and digest are checked. */
  publicKey?: Sm2PublicKeyInput;
  /** The SM2 signer ID used for the checkpoints (default '1234567812345678'). */
  id?: string;
  /** Where the chain is expected to start (default: a new chain, seq 0). */
  start?: AuditChainHead;
  /**
   * Where the chain is expected to end (a `head` saved when writing stopped): records missing at
   * the end are then reported too. `chain` and `digest` may be left out.
   */
  end?: Partial<AuditChainHead> & { seq: number };
}

/** What {@link verifyAuditChain} resolves to. */
export interface AuditVerifyResult {
  /** True when no record failed. */
  ok: boolean;
  /** Index of the first bad record (0-based among the records, malformed lines not counted); -1 if ok. */
  index: number;
  /** The kind of the first failure. */
  reason?: AuditFailureReason;
  /** 1-based input line of the first bad record, when the input was text. */
  line?: number;
  /** A human-readable account of the failure. */
  detail?: string;
  /** Records read (checkpoints included). */
  records: number;
  /** Lines skipped because they were not JSON objects. */
  malformed: number;
  /** Checkpoints verified. */
  checkpoints: number;
  /**
   * Without the HMAC key: records after the last checkpoint, which nothing vouches for yet.
   * (With the key every record is verified and this is 0.)
   */
  unverified: number;
  /**
   * The state after the last good record: `start` for the chain's next file. (Without the key,
   * `chain` is the last record's MAC as found, unverified.)
   */
  head: AuditChainHead;
}

/**
 * What verification accepts: NDJSON text; an array of lines or records; a byte stream (a file
 * stream, standard input); or an (async) iterable of lines or records, such as `readline`.
 */
export type AuditSource =
  | string
  | Uint8Array
  | readonly (string | Uint8Array | object)[]
  | Iterable<string | Uint8Array | object>
  | AsyncIterable<string | Uint8Array | object>;

interface Item {
  record: Record<string, unknown> | undefined;
  line: number | undefined;
}

function parseLine(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Arrays: each element is one line (string or bytes) or one record (object). Other sources: bytes
 * are chunks of NDJSON text, split into lines across chunk boundaries; strings are chunks too when
 * they come from a byte-mode Readable (`setEncoding`), and otherwise complete pieces of text (one
 * line or several, as from `readline` or a generator of lines); objects are records. A string or
 * bytes alone is a whole NDJSON text.
 */
async function* itemsOf(source: AuditSource): AsyncGenerator<Item | 'blank'> {
  if (Array.isArray(source)) {
    for (let i = 0; i < source.length; i++) {
      const el: unknown = source[i];
      if (typeof el === 'string' || el instanceof Uint8Array) {
        const text = typeof el === 'string' ? el : Buffer.from(el).toString('utf8');
        yield text.trim() === '' ? 'blank' : { record: parseLine(text), line: i + 1 };
      } else yield { record: el !== null && typeof el === 'object' && !Array.isArray(el) ? (el as Record<string, unknown>) : undefined, line: undefined };
    }
    return;
  }
  const whole = typeof source === 'string' || source instanceof Uint8Array;
  const iterable: AsyncIterable<unknown> | Iterable<unknown> = whole ? [source] : (source as Iterable<unknown>);
  const stream = source as { pipe?: unknown; readableObjectMode?: unknown };
  const stringsAreChunks = whole || (typeof stream.pipe === 'function' && stream.readableObjectMode === false);
  // An over-long line (16 MiB) is skipped by the splitter; it counts as malformed.
  const long: number[] = [];
  const splitter = new LineSplitter((line) => long.push(line));
  let lineNo = 0;
  const lines = function* (list: Line[]): Generator<Item | 'blank'> {
    while (long.length) yield { record: undefined, line: long.shift() };
    for (const l of list) {
      lineNo = l.line;
      yield l.text.trim() === '' ? 'blank' : { record: parseLine(l.text), line: l.line };
    }
  };
  for await (const chunk of iterable) {
    if (chunk instanceof Uint8Array || (typeof chunk === 'string' && stringsAreChunks)) yield* lines(splitter.push(chunk));
    else if (typeof chunk === 'string') {
      for (const text of chunk.split('\n')) {
        lineNo++;
        yield text.trim() === '' ? 'blank' : { record: parseLine(text), line: lineNo };
      }
    } else yield { record: chunk !== null && typeof chunk === 'object' && !Array.isArray(chunk) ? (chunk as Record<string, unknown>) : undefined, line: undefined };
  }
  yield* lines(splitter.end());
}

/** A failure that needs the records after it to be classified. */
interface Pending {
  index: number;
  line: number | undefined;
  /** The sequence number expected at the failure and the one found (NaN: none). */
  expected: number;
  found: number;
  /**
   * 'next': decided by the next record alone (does it take the place of the bad one?).
   * 'gap' (a record from further on): first undecided; then 'follow' while the records after it
   * continue the chain from before the gap, 'scan' if they do not (look for the skipped
   * sequence numbers later), and 'await' (public-key mode) once the chain has reached it.
   */
  mode: 'next' | 'gap' | 'follow' | 'scan' | 'await';
  /** The answer if the input ends first. */
  otherwise: AuditFailureReason;
  /** The chain before the failure, advanced while following. */
  chain: Uint8Array;
  next: number;
  /** The out-of-place record (gap only). */
  text: string;
  mac: string | undefined;
}

/**
 * Verifies an audit chain (see {@link createAuditChain}) and reports the first bad record.
 *
 * With `key`, every record's MAC is checked; the first failure is classified from the sequence
 * numbers and the records after it: `altered` (content or sequence number changed), `missing`
 * (records deleted: a gap in the sequence that nothing later fills; also records cut off the end
 * when `end` is given), `inserted` (a record the chain did not produce, or a replayed copy),
 * `reordered` (a gap whose missing records appear later), `bad-checkpoint` (a checkpoint whose
 * signature or digest does not verify). With `publicKey` alone, sequence numbers and checkpoints
 * are checked (an alteration shows at the checkpoint after it) and records after the last
 * checkpoint are counted as `unverified`. Lines that are not JSON objects are skipped and
 * counted (`malformed`); blank lines are ignored.
 * @param source NDJSON text, an array of lines or records, an (async) iterable or a stream
 * @param options `key` and/or `publicKey`, and optionally `id`, `start`, `end`
 * @returns `{ ok, index, reason, line, detail, records, malformed, checkpoints, unverified, head }`
 * @throws TypeError / RangeError for invalid options (never for bad input data)
 * @example const { ok, index, reason } = await verifyAuditChain(fs.createReadStream('audit.ndjson'), { key });
 */
export async function verifyAuditChain(source: AuditSource, options: AuditVerifyOptions): Promise<AuditVerifyResult> {
  const o = aoptions<AuditVerifyOptions>(options);
  let ka: Uint8Array | undefined;
  if (o.key !== undefined) {
    const key = checkKey(o.key);
    ka = auditKey(key);
    key.fill(0);
  }
  let pub: Sm2PublicKey | undefined;
  if (o.publicKey !== undefined) {
    pub = o.publicKey instanceof Sm2PublicKey ? o.publicKey : Sm2PublicKey.from(o.publicKey as Exclude<Sm2PublicKeyInput, Sm2PublicKey>);
  }
  if (!ka && !pub) throw new TypeError('verifyAuditChain needs "key" (the chain key) or "publicKey" (the checkpoint key)');
  if (o.id !== undefined && typeof o.id !== 'string') throw new TypeError('"id" must be a string');
  const start = o.start === undefined ? AUDIT_GENESIS : checkHead(o.start, 'start');
  let endSeq: number | undefined;
  if (o.end !== undefined) endSeq = aint(aoptions<AuditChainHead>(o.end, 'end').seq, 'end.seq', 0, Number.MAX_SAFE_INTEGER);

  let expected = start.seq;
  let chain = hexToBytes(start.chain);
  let digest = hexToBytes(start.digest);
  let records = 0, malformed = 0, checkpoints = 0;
  /** Records since the last checkpoint that verified (public-key mode). */
  let sinceCheckpoint = 0;
  let pending: Pending | undefined;
  let failure: { index: number; line: number | undefined; reason: AuditFailureReason; detail: string } | undefined;

  const describe = (p: Pending, reason: AuditFailureReason): string => {
    switch (reason) {
      case 'missing':
        return `record ${p.expected}${p.found - p.expected > 1 ? `..${p.found - 1}` : ''} missing (next record found is ${p.found})`;
      case 'reordered':
        return `record ${p.found} found where record ${p.expected} was expected: the records are out of order`;
      case 'inserted':
        if (Number.isNaN(p.found)) return `a record without a valid ${AUDIT_FIELD} member where record ${p.expected} was expected`;
        if (p.found === p.expected) return `a record claiming seq ${p.found} that the chain did not produce (the real record ${p.expected} follows it)`;
        return `a record with seq ${p.found} that does not belong here (expected ${p.expected})`;
      default:
        return `record ${p.expected} does not match its MAC (content or sequence number changed)`;
    }
  };
  const fail = (p: Pending, reason: AuditFailureReason) => {
    failure = { index: p.index, line: p.line, reason, detail: describe(p, reason) };
  };

  /** Whether `body` with sequence number `seq` has MAC `mac` after chain value `prev`. */
  const macMatches = (prev: Uint8Array, seq: number, text: string, mac: string) =>
    ka !== undefined && equalBytes(Buffer.from(bytesToHex(macOf(ka, prev, seq, text))), Buffer.from(mac));

  for await (const item of itemsOf(source)) {
    if (item === 'blank') continue;
    const parts = item.record && splitRecord(item.record);
    if (!parts) {
      malformed++;
      continue;
    }
    const index = records++;
    const a = parts.audit as { seq?: unknown; mac?: unknown } | undefined;
    const seq = a && typeof a === 'object' && Number.isSafeInteger(a.seq) && (a.seq as number) >= 0 ? (a.seq as number) : NaN;
    const mac = a && typeof a === 'object' && typeof a.mac === 'string' && HEX64.test(a.mac) ? a.mac : undefined;
    let text: string;
    try {
      text = canonicalJson(parts.body);
    } catch {
      text = '';
    }

    if (pending) {
      const p = pending;
      // Does this record continue the chain from where it stood before the failure?
      const continues = seq === p.next && (ka ? mac !== undefined && macMatches(p.chain, seq, text, mac) : true);
      if (p.mode === 'next') {
        fail(p, continues ? 'inserted' : p.otherwise);
        break;
      }
      if (p.mode === 'await') {
        // Public-key mode, the chain has caught up with the out-of-place record: a second copy
        // of it now means the first was an inserted duplicate; anything else, that it was moved.
        fail(p, seq === p.found ? 'inserted' : 'reordered');
        break;
      }
      if (p.mode === 'gap') p.mode = continues ? 'follow' : 'scan';
      if (p.mode === 'follow') {
        if (!continues) {
          // The records after the odd one go on from before it, but not up to its place.
          fail(p, 'inserted');
          break;
        }
        p.next++;
        if (mac !== undefined) p.chain = hexToBytes(mac);
        p.otherwise = 'inserted';
        if (p.next === p.found) {
          if (ka) {
            // The chain has reached the odd record's place: authentic there means it was moved.
            fail(p, p.mac !== undefined && macMatches(p.chain, p.found, p.text, p.mac) ? 'reordered' : 'inserted');
            break;
          }
          p.mode = 'await';
          p.otherwise = 'reordered';
        }
        continue;
      }
      // 'scan': the skipped records turning up later means they were moved, not deleted.
      if (seq >= p.expected && seq < p.found) {
        fail(p, 'reordered');
        break;
      }
      continue;
    }

    const here = { index, line: item.line, expected, found: seq, chain, next: expected, text, mac };
    if (Number.isNaN(seq) || (ka && mac === undefined)) {
      pending = { ...here, mode: 'next', otherwise: 'inserted' };
      continue;
    }
    if (seq !== expected) {
      // The sequence number itself may be what was changed.
      if (mac !== undefined && macMatches(chain, expected, text, mac)) {
        fail({ ...here, mode: 'next', otherwise: 'altered' }, 'altered');
        break;
      }
      if (seq < expected) pending = { ...here, mode: 'next', otherwise: 'inserted' };
      else pending = { ...here, mode: 'gap', otherwise: 'missing' };
      continue;
    }
    if (ka && !macMatches(chain, seq, text, mac!)) {
      pending = { ...here, mode: 'next', otherwise: 'altered' };
      continue;
    }
    // The record is in place (and, with the key, authentic).
    const cp = parts.body[CHECKPOINT_FIELD] as { v?: unknown; through?: unknown; digest?: unknown; sig?: unknown } | undefined;
    if (cp !== undefined && Object.keys(parts.body).length === 1) {
      const ok =
        cp !== null &&
        typeof cp === 'object' &&
        cp.v === 1 &&
        cp.through === seq - 1 &&
        typeof cp.digest === 'string' &&
        typeof cp.sig === 'string' &&
        (!pub || pub.verify(checkpointPayload(seq - 1, cp.digest), Buffer.from(cp.sig, 'base64'), { id: o.id }));
      if (!ok) {
        failure = { index, line: item.line, reason: 'bad-checkpoint', detail: `checkpoint at record ${seq} has a bad signature or form` };
        break;
      }
      if (cp.digest !== bytesToHex(digest)) {
        // The signature is good, so the records before it are not those that were signed.
        failure = {
          index,
          line: item.line,
          reason: ka ? 'bad-checkpoint' : 'altered',
          detail: `checkpoint at record ${seq} does not match the records before it`,
        };
        break;
      }
      checkpoints++;
      sinceCheckpoint = -1;
    }
    digest = digestOf(digest, seq, text);
    // Without the key the MAC is taken as found: it is only used as the resume point (head).
    if (mac !== undefined) chain = hexToBytes(mac);
    expected = seq + 1;
    sinceCheckpoint++;
  }

  if (!failure && pending) fail(pending, pending.otherwise);
  if (!failure && endSeq !== undefined && expected < endSeq) {
    failure = { index: records, line: undefined, reason: 'missing', detail: `records ${expected}..${endSeq - 1} missing at the end` };
  }
  if (!failure && endSeq !== undefined && expected > endSeq) {
    failure = { index: records - (expected - endSeq), line: undefined, reason: 'inserted', detail: `records past the expected end (${endSeq})` };
  }
  const head: AuditChainHead = { seq: expected, chain: bytesToHex(chain), digest: bytesToHex(digest) };
  const base = { records, malformed, checkpoints, unverified: ka ? 0 : sinceCheckpoint, head };
  if (failure) {
    const r: AuditVerifyResult = { ok: false, index: failure.index, reason: failure.reason, detail: failure.detail, ...base };
    if (failure.line !== undefined) r.line = failure.line;
    return r;
  }
  return { ok: true, index: -1, ...base };
}
