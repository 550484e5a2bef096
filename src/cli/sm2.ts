/**
 * `guomi sm2 keygen | pub | sign | verify | encrypt | decrypt`: SM2 with PEM (or DER) key files.
 *
 * Signing and verification hash the input as they read it (e = SM3(Z || M), GB/T 32918.2 §6.1)
 * and use the prehashed mode, so files of any size take constant memory. Encryption and
 * decryption read the whole message (SM2 encrypts short data such as keys).
 */
import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
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
import {
  CliError,
  EXIT_FAILED,
  EXIT_OK,
  PROGRESS_OPTIONS,
  bytesArg,
  bytesFromFile,
  encodeOutput,
  fileSize,
  meteredInput,
  outputForm,
  parse,
  progressMeter,
  str,
  subcommand,
  type ParsedArgs,
  type Command,
} from './common.js';

async function readKeyFile(file: string | undefined, what: string): Promise<Uint8Array | string> {
  if (!file) throw new CliError(`${what} is required`);
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch (err) {
    throw new CliError(`${what.split(' ')[0]}: ${(err as Error).message}`);
  }
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
  if (pubHex !== undefined) return Sm2PublicKey.from(bytesArg(pubHex, '--pub-hex'));
  if (pub !== undefined) return Sm2PublicKey.from(await readKeyFile(pub, '--pub'));
  if (str(args, 'key') !== undefined) return (await privateKey(args)).publicKey;
  throw new CliError('a public key is required: --pub PUBFILE, --pub-hex POINT or --key KEYFILE');
}

async function readInput(args: ParsedArgs): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of meteredInput(str(args, 'in'), { add() {}, done() {} })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** e = SM3(Z || M), read as a stream (with a progress bar for a long --in FILE). */
async function digestInput(args: ParsedArgs, pub: Sm2PublicKey, action: string): Promise<Uint8Array> {
  const id = str(args, 'id') ?? '1234567812345678';
  const h = sm3.create().update(computeZ(pub, id));
  const file = str(args, 'in');
  const meter = progressMeter(args, `sm2 ${action} ${file}`, fileSize(file));
  try {
    for await (const chunk of meteredInput(file, meter)) h.update(chunk as Uint8Array);
  } finally {
    meter.done();
  }
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
  base64: { type: 'boolean' },
  compressed: { type: 'boolean' },
  ...PROGRESS_OPTIONS,
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
    else if (format === 'base64') writeOutput(args, encodeOutput(pub.toBytes({ compressed: args.values['compressed'] === true }), 'base64'));
    else if (format === 'raw') writeOutput(args, pub.toBytes({ compressed: args.values['compressed'] === true }));
    else throw new CliError('--format must be pem, der, raw, hex or base64');
    return EXIT_OK;
  },

  async sign(args) {
    const key = await privateKey(args);
    const form = outputForm(args);
    const e = await digestInput(args, key.publicKey, 'sign');
    const sig = sign(e, key, { prehashed: true, encoding: encoding(args) });
    key.destroy();
    writeOutput(args, encodeOutput(sig, form));
    return EXIT_OK;
  },

  async verify(args) {
    const pub = await publicKey(args);
    const sigFile = str(args, 'sig');
    const sigHex = str(args, 'sig-hex');
    if ((sigFile === undefined) === (sigHex === undefined)) throw new CliError('give the signature as --sig FILE or --sig-hex HEX');
    let sig: Uint8Array;
    if (sigHex !== undefined) sig = bytesArg(sigHex, '--sig-hex');
    else {
      let raw: Buffer;
      try {
        raw = await readFile(sigFile!);
      } catch (err) {
        throw new CliError(`--sig: ${(err as Error).message}`);
      }
      // DER, raw r || s, or either as hex or base64 text (what sign --hex / --base64 write).
      sig = bytesFromFile(raw);
    }
    const e = await digestInput(args, pub, 'verify');
    const enc = str(args, 'encoding');
    const ok = verify(e, sig, pub, enc === undefined ? { prehashed: true } : { prehashed: true, encoding: encoding(args) });
    console.log(ok ? 'Verified OK' : 'Verification failure');
    return ok ? EXIT_OK : EXIT_FAILED;
  },

  async encrypt(args) {
    const pub = await publicKey(args);
    const format = ciphertextFormat(args);
    const prefix = args.values['no-prefix'] !== true;
    const form = outputForm(args);
    const ct = encrypt(pub, await readInput(args), { ...(format ? { format } : {}), c1Prefix: prefix });
    writeOutput(args, encodeOutput(ct, form));
    return EXIT_OK;
  },

  async decrypt(args) {
    const key = await privateKey(args);
    const form = outputForm(args);
    const raw = await readInput(args);
    // A binary ciphertext starts with 04 (C1) or 30 (DER), so text is hex or base64 (what
    // encrypt --hex / --base64 write); --hex / --base64 insist on that form.
    const text = raw.toString('latin1').trim();
    const data =
      form === 'hex' ? bytesArg(text, 'the input (--hex)') : form === 'base64' ? bytesArg(`base64:${text}`, 'the input (--base64)') : bytesFromFile(raw);
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
       guomi sm2 pub     --key KEY | --pub PUB  [--format pem|der|raw|hex|base64] [--compressed] [--out F]
       guomi sm2 sign    --key KEY [--id ID] [--encoding der|raw] [--hex | --base64] [--in F] [--out SIG]
       guomi sm2 verify  (--pub PUB | --pub-hex POINT | --key KEY) (--sig SIG | --sig-hex HEX)
                         [--id ID] [--encoding der|raw] [--in F]
       guomi sm2 encrypt (--pub PUB | --key KEY) [--format c1c3c2|c1c2c3|der] [--no-prefix]
                         [--hex | --base64] [--in F] [--out F]
       guomi sm2 decrypt --key KEY [--format c1c3c2|c1c2c3|der] [--no-prefix] [--hex | --base64]
                         [--in F] [--out F]
       (sign and verify also take --progress and -q, --quiet)

SM2 (GB/T 32918) with keys in PEM or DER files: PKCS#8, SEC1 ("EC PRIVATE KEY") or SPKI, in
either SPKI algorithm form, as OpenSSL, GmSSL, Tongsuo and BouncyCastle write them. Signatures
use the ID 1234567812345678 unless --id is given and are DER (GM/T 0009) unless --encoding raw
(64 bytes r || s); verify reads either when --encoding is absent. Ciphertexts are C1 || C3 || C2
with the 04 prefix (GB/T 32918.4-2016) unless --format says otherwise; decrypt recognises DER by
itself; --no-prefix reads and writes sm-crypto's 64-byte C1. Input is --in or standard input;
output --out or standard output; --hex / --base64 write text instead of bytes, and the files
verify --sig and decrypt read may be bytes, hex or base64. --pub-hex and --sig-hex take hex
(or base64:…). sign and verify hash files of any size in constant memory, with a progress bar
on standard error (shown when it is a terminal and the work takes over a second, or always
with --progress; never with --quiet).

Exit status: 0 on success, 1 if a signature does not verify or decryption fails, 2 on bad usage.`,
  async run(argv) {
    const args = parse(argv, OPTIONS);
    const [given, ...extra] = args.positionals;
    const fn = ACTIONS[subcommand('sm2', given, Object.keys(ACTIONS))]!;
    if (extra.length) throw new CliError(`unexpected argument '${extra[0]}' (use --in FILE)`);
    return fn(args);
  },
};
