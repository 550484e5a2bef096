/**
 * Reader for the known-answer files in vectors/ (the BoringSSL FileTest format).
 *
 *   # comments, including a "# Source: <standard and clause>" line for every block or file
 *   [Mode = GCM]          an instruction that applies to the blocks after it until the next one
 *   Key = 0123…           an attribute: hex bytes (may be empty),
 *   Msg = "abc"           or ASCII text in double quotes,
 *   Count = 1000000       or a decimal number (read with num()).
 *   (blank line)          ends a block
 *
 * Every attribute of a block must be read by the test, so that a misspelt or forgotten field
 * fails loudly instead of being ignored. The C++ runner (native/test/filetest.h) reads the same
 * files.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const VECTORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');

export class FileTestCase {
  readonly line: number;
  readonly file: string;
  private readonly attrs = new Map<string, string>();
  private readonly instructions: Map<string, string>;
  private readonly used = new Set<string>();

  constructor(file: string, line: number, instructions: Map<string, string>) {
    this.file = file;
    this.line = line;
    this.instructions = instructions;
  }

  /** @internal */
  set(name: string, value: string): void {
    if (this.attrs.has(name)) throw new Error(`${this.where()}: duplicate attribute ${name}`);
    this.attrs.set(name, value);
  }

  where(): string {
    return `${this.file}:${this.line}`;
  }

  has(name: string): boolean {
    return this.attrs.has(name);
  }

  private raw(name: string): string {
    const v = this.attrs.get(name);
    if (v === undefined) throw new Error(`${this.where()}: missing attribute ${name}`);
    this.used.add(name);
    return v;
  }

  /** The attribute as bytes (hex, or "quoted text" as UTF-8). */
  bytes(name: string): Uint8Array {
    const v = this.raw(name);
    if (v.startsWith('"')) {
      if (!v.endsWith('"') || v.length < 2) throw new Error(`${this.where()}: bad string ${name}`);
      return new TextEncoder().encode(v.slice(1, -1));
    }
    if (!/^([0-9a-fA-F]{2})*$/.test(v)) throw new Error(`${this.where()}: bad hex in ${name}`);
    return Uint8Array.from(Buffer.from(v, 'hex'));
  }

  /** The attribute as bytes, or undefined when absent. */
  optBytes(name: string): Uint8Array | undefined {
    return this.has(name) ? this.bytes(name) : undefined;
  }

  /** The attribute as a decimal integer. */
  num(name: string): number {
    const v = this.raw(name);
    if (!/^\d+$/.test(v)) throw new Error(`${this.where()}: ${name} is not a number`);
    return Number(v);
  }

  /** The attribute as text (quotes removed when present). */
  str(name: string): string {
    const v = this.raw(name);
    return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
  }

  optStr(name: string): string | undefined {
    return this.has(name) ? this.str(name) : undefined;
  }

  /** An instruction in force for this block ([Name = Value]). */
  instruction(name: string): string | undefined {
    return this.instructions.get(name);
  }

  /** Throws unless every attribute was read. */
  checkAllUsed(): void {
    const unused = [...this.attrs.keys()].filter((k) => !this.used.has(k));
    if (unused.length) throw new Error(`${this.where()}: unused attributes ${unused.join(', ')}`);
  }
}

/** Parses one vectors/ file into its blocks. */
export function readVectorFile(name: string): FileTestCase[] {
  const path = join(VECTORS_DIR, name);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const cases: FileTestCase[] = [];
  let instructions = new Map<string, string>();
  let current: FileTestCase | undefined;
  lines.forEach((text, i) => {
    const line = text.trim();
    if (line === '') {
      current = undefined;
      return;
    }
    if (line.startsWith('#')) return;
    const instr = /^\[([^=\]]+)=([^\]]*)\]$/.exec(line);
    if (instr) {
      if (current) throw new Error(`${name}:${i + 1}: instruction inside a block`);
      instructions = new Map(instructions);
      instructions.set(instr[1]!.trim(), instr[2]!.trim());
      return;
    }
    const attr = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!attr) throw new Error(`${name}:${i + 1}: cannot parse "${line}"`);
    if (!current) {
      current = new FileTestCase(name, i + 1, instructions);
      cases.push(current);
    }
    current.set(attr[1]!, attr[2]!.trim());
  });
  if (cases.length === 0) throw new Error(`${name}: no test blocks`);
  return cases;
}

/**
 * Runs `fn` on every block of a vectors/ file and checks that each block's attributes were all
 * read. Returns the number of blocks.
 */
export function forEachVector(name: string, fn: (t: FileTestCase) => void): number {
  const cases = readVectorFile(name);
  for (const t of cases) {
    fn(t);
    t.checkAllUsed();
  }
  return cases.length;
}
