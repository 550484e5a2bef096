/**
 * `guomi sm4 encrypt|decrypt`: SM4 over files or standard input/output, streaming in constant
 * memory where the mode allows.
 *
 * - ECB, CBC, CTR, CFB, OFB and GCM encryption stream through createCipheriv.
 * - GCM decryption streams into a private temporary file beside --out, which is renamed into place
 *   only after the tag verifies (and deleted otherwise), so no unauthenticated plaintext is ever
 *   released; to standard output it is held in memory until the tag verifies.
 * - CCM and XTS need the whole message (CCM's length goes into its first block; XTS steals
 *   ciphertext from the last block), so they read it into memory (CCM: at most 2^24 - 1 bytes
 *   with a 12-byte nonce; XTS: one data unit of at most 16 MiB).
 * GCM and CCM output is ciphertext || tag, and decryption takes the same.
 */
import { createWriteStream, openSync, closeSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getBackend } from '../backend/select.js';
import { GuomiError } from '../errors.js';
import { createCipheriv, createDecipheriv, sm4, type Sm4Mode } from '../sm4.js';
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  PROGRESS_OPTIONS,
  bytesArg,
  bytesFromFile,
  fileSize,
  meteredInput,
  parse,
  progressMeter,
  str,
  subcommand,
  type Command,
} from './common.js';

const MODES: Sm4Mode[] = ['ecb', 'cbc', 'ctr', 'cfb', 'ofb', 'gcm', 'ccm', 'xts'];

/**
 * A key, IV or AAD from --NAME HEX (or base64:…) or --NAME-file FILE (raw bytes, or hex text;
 * never guessed as base64, since raw AAD may well be text that looks like it).
 */
async function bytesOption(values: Record<string, unknown>, name: string): Promise<Uint8Array | undefined> {
  const text = values[name];
  const file = values[`${name}-file`];
  if (text !== undefined && file !== undefined) throw new CliError(`give --${name} or --${name}-file, not both`);
  if (typeof text === 'string') return bytesArg(text, `--${name}`);
  if (typeof file === 'string') {
    let raw: Buffer;
    try {
      raw = await readFile(file);
    } catch (err) {
      throw new CliError(`--${name}-file: ${(err as Error).message}`);
    }
    return bytesFromFile(raw, { base64: false });
  }
  return undefined;
}

async function readAll(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new CliError(`${what}: the input is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface Plan {
  mode: Sm4Mode;
  decrypt: boolean;
  key: Uint8Array;
  iv?: Uint8Array;
  aad?: Uint8Array;
  tagLength: number;
  padding: 'pkcs7' | 'none';
  variant: 'gb' | 'ieee';
}

/** GCM decryption to a file: stream into a temporary file, rename only after the tag verifies. */
async function gcmDecryptToFile(plan: Plan, input: Readable, outFile: string): Promise<void> {
  const temp = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.partial`);
  closeSync(openSync(temp, 'wx', 0o600));
  const b = getBackend();
  const key = b.sm4ExpandKey(plan.key);
  const state = b.sm4GcmStream(key, plan.iv!, true);
  if (plan.aad?.length) state.aad(plan.aad);
  // The last tagLength bytes of the input are the tag: hold them back from each chunk.
  let held = Buffer.alloc(0);
  const out = createWriteStream(temp);
  let ok = false;
  try {
    for await (const chunk of input) {
      const all = Buffer.concat([held, chunk as Buffer]);
      const n = Math.max(0, all.length - plan.tagLength);
      held = all.subarray(n);
      if (n > 0) {
        const plain = Buffer.alloc(n);
        state.update(all.subarray(0, n), plain);
        if (!out.write(plain)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    }
    if (held.length < plan.tagLength) throw new CliError('the input is shorter than the tag', EXIT_FAILED);
    const tag = state.final().subarray(0, plan.tagLength);
    let diff = 0;
    for (let i = 0; i < plan.tagLength; i++) diff |= tag[i]! ^ held[i]!;
    ok = diff === 0;
    await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
    if (!ok) throw new GuomiError('ERR_AUTH_FAILED', 'SM4-GCM: the authentication tag does not match; no output written');
    renameSync(temp, outFile);
  } finally {
    state.destroy();
    key.destroy();
    if (!ok) {
      out.destroy();
      rmSync(temp, { force: true });
    }
  }
}

async function run(plan: Plan, input: Readable, output: Writable, outFile: string | undefined): Promise<void> {
  const { mode, decrypt, key, iv } = plan;
  if (mode === 'ccm' || mode === 'xts') {
    const limit = mode === 'xts' ? 1 << 24 : (1 << 24) + 16;
    const data = await readAll(input, limit, `sm4-${mode}`);
    const cipher =
      mode === 'ccm'
        ? sm4.ccm(key, iv!, { aad: plan.aad ?? new Uint8Array(0), tagLength: plan.tagLength })
        : sm4.xts(key, iv!, { variant: plan.variant });
    const result = decrypt ? cipher.decrypt(data) : cipher.encrypt(data);
    cipher.destroy();
    await new Promise<void>((res, rej) => output.end(result, (err?: Error | null) => (err ? rej(err) : res())));
    return;
  }
  if (mode === 'gcm' && decrypt && outFile !== undefined) return gcmDecryptToFile(plan, input, outFile);
  const name = `sm4-${mode}`;
  const options = mode === 'gcm' ? { authTagLength: plan.tagLength } : {};
  if (!decrypt) {
    const c = createCipheriv(name, key, mode === 'ecb' ? null : iv!, options);
    if (mode === 'ecb' || mode === 'cbc') c.setAutoPadding(plan.padding === 'pkcs7');
    if (mode === 'gcm' && plan.aad?.length) c.setAAD(plan.aad);
    if (mode !== 'gcm') {
      await pipeline(input, c, output);
      return;
    }
    // The ciphertext, then the tag once the cipher has finished.
    await pipeline(
      input,
      c,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) yield chunk;
        yield c.getAuthTag();
      },
      output,
    );
    return;
  }
  if (mode === 'gcm') {
    // To standard output: the plaintext is released only after the tag verifies, so the whole
    // message is held in memory.
    const data = await readAll(input, 2 ** 31 - 1, name);
    const result = sm4.gcm(key, iv!, { aad: plan.aad ?? new Uint8Array(0), tagLength: plan.tagLength }).decrypt(data);
    await new Promise<void>((res, rej) => output.end(result, (err?: Error | null) => (err ? rej(err) : res())));
    return;
  }
  const d = createDecipheriv(name, key, mode === 'ecb' ? null : iv!, options);
  if (mode === 'ecb' || mode === 'cbc') d.setAutoPadding(plan.padding === 'pkcs7');
  await pipeline(input, d, output);
}

function usageFor(mode: Sm4Mode): string {
  return mode === 'ccm' ? 'a nonce (--iv, 7 to 13 bytes)' : mode === 'xts' ? 'a 16-byte tweak (--iv)' : mode === 'gcm' ? 'an IV (--iv, 12 bytes recommended)' : 'a 16-byte IV (--iv)';
}

export const sm4Command: Command = {
  name: 'sm4',
  summary: 'encrypt or decrypt with SM4 (ECB, CBC, CTR, CFB, OFB, GCM, CCM, XTS)',
  help: `Usage: guomi sm4 encrypt|decrypt --mode MODE (--key HEX | --key-file F) [--iv HEX | --iv-file F]
                   [--aad HEX | --aad-file F] [--tag-length N] [--padding pkcs7|none]
                   [--variant gb|ieee] [--in FILE] [--out FILE] [--progress] [-q]

Encrypt or decrypt with SM4 (GB/T 32907). The input is --in or standard input, the output --out
or standard output. Keys, IVs and AAD are hex on the command line (or base64:… to give base64),
or files of raw bytes or hex text.

Modes: ecb, cbc (PKCS#7 padding by default), ctr, cfb, ofb, gcm, ccm (output ciphertext || tag;
decryption releases nothing unless the tag verifies), xts (a 32-byte key; --variant gb (default,
GB/T 17964) or ieee). ECB/CBC/CTR/CFB/OFB and GCM encryption stream in constant memory; GCM
decryption to --out streams into a temporary file renamed into place only after the tag
verifies; CCM and XTS read the whole message.

Options:
  --mode MODE          ecb | cbc | ctr | cfb | ofb | gcm | ccm | xts (default cbc)
  --key HEX, --key-file F       16 bytes (XTS: 32)
  --iv HEX, --iv-file F         IV, counter block, nonce (CCM) or tweak (XTS); not for ECB
  --aad HEX, --aad-file F       additional authenticated data (GCM, CCM)
  --tag-length N       tag bytes for GCM/CCM (default 16)
  --padding P          pkcs7 (default) or none, for ECB and CBC
  --variant V          gb (default) or ieee, for XTS
  --in FILE, --out FILE
  --progress           show a progress bar on standard error for --in FILE (by default shown
                       when standard error is a terminal and the work takes over a second)
  -q, --quiet          no progress bar
  -h, --help           show this help

Exit status: 0 on success, 1 if authentication or padding fails, 2 on bad usage.`,
  async run(argv) {
    const args = parse(argv, {
      mode: { type: 'string' },
      key: { type: 'string' },
      'key-file': { type: 'string' },
      iv: { type: 'string' },
      'iv-file': { type: 'string' },
      aad: { type: 'string' },
      'aad-file': { type: 'string' },
      'tag-length': { type: 'string' },
      padding: { type: 'string' },
      variant: { type: 'string' },
      in: { type: 'string' },
      out: { type: 'string' },
      ...PROGRESS_OPTIONS,
    });
    const [given, ...extra] = args.positionals;
    const op = subcommand('sm4', given, ['encrypt', 'decrypt']);
    if (extra.length) throw new CliError(`unexpected argument '${extra[0]}' (use --in FILE)`);
    const mode = (str(args, 'mode') ?? 'cbc').toLowerCase() as Sm4Mode;
    if (!MODES.includes(mode)) throw new CliError(`--mode must be one of ${MODES.join(', ')}`);
    const key = await bytesOption(args.values, 'key');
    if (!key) throw new CliError('a key is required: --key HEX or --key-file FILE');
    const iv = await bytesOption(args.values, 'iv');
    if (mode !== 'ecb' && !iv) throw new CliError(`sm4-${mode} needs ${usageFor(mode)}`);
    if (mode === 'ecb' && iv) throw new CliError('ECB takes no IV');
    const padding = (str(args, 'padding') ?? 'pkcs7') as 'pkcs7' | 'none';
    if (padding !== 'pkcs7' && padding !== 'none') throw new CliError('--padding must be pkcs7 or none');
    const variant = (str(args, 'variant') ?? 'gb') as 'gb' | 'ieee';
    if (variant !== 'gb' && variant !== 'ieee') throw new CliError('--variant must be gb or ieee');
    const tagText = str(args, 'tag-length');
    const tagLength = tagText === undefined ? 16 : Number(tagText);
    if (!Number.isInteger(tagLength)) throw new CliError('--tag-length must be a number of bytes');
    const plan: Plan = { mode, decrypt: op === 'decrypt', key, tagLength, padding, variant };
    if (iv) plan.iv = iv;
    const aad = await bytesOption(args.values, 'aad');
    if (aad) plan.aad = aad;
    const inFile = str(args, 'in');
    const outFile = str(args, 'out');
    const meter = progressMeter(args, `sm4 ${op} ${inFile}`, fileSize(inFile));
    const input = meteredInput(inFile, meter);
    const toStdout = outFile === undefined || outFile === '-';
    try {
      // Files are written through a temporary name and renamed when complete, so a failure (bad
      // tag or padding) never leaves partial output behind.
      if (toStdout || (mode === 'gcm' && plan.decrypt)) {
        await run(plan, input, process.stdout, toStdout ? undefined : outFile);
        return EXIT_OK;
      }
      const temp = join(dirname(outFile), `.${basename(outFile)}.${randomBytes(6).toString('hex')}.partial`);
      const output = createWriteStream(temp, { mode: 0o600 });
      try {
        await run(plan, input, output, undefined);
        renameSync(temp, outFile);
      } catch (err) {
        rmSync(temp, { force: true });
        throw err;
      }
      return EXIT_OK;
    } finally {
      meter.done();
    }
  },
};
