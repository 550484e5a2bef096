/**
 * `guomi sm2 keygen | pub | sign | verify | encrypt | decrypt`: SM2 with PEM (or DER) key files.
 *
 * Signing and verification hash the input as they read it (e = SM3(Z || M), GB/T 32918.2 §6.1)
 * and use the prehashed mode, so files of any size take constant memory. Encryption and
 * decryption read the whole message (SM2 encrypts short data such as keys).
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  Sm2PrivateKey,
  Sm2PublicKey,
  computeZ,
  decrypt,
  encrypt,
  sign,
  verify,
  type Sm2CiphertextFormat,
} from '../sm2.js';
import { sm3 } from '../sm3.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, type ParsedArgs, type Command } from './common.js';

async function readKeyFile(file: string | undefined, what: string): Promise<Uint8Array | string> {
  if (!file) throw new CliError(`${what} is required`);
  const raw = await readFile(file);
  // PEM is text; anything else is taken as DER.
  return raw.includes('-----BEGIN') ? raw.toString('utf8') : new Uint8Array(raw);
}

async function privateKey(args: ParsedArgs): Promise<Sm2PrivateKey> {
  return Sm2PrivateKey.from(await readKeyFile(str(args, 'key'), '--key KEYFILE'));
}

/** The public key from --pub, or derived from --key. */
async function publicKey(args: ParsedArgs): Promise<Sm2PublicKey> {
  const pub = str(args, 'pub');
  const pubHex = str(args, 'pub-hex');
  if (pubHex !== undefined) return Sm2PublicKey.from(Buffer.from(pubHex, 'hex'));
  if (pub !== undefined) return Sm2PublicKey.from(await readKeyFile(pub, '--pub'));
  if (str(args, 'key') !== undefined) return (await privateKey(args)).publicKey;
  throw new CliError('a public key is required: --pub PUBFILE, --pub-hex POINT or --key KEYFILE');
}

function inputStream(args: ParsedArgs): Readable {
  const file = str(args, 'in');
  return file === undefined || file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 16 });
}

async function readInput(args: ParsedArgs): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of inputStream(args)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** e = SM3(Z || M), read as a stream. */
async function digestInput(args: ParsedArgs, pub: Sm2PublicKey): Promise<Uint8Array> {
  const id = str(args, 'id') ?? '1234567812345678';
  const h = sm3.create().update(computeZ(pub, id));
  for await (const chunk of inputStream(args)) h.update(chunk as Uint8Array);
  return h.digest();
}

function writeOutput(args: ParsedArgs, data: Uint8Array | string): void {
  const file = str(args, 'out');
  if (file === undefined || file === '-') process.stdout.write(data);
  else writeFileSync(file, data, typeof data === 'string' ? undefined : { mode: 0o644 });
}

function encoding(args: ParsedArgs): 'der' | 'raw' {
  const e = str(args, 'encoding') ?? 'der';
  if (e !== 'der' && e !== 'raw') throw new CliError('--encoding must be der or raw');
  return e;
}

function ciphertextFormat(args: ParsedArgs): Sm2CiphertextFormat | undefined {
  const f = str(args, 'format');
  if (f === undefined) return undefined;
  if (f !== 'c1c3c2' && f !== 'c1c2c3' && f !== 'der') throw new CliError('--format must be c1c3c2, c1c2c3 or der');
  return f;
}

const OPTIONS = {
  key: { type: 'string' },
  pub: { type: 'string' },
  'pub-hex': { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
  pubout: { type: 'string' },
  id: { type: 'string' },
  encoding: { type: 'string' },
  format: { type: 'string' },
  type: { type: 'string' },
  sig: { type: 'string' },
  'sig-hex': { type: 'string' },
  hex: { type: 'boolean' },
  compressed: { type: 'boolean' },
  'no-prefix': { type: 'boolean' },
} as const;

const ACTIONS: Record<string, (args: ParsedArgs) => Promise<number>> = {
  async keygen(args) {
    const key = Sm2PrivateKey.generate();
    const format = str(args, 'format') ?? 'pem';
    const type = str(args, 'type') ?? 'pkcs8';
    if (format !== 'pem' && format !== 'der') throw new CliError('--format must be pem or der');
    if (type !== 'pkcs8' && type !== 'sec1') throw new CliError('--type must be pkcs8 or sec1');
    const out = str(args, 'out');
    const data = format === 'pem' ? key.export({ format: 'pem', type }) : key.export({ format: 'der', type });
    if (out === undefined || out === '-') process.stdout.write(data);
    else writeFileSync(out, data, { mode: 0o600 });
    const pubout = str(args, 'pubout');
    if (pubout !== undefined) writeFileSync(pubout, key.publicKey.export({ format: 'pem' }));
    key.destroy();
    return EXIT_OK;
  },

  async pub(args) {
    const pub = await publicKey(args);
    const format = str(args, 'format') ?? 'pem';
    if (format === 'pem') writeOutput(args, pub.export({ format: 'pem' }));
    else if (format === 'der') writeOutput(args, pub.export({ format: 'der' }));
    else if (format === 'hex') writeOutput(args, `${Buffer.from(pub.toBytes({ compressed: args.values['compressed'] === true })).toString('hex')}\n`);
    else if (format === 'raw') writeOutput(args, pub.toBytes({ compressed: args.values['compressed'] === true }));
    else throw new CliError('--format must be pem, der, raw or hex');
    return EXIT_OK;
  },

  async sign(args) {
    const key = await privateKey(args);
    const e = await digestInput(args, key.publicKey);
    const sig = sign(e, key, { prehashed: true, encoding: encoding(args) });
    key.destroy();
    writeOutput(args, args.values['hex'] === true ? `${Buffer.from(sig).toString('hex')}\n` : sig);
    return EXIT_OK;
  },

  async verify(args) {
    const pub = await publicKey(args);
    const sigFile = str(args, 'sig');
    const sigHex = str(args, 'sig-hex');
    if ((sigFile === undefined) === (sigHex === undefined)) throw new CliError('give the signature as --sig FILE or --sig-hex HEX');
    let sig: Uint8Array;
    if (sigHex !== undefined) sig = Buffer.from(sigHex.trim(), 'hex');
    else {
      const raw = await readFile(sigFile!);
      const text = raw.toString('latin1').trim();
      sig = /^([0-9a-fA-F]{2})+$/.test(text) ? Buffer.from(text, 'hex') : raw;
    }
    const e = await digestInput(args, pub);
    const enc = str(args, 'encoding');
    const ok = verify(e, sig, pub, enc === undefined ? { prehashed: true } : { prehashed: true, encoding: encoding(args) });
    console.log(ok ? 'Verified OK' : 'Verification failure');
    return ok ? EXIT_OK : EXIT_FAILED;
  },

  async encrypt(args) {
    const pub = await publicKey(args);
    const format = ciphertextFormat(args);
    const prefix = args.values['no-prefix'] !== true;
    const ct = encrypt(pub, await readInput(args), { ...(format ? { format } : {}), c1Prefix: prefix });
    writeOutput(args, args.values['hex'] === true ? `${Buffer.from(ct).toString('hex')}\n` : ct);
    return EXIT_OK;
  },

  async decrypt(args) {
    const key = await privateKey(args);
    let data: Uint8Array = await readInput(args);
    const text = Buffer.from(data).toString('latin1').trim();
    if (args.values['hex'] === true || /^([0-9a-fA-F]{2}){97,}$/.test(text)) data = Buffer.from(text, 'hex');
    const format = ciphertextFormat(args);
    const prefix = args.values['no-prefix'] !== true;
    const plain = decrypt(key, data, { ...(format ? { format } : {}), c1Prefix: prefix });
    key.destroy();
    writeOutput(args, plain);
    return EXIT_OK;
  },
};

export const sm2Command: Command = {
  name: 'sm2',
  summary: 'SM2 keys, signatures and encryption (keygen, pub, sign, verify, encrypt, decrypt)',
  help: `Usage: guomi sm2 keygen  [--out KEY] [--pubout PUB] [--format pem|der] [--type pkcs8|sec1]
       guomi sm2 pub     --key KEY | --pub PUB  [--format pem|der|raw|hex] [--compressed] [--out F]
       guomi sm2 sign    --key KEY [--id ID] [--encoding der|raw] [--hex] [--in F] [--out SIG]
       guomi sm2 verify  (--pub PUB | --pub-hex POINT | --key KEY) (--sig SIG | --sig-hex HEX)
                         [--id ID] [--encoding der|raw] [--in F]
       guomi sm2 encrypt (--pub PUB | --key KEY) [--format c1c3c2|c1c2c3|der] [--no-prefix] [--hex]
                         [--in F] [--out F]
       guomi sm2 decrypt --key KEY [--format c1c3c2|c1c2c3|der] [--no-prefix] [--hex] [--in F] [--out F]

SM2 (GB/T 32918) with keys in PEM or DER files: PKCS#8, SEC1 ("EC PRIVATE KEY") or SPKI, in
either SPKI algorithm form, as OpenSSL, GmSSL, Tongsuo and BouncyCastle write them. Signatures
use the ID 1234567812345678 unless --id is given and are DER (GM/T 0009) unless --encoding raw
(64 bytes r || s); verify reads either when --encoding is absent. Ciphertexts are C1 || C3 || C2
with the 04 prefix (GB/T 32918.4-2016) unless --format says otherwise; decrypt recognises DER by
itself; --no-prefix reads and writes sm-crypto's 64-byte C1. Input is --in or standard input;
output --out or standard output; --hex prints hex.

Exit status: 0 on success, 1 if a signature does not verify or decryption fails, 2 on bad usage.`,
  async run(argv) {
    const args = parse(argv, OPTIONS);
    const [action, ...extra] = args.positionals;
    const fn = action ? ACTIONS[action] : undefined;
    if (!fn) throw new CliError(`say one of: guomi sm2 ${Object.keys(ACTIONS).join(' | ')} (see --help)`);
    if (extra.length) throw new CliError(`unexpected argument '${extra[0]}' (use --in FILE)`);
    return fn(args);
  },
};
