/**
 * `guomi sm3 [-c FILE] [FILE...]`: SM3 checksums in the format of sha256sum
 * ("<hex>  <name>"), reading standard input when no file is given, in constant memory.
 */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { sm3 } from '../sm3.js';
import { bytesToHex } from '../utils.js';
import { CliError, EXIT_FAILED, EXIT_OK, parse, str, type Command } from './common.js';

async function hashStream(stream: Readable): Promise<string> {
  const h = sm3.create();
  for await (const chunk of stream) h.update(chunk as Uint8Array);
  return bytesToHex(h.digest());
}

function hashFile(name: string): Promise<string> {
  return hashStream(name === '-' ? process.stdin : createReadStream(name, { highWaterMark: 1 << 16 }));
}

/** Reads "<hex>  <name>", "<hex> *<name>" (binary mode marker) and BSD "SM3 (<name>) = <hex>". */
function parseCheckLine(line: string): { digest: string; name: string } | undefined {
  const gnu = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
  if (gnu) return { digest: gnu[1]!.toLowerCase(), name: gnu[2]! };
  const bsd = /^SM3 \((.+)\) = ([0-9a-fA-F]{64})$/.exec(line);
  if (bsd) return { digest: bsd[2]!.toLowerCase(), name: bsd[1]! };
  return undefined;
}

async function check(listFile: string): Promise<number> {
  const text = listFile === '-' ? await new Response(process.stdin as never).text() : await readFile(listFile, 'utf8');
  let failed = 0, unreadable = 0, malformed = 0, checked = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const entry = parseCheckLine(line);
    if (!entry) {
      malformed++;
      continue;
    }
    checked++;
    try {
      const ok = (await hashFile(entry.name)) === entry.digest;
      console.log(`${entry.name}: ${ok ? 'OK' : 'FAILED'}`);
      if (!ok) failed++;
    } catch (err) {
      console.log(`${entry.name}: FAILED open or read`);
      console.error(`guomi: ${entry.name}: ${(err as Error).message}`);
      unreadable++;
    }
  }
  if (malformed) console.error(`guomi: WARNING: ${malformed} line${malformed > 1 ? 's are' : ' is'} improperly formatted`);
  if (unreadable) console.error(`guomi: WARNING: ${unreadable} listed file${unreadable > 1 ? 's' : ''} could not be read`);
  if (failed) console.error(`guomi: WARNING: ${failed} computed checksum${failed > 1 ? 's' : ''} did NOT match`);
  if (checked === 0) throw new CliError(`${listFile}: no properly formatted SM3 checksum lines found`, EXIT_FAILED);
  return failed || unreadable ? EXIT_FAILED : EXIT_OK;
}

export const sm3Command: Command = {
  name: 'sm3',
  summary: 'print or check SM3 checksums (like sha256sum)',
  help: `Usage: guomi sm3 [FILE...]
       guomi sm3 -c LIST

Print the SM3 (GB/T 32905) digest of each FILE as "<hex>  <name>"; with no FILE, or when
FILE is -, read standard input. Files are read in chunks, so any size works.

Options:
  -c, --check LIST   read "<hex>  <name>" lines (or BSD "SM3 (<name>) = <hex>") from LIST
                     and check each file; exit status 1 if any does not match
  -h, --help         show this help`,
  async run(argv) {
    const args = parse(argv, { check: { type: 'string', short: 'c' } });
    const positionals = args.positionals;
    const list = str(args, 'check');
    if (list !== undefined) {
      if (positionals.length) throw new CliError('-c takes one list file and no other files');
      return check(list);
    }
    const files = positionals.length ? positionals : ['-'];
    let status = EXIT_OK;
    for (const name of files) {
      try {
        console.log(`${await hashFile(name)}  ${name}`);
      } catch (err) {
        console.error(`guomi: ${name}: ${(err as Error).message}`);
        status = EXIT_FAILED;
      }
    }
    return status;
  },
};
