/**
 * `guomi log hash | chain | verify`: pseudonymise fields of NDJSON logs, chain them into a
 * tamper-evident audit log, and verify such a log. Input and output are streamed (constant
 * memory); lines that are not JSON are reported, counted and skipped, never fatal.
 */
import { createReadStream, createWriteStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sm2PrivateKey, Sm2PublicKey } from '../sm2.js';
import {
  NORMALIZER_NAMES,
  createAuditChain,
  createFieldHasher,
  createNdjsonHasher,
  readKeyFile,
  verifyAuditChain,
  type AuditChainHead,
  type FieldSpec,
  type MalformedLine,
  type NormalizerName,
} from '../log/index.js';
import { LineSplitter, type Line } from '../log/ndjson.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, subcommand, type Command, type ParsedArgs } from './common.js';

/** At most this many malformed lines are listed one by one; the rest only counted. */
const LIST_MALFORMED = 10;

/**
 * `--fields user.phone:phone,*.idCard:idCard,items[].email:email` (repeatable): selectors, each
 * optionally followed by `:` and a normaliser name.
 */
export function parseFieldList(values: string[]): FieldSpec[] {
  const specs: FieldSpec[] = [];
  for (const v of values) {
    for (const part of v.split(',')) {
      const item = part.trim();
      if (!item) continue;
      const colon = item.lastIndexOf(':');
      const norm = colon > 0 ? item.slice(colon + 1) : '';
      if (colon > 0 && (NORMALIZER_NAMES as string[]).includes(norm)) {
        specs.push({ path: item.slice(0, colon), normalize: norm as NormalizerName });
      } else if (colon > 0 && /^[A-Za-z]+$/.test(norm)) {
        throw new CliError(`unknown normaliser '${norm}' in '${item}' (known: ${NORMALIZER_NAMES.join(', ')})`);
      } else specs.push({ path: item });
    }
  }
  if (specs.length === 0) throw new CliError('--fields is required (e.g. --fields user.phone:phone,*.idCard:idCard)');
  return specs;
}

function inputFile(args: ParsedArgs): string | undefined {
  const file = str(args, 'in') ?? args.positionals[0];
  if (args.positionals.length > 1) throw new CliError('one input file at most');
  return file === '-' ? undefined : file;
}

function openInput(file: string | undefined): Readable {
  return file === undefined ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
}

function openOutput(args: ParsedArgs): Writable {
  const file = str(args, 'out');
  return file === undefined || file === '-' ? process.stdout : createWriteStream(file);
}

async function key(args: ParsedArgs): Promise<Uint8Array> {
  const file = str(args, 'key-file');
  if (file === undefined) throw new CliError('--key-file FILE is required (hex text or raw bytes, at least 16 bytes)');
  return readKeyFile(file);
}

async function sm2KeyFile(file: string): Promise<Uint8Array | string> {
  const raw = await readFile(file);
  return raw.includes('-----BEGIN') ? raw.toString('utf8') : new Uint8Array(raw);
}

async function readHead(file: string, what: string): Promise<AuditChainHead> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as AuditChainHead;
  } catch (err) {
    throw new CliError(`${what} ${file}: ${(err as Error).message}`);
  }
}

/**
 * Progress on standard error while a regular file is read: shown when standard error is a
 * terminal and the work has taken more than a second (as the other commands do), or from the
 * start with --progress; never with --quiet.
 */
function progress(args: ParsedArgs, file: string | undefined, counts: () => { bytes: number; records: number }) {
  const forced = args.values['progress'] === true;
  const wanted = args.values['quiet'] !== true && (forced || process.stderr.isTTY === true);
  let total = 0;
  if (file !== undefined) {
    try {
      const st = statSync(file);
      if (st.isFile()) total = st.size;
    } catch {
      total = 0;
    }
  }
  if (!wanted || total === 0) return { stop() {} };
  const start = Date.now();
  let shown = false;
  const show = () => {
    const { bytes, records } = counts();
    const pct = Math.min(100, Math.floor((bytes / total) * 100));
    process.stderr.write(`\rguomi log: ${records.toLocaleString('en-US')} records, ${pct}% of ${(total / 1e6).toFixed(1)} MB `);
    shown = true;
  };
  const timer = setInterval(() => {
    if (forced || Date.now() - start >= 1000) show();
  }, 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (!forced && !shown) return;
      show();
      process.stderr.write('\n');
    },
  };
}

function malformedReporter(args: ParsedArgs) {
  let count = 0;
  return {
    report(info: MalformedLine) {
      count++;
      if (args.values['quiet'] !== true && count <= LIST_MALFORMED) {
        process.stderr.write(`guomi log: line ${info.line}: skipped (${info.reason})\n`);
      }
    },
    get count() {
      return count;
    },
  };
}

async function hash(args: ParsedArgs): Promise<number> {
  const fields = parseFieldList((args.values['fields'] as unknown as string[] | undefined) ?? []);
  const k = await key(args);
  const encoding = str(args, 'encoding');
  const digestLength = str(args, 'digest-length');
  let hasher;
  try {
    hasher = createFieldHasher({
      key: k,
      keyId: str(args, 'key-id'),
      fields,
      algorithm: args.values['salted'] === true ? 'salted-sm3' : 'hmac-sm3',
      encoding: encoding as 'hex' | 'base64url' | undefined,
      digestLength: digestLength === undefined ? undefined : Number(digestLength),
      domain: str(args, 'domain'),
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  } finally {
    k.fill(0);
  }
  const file = inputFile(args);
  const bad = malformedReporter(args);
  const stream = createNdjsonHasher(hasher, { onMalformed: (i) => bad.report(i) });
  const meter = progress(args, file, () => ({ bytes: stream.bytesIn, records: stream.records }));
  try {
    await pipeline(openInput(file), stream, openOutput(args));
  } finally {
    meter.stop();
  }
  if (args.values['quiet'] !== true) {
    const s = hasher.stats;
    process.stderr.write(
      `guomi log hash: ${stream.records} records, ${s.hashed} fields hashed with key ${hasher.keyId}` +
        `${s.failed ? `, ${s.failed} unhashable (replaced by a marker)` : ''}` +
        `${bad.count ? `, ${bad.count} malformed line${bad.count > 1 ? 's' : ''} skipped` : ''}\n`,
    );
  }
  hasher.destroy();
  return EXIT_OK;
}

/** NDJSON text chunks in, parsed objects out; malformed lines reported and skipped. */
function recordsOf(report: (info: MalformedLine) => void, counter: { bytes: number; records: number }) {
  return async function* (source: AsyncIterable<Uint8Array>) {
    const splitter = new LineSplitter((n) => report({ line: n, reason: 'line too long' }));
    const parseAll = function* (lines: Line[]) {
      for (const { text, line } of lines) {
        if (text.trim() === '') continue;
        let v: unknown;
        try {
          v = JSON.parse(text);
        } catch (err) {
          report({ line, reason: `not JSON: ${(err as Error).message}` });
          continue;
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          report({ line, reason: 'not a JSON object' });
          continue;
        }
        counter.records++;
        yield v;
      }
    };
    for await (const chunk of source) {
      counter.bytes += chunk.length;
      yield* parseAll(splitter.push(chunk));
    }
    yield* parseAll(splitter.end());
  };
}

async function chain(args: ParsedArgs): Promise<number> {
  const k = await key(args);
  const state = str(args, 'state');
  const signKey = str(args, 'sign-key');
  const every = str(args, 'checkpoint-every');
  if (signKey === undefined && every !== undefined) throw new CliError('--checkpoint-every needs --sign-key');
  let audit;
  try {
    audit = createAuditChain({
      key: k,
      output: 'ndjson',
      start: state !== undefined && existsSync(state) ? await readHead(state, '--state') : undefined,
      checkpoint:
        signKey === undefined
          ? undefined
          : { privateKey: Sm2PrivateKey.from(await sm2KeyFile(signKey)), every: every === undefined ? undefined : Number(every), id: str(args, 'id') },
    });
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message);
  } finally {
    k.fill(0);
  }
  const file = inputFile(args);
  const bad = malformedReporter(args);
  const counter = { bytes: 0, records: 0 };
  const meter = progress(args, file, () => counter);
  try {
    await pipeline(openInput(file), recordsOf((i) => bad.report(i), counter), audit, openOutput(args));
  } finally {
    meter.stop();
  }
  if (state !== undefined) writeFileSync(state, JSON.stringify(audit.head) + '\n');
  if (args.values['quiet'] !== true) {
    process.stderr.write(
      `guomi log chain: ${counter.records} records chained, next seq ${audit.head.seq}` +
        `${bad.count ? `, ${bad.count} malformed line${bad.count > 1 ? 's' : ''} skipped` : ''}\n`,
    );
  }
  return EXIT_OK;
}

async function verify(args: ParsedArgs): Promise<number> {
  const keyFile = str(args, 'key-file');
  const pubFile = str(args, 'pub');
  if (keyFile === undefined && pubFile === undefined) throw new CliError('give --key-file (the chain key) or --pub (the checkpoint public key), or both');
  const k = keyFile === undefined ? undefined : await readKeyFile(keyFile);
  const start = str(args, 'start');
  const end = str(args, 'end');
  const file = inputFile(args);
  const input = openInput(file);
  const counter = { bytes: 0, records: 0 };
  const meter = progress(args, file, () => counter);
  const counted = (async function* () {
    for await (const chunk of input) {
      counter.bytes += (chunk as Uint8Array).length;
      yield chunk as Uint8Array;
    }
  })();
  let result;
  try {
    result = await verifyAuditChain(counted, {
      key: k,
      publicKey: pubFile === undefined ? undefined : Sm2PublicKey.from(await sm2KeyFile(pubFile)),
      id: str(args, 'id'),
      start: start === undefined ? undefined : await readHead(start, '--start'),
      end: end === undefined ? undefined : await readHead(end, '--end'),
    });
  } catch (err) {
    if (err instanceof CliError || (err as { code?: string }).code?.startsWith('ERR_')) throw err;
    throw new CliError((err as Error).message);
  } finally {
    meter.stop();
    k?.fill(0);
    input.destroy();
  }
  if (result.malformed && args.values['quiet'] !== true) {
    process.stderr.write(`guomi log verify: ${result.malformed} malformed line${result.malformed > 1 ? 's' : ''} skipped\n`);
  }
  if (!result.ok) {
    console.log(`FAILED: record ${result.index}${result.line !== undefined ? ` (line ${result.line})` : ''}: ${result.reason}: ${result.detail}`);
    return EXIT_FAILED;
  }
  const unverified = result.unverified ? `; ${result.unverified} record${result.unverified > 1 ? 's' : ''} after the last checkpoint not covered` : '';
  console.log(`OK: ${result.records} records, ${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'}${unverified}`);
  return EXIT_OK;
}

/** The `guomi log` command: hash, chain and verify NDJSON logs. */
export const logCommand: Command = {
  name: 'log',
  summary: 'pseudonymise fields of NDJSON logs; chain and verify tamper-evident audit logs',
  help: `Usage: guomi log hash   --fields SPEC[,SPEC…] --key-file KEY [--key-id ID] [--salted]
                       [--encoding hex|base64url] [--digest-length N] [--domain D]
                       [--in FILE | FILE] [--out FILE] [--progress] [--quiet]
       guomi log chain  --key-file KEY [--sign-key SM2KEY [--checkpoint-every N] [--id ID]]
                       [--state HEADFILE] [--in FILE | FILE] [--out FILE] [--progress] [--quiet]
       guomi log verify (--key-file KEY | --pub SM2PUB | both) [--id ID]
                       [--start HEADFILE] [--end HEADFILE] [--in FILE | FILE] [--progress]

hash: replaces the selected fields of every NDJSON record by "sm3:<keyId>:<digest>", a keyed
  HMAC-SM3 pseudonym (GB/T 32905, RFC 2104) under a key derived per field. SPEC is a selector
  (user.phone, *.idCard, items[].email, **.mobile) optionally followed by :NORMALISER, one of
  ${NORMALIZER_NAMES.join(', ')} (e.g. user.phone:phone). --fields may be repeated.
  --salted computes SM3(key || value) instead, to match pseudonyms of older tools: weaker,
  anyone with the salt can hash every phone number. --domain D hashes all fields under one
  domain, so equal values link across fields.
chain: adds "_audit": {"seq", "mac"} (an HMAC-SM3 chain) to every record; with --sign-key, adds
  an SM2-signed checkpoint every N records (default 1000) and at the end. --state FILE resumes
  the chain from FILE if it exists and saves where it stopped (for the next file after rotation).
verify: checks a chained log and reports the first altered, missing, inserted or reordered
  record, or a bad checkpoint. With --pub only, checkpoints are checked (what lies after the last
  one is reported as not covered). --start/--end take head files saved by chain --state.

KEY is a file with the key as hex text (openssl rand -hex 32 > key) or raw bytes. Input is FILE,
--in FILE or standard input; output --out FILE or standard output. Lines that are not JSON are
reported on standard error, counted and skipped. A progress line is shown on standard error for
files when it is a terminal and the work takes over a second, or always with --progress.

Exit status: 0 on success, 1 if verification fails, 2 on bad usage.`,
  async run(argv) {
    const [sub, ...rest] = argv;
    const common = {
      in: { type: 'string' },
      out: { type: 'string' },
      'key-file': { type: 'string' },
      progress: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    } as const;
    switch (subcommand('log', sub, ['hash', 'chain', 'verify'])) {
      case 'hash':
        return hash(
          parse(rest, {
            ...common,
            fields: { type: 'string', multiple: true, short: 'f' },
            'key-id': { type: 'string' },
            salted: { type: 'boolean' },
            encoding: { type: 'string' },
            'digest-length': { type: 'string' },
            domain: { type: 'string' },
          }),
        );
      case 'chain':
        return chain(
          parse(rest, {
            ...common,
            'sign-key': { type: 'string' },
            'checkpoint-every': { type: 'string' },
            id: { type: 'string' },
            state: { type: 'string' },
          }),
        );
      case 'verify':
        return verify(
          parse(rest, {
            ...common,
            pub: { type: 'string' },
            id: { type: 'string' },
            start: { type: 'string' },
            end: { type: 'string' },
          }),
        );
      default:
        throw new CliError(`unknown log subcommand '${sub}'`);
    }
  },
};
