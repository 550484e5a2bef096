/**
 * complianceReport() and `guomi compliance report`: the report names what is really in use (the
 * backend, the addon file, the versions of this process), covers every algorithm with a passing
 * known answer, and renders as text, JSON and Markdown.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendInfo } from '../src/backend/select.js';
import { complianceReport, formatComplianceReport } from '../src/compliance.js';
import { knownAnswerTable } from '../src/kat.js';
import { BACKENDS, forEachBackend } from './backends.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
const cli = join(root, 'dist', 'cli', 'main.js');

forEachBackend((name) => {
  describe('complianceReport()', () => {
    it('reports this process, this backend and passing self-tests', () => {
      const r = complianceReport();
      expect(r.ok).toBe(true);
      expect(r.module).toEqual({ name: pkg.name, version: pkg.version });
      expect(r.runtime).toMatchObject({
        node: process.versions.node,
        openssl: process.versions.openssl,
        v8: process.versions.v8,
        napi: process.versions.napi,
        platform: process.platform,
        arch: process.arch,
      });
      expect(r.backend).toEqual(backendInfo());
      expect(r.backend.backend).toBe(name);
      expect(r.selfTest.ok).toBe(true);
      expect(r.selfTest.results).toHaveLength(knownAnswerTable().length);
      expect(Number.isFinite(Date.parse(r.generatedAt))).toBe(true);
    });

    it('lists every algorithm with known answers that exist and passed, and every known answer under an algorithm', () => {
      const r = complianceReport();
      const kats = new Set(knownAnswerTable().map((k) => k.algorithm));
      const listed = r.algorithms.flatMap((a) => a.knownAnswers);
      expect(new Set(listed)).toEqual(kats);
      for (const a of r.algorithms) {
        expect(a.selfTested, a.name).toBe(true);
        expect(a.standards.length, a.name).toBeGreaterThan(0);
        expect(a.implementation, a.name).not.toMatch(/undefined|unknown/);
      }
      // Every SM4 mode of DESIGN.md is named.
      const modes = r.algorithms.flatMap((a) => a.modes ?? []).join(' ');
      for (const m of ['ECB', 'CBC', 'CTR', 'CFB', 'OFB', 'GCM', 'CCM', 'XTS']) expect(modes).toContain(m);
    });

    it(name === 'native' ? 'names the addon file with its SHA-256' : 'has no addon section', () => {
      const r = complianceReport();
      if (name === 'pure') {
        expect(r.addon).toBeUndefined();
        expect(r.keys.randomSource).toMatch(/getRandomValues/);
        expect(r.constantTime).toMatch(/not/);
        return;
      }
      expect(r.addon).toBeDefined();
      const bytes = readFileSync(r.addon!.path);
      expect(r.addon!.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
      expect(r.addon!.sm3).toBe(crypto.createHash('sm3').update(bytes).digest('hex'));
      expect(r.addon!.size).toBe(bytes.length);
      expect(r.addon!.origin).toBe(r.addon!.path.includes('/prebuilds/') ? 'prebuild' : 'build');
      expect(r.keys.randomSource).toMatch(/getrandom/);
    });
  });
});

describe('formatComplianceReport()', () => {
  const r = complianceReport();

  it('json is the report itself', () => {
    expect(JSON.parse(formatComplianceReport(r, 'json'))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('text names the version, backend, every algorithm and every known answer', () => {
    const text = formatComplianceReport(r);
    expect(text).toContain(`${pkg.name} ${pkg.version}`);
    expect(text).toContain(`node:                  ${process.versions.node}`);
    expect(text).toContain(process.versions.openssl);
    for (const a of r.algorithms) expect(text).toContain(`  ${a.name}: `);
    for (const t of r.selfTest.results) expect(text).toContain(t.source);
    expect(text).toMatch(/Self-tests: passed \(\d+ known answers\)/);
  });

  it('markdown has the tables, one row per algorithm and per known answer', () => {
    const md = formatComplianceReport(r, 'markdown');
    expect(md.startsWith('# guomi compliance report\n')).toBe(true);
    expect(md).toContain('| Algorithm | Purpose | Standards | Modes | Implementation | Self-tested |');
    const rows = md.split('\n').filter((l) => l.startsWith('| ok | '));
    expect(rows).toHaveLength(r.selfTest.results.length);
    // "r||s" must not break the table.
    expect(md).toContain('r\\|\\|s');
  });

  it('refuses an unknown format', () => {
    expect(() => formatComplianceReport(r, 'html' as never)).toThrow(RangeError);
  });
});

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('guomi compliance report', () => {
  for (const backend of BACKENDS) {
    it(`${backend}: --format json is the report of that backend, exit 0`, () => {
      const r = run(['compliance', 'report', '--format', 'json'], { GUOMI_BACKEND: backend });
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as { ok: boolean; backend: { backend: string }; module: { version: string } };
      expect(report.ok).toBe(true);
      expect(report.backend.backend).toBe(backend);
      expect(report.module.version).toBe(pkg.version);
    });
  }

  it('text by default, markdown on request, --json as a shorthand, --out to a file', () => {
    expect(run(['compliance', 'report']).stdout).toMatch(/^guomi compliance report \(/);
    expect(run(['compliance', 'report', '--format', 'markdown']).stdout).toMatch(/^# guomi compliance report\n/);
    expect(JSON.parse(run(['compliance', 'report', '--json']).stdout)).toHaveProperty('selfTest');
    const out = join(mkdtempSync(join(tmpdir(), 'guomi-compliance-')), 'report.md');
    const r = run(['compliance', 'report', '--format', 'markdown', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(existsSync(out) && readFileSync(out, 'utf8')).toMatch(/^# guomi compliance report/);
  });

  it('with GUOMI_SELFTEST=startup it reports the startup run', () => {
    const r = run(['compliance', 'report', '--json'], { GUOMI_SELFTEST: 'startup' });
    const report = JSON.parse(r.stdout) as { selfTest: { mode: string; startup?: { ok: boolean; count: number } } };
    expect(report.selfTest.mode).toBe('startup');
    expect(report.selfTest.startup).toMatchObject({ ok: true, count: knownAnswerTable().length });
  });

  it('bad usage exits 2 with a message and no stack trace', () => {
    for (const args of [['compliance'], ['compliance', 'print'], ['compliance', 'report', '--format', 'html'], ['compliance', 'report', '--bogus']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^guomi: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help documents the formats', () => {
    const r = run(['compliance', 'report', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--format F   text (default), json or markdown');
  });
});
